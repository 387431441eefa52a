"""Comparisons, logical/bitwise ops and value tests: dtypes, promotion, never recorded."""

from __future__ import annotations

import operator
import re

import numpy as np
import pytest

import minitorch_ft as mt

OPS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_comparisons_return_bool_and_match_numpy(name):
    a_np = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]], dtype=np.float32)
    b_np = np.array([2.0, 2.0, 2.0], dtype=np.float32)
    a = mt.tensor(a_np, requires_grad=True)
    b = mt.tensor(b_np)
    for out in (OPS[name](a, b), getattr(mt, name)(a, b), getattr(a, name)(b)):
        assert out.dtype == mt.bool and not out.requires_grad and out.grad_fn is None
        np.testing.assert_array_equal(out.numpy(), OPS[name](a_np, b_np))
    np.testing.assert_array_equal(OPS[name](a, 2).numpy(), OPS[name](a_np, 2))
    np.testing.assert_array_equal(OPS[name](2, a).numpy(), OPS[name](2, a_np))


def test_aliases():
    a, b = mt.tensor([1, 2, 3]), mt.tensor([2, 2, 2])
    pairs = [
        (mt.greater, mt.gt),
        (mt.greater_equal, mt.ge),
        (mt.less, mt.lt),
        (mt.less_equal, mt.le),
        (mt.not_equal, mt.ne),
    ]
    for alias, fn in pairs:
        assert alias(a, b).tolist() == fn(a, b).tolist()
    assert a.greater(b).tolist() == [False, False, True]


def test_comparison_promotes_like_torch():
    assert (mt.tensor([0.1]) == 0.1).tolist() == [True]  # 0.1 compared in float32
    assert (mt.tensor([16777217]) == 16777216.0).tolist() == [True]  # int64 vs float: float32
    assert (mt.tensor([1, 2]) < 2.5).tolist() == [True, True]
    assert (mt.tensor([1, 2]) > mt.tensor([True, False])).tolist() == [False, True]
    assert (mt.tensor([1.0, 2.0]) == mt.tensor([1.0, 2.0], dtype=mt.float64)).tolist() == [
        True,
        True,
    ]


def test_eq_with_non_tensor_objects():
    t = mt.tensor([1, 2])
    assert (t == None) is False  # noqa: E711 - the behaviour under test
    assert (t != None) is True  # noqa: E711
    assert (t == "a") is False
    assert (t == [1, 2]) is False  # torch does not convert lists in ==
    assert (t == np.array([1, 2])).tolist() == [True, True]
    with pytest.raises(
        TypeError, match="'<' not supported between instances of 'Tensor' and 'NoneType'"
    ):
        t < None  # noqa: B015
    with pytest.raises(
        TypeError,
        match=re.escape(
            "eq() received an invalid combination of arguments - got (Tensor, NoneType)"
        ),
    ):
        mt.eq(t, None)


def test_tensors_stay_hashable():
    a, b = mt.tensor([1.0]), mt.tensor([1.0])
    table = {a: "a", b: "b"}
    assert table[a] == "a" and table[b] == "b" and len({a, b, a}) == 2


def test_shape_mismatch_error():
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "The size of tensor a (2) must match the size of tensor b (3) at non-singleton "
            "dimension 0"
        ),
    ):
        mt.zeros(2) == mt.zeros(3)  # noqa: B015


def test_equal_isclose_allclose():
    nan = float("nan")
    assert mt.equal(mt.tensor([1, 2]), mt.tensor([1.0, 2.0]))
    assert not mt.equal(mt.zeros(2), mt.zeros(3))
    assert not mt.equal(mt.tensor([1.0, nan]), mt.tensor([1.0, nan]))
    a = mt.tensor([1.0, 2.0, nan])
    b = mt.tensor([1.0, 2.00001, nan])
    assert mt.isclose(a, b).tolist() == [True, True, False]
    assert mt.isclose(a, b, equal_nan=True).tolist() == [True, True, True]
    assert mt.allclose(mt.tensor([1.0, 2.0]), mt.tensor([1.0, 2.00001])) is True
    assert mt.allclose(mt.tensor([1.0]), mt.tensor([1.1])) is False
    assert mt.isclose(mt.tensor([1, 2]), mt.tensor([1, 3])).tolist() == [True, False]
    with pytest.raises(RuntimeError, match="^Float did not match Double$"):
        mt.allclose(mt.ones(2), mt.ones(2, dtype=mt.float64))


def test_value_tests():
    x = mt.tensor([1.0, float("nan"), float("inf"), -float("inf"), -0.0])
    assert mt.isnan(x).tolist() == [False, True, False, False, False]
    assert mt.isinf(x).tolist() == [False, False, True, True, False]
    assert mt.isfinite(x).tolist() == [True, False, False, False, True]
    assert mt.isposinf(x).tolist() == [False, False, True, False, False]
    assert mt.isneginf(x).tolist() == [False, False, False, True, False]
    assert mt.signbit(x).tolist() == [False, False, False, True, True]
    assert x.isnan().dtype == mt.bool
    i = mt.tensor([1, 2])
    assert mt.isnan(i).tolist() == [False, False] and mt.isfinite(i).tolist() == [True, True]
    assert mt.isreal(x).tolist() == [True] * 5


def test_logical_ops():
    a = mt.tensor([0.0, 1.0, 2.0, 0.0])
    b = mt.tensor([0, 0, 3, 5])
    assert mt.logical_and(a, b).tolist() == [False, False, True, False]
    assert mt.logical_or(a, b).tolist() == [False, True, True, True]
    assert mt.logical_xor(a, b).tolist() == [False, True, False, True]
    assert mt.logical_not(a).tolist() == [True, False, False, True]
    assert a.logical_not().dtype == mt.bool
    with pytest.raises(
        TypeError,
        match=re.escape("logical_and(): argument 'other' (position 2) must be Tensor, not int"),
    ):
        mt.logical_and(a, 1)


def test_bitwise_ops_and_operators():
    i = mt.tensor([1, 2, 3])
    b = mt.tensor([True, False, True])
    assert (i & 3).tolist() == [1, 2, 3] and (i & 3).dtype == mt.int64
    assert (i | 4).tolist() == [5, 6, 7] and (i ^ 1).tolist() == [0, 3, 2]
    assert (3 & i).tolist() == [1, 2, 3]
    assert (~i).tolist() == [-2, -3, -4] and (~b).tolist() == [False, True, False]
    assert (b & True).dtype == mt.bool and (b ^ i).tolist() == [0, 2, 2]
    assert (b ^ i).dtype == mt.int64
    i32 = mt.tensor([1, 2], dtype=mt.int32)
    assert (i32 | 3).dtype == mt.int32 and (i32 | mt.tensor(3)).dtype == mt.int32
    with pytest.raises(NotImplementedError, match="\"bitwise_or_cpu\" not implemented for 'Float'"):
        mt.tensor([1.0]) | 1
    with pytest.raises(
        TypeError,
        match=re.escape(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        ),
    ):
        ~mt.tensor([1.0])


def test_masks_feed_where_and_arithmetic():
    x = mt.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y = mt.where(x > 0, x * 2, x)
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 2.0]
    assert ((x > 0).float() * x).grad_fn is not None


def test_bitwise_not_function_and_operator_errors_differ_like_torch():
    with pytest.raises(
        NotImplementedError, match="\"bitwise_not_cpu\" not implemented for 'Float'"
    ):
        mt.bitwise_not(mt.tensor([1.0]))
    assert mt.bitwise_not(mt.tensor([0, 5])).tolist() == [-1, -6]
