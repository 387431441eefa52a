"""Matrix helpers: dot, vdot, mv, inner, outer, trace, diag, diagonal, diag_embed,
tril, triu, cross, einsum and tensordot (grad_fn names as PyTorch records them).
"""

# ruff: noqa: A002 - `input` is PyTorch's argument name

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import check_tensor
from .einsum import einsum, tensordot
from .matmul import Dot, Mv, check_product_dtypes

__all__ = [
    "cross",
    "diag",
    "diag_embed",
    "diagonal",
    "dot",
    "einsum",
    "ger",
    "inner",
    "mv",
    "outer",
    "tensordot",
    "trace",
    "tril",
    "triu",
    "vdot",
]


class Vdot(Dot):
    """Conjugating dot product; for real tensors the same as dot."""


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Inner product of two 1-d tensors of one dtype and length."""
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D tensors")
    if input._data.dtype != tensor._data.dtype:  # dtypes are checked before sizes, bool after
        check_product_dtypes(input, tensor, "dot")
    n, m = input.shape[0], tensor.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
            f"number of elements, but got {n} and {m} elements respectively"
        )
    check_product_dtypes(input, tensor, "dot")
    return Dot.apply(input, tensor)


def vdot(input: Tensor, other: Tensor) -> Tensor:
    dot(input, other)  # same checks
    return Vdot.apply(input, other)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix @ vector."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({input.shape[0]}), mat "
            f"({input.shape[0]}x{input.shape[1]}), vec ({vec.shape[0]})"
        )
    check_product_dtypes(input, vec, "mv")
    return Mv.apply(input, vec)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two 1-d tensors (a column times a row, as PyTorch composes it)."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return input.reshape(-1, 1) * vec2


ger = outer


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Sum over the last dims: shape input.shape[:-1] + other.shape[:-1]."""
    check_tensor(input, "inner")
    check_tensor(other, "inner", "other", 2)
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    return tensordot(input, other, dims=([input.ndim - 1], [other.ndim - 1]))


def _diagonal_index(shape: tuple, offset: int, axis1: int, axis2: int) -> tuple:
    """(rows, cols) of the diagonal `offset` in the (axis1, axis2) plane."""
    n = max(0, min(shape[axis1] - max(-offset, 0), shape[axis2] - max(offset, 0)))
    rows = np.arange(n) + max(-offset, 0)
    return rows, rows + offset


class Diagonal(Op):
    """The diagonal moved to the last dim (a view, writable as torch's); d/da = g written
    back onto the diagonal."""

    is_view = True

    @staticmethod
    def forward(ctx, a, offset, axis1, axis2):
        ctx.offset, ctx.axis1, ctx.axis2 = offset, axis1, axis2
        out = np.diagonal(a, offset, axis1, axis2)  # numpy's is read-only
        if a.flags.writeable:
            out.flags.writeable = True
        return out

    @staticmethod
    def backward(ctx, grad):
        shape = ctx._shapes[0]
        out = np.zeros(shape, grad.dtype)
        rows, cols = _diagonal_index(shape, ctx.offset, ctx.axis1, ctx.axis2)
        np.moveaxis(out, (ctx.axis1, ctx.axis2), (-2, -1))[..., rows, cols] = grad
        return out


class DiagonalCopy(Diagonal):
    """torch.diag of a matrix: a new contiguous tensor, not a view."""

    grad_fn_name = "DiagonalBackward0_copy"  # what torch.diag of a matrix records
    is_view = False

    @staticmethod
    def forward(ctx, a, offset, axis1, axis2):
        ctx.offset, ctx.axis1, ctx.axis2 = offset, axis1, axis2
        return np.diagonal(a, offset, axis1, axis2).copy()


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    axis1, axis2 = _wrap_dim(dim1, input.ndim), _wrap_dim(dim2, input.ndim)
    if axis1 == axis2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, offset=offset, axis1=axis1, axis2=axis2)


class DiagEmbed(Op):
    """Last dim written onto the diagonal of new last-two dims; d/da = that diagonal of g."""

    @staticmethod
    def forward(ctx, a, offset):
        ctx.offset = offset
        n = a.shape[-1] + abs(offset)
        out = np.zeros(a.shape[:-1] + (n, n), a.dtype)
        rows, cols = _diagonal_index(out.shape, offset, -2, -1)
        out[..., rows, cols] = a
        return out

    @staticmethod
    def backward(ctx, grad):
        return np.diagonal(grad, ctx.offset, -2, -1).copy()


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    if (_wrap_dim(dim1, input.ndim + 1), _wrap_dim(dim2, input.ndim + 1)) != (
        input.ndim - 1,
        input.ndim,
    ):
        raise NotImplementedError("diag_embed supports only dim1=-2, dim2=-1 in minitorch_ft")
    return DiagEmbed.apply(input, offset=offset)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-d tensor's diagonal matrix, or a matrix's diagonal."""
    check_tensor(input, "diag")
    if input.ndim == 1:
        return DiagEmbed.apply(input, offset=diagonal)
    if input.ndim == 2:
        return DiagonalCopy.apply(input, offset=diagonal, axis1=0, axis2=1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


class Trace(Op):
    """Sum of a matrix's diagonal; d/da = g on the diagonal."""

    @staticmethod
    def forward(ctx, a):
        out = np.trace(a)
        return np.asarray(out, np.int64 if a.dtype.kind in "biu" else a.dtype)

    @staticmethod
    def backward(ctx, grad):
        n, m = ctx._shapes[0]
        return np.eye(n, m, dtype=grad.dtype) * grad


def trace(input: Tensor) -> Tensor:
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return Trace.apply(input)


class Tril(Op):
    """Lower triangle (below `diagonal`) of the last two dims; d/da = g masked the same way."""

    @staticmethod
    def forward(ctx, a, diagonal):
        mask = np.tri(a.shape[-2], a.shape[-1], diagonal, dtype=bool)
        ctx.diagonal = diagonal
        return np.where(mask, a, np.zeros((), a.dtype))

    @staticmethod
    def backward(ctx, grad):
        return np.where(np.tri(*grad.shape[-2:], ctx.diagonal, dtype=bool), grad, 0)


class Triu(Op):
    """Upper triangle (from `diagonal` up); d/da = g masked the same way."""

    @staticmethod
    def forward(ctx, a, diagonal):
        mask = np.tri(a.shape[-2], a.shape[-1], diagonal - 1, dtype=bool)
        ctx.diagonal = diagonal
        return np.where(mask, np.zeros((), a.dtype), a)

    @staticmethod
    def backward(ctx, grad):
        return np.where(np.tri(*grad.shape[-2:], ctx.diagonal - 1, dtype=bool), 0, grad)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    if input.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Tril.apply(input, diagonal=diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    if input.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triu.apply(input, diagonal=diagonal)


class LinalgCross(Op):
    """3-vector cross product along an axis; da = b x g, db = g x a."""

    @staticmethod
    def forward(ctx, a, b, axis):
        ctx.axis = axis
        ctx.save_for_backward(a, b)
        return np.cross(a, b, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        axis = ctx.axis
        return np.cross(b, grad, axis=axis), np.cross(grad, a, axis=axis), None


def cross(input: Tensor, other: Tensor, dim=None) -> Tensor:
    """Cross product along `dim` (default: the first dim of size 3, as torch.cross)."""
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if dim is None:
        sizes = np.broadcast_shapes(input.shape, other.shape)
        dim = next((i for i, s in enumerate(sizes) if s == 3), -1)
    axis = _wrap_dim(dim, input.ndim)
    if input.shape[axis] != 3 or other.shape[axis] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got "
            f"{input.shape[axis]} and {other.shape[axis]}"
        )
    return LinalgCross.apply(input, other, axis=axis)


for _name in (
    "cross",
    "diag",
    "diag_embed",
    "diagonal",
    "dot",
    "ger",
    "inner",
    "mv",
    "outer",
    "trace",
    "tril",
    "triu",
    "vdot",
):
    setattr(Tensor, _name, globals()[_name])
