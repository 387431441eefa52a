"""More in-place ops over the shared machinery of `inplace.apply_inplace`: the arithmetic
aliases (`divide_`, `multiply_`, ...), `tril_`/`triu_`, `cumsum_`/`cumprod_`,
`fill_diagonal_`, `masked_scatter(_)`, `index_put(_)` and the random fills `random_`,
`exponential_`, `log_normal_`, `geometric_`, `cauchy_` (zero gradient, like `uniform_`).
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import math

import numpy as np

from .. import grad_mode
from ..dtypes import CPP_TYPE_NAMES, to_dtype
from ..function import Op
from ..generator import rng
from ..tensor import Tensor
from . import linalg, reduce, scan  # noqa: F401 - attach tril/cumsum/cumprod to Tensor
from ._support import broadcast_shape, type_name
from .fill import _random_fill, _Redrawn
from .indexing import (
    _VIEW_OF_LEAF_ERROR,
    _check_value_shape,
    _indexed_shape,
    check_bounds,
    parse_key,
)
from .inplace import apply_inplace, div_, mul_, sub_

# ---------------------------------------------------------------- arithmetic aliases


def divide_(self: Tensor, other, *, rounding_mode=None) -> Tensor:
    return div_(self, other, rounding_mode=rounding_mode)


def true_divide_(self: Tensor, other) -> Tensor:
    return div_(self, other)


def multiply_(self: Tensor, other) -> Tensor:
    return mul_(self, other)


def subtract_(self: Tensor, other, *, alpha=1) -> Tensor:
    return sub_(self, other, alpha=alpha)


# ---------------------------------------------------------------- triangles and scans


def tril_(self: Tensor, diagonal: int = 0) -> Tensor:
    if self.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return apply_inplace(self, lambda t: t.tril(diagonal))


def triu_(self: Tensor, diagonal: int = 0) -> Tensor:
    if self.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return apply_inplace(self, lambda t: t.triu(diagonal))


def _scan_(self: Tensor, name: str, dim: int, dtype) -> Tensor:
    """cumsum_/cumprod_: the result keeps self's dtype, so a different `dtype=` is an error."""
    if dtype is not None and to_dtype(dtype).np != self._data.dtype:
        raise RuntimeError(
            f"Bad in-place call: input tensor dtype {CPP_TYPE_NAMES[self._data.dtype.name]} and "
            f"output tensor dtype {CPP_TYPE_NAMES[to_dtype(dtype).np.name]} should match"
        )
    if self._data.dtype.kind == "b":
        raise NotImplementedError(f"\"{name}_out_cpu\" not implemented for 'Bool'")
    return apply_inplace(self, lambda t: getattr(t, name)(dim))


def cumsum_(self: Tensor, dim: int, *, dtype=None) -> Tensor:
    return _scan_(self, "cumsum", dim, dtype)


def cumprod_(self: Tensor, dim: int, *, dtype=None) -> Tensor:
    return _scan_(self, "cumprod", dim, dtype)


# ---------------------------------------------------------------- fill_diagonal_


class FillDiagonal(Op):
    """Write a number on the main diagonal; those elements get no gradient. PyTorch fills a
    diagonal view, so the node is its CopySlices."""

    grad_fn_name = "CopySlices"

    @staticmethod
    def forward(ctx, a, key, value):
        ctx.key = key
        out = a.copy()
        out[key] = value
        return out

    @staticmethod
    def backward(ctx, grad):
        grad = np.array(grad)
        grad[ctx.key] = 0
        return grad


def fill_diagonal_(self: Tensor, fill_value, wrap: bool = False) -> Tensor:
    shape = self.shape
    if self.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if self.ndim > 2 and len(set(shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    if grad_mode.is_grad_enabled() and self.requires_grad and self.grad_fn is None:
        raise RuntimeError(_VIEW_OF_LEAF_ERROR)  # torch fills a view of the diagonal
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    numel = math.prod(shape)
    # the diagonal in C-order flat positions: one step is the sum of the C strides
    step = sum(math.prod(shape[d + 1 :]) for d in range(len(shape)))
    wrapped = wrap and self.ndim == 2 and shape[0] > shape[1] + 1  # torch fills twice then
    count = -(-numel // step) if wrapped else min(shape)
    key = np.unravel_index(np.arange(count) * step, shape) if numel else (np.arange(0),) * 2
    apply_inplace(self, lambda t: FillDiagonal.apply(t, key=key, value=fill_value))
    if wrapped:
        self._version_counter.value += 1
    return self


# ---------------------------------------------------------------- masked_scatter


def _unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum a gradient of a broadcast result back to an operand's shape."""
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra))) if extra else grad
    axes = tuple(d for d, n in enumerate(shape) if n == 1 and grad.shape[d] != 1)
    return grad.sum(axis=axes, keepdims=True) if axes else grad


class MaskedScatter(Op):
    """Where mask is True, take source's elements in order; d/dself = g off the mask,
    d/dsource = g on the mask, in order (zero for source elements not used)."""

    grad_fn_name = "MaskedScatterBackward0"

    @staticmethod
    def forward(ctx, a, source, mask):
        shape = np.broadcast_shapes(a.shape, mask.shape)
        mask = np.broadcast_to(mask, shape)
        ctx.mask, ctx.a_shape, ctx.source_shape = mask, a.shape, source.shape
        out = np.array(np.broadcast_to(a, shape))
        out[mask] = source.reshape(-1)[: int(mask.sum())]
        return out

    @staticmethod
    def backward(ctx, grad):
        mask = ctx.mask
        grad_a = _unbroadcast(np.where(mask, np.zeros((), grad.dtype), grad), ctx.a_shape)
        used = grad[mask]
        grad_source = np.zeros(math.prod(ctx.source_shape), grad.dtype)
        grad_source[: used.size] = used
        return grad_a, grad_source.reshape(ctx.source_shape)


def _check_masked_scatter(self: Tensor, mask, source, name: str) -> None:
    for value, arg, position in ((mask, "mask", 1), (source, "source", 2)):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{name}(): argument '{arg}' (position {position}) must be Tensor, not "
                f"{type(value).__name__}"
            )
    if mask._data.dtype != np.bool_:
        raise RuntimeError(
            "masked_scatter_ only supports boolean masks, but got mask with dtype "
            f"{type_name(mask._data.dtype)}"
        )
    if source._data.dtype != self._data.dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got"
            f"{type_name(self._data.dtype)} and {type_name(source._data.dtype)}"
        )


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """Copy source's elements, in order, into the places where mask (broadcast) is True."""
    _check_masked_scatter(input, mask, source, "masked_scatter")
    shape = broadcast_shape(input.shape, mask.shape)
    if int(np.broadcast_to(mask._data, shape).sum()) > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return MaskedScatter.apply(input, source, mask=mask._data)


def masked_scatter_(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    _check_masked_scatter(self, mask, source, "masked_scatter_")
    if mask.shape != self.shape:
        try:
            mask = mask.expand(self.shape)
        except RuntimeError as err:  # torch names the mask's type as its C++ kernel does
            raise RuntimeError(str(err).replace("torch.BoolTensor", "CPUBoolType")) from None
    return apply_inplace(self, masked_scatter, mask, source)


# ---------------------------------------------------------------- index_put


class IndexPut(Op):
    """out[indices] = values (or += with accumulate); d/dself = g, zeroed at the written
    places unless accumulating; d/dvalues = g at those places, summed to values' shape."""

    grad_fn_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, a, values, key, accumulate):
        ctx.key, ctx.accumulate, ctx.values_shape = key, accumulate, values.shape
        out = a.copy()
        if accumulate:
            np.add.at(out, key, np.broadcast_to(values, _indexed_shape(key, a.shape)))
        else:
            out[key] = values
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_a = None
        if ctx.needs_input_grad[0]:
            grad_a = np.array(grad)
            if not ctx.accumulate:
                grad_a[ctx.key] = 0
        grad_values = None
        if ctx.needs_input_grad[1]:
            grad_values = _unbroadcast(np.asarray(grad[ctx.key]), ctx.values_shape)
        return grad_a, grad_values


def _index_put_key(self: Tensor, indices, values, accumulate: bool, name: str) -> tuple:
    """Check index_put's arguments as torch does; the numpy key to write."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(
            f"{name}(): argument 'indices' (position 1) must be tuple of Tensors, not "
            f"{type(indices).__name__}"
        )
    for i, index in enumerate(indices):
        if not isinstance(index, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(index).__name__}"
            )
    if not isinstance(values, Tensor):
        raise TypeError(
            f"{name}(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}"
        )
    if values._data.dtype != self._data.dtype:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{type_name(self._data.dtype)} for the destination and "
            f"{type_name(values._data.dtype)} for the source."
        )
    if not indices:
        return ()
    used = sum(i.ndim if i._data.dtype == np.bool_ else 1 for i in indices)
    if used > self.ndim:
        raise IndexError(
            f"too many indices for tensor of dimension {self.ndim} (got {len(indices)})"
        )
    _, key = parse_key(tuple(indices), self._data.shape, write=True)
    _check_value_shape(values, _indexed_shape(key, self._data.shape), True)
    return check_bounds(key, self._data.shape)


def index_put(input: Tensor, indices, values: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of input with values written (or added) at `input[indices]`."""
    key = _index_put_key(input, indices, values, accumulate, "index_put")
    return IndexPut.apply(input, values, key=key, accumulate=bool(accumulate))


def index_put_(self: Tensor, indices, values: Tensor, accumulate: bool = False) -> Tensor:
    key = _index_put_key(self, indices, values, accumulate, "index_put_")
    return apply_inplace(
        self, lambda t, v: IndexPut.apply(t, v, key=key, accumulate=bool(accumulate)), values
    )


# ---------------------------------------------------------------- random fills


class RandomBackward0(_Redrawn):
    grad_fn_name = "RandomBackward0"  # random_(from, to)
    pass


class RandomBackward1(_Redrawn):
    grad_fn_name = "RandomBackward1"  # random_(to)
    pass


class RandomBackward2(_Redrawn):
    grad_fn_name = "RandomBackward2"  # random_()
    pass


class Exponential(_Redrawn):
    pass


class LogNormal(_Redrawn):
    pass


class Geometric(_Redrawn):
    pass


class Cauchy(_Redrawn):
    pass


def _dtype_max(dtype: np.dtype) -> int:
    """The largest value random_() draws: every integer a float holds exactly."""
    if dtype.kind == "f":
        return 2 ** (np.finfo(dtype).nmant + 1)
    if dtype.kind == "b":
        return 1
    return int(np.iinfo(dtype).max)


def random_(self: Tensor, *args, to=None, generator=None) -> Tensor:
    """Integers drawn uniformly from [from, to - 1]: random_(), random_(to), random_(from, to)."""
    if to is not None:
        args = (*args, to)
    if len(args) > 2 or any(not isinstance(a, (int, np.integer, type(None))) for a in args):
        raise TypeError(
            "random_() received an invalid combination of arguments - got ("
            + ", ".join(type(a).__name__ for a in args)
            + "), but expected one of:\n"
            " * (*, torch.Generator generator = None)\n"
            " * (int from, int to, *, torch.Generator generator = None)\n"
            " * (int to, *, torch.Generator generator = None)\n"
        )
    dtype = self._data.dtype
    if len(args) == 2:
        low, high, op = args[0], args[1], RandomBackward0
    elif len(args) == 1:
        low, high, op = 0, args[0], RandomBackward1
    else:
        low, high, op = 0, None, RandomBackward2
    if high is None:
        high = _dtype_max(dtype) + 1
    elif low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    if dtype.kind in "biu":
        limits = (0, 1) if dtype.kind == "b" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
        cpp = CPP_TYPE_NAMES[dtype.name]
        if not limits[0] <= low <= limits[1]:
            raise RuntimeError(f"from is out of bounds for {cpp}")
        if not limits[0] <= high - 1 <= limits[1]:
            raise RuntimeError(f"to - 1 is out of bounds for {cpp}")
    gen = rng(generator)

    def draw(shape, dtype, out=None):
        values = gen.integers(low, high - 1, size=shape, endpoint=True).astype(dtype)
        if out is not None:
            out[...] = values
        return values

    return _random_fill(self, op, draw)


def _continuous(self: Tensor, name: str) -> None:
    if self._data.dtype.kind != "f":
        shown = CPP_TYPE_NAMES if name == "Cauchy" else None
        kind = shown[self._data.dtype.name] if shown else type_name(self._data.dtype)
        raise RuntimeError(
            f"{name} distribution is a continuous probability distribution. dtype must be a "
            f"floating point but you specified {kind}"
        )


def _sampler(sample):
    """A draw(shape, dtype, out=None) over a numpy sampler of float64 values."""

    def draw(shape, dtype, out=None):
        values = np.asarray(sample(shape)).astype(dtype)
        if out is not None:
            out[...] = values
        return values

    return draw


def exponential_(self: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Fill with draws from Exp(lambd) (density lambd * e^(-lambd x))."""
    _continuous(self, "Exponential")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    gen = rng(generator)
    return _random_fill(self, Exponential, _sampler(lambda s: gen.exponential(1.0 / lambd, s)))


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    """Fill with exp(N(mean, std^2)) draws."""
    if self._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"log_normal_cpu\" not implemented for '{type_name(self._data.dtype)}'"
        )
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    gen = rng(generator)
    return _random_fill(self, LogNormal, _sampler(lambda s: gen.lognormal(mean, std, s)))


def geometric_(self: Tensor, p: float, *, generator=None) -> Tensor:
    """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
    if self._data.dtype.kind == "b":
        raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    gen = rng(generator)
    return _random_fill(self, Geometric, _sampler(lambda s: gen.geometric(p, s)))


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    """Fill with draws from Cauchy(median, sigma)."""
    _continuous(self, "Cauchy")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    gen = rng(generator)
    return _random_fill(self, Cauchy, _sampler(lambda s: median + sigma * gen.standard_cauchy(s)))


for _fn in (
    divide_,
    true_divide_,
    multiply_,
    subtract_,
    tril_,
    triu_,
    cumsum_,
    cumprod_,
    fill_diagonal_,
    masked_scatter,
    masked_scatter_,
    index_put,
    index_put_,
    random_,
    exponential_,
    log_normal_,
    geometric_,
    cauchy_,
):
    setattr(Tensor, _fn.__name__, _fn)

# torch's top-level functions among these (torch.masked_scatter, torch.index_put_, ...)
__all__ = ["index_put", "index_put_", "masked_scatter"]
