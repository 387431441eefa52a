"""Sampling ops from tensors of parameters: `multinomial`, `bernoulli`, `normal`.

Samples come from numpy's PCG64 (see README), so seeded values differ from PyTorch's.
Like torch, bernoulli and normal are recorded in the graph with zero gradients.
"""

# ruff: noqa: A002 - `input` is PyTorch's argument name

from __future__ import annotations

import operator

import numpy as np

from .. import dtypes
from ..function import Op
from ..generator import rng
from ..tensor import Tensor
from ._support import broadcast_shape, check_tensor, quiet, type_name

__all__ = ["bernoulli", "multinomial", "normal"]


@quiet
def multinomial(
    input: Tensor, num_samples: int, replacement: bool = False, *, generator=None
) -> Tensor:
    """Category indices drawn from the rows of `input` (non-negative weights), int64."""
    probs = check_tensor(input, "multinomial")._data
    if probs.dtype.kind != "f":
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: "
            f"{type_name(probs.dtype)}"
        )
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    n = operator.index(num_samples)
    if n <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and n > probs.shape[-1]:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    rows = probs.reshape(-1, probs.shape[-1]).astype(np.float64)
    if not np.all(np.isfinite(rows)) or np.any(rows < 0):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = rows.sum(-1, keepdims=True)
    if np.any(totals <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    gen = rng(generator)
    if replacement:  # inverse CDF per row
        cdf = np.cumsum(rows / totals, -1)
        u = gen.random((rows.shape[0], n))
        out = np.stack([np.searchsorted(c, r, side="right") for c, r in zip(cdf, u, strict=True)])
        out = np.minimum(out, rows.shape[-1] - 1)
    else:  # exponential races: the first n arrivals, zero weights (infinite times) last
        times = gen.exponential(size=rows.shape) / rows
        out = np.argsort(times, -1, kind="stable")[:, :n]
    return Tensor._wrap(out.reshape(probs.shape[:-1] + (n,)).astype(np.int64))


class Bernoulli(Op):
    """0/1 draws with probabilities a; d/da = 0 (torch records it with a zero gradient)."""

    @staticmethod
    def forward(ctx, a, p, generator):
        chance = a if p is None else np.full(a.shape, p)
        return (rng(generator).random(a.shape) < chance).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)


def bernoulli(input: Tensor, p: float | None = None, *, generator=None) -> Tensor:
    """Draw 1 with probability input (or `p` when given) per element, in input's dtype."""
    data = check_tensor(input, "bernoulli")._data
    if data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"bernoulli_tensor_cpu_p_\" not implemented for '{type_name(data.dtype)}'"
        )
    chance = data if p is None else np.asarray(p)
    if np.any(~((chance >= 0) & (chance <= 1))):
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    return Bernoulli.apply(input, p=p, generator=generator)


class NormalBackward(Op):
    """mean + std * z with z ~ N(0, 1); d/dmean = d/dstd = 0, as torch's normal."""

    @staticmethod
    def forward(ctx, *params, scalars, shape, dtype, generator):
        mean, std = scalars
        values = iter(params)
        mean = next(values) if mean is None else mean
        std = next(values) if std is None else std
        return (mean + std * rng(generator).standard_normal(shape)).astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.zeros(s, grad.dtype) for s in ctx._shapes)


class NormalBackward1(NormalBackward):  # tensor mean, float std
    grad_fn_name = "NormalBackward1"


class NormalBackward2(NormalBackward):  # float mean, tensor std
    grad_fn_name = "NormalBackward2"


class NormalBackward3(NormalBackward):  # tensor mean and std
    grad_fn_name = "NormalBackward3"


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, **kwargs) -> Tensor:
    """Normal samples with tensor or float `mean`/`std` (broadcast), or floats and `size`."""
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    std_min = std._data.min(initial=0) if std_t else std
    if std_min < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std_min:g}")
    if not (mean_t or std_t):
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments")
        np_dtype = (dtypes.to_dtype(dtype) if dtype else dtypes.get_default_dtype()).np
        z = rng(generator).standard_normal(tuple(size))
        return Tensor._wrap(
            (mean + std * z).astype(np_dtype), requires_grad=kwargs.get("requires_grad", False)
        )
    params = [t for t in (mean, std) if isinstance(t, Tensor)]
    shape = broadcast_shape(*(t.shape for t in params))
    op = NormalBackward3 if mean_t and std_t else NormalBackward1 if mean_t else NormalBackward2
    return op.apply(
        *params,
        scalars=(None if mean_t else mean, None if std_t else std),
        shape=shape,
        dtype=params[0]._data.dtype,
        generator=generator,
    )


Tensor.bernoulli = bernoulli
Tensor.multinomial = multinomial
