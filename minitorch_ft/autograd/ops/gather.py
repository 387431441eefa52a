"""Index-driven ops: gather, scatter, scatter_add, index_select, masked_fill(_),
masked_select, take, nonzero/argwhere. Backward passes accumulate over repeated indices.
"""

# ruff: noqa: A001, A002 - `input`, `sum`, `max`... are PyTorch's names

from __future__ import annotations

import numpy as np

from ..dtypes import CPP_TYPE_NAMES
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import broadcast_shape
from .indexing import in_place

__all__ = [
    "argwhere",
    "gather",
    "index_select",
    "masked_fill",
    "masked_select",
    "nonzero",
    "scatter",
    "scatter_add",
    "take",
]


def _fmt(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _flat0(a: np.ndarray) -> np.ndarray:
    """A 0-d array as its one element in 1-d (a view), so index grids can address it."""
    return a.reshape(1) if a.ndim == 0 else a


def _contiguous(a: np.ndarray) -> np.ndarray:
    """torch's index ops return contiguous results, whatever layout numpy's indexing chose."""
    return a if a.flags.c_contiguous else a.copy()


def _grid(index: np.ndarray, axis: int) -> tuple:
    """numpy key picking a[..., index[i, j, ...], ...] along axis for every index position."""
    ndim = index.ndim
    if ndim == 0:  # torch lets a 0-d index stand for one position of a 1-d input
        return (index,)
    return tuple(
        index if d == axis else np.arange(n).reshape([-1 if j == d else 1 for j in range(ndim)])
        for d, n in enumerate(index.shape)
    )


def _check_index(name: str, input: Tensor, axis: int, index: Tensor, src=None) -> None:
    if index._data.dtype.kind not in "iu":
        op = "gather" if name == "gather" else "scatter"  # scatter_add says scatter() too
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    if max(index.ndim, 1) != max(input.ndim, 1):  # 0-d counts as 1-d, as in torch
        which = "input" if name == "gather" else "self"  # torch's wording differs per op
        raise RuntimeError(
            f"Index tensor must have the same number of dimensions as {which} tensor"
        )
    index_shape = index.shape or (1,)
    src_shape = None if src is None else (src.shape or (1,))
    for d in range(input.ndim):
        too_big = d != axis and index_shape[d] > input.shape[d]
        if too_big or (src is not None and index_shape[d] > src_shape[d]):
            if src is None and name != "gather":  # scatter of a number
                raise RuntimeError(
                    f"Expected index {_fmt(index.shape)} to be no larger than self "
                    f"{_fmt(input.shape)} apart from dimension {axis}"
                )
            if src is None:
                raise RuntimeError(
                    f"Size does not match at dimension {d} expected index {_fmt(index.shape)} "
                    f"to be no larger than self {_fmt(input.shape)} apart from dimension {axis}"
                )
            raise RuntimeError(
                f"Expected index {_fmt(index.shape)} to be no larger than self "
                f"{_fmt(input.shape)} apart from dimension {axis} and to be no larger size than "
                f"src {_fmt(src.shape)}"
            )
    size = input.shape[axis] if input.ndim else 1
    bad = (index._data < 0) | (index._data >= size)
    if bad.any():
        raise RuntimeError(
            f"index {index._data[bad].flat[0]} is out of bounds for dimension "
            f"{axis} with size {size}"
        )


class Gather(Op):
    """out[i][j] = a[i][index[i][j]] (dim 1); d/da = g scatter-added back to those places.

    a is saved only for its version, as torch's GatherBackward0 saves self."""

    @staticmethod
    def forward(ctx, a, grid):
        ctx.grid = grid
        ctx.save_for_backward(a)
        return _contiguous(_flat0(a)[grid])

    @staticmethod
    def backward(ctx, grad):
        ctx.saved  # noqa: B018 - raises if the input was changed in place
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.add.at(_flat0(out), ctx.grid, grad)
        return out


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """Pick values along `dim` at `index` (same number of dims as input)."""
    axis = _wrap_dim(dim, input.ndim)
    _check_index("gather", input, axis, index)
    return Gather.apply(input, grid=_grid(index._data.astype(np.int64), axis))


class Scatter(Op):
    """Write src (or a scalar) at index along dim into a copy of a.

    d/da = g with the written places zeroed; d/dsrc = g gathered from them.
    """

    @staticmethod
    def forward(ctx, a, src, grid, add=False):
        ctx.grid, ctx.add = grid, add
        ctx.src_shape = getattr(src, "shape", None)
        out = a.copy()
        if isinstance(src, np.ndarray) and src.ndim:
            src = src[tuple(slice(0, n) for n in grid[0].shape)] if grid else src
        if add:
            np.add.at(_flat0(out), grid, src)
        else:
            _flat0(out)[grid] = src
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_a = grad
        if not ctx.add:
            grad_a = np.array(grad)  # a copy, an ndarray even for a numpy scalar
            _flat0(grad_a)[ctx.grid] = 0
        grad_src = None
        if ctx.needs_input_grad[1]:
            grad_src = np.zeros(ctx.src_shape, grad.dtype)
            picked = _flat0(grad)[ctx.grid]
            _flat0(grad_src)[tuple(slice(0, n) for n in picked.shape)] = picked
        return grad_a, grad_src


class ScatterValue(Scatter):
    grad_fn_name = "ScatterBackward1"


class ScatterAdd(Scatter):
    pass


def _broadcast_grid(index: np.ndarray, axis: int) -> tuple:
    index = index.reshape(-1) if index.ndim == 0 else index  # one position, as torch reads it
    grid = _grid(index.astype(np.int64), axis)
    return tuple(np.broadcast_to(g, index.shape) for g in grid)


def _check_src_dtype(input: Tensor, src: Tensor) -> None:
    if input._data.dtype != src._data.dtype:  # torch casts a number, never a src tensor
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")


def scatter(input: Tensor, dim: int, index: Tensor, src=None, *, value=None, reduce=None) -> Tensor:
    """A copy of input with `src` (a tensor or a number) written at `index` along `dim`."""
    src = value if src is None else src
    if reduce is not None:
        from .scatter_reduce import scatter_with_reduce  # that module builds on this one

        return scatter_with_reduce(input, dim, index, src, reduce)
    axis = _wrap_dim(dim, input.ndim)
    if isinstance(src, Tensor):
        _check_index("scatter", input, axis, index, src)
        _check_src_dtype(input, src)
        grid = _broadcast_grid(index._data, axis)
        return Scatter.apply(input, src, grid=grid)
    _check_index("scatter", input, axis, index)
    return ScatterValue.apply(
        input, np.asarray(src, input._data.dtype), grid=_broadcast_grid(index._data, axis)
    )


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of input with `src` added at `index` along `dim` (repeats accumulate)."""
    axis = _wrap_dim(dim, input.ndim)
    _check_index("scatter_add", input, axis, index, src)
    _check_src_dtype(input, src)
    grid = _broadcast_grid(index._data, axis)
    return ScatterAdd.apply(input, src, grid=grid, add=True)


def scatter_(input: Tensor, dim: int, index: Tensor, src=None, *, value=None, reduce=None):
    """In-place scatter (the one-hot idiom `zeros(10).scatter_(0, tensor(y), value=1)`)."""
    from .inplace import apply_inplace  # inplace imports this family's neighbours

    src = value if src is None else src
    if reduce is None:
        op = lambda t, s: scatter(t, dim, index, s)  # noqa: E731
    else:  # torch's NotImplemented node then names the in-place aten op
        from .scatter_reduce import scatter_with_reduce

        op = lambda t, s: scatter_with_reduce(t, dim, index, s, reduce, "scatter_")  # noqa: E731
    # src goes through apply_inplace so a src that requires grad puts the write in the graph
    return apply_inplace(input, op, src)


def scatter_add_(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """In-place scatter_add: `src` added at `index` along `dim`, repeats accumulate."""
    from .inplace import apply_inplace

    return apply_inplace(input, lambda t, s: scatter_add(t, dim, index, s), src)


class IndexSelect(Op):
    """Rows (along dim) at index; d/da = g scatter-added back to those rows."""

    @staticmethod
    def forward(ctx, a, axis, index):
        ctx.key = key = (slice(None),) * axis + (index,) if a.ndim else ()
        return _contiguous(a[key]) if a.ndim else a.copy()

    @staticmethod
    def backward(ctx, grad):
        if not ctx.key:
            return grad
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.add.at(out, ctx.key, grad)
        return out


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """Entries along `dim` at the positions in the 1-D `index`."""
    axis = _wrap_dim(dim, input.ndim)
    idx = index._data
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if idx.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    size = input.shape[axis] if input.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise RuntimeError(
            f"INDICES element is out of DATA bounds, id={idx[bad].flat[0]} axis_dim={size}"
        )
    if input.ndim == 0:
        if idx.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)"
            )
        return IndexSelect.apply(input, axis=0, index=())
    return IndexSelect.apply(input, axis=axis, index=idx.reshape(-1).astype(np.int64))


class MaskedFill(Op):
    """Put a number where mask is True; d/da = g where mask is False."""

    @staticmethod
    def forward(ctx, a, value, mask, inplace=False):
        ctx.mask = mask
        if inplace:
            np.copyto(a, value, where=mask, casting="unsafe")
            return a
        # contiguous whatever a's layout, as torch's
        return np.asarray(np.where(mask, np.asarray(value, a.dtype), a), order="C")

    @staticmethod
    def backward(ctx, grad):
        grad_a = np.where(ctx.mask, 0, grad).astype(grad.dtype, copy=False)
        grad_value = None
        if ctx.needs_input_grad[1]:
            grad_value = np.asarray(np.sum(np.where(ctx.mask, grad, 0)), grad.dtype)
        return grad_a, grad_value


class MaskedFillTensor(MaskedFill):
    """masked_fill with a 0-d tensor value, which also receives a gradient."""

    grad_fn_name = "MaskedFillBackward1"


def _fill_args(input: Tensor, mask: Tensor, value):
    if mask._data.dtype != np.bool_:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{CPP_TYPE_NAMES.get(mask._data.dtype.name, mask._data.dtype.name)}"
        )
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got "
                f"tensor with {value.ndim} dimension(s)."
            )
        return MaskedFillTensor, value.to(input.dtype)
    return MaskedFill, value


def masked_fill(input: Tensor, mask: Tensor, value) -> Tensor:
    """A copy of input with `value` where the (broadcast) bool mask is True."""
    op, value = _fill_args(input, mask, value)
    broadcast_shape(tuple(mask.shape), tuple(input.shape))  # torch's size-mismatch error
    return op.apply(input, value, mask=mask._data)


def masked_fill_(input: Tensor, mask: Tensor, value) -> Tensor:
    """In-place masked_fill; the mask must broadcast to input's shape."""
    op, value = _fill_args(input, mask, value)
    full = broadcast_shape(tuple(input.shape), tuple(mask.shape))
    if full != tuple(input.shape):
        raise RuntimeError(
            f"output with shape {list(input.shape)} doesn't match the broadcast shape {list(full)}"
        )
    mask_arr = np.broadcast_to(mask._data, input.shape)
    # torch writes into an expanded tensor here (with a warning), no overlap check
    return in_place(input, op, value, mask=mask_arr, inplace=True, written=None)


class MaskedSelect(Op):
    """The elements where mask is True, as 1-D; d/da = g placed back at those elements."""

    @staticmethod
    def forward(ctx, a, mask):
        ctx.save_for_backward(a, mask)  # as torch: changing either in place is then an error
        shape = np.broadcast_shapes(a.shape, mask.shape)
        ctx.mask = mask = np.broadcast_to(mask, shape)
        return np.broadcast_to(a, shape)[mask]

    @staticmethod
    def backward(ctx, grad):
        ctx.saved  # noqa: B018 - reading them checks their versions
        out = np.zeros(ctx.mask.shape, grad.dtype)
        out[ctx.mask] = grad
        return out


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """1-D tensor of input's elements where the (broadcast) bool mask is True."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    return MaskedSelect.apply(input, mask=mask._data)


class Take(Op):
    """Elements of the flattened input at index; d/da = g scatter-added back."""

    @staticmethod
    def forward(ctx, a, index):
        ctx.save_for_backward(a, index)  # as torch: changing either in place is then an error
        ctx.index = index
        return a.reshape(-1)[index]

    @staticmethod
    def backward(ctx, grad):
        ctx.saved  # noqa: B018 - reading them checks their versions
        out = np.zeros(int(np.prod(ctx._shapes[0])), grad.dtype)
        np.add.at(out, ctx.index, grad)
        return out.reshape(ctx._shapes[0])


def take(input: Tensor, index: Tensor) -> Tensor:
    """input treated as 1-D, picked at `index` (negative indices count from the end)."""
    n = input._data.size
    idx = index._data
    bad = (idx >= n) | (idx < -n)
    if bad.any():
        raise IndexError(
            f"out of range: tried to access index {idx[bad].flat[0]} on a tensor of {n} elements."
        )
    return Take.apply(input, index=idx.astype(np.int64))


def nonzero(input: Tensor, *, as_tuple: bool = False):
    """Coordinates of the non-zero elements: an (n, ndim) int64 tensor or a tuple of 1-D."""
    a = input._data
    if as_tuple:
        if a.ndim == 0:
            return (Tensor._wrap(np.zeros(int(a != 0), np.int64)),)
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(a))
    return Tensor._wrap(np.argwhere(a).astype(np.int64))


def argwhere(input: Tensor) -> Tensor:
    return nonzero(input)


Tensor.gather = gather
Tensor.scatter = scatter
Tensor.scatter_add = scatter_add
Tensor.scatter_ = scatter_
Tensor.scatter_add_ = scatter_add_
Tensor.index_select = index_select
Tensor.masked_fill = masked_fill
Tensor.masked_fill_ = masked_fill_
Tensor.masked_select = masked_select
Tensor.take = take
Tensor.nonzero = nonzero
Tensor.argwhere = argwhere
