"""Gradchecks (float64) for the audit's running/paired reductions and composite helpers."""

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import check_grad, leaf

CASES = {
    "cumprod": (lambda x: x.cumprod(1), [(2, 4)]),
    "cumprod_dim0": (lambda x: mt.cumprod(x, 0), [(3, 2)]),
    "cummax": (lambda x: x.cummax(1).values, [(2, 4)]),
    "cummin": (lambda x: mt.cummin(x, 0)[0], [(3, 2)]),
    "var_mean": (lambda x: mt.var_mean(x, 1)[0] + mt.var_mean(x, 1)[1] * 2, [(2, 4)]),
    "std_mean": (lambda x: mt.std_mean(x)[0] * mt.std_mean(x)[1], [(2, 3)]),
    "nansum": (lambda x: mt.nansum(x, 1), [(2, 3)]),
    "nanmean": (lambda x: mt.nanmean(x, 0), [(2, 3)]),
    "diff": (lambda x: mt.diff(x, n=2, dim=1), [(2, 5)]),
    "meshgrid": (
        lambda a, b: mt.meshgrid(a, b, indexing="xy")[0] * mt.meshgrid(a, b)[1].t(),
        [(2,), (3,)],
    ),
    "repeat_interleave": (lambda x: x.repeat_interleave(2, dim=0), [(2, 3)]),
    "repeat_interleave_t": (lambda x: x.repeat_interleave(mt.tensor([1, 0, 2]), dim=1), [(2, 3)]),
    "take_along_dim": (lambda x: mt.take_along_dim(x, mt.tensor([[0, 2, 2]]), 1), [(2, 3)]),
    "broadcast_tensors": (lambda a, b: mt.broadcast_tensors(a, b)[0] * 3, [(2, 1), (3,)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcheck(name):
    fn, shapes = CASES[name]
    check_grad(fn, *[leaf(s, seed=i) for i, s in enumerate(shapes)])


def test_cumprod_gradient_with_zeros_is_exact():
    x = mt.tensor([2.0, 0.0, 3.0, 0.0, 5.0], dtype=mt.float64, requires_grad=True)
    check_grad(lambda t: t.cumprod(0), x)


def test_nansum_gives_no_gradient_to_nan():
    x = mt.tensor([1.0, float("nan"), 2.0], requires_grad=True)
    x.nansum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 0.0, 1.0])
