"""Tensor factories: dtype inference, sharing, seeding and their errors (PyTorch's rules)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import minitorch_ft as mt


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        (1.5, mt.float32),
        (1, mt.int64),
        (True, mt.bool),
        ([1, 2.5], mt.float32),
        ([[1, 2], [3, 4]], mt.int64),
        ([True, False], mt.bool),
        ([], mt.float32),
        (np.array([1.5]), mt.float64),
        (np.array([1], dtype=np.int32), mt.int32),
        (np.float64(2.5), mt.float64),
        (np.int32(3), mt.int32),
    ],
)
def test_tensor_dtype_inference(data, dtype):
    assert mt.tensor(data).dtype == dtype


def test_tensor_copies_and_casts():
    source = np.array([1.0, 2.0])
    t = mt.tensor(source)
    source[0] = 9.0
    assert t.tolist() == [1.0, 2.0]
    assert mt.tensor([1.7, -1.7], dtype=mt.int64).tolist() == [1, -1]  # truncation, as torch
    assert mt.tensor([mt.tensor(1.0), mt.tensor(2.0)]).tolist() == [1.0, 2.0]
    assert mt.tensor([1e300]).tolist() == [float("inf")]  # float32 overflow, silently


@pytest.mark.parametrize(
    ("data", "error", "text"),
    [
        ([[1, 2], [3]], ValueError, "expected sequence of length 2 at dim 1 (got 1)"),
        ([[1], 2], TypeError, "not a sequence"),
        (None, RuntimeError, "Could not infer dtype of NoneType"),
        ([1, None], RuntimeError, "Could not infer dtype of NoneType"),
        ("a", TypeError, "new(): invalid data type 'str'"),
    ],
)
def test_tensor_errors(data, error, text):
    with pytest.raises(error, match=re.escape(text)):
        mt.tensor(data)


def test_from_numpy_shares_memory_and_keeps_dtype():
    array = np.array([1.0, 2.0])
    t = mt.from_numpy(array)
    assert t.dtype == mt.float64
    array[0] = 5.0
    assert t.tolist() == [5.0, 2.0]
    t.numpy()[1] = 7.0
    assert array[1] == 7.0
    with pytest.raises(TypeError, match=re.escape("expected np.ndarray (got list)")):
        mt.from_numpy([1.0])


def test_as_tensor_shares_when_it_can():
    array = np.array([1.0, 2.0], dtype=np.float32)
    assert np.shares_memory(mt.as_tensor(array).numpy(), array)
    assert not np.shares_memory(mt.as_tensor(array, dtype=mt.float64).numpy(), array)


def test_manual_seed_reproducible():
    mt.manual_seed(123)
    first = (mt.randn(3, 2).tolist(), mt.rand(4).tolist(), mt.randint(0, 10, (5,)).tolist())
    mt.manual_seed(123)
    second = (mt.randn(3, 2).tolist(), mt.rand(4).tolist(), mt.randint(0, 10, (5,)).tolist())
    assert first == second
    assert mt.initial_seed() == 123
    mt.manual_seed(124)
    assert mt.randn(3, 2).tolist() != first[0]


def test_generator_argument_and_state():
    g = mt.Generator().manual_seed(7)
    a = mt.randn(3, generator=g)
    mt.manual_seed(0)
    state = mt.get_rng_state()
    b = mt.rand(3)
    mt.set_rng_state(state)
    assert mt.rand(3).tolist() == b.tolist()
    assert mt.randn(3, generator=mt.Generator().manual_seed(7)).tolist() == a.tolist()


@pytest.mark.parametrize(
    ("make", "dtype", "values"),
    [
        (lambda: mt.arange(5), mt.int64, [0, 1, 2, 3, 4]),
        (lambda: mt.arange(5.0), mt.float32, [0.0, 1.0, 2.0, 3.0, 4.0]),
        (lambda: mt.arange(1, 2, 0.25), mt.float32, [1.0, 1.25, 1.5, 1.75]),
        (lambda: mt.arange(5, 0, -2), mt.int64, [5, 3, 1]),
        (lambda: mt.arange(3, dtype=mt.float64), mt.float64, [0.0, 1.0, 2.0]),
        (lambda: mt.arange(mt.tensor(3)), mt.int64, [0, 1, 2]),
        (lambda: mt.linspace(0, 1, 5), mt.float32, [0.0, 0.25, 0.5, 0.75, 1.0]),
        (lambda: mt.linspace(0, 1, 1), mt.float32, [0.0]),
        (lambda: mt.full((2,), 3), mt.int64, [3, 3]),
        (lambda: mt.full((2,), 3.0), mt.float32, [3.0, 3.0]),
        (lambda: mt.full((2,), True), mt.bool, [True, True]),
        (lambda: mt.full_like(mt.tensor([1, 2]), 2.7), mt.int64, [2, 2]),
        (lambda: mt.zeros_like(mt.tensor([1.5])), mt.float32, [0.0]),
        (lambda: mt.ones(2, dtype=mt.int32), mt.int32, [1, 1]),
        (lambda: mt.zeros([2]), mt.float32, [0.0, 0.0]),
        (lambda: mt.eye(2), mt.float32, [[1.0, 0.0], [0.0, 1.0]]),
    ],
)
def test_factory_dtypes_and_values(make, dtype, values):
    t = make()
    assert t.dtype == dtype
    assert t.tolist() == values


def test_random_factories_dtypes():
    assert mt.randn(2, 3).shape == (2, 3) and mt.randn(2).dtype == mt.float32
    assert mt.rand(3, dtype=mt.float64).dtype == mt.float64
    assert mt.randint(0, 5, (3,)).dtype == mt.int64 and mt.randperm(4).dtype == mt.int64
    assert sorted(mt.randperm(5).tolist()) == [0, 1, 2, 3, 4]
    assert mt.empty(2, 0).shape == (2, 0)
    assert mt.randn((2, 3), requires_grad=True).requires_grad


@pytest.mark.parametrize(
    ("make", "error", "text"),
    [
        (
            lambda: mt.arange(0, 3, -1),
            RuntimeError,
            "upper bound and lower bound inconsistent with step sign",
        ),
        (lambda: mt.arange(0, 3, 0), RuntimeError, "step must be nonzero"),
        (
            lambda: mt.ones(-1),
            RuntimeError,
            "Trying to create tensor with negative dimension -1: [-1]",
        ),
        (
            lambda: mt.randn(2.5),
            TypeError,
            "randn(): argument 'size' (position 1) must be tuple of ints, not float",
        ),
        (
            lambda: mt.ones((2.5,)),
            TypeError,
            "ones(): argument 'size' (position 1) must be tuple "
            "of ints, but found element of type float at pos 0",
        ),
        (lambda: mt.linspace(0, 1, -1), RuntimeError, "number of steps must be non-negative"),
    ],
)
def test_factory_errors(make, error, text):
    with pytest.raises(error, match=re.escape(text)):
        make()


def test_default_dtype_switch():
    mt.set_default_dtype(mt.float64)
    try:
        assert mt.tensor(1.5).dtype == mt.float64 and mt.zeros(1).dtype == mt.float64
        assert mt.get_default_dtype() == mt.float64
    finally:
        mt.set_default_dtype(mt.float32)
    with pytest.raises(
        TypeError, match="only floating-point types are supported as the default type"
    ):
        mt.set_default_dtype(mt.int64)


def test_python_scalars_never_upcast():
    f32 = mt.tensor([1.0, 2.0])
    ints = mt.tensor([1, 2])
    assert (f32 * 2.5).dtype == mt.float32 and (2.5 * f32).dtype == mt.float32
    assert (ints * 2.5).dtype == mt.float32 and (ints * 2).dtype == mt.int64
    assert (ints / ints).dtype == mt.float32 and (ints / 2).dtype == mt.float32
    assert (mt.tensor(2.0, dtype=mt.float64) * f32).dtype == mt.float32
    assert (mt.tensor([2.0], dtype=mt.float64) * f32).dtype == mt.float64
    assert (f32 * np.float64(2.0)).dtype == mt.float32  # numpy scalars are weak too
    assert (mt.tensor([1], dtype=mt.int32) + mt.tensor([5])).dtype == mt.int64
    assert (mt.tensor([True]) + 1).dtype == mt.int64
