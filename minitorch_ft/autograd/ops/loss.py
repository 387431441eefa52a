"""Fused loss nodes PyTorch exposes as single grad_fns (BCE-with-logits).

nn.functional builds the other losses from primitives; this one is fused for stability
and speed, as in PyTorch.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import warnings

import numpy as np

from .. import grad_mode
from ..dtypes import SCALAR_TYPE_NAMES
from ..function import Op
from ..tensor import Tensor
from ._support import broadcast_shape

_REDUCTIONS = ("none", "mean", "sum")


def _softplus_neg(x: np.ndarray, e: np.ndarray | None = None) -> np.ndarray:
    """log(1 + exp(-x)), stable for any magnitude: log1p(exp(-|x|)) + max(-x, 0).

    `e` is exp(-|x|) when the caller already has it.
    """
    if e is None:
        e = np.exp(-np.abs(x))
    return np.log1p(e) + np.maximum(-x, 0)


def _sigmoid(x: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Stable logistic from e = exp(-|x|): 1/(1+e) for x >= 0, e/(1+e) below (a new array)."""
    s = np.maximum(e, x >= 0)  # 1 where x >= 0 (e <= 1 there), else e; no branches
    s /= 1 + e
    return s.astype(x.dtype, copy=False)


def _fit(grad: np.ndarray, like: np.ndarray) -> np.ndarray:
    if grad.shape != like.shape:
        grad = np.broadcast_to(grad, like.shape)
    return grad.astype(like.dtype, copy=False)


class BinaryCrossEntropyWithLogits(Op):
    """l = w * [(1-t) x + (1+(p-1)t) * log(1+exp(-x))]; dl/dx = w (s (p t + 1 - t) - p t)."""

    @staticmethod
    def forward(ctx, x, t, weight, pos_weight, reduction):
        e = np.exp(-np.abs(x))  # in (0, 1]: never overflows; reused by backward
        if pos_weight is None:
            # stable form: max(x, 0) - x t + log1p(exp(-|x|))
            loss = np.maximum(x, 0) - x * t
            loss += np.log1p(e)
        else:
            log_sig_neg = _softplus_neg(x, e)  # -log(sigmoid(x)), stable
            loss = (1 - t) * x + (1 + (pos_weight - 1) * t) * log_sig_neg
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(x, t, weight, pos_weight, e)
        ctx.reduction = reduction
        # weights do not promote, as in PyTorch
        dtype = x.dtype if x.dtype == t.dtype else np.result_type(x.dtype, t.dtype)
        if reduction == "mean":  # sum / n: cheaper than numpy's mean() for small batches
            return np.asarray(loss.sum() / loss.size, dtype=dtype)
        if reduction == "sum":
            return np.asarray(loss.sum(), dtype=dtype)
        return loss.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, t, weight, pos_weight, e = ctx.saved
        scale = grad / x.size if ctx.reduction == "mean" else grad
        if weight is not None:
            scale = scale * weight
        need_x, need_t = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        grad_x = grad_t = None
        if need_x:
            s = _sigmoid(x, e)
            if pos_weight is None:
                grad_x = (s - t) * scale
            else:
                grad_x = scale * (s * (pos_weight * t + 1 - t) - pos_weight * t)
            grad_x = _fit(grad_x, x)
        if need_t:
            if pos_weight is None:
                grad_t = -scale * x
            else:
                grad_t = scale * ((pos_weight - 1) * _softplus_neg(x, e) - x)
            grad_t = _fit(grad_t, t)
        return grad_x, grad_t, None, None, None


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight=None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight=None,
) -> Tensor:
    """Sigmoid + BCE in one stable node (`BinaryCrossEntropyWithLogitsBackward0`)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if not isinstance(target, Tensor):
        from ._operands import as_tensor

        target = as_tensor(target)
    if target._data.shape != input._data.shape:
        raise ValueError(
            f"Target size ({target.shape!r}) must be the same as input size ({input.shape!r})"
        )
    if (
        weight is None
        and pos_weight is None
        and reduction == "mean"
        and (target._data.dtype == input._data.dtype and input._data.dtype.kind == "f")
    ):
        return BinaryCrossEntropyWithLogits.apply(input, target, None, None, reduction)
    if input._data.dtype.kind != "f":  # slow path only: integer/bool logits
        name = SCALAR_TYPE_NAMES.get(input._data.dtype.name, input.dtype)
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{name}'")
    if target._data.dtype.kind == "b":
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not "
            "supported. Use the `^` or `logical_xor()` operator instead."
        )
    if target._data.dtype.kind != "f":
        raise RuntimeError(
            f"result type {SCALAR_TYPE_NAMES.get(input._data.dtype.name, input.dtype)} can't "
            "be cast to the desired output type "
            f"{SCALAR_TYPE_NAMES.get(target._data.dtype.name, target.dtype)}"
        )
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if (
        pos_weight is not None
        and input.ndim
        and pos_weight.ndim
        and (pos_weight.shape[-1] not in (1, input.shape[-1]))
    ):
        raise RuntimeError(
            f"The size of tensor a ({pos_weight.shape[-1]}) must match the size of tensor b "
            f"({input.shape[-1]}) at non-singleton dimension {input.ndim - 1}"
        )
    for name, extra in (("weight", weight), ("pos_weight", pos_weight)):
        if extra is None:
            continue
        if extra._requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError(
                "The function 'binary_cross_entropy_with_logits' is not differentiable with "
                f"respect to argument '{name}'. This input cannot have requires_grad True."
            )
        shape = broadcast_shape(input.shape, extra.shape)  # torch's "size of tensor a" error
        if shape != tuple(input.shape):
            raise RuntimeError(
                f"output with shape {list(input.shape)} doesn't match the "
                f"broadcast shape {list(shape)}"
            )
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def _legacy_reduction(size_average, reduce, reduction: str) -> str:
    """Map PyTorch's deprecated size_average/reduce flags onto `reduction` (and warn)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn(
        "size_average and reduce args will be deprecated, please use "
        f"reduction='{reduction}' instead.",
        UserWarning,
        stacklevel=3,
    )
    return reduction
