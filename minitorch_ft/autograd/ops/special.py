"""Special pointwise functions: logit, erfinv, xlogy, logaddexp, hypot, nan_to_num.

erfinv is here because nn.init's truncated normal needs it (uniform -> erfinv -> scale).
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor
from . import _kernels
from ._operands import binary_operands
from ._support import broadcast_shape, check_tensor, floating, quiet, type_name

_SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2


class Logit(Op):
    """log(p / (1 - p)), p clamped to [eps, 1 - eps] if eps; d = g / (p (1 - p)) inside."""

    @staticmethod
    @quiet
    def forward(ctx, a, eps):
        ctx.save_for_backward(a)
        ctx.eps = eps
        p = a if eps is None else np.clip(a, eps, 1 - eps)
        return np.log(p / (1 - p))

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (a,) = ctx.saved
        d = grad / (a * (1 - a))
        if ctx.eps is not None:
            outside = (a < ctx.eps) | (a > 1 - ctx.eps)
            d = np.where(outside, np.zeros((), d.dtype), d)
        return d, None


class Erfinv(Op):
    """Inverse of erf on (-1, 1); d = g sqrt(pi)/2 e^(out^2).

    Saves the input, not the result, as torch's ErfinvBackward0 (which one is version-checked).
    """

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _kernels.erfinv(a)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        out = _kernels.erfinv(ctx.saved[0])
        return grad * (np.exp(out * out) * _SQRT_PI_OVER_2)


class Xlogy(Op):
    """x log(y), 0 where x == 0; d/dx = g log(y) (0 where x == 0), d/dy = g x / y."""

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        if dtype is not None:
            a, b = np.asarray(a, dtype), np.asarray(b, dtype)
        ctx.save_for_backward(a, b)
        out = np.where(a == 0, np.zeros((), np.result_type(a, b)), a * np.log(b))
        return np.where(np.isnan(b), b, out)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        grad_a = None
        if need_a:
            log_b = np.where(np.isnan(b), b, np.where(a != 0, np.log(b), 0))
            grad_a = grad * log_b
        return grad_a, (grad * a / b if need_b else None)


class Logaddexp(Op):
    """log(e^a + e^b), stable; d/da = g sigmoid(a - b), d/db = g sigmoid(b - a)."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return np.logaddexp(a, b, dtype=dtype)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        s = _kernels.sigmoid(np.subtract(a, b))
        return grad * s, grad * (1 - s)


class Hypot(Op):
    """sqrt(a^2 + b^2); d/da = g a / out, d/db = g b / out."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        out = np.hypot(a, b, dtype=dtype)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b, out = ctx.saved
        return grad * a / out, grad * b / out


class Copysign(Op):
    """|a| with the sign of b; d/da = g sign(a) sign(out) (0 where a == 0), d/db = 0."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        out = np.copysign(a, b, dtype=dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        grad_a = np.where(a == 0, 0, grad * np.sign(a) * np.sign(out)).astype(grad.dtype)
        return grad_a, np.zeros_like(grad) if ctx.needs_input_grad[1] else None


class CopysignScalar(Copysign):
    grad_fn_name = "CopysignBackward1"


class NanToNum(Op):
    """Replace nan and +-inf by finite values; d = g where the input was finite."""

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        ctx.save_for_backward(a)
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        return np.where(np.isfinite(ctx.saved[0]), grad, np.zeros((), grad.dtype)), None, None, None


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    return Logit.apply(floating(input, "logit"), eps)


def erfinv(input: Tensor) -> Tensor:
    """The inverse error function: +-inf at +-1, nan outside [-1, 1]."""
    return Erfinv.apply(floating(input, "erfinv"))


def _floating_pair(input, other, kernel: str | None = None):
    """Promote like torch, check broadcasting; integer pairs compute in the default float,
    except for kernels that refuse them (torch's NotImplementedError naming `kernel`)."""
    a, b, dtype = binary_operands(input, other)
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        broadcast_shape(a.shape, b.shape)
    if dtype is None:
        dtype = (a if isinstance(a, Tensor) else b)._data.dtype
    if kernel is not None and dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(dtype)}'")
    if dtype.kind != "f":
        dtype = dtypes.get_default_dtype().np
    return a, b, dtype


def xlogy(input, other) -> Tensor:
    """input * log(other), defined as 0 where input is 0 (unless other is nan)."""
    if not isinstance(input, Tensor):
        check_tensor(other, "xlogy", "other", 2)
    a, b, dtype = _floating_pair(input, other)
    return Xlogy.apply(a, b, dtype=dtype)


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    check_tensor(input, "logaddexp")
    check_tensor(other, "logaddexp", "other", 2)
    a, b, dtype = _floating_pair(input, other, "logaddexp_cpu")
    return Logaddexp.apply(a, b, dtype=dtype)


def hypot(input: Tensor, other: Tensor) -> Tensor:
    check_tensor(input, "hypot")
    check_tensor(other, "hypot", "other", 2)
    a, b, dtype = _floating_pair(input, other, "hypot_cpu")
    return Hypot.apply(a, b, dtype=dtype)


def copysign(input: Tensor, other) -> Tensor:
    """Magnitude of input with the sign of other (a tensor or a number); integers give float."""
    check_tensor(input, "copysign")
    a, b, dtype = _floating_pair(input, other)
    op = Copysign if isinstance(other, Tensor) else CopysignScalar
    return op.apply(a, b, dtype=dtype)


def nan_to_num(
    input: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """nan -> `nan`, +-inf -> `posinf`/`neginf` (default: the dtype's largest finite values)."""
    check_tensor(input, "nan_to_num")
    if input._data.dtype.kind != "f":
        return Tensor._wrap(input._data.copy())
    return NanToNum.apply(input, nan, posinf, neginf)


__all__ = ["copysign", "erfinv", "hypot", "logaddexp", "logit", "nan_to_num", "xlogy"]

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
