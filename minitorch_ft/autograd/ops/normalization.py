"""Fused normalisation nodes PyTorch exposes as single grad_fns: layer norm, batch norm,
and `normalize` (x / max(||x||_p, eps), PyTorch's DivBackward0).

One node each keeps the backward exact and cheap: the standard closed form
dx = rstd * (g' - mean(g') - xhat * mean(g' xhat)) instead of a chain of reductions.
"""

from __future__ import annotations

import math

import numpy as np

from ..function import Op


def _normalized_grad(gxhat, xhat, rstd, axes):
    """dL/dx of xhat = (x - mean) * rstd when mean and var come from the same axes."""
    mean_g = gxhat.mean(axis=axes, keepdims=True)
    mean_gx = (gxhat * xhat).mean(axis=axes, keepdims=True)
    return rstd * (gxhat - mean_g - xhat * mean_gx)


def _compute(a):
    """Half arrays are normalised in float32, as torch's CPU kernels do (its opmath type)."""
    return a.astype(np.float32) if a is not None and a.dtype == np.float16 else a


def _dtypes(x, weight) -> tuple:
    """The dtypes of (input, weight, bias) gradients: half input may have float32 params."""
    param = x.dtype if weight is None else weight.dtype
    return x.dtype, param, param


def _cast_grads(dtypes: tuple, *grads) -> tuple:
    return tuple(
        g if g is None or g.dtype == d else g.astype(d) for g, d in zip(grads, dtypes, strict=True)
    )


class NativeLayerNorm(Op):
    """y = (x - mean) / sqrt(var + eps) * w + b over the last `ndim` dims.

    Saves input, weight, bias, mean and rstd, as torch's NativeLayerNormBackward0, so an
    in-place change of the input (not of the result) makes backward raise.
    """

    @staticmethod
    def forward(ctx, x, weight, bias, *, ndim, eps):
        ctx.dtypes = _dtypes(x, weight)
        out_dtype = x.dtype
        given = x
        x = _compute(x)
        axes = tuple(range(x.ndim - ndim, x.ndim))
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        rstd = 1.0 / np.sqrt(var + eps)
        xhat = centered * rstd
        out = xhat * weight if weight is not None else xhat
        if bias is not None:
            out = out + bias
        ctx.save_for_backward(given, mean, rstd, weight, bias)
        ctx.axes = axes
        return out.astype(out_dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, mean, rstd, weight, _ = ctx.saved
        xhat = (_compute(x) - mean) * rstd
        need = ctx.needs_input_grad
        axes = ctx.axes
        batch_axes = tuple(range(xhat.ndim - len(axes)))
        grad_x = grad_w = grad_b = None
        grad = _compute(grad)
        if need[0]:
            gxhat = grad * weight if weight is not None else grad
            grad_x = _normalized_grad(gxhat, xhat, rstd, axes)
        if need[1]:
            grad_w = (grad * xhat).sum(axis=batch_axes)
        if need[2]:
            grad_b = grad.sum(axis=batch_axes)
        return _cast_grads(ctx.dtypes, grad_x, grad_w, grad_b)


class NativeBatchNorm(Op):
    """Per-channel (dim 1) normalisation with batch stats (training) or running stats.

    In training the running stats are updated in place here, with the unbiased variance.
    """

    @staticmethod
    def forward(ctx, x, weight, bias, *, running_mean, running_var, training, momentum, eps):
        ctx.dtypes = _dtypes(x, weight)
        out_dtype = x.dtype
        given = x
        x = _compute(x)
        axes = (0, *range(2, x.ndim))
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        if training:
            mean = x.mean(axis=axes, keepdims=True)
            centered = x - mean
            var = (centered * centered).mean(axis=axes, keepdims=True)
            n = x.size // x.shape[1]
            # updated in the computation dtype, then stored (one rounding for half stats)
            if running_mean is not None:
                new_mean = _compute(running_mean) * (1 - momentum) + momentum * mean.reshape(-1)
                running_mean[...] = new_mean
            if running_var is not None:
                unbiased = var.reshape(-1) * (n / max(n - 1, 1))
                running_var[...] = _compute(running_var) * (1 - momentum) + momentum * unbiased
        else:
            mean = _compute(running_mean).reshape(shape)
            centered = x - mean
            var = _compute(running_var).reshape(shape)
        rstd = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        xhat = centered * rstd
        out = xhat * weight.reshape(shape) if weight is not None else xhat
        if bias is not None:
            out = out + bias.reshape(shape)
        # the input, not xhat: torch version-checks the input (and not the result)
        ctx.save_for_backward(given, mean, rstd, weight)
        ctx.training = training
        return out.astype(out_dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, mean, rstd, weight = ctx.saved
        xhat = (_compute(x) - mean) * rstd
        need = ctx.needs_input_grad
        axes = (0, *range(2, grad.ndim))
        grad_x = grad_w = grad_b = None
        grad = _compute(grad)
        if need[0]:
            shape = rstd.shape
            gxhat = grad * weight.reshape(shape) if weight is not None else grad
            if ctx.training:
                grad_x = _normalized_grad(gxhat, xhat, rstd, axes)
            else:  # running stats are constants
                grad_x = gxhat * rstd
        if need[1]:
            grad_w = (grad * xhat).sum(axis=axes)
        if need[2]:
            grad_b = grad.sum(axis=axes)
        return _cast_grads(ctx.dtypes, grad_x, grad_w, grad_b)


def _p_norm(x, p, dim):
    a = np.abs(x)
    if p == np.inf:
        return a.max(axis=dim, keepdims=True)
    if p == 2:
        return np.sqrt((x * x).sum(axis=dim, keepdims=True))
    if p == 1:
        return a.sum(axis=dim, keepdims=True)
    if p == 0:  # the count of non-zeros
        return (a != 0).sum(axis=dim, keepdims=True).astype(x.dtype)
    return (a**p).sum(axis=dim, keepdims=True) ** (1.0 / p)


class Normalize(Op):
    """y = x / max(||x||_p, eps) along dim; dy = g/d - [n > eps] sum(g x)/d^2 * dn/dx."""

    grad_fn_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x, *, p, dim, eps):
        norm = _p_norm(x, p, dim)
        denom = np.maximum(norm, eps).astype(x.dtype, copy=False)
        ctx.save_for_backward(x, norm, denom)
        ctx.p, ctx.dim, ctx.eps = p, dim, eps
        return x / denom

    @staticmethod
    def backward(ctx, grad):
        x, norm, denom = ctx.saved
        p, dim = ctx.p, ctx.dim
        active = norm > ctx.eps  # below eps the denominator is the constant eps
        safe = np.where(active, norm, 1)
        if p == np.inf:
            hit = np.abs(x) == norm
            dnorm = np.sign(x) * hit / hit.sum(axis=dim, keepdims=True)
        elif p == 2:
            dnorm = x / safe
        elif p == 0:  # a count: piecewise constant
            dnorm = np.zeros_like(x)
        else:
            dnorm = np.sign(x) * np.abs(x) ** (p - 1) / safe ** (p - 1)
        coeff = (grad * x).sum(axis=dim, keepdims=True) / (denom * denom) * active
        return (grad / denom - coeff * dnorm).astype(x.dtype, copy=False)


class RmsNorm(Op):
    """y = x r w, r = 1 / sqrt(mean(x^2) + eps) over the last `ndim` dims;
    dx = r (g' - x r^2 mean(g' x)) with g' = g w. PyTorch's graph ends in a MulBackward0."""

    grad_fn_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, weight, *, ndim, eps):
        axes = tuple(range(x.ndim - ndim, x.ndim))
        r = (1.0 / np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps)).astype(x.dtype)
        normed = x * r
        ctx.save_for_backward(x, r, weight)
        ctx.axes = axes
        return normed * weight if weight is not None else normed

    @staticmethod
    def backward(ctx, grad):
        x, r, weight = ctx.saved
        need = ctx.needs_input_grad
        axes = ctx.axes
        grad_x = grad_w = None
        if need[0]:
            gw = grad * weight if weight is not None else grad
            grad_x = r * (gw - x * (r * r) * (gw * x).mean(axis=axes, keepdims=True))
        if need[1]:
            grad_w = (grad * x * r).sum(axis=tuple(range(x.ndim - len(axes))))
        return grad_x, grad_w


class NativeGroupNorm(Op):
    """Normalise each of `groups` channel groups per sample (N, C, *), then scale and shift
    per channel; backward is the layer-norm closed form within each group."""

    @staticmethod
    def forward(ctx, x, weight, bias, *, groups, eps):
        n, c = x.shape[0], x.shape[1]
        grouped = x.reshape(n, groups, (c // groups) * math.prod(x.shape[2:]))  # n may be 0
        if grouped.size == 0:  # empty input: empty output, no statistics to compute
            mean = np.zeros((n, groups, 1), x.dtype)
            rstd = np.ones((n, groups, 1), x.dtype)
        else:
            mean = grouped.mean(axis=-1, keepdims=True)
            rstd = 1.0 / np.sqrt(((grouped - mean) ** 2).mean(axis=-1, keepdims=True) + eps)
            rstd = rstd.astype(x.dtype)
        centered = grouped - mean
        xhat = (centered * rstd).reshape(x.shape)
        shape = (1, c) + (1,) * (x.ndim - 2)
        out = xhat * weight.reshape(shape) if weight is not None else xhat
        if bias is not None:
            out = out + bias.reshape(shape)
        ctx.save_for_backward(x, mean, rstd, weight)  # as torch: the input, not the result
        ctx.groups = groups
        return out

    @staticmethod
    def backward(ctx, grad):
        x, mean, rstd, weight = ctx.saved
        need = ctx.needs_input_grad
        n, c = grad.shape[0], grad.shape[1]
        grouped = x.reshape(n, ctx.groups, (c // ctx.groups) * math.prod(x.shape[2:]))
        xhat = ((grouped - mean) * rstd).reshape(x.shape)
        axes = (0, *range(2, grad.ndim))
        grad_x = grad_w = grad_b = None
        grad = _compute(grad)
        if need[0] and grouped.size == 0:
            grad_x = np.zeros_like(grad)
        elif need[0]:
            shape = (1, c) + (1,) * (grad.ndim - 2)
            gxhat = grad * weight.reshape(shape) if weight is not None else grad
            grad_x = _normalized_grad(
                gxhat.reshape(grouped.shape), xhat.reshape(grouped.shape), rstd, -1
            ).reshape(grad.shape)
        if need[1]:
            grad_w = (grad * xhat).sum(axis=axes)
        if need[2]:
            grad_b = grad.sum(axis=axes)
        return grad_x, grad_w, grad_b
