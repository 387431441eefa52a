"""Running and paired reductions: cumprod, cummax, cummin, logcumsumexp, var_mean, std_mean,
nansum, nanmean and diff (the ones `reduce.py` does not hold), with PyTorch's grad_fn names.

A running op of a 0-d tensor is its element, recorded under the op's own node (as torch).
"""

# ruff: noqa: A001, A002 - `input` is PyTorch's argument name

from __future__ import annotations

import operator

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import quiet, type_name
from .extrema import return_type
from .reduce import Mean, Std, Sum, Var, _int_result, _var_args, expand_reduced, reduce_axes

__all__ = [
    "cummax",
    "cummin",
    "cumprod",
    "diff",
    "logcumsumexp",
    "nanmean",
    "nansum",
    "std_mean",
    "var_mean",
]


class Cumprod(Op):
    """Running product; d a_i = sum_{j>=i} g_j out_j / a_i (exact products where a has zeros)."""

    @staticmethod
    def forward(ctx, a, axis):
        ctx.axis = axis
        if axis is None:
            out = a.copy()
        else:  # contiguous whatever the input's layout, as torch
            out = np.ascontiguousarray(np.cumprod(a, axis=axis, dtype=a.dtype))
        ctx.save_for_backward(a, out)  # input and result, as torch's CumprodBackward0
        return out

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.saved
        if ctx.axis is None:
            return grad, None
        x = np.moveaxis(a, ctx.axis, -1)
        g = np.moveaxis(grad, ctx.axis, -1)
        n = x.shape[-1]
        # d out_j / d a_i = prod_{k <= j, k != i} a_k: build it with a_i replaced by 1
        eye = np.eye(n, dtype=bool)
        replaced = np.where(eye, 1, x[..., None, :])  # [..., i, k]
        partial = np.cumprod(replaced, axis=-1)  # [..., i, j]
        upper = np.triu(np.ones((n, n), dtype=bool))  # only j >= i
        out = np.sum(np.where(upper, partial, 0) * g[..., None, :], axis=-1)
        return np.moveaxis(out, -1, ctx.axis).astype(a.dtype, copy=False), None


def cumprod(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Cumulative product along `dim`; ints and bools accumulate in int64."""
    input = _int_result(input, dtype)
    axis = _wrap_dim(operator.index(dim), input.ndim)
    return Cumprod.apply(input, axis=axis if input.ndim else None)


class Logcumsumexp(Op):
    """Running log(sum(exp(a))) along a dim.

    d out_j / d a_i = exp(a_i - out_j) for i <= j, so d a_i = sum_{j>=i} g_j exp(a_i - out_j),
    summed in log space (a reversed logcumsumexp of log|g_j| - out_j), the positive and the
    negative parts of g apart, so large values neither overflow nor cancel.
    """

    @staticmethod
    @quiet
    def forward(ctx, a, axis):
        ctx.axis = axis
        out = a.copy() if axis is None else np.ascontiguousarray(np.logaddexp.accumulate(a, axis))
        ctx.save_for_backward(a, out)  # as torch's LogcumsumexpBackward0
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, out = ctx.saved
        if ctx.axis is None:
            return grad, None
        axis = ctx.axis

        def part(g):  # log sum_{j>=i} g_j exp(-out_j) for g >= 0 (-inf where all g_j are 0)
            terms = np.where(g > 0, np.log(g) - out, -np.inf)
            return np.flip(np.logaddexp.accumulate(np.flip(terms, axis), axis=axis), axis)

        result = np.exp(a + part(np.maximum(grad, 0))) - np.exp(a + part(np.maximum(-grad, 0)))
        return result.astype(a.dtype, copy=False), None


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """log(cumsum(exp(input), dim)), computed without overflow; floating inputs only."""
    axis = _wrap_dim(operator.index(dim), input.ndim)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"logcumsumexp_out_cpu\" not implemented for '{type_name(input._data.dtype)}'"
        )
    return Logcumsumexp.apply(input, axis=axis if input.ndim else None)


class _CumExtreme(Op):
    """Running max/min; the gradient goes to the index that held the extreme."""

    @staticmethod
    def forward(ctx, a, index, axis):
        ctx.axis = axis
        ctx.save_for_backward(index, a)  # torch saves the input too (version-checked)
        return a.copy() if axis is None else np.take_along_axis(a, index, axis)

    @staticmethod
    def backward(ctx, grad):
        if ctx.axis is None:
            return grad, None
        index, _ = ctx.saved
        out = np.zeros(ctx._shapes[0], grad.dtype)
        moved = np.moveaxis(out, ctx.axis, -1)
        idx, g = np.moveaxis(index, ctx.axis, -1), np.moveaxis(grad, ctx.axis, -1)
        rows = np.indices(idx.shape)[:-1]
        np.add.at(moved, (*rows, idx), g)
        return out, None


class Cummax(_CumExtreme):
    pass


class Cummin(_CumExtreme):
    pass


def _cum_extreme(input: Tensor, dim: int, better, op: type, name: str):
    if input.ndim == 0:
        if operator.index(dim) not in (0, -1):
            raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
        index = np.zeros((), np.int64)
        values = op.apply(input, index, axis=None)
        return return_type(name)(values, Tensor._wrap(index))
    axis = _wrap_dim(operator.index(dim), input.ndim)
    x = np.moveaxis(input._data, axis, -1)
    index = np.zeros(x.shape, np.int64)
    best = x[..., 0].copy() if x.shape[-1] else None
    for j in range(1, x.shape[-1]):
        # later ties win, as in torch; NaN sticks once seen
        take = better(x[..., j], best) | (x[..., j] == best) | (x[..., j] != x[..., j])
        take &= best == best
        index[..., j] = np.where(take, j, index[..., j - 1])
        best = np.where(take, x[..., j], best)
    index = np.ascontiguousarray(np.moveaxis(index, -1, axis))  # contiguous results, as torch
    values = op.apply(input, index, axis=axis)
    return return_type(name)(values, Tensor._wrap(index))


def cummax(input: Tensor, dim: int):
    """Running maximum along `dim` and the index where it was found."""
    return _cum_extreme(input, dim, np.greater, Cummax, "cummax")


def cummin(input: Tensor, dim: int):
    """Running minimum along `dim` and the index where it was found."""
    return _cum_extreme(input, dim, np.less, Cummin, "cummin")


class _VarOfPair(Var):
    grad_fn_name = "VarMeanBackward0"


class _StdOfPair(Std):
    grad_fn_name = "StdMeanBackward0"


class _MeanOfVar(Mean):
    grad_fn_name = "VarMeanBackward0"


class _MeanOfStd(Mean):
    grad_fn_name = "StdMeanBackward0"


def var_mean(
    input: Tensor, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None
) -> tuple:
    """(var, mean) over `dim`, as torch.var_mean."""
    axes, correction = _var_args("var_mean", input, dim, unbiased, correction)
    return (
        _VarOfPair.apply(input, axes=axes, keepdim=keepdim, correction=correction),
        _MeanOfVar.apply(input, axes=axes, keepdim=keepdim),
    )


def std_mean(
    input: Tensor, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None
) -> tuple:
    """(std, mean) over `dim`, as torch.std_mean."""
    axes, correction = _var_args("std_mean", input, dim, unbiased, correction)
    return (
        _StdOfPair.apply(input, axes=axes, keepdim=keepdim, correction=correction),
        _MeanOfStd.apply(input, axes=axes, keepdim=keepdim),
    )


class Nansum(Sum):
    """Sum treating NaN as 0; d/da = g where a is not NaN, else 0."""

    @staticmethod
    def forward(ctx, a, axes, keepdim, dtype=None):
        ctx.axes, ctx.keepdim = axes, keepdim
        ctx.save_for_backward(a)
        out_dtype = a.dtype if dtype is None else dtype  # nanmean's dtype= sums in it directly
        out = np.nansum(a, axis=axes, keepdims=keepdim, dtype=out_dtype)
        return np.asarray(out, out_dtype, order="C")  # contiguous, as torch's

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        g = expand_reduced(grad, ctx.axes, ctx.keepdim, a.shape)
        return np.where(np.isnan(a), 0, g).astype(a.dtype, copy=False)


def nansum(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    input = _int_result(input, dtype)
    return Nansum.apply(input, axes=reduce_axes(dim, input.ndim), keepdim=keepdim)


def nanmean(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mean of the non-NaN elements (torch composes nansum / count)."""
    if input._data.dtype.kind != "f":
        raise RuntimeError(
            "nanmean(): expected input to have floating point or complex dtype "
            f"but got {type_name(input._data.dtype)}"
        )
    out_dtype = input._data.dtype
    if dtype is not None:
        out_dtype = dtypes.to_dtype(dtype).np
        if out_dtype.kind != "f":
            raise RuntimeError(
                "nanmean(): could not infer output dtype. Optional dtype must be either a "
                f"floating point or complex dtype. Got: {type_name(out_dtype)}"
            )
    axes = reduce_axes(dim, input.ndim)
    count = (~np.isnan(input._data)).sum(axis=axes, keepdims=keepdim)
    total = Nansum.apply(input, axes=axes, keepdim=keepdim, dtype=out_dtype)
    return total / Tensor._wrap(np.asarray(count, out_dtype))


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """n-th forward difference along `dim` (out[i] = x[i+1] - x[i])."""
    from .combine import cat

    axis = _wrap_dim(dim, input.ndim)
    parts = [t for t in (prepend, input, append) if t is not None]
    x = cat(parts, axis) if len(parts) > 1 else input
    for _ in range(n):
        size = x.shape[axis]
        if size == 0:
            break
        x = x.narrow(axis, 1, size - 1) - x.narrow(axis, 0, size - 1)
    return x


for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
