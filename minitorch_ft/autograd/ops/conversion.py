"""dtype conversion and copies: `to`, `float`, `double`, `long`, `clone`, `type_as`."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..function import Op
from ..size import contiguous_format, preserve_format
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


class ClonePreserve(Clone):
    """`clone()` with torch's preserve_format: the copy keeps the input's dimension order (a
    clone of `x.t()` is still transposed); an expanded input is copied in C order."""

    grad_fn_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        expanded = 0 in a.strides and a.size > 1
        return a.copy(order="C" if expanded else "K")


def check_device(device) -> None:
    """Accept the CPU; refuse other devices with the errors a CPU-only PyTorch build raises."""
    if device is None:
        return
    kind = str(getattr(device, "type", device)).split(":")[0]
    if kind == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    if kind != "cpu":
        raise RuntimeError(f"PyTorch is not linked with support for {kind} devices")


def to(self: Tensor, *args, **kwargs) -> Tensor:
    """`to(dtype)`, `to(device)`, `to(other)`: returns self when nothing changes, like torch."""
    dtype = kwargs.get("dtype")
    copy = kwargs.get("copy", False)
    check_device(kwargs.get("device"))
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg.dtype
        elif isinstance(arg, (dtypes.dtype, type, np.dtype)):
            dtype = arg
        elif arg is not None:
            check_device(arg)
    if dtype is None:
        return self.clone() if copy else self
    np_dtype = dtypes.to_dtype(dtype).np
    if np_dtype == self._data.dtype and not copy:
        return self
    if np_dtype.kind != "f" or self._data.dtype.kind != "f":
        return Tensor._wrap(self._data.astype(np_dtype))
    return ToCopy.apply(self, np_dtype)


def clone(input: Tensor, *, memory_format=preserve_format) -> Tensor:
    if memory_format is contiguous_format:
        return Clone.apply(input)
    return ClonePreserve.apply(input)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    return to(self, other.dtype)


def _caster(dtype):
    def cast(self: Tensor, memory_format=None) -> Tensor:
        return to(self, dtype)

    cast.__doc__ = f"Same as `to({dtype})`."
    return cast


def cpu(self: Tensor, *args, **kwargs) -> Tensor:
    return self


def cuda(self: Tensor, *args, **kwargs) -> Tensor:
    raise AssertionError("Torch not compiled with CUDA enabled")  # as a CPU-only PyTorch


def tensor_type(self: Tensor, dtype=None, non_blocking: bool = False, **kwargs):
    """`t.type()` names the tensor type ('torch.FloatTensor'); `t.type(dtype)` casts."""
    if dtype is None:
        return "torch." + dtypes.TENSOR_TYPE_NAMES[self._data.dtype.name]
    if isinstance(dtype, str):
        names = {"torch." + v: k for k, v in dtypes.TENSOR_TYPE_NAMES.items()}
        if dtype not in names:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = dtypes.to_dtype(names[dtype])
    elif not isinstance(dtype, dtypes.dtype):
        raise ValueError(f"invalid type: '{getattr(dtype, '__name__', dtype)}'")
    return to(self, dtype)


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
Tensor.cuda = cuda
Tensor.type = tensor_type
