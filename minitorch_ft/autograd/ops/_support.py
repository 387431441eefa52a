"""Small shared pieces of the pointwise op families: argument checks, dtype names, errors."""

from __future__ import annotations

import warnings

import numpy as np

from .. import dtypes, grad_mode
from ..tensor import Tensor

# Pointwise math may produce inf/nan (log(0), 1/0) silently, as PyTorch does: no numpy warnings.
# Use it as a decorator only: one errstate object cannot be entered twice with `with`.
quiet = np.errstate(all="ignore")


def type_name(np_dtype: np.dtype) -> str:
    """PyTorch's scalar type name of a numpy dtype ('Float', 'Long', ...), used in errors."""
    return dtypes.SCALAR_TYPE_NAMES.get(np.dtype(np_dtype).name, str(np_dtype))


def check_tensor(value, fn: str, arg: str = "input", position: int = 1) -> Tensor:
    """Return value if it is a Tensor, else PyTorch's argument TypeError."""
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {position}) must be Tensor, "
            f"not {type(value).__name__}"
        )
    return value


def floating(t: Tensor, fn: str) -> Tensor:
    """t itself if floating, else a default-float copy (exp(int tensor) is float32 in torch)."""
    check_tensor(t, fn)
    if t._data.dtype.kind == "f":
        return t
    return Tensor._wrap(t._data.astype(dtypes.get_default_dtype().np))


def require_float(t: Tensor, kernel: str) -> Tensor:
    """PyTorch's NotImplementedError for float-only kernels given integer or bool input."""
    if t._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(t._data.dtype)}'")
    return t


def broadcast_shape(*shapes: tuple) -> tuple:
    """The broadcast of shapes, or PyTorch's RuntimeError naming the first mismatching dim."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        pass
    result: list = []
    for shape in shapes:
        for i in range(1, len(shape) + 1):
            if i > len(result):
                result.insert(0, shape[-i])
                continue
            a, b = result[-i], shape[-i]
            if a != b and a != 1 and b != 1:
                raise RuntimeError(
                    f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                    f"non-singleton dimension {max(len(result), len(shape)) - i}"
                ) from None
            if a == 1:
                result[-i] = b
    return tuple(result)


def zero_division_check(divisor) -> None:
    """Integer division by zero is an error in PyTorch (floats give inf/nan instead)."""
    arr = divisor._data if isinstance(divisor, Tensor) else np.asarray(divisor)
    if arr.dtype.kind in "iub" and np.any(arr == 0):
        raise RuntimeError("ZeroDivisionError")


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def write_out(fn: str, result: Tensor, out: Tensor) -> Tensor:
    """Store `result` into a user's `out=` tensor like PyTorch, and return `out`.

    No autograd through out= (torch's error), no float into int or int into bool, and an out
    of another shape is resized (with torch's warning unless it was empty).
    """
    check_tensor(out, fn, "out", 3)
    if result.requires_grad or (out.requires_grad and grad_mode._state.enabled):
        raise RuntimeError(
            f"{fn}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    if _KIND_RANK[result._data.dtype.kind] > _KIND_RANK[out._data.dtype.kind]:
        raise RuntimeError(
            f"result type {type_name(result._data.dtype)} can't be cast to the desired output "
            f"type {type_name(out._data.dtype)}"
        )
    if out.shape != result.shape:
        if out.numel():
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out.shape)}, which does not match the required output shape "
                f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch "
                "release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                "with t.resize_(0).",
                UserWarning,
                stacklevel=3,
            )
        out._data = np.empty(result._data.shape, out._data.dtype)
    np.copyto(out._data, result._data, casting="unsafe")
    out._version_counter.value += 1
    return out
