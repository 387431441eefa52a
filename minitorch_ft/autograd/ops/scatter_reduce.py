"""scatter_reduce(_) and scatter(..., reduce='add'|'multiply'): src combined into input at index.

Each index position i sends src[i] to input[grid(i)]; `include_self=False` leaves input's own
value out of the positions that receive something. torch records no derivative for scatter's
legacy `reduce=` (a NotImplemented node), but differentiates every scatter_reduce mode.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import warnings

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from .gather import _broadcast_grid, _check_index

__all__ = ["scatter_reduce"]

_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum}
_UFUNCS["amin"] = np.minimum
_ALIASES = {"max": "amax", "min": "amin"}  # torch still accepts the old names


def _lifted(a: np.ndarray) -> np.ndarray:
    return a.reshape(1) if a.ndim == 0 else a


def _identity(reduce: str, dtype: np.dtype):
    """The value a position starts from when input's own value is left out."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    high = reduce == "amin"
    if dtype.kind == "f":
        return np.inf if high else -np.inf
    if dtype.kind == "b":
        return high
    info = np.iinfo(dtype)
    return info.max if high else info.min


def _counts(shape, grid, include_self: bool) -> np.ndarray:
    """How many values each position averages (at least 1, so untouched ones divide by 1)."""
    counts = np.full(shape, int(include_self), np.int64)
    np.add.at(counts, grid, 1)
    return np.maximum(counts, 1)


def _reduce(a, src, grid, reduce: str, include_self: bool) -> np.ndarray:
    out = _lifted(a).copy()
    src = _lifted(src)[tuple(slice(0, n) for n in grid[0].shape)]
    if not include_self:
        out[grid] = _identity(reduce, a.dtype)
    _UFUNCS[reduce].at(out, grid, src)
    if reduce == "mean":
        counts = _counts(out.shape, grid, include_self)
        if out.dtype.kind == "f":
            out = (out / counts).astype(out.dtype, copy=False)
        else:  # integer means round toward -inf, as torch's floor division does
            out = np.floor_divide(out, counts).astype(out.dtype, copy=False)
    return out.reshape(a.shape)


class ScatterReduce(Op):
    """out[grid(i)] = reduce(input (if include_self), src[i] for all i sent there).

    sum: d = g; mean: d = g / count; prod: d = g * product of the other values;
    amax/amin: g shared evenly among the values equal to the result.
    """

    @staticmethod
    def forward(ctx, a, src, grid, reduce, include_self):
        ctx.grid, ctx.reduce, ctx.include_self = grid, reduce, include_self
        out = _reduce(a, src, grid, _ALIASES.get(reduce, reduce), include_self)
        ctx.save_for_backward(a, src, out)  # torch saves all three, for every reduce
        return out

    @staticmethod
    def backward(ctx, grad):
        grid, reduce, include_self = ctx.grid, ctx.reduce, ctx.include_self
        if reduce in _ALIASES:  # torch computes the old names forward, not backward
            raise RuntimeError(
                "Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', 'amin' but got "
                f"{reduce}."
            )
        g = _lifted(grad)
        region = tuple(slice(0, n) for n in grid[0].shape)
        a, src, out = (_lifted(x) for x in ctx.saved)  # checks their versions too
        if reduce in ("sum", "mean"):
            per_position = g / _counts(g.shape, grid, include_self) if reduce == "mean" else g
            grad_a, grad_part = per_position, per_position[grid]
        else:
            part = src[region]
            grads = _product_grads if reduce == "prod" else _extreme_grads
            grad_a, grad_part = grads(a, part, out, g, grid, include_self)
        if not include_self:  # input's value at the written positions did not count
            grad_a = grad_a.copy()
            grad_a[grid] = 0
        grad_src = None
        if ctx.needs_input_grad[1]:
            grad_src = np.zeros(_lifted(np.empty(ctx._shapes[1], bool)).shape, grad.dtype)
            grad_src[region] = grad_part
            grad_src = grad_src.reshape(ctx._shapes[1])
        return np.asarray(grad_a, grad.dtype).reshape(grad.shape), grad_src


def _product_grads(a, part, out, g, grid, include_self):
    """d prod / d x = product of the other values: result / x, or the nonzero product when
    x is the only zero there (0 when there are more zeros)."""
    if include_self:
        zeros = (a == 0).astype(np.int64)
        nonzero = np.where(a == 0, 1, a)
    else:
        zeros = np.zeros(a.shape, np.int64)
        nonzero = np.ones_like(a)
    np.add.at(zeros, grid, (part == 0).astype(np.int64))
    np.multiply.at(nonzero, grid, np.where(part == 0, 1, part))

    def others(x, n_zero, prod):
        safe = np.where(x == 0, 1, x)
        return np.where(
            x == 0, np.where(n_zero == 1, prod, 0), np.where(n_zero == 0, prod / safe, 0)
        )

    grad_a = g * others(a, zeros, nonzero) if include_self else g
    return grad_a, g[grid] * others(part, zeros[grid], nonzero[grid])


def _extreme_grads(a, part, out, g, grid, include_self):
    """amax/amin: each value equal to the result takes g / (how many are equal).

    Like torch, input's own value counts as a tie even when include_self=False (it then
    gets no gradient, so the src values share less than g).
    """
    self_hit = a == out
    src_hit = part == out[grid]
    ties = self_hit.astype(g.dtype)
    np.add.at(ties, grid, src_hit.astype(g.dtype))
    shared = g / np.maximum(ties, 1)
    return np.where(self_hit, shared, 0), np.where(src_hit, shared[grid], 0)


def _prepare(input: Tensor, dim: int, index: Tensor, src: Tensor):
    axis = _wrap_dim(dim, input.ndim)
    _check_index("scatter", input, axis, index, src)
    if input._data.dtype != src._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    return _broadcast_grid(_lifted(index._data), axis)


def scatter_reduce(
    input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """input with src reduced in at index along dim: 'sum', 'prod', 'mean', 'amax' or 'amin'."""
    if _ALIASES.get(reduce, reduce) not in _UFUNCS:
        raise RuntimeError(
            f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
        )
    grid = _prepare(input, dim, index, src)
    if reduce == "mean" and input._data.dtype == np.bool_:
        raise NotImplementedError(
            "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'"
        )
    return ScatterReduce.apply(input, src, grid=grid, reduce=reduce, include_self=include_self)


def scatter_reduce_(
    input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """In-place scatter_reduce."""
    from .inplace import apply_inplace  # inplace imports the op families it wraps

    return apply_inplace(
        input,
        lambda t, s: scatter_reduce(t, dim, index, s, reduce, include_self=include_self),
        src,
    )


class ScatterWithReduce(Op):
    """scatter(..., reduce='add'|'multiply'): torch defines no derivative for it."""

    grad_fn_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, src, grid, reduce, aten):
        ctx.aten = aten
        if not isinstance(src, np.ndarray) or src.ndim == 0:  # a number goes to every position
            src = np.broadcast_to(np.asarray(src, a.dtype), grid[0].shape)
        return _reduce(a, src, grid, reduce, include_self=True)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError(f"derivative for aten::{ctx.aten} is not implemented")


ScatterWithReduce._node_type.name = lambda self: "torch::autograd::NotImplemented"


def scatter_with_reduce(
    input: Tensor, dim: int, index: Tensor, src, reduce: str, aten: str = "scatter"
) -> Tensor:
    """The legacy `scatter(dim, index, src or value, reduce=...)` (torch.scatter's reduce=)."""
    if reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    mode = "sum" if reduce == "add" else "prod"
    if isinstance(src, Tensor):
        grid = _prepare(input, dim, index, src)
        warnings.warn(
            "The reduce argument of torch.scatter with Tensor src is deprecated and will be "
            "removed in a future PyTorch release. Use torch.scatter_reduce instead for more "
            "reduction options.",
            UserWarning,
            stacklevel=3,
        )
        return ScatterWithReduce.apply(input, src, grid=grid, reduce=mode, aten=aten)
    axis = _wrap_dim(dim, input.ndim)
    _check_index("scatter", input, axis, index)
    value = np.asarray(src).astype(input._data.dtype)
    grid = _broadcast_grid(_lifted(index._data), axis)
    return ScatterWithReduce.apply(input, value, grid=grid, reduce=mode, aten=aten)


Tensor.scatter_reduce = scatter_reduce
Tensor.scatter_reduce_ = scatter_reduce_
