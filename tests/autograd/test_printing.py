"""repr(tensor) in PyTorch 2.x's format: expected strings were taken from torch 2.13."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd.printing import get_printoptions, printoptions, set_printoptions

NAN, INF = float("nan"), float("inf")


def f32(values) -> mt.Tensor:
    return mt.tensor(np.asarray(values, dtype=np.float32))


@pytest.fixture(autouse=True)
def _default_options():
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: mt.tensor([1.0, 2.0]), "tensor([1., 2.])"),
        (lambda: mt.tensor(0.6819), "tensor(0.6819)"),
        (lambda: mt.tensor([0.1234567, 12.5, -3.0]), "tensor([ 0.1235, 12.5000, -3.0000])"),
        (lambda: mt.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (lambda: mt.tensor([1e9, 1.0]), "tensor([1.0000e+09, 1.0000e+00])"),
        (lambda: mt.tensor([1.0, 2000.0]), "tensor([1.0000e+00, 2.0000e+03])"),
        (lambda: mt.tensor([NAN, INF, -INF, 1.5]), "tensor([   nan,    inf,   -inf, 1.5000])"),
        (lambda: mt.tensor([-0.0, 0.0]), "tensor([-0., 0.])"),
        (lambda: mt.tensor([1, -20, 300]), "tensor([  1, -20, 300])"),
        (lambda: mt.tensor([True, False]), "tensor([ True, False])"),
        (lambda: mt.tensor(True), "tensor(True)"),
        (lambda: mt.tensor(7), "tensor(7)"),
    ],
)
def test_values(make, expected):
    assert repr(make()) == expected
    assert str(make()) == expected


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: mt.zeros(0, 3), "tensor([], size=(0, 3))"),
        (lambda: mt.zeros(0), "tensor([])"),
        (lambda: mt.zeros(0, dtype=mt.int64), "tensor([], dtype=torch.int64)"),
        (
            lambda: mt.zeros(2, 3, dtype=mt.float64),
            "tensor([[0., 0., 0.],\n        [0., 0., 0.]], dtype=torch.float64)",
        ),
        (
            lambda: mt.ones(2, 3, dtype=mt.int32),
            "tensor([[1, 1, 1],\n        [1, 1, 1]], dtype=torch.int32)",
        ),
    ],
)
def test_empty_and_dtype_suffix(make, expected):
    assert repr(make()) == expected


def test_blank_lines_between_blocks():
    three = f32(np.arange(8.0).reshape(2, 2, 2))
    assert repr(three) == (
        "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])"
    )
    four = f32(np.arange(16.0).reshape(2, 2, 2, 2))
    assert repr(four) == (
        "tensor([[[[ 0.,  1.],\n          [ 2.,  3.]],\n\n         [[ 4.,  5.],\n"
        "          [ 6.,  7.]]],\n\n\n        [[[ 8.,  9.],\n          [10., 11.]],\n\n"
        "         [[12., 13.],\n          [14., 15.]]]])"
    )


def test_long_rows_wrap_at_linewidth():
    ints = mt.tensor(np.arange(30) * 1000)
    assert repr(ints) == (
        "tensor([    0,  1000,  2000,  3000,  4000,  5000,  6000,  7000,  8000,  9000,\n"
        "        10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000, 18000, 19000,\n"
        "        20000, 21000, 22000, 23000, 24000, 25000, 26000, 27000, 28000, 29000])"
    )
    floats = f32(np.linspace(0.0, 1.0, 25))
    assert repr(floats) == (
        "tensor([0.0000, 0.0417, 0.0833, 0.1250, 0.1667, 0.2083, 0.2500, 0.2917, 0.3333,\n"
        "        0.3750, 0.4167, 0.4583, 0.5000, 0.5417, 0.5833, 0.6250, 0.6667, 0.7083,\n"
        "        0.7500, 0.7917, 0.8333, 0.8750, 0.9167, 0.9583, 1.0000])"
    )


def test_summarized_above_threshold():
    assert repr(f32(np.arange(2000.0))) == (
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03])"
    )
    column = mt.tensor(np.arange(1100).reshape(1100, 1))
    assert repr(column) == (
        "tensor([[   0],\n        [   1],\n        [   2],\n        ...,\n"
        "        [1097],\n        [1098],\n        [1099]])"
    )


def test_grad_suffixes():
    leaf = mt.tensor([1.5, 2.5], requires_grad=True)
    assert repr(leaf) == "tensor([1.5000, 2.5000], requires_grad=True)"
    assert repr(leaf * 2) == "tensor([3., 5.], grad_fn=<MulBackward0>)"
    double = mt.tensor([1.5, 2.5], dtype=mt.float64, requires_grad=True)
    assert repr(double + 1) == (
        "tensor([2.5000, 3.5000], dtype=torch.float64, grad_fn=<AddBackward0>)"
    )
    assert repr(mt.tensor(2.5, requires_grad=True) * 2) == "tensor(5., grad_fn=<MulBackward0>)"
    assert repr(leaf.detach()) == "tensor([1.5000, 2.5000])"


def test_suffix_moves_to_next_line_when_too_long():
    row = f32(np.full(11, 1234.5678))
    row.requires_grad_(True)
    assert repr(row).splitlines()[-1] == "       requires_grad=True)"


def test_set_printoptions():
    values = mt.tensor([1.23456789, 2.0])
    set_printoptions(precision=2)
    assert repr(values) == "tensor([1.23, 2.00])"
    set_printoptions(sci_mode=True)  # precision stays, sci_mode is per call (as in torch)
    assert repr(values) == "tensor([1.23e+00, 2.00e+00])"
    set_printoptions(precision=4)
    assert get_printoptions()["sci_mode"] is None
    set_printoptions(threshold=3, edgeitems=1)
    assert repr(mt.tensor([1, 2, 3, 4])) == "tensor([1,  ..., 4])"
    set_printoptions(profile="default", linewidth=20)
    assert repr(mt.tensor([10, 20, 30, 40, 50])) == "tensor([10, 20, 30,\n        40, 50])"
    set_printoptions(profile="default")
    with printoptions(precision=1):
        assert repr(values) == "tensor([1.2, 2.0])"
    assert repr(values) == "tensor([1.2346, 2.0000])"
    assert mt.set_printoptions is set_printoptions


def test_sci_mode_false_forces_fixed():
    set_printoptions(sci_mode=False)
    assert repr(mt.tensor([1e-5, 1.0])) == "tensor([0.0000, 1.0000])"


def test_default_dtype_float64_changes_suffixes():
    mt.set_default_dtype(mt.float64)
    try:
        assert repr(mt.tensor([1.5])) == "tensor([1.5000])"
        assert repr(mt.tensor([1.5], dtype=mt.float32)) == "tensor([1.5000], dtype=torch.float32)"
    finally:
        mt.set_default_dtype(mt.float32)


def test_float16_prints_through_float32():
    assert repr(mt.tensor([0.1, 2.0], dtype=mt.float16)) == (
        "tensor([0.1000, 2.0000], dtype=torch.float16)"
    )
