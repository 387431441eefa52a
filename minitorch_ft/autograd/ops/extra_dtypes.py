"""Dtype queries and settings models and training scripts use: `finfo`, `iinfo`,
`result_type`, `promote_types`, `can_cast`, thread and determinism switches, and the
`short`/`char`/`byte` casts.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor

__all__ = [
    "are_deterministic_algorithms_enabled",
    "can_cast",
    "finfo",
    "get_num_threads",
    "iinfo",
    "promote_types",
    "result_type",
    "set_num_threads",
    "use_deterministic_algorithms",
]


class finfo:  # noqa: N801 - PyTorch's lowercase class name
    """Limits of a floating dtype (torch.finfo; the default dtype when none is given)."""

    def __init__(self, type=None) -> None:  # noqa: A002 - PyTorch's argument name
        d = dtypes.get_default_dtype() if type is None else dtypes.to_dtype(type)
        if not d.is_floating_point:
            raise TypeError(
                "torch.finfo() requires a floating point input type. Use torch.iinfo to "
                "handle 'torch.finfo'"
            )
        info = np.finfo(d.np)
        self.bits = info.bits
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0**-info.precision
        self.dtype = d.name

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:  # noqa: N801 - PyTorch's lowercase class name
    """Limits of an integer dtype (torch.iinfo)."""

    def __init__(self, type) -> None:  # noqa: A002 - PyTorch's argument name
        d = dtypes.to_dtype(type)
        if d is dtypes.bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if d.is_floating_point:
            raise TypeError(
                "torch.iinfo() requires an integer input type. Use torch.finfo to handle "
                "'torch.iinfo'"
            )
        info = np.iinfo(d.np)
        self.bits, self.max, self.min, self.dtype = info.bits, int(info.max), int(info.min), d.name

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def result_type(tensor1, tensor2) -> dtypes.dtype:
    """The dtype `tensor1 op tensor2` would have, by PyTorch's promotion rules."""
    return dtypes.from_numpy_dtype(dtypes.result_np_dtype(tensor1, tensor2))


def promote_types(type1, type2) -> dtypes.dtype:
    """The smallest dtype both dtypes convert to without losing their category."""
    a, b = dtypes.to_dtype(type1), dtypes.to_dtype(type2)
    if a._category != b._category:  # float16 with int64 stays float16, unlike numpy
        return a if a._category > b._category else b
    return dtypes.from_numpy_dtype(np.promote_types(a.np, b.np))


def can_cast(from_, to) -> bool:
    """False when the cast lowers the kind (float to integer, integer to bool), as torch."""
    return dtypes.to_dtype(from_)._category <= dtypes.to_dtype(to)._category


_settings = {"threads": 1, "deterministic": False, "warn_only": False}


def get_num_threads() -> int:
    """The intra-op thread count set (numpy's BLAS picks its own; kept for scripts)."""
    return _settings["threads"]


def set_num_threads(num: int) -> None:
    if num <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _settings["threads"] = int(num)


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Recorded only: every kernel here is deterministic already."""
    _settings["deterministic"], _settings["warn_only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    return _settings["deterministic"]


def _cast(target):
    def cast(self: Tensor, memory_format=None) -> Tensor:
        return self.to(target)

    cast.__name__ = target.name
    return cast


Tensor.short = _cast(dtypes.int16)
Tensor.char = _cast(dtypes.int8)
Tensor.byte = _cast(dtypes.uint8)
