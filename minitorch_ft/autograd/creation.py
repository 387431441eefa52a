"""Tensor factories: `tensor`, `zeros`, `ones`, `randn`, ... with PyTorch's dtype defaults."""

from __future__ import annotations

import numbers

import numpy as np

from . import dtypes
from .generator import rng
from .tensor import Tensor


def _np_dtype(dtype) -> np.dtype | None:
    return None if dtype is None else dtypes.to_dtype(dtype).np


def _default_np(dtype) -> np.dtype:
    return dtypes.get_default_dtype().np if dtype is None else dtypes.to_dtype(dtype).np


def _infer_array(data, exact_floats: bool = False) -> np.ndarray:
    """numpy array for python data, with torch's dtype inference (floats -> default float).

    exact_floats keeps python floats as float64 (an explicit dtype follows), so
    tensor([0.1], dtype=float64) holds 0.1 itself, not its float32 rounding.
    """
    if isinstance(data, Tensor):
        return data._data.copy()
    if isinstance(data, (np.ndarray, np.generic)):
        data = np.array(data)  # a copy; numpy arrays and scalars keep their dtype in torch
        array = data
    elif isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    elif isinstance(data, (list, tuple)) and _contains_tensor(data):
        array = np.array(_tensors_to_lists(data))
    else:
        try:
            array = np.array(data)
        except ValueError as err:
            raise _ragged_error(data, 0, _nested_shape(data)) or err from None
    if array.dtype.kind == "f" and not isinstance(data, np.ndarray) and not exact_floats:
        with np.errstate(over="ignore"):  # like torch, 1e300 becomes inf in float32 silently
            array = array.astype(dtypes.get_default_dtype().np)
    elif array.dtype.kind in "iu" and not isinstance(data, np.ndarray):
        array = array.astype(np.int64)
    elif array.dtype.kind not in "fiub":
        if array.size == 0 and array.dtype == object:
            return np.zeros(array.shape, dtypes.get_default_dtype().np)
        if isinstance(data, np.ndarray):
            dtypes.from_numpy_dtype(array.dtype)  # raises torch's TypeError
        leaves = array.reshape(-1).tolist()
        bad = next((x for x in leaves if not isinstance(x, (bool, int, float))), data)
        raise RuntimeError(f"Could not infer dtype of {type(bad).__name__}")
    return array


def _nested_shape(data) -> list:
    """The shape torch infers from the first element at each depth."""
    shape = []
    while isinstance(data, (list, tuple)):
        shape.append(len(data))
        if not data:
            break
        data = data[0]
    return shape


def _ragged_error(data, dim: int, shape: list) -> Exception | None:
    """torch's error for nested sequences of unequal lengths (None when none is found)."""
    if dim == len(shape):
        return None
    if not isinstance(data, (list, tuple)):
        return TypeError("not a sequence")
    if len(data) != shape[dim]:
        return ValueError(
            f"expected sequence of length {shape[dim]} at dim {dim} (got {len(data)})"
        )
    for item in data:
        err = _ragged_error(item, dim + 1, shape)
        if err is not None:
            return err
    return None


def _contains_tensor(data) -> bool:
    return any(
        isinstance(x, Tensor) or (isinstance(x, (list, tuple)) and _contains_tensor(x))
        for x in data
    )


def _tensors_to_lists(data):
    if isinstance(data, Tensor):
        return data._data.tolist()
    if isinstance(data, (list, tuple)):
        return [_tensors_to_lists(x) for x in data]
    return data


def tensor(
    data, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False
) -> Tensor:
    """Copy data into a new leaf tensor (floats become float32, ints int64, as in PyTorch)."""
    if isinstance(data, Tensor) and data._data.dtype.kind not in "fiub":
        raise TypeError("unsupported tensor data")
    if dtype is None and isinstance(data, numbers.Number) and isinstance(data, complex):
        raise TypeError("complex tensors are not supported")
    array = _infer_array(data, exact_floats=dtype is not None)
    if dtype is not None:
        with np.errstate(over="ignore"):  # 1e300 -> inf in float32, silently as in torch
            array = array.astype(dtypes.to_dtype(dtype).np, copy=False)
    else:
        dtypes.from_numpy_dtype(array.dtype)
    return _leaf(array, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Share memory with a numpy array or tensor when the dtype allows, like torch.as_tensor."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtypes.to_dtype(dtype).np == data.dtype):
        dtypes.from_numpy_dtype(data.dtype)
        return Tensor._wrap(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with `array` (its dtype kept, as torch.from_numpy)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.from_numpy_dtype(array.dtype)
    return Tensor._wrap(array)


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    elif len(size) == 1 and not isinstance(size[0], (int, np.integer, Tensor)):
        raise TypeError(
            f"{_caller()}(): argument 'size' (position 1) must be tuple of ints, "
            f"not {type(size[0]).__name__}"
        )
    for pos, s in enumerate(size):
        if not isinstance(s, (int, np.integer)) and not (isinstance(s, Tensor) and s.numel() == 1):
            raise TypeError(
                f"{_caller()}(): argument 'size' (position 1) must be tuple of ints, but found "
                f"element of type {type(s).__name__} at pos {pos}"
            )
        if int(s) < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {int(s)}: {list(map(int, size))}"
            )
    return tuple(int(s) for s in size)


def _caller() -> str:
    import sys

    return sys._getframe(2).f_code.co_name


def _leaf(array: np.ndarray, requires_grad: bool) -> Tensor:
    if requires_grad and array.dtype.kind != "f":
        # factories capitalise this message, unlike the requires_grad setter
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return Tensor._wrap(array, requires_grad=bool(requires_grad))


def zeros(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _leaf(np.zeros(_size(size), _default_np(dtype)), requires_grad)


def ones(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _leaf(np.ones(_size(size), _default_np(dtype)), requires_grad)


def empty(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _leaf(np.empty(_size(size), _default_np(dtype)), requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Filled tensor; dtype inferred from the fill value (bool, int64 or default float)."""
    if dtype is None:
        if isinstance(fill_value, bool):
            np_dtype = np.bool_
        elif isinstance(fill_value, (int, np.integer)):
            np_dtype = np.int64
        else:
            np_dtype = dtypes.get_default_dtype().np
    else:
        np_dtype = dtypes.to_dtype(dtype).np
    size = _size((size,) if isinstance(size, (tuple, list)) else (size,))
    return _leaf(np.full(size, fill_value, np_dtype), requires_grad)


def arange(
    start, end=None, step=1, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    """Values in [start, end); int64 for integer arguments, else the default float."""
    if end is None:
        start, end = 0, start
    args = tuple(v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    start, end, step = args
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (np.isfinite(start) and np.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) for v in args)
        np_dtype = np.int64 if is_int else dtypes.get_default_dtype().np
    else:
        np_dtype = dtypes.to_dtype(dtype).np
    values = np.arange(start, end, step, dtype=np.float64 if np_dtype != np.int64 else np.int64)
    return _leaf(values.astype(np_dtype), requires_grad)


def linspace(
    start, end, steps: int, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _leaf(np.linspace(start, end, steps).astype(_default_np(dtype)), requires_grad)


def eye(
    n: int, m: int | None = None, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    return _leaf(np.eye(n, m, dtype=_default_np(dtype)), requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Uniform [0, 1) samples from the global (or given) generator."""
    np_dtype = _default_np(dtype)
    _require_float(np_dtype, "check_uniform_bounds")
    return _leaf(
        rng(generator).random(_size(size), dtype=np.float64).astype(np_dtype), requires_grad
    )


def randn(*size, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples from the global (or given) generator."""
    np_dtype = _default_np(dtype)
    _require_float(np_dtype, "normal_kernel_cpu")
    return _leaf(rng(generator).standard_normal(_size(size)).astype(np_dtype), requires_grad)


def randint(
    low,
    high=None,
    size=None,
    *,
    generator=None,
    dtype=None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers in [low, high) (int64 unless dtype given), like torch.randint."""
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    values = rng(generator).integers(low, high, size=_size((tuple(size),)))
    return _leaf(
        values.astype(np.int64 if dtype is None else dtypes.to_dtype(dtype).np), requires_grad
    )


def randperm(
    n: int, *, generator=None, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    values = rng(generator).permutation(n)
    return _leaf(
        values.astype(np.int64 if dtype is None else dtypes.to_dtype(dtype).np), requires_grad
    )


def _like(input: Tensor, dtype) -> tuple:
    return input.shape, (input._data.dtype if dtype is None else dtypes.to_dtype(dtype).np)


def zeros_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    shape, np_dtype = _like(input, dtype)
    return _leaf(np.zeros(shape, np_dtype), requires_grad)


def ones_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    shape, np_dtype = _like(input, dtype)
    return _leaf(np.ones(shape, np_dtype), requires_grad)


def empty_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    shape, np_dtype = _like(input, dtype)
    return _leaf(np.empty(shape, np_dtype), requires_grad)


def full_like(
    input: Tensor, fill_value, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    shape, np_dtype = _like(input, dtype)
    return _leaf(np.full(shape, fill_value, np_dtype), requires_grad)


def _require_float(np_dtype, name: str) -> None:
    """PyTorch's error for random floats asked in an integer or bool dtype ('Long', 'Bool')."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind != "f":
        scalar_type = dtypes.SCALAR_TYPE_NAMES.get(np_dtype.name, np_dtype.name)
        raise NotImplementedError(f"\"{name}\" not implemented for '{scalar_type}'")


def rand_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    shape, np_dtype = _like(input, dtype)
    _require_float(np_dtype, "check_uniform_bounds")
    return _leaf(rng().random(shape).astype(np_dtype), requires_grad)


def randn_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    shape, np_dtype = _like(input, dtype)
    _require_float(np_dtype, "normal_kernel_cpu")
    return _leaf(rng().standard_normal(shape).astype(np_dtype), requires_grad)
