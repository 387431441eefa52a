"""PyTorch names tutorials and training loops reach for that no other op family held:
`unfold`, `split_with_sizes`, `real`, `histc`, `cdist`, `sum_to_size`,
`fliplr`/`flipud`, `deg2rad`/`rad2deg`, `is_signed`, `is_same_size`, `detach`.
"""

# ruff: noqa: A002 - `input` is PyTorch's argument name

from __future__ import annotations

import math
import operator

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import check_tensor, quiet, type_name
from .combine import flip, split
from .reduce import sum as _sum
from .shape import sizes_arg

__all__ = [
    "cdist",
    "deg2rad",
    "detach",
    "fliplr",
    "flipud",
    "histc",
    "is_same_size",
    "is_signed",
    "rad2deg",
    "real",
    "split_with_sizes",
]


def real(input: Tensor) -> Tensor:
    """The real part: a real tensor itself (complex dtypes are not supported)."""
    return check_tensor(input, "real")


class Unfold(Op):
    """All windows of `size` every `step` along dim, as a new last dim (a view);
    d/da = each window's gradient added back at its place."""

    is_view = True

    @staticmethod
    def forward(ctx, a, dim, size, step):
        ctx.dim, ctx.size, ctx.step = dim, size, step
        if a.ndim == 0:  # a 0-d tensor is its single one-element window
            return a.reshape(1)[:size]
        windows = np.lib.stride_tricks.sliding_window_view(a, size, axis=dim, writeable=True)
        return windows[(slice(None),) * dim + (slice(None, None, step),)]

    @staticmethod
    def backward(ctx, grad):
        dim, size, step = ctx.dim, ctx.size, ctx.step
        if not ctx._shapes[0]:
            return grad.sum().reshape(())
        out = np.zeros(ctx._shapes[0], grad.dtype)
        count = grad.shape[dim]
        lead = (slice(None),) * dim
        for k in range(size):  # window offset k of window i lands at k + step * i
            out[lead + (slice(k, k + step * (count - 1) + 1, step),)] += grad[..., k]
        return out


def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Tensor.unfold: slices of `size` every `step` along `dimension`, in a new last dim."""
    ndim = input.ndim
    dim = _wrap_dim(dimension, max(ndim, 1))
    length = input.shape[dim] if ndim else 1
    if size > length:
        raise RuntimeError(
            f"maximum size for tensor at dimension {dim} is {length} but size is {size}"
        )
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    return Unfold.apply(input, dim=dim, size=size, step=step)


def split_with_sizes(input: Tensor, split_sizes, dim: int = 0) -> tuple:
    """Pieces of exactly the given sizes along dim (torch.split_with_sizes)."""
    return split(input, list(split_sizes), dim)


def sum_to_size(input: Tensor, *size) -> Tensor:
    """Sum input down to `size`, which must broadcast to input's shape (Tensor.sum_to_size)."""
    size = tuple(sizes_arg(size))
    shape = input.shape
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != d for s, d in zip(size, shape[lead:], strict=True)):
        raise RuntimeError(
            f"size {{[{', '.join(map(str, size))}]}} is not expandable to size "
            f"{{[{', '.join(map(str, shape))}]}}."
        )
    if size == tuple(shape):
        return input
    dims = list(range(lead))
    dims += [lead + i for i, s in enumerate(size) if s == 1 and shape[lead + i] != 1]
    out = _sum(input, dims, keepdim=True)
    return out.view(size) if lead else out


def fliplr(input: Tensor) -> Tensor:
    """Reverse the columns (dim 1) of a tensor of at least 2 dims."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input: Tensor) -> Tensor:
    """Reverse the rows (dim 0) of a tensor of at least 1 dim."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


class Deg2Rad(Op):
    """y = a * pi / 180; d/da = g * pi / 180."""

    @staticmethod
    def forward(ctx, a):
        return (a * (math.pi / 180)).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * (math.pi / 180)


class Rad2Deg(Op):
    """y = a * 180 / pi; d/da = g * 180 / pi."""

    @staticmethod
    def forward(ctx, a):
        return (a * (180 / math.pi)).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * (180 / math.pi)


def _float_input(input: Tensor, fn: str) -> Tensor:
    check_tensor(input, fn)
    if input._data.dtype.kind == "f":
        return input
    return Tensor._wrap(input._data.astype(dtypes.get_default_dtype().np))


def deg2rad(input: Tensor) -> Tensor:
    return Deg2Rad.apply(_float_input(input, "deg2rad"))


def rad2deg(input: Tensor) -> Tensor:
    return Rad2Deg.apply(_float_input(input, "rad2deg"))


def is_signed(input: Tensor) -> bool:
    """True for signed integer and floating dtypes (not uint8 or bool)."""
    return input._data.dtype.kind in "if"


def is_same_size(input: Tensor, other: Tensor) -> bool:
    return input.shape == other.shape


def detach(input: Tensor) -> Tensor:
    """torch.detach(t): the same as t.detach()."""
    return check_tensor(input, "detach").detach()


@quiet
def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    """Counts in `bins` equal bins over [min, max] (the data's range when both are 0);
    values outside are ignored and the top edge is inclusive. Not differentiable."""
    data = check_tensor(input, "histc")._data
    if data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"histogram_cpu\" not implemented for '{type_name(data.dtype)}'"
        )
    bins = operator.index(bins)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and data.size:
        lo, hi = float(data.min()), float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    values = data.reshape(-1)
    values = values[(values >= lo) & (values <= hi)]
    index = np.minimum(((values - lo) * bins / (hi - lo)).astype(np.int64), bins - 1)
    return Tensor._wrap(np.bincount(index, minlength=bins).astype(data.dtype))


class Cdist(Op):
    """p-norm distance between each row of a (..., P, M) and of b (..., R, M);
    d/da = sum_r g * dnorm(a_p - b_r), d/db = -sum_p g * dnorm(a_p - b_r)."""

    @staticmethod
    def forward(ctx, a, b, p):
        d = a[..., :, None, :] - b[..., None, :, :]
        if p == 0:
            out = (d != 0).sum(-1).astype(d.dtype)
        elif p == np.inf:
            out = np.abs(d).max(-1, initial=0)
        else:
            out = (np.abs(d) ** p).sum(-1) ** (1.0 / p)
        ctx.p = p
        ctx.save_for_backward(d, out)
        return out.astype(np.result_type(a, b))

    @staticmethod
    @quiet
    def backward(ctx, grad):
        d, norm = ctx.saved
        p, n = ctx.p, norm[..., None]
        if p == 0:
            dn = np.zeros_like(d)
        elif p == np.inf:
            dn = np.sign(d) * ((np.abs(d) == n) & (n > 0))  # every tie gets it, as torch
        elif p == 1:
            dn = np.sign(d)
        else:  # d|d|_p/dd = sign(d) |d|^(p-1) / |d|_p^(p-1), 0 where the distance is 0
            safe = np.where(n > 0, n, 1)
            dn = np.sign(d) * np.abs(d) ** (p - 1) / safe ** (p - 1) * (n > 0)
            dn[d == 0] = 0  # 0 ** (p - 1) is inf for p < 1
        dn = dn * grad[..., None]
        return dn.sum(-2), -dn.sum(-3)


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode=None) -> Tensor:
    """Pairwise p-norm distances between the rows of x1 and x2 (batched over leading dims)."""
    check_tensor(x1, "cdist", "x1", 1)
    check_tensor(x2, "cdist", "x2", 2)
    for name, t in (("X1", x1), ("X2", x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t.ndim}D")
        if t._data.dtype.kind != "f":
            raise RuntimeError(
                f"cdist only supports floating-point dtypes, {name} got: {type_name(t._data.dtype)}"
            )
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    if x1._data.dtype != x2._data.dtype:
        raise RuntimeError(
            f"expected scalar type {type_name(x1._data.dtype)} but found "
            f"{type_name(x2._data.dtype)}"
        )
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    return Cdist.apply(x1, x2, p=float(p))


Tensor.real = property(real)
Tensor.unfold = unfold
Tensor.split_with_sizes = split_with_sizes
Tensor.sum_to_size = sum_to_size
Tensor.fliplr = fliplr
Tensor.flipud = flipud
Tensor.deg2rad = deg2rad
Tensor.rad2deg = rad2deg
Tensor.is_signed = is_signed
Tensor.is_same_size = is_same_size
Tensor.histc = histc
