"""--resume: bit-identical continuation after SIGKILL, Ctrl-C or a clean stop, by name.

The kill tests run the CLI in subprocesses (fault_runner.py) that die at chosen steps, in
the middle of checkpoint writes, or when a poll of the checkpoint folder sees a save; each
is then resumed and must end with the same bytes as an uninterrupted run.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from minitorch_ft.training import checkpoint, cli

from .conftest import ROOT, final_state

RUNNER = os.path.join(os.path.dirname(__file__), "fault_runner.py")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def reference(capsys, cfg, tmp_path) -> dict:
    folder = str(tmp_path / "reference")
    code, _, err = run(capsys, "train", "-c", cfg, "-q", "--set", f"output.dir={folder}")
    assert code == 0, err
    return final_state(folder)


def spawn(cfg, folder, fault):
    env = {**os.environ, "PYTHONPATH": ROOT, "FAULT": fault}
    argv = [sys.executable, RUNNER, "train", "-c", cfg, "-q", "--set", f"output.dir={folder}"]
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def resume(capsys, cfg, folder):
    """Resume `folder`; a run killed before its first checkpoint is started again."""
    code, _, err = run(
        capsys, "train", "-c", cfg, "-q", "--set", f"output.dir={folder}", "--resume", folder
    )
    if code == 2 and "no checkpoint here" in err:
        code, _, err = run(
            capsys,
            "train",
            "-c",
            cfg,
            "-q",
            "--set",
            f"output.dir={folder}",
            "--set",
            "output.overwrite=true",
        )
        return code, err, "restarted"
    return code, err, "resumed"


def test_sigkill_at_many_points_resumes_bit_identically(capsys, tiny, tmp_path):
    expected = reference(capsys, tiny, tmp_path)
    faults = [
        "step:1",  # before the first checkpoint: nothing to resume, a clean restart
        "step:3",  # mid-epoch, one step after a checkpoint
        "step:6",  # the last step of epoch 2, before its epoch-end save
        "step:7",  # first step after the freeze schedule added groups (epoch 3)
        "step:11",
        # atomic writes: 1 config.yaml, 2-4 the first save (weights, optimizer, JSON commit),
        # 5 metrics.jsonl, 6-8 the epoch-end save, ...
        "write:4:partial",  # half of the first commit: nothing to resume, a clean restart
        "write:8:after",  # right after a commit
        "write:10:partial",  # mid-save: the new arrays are orphans, the last commit stands
        "write:14:after",
        "write:22:partial",
    ]
    procs = {f: spawn(tiny, str(tmp_path / f.replace(":", "_")), f) for f in faults}
    results = {}
    for fault, proc in procs.items():
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, (fault, proc.returncode)
        folder = str(tmp_path / fault.replace(":", "_"))
        ckpt = os.path.join(folder, "checkpoints")
        leftovers = os.listdir(ckpt) if os.path.isdir(ckpt) else []
        code, err, how = resume(capsys, tiny, folder)
        assert code == 0, (fault, err)
        assert not [n for n in os.listdir(ckpt) if n.endswith(".tmp")]  # cleaned on save
        results[fault] = (how, final_state(folder) == expected, leftovers)
    assert all(same for _, same, _ in results.values()), results
    restarted = {f for f, (how, _, _) in results.items() if how == "restarted"}
    assert restarted == {"step:1", "write:4:partial"}
    assert any(n.endswith(".tmp") for n in results["write:10:partial"][2])  # a crash leftover


def test_sigkill_at_a_moment_chosen_by_polling(capsys, tiny, tmp_path):
    """Kill as soon as a poll of the folder sees a second save: an arbitrary moment."""
    expected = reference(capsys, tiny, tmp_path)
    folder = str(tmp_path / "polled")
    proc = spawn(tiny, folder, "none")
    last = os.path.join(folder, "checkpoints", "last.json")
    seen, deadline = set(), time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with open(last) as f:
                seen.add(json.load(f)["trainer"]["global_step"])
        except (OSError, ValueError, KeyError):
            pass
        if len(seen) >= 2:
            proc.kill()
            break
        time.sleep(0.001)
    proc.communicate(timeout=60)
    code, err, _ = resume(capsys, tiny, folder)
    assert code == 0, err
    assert final_state(folder) == expected


def test_ctrl_c_saves_last_prints_how_to_resume_and_exits_130(capsys, tiny, tmp_path):
    expected = reference(capsys, tiny, tmp_path)
    folder = str(tmp_path / "interrupted")
    proc = spawn(tiny, folder, "sigint:5")
    _, err = proc.communicate(timeout=60)
    err = err.decode()
    assert proc.returncode == 130, err
    assert "interrupted at epoch 2, step 5; saved" in err and "Traceback" not in err
    assert f"resume with: minitorch-ft train -c {tiny} -q --set output.dir={folder}" in err
    assert err.rstrip().endswith(f"--resume {folder}")
    state = checkpoint.read(checkpoint.locate(folder)).trainer
    assert state["global_step"] == 5 and state["position"]["batch"] == 2  # mid-epoch
    code, out, err = run(
        capsys, "train", "-c", tiny, "--set", f"output.dir={folder}", "--resume", folder
    )
    assert code == 0, err
    assert "resuming from" in out and "in epoch 2 after batch 2, step 5" in out
    assert final_state(folder) == expected


def test_resume_from_an_epoch_end_checkpoint_file(capsys, tiny, tmp_path):
    """Stop cleanly after 3 epochs, then resume from the checkpoint JSON with 4 epochs."""
    expected = reference(capsys, tiny, tmp_path)
    folder = str(tmp_path / "short")
    common = ["train", "-c", tiny, "-q", "--set", f"output.dir={folder}"]
    # same comparable config, shorter run: cosine T_max is pinned so the schedule matches
    assert run(capsys, *common, "--set", "trainer.epochs=3", "--set", "scheduler.t_max=12")[0] == 0
    code, out, err = run(
        capsys,
        *common,
        "--set",
        "scheduler.t_max=12",
        "--resume",
        os.path.join(folder, "checkpoints", "last.json"),
    )
    assert code == 0, err
    got = final_state(folder)
    # the short run also evaluated its last epoch (3): only the metrics of that row differ
    assert got.pop("metrics")[3] == expected.pop("metrics")[3] and got == expected
    summary = json.load(open(os.path.join(folder, "summary.json")))
    assert summary["resumed_from"]["epoch"] == 3 and not summary["resumed_from"]["mid_epoch"]


def test_resuming_a_finished_run_trains_nothing(capsys, tiny, tmp_path):
    folder = str(tmp_path / "run")
    assert run(capsys, "train", "-c", tiny, "-q")[0] == 0
    before = final_state(folder)
    code, out, _ = run(capsys, "train", "-c", tiny, "--resume", folder)
    assert code == 0 and "nothing left to train: 4 epochs are done" in out
    assert final_state(folder) == before


@pytest.mark.parametrize(
    "change,message",
    [
        (["model.args.hidden=[32, 32]"], "the config changed the model: model.args.hidden"),
        (
            ["model.args.activation=tanh"],
            "model.args.activation (checkpoint 'relu', config 'tanh')",
        ),
        (
            ["freeze.patterns=[backbone, head.bias]"],
            "frozen now, trainable in the checkpoint: head.bias",
        ),
        (
            ["optimizer.param_groups=[{params: [head.weight], lr: 0.1}]"],
            "the config changed the optimizer param groups: optimizer.param_groups",
        ),
        (
            ["freeze.schedule=[{epoch: 2, unfreeze: [backbone.fc2, backbone.bn2]}]"],
            "other optimizer param groups than the checkpoint's (checkpoint: default: head.weight;"
            " default/no_decay: head.bias; unfrozen@3: backbone.fc2.weight;",
        ),
        (["optimizer.name=adam"], "the checkpoint holds AdamW state, the config builds Adam"),
        (["scheduler.name=none"], "the checkpoint's scheduler is CosineAnnealingLR"),
    ],
)
def test_a_changed_model_or_groups_is_refused(capsys, tiny, tmp_path, change, message):
    folder = str(tmp_path / "run")
    assert run(capsys, "train", "-c", tiny, "-q", "--set", "trainer.epochs=3")[0] == 0
    sets = [a for c in change for a in ("--set", c)]
    code, out, err = run(capsys, "train", "-c", tiny, *sets, "--resume", folder)
    assert code == 2 and message in err, err
    assert "Traceback" not in err
    if "model" not in message:
        assert "--resume-weights-only" in err


def test_weights_only_resume_takes_new_groups_and_a_fresh_optimizer(capsys, tiny, tmp_path):
    folder = str(tmp_path / "run")
    assert run(capsys, "train", "-c", tiny, "-q", "--set", "trainer.epochs=3")[0] == 0
    weights = checkpoint.read(checkpoint.locate(folder)).weights
    change = ["--set", "optimizer.param_groups=[{params: [head.weight], lr: 0.1, name: fast}]"]
    code, out, err = run(
        capsys,
        "train",
        "-c",
        tiny,
        *change,
        "--set",
        "trainer.epochs=4",
        "--resume",
        folder,
        "--resume-weights-only",
        "--dry-run",
    )
    assert code == 0, err
    assert "weights only: fresh optimizer and schedule" in out
    assert "warning: the config differs from the checkpoint's: optimizer.param_groups" in out
    code, out, err = run(
        capsys, "train", "-c", tiny, "-q", *change, "--resume", folder, "--resume-weights-only"
    )
    assert code == 0, err
    got = checkpoint.read(checkpoint.locate(folder))
    groups = [g["name"] for g in got.record["optimizer"]["param_groups"]]
    assert groups == ["fast", "default/no_decay", "unfrozen@3", "unfrozen@3/no_decay"]
    assert got.trainer["epoch"] == 4 and len(got.trainer["history"]) == 4
    # the optimizer restarted: its step counter counts only the 3 steps of epoch 4
    assert float(got.optimizer_arrays["head.weight/step"]) == 3.0
    assert not (weights["head.weight"] == got.weights["head.weight"]).all()


def test_resume_usage_errors(capsys, tiny, tmp_path):
    code, _, err = run(capsys, "train", "-c", tiny, "--resume-weights-only")
    assert code == 2 and "--resume-weights-only: needs --resume PATH" in err
    code, _, err = run(capsys, "train", "-c", tiny, "--resume", str(tmp_path))
    assert code == 2 and f"{tmp_path}: no checkpoint here" in err
    code, _, err = run(capsys, "train", "-c", tiny, "--resume", str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json: checkpoint not found" in err
    assert run(capsys, "train", "-c", tiny, "-q", "--set", "trainer.epochs=3")[0] == 0
    weights = str(tmp_path / "run" / "checkpoints" / "last.safetensors")
    os.rename(str(tmp_path / "run" / "checkpoints" / "last.json"), str(tmp_path / "x.json"))
    code, _, err = run(capsys, "train", "-c", tiny, "--resume", weights)
    assert code == 2 and "a weights file without its checkpoint state (last.json)" in err
    code, _, err = run(capsys, "train", "-c", tiny, "--resume", "x", "--checkpoint", weights)
    assert code == 2 and "cannot be combined with --checkpoint" in err
