"""Tensor factories: `tensor`, `zeros`, `ones`, `arange`, ... with PyTorch's dtype defaults.

The random ones (`rand`, `randn`, ...) are in random_factories.py."""

from __future__ import annotations

import numbers

import numpy as np

from . import dtypes
from .tensor import Tensor


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
        if array.dtype == object and array.size:
            array = _object_numbers(data, array)
        if (
            not exact_floats
            and array.dtype.kind in "fiub"
            and isinstance(data, (list, tuple))
            and any(isinstance(leaf, np.generic) for leaf in _edge_leaves(data))
        ):
            return array.astype(_numpy_scalars_dtype(data, array.ndim))
    if array.dtype.kind == "f" and not isinstance(data, np.ndarray) and not exact_floats:
        with np.errstate(over="ignore"):  # like torch, 1e300 becomes inf in float32 silently
            array = array.astype(dtypes.get_default_dtype().np)
    elif array.dtype.kind in "iu" and not isinstance(data, np.ndarray) and array.dtype != np.uint64:
        array = array.astype(np.int64)
    elif array.dtype.kind not in "fiub":
        if array.size == 0 and array.dtype == object:
            return np.zeros(array.shape, dtypes.get_default_dtype().np)
        if isinstance(data, np.ndarray):
            dtypes.from_numpy_dtype(array.dtype)  # raises torch's TypeError
        raise _leaf_error(data)
    return array


def _object_numbers(data, array: np.ndarray) -> np.ndarray:
    """numpy keeps ints past 64 bits as objects: floats among them make a float array (as in
    torch); ints alone overflow torch's int64. Anything else is not a number."""
    leaves = list(_walk(data))
    numbers_ = (bool, int, float, np.generic)
    if all(isinstance(x, numbers_) for x in leaves):
        if any(isinstance(x, (float, np.floating)) for x in leaves):
            return array.astype(np.float64)
        raise ValueError("Overflow when unpacking long long")
    raise _leaf_error(data)


def _leaf_error(data) -> Exception:
    """torch's error for a non-number in python data (a str first is read as a sequence)."""
    if isinstance(_edge_leaves(data)[0], str):
        return ValueError("too many dimensions 'str'")
    leaves = _walk(data)
    bad = next((x for x in leaves if not isinstance(x, (bool, int, float, np.generic))), data)
    if isinstance(bad, str):
        return TypeError("new(): invalid data type 'str'")
    return RuntimeError(f"Could not infer dtype of {type(bad).__name__}")


def _walk(data):
    if isinstance(data, (list, tuple)):
        for x in data:
            yield from _walk(x)
    else:
        yield data


def _edge_leaves(data) -> tuple:
    """The first and last innermost elements (a cheap look for numpy scalars)."""
    first = last = data
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    while isinstance(last, (list, tuple)) and last:
        last = last[-1]
    return first, last


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def _numpy_scalars_dtype(data, ndim: int) -> np.dtype:
    """torch's dtype for a list holding numpy scalars: each element counts with its own
    dtype (python floats as the default float), the highest kind wins, else the widest."""
    from itertools import chain  # this rare path only; `itertools` stays out of the facade

    leaves = data
    for _ in range(ndim - 1):
        leaves = chain.from_iterable(leaves)
    python = {bool: np.dtype(bool), int: np.dtype(np.int64), float: _default_np(None)}
    types = set(map(type, leaves))
    kinds = [python[t] if t in python else np.dtype(t) for t in types]
    result = kinds[0]
    for d in kinds[1:]:
        if _KIND_RANK[d.kind] > _KIND_RANK[result.kind]:
            result = d
        elif _KIND_RANK[d.kind] == _KIND_RANK[result.kind]:
            result = np.promote_types(result, d)
    if result.kind in "iu" and np.bool_ in types:  # torch stores it as an integer and fails
        raise TypeError("'numpy.bool' object cannot be interpreted as an integer")
    return result


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
    if isinstance(data, Tensor):
        import warnings  # imported here: only this rare path warns

        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    if isinstance(data, Tensor) and data._data.dtype.kind not in "fiub":
        raise TypeError("unsupported tensor data")
    if dtype is None and isinstance(data, numbers.Number) and isinstance(data, complex):
        raise TypeError("complex tensors are not supported")
    array = _infer_array(data, exact_floats=dtype is not None)
    if array.dtype == np.uint64 and not isinstance(data, (np.ndarray, np.generic, Tensor)):
        if dtype is None or not dtypes.to_dtype(dtype).is_floating_point:
            raise ValueError("Overflow when unpacking long long")  # a python int past int64
    if dtype is not None:
        np_dtype = dtypes.to_dtype(dtype).np
        if np_dtype.kind in "iu" and not isinstance(data, (np.ndarray, Tensor)):
            _check_fits(array, np_dtype)
        with np.errstate(over="ignore"):  # 1e300 -> inf in float32, silently as in torch
            array = array.astype(np_dtype, copy=False)
    else:
        dtypes.from_numpy_dtype(array.dtype)
    return _leaf(array, requires_grad)


def _check_fits(array: np.ndarray, np_dtype: np.dtype) -> None:
    """torch refuses python numbers out of an integer dtype's range (numpy data wraps).

    An unsigned type also takes negative ints down to -max (they wrap, as two's complement).
    """
    info = np.iinfo(np_dtype)
    low = -info.max if np_dtype.kind == "u" and array.dtype.kind in "iub" else info.min
    if array.size and not np.all((array >= low) & (array <= info.max)):
        raise RuntimeError(f"value cannot be converted to type {np_dtype} without overflow")


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


def _size(size, negative: str | None = None) -> tuple:
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
                negative
                or f"Trying to create tensor with negative dimension {int(s)}: "
                f"{list(map(int, size))}"
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
    size = _size(size, negative="zeros: Dimension size must be non-negative.")
    return _leaf(np.zeros(size, _default_np(dtype)), requires_grad)


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
    if not isinstance(size, (tuple, list)):  # unlike zeros/ones, full takes no bare int
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}"
        )
    return _leaf(np.full(_size((size,)), fill_value, np_dtype), requires_grad)


def arange(
    start, end=None, step=1, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    """Values in [start, end); int64 for integer arguments, else the default float."""
    given = (start,) if end is None else (start, end) if step == 1 else (start, end, step)
    if not all(isinstance(v, (numbers.Number, Tensor)) for v in given):
        if len(given) == 1:
            raise TypeError(
                f"arange(): argument 'end' (position 1) must be Number, not {type(start).__name__}"
            )
        raise TypeError(
            "arange() received an invalid combination of arguments - got "
            f"({', '.join(type(v).__name__ for v in given)}), but expected one of:"
        )
    if end is None:
        start, end = 0, start
    args = tuple(v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    start, end, step = args
    if dtype is not None and dtypes.to_dtype(dtype).np.kind in "iu":
        start, end, step = int(start), int(end), int(step)  # torch truncates each bound first
        if step == 0:
            raise ValueError("step must be nonzero")
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
        if np_dtype == np.bool_:
            raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    values = np.arange(start, end, step, dtype=np.float64 if np_dtype != np.int64 else np.int64)
    return _leaf(values.astype(np_dtype), requires_grad)


def linspace(
    start, end, steps: int, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _leaf(np.linspace(start, end, steps).astype(_default_np(dtype)), requires_grad)


def logspace(
    start,
    end,
    steps: int,
    base: float = 10.0,
    *,
    dtype=None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """base ** linspace(start, end, steps), computed in float64 then cast (ints round down)."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    values = np.power(float(base), np.linspace(start, end, steps))
    return _leaf(values.astype(_default_np(dtype)), requires_grad)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A 0-d tensor holding the number `s`, in the default float dtype unless told."""
    if isinstance(s, Tensor):
        s = s.item()
    if not isinstance(s, numbers.Number):
        raise TypeError(
            f"scalar_tensor(): argument 's' (position 1) must be Number, not {type(s).__name__}"
        )
    return _leaf(np.array(s, _default_np(dtype)), requires_grad)


def eye(
    n: int, m: int | None = None, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    for name, value in (("n", n), ("m", m)):
        if value is not None and int(value) < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {int(value)}")
    if not isinstance(n, (int, np.integer, Tensor)):
        raise TypeError(f"eye(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    return _leaf(
        np.eye(int(n), None if m is None else int(m), dtype=_default_np(dtype)), requires_grad
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
