"""Metrics: hand-checked values, AUC against the pairwise definition, batch accumulation."""

import itertools

import numpy as np
import pytest

from minitorch_ft.training.metrics import MetricAccumulator, default_mode, is_better, roc_auc


def pairwise_auc(scores, labels):
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


@pytest.mark.parametrize("seed", range(5))
def test_auc_matches_pairwise_definition_with_ties(seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 5, size=40).astype(float)  # many ties
    labels = rng.integers(0, 2, size=40)
    assert roc_auc(scores, labels) == pytest.approx(pairwise_auc(scores, labels))


def test_auc_undefined_with_one_class():
    assert roc_auc(np.array([0.1, 0.2]), np.array([1, 1])) is None


def test_binary_metrics_by_hand():
    acc = MetricAccumulator("binary")
    logits = np.array([[2.0], [-1.0], [0.5], [-3.0], [1.0]])
    targets = np.array([1.0, 1.0, 0.0, 0.0, 1.0])
    acc.update(0.5, logits[:2], targets[:2])
    acc.update(1.0, logits[2:], targets[2:])
    m = acc.compute()
    # predictions 1,0,1,0,1 -> tp 2, fp 1, fn 1, tn 1
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 / 3)
    assert m["loss"] == pytest.approx((0.5 * 2 + 1.0 * 3) / 5)
    assert m["auc"] == pytest.approx(pairwise_auc(logits.ravel(), targets))
    assert all(type(v) is float for v in m.values())


def test_binary_from_two_logits_and_zero_division():
    acc = MetricAccumulator("binary")
    acc.update(0.0, np.array([[1.0, 0.0], [2.0, 0.0]]), np.array([1, 0]))
    m = acc.compute()
    assert m["precision"] == 0.0 and m["recall"] == 0.0 and m["f1"] == 0.0
    assert m["accuracy"] == 0.5


def test_multiclass_and_regression():
    acc = MetricAccumulator("multiclass")
    acc.update(1.0, np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1]]), np.array([1, 2]))
    assert acc.compute() == {"loss": 1.0, "accuracy": 0.5}
    acc = MetricAccumulator("regression")
    acc.update(2.0, np.array([[1.0], [2.0]]), np.array([0.0, 4.0]))
    m = acc.compute()
    assert m["mse"] == pytest.approx(2.5) and m["mae"] == pytest.approx(1.5)


def test_modes():
    assert default_mode("val_loss") == "min" and default_mode("val_mae") == "min"
    assert default_mode("val_auc") == "max"
    assert is_better(0.5, None, "min") and not is_better(None, 0.1, "max")
    assert is_better(0.2, 0.3, "min") and is_better(0.4, 0.3, "max")
    assert not is_better(0.3, 0.3, "max")


def test_auc_accepts_column_labels_and_thresholds_like_the_accumulator():
    # regression: (N, 1) targets raised IndexError; -1/1 labels all counted as positive
    scores = np.array([0.1, 0.9, 0.4, 0.7])
    assert roc_auc(scores, np.array([[0], [1], [0], [1]])) == 1.0
    assert roc_auc(scores, np.array([-1, 1, -1, 1])) == 1.0
    acc = MetricAccumulator("binary")
    acc.update(0.0, scores - 0.5, np.array([[0.0], [1.0], [0.0], [1.0]]))
    assert acc.compute()["auc"] == 1.0


def test_auc_all_scores_tied_is_one_half():
    assert roc_auc(np.zeros(6), np.array([0, 1, 0, 1, 1, 0])) == 0.5


def test_multiclass_accuracy_with_column_targets():
    # regression: (N, 1) targets broadcast against (N,) predictions into an N x N comparison
    acc = MetricAccumulator("multiclass")
    acc.update(1.0, np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), np.array([[1], [1], [1]]))
    assert acc.compute()["accuracy"] == pytest.approx(2 / 3)
