"""Central-difference gradchecks (float64) for every nn.functional op and loss."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch_ft as mt
import minitorch_ft.nn.functional as F
from tests.helpers import assert_not_mutated, check_grad, leaf


@pytest.mark.parametrize("x_shape", [(4, 3), (2, 2, 3), (3,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(x_shape, bias):
    x, w = leaf(x_shape, 0), leaf((2, 3), 1)
    args = (x, w, leaf((2,), 2)) if bias else (x, w)
    check_grad(F.linear, *args)
    assert_not_mutated(F.linear, *args)


def test_linear_broadcast_bias():
    check_grad(F.linear, leaf((4, 3), 0), leaf((2, 3), 1), leaf((1,), 2))


def test_linear_frozen_weight_skips_its_gradient():
    x, w = leaf((4, 3), 0), leaf((2, 3), 1).detach()
    out = F.linear(x, w)
    assert out.grad_fn._saved[0] is None  # the input is not even kept for backward
    out.sum().backward()
    assert w.grad is None and x.grad is not None
    data = leaf((4, 3), 0).detach()
    out = F.linear(data, leaf((2, 3), 1))
    assert out.grad_fn._saved[1] is None  # no input gradient: the weight is not kept


@pytest.mark.parametrize("shape,normalized", [((3, 4), (4,)), ((2, 2, 3), (2, 3))])
def test_layer_norm(shape, normalized):
    x = leaf(shape, 0)
    check_grad(
        lambda a, w, b: F.layer_norm(a, normalized, w, b),
        x,
        leaf(normalized, 1),
        leaf(normalized, 2),
    )
    check_grad(lambda a: F.layer_norm(a, normalized), x)


@pytest.mark.parametrize("shape", [(4, 3), (3, 2, 2)])
def test_batch_norm_training(shape):
    def fn(x, w, b):
        rm, rv = mt.zeros(shape[1], dtype=mt.float64), mt.ones(shape[1], dtype=mt.float64)
        return F.batch_norm(x, rm, rv, w, b, training=True)

    check_grad(fn, leaf(shape, 0), leaf((shape[1],), 1), leaf((shape[1],), 2))


def test_batch_norm_eval_uses_running_stats():
    rm = mt.tensor([0.5, -1.0], dtype=mt.float64)
    rv = mt.tensor([2.0, 0.5], dtype=mt.float64)
    check_grad(
        lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False),
        leaf((3, 2), 0),
        leaf((2,), 1),
        leaf((2,), 2),
    )


def test_batch_norm_updates_running_stats_unbiased():
    x = mt.tensor([[1.0, 2.0], [3.0, 6.0]])
    rm, rv = mt.zeros(2), mt.ones(2)
    version = rm._version
    F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    np.testing.assert_allclose(rm.numpy(), [1.0, 2.0])
    np.testing.assert_allclose(rv.numpy(), [0.5 + 0.5 * 2.0, 0.5 + 0.5 * 8.0])
    assert rm._version > version


def test_embedding_with_padding_and_frequency_scaling():
    idx = mt.tensor([[0, 2, 2], [1, 0, 3]])
    check_grad(lambda w: F.embedding(idx, w), leaf((4, 3), 0))
    w = leaf((4, 3), 1)
    F.embedding(idx, w, padding_idx=2, scale_grad_by_freq=True).sum().backward()
    grad = w.grad.numpy()
    assert not grad[2].any()
    np.testing.assert_allclose(grad[0], 1.0)  # two lookups, scaled by 1/2 each


def test_embedding_max_norm_renormalises_rows_in_place():
    w = mt.tensor([[3.0, 4.0], [0.3, 0.4]])
    F.embedding(mt.tensor([0, 1]), w, max_norm=1.0)
    np.testing.assert_allclose(np.linalg.norm(w.numpy(), axis=1), [1.0, 0.5], rtol=1e-5)


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0])
def test_normalize(p):
    check_grad(lambda x: F.normalize(x, p=p, dim=1), leaf((3, 4), 0, away_from=[0.0]))
    check_grad(lambda x: F.normalize(x, p=p, dim=0), leaf((4,), 1, away_from=[0.0]))


def test_normalize_below_eps_divides_by_eps():
    x = mt.zeros(2, 3, dtype=mt.float64, requires_grad=True)
    F.normalize(x, eps=0.5).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2.0)


def test_dropout_gradient_uses_the_same_mask():
    def fn(x):
        mt.manual_seed(3)
        return F.dropout(x, 0.4)

    check_grad(fn, leaf((5, 4), 0))
    out = fn(mt.ones(1000, dtype=mt.float64))
    kept = out.numpy() != 0
    np.testing.assert_allclose(out.numpy()[kept], 1 / 0.6)
    assert 0.5 < kept.mean() < 0.7


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses(reduction):
    x, t = leaf((3, 4), 0), leaf((3, 4), 1)
    check_grad(lambda a, b: F.mse_loss(a, b, reduction=reduction), x, t)
    check_grad(lambda a, b: F.l1_loss(a, b, reduction=reduction), x, t)
    check_grad(lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=0.7), x, t)
    check_grad(lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=0.6), x, t)
    w = leaf((3, 4), 2, low=0.1)
    check_grad(lambda a, b, c: F.mse_loss(a, b, reduction=reduction, weight=c), x, t, w)


def test_mse_broadcast_target_warns():
    with pytest.warns(UserWarning, match="different to the input size"):
        check_grad(F.mse_loss, leaf((3, 1), 0), leaf((3,), 1))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy(reduction):
    x = leaf((3, 4), 0, low=0.05, high=0.95)
    t = leaf((3, 4), 1, low=0.0, high=1.0)
    check_grad(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction), x, t)
    w = leaf((4,), 2, low=0.1).detach()
    check_grad(lambda a, b: F.binary_cross_entropy(a, b, weight=w, reduction=reduction), x, t)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_weights_and_target_grad(reduction):
    x, t = leaf((3, 4), 0, low=-4, high=4), leaf((3, 4), 1, low=0.0, high=1.0)
    w = leaf((3, 1), 2, low=0.1).detach()
    pw = leaf((4,), 3, low=0.5).detach()
    check_grad(
        lambda a, b: F.binary_cross_entropy_with_logits(
            a, b, weight=w, pos_weight=pw, reduction=reduction
        ),
        x,
        t,
    )
    check_grad(lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction), x, t)


def test_bce_with_logits_is_stable_for_huge_logits():
    x = mt.tensor([1e4, -1e4, 1e4, -1e4], requires_grad=True)
    t = mt.tensor([1.0, 0.0, 0.0, 1.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(
        x, t, pos_weight=mt.tensor([2.0, 2.0, 2.0, 2.0]), reduction="none"
    )
    np.testing.assert_allclose(loss.detach().numpy(), [0.0, 0.0, 1e4, 2e4])
    loss.sum().backward()
    assert np.isfinite(x.grad.numpy()).all() and np.isfinite(t.grad.numpy()).all()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0, 1.0, -2.0])


def test_bce_with_logits_rejects_weight_requiring_grad_and_bad_shapes():
    x, t = mt.zeros(4, 3), mt.zeros(4, 3)
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
        F.binary_cross_entropy_with_logits(x, t, weight=mt.ones(3, requires_grad=True))
    with pytest.raises(
        ValueError,
        match=r"Target size \(torch.Size\(\[4\]\)\) must be the same "
        r"as input size \(torch.Size\(\[4, 3\]\)\)",
    ):
        F.binary_cross_entropy_with_logits(x, mt.zeros(4))
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        F.binary_cross_entropy_with_logits(x, t, pos_weight=mt.ones(2, 4, 3))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_weight_and_ignore_index(reduction):
    target = mt.tensor([0, 2, 1, 2])
    weight = mt.tensor([0.2, 1.0, 3.0], dtype=mt.float64)
    check_grad(
        lambda x: F.nll_loss(x, target, weight=weight, ignore_index=1, reduction=reduction),
        leaf((4, 3), 0),
    )
    target3 = mt.tensor([[0, 1], [2, 2]])
    check_grad(lambda x: F.nll_loss(x, target3, reduction=reduction), leaf((2, 3, 2), 1))
    check_grad(lambda x: F.nll_loss(x, mt.tensor(1), reduction=reduction), leaf((3,), 2))


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy(smoothing, reduction):
    target = mt.tensor([0, 2, 1, 2])
    weight = mt.tensor([0.2, 1.0, 3.0], dtype=mt.float64)
    check_grad(
        lambda x: F.cross_entropy(
            x, target, weight=weight, ignore_index=1, reduction=reduction, label_smoothing=smoothing
        ),
        leaf((4, 3), 0),
    )
    probs = mt.softmax(leaf((4, 3), 1), dim=1).detach().requires_grad_()
    check_grad(
        lambda x, p: F.cross_entropy(x, p, reduction=reduction, label_smoothing=smoothing),
        leaf((4, 3), 2),
        probs,
    )
    check_grad(
        lambda x: F.cross_entropy(
            x, mt.tensor([[0, 1], [2, 2]]), reduction=reduction, label_smoothing=smoothing
        ),
        leaf((2, 3, 2), 3),
    )


def test_loss_errors():
    x = mt.zeros(4, 3)
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        F.mse_loss(x, x, reduction="avg")
    with pytest.raises(IndexError, match="Target 5 is out of bounds."):
        F.nll_loss(x, mt.tensor([0, 1, 2, 5]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(4\) to match target "):
        F.cross_entropy(x, mt.tensor([0, 1, 2]))
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(x + 2, x)
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0"):
        F.cross_entropy(x, mt.tensor([0, 1, 2, 0]), label_smoothing=1.5)
    with pytest.raises(RuntimeError, match="smooth_l1_loss does not support negative values"):
        F.smooth_l1_loss(x, x, beta=-1.0)


def test_one_hot():
    out = F.one_hot(mt.tensor([0, 2, 1]))
    assert out.dtype == mt.int64 and out.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert F.one_hot(mt.tensor(2), 4).tolist() == [0, 0, 1, 0]
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(mt.tensor([0, 3]), 2)
    with pytest.raises(RuntimeError, match="only applicable to index tensor of type LongTensor"):
        F.one_hot(mt.tensor([0.0]))


@pytest.mark.parametrize(
    "mode,pad",
    [
        ("constant", (1, 2)),
        ("constant", (1, -1, 0, 2)),
        ("reflect", (2, 1)),
        ("replicate", (1, 2, 2, 0)),
        ("circular", (2, 1)),
    ],
)
def test_pad(mode, pad):
    check_grad(lambda x: F.pad(x, pad, mode=mode), leaf((2, 3, 4), 0))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = leaf((3, 4), 0, low=-3.0, high=-0.2)
    t = leaf((3, 4), 1, low=-3.0, high=-0.2) if log_target else leaf((3, 4), 1, low=0.1, high=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reduction='mean' warns, as in PyTorch
        check_grad(lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target), x, t)


def test_cosine_similarity_and_pairwise_distance():
    check_grad(lambda a, b: F.cosine_similarity(a, b), leaf((3, 4), 0), leaf((1, 4), 1))
    check_grad(
        lambda a, b: F.cosine_similarity(a, b, dim=0, eps=1e-3), leaf((3, 4), 2), leaf((3, 4), 3)
    )
    for p in (2.0, 1.0, 3.0):
        check_grad(lambda a, b, p=p: F.pairwise_distance(a, b, p=p), leaf((3, 4), 4), leaf((4,), 5))
    check_grad(
        lambda a, b: F.pairwise_distance(a, b, keepdim=True), leaf((3, 4), 6), leaf((3, 4), 7)
    )


def test_group_norm_and_rms_norm():
    check_grad(
        lambda x, w, b: F.group_norm(x, 2, w, b), leaf((2, 4, 3), 0), leaf((4,), 1), leaf((4,), 2)
    )
    check_grad(lambda x: F.group_norm(x, 4), leaf((3, 4), 3))
    check_grad(lambda x, w: F.rms_norm(x, (3,), w), leaf((2, 3), 4), leaf((3,), 5))
    check_grad(lambda x: F.rms_norm(x, (2, 3), eps=1e-3), leaf((2, 2, 3), 6))
