"""Activation functions with PyTorch's signatures, formulas and grad_fn names.

These are what `nn.functional` wraps. `inplace=True` writes the result into the input through
the in-place machinery (version counter, leaf checks), like `F.relu(x, inplace=True)`.
Softmax and friends live in softmax.py and are re-exported here.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import math

import numpy as np

from ..function import Op
from ..tensor import Tensor
from . import _kernels
from ._support import check_tensor, quiet, require_float
from .softmax import log_softmax, softmax, softmin  # noqa: F401 - re-exported

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class Relu(Op):
    """max(a, 0); d = g where out > 0 (0 at the kink, as torch)."""

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # Multiplying by the mask is ~10x faster than np.where on random signs; it differs
        # from torch only for an inf/nan upstream gradient where the input was <= 0.
        return grad * (ctx.saved[0] > 0)


class LeakyRelu(Op):
    """a if a > 0 else slope * a; d = g or slope * g (slope at 0)."""

    @staticmethod
    def forward(ctx, a, slope):
        ctx.save_for_backward(a)
        ctx.slope = slope
        return np.where(a > 0, a, a * slope)

    @staticmethod
    def backward(ctx, grad):
        return np.where(ctx.saved[0] > 0, grad, grad * ctx.slope), None


class Elu(Op):
    """scale * (a if a > 0 else alpha (e^(a*s) - 1)); d = scale alpha s e^(a*s) g for a <= 0.

    One class for elu, selu (EluBackward0) and celu (CeluBackward0, s = 1/alpha).
    """

    @staticmethod
    @quiet
    def forward(ctx, a, alpha, scale, input_scale):
        ctx.save_for_backward(a)
        ctx.coefs = (alpha, scale, input_scale)
        neg = np.expm1(np.minimum(a, 0) * input_scale) * (alpha * scale)
        return np.where(a > 0, a * scale if scale != 1 else a, neg).astype(a.dtype, copy=False)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (a,) = ctx.saved
        alpha, scale, s = ctx.coefs
        neg = grad * (np.exp(np.minimum(a, 0) * s) * (alpha * scale * s))
        return np.where(a > 0, grad * scale, neg).astype(grad.dtype, copy=False), None, None, None


class Celu(Elu):
    pass


class Gelu(Op):
    """x Phi(x) (exact, erf) or its tanh approximation; d = Phi(x) + x phi(x) for the exact."""

    @staticmethod
    def forward(ctx, a, approximate):
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        if approximate == "tanh":
            inner = (a + 0.044715 * a * a * a) * _SQRT_2_OVER_PI
            return 0.5 * a * (1 + np.tanh(inner))
        return 0.5 * a * (1 + _kernels.erf(a * _SQRT_HALF))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        if ctx.approximate == "tanh":
            t = np.tanh((a + 0.044715 * a * a * a) * _SQRT_2_OVER_PI)
            d_inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * a * a)
            return grad * (0.5 * (1 + t) + 0.5 * a * (1 - t * t) * d_inner), None
        cdf = 0.5 * (1 + _kernels.erf(a * _SQRT_HALF))
        pdf = np.exp(-0.5 * a * a) * _INV_SQRT_2PI
        return grad * (cdf + a * pdf), None


class Silu(Op):
    """x sigmoid(x); d = g s (1 + x (1 - s))."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * _kernels.sigmoid(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        s = _kernels.sigmoid(a)
        return grad * (s * (1 + a * (1 - s)))


class Mish(Op):
    """x tanh(softplus(x)); d = g (t + x sigmoid(x) (1 - t^2))."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * np.tanh(np.logaddexp(0, a))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        t = np.tanh(np.logaddexp(0, a))
        return grad * (t + a * _kernels.sigmoid(a) * (1 - t * t))


class Softplus(Op):
    """log(1 + e^(beta x)) / beta, linear above the threshold; d = g sigmoid(beta x)."""

    @staticmethod
    def forward(ctx, a, beta, threshold):
        ctx.save_for_backward(a)
        ctx.beta, ctx.threshold = beta, threshold
        z = a * beta if beta != 1 else a
        # logaddexp(0, z) = max(z, 0) + log1p(e^-|z|): stable where torch's log1p(exp) overflows
        soft = np.logaddexp(0, z)
        return np.where(z > threshold, a, soft / beta if beta != 1 else soft)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        z = a * ctx.beta if ctx.beta != 1 else a
        return np.where(z > ctx.threshold, grad, grad * _kernels.sigmoid(z)), None, None


class Hardtanh(Op):
    """clip(a, lo, hi); d = g strictly inside (lo, hi)."""

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a)
        ctx.lo, ctx.hi = lo, hi
        return np.minimum(np.maximum(a, lo), hi).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        inside = (a > ctx.lo) & (a < ctx.hi)
        return np.where(inside, grad, np.zeros((), grad.dtype)), None, None


class LogSigmoid(Op):
    """log sigmoid(a) = min(a, 0) - log1p(e^-|a|) (stable); d = g sigmoid(-a)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))

    @staticmethod
    def backward(ctx, grad):
        return grad * _kernels.sigmoid(-ctx.saved[0])


class Hardsigmoid(Op):
    """relu6(a + 3) / 6; d = g / 6 on (-3, 3)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return (np.clip(a + 3, 0, 6) / 6).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return np.where((a > -3) & (a < 3), grad / 6, np.zeros((), grad.dtype))


class Hardswish(Op):
    """a relu6(a + 3) / 6; d = g (2a + 3) / 6 on (-3, 3), g from 3 up, 0 to -3 (as torch)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return (a * np.clip(a + 3, 0, 6) / 6).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        mid = grad * ((2 * a + 3) / 6)
        return np.where(a <= -3, np.zeros((), grad.dtype), np.where(a < 3, mid, grad))


class Threshold(Op):
    """a if a > threshold else value; d = g where a > threshold."""

    @staticmethod
    def forward(ctx, a, threshold, value):
        ctx.save_for_backward(a)
        ctx.threshold = threshold
        return np.where(a > threshold, a, value).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        keep = ctx.saved[0] > ctx.threshold
        return np.where(keep, grad, np.zeros((), grad.dtype)), None, None


class Hardshrink(Op):
    """a where |a| > lambd, else 0; d = g there."""

    @staticmethod
    def forward(ctx, a, lambd):
        ctx.save_for_backward(a)
        ctx.lambd = lambd
        return np.where(np.abs(a) > lambd, a, np.zeros((), a.dtype))

    @staticmethod
    def backward(ctx, grad):
        keep = np.abs(ctx.saved[0]) > ctx.lambd
        return np.where(keep, grad, np.zeros((), grad.dtype)), None


class Softshrink(Op):
    """a - lambd above lambd, a + lambd below -lambd, else 0; d = g outside [-lambd, lambd]."""

    @staticmethod
    def forward(ctx, a, lambd):
        ctx.save_for_backward(a)
        ctx.lambd = lambd
        return (np.sign(a) * np.maximum(np.abs(a) - lambd, 0)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        keep = np.abs(ctx.saved[0]) > ctx.lambd
        return np.where(keep, grad, np.zeros((), grad.dtype)), None


def _maybe_inplace(input: Tensor, inplace: bool, fn) -> Tensor:
    """Run fn(input); with inplace=True write the result into input (PyTorch's `inplace=`)."""
    if not inplace:
        return fn(input)
    from .inplace import apply_inplace

    return apply_inplace(input, fn)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0); works on integer tensors too, as torch.relu."""
    if not inplace and type(input) is Tensor and input._data.dtype.kind == "f":
        return Relu.apply(input)  # the common case, without the checks below
    if check_tensor(input, "relu")._data.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    return _maybe_inplace(input, inplace, Relu.apply)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """hardtanh(input, 0, 6): torch records it as HardtanhBackward0."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    require_float(check_tensor(input, "leaky_relu"), "leaky_relu_cpu")
    return _maybe_inplace(input, inplace, lambda t: LeakyRelu.apply(t, negative_slope))


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    require_float(check_tensor(input, "elu"), "elu_cpu")
    return _maybe_inplace(input, inplace, lambda t: Elu.apply(t, alpha, 1.0, 1.0))


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants (EluBackward0, as torch)."""
    require_float(check_tensor(input, "selu"), "elu_cpu")
    return _maybe_inplace(input, inplace, lambda t: Elu.apply(t, _SELU_ALPHA, _SELU_SCALE, 1.0))


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha (e^(x/alpha) - 1))."""
    require_float(check_tensor(input, "celu"), "elu_cpu")
    return _maybe_inplace(input, inplace, lambda t: Celu.apply(t, alpha, 1.0, 1.0 / alpha))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x): exact (erf) by default, or the tanh approximation (`approximate='tanh'`)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    require_float(check_tensor(input, "gelu"), "GeluKernelImpl")
    return Gelu.apply(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    require_float(check_tensor(input, "silu"), "silu_cpu")
    return _maybe_inplace(input, inplace, Silu.apply)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    require_float(check_tensor(input, "mish"), "mish_cpu")
    return _maybe_inplace(input, inplace, Mish.apply)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, reverting to x where beta x > threshold."""
    require_float(check_tensor(input, "softplus"), "softplus_cpu")
    return Softplus.apply(input, beta, threshold)


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """Clip to [min_val, max_val]; keeps integer dtypes, like torch."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    check_tensor(input, "hardtanh")
    return _maybe_inplace(input, inplace, lambda t: Hardtanh.apply(t, min_val, max_val))


def logsigmoid(input: Tensor) -> Tensor:
    require_float(check_tensor(input, "logsigmoid"), "log_sigmoid_cpu")
    return LogSigmoid.apply(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    require_float(check_tensor(input, "hardsigmoid"), "hardsigmoid_cpu")
    return _maybe_inplace(input, inplace, Hardsigmoid.apply)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    require_float(check_tensor(input, "hardswish"), "hardswish_cpu")
    return _maybe_inplace(input, inplace, Hardswish.apply)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    check_tensor(input, "threshold")
    return _maybe_inplace(input, inplace, lambda t: Threshold.apply(t, threshold, value))


_threshold = threshold  # reachable from threshold_, whose parameter shadows the name


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return Hardshrink.apply(
        require_float(check_tensor(input, "hardshrink"), "hardshrink_cpu"), lambd
    )


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return Softshrink.apply(
        require_float(check_tensor(input, "softshrink"), "softshrink_cpu"), lambd
    )


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|), composed like torch (DivBackward0)."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x), composed like torch (SubBackward0)."""
    return input - input.tanh()


def relu_(input: Tensor) -> Tensor:
    return relu(input, inplace=True)


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _threshold(input, threshold, value, inplace=True)


# torch exposes these at top level (torch.relu, torch.softmax, ...); the rest via nn.functional.
__all__ = [
    "celu",
    "celu_",
    "hardshrink",
    "log_softmax",
    "relu",
    "relu_",
    "selu",
    "selu_",
    "softmax",
    "threshold",
    "threshold_",
]

for _name in ("relu", "relu_", "hardshrink", "softmax", "log_softmax"):
    setattr(Tensor, _name, globals()[_name])
