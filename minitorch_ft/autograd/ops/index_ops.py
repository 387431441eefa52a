"""Slice-wise index ops along one dim: index_add, index_copy, index_fill (and their `_` forms).

Each takes a 1-D (or 0-d) index of positions along `dim`; a 0-d self counts as 1-D of size 1.
Error texts and their order follow torch 2.x, which words each op's checks differently.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import type_name

__all__ = ["index_add", "index_copy", "index_fill"]


def _fmt(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _key(axis: int, index: np.ndarray) -> tuple:
    """numpy key for the slices at `index` along `axis`."""
    return (slice(None),) * axis + (index,)


def _lifted(a: np.ndarray) -> np.ndarray:
    """A 0-d array as 1-D (a view), so one keyed write covers both cases."""
    return a.reshape(1) if a.ndim == 0 else a


def _source_size(source: Tensor, axis: int) -> int:
    if source.ndim == 0:
        return 1
    if axis >= source.ndim:
        n = source.ndim
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {axis})"
        )
    return source.shape[axis]


class IndexAdd(Op):
    """out = a; out[index] += alpha * src along dim; da = g, dsrc = alpha * g[index]."""

    @staticmethod
    def forward(ctx, a, src, key, alpha):
        ctx.key, ctx.alpha = key, alpha
        if ctx.needs_input_grad and ctx.needs_input_grad[1]:
            ctx.save_for_backward(src)  # as torch, only for its version (and when it needs grad)
        out = a.copy()
        np.add.at(_lifted(out), key, src if alpha == 1 else src * np.asarray(alpha, a.dtype))
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_src = None
        if ctx.needs_input_grad[1]:
            ctx.saved  # noqa: B018 - raises if source was changed in place
            grad_src = _lifted(grad)[ctx.key] * ctx.alpha
            grad_src = grad_src.reshape(ctx._shapes[1]).astype(grad.dtype, copy=False)
        return grad, grad_src


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """input with `alpha * source` added to the slices at `index` along `dim` (repeats add)."""
    axis = _wrap_dim(dim, input.ndim)
    idx = index._data
    if idx.ndim > 1:
        raise IndexError(
            f"index_add_(): Index is supposed to be a vector, but got dim: {idx.ndim} with type: "
            f"{type_name(idx.dtype)} and size: {_fmt(idx.shape)}"
        )
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError(
            f"index_add_(): Expected dtype int32/int64 for index but got: {type_name(idx.dtype)}"
        )
    if input._data.dtype != source._data.dtype:
        raise RuntimeError(
            f"index_add_(): self ({type_name(input._data.dtype)}) and source "
            f"({type_name(source._data.dtype)}) must have the same scalar type"
        )
    if source.ndim == 0 and idx.size != 1:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    count = _source_size(source, axis)
    if idx.size != count:
        raise RuntimeError(
            f"index_add_(): Number of indices ({idx.size}) should be equal to source.size(dim): "
            f"({count}), for dim: {axis}"
        )
    same = source.ndim == input.ndim and all(
        s == n for d, (s, n) in enumerate(zip(source.shape, input.shape, strict=True)) if d != axis
    )
    if not same:
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {_fmt(input.shape)} source.shape = {_fmt(source.shape)}"
        )
    size = input.shape[axis] if input.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise RuntimeError(
            f"index {idx[bad].flat[0]} is out of bounds for dimension {axis} with size {size}"
        )
    if input._data.dtype.kind in "iu":
        alpha = int(alpha)  # torch truncates a float alpha for integer tensors
    key = _key(axis, idx.reshape(-1).astype(np.int64))
    return IndexAdd.apply(input, source, key=key, alpha=alpha)


def _grad_outside(ctx, grad: np.ndarray) -> np.ndarray | None:
    """The input's gradient after slices were overwritten: g, zeroed in those slices."""
    if not ctx.needs_input_grad[0]:
        return None
    out = grad.copy()
    _lifted(out)[ctx.key] = 0
    return out


class IndexCopy(Op):
    """out = a; out[index] = src along dim; da = g zeroed there, dsrc = g[index]."""

    @staticmethod
    def forward(ctx, a, src, key):
        ctx.key = key
        out = a.copy()
        _lifted(out)[key] = src
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_src = None
        if ctx.needs_input_grad[1]:
            grad_src = _lifted(grad)[ctx.key].reshape(ctx._shapes[1])
        return _grad_outside(ctx, grad), grad_src


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """input with the slices at `index` along `dim` replaced by source's slices."""
    axis = _wrap_dim(dim, input.ndim)
    idx = index._data
    if idx.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {idx.ndim})")
    if idx.dtype != np.int64:
        raise RuntimeError(
            f"index_copy_(): Expected a long tensor for index, but got {type_name(idx.dtype)}"
        )
    if input._data.dtype != source._data.dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{type_name(input._data.dtype)} and (source) {type_name(source._data.dtype)}"
        )
    if input.ndim and source.ndim and input.ndim != source.ndim:
        raise IndexError(
            "index_copy_(): When source and destination are not scalars, their dimensionality "
            f"must match. Source dimensionality ({source.ndim}), destination dimensionality "
            f"({input.ndim})"
        )
    if source.ndim == 0 and idx.size != 1:
        raise IndexError(
            f"index_copy_(): When source is scalar, index should have one element (got {idx.size})"
        )
    count = source.shape[axis] if source.ndim else 1
    if idx.size != count:
        raise IndexError(
            f"index_copy_(): Number of indices ({idx.size}) should be equal to "
            f"source.size(dim) ({count})"
        )
    dest_slice = input.shape[:axis] + input.shape[axis + 1 :]
    src_slice = source.shape[:axis] + source.shape[axis + 1 :]
    if dest_slice != src_slice:
        raise RuntimeError(
            "index_copy_(): Source/destination tensor must have same slice shapes. Destination "
            f"slice shape: {' '.join(map(str, dest_slice))} at dimension {axis} and source slice "
            f"shape: {' '.join(map(str, src_slice))} at dimension 0."
        )
    size = input.shape[axis] if input.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise IndexError(
            f"index_copy_(): index {idx[bad].flat[0]} is out of bounds for dimension {axis} "
            f"with size {size}"
        )
    key = _key(axis, idx.reshape(-1))
    return IndexCopy.apply(input, source, key=key)


class IndexFill(IndexCopy):
    """out = a with `value` in the slices at index (IndexCopy's forward); da = g zeroed there.

    A 0-d tensor value (IndexFillBackward1) gets the sum of g over the filled slices,
    each slice counted once however often the index repeats it.
    """

    @staticmethod
    def backward(ctx, grad):
        grad_value = None
        if ctx.needs_input_grad[1]:
            unique = ctx.key[:-1] + (np.unique(ctx.key[-1]),)
            grad_value = np.asarray(_lifted(grad)[unique].sum(), grad.dtype)
        return _grad_outside(ctx, grad), grad_value


class IndexFillTensor(IndexFill):
    grad_fn_name = "IndexFillBackward1"


def index_fill(input: Tensor, dim: int, index: Tensor, value) -> Tensor:
    """input with `value` (a number or a 0-d tensor) in the slices at `index` along `dim`."""
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.ndim} dimension(s)."
        )
    axis = _wrap_dim(dim, input.ndim)
    idx = index._data
    if idx.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if idx.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    size = input.shape[axis] if input.ndim else 1
    bad = (idx < -size) | (idx >= size)  # unlike index_add/index_copy, negatives count back
    if bad.any():
        raise IndexError(
            f"index {idx[bad].flat[0]} is out of bounds for dimension {axis} with size {size}"
        )
    key = _key(axis, idx.reshape(-1) % max(size, 1))
    if isinstance(value, Tensor):
        return IndexFillTensor.apply(input, value.to(input.dtype), key=key)
    return IndexFill.apply(input, np.asarray(value).astype(input._data.dtype), key=key)


def _inplace(fn):
    """`fn_`: self <- fn(self, dim, index, tensor_arg), recorded like the other in-place ops."""

    def method(self: Tensor, dim: int, index: Tensor, other, **kwargs) -> Tensor:
        from .inplace import apply_inplace  # inplace imports the op families it wraps

        return apply_inplace(self, lambda t, o: fn(t, dim, index, o, **kwargs), other)

    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place {fn.__name__}: writes into self and returns it."
    return method


index_add_ = _inplace(index_add)
index_copy_ = _inplace(index_copy)
index_fill_ = _inplace(index_fill)

for _fn in (index_add, index_copy, index_fill, index_add_, index_copy_, index_fill_):
    setattr(Tensor, _fn.__name__, _fn)
