"""Shared test helpers: float64 gradcheck over random inputs, and input builders."""

from __future__ import annotations

import numpy as np

import minitorch_ft as mt
from minitorch_ft.autograd import gradcheck


def leaf(shape, seed: int = 0, low: float = -2.0, high: float = 2.0, away_from=None):
    """A float64 leaf requiring grad, optionally kept 0.05 away from kinks (`away_from`)."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(low, high, size=shape)
    for kink in away_from or ():
        close = np.abs(values - kink) < 0.05
        values[close] = kink + 0.1
    return mt.tensor(values, dtype=mt.float64, requires_grad=True)


def check_grad(fn, *inputs) -> None:
    """Assert reverse-mode gradients of `fn(*inputs)` match central differences (float64)."""
    assert gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


def assert_not_mutated(fn, *inputs) -> None:
    """Assert `fn` leaves its input arrays untouched."""
    before = [t.detach().numpy().copy() for t in inputs]
    fn(*inputs)
    for b, t in zip(before, inputs, strict=True):
        np.testing.assert_array_equal(b, t.detach().numpy())
