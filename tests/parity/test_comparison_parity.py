"""Comparisons, logical and bitwise ops against torch: values and result dtypes."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import torch

DTYPES = [np.float32, np.float64, np.int64, np.int32, np.bool_]


def same(out_mt, out_th):
    if isinstance(out_th, bool):
        assert out_mt is out_th
        return
    assert str(out_mt.dtype) == str(out_th.dtype)
    np.testing.assert_array_equal(out_mt.numpy(), out_th.numpy())


def both(a, b):
    return (mt.tensor(a), mt.tensor(b)), (torch.tensor(a), torch.tensor(b))


@pytest.mark.parametrize(
    "op", [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]
)
@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("db", DTYPES)
def test_comparison_dtype_pairs(op, da, db):
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, size=(2, 3)).astype(da)
    b = rng.integers(0, 3, size=(3,)).astype(db)
    (ma, mb), (ta, tb) = both(a, b)
    same(op(ma, mb), op(ta, tb))
    for scalar in (1, 1.5, True):
        same(op(ma, scalar), op(ta, scalar))


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical(name):
    a = np.array([0.0, 1.0, -2.0, 0.0])
    b = np.array([0, 0, 3, 1])
    (ma, mb), (ta, tb) = both(a, b)
    same(getattr(mt, name)(ma, mb), getattr(torch, name)(ta, tb))
    same(mt.logical_not(ma), torch.logical_not(ta))


@pytest.mark.parametrize("op", [operator.and_, operator.or_, operator.xor])
@pytest.mark.parametrize(
    "da,db",
    [
        (np.int64, np.int64),
        (np.bool_, np.bool_),
        (np.bool_, np.int64),
        (np.int32, np.int64),
        (np.int32, np.int32),
    ],
)
def test_bitwise(op, da, db):
    a = np.array([0, 1, 2, 3]).astype(da)
    b = np.array([3, 1, 0, 2]).astype(db)
    (ma, mb), (ta, tb) = both(a, b)
    same(op(ma, mb), op(ta, tb))
    same(op(ma, 1), op(ta, 1))
    same(op(ma, True), op(ta, True))
    same(~ma, ~ta)


def test_value_tests_and_closeness():
    x = np.array([1.0, np.nan, np.inf, -np.inf, -0.0, 1e-9], dtype=np.float32)
    y = np.array([1.0 + 1e-6, np.nan, np.inf, np.inf, 0.0, 0.0], dtype=np.float32)
    (mx, my), (tx, ty) = both(x, y)
    for name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit"):
        same(getattr(mt, name)(mx), getattr(torch, name)(tx))
    same(mt.isclose(mx, my), torch.isclose(tx, ty))
    same(mt.isclose(mx, my, equal_nan=True), torch.isclose(tx, ty, equal_nan=True))
    same(mt.isclose(mx, my, rtol=0, atol=1e-3), torch.isclose(tx, ty, rtol=0, atol=1e-3))
    same(mt.allclose(mx, my), torch.allclose(tx, ty))
    same(mt.allclose(mx[:1], my[:1]), torch.allclose(tx[:1], ty[:1]))
    same(mt.equal(mx, mx), torch.equal(tx, tx))
    same(mt.equal(mx[:1], mx[:1]), torch.equal(tx[:1], tx[:1]))


def test_eq_with_foreign_objects():
    m, t = mt.tensor([1, 2]), torch.tensor([1, 2])
    for other in (None, "a", [1, 2], (1, 2), object()):
        assert (m == other) == (t == other)
        assert (m != other) == (t != other)
