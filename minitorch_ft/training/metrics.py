"""Evaluation metrics on numpy arrays, accumulated over batches as python floats.

Binary tasks: loss, accuracy, precision, recall, F1, ROC AUC. Multi-class: loss, accuracy.
Regression: loss, MSE, MAE. Nothing here touches autograd, so no graph can be kept alive.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

TASKS = ("binary", "multiclass", "regression")


def binary_scores(outputs: NDArray) -> NDArray[np.float64]:
    """A score that ranks examples by P(class 1): the logit, or z1 - z0 for two logits."""
    out = np.asarray(outputs, dtype=np.float64)
    if out.ndim == 2 and out.shape[1] == 2:
        return out[:, 1] - out[:, 0]
    return out.reshape(out.shape[0])


def _positive(targets: NDArray) -> NDArray[np.bool_]:
    """Labels as booleans, flattened: > 0.5 is the positive class (0/1 and -1/1 labels alike)."""
    return np.asarray(targets, dtype=np.float64).reshape(-1) > 0.5


def roc_auc(scores: NDArray, targets: NDArray) -> float | None:
    """Area under the ROC curve by the rank statistic (ties count half); None if one class.

    sklearn's roc_auc_score raises for a single class; None lets a run report "n/a" instead.
    """
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    positive = _positive(targets)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    # tied scores share the average of their 1-based ranks
    first = np.r_[True, np.diff(sorted_scores) != 0]  # where each run of equal scores starts
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], scores.size]
    group = np.cumsum(first) - 1
    ranks = np.empty(scores.size, dtype=np.float64)
    ranks[order] = ((starts + ends + 1) / 2.0)[group]
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


class MetricAccumulator:
    """Sums per-batch statistics; `compute()` turns them into the task's metrics."""

    def __init__(self, task: str | None = None) -> None:
        if task is not None and task not in TASKS:
            raise ValueError(f"task must be one of {TASKS} or None, got {task!r}")
        self.task = task
        self.reset()

    def reset(self) -> None:
        self.n = 0
        self.loss_sum = 0.0
        self.counts = {
            "correct": 0.0,
            "tp": 0.0,
            "fp": 0.0,
            "fn": 0.0,
            "sq": 0.0,
            "abs": 0.0,
            "elements": 0.0,
        }
        self.scores: list[NDArray] = []
        self.labels: list[NDArray] = []

    def update(self, loss: float | None, outputs: NDArray, targets: NDArray) -> None:
        """Add one batch: its mean loss (a python float) and raw model outputs."""
        targets = np.asarray(targets)
        n = int(targets.shape[0]) if targets.ndim else 1
        self.n += n
        if loss is not None:
            self.loss_sum += float(loss) * n
        if self.task == "binary":
            self._binary(np.asarray(outputs), targets)
        elif self.task == "multiclass":
            pred = np.asarray(outputs).argmax(axis=1)
            self.counts["correct"] += float((pred == targets.reshape(-1)).sum())
        elif self.task == "regression":
            diff = np.asarray(outputs, np.float64).reshape(targets.shape) - targets
            self.counts["sq"] += float((diff * diff).sum())
            self.counts["abs"] += float(np.abs(diff).sum())
            self.counts["elements"] += float(diff.size)

    def _binary(self, outputs: NDArray, targets: NDArray) -> None:
        scores = binary_scores(outputs)
        truth = _positive(targets)
        pred = scores > 0
        self.counts["correct"] += float((pred == truth).sum())
        self.counts["tp"] += float((pred & truth).sum())
        self.counts["fp"] += float((pred & ~truth).sum())
        self.counts["fn"] += float((~pred & truth).sum())
        self.scores.append(scores)
        self.labels.append(truth)

    def compute(self) -> dict[str, float | None]:
        """The metrics so far; precision/recall/F1 are 0 when undefined (sklearn's default)."""
        out: dict[str, float | None] = {}
        if self.n == 0:
            return out
        out["loss"] = self.loss_sum / self.n
        c = self.counts
        if self.task in ("binary", "multiclass"):
            out["accuracy"] = c["correct"] / self.n
        if self.task == "binary":
            precision = _ratio(c["tp"], c["tp"] + c["fp"])
            recall = _ratio(c["tp"], c["tp"] + c["fn"])
            out["precision"] = precision
            out["recall"] = recall
            out["f1"] = _ratio(2 * precision * recall, precision + recall)
            out["auc"] = roc_auc(np.concatenate(self.scores), np.concatenate(self.labels))
        if self.task == "regression":
            out["mse"] = c["sq"] / c["elements"]
            out["mae"] = c["abs"] / c["elements"]
        return out


def is_better(value: float | None, best: float | None, mode: str) -> bool:
    """True if `value` improves on `best` ('min' or 'max'); None or NaN never improves."""
    if value is None or value != value:
        return False
    if best is None:
        return True
    return value < best if mode == "min" else value > best


def default_mode(metric: str) -> str:
    """'min' for losses and errors, 'max' for scores such as accuracy or AUC."""
    tail = metric.rpartition("_")[2]
    return "min" if tail in ("loss", "mse", "mae") else "max"
