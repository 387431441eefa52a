"""Unary pointwise math: exp/log family, roots, sigmoid, tanh, erf, abs, square.

Integer and bool inputs of floating functions give the default float dtype, as in PyTorch.
The other pointwise families (trig, rounding, clamp/where, lerp) are re-exported from here,
so `minitorch_ft.<name>` and the Tensor methods come from one import.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import math

import numpy as np

from ..function import Op
from ..tensor import Tensor
from . import _kernels
from ._support import check_tensor, floating, quiet, require_float
from .fused import *  # noqa: F403 - re-exported pointwise families
from .fused import __all__ as _fused_all
from .rounding import *  # noqa: F403
from .rounding import __all__ as _rounding_all
from .rounding import floor_divide_arrays  # noqa: F401 - used by arithmetic.div
from .selection import *  # noqa: F403
from .selection import __all__ as _selection_all
from .special import *  # noqa: F403
from .special import __all__ as _special_all
from .trig import *  # noqa: F403
from .trig import __all__ as _trig_all

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Exp(Op):
    """e^a; d = g * e^a (saves the result, as PyTorch)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.saved[0]


class Exp2(Op):
    """2^a; d = g * 2^a * ln 2."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        out = np.exp2(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.saved[0] * _LN2


class Expm1(Op):
    """e^a - 1, accurate near 0; d = g * (out + 1)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * (ctx.saved[0] + 1)


class Log(Op):
    """ln a; d = g / a."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad / ctx.saved[0]


class Log2(Op):
    """log2 a; d = g / (a ln 2)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log2(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad / (ctx.saved[0] * _LN2)


class Log10(Op):
    """log10 a; d = g / (a ln 10)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log10(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad / (ctx.saved[0] * _LN10)


class Log1P(Op):
    """ln(1 + a), accurate near 0; d = g / (1 + a)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log1p(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad / (ctx.saved[0] + 1)


class Sqrt(Op):
    """sqrt a; d = g / (2 sqrt a)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad / (2 * ctx.saved[0])


class Rsqrt(Op):
    """1 / sqrt a; d = -g * out^3 / 2."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        out = np.reciprocal(np.sqrt(a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (out * out * out) * -0.5


class Reciprocal(Op):
    """1 / a; d = -g * out^2."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        out = ctx.saved[0]
        return -grad * (out * out)


class Sigmoid(Op):
    """1 / (1 + e^-a); d = g * s (1 - s)."""

    @staticmethod
    def forward(ctx, a):
        out = _kernels.sigmoid(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (out * (1 - out))


class Tanh(Op):
    """tanh a; d = g * (1 - out^2)."""

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (1 - out * out)


class Erf(Op):
    """erf a; d = g * 2/sqrt(pi) * e^(-a^2)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _kernels.erf(a)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad * (np.exp(-(a * a)) * _TWO_OVER_SQRT_PI)


class Erfc(Op):
    """1 - erf a; d = -g * 2/sqrt(pi) * e^(-a^2)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _kernels.erfc(a)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad * (np.exp(-(a * a)) * -_TWO_OVER_SQRT_PI)


class Abs(Op):
    """|a|; d = g * sign(a) (0 at 0, as PyTorch)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * np.sign(ctx.saved[0])


def exp(input: Tensor) -> Tensor:
    return Exp.apply(floating(input, "exp"))


def exp2(input: Tensor) -> Tensor:
    return Exp2.apply(floating(input, "exp2"))


def expm1(input: Tensor) -> Tensor:
    return Expm1.apply(floating(input, "expm1"))


def log(input: Tensor) -> Tensor:
    return Log.apply(floating(input, "log"))


def log2(input: Tensor) -> Tensor:
    return Log2.apply(floating(input, "log2"))


def log10(input: Tensor) -> Tensor:
    return Log10.apply(floating(input, "log10"))


def log1p(input: Tensor) -> Tensor:
    return Log1P.apply(floating(input, "log1p"))


def sqrt(input: Tensor) -> Tensor:
    return Sqrt.apply(floating(input, "sqrt"))


def rsqrt(input: Tensor) -> Tensor:
    return Rsqrt.apply(floating(input, "rsqrt"))


def reciprocal(input: Tensor) -> Tensor:
    return Reciprocal.apply(floating(input, "reciprocal"))


def sigmoid(input: Tensor) -> Tensor:
    return Sigmoid.apply(floating(input, "sigmoid"))


def tanh(input: Tensor) -> Tensor:
    return Tanh.apply(floating(input, "tanh"))


def erf(input: Tensor) -> Tensor:
    return Erf.apply(floating(input, "erf"))


def erfc(input: Tensor) -> Tensor:
    return Erfc.apply(floating(input, "erfc"))


def abs(input: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    check_tensor(input, "abs")
    if input._data.dtype.kind == "b":
        require_float(input, "abs_cpu")
    return Abs.apply(input)


def square(input: Tensor) -> Tensor:
    """input ** 2 (PowBackward0, like torch); bool squares to int64."""
    check_tensor(input, "square")
    if input._data.dtype.kind == "b":
        return Tensor._wrap(input._data.astype(np.int64)).pow(2)
    return input.pow(2)


def positive(input: Tensor) -> Tensor:
    """Returns input itself, as `torch.positive` (an error for bool tensors)."""
    check_tensor(input, "positive")
    if input._data.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


# This module's functions, which are Tensor methods too (x.exp(), ...).
_METHODS = (
    "abs",
    "absolute",
    "erf",
    "erfc",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log10",
    "log1p",
    "log2",
    "positive",
    "reciprocal",
    "rsqrt",
    "sigmoid",
    "sqrt",
    "square",
    "tanh",
)

__all__ = [
    *_METHODS,
    *_fused_all,
    *_rounding_all,
    *_selection_all,
    *_special_all,
    *_trig_all,
]

absolute = abs

for _name in _METHODS:
    setattr(Tensor, _name, globals()[_name])
Tensor.__abs__ = abs
