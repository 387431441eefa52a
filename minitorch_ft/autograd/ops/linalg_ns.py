"""`minitorch_ft.linalg` (torch.linalg): norms, det, inverse, solve and the decompositions.

Gradients use the standard matrix-calculus formulas; decompositions whose gradient is not
simple (eigenvectors, singular vectors, qr, cholesky) raise NotImplementedError on backward.
"""

# ruff: noqa: A001, A002 - `input` and `ord` are PyTorch's argument names

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import quiet, type_name
from .linalg import cross as _torch_cross
from .linalg import diagonal as _diagonal
from .linalg_common import (  # noqa: F401 - shared; some re-exported
    EighResult,
    LinAlgError,
    QrResult,
    SlogdetResult,
    SvdResult,
    _float_input,
    _mT,
    _square,
    _sum_to,
)
from .linalg_decompositions import cholesky, eigh, eigvalsh, qr, svd, svdvals  # noqa: F401
from .reduce import reduce_axes

__all__ = [
    "LinAlgError",
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "eigh",
    "eigvalsh",
    "inv",
    "matrix_norm",
    "matrix_power",
    "multi_dot",
    "norm",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]


# ---------------------------------------------------------------- norms


class LinalgVectorNorm(Op):
    """(sum |x|^p)^(1/p) over axes; d = g sign(x) |x|^(p-1) / norm^(p-1) (inf: the maxima
    share g evenly, 0: no gradient)."""

    @staticmethod
    @quiet
    def forward(ctx, a, ord, axes, keepdim):
        ctx.ord, ctx.axes, ctx.keepdim = ord, axes, keepdim
        x = np.abs(a)
        if ord == math.inf:
            out = x.max(axes, keepdims=True, initial=0)
        elif ord == -math.inf:
            out = x.min(axes, keepdims=True)
        elif ord == 0:
            out = (x != 0).sum(axes, keepdims=True).astype(a.dtype)
        elif ord == 1:
            out = x.sum(axes, keepdims=True)
        elif ord == 2:
            out = np.sqrt((x * x).sum(axes, keepdims=True))
        else:
            out = (x**ord).sum(axes, keepdims=True) ** (1.0 / ord)
        ctx.save_for_backward(a, out)
        return out.astype(a.dtype) if keepdim else np.squeeze(out, axes).astype(a.dtype)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, out = ctx.saved
        p = ctx.ord
        if not ctx.keepdim:
            grad = np.expand_dims(grad, ctx.axes)
        if p == 0:
            return None  # torch leaves the input's grad undefined
        if p == 1:
            return np.sign(a) * grad
        if p in (math.inf, -math.inf):
            hit = np.abs(a) == out
            share = hit / hit.sum(ctx.axes, keepdims=True)
            return np.sign(a) * share * grad
        if p == 2:
            d = a / out
        else:
            d = np.sign(a) * np.abs(a) ** (p - 1) / out ** (p - 1)
        return np.where(out == 0, np.zeros((), a.dtype), d * grad).astype(a.dtype)


def vector_norm(x: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """The vector p-norm of x over `dim` (every element when None)."""
    _float_input(x, "linalg.vector_norm")
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    ord = float(ord)
    if isinstance(dim, int):
        dim = (dim,)
    axes = reduce_axes(dim, x.ndim)
    if x.numel() == 0 and ord < 0 or (ord == math.inf and x.numel() == 0 and dim is None):
        raise RuntimeError(
            f"linalg.vector_norm cannot compute the {ord:g} norm on an empty tensor because "
            "the operation does not have an identity"
        )
    return LinalgVectorNorm.apply(x, ord=ord, axes=axes, keepdim=keepdim)


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None):
    """Frobenius, nuclear, or the induced 1/inf/2 (and -1/-inf/-2) norms over two dims."""
    _float_input(A, "linalg.matrix_norm")
    if A.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    if dtype is not None:
        A = A.to(dtypes.to_dtype(dtype))
    d0, d1 = (_wrap_dim(d, A.ndim) for d in dim)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        moved = A.movedim((d0, d1), (-2, -1))
        s = svdvals(moved)
        out = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
    elif ord in (1, -1, math.inf, -math.inf):
        summed, other = (d0, d1) if ord in (1, -1) else (d1, d0)
        col = A.abs().sum(summed, keepdim=keepdim)
        if not keepdim and other > summed:
            other -= 1
        return col.amax(other, keepdim) if ord > 0 else col.amin(other, keepdim)
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if keepdim:
        for d in sorted((d0, d1)):
            out = out.unsqueeze(d)
    return out


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """A vector norm (1-d input, int dim, or ord None with no dim) or a matrix norm (2 dims)."""
    if isinstance(dim, int):
        dim = (dim,)
    if (
        isinstance(ord, str)
        or (dim is not None and len(dim) == 2)
        or (dim is None and ord is not None and A.ndim == 2)
    ):
        return matrix_norm(A, "fro" if ord is None else ord, dim or (-2, -1), keepdim, dtype=dtype)
    if dim is None and ord is not None and A.ndim != 1:
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
            f"Got {A.ndim}D."
        )
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


# ---------------------------------------------------------------- det, inverse, solve


class LinalgDet(Op):
    """det(A); d/dA = g det(A) A^-T."""

    @staticmethod
    def forward(ctx, a):
        out = np.linalg.det(a)
        ctx.save_for_backward(a, out)
        return np.asarray(out, a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        g = (grad * out)[..., None, None]
        return (g * _mT(np.linalg.inv(a))).astype(a.dtype)


class LinalgSlogdet(Op):
    """log|det A|; d/dA = g A^-T."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.asarray(np.linalg.slogdet(a)[1], a.dtype)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return (grad[..., None, None] * _mT(np.linalg.inv(a))).astype(a.dtype)


class Logdet(LinalgSlogdet):
    """log det A (nan for a negative det); the same gradient as slogdet's logabsdet."""

    grad_fn_name = "WhereBackward0"  # torch composes logdet from slogdet and a where

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        sign, logabs = np.linalg.slogdet(a)
        return np.asarray(np.where(sign < 0, np.nan, logabs), a.dtype)


class LinalgInvEx(Op):
    """A^-1; d/dA = -A^-T g A^-T."""

    @staticmethod
    def forward(ctx, a):
        out = np.linalg.inv(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (inv_a,) = ctx.saved
        t = _mT(inv_a)
        return -(t @ grad @ t)


class LinalgSolveEx(Op):
    """X with A X = B; dB = A^-T g, dA = -dB X^T (batch dims broadcast)."""

    @staticmethod
    def forward(ctx, a, b, vector, left):
        ctx.vector, ctx.left = vector, left
        if not left:  # X A = B is A^T X^T = B^T
            x = _mT(np.linalg.solve(_mT(a), _mT(b)))
            ctx.save_for_backward(a, x)
            return x
        x = np.linalg.solve(a, b[..., None] if vector else b)
        ctx.save_for_backward(a, x)
        return x[..., 0] if vector else x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved
        if not ctx.left:  # dB = g A^-T, dA = -X^T dB
            gb = _mT(np.linalg.solve(a, _mT(grad)))
            return _sum_to(-_mT(x) @ gb, ctx._shapes[0]), _sum_to(gb, ctx._shapes[1])
        g = grad[..., None] if ctx.vector else grad
        gb = np.linalg.solve(_mT(a), g)
        ga = -gb @ _mT(x)
        shape_a, shape_b = ctx._shapes[0], ctx._shapes[1]
        gb = gb[..., 0] if ctx.vector else gb
        return _sum_to(ga, shape_a), _sum_to(gb, shape_b)


def _check_singular(a: np.ndarray, fn: str) -> None:
    if a.size and np.any(np.linalg.matrix_rank(a) < a.shape[-1]):
        if fn == "linalg.inv":
            raise LinAlgError(
                f"linalg.inv: The diagonal element {_first_zero_pivot(a)} is zero, the "
                "inversion could not be completed because the input matrix is singular."
            )
        raise LinAlgError(
            "torch.linalg.solve: The solver failed because the input matrix is singular."
        )


def _first_zero_pivot(a: np.ndarray) -> int:
    """1-based index of LU's first zero pivot, as LAPACK reports it."""
    m = np.array(a.reshape(-1, *a.shape[-2:])[0], np.float64)
    n = m.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(m[k:, k])))
        if m[p, k] == 0:
            return k + 1
        m[[k, p]] = m[[p, k]]
        m[k + 1 :] -= np.outer(m[k + 1 :, k] / m[k, k], m[k])
    return n


def det(A: Tensor) -> Tensor:
    _square(A, "linalg.det")
    return LinalgDet.apply(A)


def slogdet(A: Tensor) -> SlogdetResult:
    """(sign, log|det A|); only logabsdet is differentiable."""
    _square(A, "linalg.slogdet")
    sign = Tensor._wrap(np.asarray(np.linalg.slogdet(A._data)[0], A._data.dtype))
    return SlogdetResult(sign, LinalgSlogdet.apply(A))


def logdet(input: Tensor) -> Tensor:
    _square(input, "linalg.slogdet")
    return Logdet.apply(input)


def inv(A: Tensor) -> Tensor:
    _square(A, "linalg.inv")
    _check_singular(A._data, "linalg.inv")
    return LinalgInvEx.apply(A)


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (X A = B when left=False); B may be a vector or a batch of them."""
    _square(A, "linalg.solve")
    _float_input(B, "linalg.solve")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{type_name(A._data.dtype)} and B of type {type_name(B._data.dtype)} instead"
        )
    vector = left and (B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1]))
    n = A.shape[-1]
    if (B.shape[-1] if vector or not left else B.shape[-2]) != n:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({A.shape[-2]}x{n} and {B.shape[-2] if B.ndim > 1 else B.shape[-1]}x"
            f"{B.shape[-1] if B.ndim > 1 else 1})"
        )
    _check_singular(A._data, "linalg.solve")
    return LinalgSolveEx.apply(A, B, vector=vector, left=left)


def matrix_power(A: Tensor, n: int) -> Tensor:
    """A^n by repeated squaring (n < 0: of the inverse; n = 0: the identity)."""
    _square(A, "linalg.matrix_power", check_float=False)
    if n == 0:
        eye = np.broadcast_to(np.eye(A.shape[-1], dtype=A._data.dtype), A.shape).copy()
        return Tensor._wrap(eye)
    if n < 0:
        A, n = inv(A), -n
        if n == 1:
            return A
    if n == 1:
        return A.clone()
    result, base = None, A
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """torch.linalg.cross: like torch.cross but `dim` defaults to -1."""
    return _torch_cross(input, other, dim=dim)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return _diagonal(A, offset, dim1, dim2)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Sum of x * y over `dim` (broadcasting the others)."""
    return (x * y).sum(dim)


def multi_dot(tensors) -> Tensor:
    """A chain of matrix products; the first and last may be 1-d (row / column vectors)."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first_vec, last_vec = tensors[0].ndim == 1, tensors[-1].ndim == 1
    mats = list(tensors)
    if first_vec:
        mats[0] = mats[0].unsqueeze(0)
    if last_vec:
        mats[-1] = mats[-1].unsqueeze(1)
    for i, t in enumerate(mats):
        if t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {tensors[i].ndim}D")
    for i in range(len(mats) - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {list(tensors[i].shape)} "
                f"and {list(tensors[i + 1].shape)} cannot be multiplied"
            )
    out = mats[0]
    for t in mats[1:]:
        out = out.mm(t)
    shape = [s for s, drop in ((out.shape[0], first_vec), (out.shape[1], last_vec)) if not drop]
    return out.view(shape)


def _matrix_power_method(self: Tensor, n: int) -> Tensor:
    return matrix_power(self, n)


Tensor.det = det
Tensor.inverse = inv
Tensor.logdet = logdet
Tensor.slogdet = slogdet
Tensor.matrix_power = _matrix_power_method
