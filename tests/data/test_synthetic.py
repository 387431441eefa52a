"""Toy tasks: deterministic by seed, disjoint splits, balanced enough to learn."""

import numpy as np
import pytest

from minitorch_ft.data import make_toy


def test_same_seed_same_arrays_and_splits_differ():
    a = make_toy("toy_target", 50, seed=3)
    b = make_toy("toy_target", 50, seed=3)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    val = make_toy("toy_target", 50, seed=3, split="val")
    assert not np.array_equal(a[0], val[0])
    assert not np.array_equal(a[0], make_toy("toy_target", 50, seed=4)[0])


def test_shapes_dtypes_and_classes():
    x, y = make_toy("toy_source", 4000)
    assert x.shape == (4000, 16) and x.dtype == np.float32 and y.dtype == np.int64
    counts = np.bincount(y, minlength=8)
    assert counts.min() > 300  # all 8 octants well represented
    xt, yt = make_toy("toy_target", 2000)
    assert set(np.unique(yt)) == {0, 1} and 0.4 < yt.mean() < 0.6
    assert abs(float(x.mean())) < 0.1 and 0.9 < float(x.std()) < 1.2  # standardised inputs


def test_target_is_not_linear_in_the_inputs():
    # least squares on raw inputs stays near chance: the task needs learned features
    x, y = make_toy("toy_target", 4000)
    xv, yv = make_toy("toy_target", 2000, split="val")
    w = np.linalg.lstsq(np.c_[x, np.ones(len(x))], y * 2.0 - 1, rcond=None)[0]
    acc = ((np.c_[xv, np.ones(len(xv))] @ w > 0) == yv).mean()
    assert acc < 0.65


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown toy task"):
        make_toy("toy", 3)
    with pytest.raises(ValueError, match="split"):
        make_toy("toy_source", 3, split="test")
