"""Shape ops that return views: reshape/view, flatten, transpose, permute, expand. Like
PyTorch's views they share memory and the version counter with their base; squeeze is in
`squeeze.py`, select/slice/narrow in `slicing.py`, cat/stack/split/repeat/flip in `combine.py`.
"""

# ruff: noqa: A001, A002 - `input`, `sum`, `max`... are PyTorch's names

from __future__ import annotations

import math
import operator
import warnings

import numpy as np

from .. import dtypes
from ..dtypes import TENSOR_TYPE_NAMES
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from .conversion import Clone
from .squeeze import SqueezeDims, Unsqueeze, squeeze, unsqueeze  # noqa: F401 - re-exported
from .view_dtype import view_dtype

__all__ = [
    "adjoint",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_to",
    "flatten",
    "movedim",
    "moveaxis",
    "permute",
    "ravel",
    "reshape",
    "squeeze",
    "swapaxes",
    "swapdims",
    "t",
    "transpose",
    "unflatten",
    "unsqueeze",
]


def _fmt(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def sizes_arg(sizes) -> tuple:
    """`f(2, 3)`, `f((2, 3))` and `f(torch.Size([2, 3]))` all mean the sizes (2, 3)."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = sizes[0]
    return tuple(operator.index(s) for s in sizes)


def infer_shape(shape: tuple, numel: int) -> tuple:
    """Resolve one -1 in a requested shape, with PyTorch's errors for impossible shapes."""
    known, infer_at = 1, None
    for i, s in enumerate(shape):
        if s == -1:
            if infer_at is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer_at = i
        elif s < 0:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {_fmt(shape)}")
        else:
            known *= s
    if infer_at is None:
        if known == numel:
            return shape
    elif known == 0:
        if numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {_fmt(shape)} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
    elif numel % known == 0:
        return shape[:infer_at] + (numel // known,) + shape[infer_at + 1 :]
    raise RuntimeError(f"shape '{_fmt(shape)}' is invalid for input of size {numel}")


class View(Op):
    """Reshape without copying; d/da = g reshaped back."""

    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        return np.reshape(a, shape, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx._shapes[0])


class ReshapeAlias(View):
    """reshape of a non-contiguous tensor whose strides allow a view (PyTorch's _reshape_alias)."""


class UnsafeView(Op):
    """Reshape of the contiguous copy reshape makes when no view is possible (not a view of
    that copy, as PyTorch's _unsafe_view); d/da = g reshaped back."""

    @staticmethod
    def forward(ctx, a, shape):
        return np.reshape(a, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx._shapes[0])


def _can_view(a: np.ndarray, shape: tuple) -> bool:
    try:
        np.reshape(a, shape, copy=False)
    except ValueError:
        return False
    return True


def reshape(input: Tensor, *shape) -> Tensor:
    """A tensor of the same data in `shape` (one -1 inferred): a view when the strides allow."""
    shape = infer_shape(sizes_arg(shape), input._data.size)
    if input._data.flags.c_contiguous:
        return View.apply(input, shape=shape)
    if _can_view(input._data, shape):
        return ReshapeAlias.apply(input, shape=shape)
    return UnsafeView.apply(Clone.apply(input), shape=shape)  # PyTorch's nodes: copy, then view


def view(input: Tensor, *shape, dtype=None) -> Tensor:
    """Like reshape, but always a view; an error when the strides make one impossible.
    `view(dtype)` reads the same bytes as another dtype instead."""
    if dtype is not None and not shape:
        return view_dtype(input, dtype)
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        return view_dtype(input, shape[0])
    shape = infer_shape(sizes_arg(shape), input._data.size)
    if not _can_view(input._data, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return View.apply(input, shape=shape)


def view_as(input: Tensor, other: Tensor) -> Tensor:
    return view(input, other.shape)


def reshape_as(input: Tensor, other: Tensor) -> Tensor:
    return reshape(input, other.shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one; returns input itself when nothing merges."""
    for position, (name, dim) in enumerate((("start_dim", start_dim), ("end_dim", end_dim)), 1):
        if not isinstance(dim, (int, np.integer)):
            raise TypeError(
                f"flatten(): argument '{name}' (position {position}) must be int, not "
                f"{type(dim).__name__}"
            )
    start = _wrap_dim(start_dim, input.ndim)  # a 0-d tensor takes dims -1 and 0, as torch
    end = _wrap_dim(end_dim, input.ndim)
    if input.ndim == 0:
        return reshape(input, (1,))
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    shape = input.shape  # the merged size is spelled out: -1 is ambiguous with 0 elements
    return reshape(input, shape[:start] + (math.prod(shape[start : end + 1]),) + shape[end + 1 :])


def unflatten(input: Tensor, dim: int, sizes) -> Tensor:
    """Split dim into `sizes` (one -1 inferred)."""
    axis = _wrap_dim(dim, input.ndim)
    sizes = tuple(operator.index(s) for s in sizes)
    size = input.shape[axis]
    try:
        inner = infer_shape(sizes, size)
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {_fmt(sizes)} don't multiply up to the size of dim "
            f"{axis} ({size}) in the input tensor"
        ) from None
    shape = input.shape
    return view(input, shape[:axis] + inner + shape[axis + 1 :])  # splitting a dim is a view


class Transpose(Op):
    """Swap two dims; d/da = g with them swapped back."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim0, dim1):
        ctx.dims = (dim0, dim1)
        return np.swapaxes(a, dim0, dim1) if a.ndim else a.view()

    @staticmethod
    def backward(ctx, grad):
        return np.swapaxes(grad, *ctx.dims) if grad.ndim else grad


class T(Transpose):
    """`t()`: transpose of a matrix (0-d and 1-d tensors come back unchanged)."""


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap dims dim0 and dim1 (a view)."""
    n = input.ndim
    return Transpose.apply(input, dim0=_wrap_dim(dim0, n), dim1=_wrap_dim(dim1, n))


def t(input: Tensor) -> Tensor:
    """Transpose a matrix; 0-d and 1-d tensors pass through (PyTorch's `t`)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return T.apply(input, dim0=0, dim1=input.ndim - 1 if input.ndim else 0)


class Permute(Op):
    """Reorder dims; d/da = g permuted by the inverse order."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx, grad):
        return np.transpose(grad, ctx.inverse)


def permute(input: Tensor, *dims) -> Tensor:
    """Reorder the dims as `dims` (a view)."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = sizes_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{input.ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(_wrap_dim(d, input.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims=dims)


def movedim(input: Tensor, source, destination) -> Tensor:
    """Move dims `source` to positions `destination`, keeping the others in order."""
    n = input.ndim
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_wrap_dim(d, n) for d in src]
    dst = [_wrap_dim(d, n) for d in dst]
    if n == 0:
        return Alias.apply(input)
    order: list = [None] * n
    for s, d in zip(src, dst, strict=True):
        order[d] = s
    rest = iter(d for d in range(n) if d not in src)
    return Permute.apply(input, dims=tuple(d if d is not None else next(rest) for d in order))


_ZERO_D_WARNINGS = {
    "mT": "Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
    "mH": "Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().",
    "H": "Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
    "adjoint()": "adjoint() is deprecated on 0-D tensors. Consider using x.conj().",
}


def _batch_transpose(input: Tensor, name: str) -> Tensor:
    if input.ndim == 0:  # torch 2.x: .mT/.mH/.H/adjoint() warn and return the tensor itself
        warnings.warn(_ZERO_D_WARNINGS[name], UserWarning, stacklevel=3)
        return input
    if input.ndim < 2:
        raise RuntimeError(
            f"tensor.{name} is only supported on matrices or batches of matrices. "
            f"Got {input.ndim}-D tensor."
        )
    return transpose(input, -2, -1)


def _matrix_transpose(input: Tensor) -> Tensor:
    return _batch_transpose(input, "mT")


def _matrix_adjoint(input: Tensor) -> Tensor:
    return _batch_transpose(input, "mH")  # real dtypes only: no conjugation


def adjoint(input: Tensor) -> Tensor:
    """The last two dims swapped (conjugated for complex, which minitorch_ft lacks)."""
    return _batch_transpose(input, "adjoint()")


def _conj_transpose(input: Tensor) -> Tensor:
    if input.ndim == 0:
        warnings.warn(_ZERO_D_WARNINGS["H"], UserWarning, stacklevel=2)
        return input
    if input.ndim != 2:
        raise RuntimeError(
            "tensor.H is only supported on matrices (2-D tensors). Got "
            f"{input.ndim}-D tensor."
            + (" For batches of matrices, consider using tensor.mH" if input.ndim > 2 else "")
        )
    return transpose(input, 0, 1)


def _reverse_dims(input: Tensor) -> Tensor:
    """`x.T`: torch warns on 0-d (identity) and on any other dim count but 2."""
    if input.ndim == 0:
        warnings.warn(
            "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
            UserWarning,
            stacklevel=2,
        )
    elif input.ndim != 2:
        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
            "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
            "to reverse the dimensions of a tensor.",
            UserWarning,
            stacklevel=2,
        )
    return Permute.apply(input, dims=tuple(range(input.ndim - 1, -1, -1)))


class Expand(Op):
    """Broadcast size-1 dims to larger sizes (a view); d/da = g summed back by the engine."""

    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        out = np.broadcast_to(a, shape)  # always read-only
        if out.size and any(s == 0 and n > 1 for s, n in zip(out.strides, out.shape, strict=True)):
            return out  # repeats elements: writes through it raise the overlap error, as torch
        # repeats nothing: a writable view (writable when `a` is)
        return np.lib.stride_tricks.as_strided(a, shape, out.strides)

    @staticmethod
    def backward(ctx, grad):
        return grad


def expand(input: Tensor, *sizes) -> Tensor:
    """A view with size-1 dims repeated to `sizes` (-1 keeps a size; new dims go in front)."""
    if not sizes:
        raise TypeError('expand() missing 1 required positional arguments: "size"')
    sizes = sizes_arg(sizes)
    shape = input.shape
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise RuntimeError(
            f"expand(torch.{TENSOR_TYPE_NAMES.get(input._data.dtype.name, 'Tensor')}{{{_fmt(shape)}}}, size={_fmt(sizes)}): the "
            f"number of sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({len(shape)})"
        )
    target = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a "
                    f"leading, non-existing dimension {i}"
                )
            target.append(s)
            continue
        old = shape[i - lead]
        if s == -1:
            s = old
        elif old != 1 and s != old:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({old}) at "
                f"non-singleton dimension {i}.  Target sizes: {_fmt(sizes)}.  Tensor sizes: "
                f"{_fmt(shape)}"
            )
        target.append(s)
    return Expand.apply(input, shape=tuple(target))


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    return expand(input, other.shape)


def broadcast_to(input: Tensor, *size) -> Tensor:
    return expand(input, sizes_arg(size))


def contiguous(input: Tensor, memory_format=None) -> Tensor:
    """input itself when already contiguous, else a contiguous copy (CloneBackward0)."""
    if input._data.flags.c_contiguous:
        return input
    return Clone.apply(input)


class Alias(Op):
    """The same data under a new tensor (`x[...]`, `x[:, :]`); d/da = g."""

    is_view = True

    @staticmethod
    def forward(ctx, a):
        return a.view()

    @staticmethod
    def backward(ctx, grad):
        return grad


swapaxes = swapdims = transpose
moveaxis = movedim


def ravel(input: Tensor) -> Tensor:
    """The elements as 1-D: a view when contiguous, else a contiguous copy viewed flat."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"ravel(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    return view(contiguous(input), -1)


def _atleast(name: str, ndim: int, tensors):
    """Each tensor with size-1 dims added (0-d: all by view; else unsqueezed), as torch does:
    atleast_2d puts the new dim first, atleast_3d around a 1-D input and last for 2-D."""
    as_tuple = len(tensors) == 1 and isinstance(tensors[0], (tuple, list))
    if as_tuple:
        tensors = tuple(tensors[0])
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{name}() received an invalid combination of arguments - got "
                f"({type(t).__name__}), but expected one of:"
            )
    out = []
    for t in tensors:
        if t.ndim == 0 and ndim:
            t = view(t, (1,) * ndim)
        elif t.ndim == 1 and ndim >= 2:
            t = unsqueeze(t, 0)
            t = unsqueeze(t, -1) if ndim == 3 else t
        elif t.ndim == 2 and ndim == 3:
            t = unsqueeze(t, -1)
        out.append(t)
    return out[0] if len(out) == 1 and not as_tuple else tuple(out)


def atleast_1d(*tensors):
    return _atleast("atleast_1d", 1, tensors)


def atleast_2d(*tensors):
    return _atleast("atleast_2d", 2, tensors)


def atleast_3d(*tensors):
    return _atleast("atleast_3d", 3, tensors)


Tensor.reshape = reshape
Tensor.view = view
Tensor.view_as = view_as
Tensor.reshape_as = reshape_as
Tensor.flatten = flatten
Tensor.unflatten = unflatten
Tensor.transpose = transpose
Tensor.swapaxes = Tensor.swapdims = transpose
Tensor.t = t
Tensor.permute = permute
Tensor.movedim = Tensor.moveaxis = movedim
Tensor.T = property(_reverse_dims)
Tensor.mT = property(_matrix_transpose)
Tensor.mH = property(_matrix_adjoint)
Tensor.adjoint = adjoint
Tensor.H = property(_conj_transpose)
Tensor.expand = expand
Tensor.expand_as = expand_as
Tensor.broadcast_to = broadcast_to
Tensor.contiguous = contiguous
Tensor.ravel = ravel
