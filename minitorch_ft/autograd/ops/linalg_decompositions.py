"""`linalg` decompositions (eigh, svd, qr, cholesky): values as torch; gradients only for
eigenvalues and singular values, the rest raise NotImplementedError on backward."""

# ruff: noqa: A001, A002 - `input` is PyTorch's argument name

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor
from .linalg_common import EighResult, LinAlgError, QrResult, SvdResult, _float_input, _mT, _square

# ---------------------------------------------------------------- decompositions


class LinalgEigh(Op):
    """Eigenvalues of a symmetric matrix; d/dA = V diag(g) V^T."""

    @staticmethod
    def forward(ctx, a, uplo):
        w, v = np.linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(v)
        return w

    @staticmethod
    def backward(ctx, grad):
        (v,) = ctx.saved
        return (v * grad[..., None, :]) @ _mT(v)


class LinalgSvd(Op):
    """Singular values; d/dA = U diag(g) V^T (reduced factors)."""

    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)
        return s

    @staticmethod
    def backward(ctx, grad):
        u, vh = ctx.saved
        return (u * grad[..., None, :]) @ vh


def _no_grad_output(name: str, value: np.ndarray, A: Tensor) -> Tensor:
    """A factor whose gradient minitorch_ft does not implement: a node that says so."""
    if not A.requires_grad:
        return Tensor._wrap(value)
    return _Unsupported.apply(A, value=value, name=name)


class _Unsupported(Op):
    grad_fn_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, value, name):
        ctx.op_name = name
        return value

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError(
            f"minitorch_ft does not implement the gradient of {ctx.op_name}; "
            "use the eigenvalues/singular values only (eigvalsh, svdvals) for gradients"
        )


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    _square(A, "linalg.eigh")
    return LinalgEigh.apply(A, uplo=UPLO)


def eigh(A: Tensor, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix."""
    _square(A, "linalg.eigh")
    vectors = np.linalg.eigh(A._data, UPLO=UPLO)[1]
    return EighResult(eigvalsh(A, UPLO), _no_grad_output("linalg.eigh eigenvectors", vectors, A))


def svdvals(A: Tensor) -> Tensor:
    _float_input(A, "linalg.svd")
    if A.ndim < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    return LinalgSvd.apply(A)


def svd(A: Tensor, full_matrices: bool = True) -> SvdResult:
    """U, S, Vh with A = U diag(S) Vh; gradients flow through S only."""
    s = svdvals(A)
    u, _, vh = np.linalg.svd(A._data, full_matrices=full_matrices)
    return SvdResult(
        _no_grad_output("linalg.svd U", u, A), s, _no_grad_output("linalg.svd Vh", vh, A)
    )


def qr(A: Tensor, mode: str = "reduced") -> QrResult:
    _float_input(A, "linalg.qr")
    if A.ndim < 2:
        raise RuntimeError("linalg.qr: The input tensor A must have at least 2 dimensions.")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' "
            "(default), 'r', or 'complete'"
        )
    q, r = np.linalg.qr(A._data, mode="complete" if mode == "complete" else "reduced")
    if mode == "r":
        q = np.zeros((0,), A._data.dtype)
    return QrResult(_no_grad_output("linalg.qr", q, A), _no_grad_output("linalg.qr", r, A))


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    _square(A, "linalg.cholesky")
    try:
        low = np.linalg.cholesky(A._data)
    except np.linalg.LinAlgError:
        batch, order = _first_nonpositive_minor(A._data)
        where = f"(Batch element {batch}): " if A.ndim > 2 else ""
        raise LinAlgError(
            f"linalg.cholesky: {where}The factorization could not be completed because the input is "
            f"not positive-definite (the leading minor of order {order} is not "
            "positive-definite)."
        ) from None
    return _no_grad_output("linalg.cholesky", _mT(low).copy() if upper else low, A)


def _first_nonpositive_minor(a: np.ndarray) -> tuple:
    """(batch index, order) of the first leading minor that is not positive-definite."""
    for b, mat in enumerate(a.reshape(-1, *a.shape[-2:])):
        for k in range(1, mat.shape[-1] + 1):
            try:
                np.linalg.cholesky(mat[:k, :k])
            except np.linalg.LinAlgError:
                return b, k
    return 0, a.shape[-1]
