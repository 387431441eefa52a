"""nn.init distributions and bookkeeping; nn.utils clipping and vector conversion."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn
from minitorch_ft.nn import init, utils


def test_init_writes_in_place_without_graph_and_bumps_version():
    p = nn.Parameter(mt.zeros(50, 40))
    array, version = p._data, p._version
    assert init.normal_(p, 0.0, 2.0) is p
    assert p._data is array and p._version == version + 1
    assert p.grad_fn is None and p.requires_grad


def test_init_draws_from_global_generator():
    a, b = mt.empty(5, 5), mt.empty(5, 5)
    mt.manual_seed(7)
    init.uniform_(a)
    mt.manual_seed(7)
    init.uniform_(b)
    np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize(
    "fn,expected_std",
    [
        (lambda t: init.xavier_uniform_(t), math.sqrt(2 / (200 + 300))),
        (lambda t: init.xavier_normal_(t, gain=2.0), 2 * math.sqrt(2 / (200 + 300))),
        (lambda t: init.kaiming_uniform_(t, nonlinearity="relu"), math.sqrt(2 / 300)),
        (lambda t: init.kaiming_normal_(t, mode="fan_out"), math.sqrt(2 / 200 / (1 + 1e-4))),
        (lambda t: init.normal_(t, 1.0, 0.5), 0.5),
    ],
)
def test_init_standard_deviations(fn, expected_std):
    t = fn(mt.empty(200, 300))
    assert abs(t.numpy().std() - expected_std) < 0.03 * expected_std


def test_uniform_bounds_and_constants():
    t = init.uniform_(mt.empty(1000), -0.3, 0.2).numpy()
    assert t.min() >= -0.3 and t.max() < 0.2 and abs(t.mean() + 0.05) < 0.02
    assert init.constant_(mt.empty(3), 2.5).tolist() == [2.5] * 3
    assert init.ones_(mt.empty(2)).tolist() == [1.0, 1.0]
    assert init.zeros_(mt.empty(2)).tolist() == [0.0, 0.0]
    assert init.eye_(mt.empty(2, 3)).tolist() == [[1, 0, 0], [0, 1, 0]]


def test_trunc_normal_stays_in_bounds():
    t = init.trunc_normal_(mt.empty(20000), mean=0.0, std=1.0, a=-1.0, b=2.0).numpy()
    assert t.min() >= -1.0 and t.max() <= 2.0
    # mean of N(0,1) truncated to [-1, 2]: (phi(-1) - phi(2)) / (Phi(2) - Phi(-1))
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    assert abs(t.mean() - (phi(-1) - phi(2)) / (cdf(2) - cdf(-1))) < 0.02
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        tail = init.trunc_normal_(mt.empty(1000), mean=0.0, std=1.0, a=4.0, b=4.5).numpy()
    assert tail.min() >= 4.0 and tail.max() <= 4.5


def test_orthogonal():
    q = init.orthogonal_(mt.empty(4, 6)).numpy()
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-5)


def test_gain_and_fan_errors():
    assert init.calculate_gain("relu") == math.sqrt(2)
    assert init.calculate_gain("tanh") == 5 / 3
    assert init.calculate_gain("leaky_relu", 0.2) == math.sqrt(2 / 1.04)
    assert init.calculate_gain("conv2d") == 1
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(mt.empty(3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(mt.empty(3, 3), mode="fan_avg")


def _params_with_grads(*grads):
    params = []
    for g in grads:
        p = nn.Parameter(mt.zeros(len(g)))
        p.grad = mt.tensor(g)
        params.append(p)
    return params


def test_clip_grad_norm_scales_in_place_and_returns_total():
    params = _params_with_grads([3.0, 0.0], [0.0, 4.0])
    grad = params[0].grad
    total = utils.clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    assert params[0].grad is grad
    np.testing.assert_allclose(grad.numpy(), [0.6, 0.0], rtol=1e-5)
    small = _params_with_grads([0.3, 0.4])
    assert utils.clip_grad_norm_(small, 10.0).item() == pytest.approx(0.5)
    np.testing.assert_allclose(small[0].grad.numpy(), [0.3, 0.4], rtol=1e-6)
    inf_norm = utils.clip_grad_norm_(_params_with_grads([1.0, -7.0]), 1.0, norm_type="inf")
    assert inf_norm.item() == 7.0


def test_clip_grad_norm_nonfinite():
    params = _params_with_grads([float("nan"), 1.0])
    with pytest.raises(RuntimeError, match="is non-finite, so it cannot be clipped"):
        utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    assert np.isnan(utils.clip_grad_norm_(params, 1.0).item())
    assert utils.clip_grad_norm_([], 1.0).item() == 0.0


def test_clip_grad_value():
    params = _params_with_grads([3.0, -0.5, -9.0])
    utils.clip_grad_value_(params, 1.0)
    assert params[0].grad.tolist() == [1.0, -0.5, -1.0]


def test_parameters_vector_roundtrip():
    model = nn.Linear(3, 2)
    vec = utils.parameters_to_vector(model.parameters())
    assert vec.shape == (8,)
    np.testing.assert_array_equal(vec.detach().numpy()[:6], model.weight.detach().numpy().ravel())
    utils.vector_to_parameters(mt.arange(8.0), model.parameters())
    assert model.bias.tolist() == [6.0, 7.0]
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        utils.vector_to_parameters([1.0], model.parameters())
