"""`squeeze` and `unsqueeze`: size-1 dims dropped or inserted, as views of the input."""

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim


class Unsqueeze(Op):
    """Insert a size-1 dim; d/da = g with that dim removed."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.expand_dims(a, dim)

    @staticmethod
    def backward(ctx, grad):
        return np.squeeze(grad, ctx.dim), None


class SqueezeDims(Op):
    """Drop the given dims where they have size 1 (`squeeze(dims)`); d/da = g reshaped back."""

    grad_fn_name = "SqueezeBackward2"
    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        dims = tuple(d for d in dims if a.shape[d] == 1)
        return np.squeeze(a, dims) if dims else a.view()

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx._shapes[0]), None


class SqueezeDim(SqueezeDims):
    """`squeeze(dim)` with a single int."""

    grad_fn_name = "SqueezeBackward1"


class SqueezeAll(SqueezeDims):
    """`squeeze()`: every size-1 dim."""

    grad_fn_name = "SqueezeBackward0"


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a size-1 dim at `dim` (a view)."""
    return Unsqueeze.apply(input, _wrap_dim(dim, input.ndim + 1))


def squeeze(input: Tensor, dim=None) -> Tensor:
    """Remove size-1 dims (all, one `dim`, or a tuple of dims); a view."""
    if dim is None:
        return SqueezeAll.apply(input, tuple(range(input.ndim)))
    if isinstance(dim, (tuple, list)):
        return SqueezeDims.apply(input, tuple(_wrap_dim(d, input.ndim) for d in dim))
    axis = _wrap_dim(dim, input.ndim)
    return SqueezeDim.apply(input, (axis,) if input.ndim else ())


Tensor.unsqueeze = unsqueeze
Tensor.squeeze = squeeze
