"""Joining, splitting and rearranging copies: cat, stack, split, chunk, unbind, repeat, tile,
flip, roll, hstack, vstack. Split pieces are views of their input, as in PyTorch.
"""

# ruff: noqa: A001, A002 - `input`, `sum`, `max`... are PyTorch's names

from __future__ import annotations

import operator

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._operands import as_tensor
from .reduce import reduce_axes
from .shape import atleast_3d, reshape, sizes_arg
from .slicing import Slice

__all__ = [
    "cat",
    "chunk",
    "column_stack",
    "concat",
    "concatenate",
    "dsplit",
    "dstack",
    "flip",
    "hsplit",
    "hstack",
    "roll",
    "rot90",
    "row_stack",
    "split",
    "stack",
    "tensor_split",
    "tile",
    "unbind",
    "vsplit",
    "vstack",
]


def _fmt(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _skipped(a: np.ndarray) -> bool:
    """Legacy PyTorch rule: a 1-D empty tensor is left out, whatever the other shapes are
    (it stays an input of the node, with an empty gradient)."""
    return a.ndim == 1 and a.shape[0] == 0


def _laid_out(out: np.ndarray, arrays) -> np.ndarray:
    """torch writes cat/stack results contiguous (numpy keeps the inputs' stride order),
    unless every input is a channels_last 4-D tensor."""
    if out.flags.c_contiguous or all(_channels_last(a) for a in arrays):
        return out
    return np.ascontiguousarray(out)


def _channels_last(a: np.ndarray) -> bool:
    n, c, h, w = a.shape if a.ndim == 4 else (0, 0, 0, 0)
    item = a.itemsize
    return (
        a.ndim == 4 and not a.flags.c_contiguous and a.strides[1:] == (item, w * c * item, c * item)
    )


class Cat(Op):
    """Join along a dim; d/da_i = the slice of g that a_i filled."""

    @staticmethod
    def forward(ctx, *arrays, axis, dtype):
        joined = [a for a in arrays if not _skipped(a)] or arrays
        ctx.axis = axis
        ctx.bounds = np.cumsum([a.shape[axis] for a in joined])[:-1].tolist()
        ctx.dtypes = [a.dtype for a in arrays]
        ctx.skipped = len(joined) < len(arrays) and [_skipped(a) for a in arrays]
        return _laid_out(np.concatenate(joined, axis=axis, dtype=dtype, casting="unsafe"), joined)

    @staticmethod
    def backward(ctx, grad):
        pieces = iter(np.split(grad, ctx.bounds, axis=ctx.axis))
        skipped = ctx.skipped or [False] * len(ctx.dtypes)
        return tuple(
            np.zeros(0, d) if skip else next(pieces).astype(d, copy=False)
            for skip, d in zip(skipped, ctx.dtypes, strict=True)
        )


def _common_dtype(tensors) -> np.dtype:
    return dtypes.result_np_dtype(*tensors)


def cat(tensors, dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Concatenate tensors along `dim` (dtypes promote, like torch.cat)."""
    if axis is not None:
        dim = axis
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    joined = [t for t in tensors if not _skipped(t._data)] or tensors[:1]
    ref = joined[0]
    axis = _wrap_dim(dim, ref.ndim)
    for i, t in enumerate(joined[1:], 1):
        if t.ndim != ref.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}"
            )
        for d in range(ref.ndim):
            if d != axis and t.shape[d] != ref.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{ref.shape[d]} but got size {t.shape[d]} for tensor number {i} in the list."
                )
    return Cat.apply(*tensors, axis=axis, dtype=_common_dtype(tensors))


concat = concatenate = cat


class Stack(Op):
    """Join along a new dim; d/da_i = g at index i of that dim."""

    @staticmethod
    def forward(ctx, *arrays, axis, dtype):
        ctx.axis = axis
        ctx.dtypes = [a.dtype for a in arrays]
        return _laid_out(np.stack(arrays, axis=axis, dtype=dtype, casting="unsafe"), arrays)

    @staticmethod
    def backward(ctx, grad):
        return tuple(
            np.take(grad, i, axis=ctx.axis).astype(d, copy=False) for i, d in enumerate(ctx.dtypes)
        )


def stack(tensors, dim: int = 0) -> Tensor:
    """Stack equally shaped tensors along a new dim `dim`."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0].shape
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != ref:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {_fmt(ref)} at entry 0 "
                f"and {_fmt(t.shape)} at entry {i}"
            )
    axis = _wrap_dim(dim, len(ref) + 1)
    return Stack.apply(*tensors, axis=axis, dtype=_common_dtype(tensors))


def hstack(tensors) -> Tensor:
    """Concatenate along dim 1 (dim 0 for 1-D tensors)."""
    tensors = _nonempty("hstack", tensors)
    tensors = [reshape(t, (1,)) if t.ndim == 0 else t for t in tensors]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors) -> Tensor:
    """Concatenate along dim 0 after making every tensor at least 2-D."""
    tensors = _nonempty("vstack", tensors)
    return cat([reshape(t, (1, -1)) if t.ndim < 2 else t for t in tensors], 0)


row_stack = vstack


def _nonempty(name: str, tensors) -> list:
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return [as_tensor(t) for t in tensors]


def dstack(tensors) -> Tensor:
    """Concatenate along dim 2 after making every tensor at least 3-D."""
    tensors = _nonempty("dstack", tensors)
    return cat([atleast_3d(t) for t in tensors], 2)


def column_stack(tensors) -> Tensor:
    """Tensors as columns side by side: 0-d and 1-D become (n, 1) columns, then dim 1."""
    tensors = _nonempty("column_stack", tensors)
    return cat([reshape(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in tensors], 1)


def tensor_split(input: Tensor, indices_or_sections, dim: int = 0) -> tuple:
    """Views along `dim`: n near-equal sections (the first ones one longer), or cut at the
    given indices (clamped to the size, empty pieces allowed), as torch.tensor_split."""
    if input.ndim == 0:
        raise RuntimeError(
            "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    cuts = indices_or_sections
    if isinstance(cuts, Tensor):
        cuts = cuts.tolist()
    axis = _wrap_dim(dim, input.ndim)
    size = input.shape[axis]
    if isinstance(cuts, (list, tuple)):
        bounds = [0] + [min(i + size if i < 0 else i, size) for i in map(operator.index, cuts)]
        bounds.append(size)
    else:
        n = operator.index(cuts)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        small, extra = divmod(size, n)
        bounds = [0]
        for i in range(n):
            bounds.append(bounds[-1] + small + (i < extra))
    return tuple(
        Slice.apply(input, dim=axis, start=lo, stop=max(lo, hi), step=1)
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=False)
    )


def _split_along(name: str, input: Tensor, sections, dim: int, need: int) -> tuple:
    if input.ndim < need:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {need} dimension, but got a tensor "
            f"with {input.ndim} dimensions!"
        )
    if not isinstance(sections, (list, tuple, Tensor)) and input.shape[dim] % sections:
        raise RuntimeError(
            f"torch.{name} attempted to split along dimension {dim}, but the size of the "
            f"dimension {input.shape[dim]} is not divisible by the split_size {sections}!"
        )
    return tensor_split(input, sections, dim)


def hsplit(input: Tensor, indices_or_sections) -> tuple:
    """tensor_split along dim 1 (dim 0 for 1-D); a section count must divide the size."""
    dim = 0 if input.ndim == 1 else 1
    return _split_along("hsplit", input, indices_or_sections, dim, 1)


def vsplit(input: Tensor, indices_or_sections) -> tuple:
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Tensor, indices_or_sections) -> tuple:
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


class SplitPiece(Op):
    """One piece of `split(size)` (a view); d/da = g placed at the piece, zeros elsewhere."""

    grad_fn_name = "SplitBackward0"
    is_view = True
    multi_output_view = True

    @staticmethod
    def forward(ctx, a, key):
        ctx.key = key
        return a[key]

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx._shapes[0], grad.dtype)
        out[ctx.key] = grad
        return out


class SplitWithSizesPiece(SplitPiece):
    grad_fn_name = "SplitWithSizesBackward0"


class UnbindPiece(SplitPiece):
    grad_fn_name = "UnbindBackward0"


def _pieces(op, input: Tensor, axis: int, sizes) -> tuple:
    out, start = [], 0
    lead = (slice(None),) * axis
    for s in sizes:
        out.append(op.apply(input, key=lead + (slice(start, start + s),)))
        start += s
    return _number_outputs(out)


def _number_outputs(pieces) -> tuple:
    """Each recorded piece knows its place among its op's outputs (torch's `output_nr`)."""
    for i, piece in enumerate(pieces):
        if i and piece.grad_fn is not None:
            piece.output_nr = i
    return tuple(pieces)


def split(tensor: Tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of `split_size` along `dim` (the last may be smaller), or of the given sizes."""
    if tensor.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    axis = _wrap_dim(dim, tensor.ndim)
    size = tensor.shape[axis]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [operator.index(s) for s in split_size_or_sections]
        if sum(sizes) != size or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {axis}), but got split_sizes={_fmt(sizes)}"
            )
        return _pieces(SplitWithSizesPiece, tensor, axis, sizes)
    step = operator.index(split_size_or_sections)
    if step < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
    if step == 0:
        if size:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}"
            )
        return _pieces(SplitPiece, tensor, axis, [0])
    sizes = [min(step, size - start) for start in range(0, size, step)] or [0]
    return _pieces(SplitPiece, tensor, axis, sizes)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    """At most `chunks` pieces of equal size ceil(n / chunks) along `dim` (a size-0 dim
    gives `chunks` empty pieces, as PyTorch's split_with_sizes)."""
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    axis = _wrap_dim(dim, input.ndim)
    size = input.shape[axis]
    if size == 0:
        return split(input, [0] * chunks, axis)
    return split(input, max(-(-size // chunks), 1), axis)


def unbind(input: Tensor, dim: int = 0) -> tuple:
    """The slices along `dim`, each with that dim removed (views)."""
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    axis = _wrap_dim(dim, input.ndim)
    lead = (slice(None),) * axis
    return _number_outputs(
        [UnbindPiece.apply(input, key=lead + (i, ...)) for i in range(input.shape[axis])]
    )


class Repeat(Op):
    """Tile the data `reps` times per dim; d/da = g summed over the copies."""

    @staticmethod
    def forward(ctx, a, reps):
        padded = (1,) * (len(reps) - a.ndim) + a.shape
        ctx.reps, ctx.padded = reps, padded
        return np.tile(a.reshape(padded), reps)

    @staticmethod
    def backward(ctx, grad):
        split_shape = [n for pair in zip(ctx.reps, ctx.padded, strict=True) for n in pair]
        summed = grad.reshape(split_shape).sum(axis=tuple(range(0, len(split_shape), 2)))
        return summed.reshape(ctx._shapes[0])


def repeat(input: Tensor, *sizes) -> Tensor:
    """Repeat the tensor along each dim (`sizes` may add leading dims)."""
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    reps = sizes_arg(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number "
            "of dimensions of tensor"
        )
    padded = (1,) * (len(reps) - input.ndim) + tuple(input.shape)
    shape = [r * s for r, s in zip(reps, padded, strict=True)]
    for s in shape:
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {_fmt(shape)}"
            )
    return Repeat.apply(input, reps=reps)


def tile(input: Tensor, dims) -> Tensor:
    """Like repeat, but missing leading repetitions count as 1."""
    reps = sizes_arg((dims,)) if not isinstance(dims, int) else (dims,)
    reps = (1,) * (input.ndim - len(reps)) + reps
    return repeat(input, reps)


def _flipped(a: np.ndarray, axes) -> np.ndarray:
    """A flipped copy laid out as `a` is (torch's flip keeps a transposed input's layout;
    an expanded one, whose elements share memory, gives a contiguous copy)."""
    expanded = a.size and 0 in a.strides
    return np.flip(a, axes).copy(order="C" if expanded else "K")


class Flip(Op):
    """Reverse the order along dims (a copy); d/da = g flipped back."""

    @staticmethod
    def forward(ctx, a, axes):
        ctx.axes = axes
        return _flipped(a, axes)

    @staticmethod
    def backward(ctx, grad):
        return np.flip(grad, ctx.axes)


def flip(input: Tensor, *dims) -> Tensor:
    """Reverse the element order along each of `dims`."""
    if not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    if dims[0] is None:
        raise TypeError("flip(): argument 'dims' (position 1) must be tuple of ints, not NoneType")
    dims = sizes_arg(dims)
    axes = reduce_axes(dims, input.ndim) if dims else ()
    return Flip.apply(input, axes=axes)


class Rot90(Op):
    """Rotate k quarter turns in the plane of two dims (a copy); d/da = g turned back."""

    @staticmethod
    def forward(ctx, a, k, axes):
        ctx.k, ctx.axes = k, axes
        # as torch: k=1 transposes a copy flipped along the 2nd dim, k=3 along the 1st, so
        # an odd turn of a contiguous input is not contiguous (view(-1) fails)
        if k % 2 == 0:
            return _flipped(a, axes) if k else a.copy()
        return np.swapaxes(_flipped(a, (axes[1] if k == 1 else axes[0],)), *axes)

    @staticmethod
    def backward(ctx, grad):
        return np.rot90(grad, -ctx.k, ctx.axes)


def rot90(input: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    """Rotate by 90 degrees k times from the first of `dims` towards the second."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    axes = tuple(_wrap_dim(d, input.ndim) for d in dims)
    if axes[0] == axes[1]:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )
    return Rot90.apply(input, k=k % 4, axes=axes)


class Roll(Op):
    """Rotate elements along dims (flattened when none); d/da = g rolled back."""

    @staticmethod
    def forward(ctx, a, shifts, axes):
        ctx.shifts, ctx.axes = shifts, axes
        if axes is None:
            return np.roll(a.reshape(-1), shifts).reshape(a.shape)
        return np.asarray(np.roll(a, shifts, axes), order="C")  # contiguous, as torch's

    @staticmethod
    def backward(ctx, grad):
        back = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        if ctx.axes is None:
            return np.roll(grad.reshape(-1), back).reshape(grad.shape)
        return np.roll(grad, back, ctx.axes)


def roll(input: Tensor, shifts, dims=None) -> Tensor:
    """Shift elements circularly by `shifts` along `dims` (over the flattened tensor if None)."""
    shifts_t = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    if dims is None:
        if len(shifts_t) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts_t)}, dims:0")
        return Roll.apply(input, shifts=shifts_t[0], axes=None)
    dims_t = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if len(shifts_t) != len(dims_t):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts_t)}, dims:{len(dims_t)}"
        )
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dims_t[0]} but tensor has no dimensions")
    axes = tuple(_wrap_dim(d, input.ndim) for d in dims_t)
    return Roll.apply(input, shifts=shifts_t, axes=axes)


Tensor.split = split
Tensor.chunk = chunk
Tensor.unbind = unbind
Tensor.repeat = repeat
Tensor.tile = tile
Tensor.flip = flip
Tensor.roll = roll
Tensor.rot90 = rot90
Tensor.tensor_split = tensor_split
Tensor.hsplit = hsplit
Tensor.vsplit = vsplit
Tensor.dsplit = dsplit
