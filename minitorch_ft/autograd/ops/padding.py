"""`pad` as one node: constant (with negative pads cropping), reflect, replicate, circular.

Reflect/replicate/circular are gathers along each padded dim, so backward scatters the
gradient back through the same index maps.
"""

from __future__ import annotations

import numpy as np

from ..function import Op


def _pairs(pad: tuple, ndim: int) -> list:
    """PyTorch's (last_lo, last_hi, prev_lo, prev_hi, ...) as [(axis, lo, hi), ...]."""
    return [(ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]


def _index_map(size: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each output position along one axis, the input position it copies."""
    pos = np.arange(-lo, size + hi)
    if mode == "replicate":
        return np.clip(pos, 0, size - 1)
    if mode == "circular":  # torch crops first (negative pads), then wraps the kept part
        start, kept = max(-lo, 0), size - max(-lo, 0) - max(-hi, 0)
        return start + np.arange(-max(lo, 0), kept + max(hi, 0)) % kept
    period = 2 * (size - 1)  # reflect without repeating the edge
    pos = np.abs(pos) % period if period else np.zeros_like(pos)
    return np.where(pos >= size, period - pos, pos)


class ConstantPadNd(Op):
    """Pad with a value (or crop with negative pads); the gradient is the inner slice."""

    @staticmethod
    def forward(ctx, x, *, pad, value):
        out_shape = list(x.shape)
        src = [slice(None)] * x.ndim
        dst = [slice(None)] * x.ndim
        for axis, lo, hi in _pairs(pad, x.ndim):
            n = x.shape[axis]
            out_shape[axis] = n + lo + hi
            src[axis] = slice(max(-lo, 0), n - max(-hi, 0))
            dst[axis] = slice(max(lo, 0), max(lo, 0) + max(n - max(-lo, 0) - max(-hi, 0), 0))
        if min(out_shape, default=1) < 0:
            raise RuntimeError(
                f"The input size {x.shape}, plus negative padding {pad} "
                "resulted in a negative output size"
            )
        out = np.full(out_shape, value, dtype=x.dtype)
        out[tuple(dst)] = x[tuple(src)]
        ctx.slices = (tuple(src), tuple(dst))
        ctx.in_shape = x.shape
        return out

    @staticmethod
    def backward(ctx, grad):
        src, dst = ctx.slices
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        out[src] = grad[dst]
        return out


class GatherPad(Op):
    """reflect / replicate / circular padding through per-axis index maps."""

    @staticmethod
    def forward(ctx, x, *, pad, mode):
        maps = [
            (axis, _index_map(x.shape[axis], lo, hi, mode)) for axis, lo, hi in _pairs(pad, x.ndim)
        ]
        out = x
        for axis, idx in maps:
            out = np.take(out, idx, axis=axis)
        ctx.maps, ctx.in_shape = maps, x.shape
        return out

    @staticmethod
    def backward(ctx, grad):
        for axis, idx in reversed(ctx.maps):
            moved = np.moveaxis(grad, axis, 0)
            acc = np.zeros((ctx.in_shape[axis], *moved.shape[1:]), dtype=grad.dtype)
            np.add.at(acc, idx, moved)
            grad = np.moveaxis(acc, 0, axis)
        return grad
