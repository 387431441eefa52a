"""Random tensor factories: `rand`, `randn`, `randint`, `randperm` and their `_like` forms."""

from __future__ import annotations

import numpy as np

from . import dtypes
from .creation import _default_np, _leaf, _like, _size
from .generator import rng
from .tensor import Tensor


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


def randint_like(
    input: Tensor,
    low: int = 0,
    high: int | None = None,
    *,
    dtype=None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers in [low, high) shaped and typed like input (`randint_like(x, high)` too)."""
    if high is None:
        low, high = 0, low
    shape, np_dtype = _like(input, dtype)
    if np_dtype == np.bool_ and high > 2:
        raise RuntimeError("to - 1 is out of bounds for bool")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    return _leaf(rng().integers(low, high, size=shape).astype(np_dtype), requires_grad)


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
