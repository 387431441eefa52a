"""Order statistics: sort, argsort, msort, topk, median, kthvalue, mode, and the index helpers
unique, searchsorted, bucketize, bincount, isin.

Every value-returning op picks elements by index, so one node serves them all: the gradient
goes back to the picked positions (PyTorch names it per op: SortBackward0, TopkBackward0...).
Ties may pick different indices than PyTorch's kernels (its order among equals is unspecified).
"""

# ruff: noqa: A002 - `input` is PyTorch's argument name

from __future__ import annotations

import operator

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import check_tensor
from .extrema import _ties, return_type
from .reduce import _NO_DIM, int_dim

__all__ = [
    "argsort",
    "bincount",
    "bucketize",
    "isin",
    "kthvalue",
    "median",
    "mode",
    "msort",
    "nanmedian",
    "searchsorted",
    "sort",
    "topk",
    "unique",
]


class _Pick(Op):
    """Values at `index` along `axis`; d/da = g scattered back to the picked positions."""

    @staticmethod
    def forward(ctx, a, index, axis, keepdim):
        ctx.axis, ctx.keepdim = axis, keepdim
        ctx.save_for_backward(index)
        out = np.take_along_axis(a, index, axis)
        return out if keepdim else np.squeeze(out, axis)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved
        if not ctx.keepdim:
            grad = np.expand_dims(grad, ctx.axis)
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.put_along_axis(out, index, grad, ctx.axis)
        return out, None


def _picker(name: str) -> type:
    return type(f"{name}Pick", (_Pick,), {"grad_fn_name": f"{name}Backward0"})


_SortPick, _TopkPick, _KthPick, _ModePick = (
    _picker(n) for n in ("Sort", "Topk", "Kthvalue", "Mode")
)
_MedianPick = type("MedianPick", (_Pick,), {"grad_fn_name": "MedianBackward1"})


class _MedianAll(Op):
    """median() of all elements: as torch's MedianBackward0, saves input and result (both
    version-checked) and splits the gradient evenly among the elements equal to the result."""

    grad_fn_name = "MedianBackward0"

    @staticmethod
    def forward(ctx, a, index):
        out = np.array(a.reshape(-1)[index])  # a copy: the result shares no memory with a
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        mask = _ties(a, out)
        return grad * mask / np.count_nonzero(mask), None


def _order(a: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable sort indices; NaN counts as the largest value, as in PyTorch."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    # reverse, sort ascending, reverse back: descending with ties kept in original order
    n = a.shape[axis]
    flipped = np.argsort(np.flip(a, axis), axis=axis, kind="stable")
    return (n - 1 - np.flip(flipped, axis)).astype(np.int64)


def _pick(op: type, input: Tensor, index: np.ndarray, axis: int, keepdim: bool, name: str):
    values = op.apply(input, index, axis=axis, keepdim=keepdim)
    index = index if keepdim else np.squeeze(index, axis)
    return return_type(name)(values, Tensor._wrap(index.astype(np.int64)))


def _axis(input: Tensor, dim) -> tuple:
    """(array viewed at least 1-d, numpy axis) for a dim of a possibly 0-d tensor."""
    axis = _wrap_dim(operator.index(dim), input.ndim)
    return input.reshape(1) if input.ndim == 0 else input, axis


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False):
    """Sorted values and their indices along `dim` (`torch.return_types.sort`)."""
    check_tensor(input, "sort")
    a, axis = _axis(input, dim)
    index = _order(a._data, axis, descending)
    out = _pick(_SortPick, a, index, axis, True, "sort")
    if input.ndim == 0:
        return return_type("sort")(out[0].reshape(()), out[1].reshape(()))
    return out


def argsort(
    input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False
) -> Tensor:
    """Indices that sort `input` along `dim` (int64, never requires grad)."""
    check_tensor(input, "argsort")
    a, axis = _axis(input, dim)
    index = _order(a._data, axis, descending)
    return Tensor._wrap(index.reshape(input.shape).astype(np.int64))


def msort(input: Tensor) -> Tensor:
    """Values sorted along the first dim."""
    return sort(input, 0)[0]


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    """The k largest (or smallest) values along `dim` and their indices."""
    check_tensor(input, "topk")
    a, axis = _axis(input, dim)
    if not 0 <= k <= a.shape[axis]:
        raise RuntimeError("selected index k out of range")
    index = np.take(_order(a._data, axis, largest), np.arange(k), axis=axis)
    out = _pick(_TopkPick, a, index, axis, True, "topk")
    if input.ndim == 0:
        return return_type("topk")(out[0].reshape(()), out[1].reshape(()))
    return out


def _reduced_axis(input: Tensor, dim, name: str) -> tuple:
    """_axis for ops that pick one element along dim: torch's IndexError when it is empty."""
    a, axis = _axis(input, dim)
    if a.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    return a, axis


def _nth(input: Tensor, dim, keepdim: bool, rank, op: type, name: str):
    """The value of rank `rank(n)` (0-based, sorted ascending) along dim, with its index."""
    a, axis = _reduced_axis(input, dim, name)
    n = a.shape[axis]
    order = _order(a._data, axis, False)
    index = np.take(order, [rank(n)], axis=axis)
    if a._data.dtype.kind == "f":  # a NaN in the slice is the result, as in torch
        has_nan = np.isnan(a._data).any(axis=axis, keepdims=True)
        index = np.where(has_nan, np.take(order, [n - 1], axis=axis), index)
    out = _pick(op, a, index, axis, keepdim or input.ndim == 0, name)
    if input.ndim == 0:
        return return_type(name)(out[0].reshape(()), out[1].reshape(()))
    return out


def median(input: Tensor, dim=_NO_DIM, keepdim: bool = False):
    """Lower median: of all elements (a tensor), or along `dim` (values, indices)."""
    check_tensor(input, "median")
    if dim is _NO_DIM:
        if input.numel() == 0:
            return Tensor._wrap(np.array(np.nan, input._data.dtype))
        flat = input._data.reshape(-1)
        nan = np.flatnonzero(flat != flat)  # a NaN is the result, as in torch
        index = nan[0] if nan.size else _order(flat, 0, False)[(flat.size - 1) // 2]
        return _MedianAll.apply(input, int(index))
    dim = int_dim("median", dim)
    return _nth(input, dim, keepdim, lambda n: (n - 1) // 2, _MedianPick, "median")


def nanmedian(input: Tensor, dim=_NO_DIM, keepdim: bool = False):
    """Median ignoring NaN (all-NaN slices give NaN)."""
    if input._data.dtype.kind == "f" and np.isnan(input._data).any():
        raise NotImplementedError("nanmedian with NaN values is not supported by minitorch_ft")
    return median(input, dim, keepdim)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """The k-th smallest value (1-based) along `dim` and its index."""
    check_tensor(input, "kthvalue")
    a, axis = _reduced_axis(input, dim, "kthvalue")
    if not 1 <= k <= a.shape[axis]:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    return _nth(input, dim, keepdim, lambda n: k - 1, _KthPick, "kthvalue")


def mode(input: Tensor, dim: int = -1, keepdim: bool = False):
    """The most frequent value along `dim` (smallest among ties) and its last index."""
    check_tensor(input, "mode")
    a, axis = _reduced_axis(input, dim, "mode")
    moved = np.moveaxis(a._data, axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    index = np.empty((flat.shape[0], 1), np.int64)
    for row, values in enumerate(flat):
        uniq, counts = np.unique(values, return_counts=True)
        best = uniq[np.argmax(counts)]  # np.unique is sorted: the smallest among ties wins
        index[row, 0] = np.flatnonzero(values == best)[-1]
    index = np.moveaxis(index.reshape(moved.shape[:-1] + (1,)), -1, axis)
    out = _pick(_ModePick, a, index, axis, keepdim or input.ndim == 0, "mode")
    if input.ndim == 0:
        return return_type("mode")(out[0].reshape(()), out[1].reshape(()))
    return out


def unique(
    input: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,  # noqa: A002
    return_counts: bool = False,
    dim=None,
):
    """Distinct elements (sorted), optionally with inverse indices and counts."""
    check_tensor(input, "unique")
    axis = None if dim is None else _wrap_dim(dim, input.ndim)
    values, inverse, counts = np.unique(
        input._data, return_inverse=True, return_counts=True, axis=axis
    )
    out = [Tensor._wrap(values)]
    if return_inverse:
        shape = input.shape if axis is None else (input.shape[axis],)
        out.append(Tensor._wrap(inverse.reshape(shape).astype(np.int64)))
    if return_counts:
        out.append(Tensor._wrap(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def searchsorted(
    sorted_sequence: Tensor,
    input,
    *,
    out_int32: bool = False,
    right: bool = False,
    side=None,
    sorter=None,
) -> Tensor:
    """Insertion indices of `input` into the (last dim of) `sorted_sequence`."""
    side = side or ("right" if right else "left")
    seq = sorted_sequence._data
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, -1)
    values = input._data if isinstance(input, Tensor) else np.asarray(input)
    if seq.ndim <= 1:
        out = np.searchsorted(seq, values, side=side)
    else:
        flat_seq = seq.reshape(-1, seq.shape[-1])
        flat_val = values.reshape(flat_seq.shape[0], -1)
        out = np.stack(
            [np.searchsorted(s, v, side=side) for s, v in zip(flat_seq, flat_val, strict=True)]
        )
        out = out.reshape(values.shape)
    return Tensor._wrap(np.asarray(out, np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries: Tensor, *, out_int32: bool = False, right: bool = False):
    """Bucket index of each element among 1-d `boundaries` (torch.bucketize)."""
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """Counts of each non-negative integer in a 1-d tensor (weighted sums with `weights`)."""
    data = input._data
    if data.ndim != 1 or data.dtype.kind not in "iub":
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if data.size and data.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None if weights is None else weights._data
    out = np.bincount(data, weights=w, minlength=minlength)
    if w is None:
        return Tensor._wrap(out.astype(np.int64))
    # float weights keep their dtype; integral weights count in float64, as torch
    return Tensor._wrap(out.astype(w.dtype if w.dtype.kind == "f" else np.float64))


def isin(elements, test_elements, *, assume_unique: bool = False, invert: bool = False):
    """Elementwise membership of `elements` in `test_elements` (bool)."""
    a = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return Tensor._wrap(np.isin(a, b, invert=invert))


for _name in (
    "argsort",
    "bincount",
    "isin",
    "kthvalue",
    "median",
    "mode",
    "msort",
    "nanmedian",
    "sort",
    "topk",
    "unique",
):
    setattr(Tensor, _name, globals()[_name])
