"""The in-place activations of torch and torch.nn.functional (`F.elu_`, `torch.selu_`, ...)
and `rrelu`. PyTorch names the nodes of the in-place kernels `...Backward1` (EluBackward1),
so these record subclasses of the activation ops under those names.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from ..function import Op
from ..generator import rng
from ..tensor import Tensor
from . import activation as _act
from ._support import check_tensor, require_float
from .inplace import apply_inplace


class EluBackward1(_act.Elu):
    grad_fn_name = "EluBackward1"


class CeluBackward1(_act.Celu):
    grad_fn_name = "CeluBackward1"


class LeakyReluBackward1(_act.LeakyRelu):
    grad_fn_name = "LeakyReluBackward1"


class ThresholdBackward1(_act.Threshold):
    grad_fn_name = "ThresholdBackward1"


def relu_(input: Tensor) -> Tensor:
    return _act.relu(input, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    require_float(check_tensor(input, "elu_"), "elu_cpu")
    return apply_inplace(input, lambda t: EluBackward1.apply(t, alpha, 1.0, 1.0))


def selu_(input: Tensor) -> Tensor:
    require_float(check_tensor(input, "selu_"), "elu_cpu")
    scale, alpha = _act._SELU_SCALE, _act._SELU_ALPHA
    return apply_inplace(input, lambda t: EluBackward1.apply(t, alpha, scale, 1.0))


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    require_float(check_tensor(input, "celu_"), "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return apply_inplace(input, lambda t: CeluBackward1.apply(t, alpha, 1.0, 1.0 / alpha))


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    require_float(check_tensor(input, "leaky_relu_"), "leaky_relu_cpu")
    return apply_inplace(input, lambda t: LeakyReluBackward1.apply(t, negative_slope))


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """Unlike F.hardtanh, torch does not check min_val <= max_val here."""
    check_tensor(input, "hardtanh_")
    return apply_inplace(input, lambda t: _act.Hardtanh.apply(t, min_val, max_val))


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    check_tensor(input, "threshold_")
    return apply_inplace(input, lambda t: ThresholdBackward1.apply(t, threshold, value))


class RreluWithNoise(Op):
    """a * slope where a < 0 (slope drawn from U[lower, upper] in training, else their mean);
    d = g * slope there."""

    grad_fn_name = "RreluWithNoiseBackward0"

    @staticmethod
    def forward(ctx, a, noise):
        ctx.noise = noise
        return (a * noise).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.noise).astype(grad.dtype, copy=False)


class RreluWithNoiseBackward1(RreluWithNoise):
    grad_fn_name = "RreluWithNoiseBackward1"


def _rrelu_noise(input: Tensor, lower: float, upper: float, training: bool, generator=None):
    require_float(check_tensor(input, "rrelu"), "leaky_relu_cpu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    a = input._data
    if training:
        slopes = rng(generator).uniform(lower, upper, a.shape)
    else:
        slopes = np.full(a.shape, (lower + upper) / 2)
    return np.where(a >= 0, 1.0, slopes).astype(a.dtype)


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Randomized leaky ReLU: slope U[lower, upper] per element in training, else the mean."""
    if inplace:
        return rrelu_(input, lower, upper, training)
    noise = _rrelu_noise(input, lower, upper, training)
    return RreluWithNoise.apply(input, noise=noise)


def rrelu_(
    input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False
) -> Tensor:
    noise = _rrelu_noise(input, lower, upper, training)
    return apply_inplace(input, lambda t: RreluWithNoiseBackward1.apply(t, noise=noise))


# torch's top-level names (torch.relu_, torch.selu_, ...); F takes them all (nn/functional.py)
__all__ = ["celu_", "relu_", "rrelu", "rrelu_", "selu_", "threshold_"]
