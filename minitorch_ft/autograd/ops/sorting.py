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
    def forward(ctx, a, index, axis, keepdim, keep_layout=False):
        ctx.axis, ctx.keepdim = axis, keepdim
        if axis is None:  # a 0-d input: its element (torch records the op's node all the same)
            return a.copy()
        ctx.save_for_backward(index)
        out = np.take_along_axis(a, index, axis)
        if keep_layout:
            out = _laid_out_like(a, out)
        return out if keepdim else np.squeeze(out, axis)

    @staticmethod
    def backward(ctx, grad):
        if ctx.axis is None:
            return grad, None
        (index,) = ctx.saved
        if not ctx.keepdim:
            grad = np.expand_dims(grad, ctx.axis)
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.put_along_axis(out, index, grad, ctx.axis)
        return out, None


def _laid_out_like(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """`out` with the memory layout of `a`: torch's sort/argsort results keep the input's
    stride order (a transposed input gives transposed results); an expanded input (elements
    sharing memory) gives contiguous ones."""
    if a.flags.c_contiguous or 0 in a.strides and a.size:
        return out if out.flags.c_contiguous else np.ascontiguousarray(out)
    laid = np.empty_like(a, dtype=out.dtype)
    laid[...] = out
    return laid


def _picker(name: str) -> type:
    return type(f"{name}Pick", (_Pick,), {"grad_fn_name": f"{name}Backward0"})


_SortPick, _TopkPick, _KthPick, _ModePick = (
    _picker(n) for n in ("Sort", "Topk", "Kthvalue", "Mode")
)
_MedianPick = type("MedianPick", (_Pick,), {"grad_fn_name": "MedianBackward1"})
_NanmedianPick = type("NanmedianPick", (_Pick,), {"grad_fn_name": "NanmedianBackward1"})
# torch.sort's overload with the `stable` keyword
_StableSortPick = type("StableSortPick", (_Pick,), {"grad_fn_name": "SortBackward1"})


class _MedianAll(Op):
    """median() of all elements: as torch's MedianBackward0, saves input and result (both
    version-checked) and splits the gradient evenly among the elements equal to the result."""

    grad_fn_name = "MedianBackward0"

    @staticmethod
    def forward(ctx, a, index):
        if index is None:  # no elements: NaN (cast to the dtype, as torch)
            with np.errstate(invalid="ignore"):
                out = np.array(np.nan).astype(a.dtype)
        else:  # a copy: the result shares no memory with a
            out = np.array(a.reshape(-1)[index])
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        if a.size == 0:
            return np.zeros_like(a), None
        mask = _ties(a, out)
        return grad * mask / np.count_nonzero(mask), None


class _NanmedianAll(_MedianAll):
    grad_fn_name = "NanmedianBackward0"


def _order(a: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable sort indices; NaN counts as the largest value, as in PyTorch."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    # reverse, sort ascending, reverse back: descending with ties kept in original order
    n = a.shape[axis]
    flipped = np.argsort(np.flip(a, axis), axis=axis, kind="stable")
    return (n - 1 - np.flip(flipped, axis)).astype(np.int64)


def _pick(op: type, input: Tensor, index: np.ndarray, axis: int, keepdim: bool, name: str):
    if input.ndim == 0:  # the element itself at index 0, whatever k was (as torch)
        index, axis, keepdim = np.zeros((), np.int64), None, True
    if op is _SortPick or op is _StableSortPick:
        values = op.apply(input, index, axis=axis, keepdim=keepdim, keep_layout=True)
        index = _laid_out_like(input._data, index)
        return return_type(name)(values, Tensor._wrap(index))
    values = op.apply(input, index, axis=axis, keepdim=keepdim)
    index = index if keepdim else np.squeeze(index, axis)
    return return_type(name)(values, Tensor._wrap(index.astype(np.int64)))


def _axis(input: Tensor, dim) -> tuple:
    """(data viewed at least 1-d, numpy axis) for a dim of a possibly 0-d tensor."""
    axis = _wrap_dim(operator.index(dim), input.ndim)
    return input._data.reshape(1) if input.ndim == 0 else input._data, axis


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable=None):
    """Sorted values and their indices along `dim` (`torch.return_types.sort`); always stable.

    Passing `stable` selects torch's other overload, which names its node SortBackward1."""
    check_tensor(input, "sort")
    data, axis = _axis(input, dim)
    index = _order(data, axis, descending)
    op = _SortPick if stable is None else _StableSortPick
    return _pick(op, input, index, axis, True, "sort")


def argsort(
    input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False
) -> Tensor:
    """Indices that sort `input` along `dim` (int64, never requires grad)."""
    check_tensor(input, "argsort")
    data, axis = _axis(input, dim)
    index = _order(data, axis, descending)
    return Tensor._wrap(_laid_out_like(input._data, index.reshape(input.shape)))


def msort(input: Tensor) -> Tensor:
    """Values sorted along the first dim."""
    return sort(input, 0)[0]


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    """The k largest (or smallest) values along `dim` and their indices."""
    check_tensor(input, "topk")
    data, axis = _axis(input, dim)
    if not 0 <= k <= data.shape[axis]:
        raise RuntimeError("selected index k out of range")
    index = np.take(_order(data, axis, largest), np.arange(k), axis=axis)
    return _pick(_TopkPick, input, index, axis, True, "topk")


def _reduced_axis(input: Tensor, dim, name: str) -> tuple:
    """_axis for ops that pick one element along dim: torch's IndexError when it is empty."""
    data, axis = _axis(input, dim)
    if data.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    return data, axis


def _nth(input: Tensor, dim, keepdim: bool, rank, op: type, name: str):
    """The value of rank `rank(n)` (0-based, sorted ascending) along dim, with its index."""
    # (torch's nanmedian reports an empty dim as median does)
    data, axis = _reduced_axis(input, dim, name.removeprefix("nan"))
    n = data.shape[axis]
    order = _order(data, axis, False)
    index = np.take(order, [rank(n)], axis=axis)
    if data.dtype.kind == "f":  # a NaN in the slice is the result, as in torch
        has_nan = np.isnan(data).any(axis=axis, keepdims=True)
        index = np.where(has_nan, np.take(order, [n - 1], axis=axis), index)
    return _pick(op, input, index, axis, keepdim, name)


def median(input: Tensor, dim=_NO_DIM, keepdim: bool = False):
    """Lower median: of all elements (a tensor), or along `dim` (values, indices)."""
    return _median(input, dim, keepdim, False)


def nanmedian(input: Tensor, dim=_NO_DIM, keepdim: bool = False):
    """Median ignoring NaN (all-NaN slices give NaN)."""
    if input._data.dtype.kind == "f" and np.isnan(input._data).any():
        raise NotImplementedError("nanmedian with NaN values is not supported by minitorch_ft")
    return _median(input, dim, keepdim, True)


def _median(input: Tensor, dim, keepdim: bool, nan_variant: bool):
    """median or nanmedian (same values here, torch's own node names)."""
    name = "nanmedian" if nan_variant else "median"
    check_tensor(input, name)
    if dim is _NO_DIM:
        index = None  # no elements: NaN
        if input.numel():
            flat = input._data.reshape(-1)
            nan = np.flatnonzero(flat != flat)  # a NaN is the result, as in torch
            index = int(nan[0] if nan.size else _order(flat, 0, False)[(flat.size - 1) // 2])
        return (_NanmedianAll if nan_variant else _MedianAll).apply(input, index)
    dim = int_dim(name, dim)
    op = _NanmedianPick if nan_variant else _MedianPick
    return _nth(input, dim, keepdim, lambda n: (n - 1) // 2, op, name)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """The k-th smallest value (1-based) along `dim` and its index."""
    check_tensor(input, "kthvalue")
    data, axis = _reduced_axis(input, dim, "kthvalue")
    if not 1 <= k <= data.shape[axis]:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    return _nth(input, dim, keepdim, lambda n: k - 1, _KthPick, "kthvalue")


def mode(input: Tensor, dim: int = -1, keepdim: bool = False):
    """The most frequent value along `dim` (smallest among ties) and its last index."""
    check_tensor(input, "mode")
    data, axis = _reduced_axis(input, dim, "mode")
    moved = np.moveaxis(data, axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    index = np.empty((flat.shape[0], 1), np.int64)
    for row, values in enumerate(flat):
        uniq, counts = np.unique(values, return_counts=True)
        best = uniq[np.argmax(counts)]  # np.unique is sorted: the smallest among ties wins
        index[row, 0] = np.flatnonzero(values == best)[-1]
    index = np.moveaxis(index.reshape(moved.shape[:-1] + (1,)), -1, axis)
    return _pick(_ModePick, input, index, axis, keepdim, "mode")


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
