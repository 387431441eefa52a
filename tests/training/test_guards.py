"""Guards: non-finite steps, early stopping, disk full / read-only run directories,
checkpoint spacing, and the strict JSON that holds scheduler state."""

import errno
import json
import math
import os
import signal
import tempfile
from collections import Counter

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn, optim
from minitorch_ft.data import DataLoader, TensorDataset
from minitorch_ft.training import Trainer, atomic, checkpoint, cli, jsonstate
from minitorch_ft.training.guards import EarlyStopping, NonFiniteError, StopRequest

from .conftest import final_state


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----- non-finite steps ---------------------------------------------------------------------------
class Net(nn.Module):
    """Two linear layers and a parameter `gate` whose sqrt has an infinite slope at 0."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 2)
        self.gate = nn.Parameter(mt.ones(1))

    def forward(self, x):
        return self.fc2(self.fc1(x).relu()) * self.gate.sqrt()


def setup(tmp_path=None, poison=(), **kwargs):
    """A trainer over 24 examples in batches of 4 (6 steps an epoch); the loss turns NaN
    at the calls listed in `poison`."""
    mt.manual_seed(0)
    model = Net()
    x = mt.randn(24, 3)
    y = mt.tensor([0, 1] * 12)
    loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True, generator=mt.Generator())
    calls = [0]

    def loss_fn(out, target):
        calls[0] += 1
        loss = nn.functional.cross_entropy(out, target)
        return loss * float("nan") if calls[0] in poison else loss

    kwargs.setdefault("log", None)
    run_dir = str(tmp_path) if tmp_path else None
    opt = optim.SGD(model.parameters(), lr=0.1)
    trainer = Trainer(
        model, loss_fn, opt, run_dir=run_dir, plot=False, monitor="train_loss", **kwargs
    )
    return trainer, loader


def test_non_finite_loss_names_epoch_step_and_parameter_and_corrupts_nothing(tmp_path):
    trainer, loader = setup(tmp_path, poison={14}, checkpoint_every_n_steps=4)
    with pytest.raises(NonFiniteError) as info:
        trainer.fit(loader, epochs=3)  # 6 steps per epoch: step 14 is in epoch 3
    message = str(info.value)
    assert message.startswith(
        "non-finite loss (nan) at epoch 3, step 14: first offending "
        "parameter: gate (its gradient is not finite)"
    )
    assert "Nothing was updated" in message
    ckpt = checkpoint.read(os.path.join(tmp_path, "checkpoints", "last.json"))
    assert ckpt.trainer["global_step"] == 12
    assert all(np.isfinite(a).all() for a in ckpt.weights.values())
    assert all(np.isfinite(p.detach().numpy()).all() for p in trainer.model.parameters())


def test_non_finite_gradient_with_a_finite_loss_names_the_parameter():
    trainer, loader = setup()
    with mt.no_grad():
        trainer.model.gate.zero_()  # sqrt'(0) = inf: the loss stays finite, the gradient not
    with pytest.raises(
        NonFiniteError,
        match=r"^non-finite gradient at epoch 1, step 1 \(loss "
        r"0\.69\d+\): first offending parameter: gate \(its gradient",
    ):
        trainer.fit(loader, epochs=1)


def test_non_finite_parameter_value_is_named_first():
    trainer, loader = setup()
    with mt.no_grad():
        trainer.model.fc2.bias.fill_(float("inf"))
    with pytest.raises(
        NonFiniteError,
        match=r"first offending parameter: fc2\.bias \(its "
        "value is not finite\\)",
    ):
        trainer.fit(loader, epochs=1)


def test_skip_step_skips_only_the_bad_steps():
    clean, loader = setup()
    clean.fit(loader, epochs=2)
    trainer, loader = setup(on_nonfinite="skip_step", poison={3, 8})
    summary = trainer.fit(loader, epochs=2)
    assert summary["skipped_steps"] == 2 and summary["global_step"] == 12
    assert all(np.isfinite(p.detach().numpy()).all() for p in trainer.model.parameters())
    assert trainer.history[0]["train_loss"] != clean.history[0]["train_loss"]
    assert math.isfinite(trainer.history[0]["train_loss"])


def test_on_nonfinite_is_validated():
    with pytest.raises(ValueError, match="on_nonfinite must be 'error' or 'skip_step'"):
        setup(on_nonfinite="ignore")


# ----- early stopping -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "mode,delta,values,stop_at",
    [
        ("min", 0.0, [1.0, 0.9, 0.9, 0.95], 4),  # equal is no improvement
        ("min", 0.1, [1.0, 0.95, 0.85, 0.8, 0.76], 5),  # 0.85 beats 1.0 by > 0.1; 0.8 not
        ("max", 0.0, [0.5, 0.6, None, 0.55, 0.6], 5),  # None (not evaluated) is not a check
        ("min", 0.0, [1.0, float("nan"), 0.5, float("nan"), float("nan")], 5),
    ],
)
def test_early_stopping_rule(mode, delta, values, stop_at):
    es = EarlyStopping(patience=2, min_delta=delta, mode=mode)
    stops = [es.update(v) for v in values]
    assert stops.index(True) + 1 == stop_at and stops.count(True) == 1
    restored = EarlyStopping(patience=2, min_delta=delta, mode=mode)
    restored.load_state_dict(json.loads(json.dumps(es.state_dict())))
    assert restored.state_dict() == es.state_dict()


def test_early_stopping_in_a_run_and_its_resume(capsys, tiny, tmp_path):
    folder = str(tmp_path / "run")
    sets = [
        "--set",
        "trainer.early_stopping={patience: 1, min_delta: 10.0}",
        "--set",
        "output.monitor=val_loss",
    ]
    code, out, err = run(capsys, "train", "-c", tiny, *sets)
    assert code == 0, err
    # val_loss is computed at epochs 2 and 4: the second check fails by min_delta
    assert "early stopping after epoch 4: val_loss has not improved by more than 10" in out
    summary = json.load(open(os.path.join(folder, "summary.json")))
    assert summary["status"] == "stopped_early" and summary["stopped_early"]["epoch"] == 4
    code, out, err = run(
        capsys, "train", "-c", tiny, *sets, "--set", "trainer.epochs=6", "--resume", folder
    )
    assert code == 0 and "nothing left to train: the run stopped early after epoch 4" in out
    code, out, err = run(
        capsys,
        "train",
        "-c",
        tiny,
        "--set",
        "trainer.epochs=9",
        "--set",
        "trainer.eval_every=1",
        "--set",
        "output.overwrite=true",
        "--set",
        "trainer.early_stopping.patience=2",
        "--set",
        "trainer.early_stopping.min_delta=0.5",
    )
    assert code == 0 and "early stopping after epoch 3" in out
    assert len(open(os.path.join(folder, "metrics.jsonl")).readlines()) == 3


# ----- disk full, read-only --------------------------------------------------------------------------
def fail_after(monkeypatch, saves: int, error: OSError):
    """Let `saves` checkpoint commits succeed, then make every file write fail: a full disk
    fails at fsync (after the temporary file is written), a read-only one at creation."""
    done = [0]
    real_save, real_mkstemp, real_fsync = checkpoint.save, tempfile.mkstemp, os.fsync

    def save(*args, **kwargs):
        out = real_save(*args, **kwargs)
        done[0] += 1
        return out

    def mkstemp(*args, **kwargs):
        if done[0] >= saves and error.errno != errno.ENOSPC:
            raise error
        return real_mkstemp(*args, **kwargs)

    def fsync(fd):
        if done[0] >= saves and error.errno == errno.ENOSPC:
            raise error
        return real_fsync(fd)

    monkeypatch.setattr(checkpoint, "save", save)
    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.mark.parametrize(
    "error,text,saves,what,kept",
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "No space left on device",
            2,
            "checkpoint checkpoints/last",
            "step 3, end of epoch 1",
        ),
        (
            OSError(errno.EROFS, "Read-only file system"),
            "Read-only file system",
            2,
            "checkpoint checkpoints/last",
            "step 3, end of epoch 1",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied"),
            "Permission denied",
            2,
            "checkpoint checkpoints/last",
            "step 3, end of epoch 1",
        ),
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "No space left on device",
            3,
            "file metrics.jsonl",
            "step 4, epoch 2 in progress",
        ),
    ],
)
def test_disk_full_or_read_only_keeps_the_previous_checkpoint(
    capsys, monkeypatch, tiny, tmp_path, error, text, saves, what, kept
):
    expected = final_state(_reference(capsys, tiny, tmp_path))
    folder = str(tmp_path / "run")
    fail_after(monkeypatch, saves, error)
    code, out, err = run(capsys, "train", "-c", tiny, "-q")
    assert code == 1 and "Traceback" not in err
    assert f"cannot write {what} in {folder}: {text}; the previous " in err
    assert f"last.json: {kept}) is intact" in err and f"resume with --resume {folder}" in err
    names = os.listdir(os.path.join(folder, "checkpoints"))
    assert not [n for n in names if n.endswith(".tmp")]
    state = checkpoint.read(checkpoint.locate(folder))
    assert state.trainer["global_step"] == int(kept.split()[1].rstrip(","))
    monkeypatch.undo()  # space freed: the intact checkpoint resumes to the same result
    assert run(capsys, "train", "-c", tiny, "-q", "--resume", folder)[0] == 0
    assert final_state(folder) == expected


def _reference(capsys, cfg, tmp_path) -> str:
    folder = str(tmp_path / "reference")
    assert run(capsys, "train", "-c", cfg, "-q", "--set", f"output.dir={folder}")[0] == 0
    return folder


def test_read_only_run_directory_at_the_start(capsys, monkeypatch, tiny, tmp_path):
    fail_after(monkeypatch, 0, OSError(errno.EROFS, "Read-only file system"))
    code, _, err = run(capsys, "train", "-c", tiny)
    assert code == 2 and "output.dir: cannot write to" in err and "Read-only file system" in err


def test_longest_gap_between_checkpoints(capsys, monkeypatch, tiny, tmp_path):
    steps = []
    real_save = checkpoint.save

    def save(folder, tag, *args, **kwargs):
        if tag == "last":
            steps.append(args[3]["global_step"] if len(args) > 3 else None)
        return real_save(folder, tag, *args, **kwargs)

    monkeypatch.setattr(checkpoint, "save", save)
    assert run(capsys, "train", "-c", tiny, "-q")[0] == 0
    gaps = np.diff([0, *steps])
    assert steps[-1] == 12 and gaps.max() == 2  # every 2 steps (and at each epoch end)
    steps.clear()
    assert (
        run(
            capsys,
            "train",
            "-c",
            tiny,
            "-q",
            "--set",
            "output.overwrite=true",
            "--set",
            "output.checkpoint_every_n_steps=null",
        )[0]
        == 0
    )
    assert steps == [3, 6, 9, 12]  # once per epoch of 3 steps


# ----- strict JSON for scheduler and optimizer state ----------------------------------------------------
def schedulers(opt):
    sched = optim.lr_scheduler
    return [
        sched.ReduceLROnPlateau(opt, patience=1),
        sched.MultiStepLR(opt, milestones=[2, 2, 5]),
        sched.StepLR(opt, 2),
        sched.CosineAnnealingLR(opt, 7),
        sched.LinearLR(opt),
        sched.ExponentialLR(opt, 0.9),
        sched.OneCycleLR(opt, max_lr=0.5, total_steps=20),
    ]


@pytest.mark.parametrize("index", range(7))
def test_scheduler_state_round_trips_through_strict_json(index):
    def make():
        model = nn.Linear(2, 1)
        opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        return opt, schedulers(opt)[index]

    opt, sched = make()
    for _ in range(4):
        opt.step()
        sched.step(1.0) if index == 0 else sched.step()
    text = jsonstate.dumps(sched.state_dict())
    assert "Infinity" not in text and "NaN" not in text
    json.loads(text, parse_constant=lambda c: pytest.fail(c))  # any strict reader accepts it
    opt2, sched2 = make()
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(jsonstate.loads(text))
    assert sched2.state_dict() == sched.state_dict()
    for _ in range(6):
        for o, s in ((opt, sched), (opt2, sched2)):
            o.step()
            s.step(1.0) if index == 0 else s.step()
        assert opt.param_groups[0]["lr"] == opt2.param_groups[0]["lr"]


def test_jsonstate_types_and_refusals():
    value = {"a": (1, 2.5), "b": Counter({1: 2}), "c": {3: [float("-inf")]}, "$x": float("nan")}
    back = jsonstate.loads(jsonstate.dumps(value))
    assert back["a"] == (1, 2.5) and isinstance(back["a"], tuple)
    assert back["b"] == Counter({1: 2}) and isinstance(back["b"], Counter)
    assert back["c"] == {3: [float("-inf")]} and math.isnan(back["$x"])
    with pytest.raises(ValueError, match="NaN is not strict JSON"):
        jsonstate.loads('{"a": NaN}')
    with pytest.raises(ValueError, match="bad \\$float"):
        jsonstate.loads('{"$float": "1e999"}')
    with pytest.raises(ValueError, match="bad \\$tuple"):
        jsonstate.loads('{"$tuple": 3}')
    with pytest.raises(TypeError, match="state.w: a ndarray cannot be stored as JSON"):
        jsonstate.encode({"w": np.zeros(2)})


# ----- Ctrl-C ----------------------------------------------------------------------------------------
def test_stop_request_first_sigint_asks_second_one_stops():
    before = signal.getsignal(signal.SIGINT)
    with StopRequest() as stop:
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.requested
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_ctrl_c_during_evaluation_stops_after_the_epoch_save(capsys, monkeypatch, tiny, tmp_path):
    expected = final_state(_reference(capsys, tiny, tmp_path))
    real_evaluate = Trainer.evaluate

    def evaluate(self, loader, prefix="val"):
        os.kill(os.getpid(), signal.SIGINT)  # arrives while the validation set is evaluated
        return real_evaluate(self, loader, prefix)

    monkeypatch.setattr(Trainer, "evaluate", evaluate)
    folder = str(tmp_path / "run")
    code, _, err = run(capsys, "train", "-c", tiny, "-q")
    assert code == 130 and "interrupted after epoch 2; saved" in err
    assert err.rstrip().endswith(f"--resume {folder}")
    monkeypatch.undo()
    assert run(capsys, "train", "-c", tiny, "-q", "--resume", folder)[0] == 0
    assert final_state(folder) == expected


def test_library_resume_from_a_run_directory(tmp_path):
    """Trainer.resume_from without any YAML: 2 epochs, then 2 more, as 4 in one go."""
    whole, loader = setup(tmp_path / "whole", checkpoint_every_n_steps=4)
    whole.fit(loader, epochs=4)
    first, loader = setup(tmp_path / "split", checkpoint_every_n_steps=4)
    first.fit(loader, epochs=2)
    second, loader = setup(tmp_path / "split", checkpoint_every_n_steps=4)
    report = second.resume_from(str(tmp_path / "split"))
    assert report["epoch"] == 2 and report["global_step"] == 12
    second.fit(loader, epochs=4)
    for a, b in zip(whole.model.parameters(), second.model.parameters(), strict=True):
        assert a.detach().numpy().tobytes() == b.detach().numpy().tobytes()
    assert [r["train_loss"] for r in whole.history] == [r["train_loss"] for r in second.history]


def test_early_stopping_on_a_metric_that_was_never_finite():
    # regression: every step skipped -> train_loss NaN each epoch -> the stop message formatted
    # EarlyStopping.best (None) with :.6g and the run died with a TypeError
    lines = []
    trainer, loader = setup(
        on_nonfinite="skip_step", poison=set(range(1, 13)), patience=2, log=lines.append
    )
    summary = trainer.fit(loader, epochs=5)
    assert summary["epochs"] == 2 and summary["stopped_early"]["best"] is None
    assert any("for 2 evaluations (no finite value)" in line for line in lines)
