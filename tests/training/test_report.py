"""Curves PNG layout, with a stand-in matplotlib that records what would be drawn."""

import sys
import types

from minitorch_ft.training.report import plot_curves


class _Axes:
    def __init__(self):
        self.lines, self.title = [], None

    def plot(self, x, y, marker=None, label=None):
        self.lines.append(label)

    def set_xlabel(self, text):
        pass

    def set_title(self, text):
        self.title = text

    def legend(self):
        assert self.lines, "a legend with nothing in it (matplotlib warns)"


class _Figure:
    def tight_layout(self):
        pass

    def savefig(self, buf, format, dpi):
        buf.write(b"\x89PNG")


def fake_matplotlib(monkeypatch):
    drawn = []
    pyplot = types.ModuleType("matplotlib.pyplot")

    def subplots(rows, cols, figsize, squeeze):
        drawn.extend(_Axes() for _ in range(cols))
        return _Figure(), [drawn[-cols:]]

    pyplot.subplots = subplots
    pyplot.close = lambda fig: None
    package = types.ModuleType("matplotlib")
    package.use = lambda backend: None
    package.pyplot = pyplot
    monkeypatch.setitem(sys.modules, "matplotlib", package)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    return drawn


def test_losses_only_make_one_loss_panel(monkeypatch, tmp_path):
    # regression: the single panel was titled "metrics" and given an empty legend
    drawn = fake_matplotlib(monkeypatch)
    history = [{"epoch": 1, "train_loss": 0.5}, {"epoch": 2, "train_loss": 0.4}]
    assert plot_curves(history, str(tmp_path / "c.png"))
    assert [(a.title, a.lines) for a in drawn] == [("loss", ["train_loss"])]


def test_losses_and_metrics_side_by_side(monkeypatch, tmp_path):
    drawn = fake_matplotlib(monkeypatch)
    history = [{"epoch": 1, "train_loss": 0.5, "val_loss": 0.6, "val_accuracy": 0.7, "lr": {}}]
    assert plot_curves(history, str(tmp_path / "c.png"))
    assert [(a.title, a.lines) for a in drawn] == [
        ("loss", ["train_loss", "val_loss"]),
        ("metrics", ["val_accuracy"]),
    ]
    assert (tmp_path / "c.png").read_bytes() == b"\x89PNG"


def test_predictions_csv_for_each_task():
    import numpy as np

    from minitorch_ft.training.commands import predictions_csv

    binary = predictions_csv(np.array([[2.0], [-1.0]]), np.array([1.0, 1.0]), "binary")
    assert binary == "index,target,prediction,probability\n0,1,1,0.880797\n1,1,0,0.268941\n"
    multi = predictions_csv(
        np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1]]), np.array([1, 2]), "multiclass"
    )
    assert multi == "index,target,prediction\n0,1,1\n1,2,0\n"
    reg = predictions_csv(np.array([[1.5], [2.0]]), np.array([1.0, 4.0]), "regression")
    assert reg == "index,target,prediction\n0,1,1.5\n1,4,2\n"
