"""dtype conversion and copies: `to`, `float`, `double`, `long`, `clone`, `type_as`."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor


class ToCopy(Op):
    """Cast to another dtype; the gradient is cast back to the input's dtype."""

    @staticmethod
    def forward(ctx, a, np_dtype):
        ctx.in_dtype = a.dtype
        return a.astype(np_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.astype(ctx.in_dtype, copy=False), None


class Clone(Op):
    """A copy that stays in the graph; d/da = g."""

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


def to(self: Tensor, *args, **kwargs) -> Tensor:
    """`to(dtype)`, `to(device)`, `to(other)`: returns self when nothing changes, like torch."""
    dtype = kwargs.get("dtype")
    copy = kwargs.get("copy", False)
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg.dtype
        elif isinstance(arg, (dtypes.dtype, type, np.dtype)):
            dtype = arg
        elif isinstance(arg, str) and arg.split(":")[0] not in ("cpu",):
            raise RuntimeError(f"minitorch_ft runs on the CPU only; cannot move to '{arg}'")
    if dtype is None:
        return self.clone() if copy else self
    np_dtype = dtypes.to_dtype(dtype).np
    if np_dtype == self._data.dtype and not copy:
        return self
    if np_dtype.kind != "f" or self._data.dtype.kind != "f":
        return Tensor._wrap(self._data.astype(np_dtype))
    return ToCopy.apply(self, np_dtype)


def clone(input: Tensor, *, memory_format=None) -> Tensor:
    return Clone.apply(input)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    return to(self, other.dtype)


def _caster(dtype):
    def cast(self: Tensor, memory_format=None) -> Tensor:
        return to(self, dtype)

    cast.__doc__ = f"Same as `to({dtype})`."
    return cast


def cpu(self: Tensor, *args, **kwargs) -> Tensor:
    return self


Tensor.to = to
Tensor.clone = clone
Tensor.type_as = type_as
Tensor.float = _caster(dtypes.float32)
Tensor.double = _caster(dtypes.float64)
Tensor.half = _caster(dtypes.float16)
Tensor.long = _caster(dtypes.int64)
Tensor.int = _caster(dtypes.int32)
Tensor.bool = _caster(dtypes.bool_)
Tensor.cpu = cpu
