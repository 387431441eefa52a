"""nn.functional against torch.nn.functional: values, dtypes, grads and grad_fn names."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
import minitorch_ft.nn.functional as F
from tests.parity.helpers import compare, torch

TF = torch.nn.functional
rng = np.random.default_rng(0)


def arr(*shape, dtype=np.float32, low=-2.0, high=2.0):
    return rng.uniform(low, high, size=shape).astype(dtype)


def pair(name, **kwargs):
    """The same functional call in both libraries."""
    return (lambda *a: getattr(F, name)(*a, **kwargs), lambda *a: getattr(TF, name)(*a, **kwargs))


@pytest.mark.parametrize("x_shape", [(4, 3), (2, 4, 3), (3,)])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear(x_shape, bias, dtype):
    arrays = [arr(*x_shape, dtype=dtype), arr(5, 3, dtype=dtype)]
    if bias:
        arrays.append(arr(5, dtype=dtype))
    compare(F.linear, TF.linear, *arrays)


def test_linear_grad_fn_when_only_bias_or_input_requires_grad():
    x, w, b = arr(4, 3), arr(5, 3), arr(5)
    out_mt = F.linear(mt.tensor(x), mt.tensor(w), mt.tensor(b, requires_grad=True))
    out_th = TF.linear(torch.tensor(x), torch.tensor(w), torch.tensor(b, requires_grad=True))
    assert out_mt.grad_fn.name() == out_th.grad_fn.name()


ACTIVATIONS = [
    ("relu", {}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("gelu", {}),
    ("gelu", {"approximate": "tanh"}),
    ("silu", {}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("softmax", {"dim": 1}),
    ("log_softmax", {"dim": 0}),
    ("softplus", {"beta": 2.0}),
    ("elu", {}),
    ("selu", {}),
    ("mish", {}),
    ("hardtanh", {}),
    ("logsigmoid", {}),
    ("softmin", {"dim": -1}),
]


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS)
def test_activations(name, kwargs):
    x = arr(3, 4)
    x[np.abs(x) < 0.05] = 0.3  # away from kinks
    compare(*pair(name, **kwargs), x)


def test_softmax_implicit_dim_warns_like_torch():
    x = arr(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = F.softmax(mt.tensor(x))
    with pytest.warns(UserWarning):
        expected = TF.softmax(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)


@pytest.mark.parametrize("shape,normalized", [((4, 5), (5,)), ((2, 3, 4), (3, 4))])
def test_layer_norm(shape, normalized):
    compare(
        lambda x, w, b: F.layer_norm(x, normalized, w, b, eps=1e-3),
        lambda x, w, b: TF.layer_norm(x, normalized, w, b, eps=1e-3),
        arr(*shape, dtype=np.float64),
        arr(*normalized, dtype=np.float64),
        arr(*normalized, dtype=np.float64),
    )
    compare(
        lambda x: F.layer_norm(x, normalized),
        lambda x: TF.layer_norm(x, normalized),
        arr(*shape),
        rtol=1e-4,
        atol=1e-5,
    )


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_and_running_stats(shape, training):
    stats = {}

    def run(lib, fn):
        def call(x, w, b):
            rm = lib.tensor(np.linspace(-1, 1, 3), dtype=x.dtype)
            rv = lib.tensor(np.linspace(0.5, 2, 3), dtype=x.dtype)
            out = fn(x, rm, rv, w, b, training=training, momentum=0.3, eps=1e-4)
            stats[lib.__name__] = (rm.numpy().copy(), rv.numpy().copy())
            return out

        return call

    compare(
        run(mt, F.batch_norm),
        run(torch, TF.batch_norm),
        arr(*shape, dtype=np.float64),
        arr(3, dtype=np.float64),
        arr(3, dtype=np.float64),
    )
    for a, b in zip(stats["minitorch_ft"], stats["torch"], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_group_norm_and_rms_norm():
    compare(
        lambda x, w, b: F.group_norm(x, 3, w, b),
        lambda x, w, b: TF.group_norm(x, 3, w, b),
        arr(2, 6, 3, dtype=np.float64),
        arr(6, dtype=np.float64),
        arr(6, dtype=np.float64),
    )
    compare(
        lambda x, w: F.rms_norm(x, (4,), w),
        lambda x, w: TF.rms_norm(x, (4,), w),
        arr(3, 4),
        arr(4),
        rtol=1e-4,
        atol=1e-5,
    )
    compare(
        lambda x: F.rms_norm(x, (3, 4), eps=1e-2),
        lambda x: TF.rms_norm(x, (3, 4), eps=1e-2),
        arr(2, 3, 4, dtype=np.float64),
    )


@pytest.mark.parametrize("padding_idx", [None, 1, -1])
def test_embedding(padding_idx):
    idx = np.array([[0, 1, 3], [3, 3, 2]])
    compare(
        lambda w, i: F.embedding(i, w, padding_idx=padding_idx),
        lambda w, i: TF.embedding(i, w, padding_idx=padding_idx),
        arr(4, 3),
        idx,
    )
    compare(
        lambda w, i: F.embedding(i, w, scale_grad_by_freq=True),
        lambda w, i: TF.embedding(i, w, scale_grad_by_freq=True),
        arr(4, 3),
        idx,
    )


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1)])
def test_normalize(p, dim):
    compare(*pair("normalize", p=p, dim=dim), arr(3, 4, dtype=np.float64))


def test_dropout_identity_cases_return_the_input():
    x = mt.ones(3, requires_grad=True)
    assert F.dropout(x, 0.0) is x and F.dropout(x, 0.5, training=False) is x
    out_mt = F.dropout(x, 1.0)
    out_th = TF.dropout(torch.ones(3, requires_grad=True), 1.0)
    assert out_mt.grad_fn.name() == out_th.grad_fn.name() == "MulBackward0"
    assert out_mt.tolist() == out_th.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("mse_loss", {}),
        ("l1_loss", {}),
        ("smooth_l1_loss", {"beta": 0.5}),
        ("smooth_l1_loss", {"beta": 0.0}),
        ("huber_loss", {"delta": 0.7}),
    ],
)
def test_regression_losses(name, kwargs, reduction):
    compare(*pair(name, reduction=reduction, **kwargs), arr(4, 3), arr(4, 3))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_mse_and_l1(reduction):
    for name in ("mse_loss", "l1_loss", "huber_loss"):
        compare(
            lambda x, t, w, n=name: getattr(F, n)(x, t, reduction=reduction, weight=w),
            lambda x, t, w, n=name: getattr(TF, n)(x, t, reduction=reduction, weight=w),
            arr(4, 3),
            arr(4, 3),
            arr(4, 3, low=0.1, high=1.0),
        )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy(reduction):
    x, t, w = arr(4, 3, low=0.05, high=0.95), arr(4, 3, low=0, high=1), arr(3, low=0.1)
    compare(*pair("binary_cross_entropy", reduction=reduction), x, t)
    compare(
        lambda a, b: F.binary_cross_entropy(a, b, mt.tensor(w), reduction=reduction),
        lambda a, b: TF.binary_cross_entropy(a, b, torch.tensor(w), reduction=reduction),
        x,
        t,
    )


def test_binary_cross_entropy_clamps_logs_like_torch():
    x, t = np.array([0.0, 1.0, 0.0], np.float32), np.array([1.0, 0.0, 0.0], np.float32)
    compare(*pair("binary_cross_entropy"), x, t, rtol=1e-4)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("logit_scale", [1.0, 1e4])
def test_bce_with_logits(reduction, logit_scale):
    x, t = arr(4, 3) * logit_scale, arr(4, 3, low=0, high=1)
    w, pw = arr(4, 1, low=0.1), arr(3, low=0.5)

    def run(lib, fn):
        return lambda a, b: fn(
            a, b, weight=lib.tensor(w), pos_weight=lib.tensor(pw), reduction=reduction
        )

    compare(
        run(mt, F.binary_cross_entropy_with_logits),
        run(torch, TF.binary_cross_entropy_with_logits),
        x,
        t,
        rtol=1e-5,
        atol=1e-5,
    )
    compare(
        *pair("binary_cross_entropy_with_logits", reduction=reduction), x, t, rtol=1e-5, atol=1e-5
    )


@pytest.mark.parametrize("pw_shape", [(4,), (1, 4), (3, 1, 4), (1,)])
def test_bce_with_logits_pos_weight_broadcasting(pw_shape):
    pw = arr(*pw_shape, low=0.2, high=3.0)
    compare(
        lambda a, b: F.binary_cross_entropy_with_logits(
            a, b, pos_weight=mt.tensor(pw), reduction="none"
        ),
        lambda a, b: TF.binary_cross_entropy_with_logits(
            a, b, pos_weight=torch.tensor(pw), reduction="none"
        ),
        arr(3, 2, 4) * 20,
        arr(3, 2, 4, low=0, high=1),
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "shape,target",
    [
        ((4, 3), np.array([0, 2, 1, 2])),
        ((3,), np.array(1)),
        ((2, 3, 2), np.array([[0, 1], [2, 2]])),
        ((2, 3, 2, 2), np.array([[[0, 1], [2, 2]]] * 2)),
    ],
)
def test_nll_loss(reduction, shape, target):
    compare(*pair("nll_loss", reduction=reduction), arr(*shape), target)


def test_nll_loss_weight_ignore_index_and_all_ignored():
    w = arr(3, low=0.1, high=2)
    compare(
        lambda x, t: F.nll_loss(x, t, weight=mt.tensor(w), ignore_index=2),
        lambda x, t: TF.nll_loss(x, t, weight=torch.tensor(w), ignore_index=2),
        arr(5, 3),
        np.array([0, 2, 1, 2, 1]),
    )
    out = F.nll_loss(mt.zeros(2, 3, requires_grad=True), mt.tensor([-100, -100]))
    assert np.isnan(out.item())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
def test_cross_entropy_class_indices(reduction, smoothing):
    w = arr(4, low=0.1, high=2)
    compare(
        lambda x, t: F.cross_entropy(
            x,
            t,
            weight=mt.tensor(w),
            ignore_index=3,
            reduction=reduction,
            label_smoothing=smoothing,
        ),
        lambda x, t: TF.cross_entropy(
            x,
            t,
            weight=torch.tensor(w),
            ignore_index=3,
            reduction=reduction,
            label_smoothing=smoothing,
        ),
        arr(5, 4),
        np.array([0, 3, 1, 2, 1]),
    )
    compare(
        *pair("cross_entropy", reduction=reduction, label_smoothing=smoothing),
        arr(2, 4, 3),
        np.array([[0, 1, 3], [2, 2, 1]]),
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
def test_cross_entropy_probabilities(reduction, smoothing):
    probs = np.exp(arr(5, 4))
    probs /= probs.sum(1, keepdims=True)
    compare(
        *pair("cross_entropy", reduction=reduction, label_smoothing=smoothing), arr(5, 4), probs
    )


def test_integer_targets_promote_like_torch():
    compare(
        lambda x, t: F.mse_loss(x, t),
        lambda x, t: TF.mse_loss(x, t),
        arr(2, 3),
        np.ones((2, 3), np.int64),
    )


@pytest.mark.parametrize(
    "mode,pad,shape",
    [
        ("constant", (1, 2), (2, 3)),
        ("constant", (1, -1, 2, 0), (2, 3, 4)),
        ("reflect", (2, 1), (2, 3, 4)),
        ("reflect", (1, 2, 2, 1), (1, 2, 3, 4)),
        ("replicate", (1, 2, 0, 2), (2, 3, 4)),
        ("circular", (2, 1), (2, 3, 4)),
    ],
)
def test_pad(mode, pad, shape):
    compare(*pair("pad", pad=pad, mode=mode), arr(*shape))
    if mode == "constant":
        compare(*pair("pad", pad=pad, value=2.5), arr(*shape))


@pytest.mark.parametrize("reduction", ["sum", "none", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = np.log(arr(3, 4, low=0.05, high=1.0))
    t = np.log(arr(3, 4, low=0.05, high=1.0)) if log_target else arr(3, 4, low=0.05, high=1.0)
    compare(*pair("kl_div", reduction=reduction, log_target=log_target), x, t)


def test_cosine_similarity_and_pairwise_distance():
    compare(*pair("cosine_similarity", dim=1), arr(3, 4), arr(1, 4))
    compare(
        *pair("cosine_similarity", dim=0, eps=1e-3),
        arr(3, 4, dtype=np.float64),
        np.full((3, 4), 1e-5),
    )  # the clamped-norm gradient, as torch computes it
    for p in (2.0, 1.0, 3.0, float("inf")):
        compare(*pair("pairwise_distance", p=p), arr(3, 4), arr(4))


def test_one_hot_matches():
    idx = np.array([[0, 3], [1, 1]])
    assert F.one_hot(mt.tensor(idx)).tolist() == TF.one_hot(torch.tensor(idx)).tolist()
    assert F.one_hot(mt.tensor(idx), 6).tolist() == TF.one_hot(torch.tensor(idx), 6).tolist()


ERRORS = [
    ("linear", lambda lib: (lib.zeros(4, 3), lib.zeros(5, 2))),
    ("linear", lambda lib: (lib.zeros(2, 4, 3), lib.zeros(5, 2))),
    ("linear", lambda lib: (lib.zeros(4, 3), lib.zeros(5, 3), lib.zeros(4))),
    ("linear", lambda lib: (lib.zeros(4, 3), lib.zeros(5, 3, dtype=lib.float64))),
    ("nll_loss", lambda lib: (lib.zeros(4, 3), lib.tensor([0, 1, 2, 5]))),
    ("nll_loss", lambda lib: (lib.zeros(4, 3), lib.tensor([0.0, 1, 2, 1]))),
    ("nll_loss", lambda lib: (lib.zeros(2, 3, 2), lib.zeros(2, 3, dtype=lib.int64))),
    ("cross_entropy", lambda lib: (lib.zeros(4, 3), lib.tensor([0, 1, 2]))),
    ("binary_cross_entropy", lambda lib: (lib.zeros(4, 3), lib.zeros(4))),
    ("binary_cross_entropy_with_logits", lambda lib: (lib.zeros(4, 3), lib.zeros(4))),
    (
        "binary_cross_entropy_with_logits",
        lambda lib: (lib.zeros(4, 3), lib.zeros(4, 3), None, None, None, "mean", lib.ones(2)),
    ),
    ("layer_norm", lambda lib: (lib.zeros(4, 3), (4,))),
    ("batch_norm", lambda lib: (lib.zeros(1, 3), None, None, None, None, True)),
    ("embedding", lambda lib: (lib.tensor([0, 5]), lib.zeros(4, 2))),
    ("one_hot", lambda lib: (lib.tensor([0, -1]),)),
    ("linear", lambda lib: (lib.ones(1, 2, dtype=lib.int64), lib.ones(2, 2), lib.ones(2))),
    ("linear", lambda lib: (lib.ones(1, 2), lib.ones(2, 2), lib.ones(2, dtype=lib.float64))),
    ("linear", lambda lib: (lib.ones(1, 2), lib.ones(2), lib.ones(1))),
    ("nll_loss", lambda lib: (lib.zeros(2, 3), lib.tensor([0, 1], dtype=lib.int32))),
    ("nll_loss", lambda lib: (lib.zeros(2, 3), lib.tensor([0, 1]), lib.ones(3, dtype=lib.float64))),
    ("binary_cross_entropy", lambda lib: (lib.ones(3, dtype=lib.float64) / 2, lib.ones(3))),
    ("binary_cross_entropy", lambda lib: (lib.tensor([float("nan")]), lib.ones(1))),
    ("binary_cross_entropy_with_logits", lambda lib: (lib.ones(3), lib.ones(3, dtype=lib.int64))),
    ("mse_loss", lambda lib: (lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64))),
    ("l1_loss", lambda lib: (lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64))),
    ("layer_norm", lambda lib: (lib.ones(2, 3, dtype=lib.int64), (3,))),
    ("layer_norm", lambda lib: (lib.ones(2, 3), (3,), lib.ones(3, dtype=lib.float64))),
    ("layer_norm", lambda lib: (lib.ones(2, 3), ())),
    (
        "batch_norm",
        lambda lib: (
            lib.ones(2, 3),
            lib.zeros(3, dtype=lib.float64),
            lib.ones(3, dtype=lib.float64),
            None,
            None,
            True,
        ),
    ),
    ("normalize", lambda lib: (lib.ones(2, 3, dtype=lib.int64),)),
    ("dropout", lambda lib: (lib.ones(3, dtype=lib.int64),)),
    ("group_norm", lambda lib: (lib.ones(2, 6, 3), 4)),
    ("group_norm", lambda lib: (lib.ones(2, 6, 3), 3, lib.ones(5))),
    ("rms_norm", lambda lib: (lib.ones(2, 6), (5,))),
]


@pytest.mark.parametrize("name,make", ERRORS)
def test_error_types_and_messages(name, make):
    with pytest.raises(Exception) as expected:
        getattr(TF, name)(*make(torch))
    with pytest.raises(type(expected.value)) as got:
        getattr(F, name)(*make(mt))
    assert str(got.value) == str(expected.value)
