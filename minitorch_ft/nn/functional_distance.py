"""Similarity and distance functions of torch.nn.functional: `cosine_similarity`,
`pairwise_distance` (each one fused node from autograd/ops/distance.py)."""

# ruff: noqa: A002 - PyTorch's parameter names

from __future__ import annotations

import numpy as np

from ..autograd.ops.distance import CosineSimilarity, PairwiseDistance
from ..autograd.tensor import Tensor, _wrap_dim

__all__ = ["cosine_similarity", "pairwise_distance"]


def _broadcast_shape(a: Tensor, b: Tensor) -> tuple:
    try:
        return np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        for i, (x, y) in enumerate(zip(a.shape[::-1], b.shape[::-1], strict=False)):
            if x != y and 1 not in (x, y):
                dim = max(a.ndim, b.ndim) - 1 - i
                raise RuntimeError(
                    f"The size of tensor a ({x}) must match the size of tensor "
                    f"b ({y}) at non-singleton dimension {dim}"
                ) from None
        raise


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x1 . x2 / (max(||x1||, eps) max(||x2||, eps)) along dim, broadcasting x1 and x2."""
    shape = _broadcast_shape(x1, x2)
    return CosineSimilarity.apply(x1, x2, dim=_wrap_dim(dim, len(shape)), eps=eps)


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """||x1 - x2 + eps||_p over the last dim."""
    _broadcast_shape(x1, x2)
    return PairwiseDistance.apply(x1, x2, p=float(p), eps=eps, keepdim=keepdim)
