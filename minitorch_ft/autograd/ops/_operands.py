"""Turning op arguments into arrays of the dtype PyTorch's promotion rules give."""

from __future__ import annotations

import numbers

import numpy as np

from .. import dtypes
from ..tensor import Tensor


def as_tensor(value, like: Tensor | None = None) -> Tensor:
    """A Tensor for an operand; numpy arrays and lists become constant tensors."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        return Tensor._wrap(value)
    from ..creation import tensor

    return tensor(value)


def is_scalar(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, Tensor)


def binary_operands(a, b):
    """Return (a, b, dtype) for a binary op; dtype is None when numpy already agrees with torch.

    Python scalars stay python scalars (weak, like PyTorch's wrapped numbers).
    """
    # Fast path for the two commonest cases: same-dtype tensors, float tensor with a float.
    if type(a) is Tensor:
        if type(b) is Tensor:
            if a._data.dtype == b._data.dtype:
                return a, b, None
        elif type(b) is float and a._data.dtype.kind == "f":
            return a, b, None
    # numpy scalars are weak python scalars in PyTorch (float32 * np.float64(2) stays float32)
    a = a.item() if isinstance(a, np.generic) else a
    b = b.item() if isinstance(b, np.generic) else b
    if not isinstance(a, Tensor) and not is_scalar(a):
        a = as_tensor(a)
    if not isinstance(b, Tensor) and not is_scalar(b):
        b = as_tensor(b)
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a._data.dtype == b._data.dtype:
            return a, b, None
    else:
        t, s = (a, b) if isinstance(a, Tensor) else (b, a)
        kind = t._data.dtype.kind
        if kind == "f":
            return a, b, None
        if kind in "iu" and isinstance(s, int) and not isinstance(s, bool):
            info = np.iinfo(t._data.dtype)
            if not info.min <= s <= info.max:  # torch wraps out-of-range ints into the dtype
                s = np.int64(s).astype(t._data.dtype)
                return (t, s, None) if t is a else (s, t, None)
            return a, b, None
    dtype = dtypes.result_np_dtype(a, b)
    if dtype.kind == "u":  # uint8 with an int64 0-d tensor: numpy will not cast int64 -> uint8
        a, b = (
            Tensor._wrap(x._data.astype(dtype))
            if isinstance(x, Tensor) and x._data.dtype.kind == "i"
            else x
            for x in (a, b)
        )
    return a, b, dtype


def float_dtype_for(np_dtype: np.dtype) -> np.dtype:
    """Integer and bool inputs of floating ops compute in the default float dtype."""
    if np_dtype.kind == "f":
        return np_dtype
    return dtypes.get_default_dtype().np
