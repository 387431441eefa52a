"""repr of hundreds of seeded random tensors, character for character against torch's."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd.printing import set_printoptions

from .helpers import torch

_KINDS = ["float32", "float64", "int64", "int32", "bool", "float16", "uint8"]
_KIND_P = [0.4, 0.2, 0.15, 0.05, 0.1, 0.05, 0.05]


def _shape(rng) -> tuple:
    roll = rng.random()
    if roll < 0.04:
        return (int(rng.integers(1000, 1400)),)  # summarized 1-D
    if roll < 0.08:
        return (int(rng.integers(30, 45)), int(rng.integers(30, 45)))  # summarized 2-D
    ndim = int(rng.integers(0, 5))
    high = 5 if ndim > 2 else 13
    return tuple(int(rng.integers(0, high)) for _ in range(ndim))


def _values(rng, shape) -> np.ndarray:
    """Normal values of magnitude 1e-7..1e10, sometimes integral, positive or with nan/inf/0."""
    values = np.asarray(rng.standard_normal(shape) * 10.0 ** rng.uniform(-7, 10))
    mode = rng.integers(0, 6)
    if mode == 0:
        values = np.round(values)
    elif mode == 1:
        values = np.round(rng.standard_normal(shape) * 10)
    elif mode == 2 and values.size:
        flat = values.reshape(-1)
        idx = rng.integers(0, flat.size, size=max(1, flat.size // 4))
        flat[idx] = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0], size=idx.size)
    elif mode == 3:
        values = np.abs(values)
    return np.asarray(values)


def random_array(rng) -> np.ndarray:
    return np.asarray(_random_values(rng))


def _random_values(rng):
    shape = _shape(rng)
    kind = rng.choice(_KINDS, p=_KIND_P)
    values = _values(rng, shape)
    if kind in ("float32", "float64"):
        return values.astype(kind)
    if kind == "float16":
        return np.clip(values, -6e4, 6e4).astype(np.float16)
    if kind == "bool":
        return values > 0
    ints = np.clip(np.nan_to_num(values, nan=0, posinf=5, neginf=-5), -1e15, 1e15)
    if kind == "int32":
        ints = np.clip(ints, -(2**31), 2**31 - 1)
    if kind == "uint8":
        ints = np.abs(ints) % 256
    return ints.astype(kind)


def _pair(rng, array):
    """The same tensor in both libraries; float ones sometimes require grad or are non-leaves."""
    mine = mt.from_numpy(array.copy())
    theirs = torch.from_numpy(array.copy())
    if array.dtype.kind == "f" and rng.random() < 0.3:
        mine.requires_grad_(True)
        theirs.requires_grad_(True)
        if rng.random() < 0.5:
            mine, theirs = mine * 1, theirs * 1
    return mine, theirs


@pytest.fixture(autouse=True)
def _reset_options():
    yield
    set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    mt.set_default_dtype(mt.float32)
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("seed", range(4))
def test_default_options(seed):
    rng = np.random.default_rng(seed)
    for _ in range(150):
        mine, theirs = _pair(rng, random_array(rng))
        assert repr(mine) == repr(theirs)


def _random_options(rng) -> dict:
    options = {}
    if rng.random() < 0.5:
        options["precision"] = int(rng.integers(0, 8))
    if rng.random() < 0.3:
        options["threshold"] = int(rng.integers(0, 100))
    if rng.random() < 0.3:
        options["edgeitems"] = int(rng.integers(0, 5))
    if rng.random() < 0.3:
        options["linewidth"] = int(rng.integers(10, 150))
    if rng.random() < 0.3:
        options["sci_mode"] = bool(rng.random() < 0.5)
    if rng.random() < 0.1:
        options["profile"] = str(rng.choice(["short", "full", "default"]))
    return options


@pytest.mark.parametrize("seed", range(2))
def test_random_print_options(seed):
    rng = np.random.default_rng(100 + seed)
    for _ in range(150):
        options = _random_options(rng)
        for setter in (set_printoptions, torch.set_printoptions):
            setter(profile="default")
            setter(**options)
        array = random_array(rng)
        mine, theirs = _pair(rng, array)
        assert repr(mine) == repr(theirs), options


def test_default_dtype_float64():
    rng = np.random.default_rng(7)
    mt.set_default_dtype(mt.float64)
    torch.set_default_dtype(torch.float64)
    for _ in range(60):
        mine, theirs = _pair(rng, random_array(rng))
        assert repr(mine) == repr(theirs)
    assert repr(mt.tensor([1.5])) == repr(torch.tensor([1.5]))
    assert repr(mt.zeros(0, dtype=mt.float32)) == repr(torch.zeros(0, dtype=torch.float32))


@pytest.mark.parametrize(
    "values",
    [
        0.6819,
        float("nan"),
        -float("inf"),
        -0.0,
        5,
        True,
        [],
        [[]],
        [1e-300, 1e300],
        [0.1, 1e8],
        [123456789.0],
        [[1.5, 2e3], [3.0, -4.0]],
        [True, False] * 40,
    ],
)
def test_special_values(values):
    assert repr(mt.tensor(values)) == repr(torch.tensor(values))
    if isinstance(values, float) or (
        isinstance(values, list) and values and isinstance(values[0], float)
    ):
        mine = mt.tensor(values, requires_grad=True)
        theirs = torch.tensor(values, requires_grad=True)
        assert repr(mine) == repr(theirs)
        assert repr(mine * 2) == repr(theirs * 2)
