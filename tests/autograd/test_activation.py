"""Activations and softmax: gradients, stability, kink conventions, dtypes, inplace=, errors."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd.ops import activation as act
from tests.helpers import assert_not_mutated, check_grad, leaf

SHAPES = [(), (4,), (2, 3)]

# name -> (function, kinks to keep inputs away from)
ACTIVATIONS = {
    "relu": (act.relu, (0,)),
    "relu6": (act.relu6, (0,)),
    "leaky_relu": (lambda x: act.leaky_relu(x, 0.2), (0,)),
    "elu": (lambda x: act.elu(x, alpha=1.3), (0,)),
    "selu": (act.selu, (0,)),
    "celu": (lambda x: act.celu(x, alpha=0.7), (0,)),
    "gelu": (act.gelu, ()),
    "gelu_tanh": (lambda x: act.gelu(x, approximate="tanh"), ()),
    "silu": (act.silu, ()),
    "mish": (act.mish, ()),
    "softplus": (act.softplus, ()),
    "softplus_beta": (lambda x: act.softplus(x * 3, beta=2.0, threshold=5.0), (5 / 6,)),
    "hardtanh": (lambda x: act.hardtanh(x, -0.5, 1.5), (-0.5, 1.5)),
    "logsigmoid": (act.logsigmoid, ()),
    "hardsigmoid": (lambda x: act.hardsigmoid(x * 2), (-1.5, 1.5)),
    "hardswish": (lambda x: act.hardswish(x * 2), (-1.5, 1.5)),
    "threshold": (lambda x: act.threshold(x, 0.3, -2.0), (0.3,)),
    "hardshrink": (act.hardshrink, (-0.5, 0.5)),
    "softshrink": (act.softshrink, (-0.5, 0.5)),
    "softsign": (act.softsign, ()),
    "tanhshrink": (act.tanhshrink, ()),
}

GRAD_FN = {
    "relu": "ReluBackward0",
    "relu6": "HardtanhBackward0",
    "leaky_relu": "LeakyReluBackward0",
    "elu": "EluBackward0",
    "selu": "EluBackward0",
    "celu": "CeluBackward0",
    "gelu": "GeluBackward0",
    "silu": "SiluBackward0",
    "mish": "MishBackward0",
    "softplus": "SoftplusBackward0",
    "logsigmoid": "LogSigmoidBackward0",
    "softsign": "DivBackward0",
    "tanhshrink": "SubBackward0",
    "hardshrink": "HardshrinkBackward0",
    "softshrink": "SoftshrinkBackward0",
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradients(name, shape):
    fn, kinks = ACTIVATIONS[name]
    x = leaf(shape, seed=len(name), low=-3, high=3, away_from=kinks)
    check_grad(fn, x)
    assert_not_mutated(fn, x)


@pytest.mark.parametrize("name", sorted(GRAD_FN))
def test_grad_fn_names(name):
    x = mt.tensor([0.5, -1.5], requires_grad=True)
    assert ACTIVATIONS[name][0](x).grad_fn.name() == GRAD_FN[name]


def test_values_against_formulas():
    xs = np.linspace(-4, 4, 17)
    x = mt.tensor(xs, dtype=mt.float64)
    erf = np.vectorize(math.erf)
    np.testing.assert_allclose(
        act.gelu(x).numpy(), 0.5 * xs * (1 + erf(xs / math.sqrt(2))), rtol=1e-14, atol=1e-15
    )
    tanh_form = 0.5 * xs * (1 + np.tanh(math.sqrt(2 / math.pi) * (xs + 0.044715 * xs**3)))
    np.testing.assert_allclose(act.gelu(x, approximate="tanh").numpy(), tanh_form, rtol=1e-14)
    np.testing.assert_allclose(act.silu(x).numpy(), xs / (1 + np.exp(-xs)), rtol=1e-14)
    np.testing.assert_allclose(act.softplus(x).numpy(), np.log1p(np.exp(xs)), rtol=1e-14)
    np.testing.assert_allclose(act.elu(x).numpy(), np.where(xs > 0, xs, np.expm1(xs)))
    np.testing.assert_allclose(act.relu6(x * 2).numpy(), np.clip(xs * 2, 0, 6))


def test_kink_gradients_follow_torch():
    x = mt.tensor([-3.0, -1.0, 0.0, 1.0, 3.0], requires_grad=True)
    expected = {
        act.relu: [0, 0, 0, 1, 1],
        act.leaky_relu: [0.01, 0.01, 0.01, 1, 1],
        act.elu: [math.exp(-3), math.exp(-1), 1, 1, 1],
        act.hardtanh: [0, 0, 1, 0, 0],
        act.hardswish: [0, 1 / 6, 0.5, 5 / 6, 1],
        act.hardsigmoid: [0, 1 / 6, 1 / 6, 1 / 6, 0],
    }
    for fn, want in expected.items():
        x.grad = None
        fn(x).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-6, err_msg=fn.__name__)


def test_stable_for_extreme_inputs():
    x = mt.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], requires_grad=True)
    for fn in (act.softplus, act.logsigmoid, act.silu, act.mish, act.gelu, act.elu):
        out = fn(x)
        out.sum().backward()
        assert np.isfinite(out.detach().numpy()).all(), fn.__name__
        assert np.isfinite(x.grad.numpy()).all(), fn.__name__
        x.grad = None
    assert act.logsigmoid(mt.tensor([-1000.0])).item() == -1000.0
    assert act.softplus(mt.tensor([1000.0])).item() == 1000.0


def test_integer_and_bool_inputs():
    i = mt.tensor([1, -2, 3])
    assert act.relu(i).tolist() == [1, 0, 3] and act.relu(i).dtype == mt.int64
    assert act.hardtanh(i).tolist() == [1, -1, 1] and act.hardtanh(i).dtype == mt.int64
    assert act.relu6(i).tolist() == [1, 0, 3]
    with pytest.raises(RuntimeError, match="Boolean inputs not supported for relu"):
        act.relu(mt.tensor([True]))
    with pytest.raises(NotImplementedError, match="\"silu_cpu\" not implemented for 'Long'"):
        act.silu(i)
    with pytest.raises(NotImplementedError, match="GeluKernelImpl"):
        act.gelu(i)


def test_float64_and_float16_keep_dtype():
    for dtype in (mt.float64, mt.float16):
        x = mt.tensor([0.5, -0.5], dtype=dtype)
        for fn in (act.relu, act.gelu, act.silu, act.softplus, act.elu, act.logsigmoid):
            assert fn(x).dtype == dtype, fn.__name__


def test_argument_errors():
    x = mt.ones(2)
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh."):
        act.gelu(x, approximate="fast")
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        act.hardtanh(x, 1.0, -1.0)


# ----- inplace= -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fn",
    [
        act.relu,
        act.relu6,
        act.leaky_relu,
        act.elu,
        act.silu,
        act.hardtanh,
        act.hardswish,
        act.hardsigmoid,
        act.mish,
        act.selu,
        act.celu,
    ],
)
def test_inplace_variants_write_into_the_input(fn):
    data = np.array([-1.5, 0.5, 2.0], dtype=np.float32)
    expected = fn(mt.tensor(data)).numpy()
    x = mt.tensor(data)
    out = fn(x, inplace=True)
    assert out is x and x._version == 1
    np.testing.assert_array_equal(x.numpy(), expected)


def test_inplace_relu_records_on_non_leaf_and_refuses_leaf():
    w = mt.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used"):
        act.relu(w, inplace=True)
    y = w * 3
    z = act.relu_(y)
    assert z is y and y.grad_fn.name() == "ReluBackward0"
    y.sum().backward()
    assert w.grad.tolist() == [0.0, 3.0]


def test_relu_output_modified_in_place_is_detected():
    w = mt.tensor([-1.0, 2.0], requires_grad=True)
    y = act.relu(w)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# ----- softmax ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape,dim", [((4,), 0), ((2, 3), 1), ((2, 3), 0), ((2, 3), -1), ((2, 2, 3), 1), ((), 0)]
)
def test_softmax_gradients(shape, dim):
    x = leaf(shape, seed=3, low=-3, high=3)
    check_grad(lambda t: mt.softmax(t, dim), x)
    check_grad(lambda t: mt.log_softmax(t, dim), x)
    check_grad(lambda t: act.softmin(t, dim), x)
    assert_not_mutated(lambda t: mt.softmax(t, dim), x)


def test_softmax_values_and_stability():
    x = mt.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    s = mt.softmax(x, 1).numpy()
    ls = mt.log_softmax(x, 1).numpy()
    ref = np.exp([0.0, 1.0, 2.0]) / np.exp([0.0, 1.0, 2.0]).sum()
    np.testing.assert_allclose(s[0], ref, rtol=1e-6)
    np.testing.assert_allclose(ls[0], np.log(ref), rtol=1e-6)
    assert np.isfinite(ls).all() and ls[1, 0] == -2000.0
    np.testing.assert_allclose(s.sum(1), [1.0, 1.0], rtol=1e-6)


def test_softmax_names_dtypes_and_dims():
    x = mt.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
    assert x.softmax(1).grad_fn.name() == "SoftmaxBackward0"
    assert x.log_softmax(-1).grad_fn.name() == "LogSoftmaxBackward0"
    out = mt.softmax(x, 1, dtype=mt.float64)
    assert out.dtype == mt.float64 and out.grad_fn.name() == "SoftmaxBackward0"
    assert mt.softmax(mt.tensor([1, 2]), 0, dtype=mt.float32).dtype == mt.float32
    assert mt.softmax(mt.tensor(3.0), 0).item() == 1.0
    assert mt.softmax(mt.zeros(0, 3), 0).shape == (0, 3)
    with pytest.raises(
        IndexError,
        match=re.escape("Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    ):
        mt.softmax(x, 2)
    with pytest.raises(NotImplementedError, match="softmax_lastdim_kernel_impl"):
        mt.softmax(mt.tensor([1, 2]), 0)


def test_softmax_implicit_dim_warns_like_nn_functional():
    x = mt.ones(2, 3)
    with pytest.raises(TypeError, match="missing 1 required positional arguments"):
        mt.softmax(x)  # only nn.functional guesses a dim; torch.softmax requires it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = mt.nn.functional.softmax(x)
    assert "Implicit dimension choice for softmax has been deprecated" in str(caught[0].message)
    np.testing.assert_allclose(out.numpy(), np.full((2, 3), 1 / 3), rtol=1e-6)  # dim 1 for 2-D
