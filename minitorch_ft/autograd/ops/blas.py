"""beta * input + alpha * product: addmm, addmv, addr, baddbmm, addbmm (torch's BLAS-style ops).

input broadcasts to the product's shape (the engine sums its gradient back). beta=0 ignores
input entirely, nan included, as torch documents. Integer tensors truncate a float beta or
alpha (addr refuses one instead); each op checks its arguments in torch's order and words.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .. import dtypes, grad_mode
from ..dtypes import CPP_TYPE_NAMES
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import type_name
from .shape import expand

__all__ = ["addbmm", "addmm", "addmv", "addr", "baddbmm"]


def _combine(c, prod, beta, alpha):
    """beta * c + alpha * prod, skipping c when beta is 0 (so its nan does not leak)."""
    out = prod if alpha == 1 else prod * alpha
    if not beta:
        return out.astype(prod.dtype, copy=False)
    return (out + (c if beta == 1 else c * beta)).astype(prod.dtype, copy=False)


def _scalars(dtype: np.dtype, beta, alpha):
    if dtype.kind in "iu":
        return int(beta), int(alpha)  # torch truncates them for integer tensors
    return beta, alpha


def _size(t: Tensor, dim: int) -> int:
    return t.shape[_wrap_dim(dim, t.ndim)]


def _expand_input(input: Tensor, shape: tuple) -> None:
    with grad_mode.no_grad():
        expand(input.detach(), shape)  # raises torch's expand errors


def _no_bool(t: Tensor, kernel: str) -> None:
    if t._data.dtype == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


class Addmm(Op):
    """beta*c + alpha*(a @ b); dc = beta g, da = alpha g b^T, db = alpha a^T g."""

    @staticmethod
    def forward(ctx, c, a, b, beta, alpha):
        ctx.beta, ctx.alpha = beta, alpha
        ctx.save_for_backward(a, b)
        return _combine(c, a @ b, beta, alpha)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        _, need_a, need_b = ctx.needs_input_grad
        g = grad * ctx.alpha if ctx.alpha != 1 else grad
        return (grad * ctx.beta, g @ b.T if need_a else None, a.T @ g if need_b else None)


def _check_addmm_dtypes(input: Tensor, mat1: Tensor, mat2: Tensor) -> None:
    for name, t in (("self", input), ("mat1", mat1)):
        if t._data.dtype != mat2._data.dtype:
            raise RuntimeError(
                f"{name} and mat2 must have the same dtype, but got "
                f"{type_name(t._data.dtype)} and {type_name(mat2._data.dtype)}"
            )


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (mat1 @ mat2); input broadcasts to the product's shape."""
    for name, t in (("mat1", mat1), ("mat2", mat2)):
        if t.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {t.ndim}-D tensor")
    _check_addmm_dtypes(input, mat1, mat2)
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
            f"{mat2.shape[0]}x{mat2.shape[1]})"
        )
    _expand_input(input, (mat1.shape[0], mat2.shape[1]))
    _no_bool(mat1, "addmm_impl_cpu_")
    beta, alpha = _scalars(mat1._data.dtype, beta, alpha)
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


class Addmv(Op):
    """beta*c + alpha*(m @ v); dc = beta g, dm = alpha g v^T (outer), dv = alpha m^T g."""

    @staticmethod
    def forward(ctx, c, m, v, beta, alpha):
        ctx.beta, ctx.alpha = beta, alpha
        ctx.save_for_backward(m, v)
        return _combine(c, m @ v, beta, alpha)

    @staticmethod
    def backward(ctx, grad):
        m, v = ctx.saved
        _, need_m, need_v = ctx.needs_input_grad
        g = grad * ctx.alpha if ctx.alpha != 1 else grad
        return grad * ctx.beta, np.outer(g, v) if need_m else None, m.T @ g if need_v else None


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (mat @ vec) for a matrix and a vector."""
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, {vec.ndim}"
        )
    n = input.shape[0] if input.ndim else 1
    if mat.shape[1] != vec.shape[0] or (n != mat.shape[0] and input._data.size != 1):
        if input.ndim == 0:  # torch's message reads the size of input's dim 0
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        raise RuntimeError(
            f"size mismatch, got input ({n}), mat ({mat.shape[0]}x{mat.shape[1]}), "
            f"vec ({vec.shape[0]})"
        )
    if not input._data.dtype == mat._data.dtype == vec._data.dtype:
        raise RuntimeError(
            "addmv input tensors must have the same dtype, but got "
            + ", ".join(type_name(t._data.dtype) for t in (input, mat))
            + f", and {type_name(vec._data.dtype)}"
        )
    _no_bool(mat, "addmv_impl_cpu")
    beta, alpha = _scalars(mat._data.dtype, beta, alpha)
    return Addmv.apply(input, mat, vec, beta=beta, alpha=alpha)


class Addr(Op):
    """beta*c + alpha*outer(u, v); dc = beta g, du = alpha g v, dv = alpha g^T u."""

    @staticmethod
    def forward(ctx, c, u, v, beta, alpha, dtype):
        ctx.beta, ctx.alpha, ctx.dtype = beta, alpha, dtype
        ctx.save_for_backward(u, v)
        ctx.dtypes = c.dtype, u.dtype, v.dtype
        c, u, v = (x.astype(dtype, copy=False) for x in (c, u, v))
        if dtype == np.bool_:  # torch reads bool beta/alpha as "keep this term"
            return (c & bool(beta)) | (np.outer(u, v) & bool(alpha))
        return _combine(c, np.outer(u, v), beta, alpha)

    @staticmethod
    def backward(ctx, grad):
        u, v = ctx.saved
        _, need_u, need_v = ctx.needs_input_grad
        # as torch's engine, the gradient arrives in the output's dtype (a wider one may come
        # from, e.g., a float64 multiplier); each result leaves in its input's dtype
        grad = grad.astype(ctx.dtype, copy=False)
        # torch's gradients are mv(grad, v) and mv(grad^T, u): mv takes no mixed dtypes
        for need, vec in ((need_u, v), (need_v, u)):
            if need and vec.dtype != grad.dtype:
                vec_name = type_name(vec.dtype)
                raise RuntimeError(
                    "addmv input tensors must have the same dtype, but got "
                    f"{vec_name}, {type_name(grad.dtype)}, and {vec_name}"
                )
        g = grad * ctx.alpha if ctx.alpha != 1 else grad
        grads = grad * ctx.beta, g @ v if need_u else None, g.T @ u if need_v else None
        return tuple(
            None if x is None else x.astype(dt, copy=False)
            for x, dt in zip(grads, ctx.dtypes, strict=True)
        )


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * outer(vec1, vec2); the three dtypes promote, unlike addmm."""
    for name, t in (("vec1", vec1), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {t.ndim}-D")
    _expand_input(input, (vec1.shape[0], vec2.shape[0]))
    # input is expanded first, so a 0-d input ranks like the vectors in the promotion
    dimensioned = (SimpleNamespace(_data=np.empty(1, t._data.dtype)) for t in (input, vec1, vec2))
    dtype = dtypes.result_np_dtype(*dimensioned)
    if dtype.kind in "iu":
        for name, x in (("beta", beta), ("alpha", alpha)):
            if isinstance(x, float):
                raise RuntimeError(
                    f"For integral input tensors, argument {name} must not be a floating "
                    "point number."
                )
    return Addr.apply(input, vec1, vec2, beta=beta, alpha=alpha, dtype=dtype)


class Baddbmm(Op):
    """beta*c + alpha*(a @ b) per batch; dc = beta g, da = alpha g b^T, db = alpha a^T g."""

    @staticmethod
    def forward(ctx, c, a, b, beta, alpha):
        ctx.beta, ctx.alpha = beta, alpha
        ctx.save_for_backward(a, b)
        return _combine(c, np.matmul(a, b), beta, alpha)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        _, need_a, need_b = ctx.needs_input_grad
        g = grad * ctx.alpha if ctx.alpha != 1 else grad
        grad_a = g @ b.transpose(0, 2, 1) if need_a else None
        return grad * ctx.beta, grad_a, a.transpose(0, 2, 1) @ g if need_b else None


def _check_batches(batch1: Tensor, batch2: Tensor) -> None:
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (batch1 @ batch2), matrix by matrix over the batch."""
    _expand_input(input, (_size(batch1, 0), _size(batch1, 1), _size(batch2, 2)))
    names = [CPP_TYPE_NAMES[t._data.dtype.name] for t in (input, batch1, batch2)]
    if names[0] != names[1]:
        raise RuntimeError(
            f"Input dtypes must be the same, got: input {names[0]}, batch1: {names[1]}, "
            f"batch2: {names[2]}"
        )
    if names[1] != names[2]:
        raise RuntimeError(
            f"expected scalar type {type_name(batch1._data.dtype)} but found "
            f"{type_name(batch2._data.dtype)}"
        )
    _check_batches(batch1, batch2)
    if batch2.shape[:2] != (batch1.shape[0], batch1.shape[2]):
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{batch1.shape[0]}, {batch1.shape[2]}] but got: "
            f"[{batch2.shape[0]}, {batch2.shape[1]}]."
        )
    _no_bool(batch1, "baddbmm")
    beta, alpha = _scalars(batch1._data.dtype, beta, alpha)
    return Baddbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha)


class Addbmm(Baddbmm):
    """beta*c + alpha * sum over the batch of a_i @ b_i; da_i = alpha g b_i^T, db_i = alpha a_i^T g."""

    @staticmethod
    def forward(ctx, c, a, b, beta, alpha):
        ctx.beta, ctx.alpha = beta, alpha
        ctx.save_for_backward(a, b)
        prod = (
            np.matmul(a, b).sum(axis=0) if len(a) else np.zeros((a.shape[1], b.shape[2]), a.dtype)
        )
        return _combine(c, prod.astype(a.dtype, copy=False), beta, alpha)

    @staticmethod
    def backward(ctx, grad):
        grad_c, grad_a, grad_b = Baddbmm.backward(ctx, grad[None])
        return grad_c[0], grad_a, grad_b


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (sum over the batch of batch1[i] @ batch2[i])."""
    _expand_input(input, (_size(batch1, 1), _size(batch2, 2)))
    _check_batches(batch1, batch2)
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(
            "batch1 and batch2 must have same number of batches, got "
            f"{batch1.shape[0]} and {batch2.shape[0]}"
        )
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(
            f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x{batch1.shape[2]} and "
            f"{batch2.shape[1]}x{batch2.shape[2]})"
        )
    _check_addmm_dtypes(input, batch1, batch2)
    _no_bool(batch1, "addmm_impl_cpu_")
    beta, alpha = _scalars(batch1._data.dtype, beta, alpha)
    return Addbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha)


for _fn in (addbmm, addmm, addmv, addr, baddbmm):
    setattr(Tensor, _fn.__name__, _fn)
