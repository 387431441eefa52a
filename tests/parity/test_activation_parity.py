"""Activations and softmax against torch.nn.functional: values, dtypes, names, gradients."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd.ops import activation as act
from tests.parity.helpers import compare, torch

F = torch.nn.functional

CALLS = {
    "relu": lambda A, x: A.relu(x),
    "relu6": lambda A, x: A.relu6(x * 4),
    "leaky_relu": lambda A, x: A.leaky_relu(x),
    "leaky_relu_slope": lambda A, x: A.leaky_relu(x, 0.2),
    "elu": lambda A, x: A.elu(x),
    "elu_alpha": lambda A, x: A.elu(x, alpha=0.5),
    "selu": lambda A, x: A.selu(x),
    "celu": lambda A, x: A.celu(x, alpha=0.7),
    "gelu": lambda A, x: A.gelu(x),
    "gelu_tanh": lambda A, x: A.gelu(x, approximate="tanh"),
    "silu": lambda A, x: A.silu(x),
    "mish": lambda A, x: A.mish(x),
    "softplus": lambda A, x: A.softplus(x),
    "softplus_beta": lambda A, x: A.softplus(x * 5, beta=2.0, threshold=4.0),
    "hardtanh": lambda A, x: A.hardtanh(x),
    "hardtanh_range": lambda A, x: A.hardtanh(x, -0.5, 2.0),
    "logsigmoid": lambda A, x: A.logsigmoid(x * 10),
    "hardsigmoid": lambda A, x: A.hardsigmoid(x * 2),
    "hardswish": lambda A, x: A.hardswish(x * 2),
    "threshold": lambda A, x: A.threshold(x, 0.1, -3.0),
    "hardshrink": lambda A, x: A.hardshrink(x),
    "softshrink": lambda A, x: A.softshrink(x, 0.3),
    "softsign": lambda A, x: A.softsign(x),
    "tanhshrink": lambda A, x: A.tanhshrink(x),
}


def arr(shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).uniform(-3, 3, size=shape).astype(dtype)


@pytest.mark.parametrize("shape", [(), (2, 5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_activation(name, dtype, shape):
    fn = CALLS[name]
    compare(lambda x: fn(act, x), lambda x: fn(F, x), arr(shape, 4, dtype))


@pytest.mark.parametrize(
    "name",
    [
        "relu",
        "leaky_relu",
        "elu",
        "hardtanh",
        "relu6",
        "hardswish",
        "hardsigmoid",
        "threshold",
        "softshrink",
    ],
)
def test_kinks(name):
    values = np.array([-3.0, -1.5, -1.0, -0.3, 0.0, 0.1, 0.3, 0.5, 1.0, 1.5, 3.0], dtype=np.float32)
    compare(lambda x: CALLS[name](act, x), lambda x: CALLS[name](F, x), values)


@pytest.mark.parametrize("name", ["relu", "relu6", "hardtanh"])
def test_integer_inputs(name):
    values = np.array([-3, -1, 0, 2, 7])
    compare(lambda x: CALLS[name](act, x), lambda x: CALLS[name](F, x), values)


def test_extreme_values():
    values = np.array([-200.0, -30.0, -5.0, 0.0, 5.0, 30.0, 200.0], dtype=np.float32)
    for name in ("softplus", "logsigmoid", "silu", "mish", "gelu", "elu", "selu"):
        compare(lambda x, n=name: CALLS[n](act, x), lambda x, n=name: CALLS[n](F, x), values)
    compare(lambda x: mt.sigmoid(x), lambda x: torch.sigmoid(x), values)


@pytest.mark.parametrize(
    "shape,dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1), ((2, 3, 4), 1), ((), 0)]
)
@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "softmin"])
def test_softmax_family(fn, shape, dim):
    x = arr(shape, 5) * 4
    mt_fn = getattr(act, fn)
    compare(lambda t: mt_fn(t, dim), lambda t: getattr(F, fn)(t, dim), x)


def test_softmax_dtype_argument_and_large_logits():
    x = (arr((3, 4), 6) * 300).astype(np.float32)
    compare(lambda t: mt.softmax(t, 1), lambda t: torch.softmax(t, 1), x)
    compare(lambda t: mt.log_softmax(t, 1), lambda t: torch.log_softmax(t, 1), x)
    compare(
        lambda t: mt.softmax(t, 1, dtype=mt.float64),
        lambda t: torch.softmax(t, 1, dtype=torch.float64),
        x,
    )
    compare(
        lambda t: t.log_softmax(0, dtype=mt.float64),
        lambda t: t.log_softmax(0, dtype=torch.float64),
        x,
    )


def test_top_level_names_exist_like_torch():
    for name in (
        "relu",
        "relu_",
        "selu",
        "celu",
        "threshold",
        "softmax",
        "log_softmax",
        "sigmoid",
        "tanh",
        "hardshrink",
    ):
        assert hasattr(torch, name) and hasattr(mt, name), name
    for name in ("gelu", "silu", "softplus", "leaky_relu", "elu", "mish", "hardtanh"):
        assert not hasattr(torch, name) and not hasattr(mt, name), name
