"""Fused pointwise formulas PyTorch records as one node: lerp, addcmul, addcdiv."""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..dtypes import CPP_TYPE_NAMES
from ..function import Op
from ..tensor import Tensor
from ._operands import as_tensor, is_scalar
from ._support import broadcast_shape, check_tensor, quiet, type_name


def _cast(arrays, dtype):
    return arrays if dtype is None else [np.asarray(x, dtype) for x in arrays]


def _lerp(a, b, w):
    """torch's two-sided lerp formula: exact at both ends (w = 0 gives a, w = 1 gives b)."""
    diff = b - a
    if isinstance(w, np.ndarray):
        return np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))
    return a + w * diff if abs(w) < 0.5 else b - diff * (1 - w)


class LerpScalar(Op):
    """a + w (b - a) with a number weight; d/da = (1-w) g, d/db = w g."""

    grad_fn_name = "LerpBackward0"

    @staticmethod
    def forward(ctx, a, b, weight, dtype=None):
        a, b = _cast((a, b), dtype)
        ctx.weight = weight
        return _lerp(a, b, weight)

    @staticmethod
    def backward(ctx, grad):
        w = ctx.weight
        return grad * (1 - w), grad * w, None


class LerpTensor(Op):
    """a + w (b - a) with a tensor weight; d/dw = g (b - a)."""

    grad_fn_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, a, b, w, dtype=None):
        a, b, w = _cast((a, b, w), dtype)
        ctx.save_for_backward(a, b, w)
        return _lerp(a, b, w)

    @staticmethod
    def backward(ctx, grad):
        a, b, w = ctx.saved
        need_a, need_b, need_w = ctx.needs_input_grad
        return (
            grad * (1 - w) if need_a else None,
            grad * w if need_b else None,
            grad * (b - a) if need_w else None,
        )


class Addcmul(Op):
    """x + value * t1 * t2; d/dx = g, d/dt1 = g value t2, d/dt2 = g value t1."""

    @staticmethod
    def forward(ctx, x, t1, t2, value=1, dtype=None):
        x, t1, t2 = _cast((x, t1, t2), dtype)
        ctx.value = value
        ctx.save_for_backward(t1, t2)
        prod = t1 * t2 if value == 1 else t1 * t2 * value
        return x + prod

    @staticmethod
    def backward(ctx, grad):
        t1, t2 = ctx.saved
        _, need_1, need_2 = ctx.needs_input_grad
        g = grad if ctx.value == 1 else grad * ctx.value
        return grad, g * t2 if need_1 else None, g * t1 if need_2 else None


class Addcdiv(Op):
    """x + value * t1 / t2; d/dt1 = g value / t2, d/dt2 = -g value t1 / t2^2."""

    @staticmethod
    @quiet
    def forward(ctx, x, t1, t2, value=1, dtype=None):
        x, t1, t2 = _cast((x, t1, t2), dtype)
        ctx.value = value
        ctx.save_for_backward(t1, t2)
        quot = t1 / t2 if value == 1 else t1 / t2 * value
        return x + quot

    @staticmethod
    @quiet
    def backward(ctx, grad):
        t1, t2 = ctx.saved
        _, need_1, need_2 = ctx.needs_input_grad
        g = grad if ctx.value == 1 else grad * ctx.value
        return grad, g / t2 if need_1 else None, -g * t1 / (t2 * t2) if need_2 else None


def _result(*operands) -> np.dtype | None:
    """The promoted dtype, or None when every tensor already has it (no casts needed)."""
    result = dtypes.result_np_dtype(*operands)
    tensors = [t for t in operands if isinstance(t, Tensor)]
    return None if all(t._data.dtype == result for t in tensors) else result


def _check_operands(name: str, *tensors) -> None:
    for position, (arg, t) in enumerate(zip(("input", "tensor1", "tensor2"), tensors, strict=True)):
        check_tensor(t, name, arg, position + 1)


def lerp(input: Tensor, end: Tensor, weight) -> Tensor:
    """input + weight * (end - input); weight is a number or a tensor (broadcast)."""
    check_tensor(input, "lerp")
    check_tensor(end, "lerp", "end", 2)
    if input._data.dtype != end._data.dtype:
        raise RuntimeError(
            f"expected dtype {CPP_TYPE_NAMES[input.dtype.name]} for `end` but got dtype "
            f"{CPP_TYPE_NAMES[end.dtype.name]}"
        )
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"lerp_kernel_scalar\" not implemented for '{type_name(input._data.dtype)}'"
        )
    if is_scalar(weight):
        broadcast_shape(input.shape, end.shape)
        return LerpScalar.apply(input, end, weight)
    weight = as_tensor(weight)
    broadcast_shape(input.shape, end.shape, weight.shape)
    return LerpTensor.apply(input, end, weight, dtype=_result(input, end, weight))


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """input + value * tensor1 * tensor2, one node (AddcmulBackward0)."""
    _check_operands("addcmul", input, tensor1, tensor2)
    broadcast_shape(input.shape, tensor1.shape, tensor2.shape)
    return Addcmul.apply(
        input, tensor1, tensor2, value=value, dtype=_result(input, tensor1, tensor2)
    )


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """input + value * tensor1 / tensor2, one node (AddcdivBackward0); true division."""
    _check_operands("addcdiv", input, tensor1, tensor2)
    if tensor1._data.dtype.kind in "iub" and tensor2._data.dtype.kind in "iub":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes."
        )
    broadcast_shape(input.shape, tensor1.shape, tensor2.shape)
    return Addcdiv.apply(
        input, tensor1, tensor2, value=value, dtype=_result(input, tensor1, tensor2)
    )


__all__ = ["addcdiv", "addcmul", "lerp"]

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
