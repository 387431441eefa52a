"""softmax, log_softmax and softmin along one dim, numerically stable (max subtracted first)."""

# ruff: noqa: A001, A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import warnings

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from ._support import check_tensor, quiet, require_float
from .reduce import _NO_DIM


class Softmax(Op):
    """e^a / sum e^a along an axis; d = out * (g - sum(g * out)).

    The output is C-contiguous whatever the input's layout, as torch's. A 0-d input is
    computed as one element (so nan or inf gives nan, as torch).
    """

    @staticmethod
    @quiet
    def forward(ctx, a, axis):
        ctx.axis = axis
        if a.size == 0:
            out = np.ones_like(a)
        else:
            x = a.reshape(1) if a.ndim == 0 else a
            e = np.subtract(x, x.max(axis, keepdims=True), order="C")  # e^(.) <= 1: no overflow
            np.exp(e, out=e)
            e /= e.sum(axis, keepdims=True)
            out = e.reshape(a.shape)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (out,) = ctx.saved
        if out.size == 0:
            return np.zeros_like(grad), None
        gx = grad * out
        return out * (grad - gx.sum(ctx.axis, keepdims=True) if out.ndim else grad - gx), None


class LogSoftmax(Op):
    """a - logsumexp(a) along an axis; d = g - softmax * sum(g). C-contiguous, as Softmax."""

    @staticmethod
    @quiet
    def forward(ctx, a, axis):
        ctx.axis = axis
        if a.size == 0:
            out = np.zeros_like(a)
        else:
            x = a.reshape(1) if a.ndim == 0 else a
            out = np.subtract(x, x.max(axis, keepdims=True), order="C")
            out -= np.log(np.exp(out).sum(axis, keepdims=True))
            out = out.reshape(a.shape)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (out,) = ctx.saved
        if out.size == 0:
            return np.zeros_like(grad), None
        total = grad.sum(ctx.axis, keepdims=True) if out.ndim else grad
        return grad - np.exp(out) * total, None


def _implicit_dim(name: str, ndim: int) -> int:
    """nn.functional's deprecated default dim: 0 for 0-, 1- and 3-d inputs, else 1."""
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        UserWarning,
        stacklevel=4,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _prepare(input: Tensor, dim, dtype, name: str, kernel: str):
    check_tensor(input, name)
    if dtype is not None:
        input = input.to(dtype)  # cast first, as torch does (ToCopyBackward0 before the op)
    require_float(input, kernel)
    if dim is None:
        dim = _implicit_dim(name, input.ndim)
    return input, _wrap_dim(dim, input.ndim)


def _require_dim(name: str, dim) -> None:
    """torch.softmax and Tensor.softmax need `dim` (only nn.functional guesses one)."""
    if dim is _NO_DIM:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    if dim is None:
        raise TypeError(f"{name}(): argument 'dim' must be int, not NoneType")


def softmax(input: Tensor, dim=_NO_DIM, dtype=None) -> Tensor:
    """Normalised exponentials along `dim` (SoftmaxBackward0); `dtype` casts the input first."""
    _require_dim("softmax", dim)
    input, axis = _prepare(input, dim, dtype, "softmax", "softmax_lastdim_kernel_impl")
    return Softmax.apply(input, axis)


def log_softmax(input: Tensor, dim=_NO_DIM, dtype=None) -> Tensor:
    """log(softmax) computed as x - logsumexp(x), stable for large logits."""
    _require_dim("log_softmax", dim)
    input, axis = _prepare(input, dim, dtype, "log_softmax", "log_softmax_lastdim_kernel_impl")
    return LogSoftmax.apply(input, axis)


def softmin(input: Tensor, dim: int | None = None, dtype=None) -> Tensor:
    """softmax(-input), as nn.functional.softmin."""
    input, axis = _prepare(input, dim, dtype, "softmin", "softmax_lastdim_kernel_impl")
    return Softmax.apply(-input, axis)
