"""Parity sweep (inplace2): divide_/multiply_/subtract_/true_divide_, tril_/triu_,
cumsum_/cumprod_, fill_diagonal_, masked_scatter(_), index_put(_), the random fills and the
functional in-place activations against torch, with float64 gradchecks."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
import minitorch_ft.nn.functional as MF
from minitorch_ft.autograd import gradcheck
from tests.parity.helpers import torch

TF = torch.nn.functional
R = np.random.default_rng(0)
X = R.standard_normal((3, 4))
W = R.standard_normal((3, 4))
V = R.standard_normal(12)
MASK = np.array([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]], dtype=bool)


def _fn(lib):
    return MF if lib is mt else TF


def _run(lib, fn):
    """fn(lib, y, v) on y = x * 1 (a non-leaf); the values, grads and node after it."""
    x = lib.tensor(X, requires_grad=True)
    v = lib.tensor(V, requires_grad=True)
    y = x * 1
    out = fn(lib, y, v)
    assert out is y
    node = type(y.grad_fn).__name__
    (y * lib.tensor(W)).sum().backward()
    grad_v = None if v.grad is None else v.grad.numpy()
    return y.detach().numpy(), x.grad.numpy(), grad_v, node, y._version


DIFFERENTIABLE = {
    "divide_": lambda L, t, v: t.divide_(v[:4] + 3),
    "divide_floor": lambda L, t, v: t.divide_(v[:4] + 3, rounding_mode="floor"),
    "true_divide_": lambda L, t, v: t.true_divide_(v[:4] + 3),
    "multiply_": lambda L, t, v: t.multiply_(v[:4]),
    "subtract_": lambda L, t, v: t.subtract_(v[:4], alpha=2),
    "tril_": lambda L, t, v: t.tril_(),
    "triu_": lambda L, t, v: t.triu_(-1),
    "cumsum_": lambda L, t, v: t.cumsum_(1),
    "cumprod_": lambda L, t, v: t.cumprod_(-1),
    "fill_diagonal_": lambda L, t, v: t.fill_diagonal_(3.0),
    "masked_scatter_": lambda L, t, v: t.masked_scatter_(L.tensor(MASK), v),
    "masked_scatter_bcast": lambda L, t, v: t.masked_scatter_(L.tensor(MASK[0]), v),
    "index_put_": lambda L, t, v: t.index_put_((L.tensor([0, 1]),), v[:4]),
    "index_put_acc": lambda L, t, v: t.index_put_(
        (L.tensor([0, 0, 1]), L.tensor([1, 1, 2])), v[:3], accumulate=True
    ),
    "index_put_mask": lambda L, t, v: t.index_put_((L.tensor(MASK),), v[:1]),
    "F.relu_": lambda L, t, v: _fn(L).relu_(t),
    "torch.relu_": lambda L, t, v: L.relu_(t),
    "F.elu_": lambda L, t, v: _fn(L).elu_(t, 0.7),
    "F.leaky_relu_": lambda L, t, v: _fn(L).leaky_relu_(t, 0.2),
    "F.selu_": lambda L, t, v: _fn(L).selu_(t),
    "torch.selu_": lambda L, t, v: L.selu_(t),
    "F.hardtanh_": lambda L, t, v: _fn(L).hardtanh_(t, -0.5, 0.6),
    "F.threshold_": lambda L, t, v: _fn(L).threshold_(t, 0.1, 2.0),
    "torch.threshold_": lambda L, t, v: L.threshold_(t, 0.1, 2.0),
    "F.celu_": lambda L, t, v: _fn(L).celu_(t, 0.5),
    "torch.celu_": lambda L, t, v: L.celu_(t, 0.5),
    "F.rrelu_": lambda L, t, v: _fn(L).rrelu_(t, 0.1, 0.3),
    "torch.rrelu_": lambda L, t, v: L.rrelu_(t, 0.1, 0.3),
}


@pytest.mark.parametrize("name", list(DIFFERENTIABLE))
def test_inplace_values_grads_and_node_match_torch(name):
    ours, theirs = _run(mt, DIFFERENTIABLE[name]), _run(torch, DIFFERENTIABLE[name])
    assert ours[3:] == theirs[3:]  # grad_fn name (EluBackward1, CopySlices, ...) and version
    for a, b in zip(ours[:3], theirs[:3], strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, atol=1e-12)


RANDOM = {
    "random_": (lambda t: t.random_(), "RandomBackward2"),
    "random_to": (lambda t: t.random_(4), "RandomBackward1"),
    "random_from_to": (lambda t: t.random_(1, 4), "RandomBackward0"),
    "exponential_": (lambda t: t.exponential_(2.0), "ExponentialBackward0"),
    "log_normal_": (lambda t: t.log_normal_(), "LogNormalBackward0"),
    "geometric_": (lambda t: t.geometric_(0.3), "GeometricBackward0"),
    "cauchy_": (lambda t: t.cauchy_(), "CauchyBackward0"),
}


@pytest.mark.parametrize("name", list(RANDOM))
def test_random_fill_node_and_zero_grad(name):
    fill, node = RANDOM[name]
    for lib in (mt, torch):
        x = lib.tensor(X, requires_grad=True)
        y = x * 1
        assert fill(y) is y and type(y.grad_fn).__name__ == node and y._version == 1
        y.sum().backward()
        assert np.all(x.grad.numpy() == 0)


def test_random_fill_ranges():
    mt.manual_seed(0)
    assert set(mt.zeros(2000).random_(1, 4).tolist()) == {1.0, 2.0, 3.0}
    assert set(mt.zeros(500, dtype=mt.bool).random_().tolist()) == {False, True}
    assert mt.zeros(100, dtype=mt.int32).random_(5).dtype == mt.int32
    big = mt.zeros(4000, dtype=mt.float16).random_()
    assert big.max().item() <= 2048 and big.min().item() >= 0
    assert (mt.zeros(100).exponential_() > 0).all()
    assert (mt.zeros(100).log_normal_() > 0).all()
    g = mt.zeros(100, dtype=mt.int64).geometric_(0.5)
    assert g.dtype == mt.int64 and (g >= 1).all()
    assert mt.zeros(3, dtype=mt.float64).cauchy_().dtype == mt.float64
    assert (mt.zeros(3).exponential_(float("inf")) == 0).all()
    gen = mt.Generator().manual_seed(3)
    first = mt.zeros(5).exponential_(generator=gen)
    gen.manual_seed(3)
    assert mt.equal(first, mt.zeros(5).exponential_(generator=gen))


def _outcome(fn, lib):
    try:
        out = fn(lib)
    except Exception as err:  # noqa: BLE001 - comparing the error itself
        return type(err).__name__, str(err)
    grad_fn = type(out.grad_fn).__name__ if out.grad_fn is not None else None
    return str(out.dtype).split(".")[-1], tuple(out.shape), grad_fn, out._version


def _leaf(lib):
    return lib.ones(3, 4, requires_grad=True)


def _nonleaf(lib):
    return lib.ones(3, 4, dtype=lib.float64, requires_grad=True) * 1


OUTCOMES = {
    "divide_int": lambda L: L.arange(4).divide_(2),
    "divide_int_floor": lambda L: L.arange(6).divide_(4, rounding_mode="floor"),
    "true_divide_int": lambda L: L.arange(4).true_divide_(2),
    "multiply_int_float": lambda L: L.arange(4).multiply_(1.5),
    "subtract_bool": lambda L: L.ones(3, dtype=L.bool).subtract_(True),
    "divide_leaf": lambda L: _leaf(L).divide_(2),
    "tril_1d": lambda L: L.ones(3).tril_(),
    "triu_1d": lambda L: L.ones(3).triu_(),
    "tril_bool": lambda L: L.ones(3, 3, dtype=L.bool).tril_(),
    "tril_leaf": lambda L: _leaf(L).tril_(),
    "tril_view_of_leaf": lambda L: _leaf(L)[1:].tril_(),
    "cumsum_int32": lambda L: L.arange(5, dtype=L.int32).cumsum_(0),
    "cumsum_dtype": lambda L: L.arange(5.0).cumsum_(0, dtype=L.int64),
    "cumsum_dtype_int": lambda L: L.arange(5).cumsum_(0, dtype=L.int32),
    "cumsum_dtype_same": lambda L: L.arange(5.0).cumsum_(0, dtype=L.float32),
    "cumsum_bool": lambda L: L.ones(3, dtype=L.bool).cumsum_(0),
    "cumprod_bool": lambda L: L.ones(3, dtype=L.bool).cumprod_(0),
    "cumsum_bad_dim": lambda L: L.ones(3).cumsum_(2),
    "cumsum_0d": lambda L: L.tensor(2.0).cumsum_(-1),
    "fill_diagonal_1d": lambda L: L.ones(3).fill_diagonal_(5),
    "fill_diagonal_unequal": lambda L: L.ones(2, 3, 3).fill_diagonal_(5),
    "fill_diagonal_wrap_tall": lambda L: L.ones(7, 3).fill_diagonal_(5, wrap=True),
    "fill_diagonal_wrap_short": lambda L: L.ones(4, 3).fill_diagonal_(5, wrap=True),
    "fill_diagonal_leaf": lambda L: _leaf(L).fill_diagonal_(2),
    "fill_diagonal_nonleaf": lambda L: _nonleaf(L).fill_diagonal_(2),
    "masked_scatter": lambda L: _nonleaf(L).masked_scatter(L.tensor(MASK), L.ones(12).double()),
    "masked_scatter_bcast_self": lambda L: L.ones(4).masked_scatter(L.tensor(MASK), L.ones(12)),
    "masked_scatter__bcast_self": lambda L: L.ones(4).masked_scatter_(L.tensor(MASK), L.ones(12)),
    "masked_scatter_float_mask": lambda L: L.ones(3).masked_scatter_(L.ones(3), L.ones(3)),
    "masked_scatter_dtype": lambda L: L.ones(3).masked_scatter_(
        L.ones(3) > 0, L.ones(3, dtype=L.float64)
    ),
    "masked_scatter_short": lambda L: L.ones(3).masked_scatter_(L.ones(3) > 0, L.ones(2)),
    "masked_scatter_leaf": lambda L: _leaf(L).masked_scatter_(L.tensor(MASK), L.ones(12)),
    "index_put": lambda L: _nonleaf(L).index_put((L.tensor([0, 2]),), L.tensor(1.0).double()),
    "index_put_dtype": lambda L: L.zeros(3).index_put_((L.tensor([0]),), L.tensor(1.0).double()),
    "index_put_float_index": lambda L: L.zeros(3).index_put_((L.tensor([0.0]),), L.tensor(1.0)),
    "index_put_not_tuple": lambda L: L.zeros(3).index_put_(L.tensor([0]), L.tensor(1.0)),
    "index_put_scalar": lambda L: L.zeros(3).index_put_((L.tensor([0]),), 1.0),
    "index_put_out_of_bounds": lambda L: L.zeros(3).index_put_((L.tensor([5]),), L.tensor(1.0)),
    "index_put_too_many": lambda L: L.zeros(3).index_put_(
        (L.tensor([0]), L.tensor([0])), L.tensor(1.0)
    ),
    "index_put_none": lambda L: L.zeros(3, 2).index_put_((None, L.tensor([1])), L.tensor(1.0)),
    "index_put_shape": lambda L: L.zeros(3, 2).index_put_((L.tensor([1]),), L.tensor([1.0, 2, 3])),
    "torch.index_put": lambda L: L.index_put(L.zeros(3), (L.tensor([1]),), L.tensor(2.0), True),
    "index_put_leaf": lambda L: _leaf(L).index_put_((L.tensor([1]),), L.tensor(2.0)),
    "random_bad_range": lambda L: L.zeros(3).random_(5, 2),
    "random_zero_to": lambda L: L.zeros(3).random_(0),
    "random_float_arg": lambda L: L.zeros(3).random_(1.5),
    "random_uint8_from": lambda L: L.zeros(3, dtype=L.uint8).random_(-1, 3),
    "random_uint8_to": lambda L: L.zeros(3, dtype=L.uint8).random_(0, 300),
    "random_bool_to": lambda L: L.zeros(3, dtype=L.bool).random_(0, 3),
    "random_to_keyword": lambda L: L.zeros(3).random_(to=4),
    "random_leaf": lambda L: _leaf(L).random_(),
    "exponential_lambda": lambda L: L.zeros(3).exponential_(0),
    "exponential_int": lambda L: L.zeros(3, dtype=L.int32).exponential_(),
    "log_normal_std": lambda L: L.zeros(3).log_normal_(1, -1),
    "log_normal_int": lambda L: L.zeros(3, dtype=L.int64).log_normal_(),
    "geometric_p": lambda L: L.zeros(3).geometric_(1),
    "geometric_bool": lambda L: L.zeros(3, dtype=L.bool).geometric_(0.5),
    "geometric_int": lambda L: L.zeros(3, dtype=L.uint8).geometric_(0.5),
    "cauchy_sigma": lambda L: L.zeros(3).cauchy_(0, 0),
    "cauchy_long": lambda L: L.zeros(3, dtype=L.int64).cauchy_(),
    "cauchy_byte": lambda L: L.zeros(3, dtype=L.uint8).cauchy_(),
    "exponential_view_of_leaf": lambda L: _leaf(L)[0].exponential_(),
    "F.relu_int": lambda L: _fn(L).relu_(L.arange(-2, 2)),
    "F.elu_int": lambda L: _fn(L).elu_(L.arange(-2, 2)),
    "F.leaky_relu_int": lambda L: _fn(L).leaky_relu_(L.arange(-2, 2)),
    "F.selu_int": lambda L: _fn(L).selu_(L.arange(-2, 2)),
    "F.celu_int": lambda L: _fn(L).celu_(L.arange(-2, 2)),
    "F.rrelu_int": lambda L: _fn(L).rrelu_(L.arange(-2, 2)),
    "F.hardtanh_int": lambda L: _fn(L).hardtanh_(L.arange(-2, 2)),
    "F.threshold_int": lambda L: _fn(L).threshold_(L.arange(-2, 2), 0, 5),
    "F.celu_zero_alpha": lambda L: _fn(L).celu_(_nonleaf(L), 0.0),
    "F.hardtanh_inverted": lambda L: _fn(L).hardtanh_(_nonleaf(L), 1.0, -1.0),
    "F.rrelu_bounds": lambda L: _fn(L).rrelu_(_nonleaf(L), 0.5, 0.1),
    "F.elu_leaf": lambda L: _fn(L).elu_(_leaf(L)),
    "F.rrelu": lambda L: _fn(L).rrelu(_nonleaf(L)),
    "F.rrelu_inplace": lambda L: _fn(L).rrelu(_nonleaf(L), inplace=True),
    "F.rrelu_training": lambda L: _fn(L).rrelu(_nonleaf(L), training=True),
    "torch.rrelu": lambda L: L.rrelu(_nonleaf(L)),
}


@pytest.mark.parametrize("name", list(OUTCOMES))
def test_outcome_matches_torch(name):
    """dtype, shape, grad_fn name and version, or the error type and text."""
    assert _outcome(OUTCOMES[name], mt) == _outcome(OUTCOMES[name], torch)


def test_values_match_torch():
    for fn in (
        lambda L: L.ones(7, 3).fill_diagonal_(5, wrap=True),
        lambda L: L.zeros(3, 4).t().fill_diagonal_(2),
        lambda L: L.zeros(3, 3, 3).fill_diagonal_(L.tensor(2.0)),
        lambda L: L.zeros(3, 3, dtype=L.int64).fill_diagonal_(1.7),
        lambda L: L.zeros(3, 4).masked_scatter_(L.tensor(MASK), L.arange(20.0).reshape(4, 5)),
        lambda L: L.arange(3).masked_scatter(L.tensor([True, False, True]), L.arange(5)),
        lambda L: L.zeros(3).index_put_((L.tensor([True, False, True]),), L.tensor([1.0, 4])),
        lambda L: L.zeros(3, dtype=L.int64).index_put_(
            (L.tensor([1, 1]),), L.tensor(2), accumulate=True
        ),
        lambda L: L.arange(1, 6).cumprod_(0),
        lambda L: _fn(L).rrelu(L.tensor([-1.0, 2.0]), 0.1, 0.3),
    ):
        np.testing.assert_allclose(fn(mt).numpy(), fn(torch).numpy())


def _check(fn, *arrays):
    inputs = tuple(mt.tensor(a, requires_grad=True) for a in arrays)
    assert gradcheck(fn, inputs, eps=1e-6, atol=1e-6)


def test_gradcheck_inplace_ops():
    a, b = R.standard_normal((3, 4)), R.standard_normal(12)
    _check(lambda x: (x * 1).tril_(1), a)
    _check(lambda x: (x * 1).cumsum_(0), a)
    _check(lambda x: (x * 1).cumprod_(1), a)
    _check(lambda x: (x * 1).fill_diagonal_(2.0, wrap=True), R.standard_normal((7, 3)))
    _check(lambda x, s: (x * 1).masked_scatter_(mt.tensor(MASK[1]), s), a, b)
    _check(lambda x, s: x.masked_scatter(mt.tensor(MASK), s.reshape(3, 4)), a[0], b)
    idx = (mt.tensor([0, 0, 2]), mt.tensor([1, 1, -1]))
    _check(lambda x, s: x.index_put(idx, s, accumulate=True), a, b[:3])
    _check(lambda x, s: (x * 1).index_put_((mt.tensor([2, 0]),), s), a, b[:4])
    _check(lambda x, s: (x * 1).divide_(s.exp()), a, b[:4])


def test_gradcheck_inplace_activations():
    a = R.standard_normal((3, 4))
    _check(lambda x: MF.elu_(x * 1, 0.5), a)
    _check(lambda x: MF.celu_(x * 1, 0.7), a)
    _check(lambda x: MF.selu_(x * 1), a)
    _check(lambda x: MF.leaky_relu_(x * 1, 0.3), a)
    _check(lambda x: MF.rrelu_(x * 1, 0.1, 0.4), a)
    mt.manual_seed(0)
    noise_fixed = MF.rrelu(mt.tensor(a), 0.1, 0.4, training=True)
    slopes = (noise_fixed.numpy() / a)[a < 0]
    assert ((slopes >= 0.1) & (slopes <= 0.4)).all()


def test_inplace_fill_invalidates_saved_tensor():
    for lib in (mt, torch):
        x = lib.ones(3, dtype=lib.float64, requires_grad=True)
        y = x.exp()
        y.cumsum_(0)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
