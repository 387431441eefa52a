"""The activation functions of torch.nn.functional, over the autograd activation ops.

Only argument handling lives here (PyTorch's signatures, the deprecated implicit softmax
dim); the math and grad_fn names are the ops' own.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import warnings

from ..autograd.ops import activation as _act
from ..autograd.ops import elementwise as _ew
from ..autograd.tensor import Tensor

__all__ = [
    "celu",
    "elu",
    "gelu",
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
