"""Trainer from Python (no YAML): fitting, frozen parameters, evaluation without a graph."""

import json
import re

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn, optim
from minitorch_ft.autograd import function
from minitorch_ft.data import DataLoader, TensorDataset, make_toy
from minitorch_ft.training import Trainer, TrainingError
from minitorch_ft.training import freeze as fz
from minitorch_ft.training.models import mlp


def loaders(n=64, seed=0):
    x, y = make_toy("toy_target", n)
    xv, yv = make_toy("toy_target", 200, split="val")
    gen = mt.Generator().manual_seed(seed)
    train = DataLoader(
        TensorDataset(mt.tensor(x), mt.tensor(y)), batch_size=16, shuffle=True, generator=gen
    )
    return train, DataLoader(TensorDataset(mt.tensor(xv), mt.tensor(yv)), batch_size=64)


def setup(freeze=("backbone",), seed=0, lr=0.05):
    mt.manual_seed(seed)
    model = mlp(hidden=[16], out_features=2, batch_norm=True, dropout=0.1)
    if freeze:
        fz.freeze(model, list(freeze))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = optim.SGD(params, lr=lr, momentum=0.9, weight_decay=1e-3)
    return model, opt


def test_library_fit_without_yaml():
    model, opt = setup(freeze=())
    train, val = loaders()
    trainer = Trainer(model, nn.functional.cross_entropy, opt, task="binary", log=None)
    summary = trainer.fit(train, val, epochs=3)
    assert summary["epochs"] == 3 and summary["global_step"] == 12
    assert [r["epoch"] for r in trainer.history] == [1, 2, 3]
    final = summary["final"]
    assert {"val_loss", "val_accuracy", "val_precision", "val_recall", "val_f1", "val_auc"} <= set(
        final
    )
    assert all(isinstance(v, float) for k, v in final.items() if k.startswith("val_"))
    assert summary["frozen_check"]["verified"]


def test_frozen_parameters_bit_identical_and_norms_fixed():
    model, opt = setup()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    train, val = loaders()
    summary = Trainer(model, nn.functional.cross_entropy, opt, task="binary", log=None).fit(
        train, val, epochs=2
    )
    after = model.state_dict()
    for key, value in before.items():
        same = np.array_equal(value, after[key].numpy())
        assert same == key.startswith("backbone"), key  # running stats of bn1 included
    check = summary["frozen_check"]
    assert check["verified"] and len(check["checked_parameters"]) == 4
    assert sorted(check["checked_buffers"]) == [
        "backbone.bn1.num_batches_tracked",
        "backbone.bn1.running_mean",
        "backbone.bn1.running_var",
    ]


def test_a_changed_frozen_parameter_fails_loudly():
    model, opt = setup()
    train, _ = loaders()

    def sneaky_loss(out, target):  # modifies a frozen weight behind the trainer's back
        with mt.no_grad():
            model.backbone.fc1.weight.mul_(1.0001)
        return nn.functional.cross_entropy(out, target)

    trainer = Trainer(model, sneaky_loss, opt, log=None)
    with pytest.raises(TrainingError, match="frozen parameters changed.*backbone.fc1.weight"):
        trainer.fit(train, epochs=1)


def count_nodes(monkeypatch):
    counter = {"n": 0}
    original = function.Node.__init__

    def counting(self, *args, **kwargs):
        counter["n"] += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(function.Node, "__init__", counting)
    return counter


def test_evaluation_builds_no_graph_and_restores_modes(monkeypatch):
    model, opt = setup(freeze=("backbone.bn1",))
    train, val = loaders()
    trainer = Trainer(model, nn.functional.cross_entropy, opt, task="binary", log=None)
    trainer.fit(train, epochs=1)  # leaves the model in training mode, bn1 kept in eval
    counter = count_nodes(monkeypatch)
    x, y = next(iter(train))
    nn.functional.cross_entropy(model(x), y)
    assert counter["n"] > 0  # the counter does see graph nodes being built
    counter["n"] = 0
    metrics = trainer.evaluate(val)
    outputs, targets = trainer.predict(val)
    assert counter["n"] == 0 and metrics["val_loss"] > 0 and outputs.shape == (200, 2)
    assert model.training and model.backbone.drop1.training and not model.backbone.bn1.training


def test_same_seed_gives_bit_identical_weights():
    def run():
        model, opt = setup(seed=5)
        train, _ = loaders(seed=5)
        Trainer(model, nn.functional.cross_entropy, opt, log=None).fit(train, epochs=2)
        return {k: v.numpy().copy() for k, v in model.state_dict().items()}

    a, b = run(), run()
    assert all(a[k].tobytes() == b[k].tobytes() for k in a)


@pytest.mark.parametrize("named", [True, False])
def test_freeze_schedule_adds_a_group_the_scheduler_drives(named):
    model, _ = setup(freeze=("backbone",))
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    opt = optim.AdamW(trainable if named else [p for _, p in trainable], lr=0.01)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    train, val = loaders()
    trainer = Trainer(
        model,
        nn.functional.cross_entropy,
        opt,
        scheduler=sched,
        log=None,
        freeze_schedule=[{"epoch": 2, "unfreeze": ["backbone.fc1"], "lr": 1e-3}],
    )
    summary = trainer.fit(train, val, epochs=4)
    assert len(opt.param_groups) == 3  # the original group + the thawed decay/no-decay pair
    assert [g["name"] for g in opt.param_groups[1:]] == ["unfrozen@2", "unfrozen@2/no_decay"]
    if named:  # named groups (torch 2.6+) stay named; unnamed ones stay unnamed
        assert opt.param_groups[1]["param_names"] == ["backbone.fc1.weight"]
    assert opt.param_groups[1]["params"] == [model.backbone.fc1.weight]
    lrs = [r["lr"]["unfrozen@2"] for r in trainer.history[1:]]
    assert lrs[0] < 1e-3 and lrs == sorted(lrs, reverse=True)  # cosine decays it too
    check = summary["frozen_check"]
    assert check["unfrozen_by_schedule"] == {"2": ["backbone.fc1.weight", "backbone.fc1.bias"]}
    assert "backbone.fc1.weight" not in check["checked_parameters"] and check["verified"]


def test_grad_clip_and_step_interval_scheduler():
    model, opt = setup(freeze=())
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    train, _ = loaders()
    trainer = Trainer(
        model,
        nn.functional.cross_entropy,
        opt,
        scheduler=sched,
        scheduler_interval="step",
        grad_clip=1e-3,
        log=None,
    )
    trainer.fit(train, epochs=1)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.05 * 0.5**4)


def test_non_finite_loss_stops_with_epoch_and_step():
    model, opt = setup(freeze=())
    train, _ = loaders()
    trainer = Trainer(model, lambda o, t: (o * float("nan")).sum(), opt, log=None)
    with pytest.raises(TrainingError, match="non-finite loss \\(nan\\) at epoch 1, step 1"):
        trainer.fit(train, epochs=1)


def test_run_dir_files(tmp_path):
    model, opt = setup()
    train, val = loaders()
    trainer = Trainer(
        model,
        nn.functional.cross_entropy,
        opt,
        task="binary",
        log=None,
        run_dir=str(tmp_path),
        monitor="val_auc",
        plot=False,
    )
    trainer.fit(train, val, epochs=2)
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    assert len(lines) == 2 and '"epoch": 2' in lines[1]
    names = sorted(p.name for p in (tmp_path / "checkpoints").iterdir())
    pattern = r"(best|last)(\.json|\.safetensors|\.[0-9a-f]{8}\.(optim\.)?safetensors)"
    assert len(names) == 8 and all(re.fullmatch(pattern, n) for n in names), names
    record = json.loads((tmp_path / "checkpoints" / "last.json").read_text())
    assert sorted(record["files"]) == ["optimizer", "weights"]
    linked = (tmp_path / "checkpoints" / "last.safetensors").read_bytes()
    assert linked == (tmp_path / "checkpoints" / record["files"]["weights"]).read_bytes()
    assert (tmp_path / "summary.json").exists()


def test_curves_png_when_matplotlib_is_installed(tmp_path):
    pytest.importorskip("matplotlib")
    model, opt = setup()
    train, val = loaders()
    Trainer(
        model, nn.functional.cross_entropy, opt, task="binary", log=None, run_dir=str(tmp_path)
    ).fit(train, val, epochs=2)
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"


def test_frozen_norms_may_keep_updating_when_asked():
    model, opt = setup()
    bn_before = model.backbone.bn1.running_mean.numpy().copy()
    w_before = model.backbone.fc1.weight.detach().numpy().copy()
    train, _ = loaders()
    summary = Trainer(
        model, nn.functional.cross_entropy, opt, frozen_norm_eval=False, log=None
    ).fit(train, epochs=1)
    assert not np.array_equal(bn_before, model.backbone.bn1.running_mean.numpy())
    assert np.array_equal(w_before, model.backbone.fc1.weight.detach().numpy())
    assert summary["frozen_check"]["checked_buffers"] == [] and summary["frozen_check"]["verified"]


def test_freeze_schedule_keeps_an_explicit_zero_lr():
    # regression: `lr: 0.0` fell back to the optimizer's lr (an `or` instead of an is-None test)
    model, opt = setup(freeze=("backbone",), lr=0.05)
    trainer = Trainer(
        model,
        nn.functional.cross_entropy,
        opt,
        log=None,
        freeze_schedule=[{"epoch": 2, "unfreeze": ["backbone.fc1"], "lr": 0.0}],
    )
    before = model.backbone.fc1.weight.detach().numpy().copy()
    trainer.fit(*loaders(), epochs=2)
    assert [g["lr"] for g in opt.param_groups[1:]] == [0.0, 0.0]
    assert trainer.history[-1]["lr"]["unfrozen@2"] == 0.0
    np.testing.assert_array_equal(model.backbone.fc1.weight.detach().numpy(), before)
