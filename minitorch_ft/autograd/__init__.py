"""Tensor and reverse-mode autograd, with PyTorch's names (`torch.autograd`)."""

from . import ops  # noqa: F401 - attaches op methods to Tensor
from .custom_function import Function, once_differentiable
from .engine import backward, grad
from .function import Node
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .tensor import Tensor

__all__ = [
    "Function",
    "Node",
    "Tensor",
    "backward",
    "enable_grad",
    "grad",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "once_differentiable",
    "set_grad_enabled",
]

from .gradcheck import GradcheckError, gradcheck  # noqa: E402

__all__ += ["GradcheckError", "gradcheck"]
