"""Extremes: max/min (whole tensor or along a dim), amax/amin, argmax/argmin.

Gradients follow PyTorch: a whole-tensor max and amax/amin split the gradient evenly among
tied elements; `max(dim)` sends it to the index it returned.
"""

# ruff: noqa: A001, A002 - `input`, `sum`, `max`... are PyTorch's names

from __future__ import annotations

import operator

import numpy as np

from ..function import Op
from ..tensor import Tensor, _wrap_dim
from .reduce import _NO_DIM, expand_reduced, int_dim, reduce_axes

__all__ = ["amax", "amin", "argmax", "argmin", "max", "min"]


class ReturnType(tuple):
    """A (values, indices) pair with attribute access, like `torch.return_types.max`."""

    _name = "max"

    def __new__(cls, values: Tensor, indices: Tensor):
        return super().__new__(cls, (values, indices))

    @property
    def values(self) -> Tensor:
        return self[0]

    @property
    def indices(self) -> Tensor:
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.{self._name}(\nvalues={self[0]!r},\nindices={self[1]!r})"


_RETURN_TYPES: dict[str, type] = {}


def return_type(name: str) -> type:
    """The (values, indices) result class PyTorch names `torch.return_types.<name>`."""
    if name not in _RETURN_TYPES:
        _RETURN_TYPES[name] = type(name, (ReturnType,), {"_name": name, "__slots__": ()})
    return _RETURN_TYPES[name]


def _ties(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Mask of the elements equal to the (broadcast) extreme; NaN matches NaN."""
    mask = a == out
    if a.dtype.kind == "f":
        mask |= np.isnan(a) & np.isnan(out)
    return mask


class _EvenSplit(Op):
    """Extreme over axes; d/da = g / (number of ties) at the tied elements, 0 elsewhere."""

    reduce = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, a, axes, keepdim):
        out = np.asarray(cls.reduce(a, axis=axes, keepdims=keepdim), order="C")  # as torch's
        ctx.axes, ctx.keepdim = axes, keepdim
        # the returned array itself is saved, so an in-place change of the result is caught
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        mask = _ties(a, expand_reduced(out, ctx.axes, ctx.keepdim, a.shape))
        g = expand_reduced(grad, ctx.axes, ctx.keepdim, a.shape)
        return g * mask / np.sum(mask, axis=ctx.axes, keepdims=True).astype(a.dtype)


class MaxAll(_EvenSplit):
    grad_fn_name = "MaxBackward1"


class MinAll(_EvenSplit):
    grad_fn_name = "MinBackward1"
    reduce = staticmethod(np.min)


class Amax(_EvenSplit):
    pass


class Amin(_EvenSplit):
    reduce = staticmethod(np.min)


class MaxDim(Op):
    """Extreme along one dim, at precomputed indices; d/da = g scattered to those indices."""

    grad_fn_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, a, axis, keepdim, index):
        ctx.axis, ctx.keepdim = axis, keepdim
        if axis is None:  # 0-d input
            return a.copy()
        ctx.save_for_backward(index)
        values = np.take_along_axis(a, index, axis)
        return values if keepdim else np.squeeze(values, axis)

    @staticmethod
    def backward(ctx, grad):
        if ctx.axis is None:
            return grad
        (index,) = ctx.saved
        shape = list(ctx._shapes[0])
        shape[ctx.axis] = 1
        g = grad.reshape(shape)
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.put_along_axis(out, index, g, ctx.axis)
        return out


class MinDim(MaxDim):
    grad_fn_name = "MinBackward0"


def _check_nonempty(name: str, input: Tensor, axis, error=RuntimeError) -> None:
    if input._data.size:
        return
    if axis is None:
        suffix = (
            "" if error is IndexError else " Specify the reduction dim with the 'dim' argument."
        )
        raise error(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0." + suffix
        )
    if input.ndim and input.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")


def _extreme(name: str, all_op, dim_op, arg_fn, input: Tensor, dim, keepdim: bool):
    if isinstance(dim, Tensor):  # max(input, other): the elementwise maximum
        from . import elementwise

        return getattr(elementwise, "maximum" if name == "max" else "minimum")(input, dim)
    if dim is _NO_DIM:
        _check_nonempty(name, input, None)
        return all_op.apply(input, axes=tuple(range(input.ndim)), keepdim=False)
    axis = _wrap_dim(int_dim(name, dim, overloaded=True), input.ndim)
    _check_nonempty(name, input, axis)
    if input.ndim == 0:
        values = dim_op.apply(input, axis=None, keepdim=keepdim, index=None)
        return return_type(name)(values, Tensor._wrap(np.zeros((), np.int64)))
    index = arg_fn(input._data, axis=axis, keepdims=True)
    values = dim_op.apply(input, axis=axis, keepdim=keepdim, index=index)
    indices = index if keepdim else np.squeeze(index, axis)
    return return_type(name)(values, Tensor._wrap(indices.astype(np.int64, copy=False)))


def max(input: Tensor, dim=_NO_DIM, keepdim: bool = False):
    """Largest element; with `dim`, (values, indices) along it; with a Tensor, elementwise."""
    return _extreme("max", MaxAll, MaxDim, np.argmax, input, dim, keepdim)


def min(input: Tensor, dim=_NO_DIM, keepdim: bool = False):
    """Smallest element; with `dim`, (values, indices) along it; with a Tensor, elementwise."""
    return _extreme("min", MinAll, MinDim, np.argmin, input, dim, keepdim)


def _amax_like(name: str, op, input: Tensor, dim, keepdim: bool) -> Tensor:
    if input._data.size == 0:
        if dim is None or (isinstance(dim, (tuple, list)) and not dim):
            _check_nonempty(name, input, None)
        for d in dim if isinstance(dim, (tuple, list)) else (dim,):
            # torch names the dim as given (-1 stays -1), before any duplicate-dim error
            if input.ndim and input.shape[_wrap_dim(operator.index(d), input.ndim)] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    axes = reduce_axes(dim, input.ndim)
    return op.apply(input, axes=axes, keepdim=keepdim)


def amax(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Maximum over `dim` (all dims by default); ties share the gradient evenly."""
    return _amax_like("amax", Amax, input, dim, keepdim)


def amin(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Minimum over `dim` (all dims by default); ties share the gradient evenly."""
    return _amax_like("amin", Amin, input, dim, keepdim)


def _arg(name: str, fn, input: Tensor, dim, keepdim: bool) -> Tensor:
    if input._data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    a = input._data
    if dim is None:
        _check_nonempty(name, input, None, IndexError)
        out = np.asarray(fn(a.reshape(-1)))
        if keepdim:
            out = out.reshape((1,) * a.ndim)
    else:
        axis = _wrap_dim(int_dim(name, dim), a.ndim)
        _check_nonempty(name, input, axis)
        out = np.asarray(0) if a.ndim == 0 else fn(a, axis=axis, keepdims=keepdim)
    return Tensor._wrap(out.astype(np.int64, copy=False))


def argmax(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the largest element (flattened when `dim` is None), as int64."""
    return _arg("argmax", np.argmax, input, dim, keepdim)


def argmin(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the smallest element (flattened when `dim` is None), as int64."""
    return _arg("argmin", np.argmin, input, dim, keepdim)


Tensor.max = max
Tensor.min = min
Tensor.amax = amax
Tensor.amin = amin
Tensor.argmax = argmax
Tensor.argmin = argmin
