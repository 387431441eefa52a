"""`norm` (torch.norm): p-norms over all elements or given dims, with torch's edge cases
(p = 0 has no gradient, p = +-inf over empty dims raises, a NaN result sends no gradient)."""

# ruff: noqa: A001, A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from .reduce import _cast, _require_float, expand_reduced, reduce_axes

__all__ = ["norm"]


class Norm(Op):
    """Vector p-norm over axes; d/da = g * sign(a) |a|^(p-1) / norm^(p-1) (0 at zeros)."""

    grad_fn_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p, axes, keepdim):
        mag = np.abs(a)
        if p == 2:
            out = np.sqrt(np.sum(mag * mag, axis=axes, keepdims=True))
        elif p == np.inf:
            out = np.max(mag, axis=axes, keepdims=True)
        elif p == -np.inf:
            out = np.min(mag, axis=axes, keepdims=True)
        elif p == 0:
            out = np.sum(mag != 0, axis=axes, keepdims=True).astype(a.dtype)
        else:
            with np.errstate(divide="ignore"):
                out = np.sum(mag**p, axis=axes, keepdims=True) ** (1 / p)
        ctx.p, ctx.axes, ctx.keepdim = p, axes, keepdim
        out = np.asarray(out if keepdim else np.squeeze(out, axes), a.dtype, order="C")
        ctx.save_for_backward(a, out)  # the returned array: its in-place change is caught
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        p = ctx.p
        if p == 0:
            return None  # torch's 0-"norm" has no gradient: the input's .grad stays None
        g = expand_reduced(grad, ctx.axes, ctx.keepdim, a.shape)
        out = expand_reduced(out, ctx.axes, ctx.keepdim, a.shape)
        if p in (np.inf, -np.inf):
            hits = np.abs(a) == out  # ties share the gradient evenly, like PyTorch
            count = np.sum(hits, axis=ctx.axes, keepdims=True)  # 0 where the norm is nan
            return g * np.where(hits, np.sign(a), 0) / np.maximum(count, 1)
        if p == 1:
            return g * np.sign(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 2:
                scale = a / out
            else:
                scale = np.sign(a) * (np.abs(a) / out) ** (p - 1)
        scale = np.where((a == 0) | (out == 0), 0, scale).astype(a.dtype)
        return g * scale


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """The vector p-norm over `dim` (all elements by default); 'fro' is the 2-norm."""
    if isinstance(dim, (tuple, list)) and len(dim) > 2 and p in ("fro", None):
        raise RuntimeError(
            "linalg.matrix_norm: dim must be a 2-tuple. Got " + " ".join(str(d) for d in dim)
        )
    if isinstance(p, str):
        if p != "fro":
            raise NotImplementedError(f"norm with p='{p}' is not supported by minitorch_ft")
        p = 2
    elif p is None:
        p = 2
    input = _cast(input, dtype)
    _require_float(
        input, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {}"
    )
    p = float(p)
    if p in (np.inf, -np.inf) and not input._data.size:
        _check_empty_extreme_norm(input.shape, p, dim)
    return Norm.apply(input, p=p, axes=reduce_axes(dim, input.ndim), keepdim=keepdim)


def _check_empty_extreme_norm(shape, p: float, dim) -> None:
    """torch's errors for the (-)inf norm over an empty dim: max/min have no identity."""
    head = f"linalg.vector_norm cannot compute the {p} norm on "
    if dim is None:
        raise RuntimeError(head + "an empty tensor because the operation does not have an identity")
    for d in dim if isinstance(dim, (tuple, list)) else (dim,):
        if shape[_wrap_dim(d, len(shape))] == 0:  # (torch's text lacks the space)
            raise RuntimeError(
                f"{head}the dimension {d}because this dimension is empty and the operation does "
                "not have an identity"
            )


Tensor.norm = norm
