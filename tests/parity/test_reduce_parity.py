"""Reductions and extremes against PyTorch: values, dtypes, grad_fn names, gradients, errors."""

import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import compare, torch

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 4)).astype(np.float32)
TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], np.float32)
INTS = np.arange(6).reshape(2, 3)

CASES = {
    "sum": lambda L, x: x.sum(),
    "sum_dim": lambda L, x: x.sum(1),
    "sum_dims_keep": lambda L, x: x.sum((0, -1), keepdim=True),
    "sum_none": lambda L, x: x.sum(dim=None),
    "sum_dtype": lambda L, x: L.sum(x, 1, dtype=L.float64),
    "mean": lambda L, x: x.mean(),
    "mean_dim": lambda L, x: L.mean(x, -1, True),
    "var": lambda L, x: x.var(),
    "var_dim": lambda L, x: x.var(1, keepdim=True),
    "var_unbiased_false": lambda L, x: x.var(0, unbiased=False),
    "std_correction": lambda L, x: x.std(dim=(0, 2), correction=2),
    "logsumexp": lambda L, x: x.logsumexp(1),
    "logsumexp_keep": lambda L, x: L.logsumexp(x, (0, 2), keepdim=True),
    "prod": lambda L, x: x.prod(),
    "prod_dim": lambda L, x: x.prod(2, keepdim=True),
    "cumsum": lambda L, x: x.cumsum(-1),
    "norm": lambda L, x: x.norm(),
    "norm_dim": lambda L, x: x.norm(dim=1),
    "norm_p1": lambda L, x: x.norm(p=1, dim=(0, 1)),
    "norm_p3": lambda L, x: L.norm(x, 3, 2, True),
    "norm_inf": lambda L, x: x.norm(p=float("inf"), dim=0),
    "norm_fro": lambda L, x: x.norm(p="fro"),
    "max": lambda L, x: x.max(),
    "max_dim": lambda L, x: x.max(1).values,
    "max_dim_keep": lambda L, x: L.max(x, -1, keepdim=True)[0],
    "min": lambda L, x: x.min(),
    "min_dim": lambda L, x: x.min(dim=0).values,
    "amax": lambda L, x: x.amax(1),
    "amin": lambda L, x: L.amin(x, (0, 2)),
    "amax_all": lambda L, x: x.amax(),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("array", [X, TIES, X[0, 0, 0].copy()], ids=["3d", "ties", "0d"])
def test_reduction_parity(name, array):
    fn = CASES[name]
    if array.ndim < 3 and any(s in name for s in ("(0, 2)", "dims", "amin", "std", "p1")):
        pytest.skip("case uses dims the array lacks")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(torch, torch.tensor(array))
    except (IndexError, RuntimeError):
        pytest.skip("not valid for this shape in torch either")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(lambda x: fn(mt, x), lambda x: fn(torch, x), array, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "expr",
    [
        "x.sum()",
        "x.sum(0)",
        "x.prod()",
        "x.cumsum(1)",
        "x.max()",
        "x.max(1)[1]",
        "x.argmax()",
        "x.argmin(1, keepdim=True)",
        "x.amax(0)",
        "x.all()",
        "x.any(1)",
        "x.count_nonzero(0)",
        "(x > 2).sum()",
        "(x > 2).all(0)",
        "x.to(L.uint8).any()",
        "x.int().sum()",
        "x.mean(dtype=L.float32)",
        "x.logsumexp(1)",
        "x.all(())",
        "x.any([])",
        "x.count_nonzero(())",
    ],
)
def test_integer_reduction_parity(expr):
    compare(
        lambda x: eval(expr, {"x": x, "L": mt}), lambda x: eval(expr, {"x": x, "L": torch}), INTS
    )


@pytest.mark.parametrize(
    "expr",
    [
        "x.mean()",
        "x.var()",
        "x.std(0)",
        "x.norm()",
        "x.float().sum(3)",
        "x.float().max(5)",
        "x.float().sum((0, 0))",
        "L.ones(0).max()",
        "L.ones(0).amax()",
        "L.ones(0, 3).max(0)",
        "L.ones(0).argmax()",
        "x.float().logsumexp(None)",
        "(x > 1).argmax()",
    ],
)
def test_error_parity(expr):
    with pytest.raises(Exception) as ours:
        eval(expr, {"x": mt.tensor(INTS), "L": mt})
    with pytest.raises(Exception) as theirs:
        eval(expr, {"x": torch.tensor(INTS), "L": torch})
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value).split("\n")[0]


def test_max_dim_indices_and_repr_parity():
    ours, theirs = mt.tensor(TIES).max(1), torch.tensor(TIES).max(1)
    assert ours.indices.tolist() == theirs.indices.tolist()
    assert repr(ours) == repr(theirs)
