"""Freezing by name pattern, the frozen-norm rule and the bit-identical check."""

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn
from minitorch_ft.training import freeze as fz
from minitorch_ft.training.models import mlp

NAMES = [
    "backbone.fc1.weight",
    "backbone.fc1.bias",
    "backbone.bn1.weight",
    "backbone.bn1.bias",
    "backbone.fc2.weight",
    "backbone.fc2.bias",
    "backbone.bn2.weight",
    "backbone.bn2.bias",
    "head.weight",
    "head.bias",
]


def model():
    mt.manual_seed(0)
    return mlp(in_features=4, hidden=[5, 5], out_features=3, batch_norm=True)


def test_mlp_parameter_names():
    assert [n for n, _ in model().named_parameters()] == NAMES


@pytest.mark.parametrize(
    "patterns,expected",
    [
        (["backbone"], NAMES[:8]),  # a module name = everything under it
        (["backbone.*"], NAMES[:8]),
        (["*.bias"], [n for n in NAMES if n.endswith("bias")]),
        (["backbone.fc1"], NAMES[:2]),
        (["backbone.fc?.weight"], ["backbone.fc1.weight", "backbone.fc2.weight"]),
        (["head.weight"], ["head.weight"]),
        (["back"], []),  # not a prefix match on partial names
        (["backbone.fc"], []),
    ],
)
def test_pattern_rule(patterns, expected):
    assert fz.select(NAMES, patterns) == expected


def test_unfreeze_exceptions_apply_after():
    m = model()
    frozen = fz.frozen_names(m, ["backbone"], ["backbone.bn*", "*.fc2.bias"])
    assert frozen == ["backbone.fc1.weight", "backbone.fc1.bias", "backbone.fc2.weight"]
    fz.apply(m, frozen)
    assert [n for n, p in m.named_parameters() if not p.requires_grad] == frozen


def test_unmatched_pattern_lists_available_names():
    bad = fz.unmatched(model(), ["backbone", "backbon", "zzz"])
    assert [i for i, _ in bad] == [1, 2]
    msg = bad[0][1]
    assert "pattern 'backbon' matches no parameter (did you mean 'backbone'?)" in msg
    assert "modules: backbone, backbone.bn1" in msg and "head.bias" in msg
    with pytest.raises(ValueError, match="'zzz' matches no parameter"):
        fz.freeze(model(), ["zzz"])


def test_library_freeze_and_unfreeze():
    m = model()
    assert fz.freeze(m, "backbone") == NAMES[:8]
    assert fz.unfreeze(m, ["backbone.fc2"]) == NAMES[4:6]
    assert [n for n, p in m.named_parameters() if p.requires_grad] == NAMES[4:6] + NAMES[8:]


def test_frozen_norms_stay_in_eval_mode():
    m = model()
    assert fz.frozen_norms(m) == []
    fz.freeze(m, ["backbone.bn1"])
    names = [n for n, _ in fz.frozen_norms(m)]
    assert names == ["backbone.bn1"]
    fz.set_train_mode(m, [mod for _, mod in fz.frozen_norms(m)])
    assert m.training and m.backbone.bn2.training and not m.backbone.bn1.training
    # running statistics of the frozen norm do not move in a training-mode forward
    before = m.backbone.bn1.running_mean.numpy().copy()
    m(mt.randn(8, 4))
    assert np.array_equal(before, m.backbone.bn1.running_mean.numpy())
    assert not np.array_equal(np.zeros(5), m.backbone.bn2.running_mean.numpy())


def test_norm_without_parameters_follows_its_parent():
    m = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3, affine=False))
    assert fz.frozen_norms(m) == []
    fz.freeze(m, ["0"])
    assert [n for n, _ in fz.frozen_norms(m)] == ["1"]


def test_snapshot_and_changed_are_bitwise():
    m = model()
    snap = fz.snapshot(m, ["head.bias"], buffers_of=["backbone.bn1"])
    assert set(snap) == {
        "head.bias",
        "backbone.bn1.running_mean",
        "backbone.bn1.running_var",
        "backbone.bn1.num_batches_tracked",
    }
    assert fz.changed(m, snap) == []
    with mt.no_grad():
        m.head.bias[0] = m.head.bias[0] + 1e-7  # a change far below any tolerance
    assert fz.changed(m, snap) == ["head.bias"]
