"""Views that pick part of a dim: `select` (one index), `narrow` and slices.

Each is a view sharing the base's memory and version counter; backward places the
gradient into zeros of the base's shape.
"""

from __future__ import annotations

import operator

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from .shape import _fmt

__all__ = ["narrow", "select"]


class Select(Op):
    """Pick one index along a dim (a view); d/da = g placed at that index, zeros elsewhere."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim, index):
        # The trailing Ellipsis keeps a 0-d result a view rather than a numpy scalar copy.
        ctx.key = key = (slice(None),) * dim + (index, Ellipsis)
        return a[key] if a.ndim else a.view()

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx._shapes[0], grad.dtype)
        out[ctx.key] = grad
        return out


class Slice(Op):
    """A strided range along a dim (a view); d/da = g placed in that range, zeros elsewhere."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim, start, stop, step):
        ctx.key = key = (slice(None),) * dim + (slice(start, stop, step),)
        return a[key]

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx._shapes[0], grad.dtype)
        out[ctx.key] = grad
        return out


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at `index` along `dim`, with that dim removed (a view)."""
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    axis = _wrap_dim(dim, input.ndim)
    size = input.shape[axis]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size "
            f"{_fmt(input.shape)} at dimension {axis}"
        )
    return Select.apply(input, dim=axis, index=index % size)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """Elements start..start+length along `dim` (a view)."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    axis = _wrap_dim(dim, input.ndim)
    size = input.shape[axis]
    start = operator.index(start)
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return Slice.apply(input, dim=axis, start=start, stop=start + length, step=1)


Tensor.select = select
Tensor.narrow = narrow
