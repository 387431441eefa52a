"""More small math: lgamma, digamma, sinc, logaddexp2, float_power, heaviside, gcd/lcm,
dist, aminmax, kron, trapezoid, cov/corrcoef, diagflat, block_diag, cartesian_prod and
combinations.

lgamma/digamma use their own series: shift the argument up by the recurrence, then the
asymptotic (Stirling) expansion; reflection for x < 1/2 (no scipy).
"""

# ruff: noqa: A001, A002 - `input` and `ord` are PyTorch's argument names

from __future__ import annotations

import itertools
import math
from collections import namedtuple

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import broadcast_shape, check_tensor, floating, quiet, type_name
from .linalg_ns import LinalgVectorNorm, _sum_to

__all__ = [
    "aminmax",
    "block_diag",
    "cartesian_prod",
    "combinations",
    "corrcoef",
    "cov",
    "diagflat",
    "digamma",
    "dist",
    "float_power",
    "gcd",
    "heaviside",
    "kron",
    "lcm",
    "lgamma",
    "logaddexp2",
    "sinc",
    "trapezoid",
    "trapz",
]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_SHIFT = 10.0  # the asymptotic series is used for x >= _SHIFT


def _shifted(x: np.ndarray, term):
    """(x moved up to >= _SHIFT, sum of term(x + k) over the steps taken)."""
    z = x.copy()
    acc = np.zeros_like(x)
    for _ in range(int(_SHIFT) + 1):
        low = z < _SHIFT
        if not low.any():
            break
        acc = acc + np.where(low, term(np.where(low, z, 1.0)), 0.0)
        z = np.where(low, z + 1, z)
    return z, acc


@quiet
def _lgamma(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    refl = x < 0.5
    y = np.where(refl, 1 - x, x)
    z, acc = _shifted(y, np.log)  # lgamma(y) = lgamma(z) - sum log(y + k)
    r = 1 / (z * z)
    series = (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / z
    out = (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series - acc
    s = np.abs(np.sin(math.pi * (x - np.floor(x))))  # exact 0 at the poles
    out = np.where(refl, np.log(math.pi / s) - out, out)
    return np.where(refl & (x == np.floor(x)), np.inf, out)


@quiet
def _digamma(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    refl = x < 0.5
    y = np.where(refl, 1 - x, x)
    z, acc = _shifted(y, lambda t: 1 / t)
    r = 1 / (z * z)
    series = r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r / 132))))
    out = np.log(z) - 0.5 / z - series - acc
    frac = x - np.floor(x)
    cot = np.cos(math.pi * frac) / np.sin(math.pi * frac)
    out = np.where(refl, out - math.pi * cot, out)
    out = np.where(refl & (frac == 0), np.nan, out)
    # torch: digamma(+-0) = -+inf, the other poles nan
    return np.where(x == 0, -np.copysign(np.inf, x), out)


@quiet
def _trigamma(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    refl = x < 0.5
    y = np.where(refl, 1 - x, x)
    z, acc = _shifted(y, lambda t: 1 / (t * t))
    r = 1 / (z * z)
    series = (1 + (0.5 + (1 / 6 - r * (1 / 30 - r * (1 / 42 - r / 30))) / z) / z) / z
    out = series + acc
    s = np.sin(math.pi * (x - np.floor(x)))
    return np.where(refl, (math.pi / s) ** 2 - out, out)


class Lgamma(Op):
    """log|Gamma(x)|; d = g digamma(x)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _lgamma(a).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return (grad * _digamma(a)).astype(a.dtype)


class Digamma(Op):
    """d/dx lgamma; d = g trigamma(x)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _digamma(a).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return (grad * _trigamma(a)).astype(a.dtype)


class Sinc(Op):
    """sin(pi x) / (pi x), 1 at 0; d = g (cos(pi x) pi x - sin(pi x)) / (pi x^2), 0 at 0."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        px = math.pi * a
        return np.where(a == 0, np.ones((), a.dtype), np.sin(px) / px).astype(a.dtype)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (a,) = ctx.saved
        px = math.pi * a
        d = (np.cos(px) * px - np.sin(px)) / (px * a)
        return np.where(a == 0, np.zeros((), a.dtype), grad * d).astype(a.dtype)


class Logaddexp2(Op):
    """log2(2^a + 2^b); da = g / (1 + 2^(b - a)), db = g / (1 + 2^(a - b))."""

    @staticmethod
    @quiet
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.logaddexp2(a, b)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        ga = grad / (1 + np.exp2(b - a))
        gb = grad / (1 + np.exp2(a - b))
        return _sum_to(ga, ctx._shapes[0]), _sum_to(gb, ctx._shapes[1])


class Dist(Op):
    """p-norm of a - b (broadcast); the vector norm's gradient, negated for b."""

    @staticmethod
    def forward(ctx, a, b, p):
        diff = a - b
        return LinalgVectorNorm.forward(ctx, diff, p, tuple(range(diff.ndim)), False)

    @staticmethod
    def backward(ctx, grad):
        g = LinalgVectorNorm.backward(ctx, grad)
        return _sum_to(g, ctx._shapes[0]), -_sum_to(g, ctx._shapes[1])


class UnsafeView(Op):
    """The final reshape of kron (torch records it as an unsafe view); d = g reshaped back."""

    @staticmethod
    def forward(ctx, a, shape):
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx._shapes[0])


class _NotDifferentiable(Op):
    grad_fn_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, b, value, name):
        ctx.op_name = name
        return value

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError(f"derivative for aten::{ctx.op_name} is not implemented")


class BlockDiag(Op):
    """Matrices placed along a diagonal; each input's gradient is its block of g."""

    @staticmethod
    def forward(ctx, *mats, dtype):
        rows = sum(m.shape[0] for m in mats)
        cols = sum(m.shape[1] for m in mats)
        out = np.zeros((rows, cols), dtype)
        r = c = 0
        corners = []
        for m in mats:
            corners.append((r, c))
            out[r : r + m.shape[0], c : c + m.shape[1]] = m
            r, c = r + m.shape[0], c + m.shape[1]
        ctx.corners = corners
        return out

    @staticmethod
    def backward(ctx, grad):
        return tuple(
            grad[r : r + s[0], c : c + s[1]].copy()
            for (r, c), s in zip(ctx.corners, ctx._shapes, strict=True)
        )


def lgamma(input: Tensor) -> Tensor:
    return Lgamma.apply(floating(input, "lgamma"))


def digamma(input: Tensor) -> Tensor:
    return Digamma.apply(floating(input, "digamma"))


def sinc(input: Tensor) -> Tensor:
    return Sinc.apply(floating(input, "sinc"))


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:
    check_tensor(input, "logaddexp2")
    check_tensor(other, "logaddexp2", "other", 2)
    dt = np.result_type(input._data, other._data)
    if dt.kind != "f":
        raise NotImplementedError(f"\"logaddexp2_cpu\" not implemented for '{type_name(dt)}'")
    return Logaddexp2.apply(
        input.to(dtypes.from_numpy_dtype(dt)), other.to(dtypes.from_numpy_dtype(dt))
    )


def float_power(input, exponent) -> Tensor:
    """input ** exponent computed in float64 (both operands cast)."""
    if isinstance(input, Tensor):
        input = input.double()
    if isinstance(exponent, Tensor):
        exponent = exponent.double()
    elif not isinstance(input, Tensor):
        raise TypeError("float_power(): argument 'input' (position 1) must be Tensor")
    return input**exponent


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """0 where input < 0, 1 where > 0, `values` where input == 0."""
    check_tensor(values, "heaviside", "values", 2)
    if input._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    a, v = input._data, values._data
    out = np.where(a == 0, v, (a > 0).astype(a.dtype)).astype(a.dtype)
    if input.requires_grad or values.requires_grad:
        return _NotDifferentiable.apply(input, values, value=out, name="heaviside")
    return Tensor._wrap(out)


def _integer_pair(input: Tensor, other: Tensor, kernel: str) -> np.dtype:
    dt = dtypes.result_np_dtype(input, other)
    if dt.kind not in "iu":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(dt)}'")
    return dt


def gcd(input: Tensor, other: Tensor) -> Tensor:
    dt = _integer_pair(input, other, "gcd_cpu")
    return Tensor._wrap(np.gcd(input._data, other._data).astype(dt))


def lcm(input: Tensor, other: Tensor) -> Tensor:
    dt = _integer_pair(input, other, "lcm_cpu")
    return Tensor._wrap(np.lcm(input._data, other._data).astype(dt))


def dist(input: Tensor, other: Tensor, p=2) -> Tensor:
    check_tensor(other, "dist", "other", 2)
    if input._data.dtype.kind != "f" or other._data.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {type_name(np.result_type(input._data, other._data))}"
        )
    broadcast_shape(input.shape, other.shape)  # torch's size-mismatch error
    return Dist.apply(input, other, p=float(p))


AminmaxResult = namedtuple("aminmax", ["min", "max"])


def aminmax(input: Tensor, *, dim=None, keepdim: bool = False) -> AminmaxResult:
    if input.numel() == 0 and dim is None:
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has "
            "no identity."
        )
    d = () if dim is None else dim
    return AminmaxResult(input.amin(d, keepdim), input.amax(d, keepdim))


def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product: every a[i] * other, tiled in a's layout."""
    nd = max(input.ndim, other.ndim)
    a = input.reshape((1,) * (nd - input.ndim) + tuple(input.shape))
    b = other.reshape((1,) * (nd - other.ndim) + tuple(other.shape))
    a_view = a.reshape(tuple(s for d in a.shape for s in (d, 1)))
    b_view = b.reshape(tuple(s for d in b.shape for s in (1, d)))
    shape = tuple(x * y for x, y in zip(a.shape, b.shape, strict=True))
    return UnsafeView.apply(a_view * b_view, shape=shape)


def trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """Trapezoid-rule integral of y along dim, with sample points x or spacing dx (1)."""
    axis = _wrap_dim(dim, y.ndim)
    n = y.shape[axis]
    if n == 0:
        return y.sum(axis)
    left, right = y.narrow(axis, 0, n - 1), y.narrow(axis, 1, n - 1)
    if isinstance(x, Tensor):
        if x.ndim == 1:
            dxs = (x[1:] - x[:-1]).reshape([-1] + [1] * (y.ndim - 1 - axis))
        else:
            xa = _wrap_dim(dim, x.ndim)
            m = x.shape[xa]
            dxs = x.narrow(xa, 1, m - 1) - x.narrow(xa, 0, m - 1)
        return (dxs * (left + right)).sum(axis) / 2
    spacing = 1 if dx is None and x is None else dx if dx is not None else x
    return (left + right).sum(axis) * (spacing / 2)


def trapz(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    return trapezoid(y, x, dx=dx, dim=dim)


def cov(input: Tensor, *, correction: int = 1, fweights=None, aweights=None) -> Tensor:
    """Covariance of the rows (variables) over the columns (observations)."""
    if input.ndim > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with {input.ndim} dimensions"
        )
    x = input if input.ndim == 2 else input.reshape(1, -1)
    if x._data.dtype.kind != "f":
        x = x.to(dtypes.get_default_dtype())
    n_obs = x.shape[1]
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        avg = x.mean(1)
        w_sum = float(n_obs)
        norm = w_sum - correction
    else:
        w = w.to(x.dtype)
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        if aweights is None:
            norm = w_sum - correction
        else:
            norm = w_sum - correction * (w * aweights).sum() / w_sum
    xm = x - avg.unsqueeze(1)
    xw = xm if w is None else xm * w
    if isinstance(norm, Tensor):
        norm = norm.clamp(min=0)
    else:
        norm = max(norm, 0)
    c = xw.mm(xm.t()) / norm
    return c.squeeze()


def corrcoef(input: Tensor) -> Tensor:
    """Pearson correlation coefficients of the rows, clipped to [-1, 1]."""
    c = cov(input)
    if c.ndim == 0:
        return c / c
    std = c.diagonal().sqrt()
    c = c / std.unsqueeze(1)
    c = c / std.unsqueeze(0)
    return c.clamp(-1, 1)


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    return input.reshape(-1).diag_embed(offset)


def block_diag(*tensors) -> Tensor:
    mats = []
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                f"Input {i} has {t.ndim} dimensions"
            )
        mats.append(t.reshape(1, 1) if t.ndim == 0 else t.reshape(1, -1) if t.ndim == 1 else t)
    if not mats:
        return Tensor._wrap(np.zeros((1, 0), dtypes.get_default_dtype().np))
    dt = dtypes.result_np_dtype(*mats)  # every input counts as dimensioned (1x1 for 0-d)
    return BlockDiag.apply(*mats, dtype=dt)


def cartesian_prod(*tensors) -> Tensor:
    from .combine import stack
    from .misc import meshgrid

    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.flatten() for g in grids], 1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    from .combine import stack

    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return Tensor._wrap(np.zeros((0,), input._data.dtype))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(pick(range(input.shape[0]), r)), np.int64).reshape(-1, r)
    return stack([input[Tensor._wrap(idx[:, k].copy())] for k in range(r)], 1)


for _name in (
    "aminmax",
    "digamma",
    "dist",
    "float_power",
    "gcd",
    "heaviside",
    "kron",
    "lcm",
    "lgamma",
    "logaddexp2",
    "sinc",
    "diagflat",
):
    setattr(Tensor, _name, globals()[_name])
