"""Trigonometric and hyperbolic functions (tanh lives with sigmoid in elementwise.py)."""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor
from ._operands import binary_operands
from ._support import broadcast_shape, check_tensor, floating, quiet


class Sin(Op):
    """sin a; d = g cos a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * np.cos(ctx.saved[0])


class Cos(Op):
    """cos a; d = -g sin a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * -np.sin(ctx.saved[0])


class Tan(Op):
    """tan a; d = g (1 + out^2)."""

    @staticmethod
    def forward(ctx, a):
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        return grad * (1 + out * out)


class Asin(Op):
    """arcsin a; d = g / sqrt(1 - a^2)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arcsin(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad / np.sqrt(1 - a * a)


class Acos(Op):
    """arccos a; d = -g / sqrt(1 - a^2)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arccos(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        return -grad / np.sqrt(1 - a * a)


class Atan(Op):
    """arctan a; d = g / (1 + a^2)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arctan(a)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad / (1 + a * a)


class Sinh(Op):
    """sinh a; d = g cosh a."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sinh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * np.cosh(ctx.saved[0])


class Cosh(Op):
    """cosh a; d = g sinh a."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cosh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        return grad * np.sinh(ctx.saved[0])


class Asinh(Op):
    """arsinh a; d = g / sqrt(a^2 + 1)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arcsinh(a)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad / np.sqrt(a * a + 1)


class Acosh(Op):
    """arcosh a; d = g / sqrt(a^2 - 1)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arccosh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad / np.sqrt(a * a - 1)


class Atanh(Op):
    """artanh a; d = g / (1 - a^2)."""

    @staticmethod
    @quiet
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.arctanh(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad / (1 - a * a)


class Atan2(Op):
    """atan2(a, b), the angle of (b, a); d/da = g b / r^2, d/db = -g a / r^2."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b, dtype=dtype)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        scale = grad / (a * a + b * b)
        return scale * b, scale * -a


def sin(input: Tensor) -> Tensor:
    return Sin.apply(floating(input, "sin"))


def cos(input: Tensor) -> Tensor:
    return Cos.apply(floating(input, "cos"))


def tan(input: Tensor) -> Tensor:
    return Tan.apply(floating(input, "tan"))


def asin(input: Tensor) -> Tensor:
    return Asin.apply(floating(input, "asin"))


def acos(input: Tensor) -> Tensor:
    return Acos.apply(floating(input, "acos"))


def atan(input: Tensor) -> Tensor:
    return Atan.apply(floating(input, "atan"))


def sinh(input: Tensor) -> Tensor:
    return Sinh.apply(floating(input, "sinh"))


def cosh(input: Tensor) -> Tensor:
    return Cosh.apply(floating(input, "cosh"))


def asinh(input: Tensor) -> Tensor:
    return Asinh.apply(floating(input, "asinh"))


def acosh(input: Tensor) -> Tensor:
    return Acosh.apply(floating(input, "acosh"))


def atanh(input: Tensor) -> Tensor:
    return Atanh.apply(floating(input, "atanh"))


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise angle of (other, input), promoted to a floating dtype and broadcast."""
    check_tensor(input, "atan2")
    check_tensor(other, "atan2", "other", 2)
    broadcast_shape(input.shape, other.shape)
    a, b, dtype = binary_operands(input, other)
    result = a._data.dtype if dtype is None else dtype
    if result.kind != "f":  # integer pairs compute in the default float dtype
        result = dtypes.get_default_dtype().np
    return Atan2.apply(a, b, dtype=result)


arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
arcsinh, arccosh, arctanh = asinh, acosh, atanh

__all__ = [
    "acos",
    "acosh",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cos",
    "cosh",
    "sin",
    "sinh",
    "tan",
]

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
