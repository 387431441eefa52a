"""Shape ops: reshape, view, squeeze, unsqueeze, transpose, ... (views share memory)."""

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim


class Unsqueeze(Op):
    """Insert a size-1 dim; d/da = g with that dim removed."""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.expand_dims(a, dim)

    @staticmethod
    def backward(ctx, grad):
        return np.squeeze(grad, ctx.dim), None


class SqueezeDim(Op):
    """Drop one size-1 dim (`squeeze(dim)`); d/da = g reshaped back."""

    grad_fn_name = "SqueezeBackward1"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.shape = a.shape
        return np.squeeze(a, dim) if a.shape[dim] == 1 else a

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class SqueezeAll(Op):
    """Drop every size-1 dim (`squeeze()`)."""

    grad_fn_name = "SqueezeBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.shape = a.shape
        return np.squeeze(a)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class SqueezeDims(Op):
    """Drop a tuple of dims (`squeeze(dims)`), and the dim matmul added for a 1-D operand."""

    grad_fn_name = "SqueezeBackward4"

    @staticmethod
    def forward(ctx, a, dims):
        ctx.shape = a.shape
        dims = tuple(d for d in dims if a.shape[d] == 1)
        return np.squeeze(a, dims) if dims else a

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    return Unsqueeze.apply(input, _wrap_dim(dim, input.ndim + 1))


def squeeze(input: Tensor, dim=None) -> Tensor:
    if dim is None:
        return SqueezeAll.apply(input)
    if isinstance(dim, (tuple, list)):
        return SqueezeDims.apply(input, tuple(_wrap_dim(d, input.ndim) for d in dim))
    if input.ndim == 0:
        _wrap_dim(dim, 0)
        return SqueezeDims.apply(input, ())
    return SqueezeDim.apply(input, _wrap_dim(dim, input.ndim))


Tensor.unsqueeze = unsqueeze
Tensor.squeeze = squeeze
