"""`linear` as one fused node: y = x W^T + b (AddmmBackward0 for 2-D input, like PyTorch).

One node instead of transpose + matmul + add, and backward skips the weight gradient of a
frozen layer and the input gradient of a data batch (`ctx.needs_input_grad`).
"""

# ruff: noqa: A001, A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from ..dtypes import CPP_TYPE_NAMES, SCALAR_TYPE_NAMES, TENSOR_TYPE_NAMES
from ..function import Op
from ..tensor import Tensor
from ._support import broadcast_shape


class Addmm(Op):
    """y = x W^T (+ b); dx = g W, dW = g^T x, db = sum of g over the leading dims."""

    fresh_grads = True  # three new arrays from matmuls and a sum
    listed_inputs = (2, 0, 1)  # torch's addmm(bias, input, weight.t()) order

    @staticmethod
    def forward(ctx, x, w, b=None):
        need = ctx.needs_input_grad
        if need:
            ctx.save_for_backward(x if need[1] else None, w if need[0] else None)
        if x.ndim == 2:
            out = x @ w.T
        else:  # fold leading dims into one matrix product (faster than batched matmul)
            out = (x.reshape(-1, x.shape[-1]) @ w.T).reshape(*x.shape[:-1], w.shape[0])
        if b is not None:
            out += b
        return out

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved
        need = ctx.needs_input_grad
        grad_x = grad_w = grad_b = None
        if need[0]:
            grad_x = grad @ w
        g2 = grad.reshape(-1, grad.shape[-1]) if grad.ndim != 2 else grad
        if need[1]:
            grad_w = g2.T @ (x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x)
        if len(need) > 2 and need[2]:
            grad_b = g2.sum(axis=0)
        return grad_x, grad_w, grad_b


# PyTorch names the output node after the last op of its decomposition; the math is the same.
class _LinearMm(Addmm):
    grad_fn_name = "MmBackward0"


class _LinearView(Addmm):
    grad_fn_name = "ViewBackward0"


class _LinearUnsafeView(Addmm):
    grad_fn_name = "UnsafeViewBackward0"


class _LinearSqueeze(Addmm):
    grad_fn_name = "SqueezeBackward4"


class _AddmmMatrixBias(Addmm):
    """addmm with a bias that broadcasts as a matrix ([1, out], [n, 1], [n, out]): its
    gradient leaves backward in the output's shape, and the engine sums it down."""

    grad_fn_name = "AddmmBackward0"

    @staticmethod
    def backward(ctx, grad):
        grad_x, grad_w, _ = Addmm.backward(ctx, grad)
        return grad_x, grad_w, grad if ctx.needs_input_grad[2] else None


def _node_class(ndim: int, has_bias: bool) -> type:
    if ndim == 2:
        return Addmm if has_bias else _LinearMm
    if ndim == 1:
        return _LinearView if has_bias else _LinearSqueeze
    return _LinearView if has_bias else _LinearUnsafeView


def _dims(shape) -> str:
    return "x".join(str(s) for s in shape)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """`torch.nn.functional.linear`: input @ weight.T + bias, with PyTorch's errors."""
    x, w = input._data, weight._data
    # Fast path for the common case (2-D batch, matching dtypes and sizes): no checks to run.
    if x.ndim == 2 and w.ndim == 2 and x.shape[1] == w.shape[1] and x.dtype == w.dtype:
        if bias is None:
            return _LinearMm.apply(input, weight)
        b = bias._data
        if b.ndim == 1 and b.shape[0] == w.shape[0] and b.dtype == x.dtype:
            return Addmm.apply(input, weight, bias)
    return _linear_checked(input, weight, bias)


def _linear_checked(input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """The general path: other ranks, broadcast biases, and PyTorch's error messages."""
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are "
            f"{input.ndim}D and {weight.ndim}D"
        )
    if weight.ndim != 2:  # rare: a vector of weights; fall back to the general matmul
        if bias is None:
            return input.matmul(weight)
        if input.ndim == 1 and bias.ndim == 0:  # torch: a dot product plus the bias
            return input.matmul(weight) + bias
        raise RuntimeError(f"mat2 must be a matrix, got {weight.ndim}-D tensor")
    _check_dtypes(input, weight, bias)
    if input.shape[-1] != weight.shape[1]:
        rows = int(np.prod(input.shape[:-1]))
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{_dims(weight.shape[::-1])})"
        )
    node = _node_class(input.ndim, bias is not None)
    if bias is None:
        return node.apply(input, weight)
    if input.ndim == 2 and bias.ndim == 2:
        node = _AddmmMatrixBias
    out_shape = (*input.shape[:-1], weight.shape[0])
    if bias.ndim > 1 and input.ndim != 2:
        return _linear_wide_bias(input, weight, bias, out_shape)
    if bias.ndim > len(out_shape):  # 2-D input: torch expands the bias to the output
        raise RuntimeError(
            f"expand(torch.{TENSOR_TYPE_NAMES.get(bias._data.dtype.name)}{{{list(bias.shape)}}}, "
            f"size={list(out_shape)}): the number of sizes provided ({len(out_shape)}) must be "
            f"greater or equal to the number of dimensions in the tensor ({bias.ndim})"
        )
    for i, (b, o) in enumerate(zip(bias.shape[::-1], out_shape[::-1], strict=False)):
        if b not in (1, o):
            raise RuntimeError(
                f"The expanded size of the tensor ({o}) must match the existing size ({b}) at "
                f"non-singleton dimension {len(out_shape) - 1 - i}.  Target sizes: "
                f"{list(out_shape)}.  Tensor sizes: {list(bias.shape)}"
            )
    return node.apply(input, weight, bias)


def _linear_wide_bias(input: Tensor, weight: Tensor, bias: Tensor, out_shape: tuple) -> Tensor:
    """A bias of 2 or more dims with a 1-D or N-D input, the way torch computes it: added to
    the product in place (AddBackward0) for N-D input; for 1-D input only leading 1s fit."""
    full = broadcast_shape(out_shape, tuple(bias.shape))
    extra = len(full) - len(out_shape)
    leading_ones = full[:extra] == (1,) * extra
    if full[extra:] != out_shape or (input.ndim != 1 and extra) or not leading_ones:
        raise RuntimeError(
            f"output with shape {list(out_shape)} doesn't match the broadcast shape {list(full)}"
        )
    if input.ndim == 1:  # leading 1s of the bias are dropped
        return _LinearView.apply(input, weight, bias.reshape(bias.shape[extra:]))
    return input.matmul(weight.t()) + bias


def _check_dtypes(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """PyTorch's texts: mm's without a bias, addmm's (bias checked first) with one."""
    x, w = input._data.dtype, weight._data.dtype
    if bias is None:
        if x != w:
            raise RuntimeError(
                "expected m1 and m2 to have the same dtype, but got: "
                f"{_c_name(input)} != {_c_name(weight)}"
            )
        return
    if bias._data.dtype != w:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got "
            f"{_scalar_name(bias)} and {_scalar_name(weight)}"
        )
    if x != w:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got "
            f"{_scalar_name(input)} and {_scalar_name(weight)}"
        )


def _scalar_name(t: Tensor) -> str:
    return SCALAR_TYPE_NAMES.get(t._data.dtype.name, t._data.dtype.name)


def _c_name(t: Tensor) -> str:
    return CPP_TYPE_NAMES.get(t._data.dtype.name, t._data.dtype.name)
