"""The activation functions of torch.nn.functional, over the autograd activation ops.

Only argument handling lives here (PyTorch's signatures, the deprecated implicit softmax
dim); the math and grad_fn names are the ops' own.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import warnings

import numpy as np

from ..autograd.function import Op
from ..autograd.ops import activation as _act
from ..autograd.ops import elementwise as _ew
from ..autograd.ops._support import require_float
from ..autograd.tensor import Tensor, _wrap_dim

__all__ = [
    "celu",
    "elu",
    "gelu",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "leaky_relu",
    "log_softmax",
    "logsigmoid",
    "mish",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "tanh",
    "tanhshrink",
    "threshold",
]


relu = _act.relu  # same signature as F.relu; no wrapper call on the hot path


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.relu6(input, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    return _act.leaky_relu(input, negative_slope, inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _act.elu(input, alpha, inplace)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.selu(input, inplace)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _act.celu(input, alpha, inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    return _act.gelu(input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.silu(input, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.mish(input, inplace)


def sigmoid(input: Tensor) -> Tensor:
    return _ew.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    return _ew.tanh(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return _act.softplus(input, beta, threshold)


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    return _act.hardtanh(input, min_val, max_val, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    return _act.logsigmoid(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.hardsigmoid(input, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.hardswish(input, inplace)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    return _act.threshold(input, threshold, value, inplace)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return _act.hardshrink(input, lambd)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return _act.softshrink(input, lambd)


def softsign(input: Tensor) -> Tensor:
    return _act.softsign(input)


def tanhshrink(input: Tensor) -> Tensor:
    return _act.tanhshrink(input)


class _Glu(Op):
    """a * sigmoid(b) for the halves a, b of `dim`; da = g s, db = g a s (1 - s)."""

    grad_fn_name = "GluBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        a, b = np.split(x, 2, axis=dim)
        s = 1.0 / (1.0 + np.exp(-b))
        ctx.save_for_backward(a, s)
        ctx.dim = dim
        return a * s

    @staticmethod
    def backward(ctx, grad):
        a, s = ctx.saved
        gs = grad * s
        return np.concatenate([gs, gs * a * (1 - s)], axis=ctx.dim), None


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: split `dim` in half, first half * sigmoid(second half)."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = _wrap_dim(dim, input.ndim)
    if input.shape[dim] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim} is size {input.shape[dim]}"
        )
    return _Glu.apply(require_float(input, "glu_cpu"), dim)


def _implicit_dim(name: str, ndim: int, stacklevel: int) -> int:
    """PyTorch's deprecated default dim (0 for 0-, 1- and 3-d inputs, else 1), with its warning."""
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call "
        "to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _implicit_dim("softmax", input.ndim, _stacklevel)
    return _act.softmax(input, dim, dtype=dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _implicit_dim("softmin", input.ndim, _stacklevel)
    return _act.softmin(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _implicit_dim("log_softmax", input.ndim, _stacklevel)
    return _act.log_softmax(input, dim, dtype=dtype)
