"""Fused loss nodes for nn.functional: nll, pointwise regression losses, BCE, and the
soft-target / label-smoothing parts of cross entropy.

Each loss is one node named as PyTorch names its output (NllLossBackward0,
MseLossBackward0, ...); backward computes only the gradients some input needs.
"""

from __future__ import annotations

import numpy as np

from ..function import Op

_NAMED: dict = {}


def named(base: type, name: str) -> type:
    """`base` under another grad_fn name (PyTorch names a loss after its last op)."""
    key = (base, name)
    if key not in _NAMED:
        _NAMED[key] = type(f"{base.__name__}_{name}", (base,), {"grad_fn_name": name})
    return _NAMED[key]


def _reduce(loss: np.ndarray, reduction: str, dtype) -> np.ndarray:
    if reduction == "mean":  # sum / n: numpy's mean() costs several microseconds more
        if not loss.size:  # empty: nan, without numpy's warning (PyTorch is quiet)
            return np.asarray(np.nan, dtype=dtype)
        return np.asarray(loss.sum() / loss.size, dtype=dtype)
    if reduction == "sum":
        return np.asarray(loss.sum(), dtype=dtype)
    return loss.astype(dtype, copy=False)


def _grad_scale(grad: np.ndarray, reduction: str, size: int) -> np.ndarray:
    """The upstream gradient per element of the unreduced loss."""
    return grad / size if reduction == "mean" else grad


def _flatten_classes(x: np.ndarray) -> np.ndarray:
    """(N, C, *d) -> (N * prod(d), C); a 1-D (C,) input is one row."""
    if x.ndim == 1:
        return x[None, :]
    return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _unflatten_classes(g2: np.ndarray, shape: tuple) -> np.ndarray:
    if len(shape) == 1:
        return g2[0]
    moved = (shape[0], *shape[2:], shape[1])
    return np.moveaxis(g2.reshape(moved), -1, 1)


class NllLoss(Op):
    """l_i = -w[t_i] x[i, t_i] (0 where t_i == ignore_index); mean divides by sum of w[t_i]."""

    @staticmethod
    def forward(ctx, x, target, weight, *, ignore_index, reduction):
        x2 = _flatten_classes(x)
        t = target.reshape(-1)
        valid = t != ignore_index
        safe = np.where(valid, t, 0)
        w = (weight[safe] * valid).astype(x.dtype) if weight is not None else valid.astype(x.dtype)
        losses = -x2[np.arange(t.size), safe] * w
        total = w.sum()
        ctx.save_for_backward(safe, w, valid)
        ctx.shape, ctx.reduction, ctx.total = x.shape, reduction, total
        ctx.rows, ctx.classes = x2.shape
        if reduction == "none":
            return losses.reshape(target.shape)
        if reduction == "sum":
            return np.asarray(losses.sum(), dtype=x.dtype)
        with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: nan, as PyTorch
            return np.asarray(losses.sum() / total, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        safe, w, valid = ctx.saved
        if ctx.reduction == "none":
            scale = grad.reshape(-1)
        elif ctx.reduction == "sum":
            scale = grad
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                scale = grad / ctx.total
        g2 = np.zeros((ctx.rows, ctx.classes), dtype=w.dtype)
        with np.errstate(invalid="ignore"):  # ignored rows stay 0 even when total is 0
            g2[np.arange(safe.size), safe] = np.where(valid, -w * scale, 0)
        return _unflatten_classes(g2, ctx.shape), None, None


class _Pointwise(Op):
    """Regression losses on d = x - t: elementwise loss, optional weight, reduction.

    kind: 'mse' (d^2), 'l1' (|d|), 'smooth_l1' (0.5 d^2/beta | |d| - beta/2),
    'huber' (0.5 d^2 | delta (|d| - delta/2)). With `weight_mean`, the mean of a weighted
    loss is sum(w l) / sum(w) (PyTorch's weighted mse/l1), so dw = (l - result) / sum(w).
    """

    @staticmethod
    def forward(ctx, x, t, weight, *, kind, reduction, beta=1.0, weight_mean=False):
        d = x - t
        a = np.abs(d)
        if kind == "mse":
            loss = d * d
        elif kind == "l1":
            loss = a
        elif kind == "smooth_l1":
            loss = np.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta)
        else:
            loss = np.where(a <= beta, 0.5 * d * d, beta * (a - 0.5 * beta))
        ctx.save_for_backward(d, loss if weight is not None else None, weight)
        ctx.kind, ctx.reduction, ctx.beta = kind, reduction, beta
        ctx.denom, ctx.result = loss.size, 0.0
        if weight is None:
            return _reduce(loss, reduction, d.dtype)
        weighted = loss * weight
        if reduction == "mean" and weight_mean:
            denom = weight.sum()
            result = weighted.sum() / denom
            ctx.denom, ctx.result = denom, result
            return np.asarray(result, dtype=weighted.dtype)
        ctx.denom = weighted.size
        return _reduce(weighted, reduction, weighted.dtype)

    @staticmethod
    def backward(ctx, grad):
        d, loss, weight = ctx.saved
        need = ctx.needs_input_grad
        scale = grad / ctx.denom if ctx.reduction == "mean" else grad
        kind, beta = ctx.kind, ctx.beta
        grad_d = grad_w = None
        if need[0] or need[1]:
            if kind == "mse":
                dl = 2 * d
            elif kind == "l1":
                dl = np.sign(d)
            elif kind == "smooth_l1":
                dl = np.where(np.abs(d) < beta, d / beta, np.sign(d))
            else:
                dl = np.clip(d, -beta, beta)
            grad_d = dl * scale if weight is None else dl * (scale * weight)
            grad_d = grad_d.astype(d.dtype, copy=False)
        if len(need) > 2 and need[2]:
            grad_w = ((loss - ctx.result) * scale).astype(weight.dtype, copy=False)
        return (
            (grad_d if need[0] else None),
            (None if grad_d is None or not need[1] else -grad_d),
            grad_w,
        )


class MseLoss(_Pointwise):
    pass


class SmoothL1Loss(_Pointwise):
    pass


class HuberLoss(_Pointwise):
    pass


class BinaryCrossEntropy(Op):
    """l = -w [t log x + (1-t) log(1-x)], logs clamped at -100 like PyTorch;
    dx = w (x - t) / max(x (1-x), 1e-12), dt = w (log(1-x) - log x) (not clamped)."""

    @staticmethod
    def forward(ctx, x, t, weight, *, reduction):
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        loss = -(t * log_x + (1 - t) * log_1mx)
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(x, t, weight)
        ctx.reduction = reduction
        return _reduce(loss, reduction, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, t, weight = ctx.saved
        need = ctx.needs_input_grad
        scale = _grad_scale(grad, ctx.reduction, x.size)
        if weight is not None:
            scale = scale * weight
        grad_x = grad_t = None
        if need[0]:
            grad_x = (scale * (x - t) / np.maximum(x * (1 - x), 1e-12)).astype(x.dtype)
        if need[1]:
            with np.errstate(divide="ignore"):  # unclamped here, as PyTorch: +-inf at 0 and 1
                diff = np.log1p(-x) - np.log(x)
            grad_t = (scale * diff).astype(t.dtype)
        return grad_x, grad_t, None


class SmoothingLoss(Op):
    """Label smoothing's extra term: s_i = -sum_c w_c logp[i, c], 0 where t_i is ignored.

    mean divides by the summed weight of the kept targets, like PyTorch.
    """

    grad_fn_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, logp, target, weight, *, ignore_index, reduction):
        class_axis = 1 if logp.ndim > 1 else 0
        shape = [1] * logp.ndim
        shape[class_axis] = logp.shape[class_axis]
        w = weight.reshape(shape) if weight is not None else None
        per = -(logp * w if w is not None else logp).sum(axis=class_axis)
        ignored = target == ignore_index
        per = np.where(ignored, 0, per).astype(logp.dtype)
        kept = ~ignored
        denom = weight[target[kept]].sum() if weight is not None else kept.sum()
        ctx.save_for_backward(kept, w)
        ctx.class_axis, ctx.reduction, ctx.denom = class_axis, reduction, denom
        if reduction == "none":
            return per
        if reduction == "sum":
            return np.asarray(per.sum(), dtype=logp.dtype)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(per.sum() / denom, dtype=logp.dtype)

    @staticmethod
    def backward(ctx, grad):
        kept, w = ctx.saved
        with np.errstate(invalid="ignore", divide="ignore"):  # ignored rows stay 0
            scale = grad / ctx.denom if ctx.reduction == "mean" else grad
            g = np.expand_dims(np.where(kept, -scale, 0), ctx.class_axis)
            g = g * w if w is not None else g
        return g.astype(grad.dtype, copy=False), None, None


class SoftTargetCrossEntropy(Op):
    """Cross entropy with class probabilities: l = -sum_c w_c t_c logp_c per sample.

    mean divides by the number of samples (numel / C); dlogp = -g t w, dt = -g logp w.
    """

    @staticmethod
    def forward(ctx, logp, target, weight, *, reduction):
        class_axis = 1 if logp.ndim > 1 else 0
        shape = [1] * logp.ndim
        shape[class_axis] = logp.shape[class_axis]
        w = weight.reshape(shape) if weight is not None else None
        prod = logp * target if w is None else logp * target * w
        ctx.save_for_backward(logp, target, w)
        ctx.class_axis, ctx.reduction = class_axis, reduction
        count = logp.size // logp.shape[class_axis]
        ctx.count = count
        dtype = prod.dtype  # promoted, as torch's -(input * target * weight)
        if reduction == "none":
            return -prod.sum(axis=class_axis)
        total = -prod.sum()
        if reduction == "sum":
            return np.asarray(total, dtype=dtype)
        if not count:
            return np.asarray(np.nan, dtype=dtype)
        return np.asarray(total / count, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        logp, target, w = ctx.saved
        need = ctx.needs_input_grad
        if ctx.reduction == "none":
            scale = np.expand_dims(grad, ctx.class_axis)
        else:
            scale = grad / ctx.count if ctx.reduction == "mean" else grad
        if w is not None:
            scale = scale * w
        grad_logp = (-scale * target).astype(logp.dtype, copy=False) if need[0] else None
        grad_t = (-scale * logp).astype(target.dtype, copy=False) if need[1] else None
        return grad_logp, grad_t, None


class KlDiv(Op):
    """l = xlogy(t, t) - t x (or e^t (t - x) with log targets);
    dx = -t (-e^t), dt = log t + 1 - x (e^t (t - x + 1))."""

    @staticmethod
    def forward(ctx, x, t, *, reduction, log_target, batch, dtype):
        if log_target:
            et = np.exp(t)
            loss = et * (t - x)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):  # xlogy: 0 log 0 = 0
                loss = np.where(t == 0, 0, t * np.log(t)) - t * x
        ctx.save_for_backward(x, t)
        ctx.reduction, ctx.log_target, ctx.count = reduction, log_target, loss.size
        ctx.shape = loss.shape  # input and target broadcast: each gradient has this shape
        ctx.batch = batch
        if reduction == "none":
            return loss.astype(dtype, copy=False)
        total = loss.sum()
        if reduction == "mean":
            total = total / loss.size
        elif reduction == "batchmean":
            total = total / batch
        return np.asarray(total, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved
        need = ctx.needs_input_grad
        scale = {"mean": grad / ctx.count, "batchmean": grad / ctx.batch}.get(ctx.reduction, grad)
        grad_x = grad_t = None
        if ctx.log_target:
            et = np.exp(t)
            if need[0]:
                grad_x = -scale * et
            if need[1]:
                grad_t = scale * et * (t - x + 1)
        else:
            if need[0]:
                grad_x = -scale * t
            if need[1]:
                with np.errstate(divide="ignore", invalid="ignore"):  # nan at t = 0, as torch
                    grad_t = scale * (np.where(t == 0, np.nan, np.log(t) + 1) - x)
        return (
            None if grad_x is None else np.broadcast_to(grad_x, ctx.shape).astype(x.dtype),
            None if grad_t is None else np.broadcast_to(grad_t, ctx.shape).astype(t.dtype),
        )
