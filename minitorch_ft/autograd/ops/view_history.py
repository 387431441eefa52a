"""A view's history after an in-place write into its base: flat_positions, AsStrided, refresh_views."""

from __future__ import annotations

import numpy as np

from ..function import Op, move_retained_grad
from ..tensor import Tensor


def repeats_elements(view) -> bool:
    """Whether a view (an expanded one) shows one memory element more than once: torch's
    CopySlices backward then refuses to write the view's gradient back through it. (numpy
    gives empty arrays any strides, often 0: nothing is repeated there.)"""
    return (
        view is not None
        and view.size > 0
        and any(s == 0 and n > 1 for s, n in zip(view.strides, view.shape, strict=True))
    )


def flat_positions(base: np.ndarray, view: np.ndarray):
    """Flat (C-order) index into base of each element of a view of its memory, or None
    when base's layout (negative or zero strides) makes the mapping ambiguous."""
    if view.size == 0:  # numpy gives empty arrays any strides (often 0): nothing to map
        return np.zeros(view.shape, np.int64)
    if any(s <= 0 for s, n in zip(base.strides, base.shape, strict=True) if n > 1):
        return None
    offsets = np.asarray(
        view.__array_interface__["data"][0] - base.__array_interface__["data"][0], np.int64
    )
    for d, (n, s) in enumerate(zip(view.shape, view.strides, strict=True)):
        offsets = offsets + (np.arange(n) * s).reshape(
            [-1 if j == d else 1 for j in range(view.ndim)]
        )
    coords: list = [np.zeros(view.shape, np.int64)] * base.ndim
    for d in sorted(range(base.ndim), key=lambda d: -base.strides[d]):
        if base.shape[d] > 1:
            coords[d], offsets = np.divmod(offsets, base.strides[d])
    if offsets.any() or any((c >= n).any() for c, n in zip(coords, base.shape, strict=True)):
        return None
    return np.ravel_multi_index(coords, base.shape) if base.ndim else offsets


class AsStrided(Op):
    """A view's history after an in-place write through it: its elements of the base."""

    @staticmethod
    def forward(ctx, base, positions):
        ctx.positions = positions
        return base

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.add.at(out.reshape(-1), ctx.positions, grad)
        return out


def refresh_views(base: Tensor, written: Tensor) -> None:
    """After a recorded in-place write into `base` (directly or through the view `written`),
    every other live view of it reads the new values: its history becomes its elements of
    the base (PyTorch regenerates such a view's grad_fn as AsStridedBackward0)."""
    alive = []
    for ref in base._views:
        view = ref()
        if view is None:
            continue
        alive.append(ref)
        if view is written:
            continue
        positions = flat_positions(base._data, view._data)
        if positions is not None:
            old_node = view.grad_fn
            view.grad_fn = AsStrided.apply(base, positions=positions).grad_fn
            view._requires_grad = True
            move_retained_grad(view, old_node)
    base._views = alive
