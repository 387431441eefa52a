"""Fused similarity nodes for nn.functional: `cosine_similarity` and `pairwise_distance`.

Named after the node PyTorch's composite ends in (SumBackward1, NormBackward1).
"""

from __future__ import annotations

import numpy as np

from ..function import Op


def _p_norm_grad(d: np.ndarray, norm: np.ndarray, p: float) -> np.ndarray:
    """d||d||_p / dd along the last axis (0 where the norm is 0)."""
    safe = np.where(norm > 0, norm, 1)
    if p == np.inf:
        hit = np.abs(d) == norm
        return np.sign(d) * hit / np.maximum(hit.sum(-1, keepdims=True), 1)
    if p == 2:
        return d / safe
    if p == 1:
        return np.sign(d)
    return np.sign(d) * np.abs(d) ** (p - 1) / safe ** (p - 1) * (norm > 0)


class CosineSimilarity(Op):
    """s = sum(a b) / (da db), da = max(|a|, eps); ds/da = b / (da db) - s a / (da |a|).

    The second term divides by the true norm |a| (0 where a = 0), as PyTorch's graph does:
    it divides by the clamped norm but differentiates the norm itself.
    """

    grad_fn_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, b, *, dim, eps):
        a, b = np.broadcast_arrays(a, b)
        na = np.sqrt((a * a).sum(dim, keepdims=True))
        nb = np.sqrt((b * b).sum(dim, keepdims=True))
        da, db = np.maximum(na, eps), np.maximum(nb, eps)
        s = (a * b).sum(dim, keepdims=True) / (da * db)
        ctx.save_for_backward(a, b, na, nb, s)
        ctx.dim, ctx.eps = dim, eps
        # a copy: the output must not share memory with the saved `s`, or an in-place
        # change of the output would silently change the gradient (torch saves no output)
        return np.squeeze(s, dim).astype(np.result_type(a, b))

    @staticmethod
    def backward(ctx, grad):
        a, b, na, nb, s = ctx.saved
        g = np.expand_dims(grad, ctx.dim)
        da, db = np.maximum(na, ctx.eps), np.maximum(nb, ctx.eps)
        need = ctx.needs_input_grad
        grad_a = grad_b = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if need[0]:
                norm_term = np.where(na > 0, s / (da * na), 0)
                grad_a = g * (b / (da * db) - norm_term * a)
            if need[1]:
                norm_term = np.where(nb > 0, s / (db * nb), 0)
                grad_b = g * (a / (da * db) - norm_term * b)
        return grad_a, grad_b


class PairwiseDistance(Op):
    """||a - b + eps||_p along the last dim; d/da = dnorm, d/db = -dnorm."""

    grad_fn_name = "NormBackward1"

    @staticmethod
    def forward(ctx, a, b, *, p, eps, keepdim):
        d = a - b + eps
        if p == np.inf:
            norm = np.abs(d).max(-1, keepdims=True)
        elif p == 0:
            norm = (d != 0).sum(-1, keepdims=True).astype(d.dtype)
        else:
            norm = (np.abs(d) ** p).sum(-1, keepdims=True) ** (1.0 / p)
        out = norm if keepdim else np.squeeze(norm, -1)
        # the returned array itself is saved (as torch saves its result), so an in-place
        # change of the output is caught by the version check instead of skewing the gradient
        ctx.save_for_backward(d, out)
        ctx.p, ctx.keepdim = p, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        d, norm = ctx.saved
        if not ctx.keepdim:
            norm = np.expand_dims(norm, -1)
        g = grad if ctx.keepdim else np.expand_dims(grad, -1)
        dn = g * _p_norm_grad(d, norm, ctx.p) if ctx.p != 0 else np.zeros_like(d)
        return dn, -dn
