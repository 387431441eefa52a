"""The losses of torch.nn.functional, with PyTorch's arguments, checks and grad_fn names.

Each is a fused node from `autograd/ops/nn_losses.py` (or `ops/loss.py` for BCE with
logits); cross_entropy is log_softmax + nll_loss, as in PyTorch.
"""

# ruff: noqa: A001, A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import warnings

import numpy as np

from ..autograd.dtypes import SCALAR_TYPE_NAMES, result_np_dtype
from ..autograd.ops import nn_losses as _losses
from ..autograd.ops._support import broadcast_shape
from ..autograd.ops.loss import _legacy_reduction, binary_cross_entropy_with_logits
from ..autograd.tensor import Tensor
from .functional_activation import log_softmax

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "smooth_l1_loss",
]

_WEIGHTED_NAMES = {"none": "MulBackward0", "sum": "SumBackward0", "mean": "DivBackward0"}


def _reduction(size_average, reduce, reduction: str) -> str:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _warn_size(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )


def _scalar(t: Tensor) -> str:
    return SCALAR_TYPE_NAMES.get(t._data.dtype.name, t._data.dtype.name)


def _promote(input: Tensor, target: Tensor, kind: str, reduction: str) -> tuple:
    """PyTorch's dtypes for a regression loss: a float operand wins over an integer one;
    huber_loss writes into the input's dtype."""
    a, b = input._data.dtype.kind, target._data.dtype.kind
    if kind == "l1" and "b" in (a, b):  # l1 subtracts first: torch refuses bool operands
        if a == b:
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported. "
                "Use the `^` or `logical_xor()` operator instead."
            )
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    rank = {"b": 0, "u": 1, "i": 1, "f": 2}
    if kind == "huber" and rank[b] > rank[a]:  # the result is cast into the input's dtype
        promoted = target if b == "f" else np.promote_types(input._data.dtype, target._data.dtype)
        raise RuntimeError(
            f"result type {_scalar(promoted) if b == 'f' else SCALAR_TYPE_NAMES[promoted.name]} "
            f"can't be cast to the desired output type {_scalar(input)}"
        )
    if a != "f" and b != "f":
        promoted = SCALAR_TYPE_NAMES[np.promote_types(input._data.dtype, target._data.dtype).name]
        if kind == "l1":
            if reduction == "mean":
                raise RuntimeError(
                    "mean(): could not infer output dtype. Input dtype must be "
                    f"either a floating point or complex dtype. Got: {promoted}"
                )
            return input, target
        raise NotImplementedError(f"\"{kind}_cpu\" not implemented for '{promoted}'")
    if b != "f" or (kind == "huber" and target.dtype != input.dtype):
        target = target.to(input.dtype)
    elif a != "f":
        input = input.to(target.dtype)
    return input, target


def _pointwise(
    kind: str,
    name: str,
    input: Tensor,
    target: Tensor,
    reduction: str,
    weight: Tensor | None = None,
    beta: float = 1.0,
) -> Tensor:
    if target.shape != input.shape:
        _warn_size(input, target)
        broadcast_shape(input.shape, target.shape)  # torch's "size of tensor a ..." error
    input, target = _promote(input, target, kind, reduction)
    # Weighted mse/l1 "mean" is sum(w l) / sum(w) in PyTorch; weighted huber is a plain mean.
    weight_mean = kind in ("mse", "l1")
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        name = _WEIGHTED_NAMES[reduction]
        if reduction == "mean" and not weight_mean:
            name = "MeanBackward0"
    node = _losses.named(_losses._Pointwise, name)
    return node.apply(
        input, target, weight, kind=kind, reduction=reduction, beta=beta, weight_mean=weight_mean
    )


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error (MseLossBackward0)."""
    reduction = _reduction(size_average, reduce, reduction)
    return _pointwise("mse", "MseLossBackward0", input, target, reduction, weight)


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean absolute error; PyTorch composes it, so its grad_fn is Mean/Sum/AbsBackward0."""
    reduction = _reduction(size_average, reduce, reduction)
    name = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "AbsBackward0"}[reduction]
    return _pointwise("l1", name, input, target, reduction, weight)


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Quadratic below beta, linear above (SmoothL1LossBackward0); beta=0 is l1_loss."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:  # torch checks the shapes before beta
        broadcast_shape(input.shape, target.shape)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return l1_loss(input, target, reduction=reduction)
    return _pointwise("smooth_l1", "SmoothL1LossBackward0", input, target, reduction, beta=beta)


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """0.5 d^2 below delta, delta (|d| - delta/2) above (HuberLossBackward0)."""
    reduction = _reduction(None, None, reduction)
    if target.shape != input.shape:  # torch checks the shapes before delta
        broadcast_shape(input.shape, target.shape)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return _pointwise("huber", "HuberLossBackward0", input, target, reduction, weight, delta)


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """BCE on probabilities (BinaryCrossEntropyBackward0); logs clamp at -100 like PyTorch."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}) is deprecated. Please ensure they have the same size."
        )
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(f"Found dtype {_scalar(target)} but expected {_scalar(input)}")
    x = input._data
    if not ((x >= 0) & (x <= 1)).all():  # NaN fails too, as in PyTorch
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None and weight.shape != input.shape:
        _check_bce_weight(weight.shape, input.shape)
    return _losses.BinaryCrossEntropy.apply(input, target, weight, reduction=reduction)


def _check_bce_weight(weight_shape, shape) -> None:
    """PyTorch expands weight to the input's shape: its errors for a weight that won't fit."""
    for i in range(1, min(len(weight_shape), len(shape)) + 1):
        if weight_shape[-i] not in (1, shape[-i]):
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {weight_shape[-i]} at -{i}! "
                f"Mismatching argument at index 1 had torch.Size({list(weight_shape)}); but "
                f"expected shape should be broadcastable to {list(shape)}"
            )
    full = np.broadcast_shapes(weight_shape, shape)
    if full != tuple(shape):
        raise RuntimeError(
            f"output with shape {list(shape)} doesn't match the broadcast shape {list(full)}"
        )


def _nll_name(ndim: int, reduction: str) -> str:
    if ndim <= 2:
        return "NllLossBackward0"
    if ndim != 4 and reduction == "none":
        return "ViewBackward0"  # PyTorch reshapes to 4-D and back
    return "NllLoss2DBackward0"


def _check_nll(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    """PyTorch's checks in its order: dims, batch size, (for <= 2-D) target dims, dtype."""
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    target_batch = target.shape[0] if target.ndim else 0  # torch reads 0 for a 0-d target
    if input.ndim >= 2 and input.shape[0] != target_batch:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target "
            f"batch_size ({target_batch})."
        )
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_scalar(target)}")
    if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
        raise ValueError(
            f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}"
        )
    if input.ndim > 2:
        expected = [input.shape[0], *input.shape[2:]]
        if list(target.shape) != expected:
            raise RuntimeError(f"Expected target size {expected}, got {list(target.shape)}")
    classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    if weight is not None and weight.numel() != classes and input.ndim > 2:
        raise RuntimeError("weight tensor should be defined either for all or no classes")
    if weight is not None and weight.numel() != classes:
        raise RuntimeError(
            f"weight tensor should be defined either for all {classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}"
        )
    if weight is not None and weight._data.dtype != input._data.dtype:
        raise RuntimeError(f"expected scalar type {_scalar(input)} but found {_scalar(weight)}")


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of class indices over log-probabilities (class dim 1)."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_nll(input, target, weight)
    classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    t = target._data
    bad = t[(t != ignore_index) & ((t < 0) | (t >= classes))]
    if bad.size:
        raise IndexError(f"Target {bad.reshape(-1)[0]} is out of bounds.")
    node = _losses.named(_losses.NllLoss, _nll_name(input.ndim, reduction))
    return node.apply(input, target, weight, ignore_index=ignore_index, reduction=reduction)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """log_softmax over dim 1 (dim 0 for 1-D input) followed by nll_loss; the target is
    class indices, or class probabilities of the input's shape."""
    reduction = _reduction(size_average, reduce, reduction)
    class_dim = 0 if input.ndim == 1 else 1
    probs = target.shape == input.shape
    if probs:  # torch's checks for class probabilities, in its order
        if target._data.dtype.kind != "f":
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, "
                f"got {_scalar(target)}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if input.ndim == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        classes = input.shape[class_dim]
        if weight is not None and weight.numel() != classes:
            raise RuntimeError(
                f"cross_entropy: weight tensor should be defined either for all {classes} "
                f"classes or no classes but got weight tensor of shape: {list(weight.shape)}"
            )
    if label_smoothing > 1.0:  # PyTorch lets a negative value through (no smoothing)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    logp = log_softmax(input, class_dim)
    classes = input.shape[class_dim] if input.ndim else 1
    if probs:
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        # torch's mean is a division, except on an empty input (a negated nan sum)
        name = "DivBackward1" if reduction == "mean" and input.numel() else "NegBackward0"
        node = _losses.named(_losses.SoftTargetCrossEntropy, name)
        return node.apply(logp, target, weight, reduction=reduction)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing <= 0:
        return nll
    smooth = _losses.SmoothingLoss.apply(
        logp, target, weight, ignore_index=ignore_index, reduction=reduction
    )
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / classes)


_KL_NAMES = {"mean": "MeanBackward0", "sum": "SumBackward0", "batchmean": "DivBackward0"}


def kl_div(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """KL(target || exp(input)) pointwise: t (log t - input), or e^t (t - input) for
    log-space targets; 'batchmean' divides the sum by the batch size (the true KL)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.",
            UserWarning,
            stacklevel=2,
        )
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if input._data.dtype.kind in "iub" or target._data.dtype.kind in "iub":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if target.shape != input.shape:
        broadcast_shape(target.shape, input.shape)  # torch's "size of tensor a ..." error
    name = _KL_NAMES.get(reduction, "MulBackward0" if log_target else "SubBackward0")
    if reduction == "batchmean" and input.ndim == 0:  # torch: a 0-d input is only summed
        name = "SumBackward0"
    batch = input.shape[0] if input.ndim else 1
    return _losses.named(_losses.KlDiv, name).apply(
        input,
        target,
        reduction=reduction,
        log_target=log_target,
        batch=batch,
        dtype=result_np_dtype(input, target),  # torch's promotion: a 0-d target ranks lower
    )
