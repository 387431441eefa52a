"""Reductions: sum, mean, prod, var/std, logsumexp, norm, cumsum, all/any, count_nonzero.

Dtypes follow PyTorch: integer and bool sums/products give int64, mean/var/norm refuse
integers. max/min/amax/amin/argmax/argmin live in `extrema.py`.
"""

# ruff: noqa: A001, A002 - `input`, `sum`, `max`... are PyTorch's names

from __future__ import annotations

import operator
import warnings

import numpy as np

from .. import dtypes, grad_mode
from ..function import Op
from ..tensor import Tensor, _wrap_dim

__all__ = [
    "all",
    "any",
    "count_nonzero",
    "cumsum",
    "logsumexp",
    "mean",
    "prod",
    "std",
    "sum",
    "var",
]

# PyTorch's scalar-type names, used in its dtype error messages.
SCALAR_NAMES = {
    "bool": "Bool",
    "uint8": "Byte",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "float16": "Half",
    "float32": "Float",
    "float64": "Double",
}

_NO_DIM = object()  # `sum()` and `sum(dim=None)` record different nodes in PyTorch


def int_dim(name: str, dim, overloaded: bool = False) -> int:
    """`dim` as an int, or torch's TypeError (worded for `dim=` given by keyword) for a
    tuple, list, float or None; ops with other overloads (max, min, prod) report the call."""
    try:
        return operator.index(dim)
    except TypeError:
        pass
    kind = type(dim).__name__
    if overloaded:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (dim={kind}, ), "
            "but expected one of:"
        )
    raise TypeError(f"{name}(): argument 'dim' must be int, not {kind}")


def reduce_axes(dim, ndim: int) -> tuple:
    """numpy axes for a PyTorch `dim` (int, sequence or None); None and () mean every dim."""
    dims = dim if isinstance(dim, (tuple, list)) else () if dim is None else (dim,)
    axes: list[int] = []
    for d in dims:
        axis = _wrap_dim(operator.index(d), ndim)
        if axis in axes:
            raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
        axes.append(axis)
    if ndim == 0:
        return ()
    return tuple(axes) if axes else tuple(range(ndim))


def expand_reduced(grad: np.ndarray, axes: tuple, keepdim: bool, shape: tuple) -> np.ndarray:
    """Broadcast a reduction's output gradient back over the reduced axes."""
    if not keepdim and axes:
        # reshape, not np.expand_dims: same result, a fraction of the Python overhead
        grad = grad.reshape(tuple(1 if i in axes else s for i, s in enumerate(shape)))
    return np.broadcast_to(grad, shape)


def _count(shape: tuple, axes: tuple) -> int:
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def _require_float(input: Tensor, message: str) -> None:
    if input._data.dtype.kind != "f":
        raise RuntimeError(message.format(SCALAR_NAMES[input._data.dtype.name]))


def _cast(input: Tensor, dtype) -> Tensor:
    """Apply a reduction's `dtype=` argument: PyTorch casts the input before reducing."""
    if dtype is None:
        return input
    dtype = dtypes.to_dtype(dtype)
    if input.requires_grad and grad_mode.is_grad_enabled() and not dtype.is_floating_point:
        raise RuntimeError(f"Autograd not support dtype: {SCALAR_NAMES[dtype.name]}")
    return input.to(dtype)


def _int_result(input: Tensor, dtype) -> Tensor:
    """Integer and bool inputs accumulate in int64, like PyTorch."""
    if dtype is None and input._data.dtype.kind in "biu":
        return Tensor._wrap(input._data.astype(np.int64))
    return _cast(input, dtype)


class Sum(Op):
    """Sum over axes; d/da = g broadcast back over the summed axes."""

    @staticmethod
    def forward(ctx, a, axes, keepdim):
        ctx.axes, ctx.keepdim = axes, keepdim
        # float16 accumulates in float32, as PyTorch does.
        acc = np.float32 if a.dtype == np.float16 else None
        # order="C": contiguous as torch's, where numpy keeps a permuted input's order
        return np.asarray(np.sum(a, axis=axes, keepdims=keepdim, dtype=acc), a.dtype, order="C")

    @staticmethod
    def backward(ctx, grad):
        return expand_reduced(grad, ctx.axes, ctx.keepdim, ctx._shapes[0])


class SumDim(Sum):
    grad_fn_name = "SumBackward1"


class Mean(Op):
    """Mean over axes; d/da = g / n broadcast back."""

    @staticmethod
    def forward(ctx, a, axes, keepdim):
        ctx.axes, ctx.keepdim = axes, keepdim
        n = _count(a.shape, axes)
        ctx.n = n
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(np.sum(a, axis=axes, keepdims=keepdim) / n, a.dtype, order="C")

    @staticmethod
    def backward(ctx, grad):
        return expand_reduced(grad / ctx.n, ctx.axes, ctx.keepdim, ctx._shapes[0])


class MeanDim(Mean):
    grad_fn_name = "MeanBackward1"


def sum(input: Tensor, dim=_NO_DIM, keepdim: bool = False, *, dtype=None, axis=None) -> Tensor:
    """Sum of elements over `dim` (all when None); ints and bools give int64."""
    if axis is not None:
        dim = axis
    input = _int_result(input, dtype)
    op = Sum if dim is _NO_DIM else SumDim
    axes = reduce_axes(None if dim is _NO_DIM else dim, input.ndim)
    return op.apply(input, axes=axes, keepdim=keepdim)


def mean(input: Tensor, dim=_NO_DIM, keepdim: bool = False, *, dtype=None, axis=None) -> Tensor:
    """Arithmetic mean over `dim`; integer inputs need an explicit floating `dtype`."""
    if axis is not None:
        dim = axis
    input = _cast(input, dtype)
    _require_float(
        input,
        f"mean(): could not infer output dtype. {'Input' if dtype is None else 'Optional'} "
        "dtype must be either a floating point or complex dtype. Got: {}",
    )
    op = Mean if dim is _NO_DIM else MeanDim
    axes = reduce_axes(None if dim is _NO_DIM else dim, input.ndim)
    return op.apply(input, axes=axes, keepdim=keepdim)


class Var(Op):
    """Variance with a correction; d/da = g * 2 (a - mean) / (n - correction).

    Saves the input (as torch's VarBackward0), so changing it in place makes backward raise.
    """

    @staticmethod
    def forward(ctx, a, axes, keepdim, correction):
        centered = a - np.mean(a, axis=axes, keepdims=True)
        divisor = max(_count(a.shape, axes) - correction, 0)
        ctx.axes, ctx.keepdim, ctx.divisor = axes, keepdim, divisor
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(
                np.sum(centered * centered, axis=axes, keepdims=keepdim) / divisor,
                a.dtype,
                order="C",
            )

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        centered = a - np.mean(a, axis=ctx.axes, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            return expand_reduced(grad, ctx.axes, ctx.keepdim, centered.shape) * (
                centered * 2 / ctx.divisor
            )


class Std(Op):
    """Standard deviation; d/da = g * (a - mean) / ((n - correction) * std), 0 where std = 0."""

    @staticmethod
    def forward(ctx, a, axes, keepdim, correction):
        centered = a - np.mean(a, axis=axes, keepdims=True)
        divisor = max(_count(a.shape, axes) - correction, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.sqrt(np.sum(centered * centered, axis=axes, keepdims=keepdim) / divisor)
        out = np.asarray(out, a.dtype, order="C")
        ctx.axes, ctx.keepdim, ctx.divisor = axes, keepdim, divisor
        ctx.save_for_backward(a, out)  # input and result, as torch's StdBackward0
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        centered = a - np.mean(a, axis=ctx.axes, keepdims=True)
        g = expand_reduced(grad, ctx.axes, ctx.keepdim, centered.shape)
        out = expand_reduced(out, ctx.axes, ctx.keepdim, centered.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(out == 0, 0, 1 / (out * ctx.divisor))
        return g * centered * scale.astype(centered.dtype)


def _var_args(name: str, input: Tensor, dim, unbiased, correction):
    if isinstance(dim, bool):  # var(input, unbiased) overload
        dim, unbiased = None, dim
    if correction is None:
        correction = 0 if unbiased is False else 1
    pair = name if name.endswith("_mean") else "std and var"  # std_mean/var_mean say theirs
    _require_float(input, f"{pair} only support floating point and complex dtypes")
    axes = reduce_axes(dim, input.ndim)
    if _count(input.shape, axes) - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than "
            "the reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )
    return axes, correction


def var(
    input: Tensor, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None
) -> Tensor:
    """Variance over `dim` with Bessel's correction by default (`correction=1`)."""
    axes, correction = _var_args("var", input, dim, unbiased, correction)
    return Var.apply(input, axes=axes, keepdim=keepdim, correction=correction)


def std(
    input: Tensor, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None
) -> Tensor:
    """Standard deviation over `dim` with Bessel's correction by default."""
    axes, correction = _var_args("std", input, dim, unbiased, correction)
    return Std.apply(input, axes=axes, keepdim=keepdim, correction=correction)


class Logsumexp(Op):
    """log(sum(exp(a))) computed stably; d/da = g * exp(a - out)."""

    @staticmethod
    def forward(ctx, a, axes, keepdim):
        # Shift by the max so exp never overflows; an infinite max shifts by 0 instead.
        shift = np.max(a, axis=axes, keepdims=True) if a.size else np.zeros((1,) * a.ndim)
        shift = np.where(np.isfinite(shift), shift, 0).astype(a.dtype)
        with np.errstate(divide="ignore"):
            out = np.log(np.sum(np.exp(a - shift), axis=axes, keepdims=True)) + shift
        out = np.asarray(out if keepdim else np.squeeze(out, axes), order="C")
        ctx.axes, ctx.keepdim = axes, keepdim
        ctx.save_for_backward(a, out)  # the returned array: its in-place change is caught
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        out = expand_reduced(out, ctx.axes, ctx.keepdim, a.shape)
        with np.errstate(invalid="ignore"):
            return expand_reduced(grad, ctx.axes, ctx.keepdim, a.shape) * np.exp(a - out)


def logsumexp(input: Tensor, dim=_NO_DIM, keepdim: bool = False) -> Tensor:
    """log(sum(exp(input))) over `dim`, without overflow; integers compute in float."""
    if dim is _NO_DIM:  # a required argument, reported in torch's words
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    if dim is None:
        raise TypeError(
            "logsumexp(): argument 'dim' (position 1) must be tuple of ints, not NoneType"
        )
    if input._data.dtype.kind != "f":
        input = input.to(dtypes.get_default_dtype())
    return Logsumexp.apply(input, axes=reduce_axes(dim, input.ndim), keepdim=keepdim)


def _others_product(a: np.ndarray, axis: int) -> np.ndarray:
    """Product of every other element along axis, exact with zeros (no division)."""
    ones = np.ones_like(np.take(a, [0], axis=axis))
    left = np.concatenate([ones, np.cumprod(a, axis=axis)], axis=axis)
    flipped = np.flip(a, axis=axis)
    right = np.flip(np.concatenate([ones, np.cumprod(flipped, axis=axis)], axis=axis), axis=axis)
    n = a.shape[axis]
    return np.take(left, range(n), axis=axis) * np.take(right, range(1, n + 1), axis=axis)


class Prod(Op):
    """Product of all elements; d/da_i = g * prod of the others (correct with zeros).

    Saves input and result, as torch's ProdBackward0 (both are version-checked).
    """

    @staticmethod
    def forward(ctx, a):
        out = np.asarray(np.prod(a), a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.saved
        if a.size == 0:
            return np.zeros_like(a)
        return (grad * _others_product(a.reshape(-1), 0)).reshape(a.shape)


class ProdDim(Op):
    """Product along one dim; d/da_i = g * product of the others along that dim."""

    grad_fn_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, a, axis, keepdim):
        ctx.axis, ctx.keepdim = axis, keepdim
        axes = () if axis is None else (axis,)
        out = np.asarray(np.prod(a, axis=axes, keepdims=keepdim), a.dtype, order="C")
        ctx.save_for_backward(a, out)  # as torch's ProdBackward1
        return out

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.saved
        if ctx.axis is None:
            return grad * np.ones_like(a)
        g = expand_reduced(grad, (ctx.axis,), ctx.keepdim, a.shape)
        if a.shape[ctx.axis] == 0:
            return np.zeros_like(a)
        return g * _others_product(a, ctx.axis)


def prod(input: Tensor, dim=_NO_DIM, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Product of elements (of one `dim`); ints and bools give int64."""
    input = _int_result(input, dtype)
    if dim is _NO_DIM:
        return Prod.apply(input)
    axis = _wrap_dim(int_dim("prod", dim, overloaded=True), input.ndim)
    return ProdDim.apply(input, axis=axis if input.ndim else None, keepdim=keepdim)


class Cumsum(Op):
    """Running sum along a dim; d/da = reversed running sum of g."""

    @staticmethod
    def forward(ctx, a, axis):
        ctx.axis = axis
        if axis is None:
            return a.copy()
        # contiguous whatever the input's layout, as torch
        return np.ascontiguousarray(np.cumsum(a, axis=axis, dtype=a.dtype))

    @staticmethod
    def backward(ctx, grad):
        if ctx.axis is None:
            return grad
        return np.flip(np.cumsum(np.flip(grad, ctx.axis), axis=ctx.axis), ctx.axis)


def cumsum(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Cumulative sum along `dim`; ints and bools accumulate in int64."""
    input = _int_result(input, dtype)
    axis = _wrap_dim(operator.index(dim), input.ndim)
    return Cumsum.apply(input, axis=axis if input.ndim else None)


def _logical_reduce(ufunc, input: Tensor, dim, keepdim: bool) -> Tensor:
    # Unlike sum, all/any read an empty dim list as "reduce nothing".
    empty = isinstance(dim, (tuple, list)) and not dim
    axes = () if empty else reduce_axes(dim, input.ndim)
    out = np.asarray(ufunc.reduce(input._data != 0, axis=axes, keepdims=keepdim), order="C")
    # uint8 inputs keep their dtype, as PyTorch's all/any do.
    return Tensor._wrap(np.asarray(out, np.uint8 if input._data.dtype == np.uint8 else bool))


def all(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """True where every element along `dim` is non-zero."""
    return _logical_reduce(np.logical_and, input, dim, keepdim)


def any(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """True where some element along `dim` is non-zero."""
    return _logical_reduce(np.logical_or, input, dim, keepdim)


def count_nonzero(input: Tensor, dim=None) -> Tensor:
    """Number of non-zero elements over `dim`, as int64."""
    axes = reduce_axes(dim, input.ndim)
    return Tensor._wrap(np.asarray(np.count_nonzero(input._data, axis=axes), np.int64, order="C"))


Tensor.sum = sum
Tensor.mean = mean
Tensor.var = var
Tensor.std = std
Tensor.logsumexp = logsumexp
Tensor.prod = prod
Tensor.cumsum = cumsum
Tensor.all = all
Tensor.any = any
Tensor.count_nonzero = count_nonzero
