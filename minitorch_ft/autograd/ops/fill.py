"""In-place fills: `zero_`, `fill_`, `copy_` and the random `uniform_`, `normal_`,
`bernoulli_` that nn.init uses; recorded (with PyTorch's grad_fn names) only inside the graph.
"""

from __future__ import annotations

import numpy as np

from ..function import Op
from ..generator import rng
from ..tensor import Tensor
from ._support import broadcast_shape, type_name
from .inplace import _numpy_error, _shape_error, apply_inplace, must_record
from .inplace_checks import unlock


class Zero(Op):
    """zero_ inside the graph; the old values get no gradient."""

    @staticmethod
    def forward(ctx, a):
        return np.zeros_like(a)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)


class FillScalar(Op):
    """fill_(number); zero gradient to the old values."""

    grad_fn_name = "FillBackward2"

    @staticmethod
    def forward(ctx, a, value):
        return np.full_like(a, value)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), None


class FillTensor(Op):
    """fill_(0-d tensor); the value's gradient is the sum of the incoming one."""

    grad_fn_name = "FillBackward3"

    @staticmethod
    def forward(ctx, a, value):
        return np.full_like(a, value)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), np.asarray(grad.sum())


class Copy(Op):
    """copy_(src): src broadcast into self's shape and dtype; d/dsrc = g in src's dtype."""

    grad_fn_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, a, src):
        ctx.src_dtype = src.dtype
        return np.broadcast_to(src, a.shape).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), grad.astype(ctx.src_dtype, copy=False)


Copy._node_type.name = lambda self: "torch::autograd::CopyBackwards"


class _Redrawn(Op):
    """Random refills inside the graph: the new values do not depend on the old ones."""

    @staticmethod
    def forward(ctx, a, values):
        return values

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), None


class Uniform(_Redrawn):
    pass


class Normal(_Redrawn):
    pass


class Bernoulli(_Redrawn):
    grad_fn_name = "BernoulliBackward2"


def zero_(self: Tensor) -> Tensor:
    """Fill with zeros in place."""
    if not self._data.flags.writeable:  # torch's fill writes one value: no overlap check
        unlock(self._data, None)
    if must_record(self):
        return apply_inplace(self, Zero.apply)
    _fill(self, 0)
    return self


def fill_(self: Tensor, value) -> Tensor:
    """Fill with a number or a 0-d tensor (cast to self's dtype, as torch)."""
    if not self._data.flags.writeable and not isinstance(value, Tensor):
        unlock(self._data, None)  # torch's fill with a number checks no overlap
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.ndim} dimensions."
            )
        if must_record(self, value, reads_others=False):  # torch reads the value as a number
            return apply_inplace(self, FillTensor.apply, value, reads_others=False)
        value = value._data
    elif must_record(self):
        return apply_inplace(self, lambda t: FillScalar.apply(t, value))
    _fill(self, value)
    return self


def _fill(self: Tensor, value) -> None:
    try:
        self._data[...] = value
    except ValueError as err:
        if not unlock(self._data):
            raise _numpy_error(self, (), err) from None
        self._data[...] = value
    self._version_counter.value += 1


def copy_(self: Tensor, src, non_blocking: bool = False) -> Tensor:
    """Copy src (broadcast, any dtype) into self."""
    if not isinstance(src, Tensor):
        if not isinstance(src, (bool, int, float, np.number, np.bool_)):
            kind = type(src)
            name = kind.__name__ if kind.__module__ == "builtins" else kind.__qualname__
            if kind is np.ndarray:
                name = "numpy.ndarray"
            raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {name}")
        src = Tensor._wrap(np.asarray(src))
    record = must_record(self, src)
    if src._data.shape != self._data.shape:  # torch's broadcast errors, before any copy
        if broadcast_shape(self.shape, src.shape) != self.shape:
            raise _shape_error(self, (src,))
    if record:
        return apply_inplace(self, Copy.apply, src)
    try:
        np.copyto(self._data, src._data, casting="unsafe")
    except ValueError as err:
        if not unlock(self._data):
            raise _numpy_error(self, (src,), err) from None
        np.copyto(self._data, src._data, casting="unsafe")
    self._version_counter.value += 1
    return self


def _random_fill(self: Tensor, op: type, draw) -> Tensor:
    """Fill with fresh random values; recorded (zero gradient) only inside the graph."""
    if must_record(self):
        values = draw(self._data.shape, self._data.dtype)
        return apply_inplace(self, lambda t: op.apply(t, values))
    data = self._data
    if data.dtype in (np.float32, np.float64) and data.flags.c_contiguous:
        draw(data.shape, data.dtype, out=data)
    else:
        data[...] = draw(data.shape, data.dtype)
    self._version_counter.value += 1
    return self


def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
    """Fill with draws from U[a, b)."""
    if self._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"check_uniform_bounds\" not implemented for '{type_name(self._data.dtype)}'"
        )
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}"
        )
    gen = rng(generator)

    def draw(shape, dtype, out=None):
        kind = dtype if dtype in (np.float32, np.float64) else np.float32
        values = gen.random(shape, dtype=kind, out=out)
        values *= b - a
        values += a
        return values

    return _random_fill(self, Uniform, draw)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fill with draws from N(mean, std^2)."""
    if self._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"normal_kernel_cpu\" not implemented for '{type_name(self._data.dtype)}'"
        )
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    gen = rng(generator)

    def draw(shape, dtype, out=None):
        kind = dtype if dtype in (np.float32, np.float64) else np.float32
        values = gen.standard_normal(shape, dtype=kind, out=out)
        values *= std
        values += mean
        return values

    return _random_fill(self, Normal, draw)


def bernoulli_(self: Tensor, p: float = 0.5, *, generator=None) -> Tensor:
    """Fill with 1 with probability p, else 0 (any dtype)."""
    gen = rng(generator)

    def draw(shape, dtype, out=None):
        values = (gen.random(shape) < p).astype(dtype)
        if out is not None:
            out[...] = values
        return values

    return _random_fill(self, Bernoulli, draw)
