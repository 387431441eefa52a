"""Fused lookup nodes: `embedding` (EmbeddingBackward0) and dropout's masked multiply.

Embedding's backward scatters rows into a zero gradient instead of building a one-hot
matrix; dropout keeps its scaled mask for backward (PyTorch's MulBackward0).
"""

from __future__ import annotations

import numpy as np

from ..function import Op


class Embedding(Op):
    """out = W[idx]; dW[i] = sum of the grads of every position that looked up row i."""

    @staticmethod
    def forward(ctx, weight, indices, *, padding_idx, scale_grad_by_freq):
        ctx.save_for_backward(indices)
        ctx.num_rows = weight.shape[0]
        ctx.padding_idx = padding_idx
        ctx.scale_grad_by_freq = scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad):
        (indices,) = ctx.saved
        flat = indices.reshape(-1)
        rows = grad.reshape(flat.size, -1)
        if ctx.scale_grad_by_freq:
            counts = np.bincount(flat, minlength=ctx.num_rows)
            rows = rows / counts[flat][:, None]
        grad_w = np.zeros((ctx.num_rows, rows.shape[1]), dtype=grad.dtype)
        np.add.at(grad_w, flat, rows)
        if ctx.padding_idx is not None:
            grad_w[ctx.padding_idx] = 0
        return grad_w, None


class DropoutMul(Op):
    """out = x * mask, the mask already scaled by 1/(1-p); dx = g * mask."""

    grad_fn_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, mask):
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved
        return grad * mask, None
