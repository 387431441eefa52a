"""End-to-end CLI runs in tmp_path: exit codes, messages, run files, fine-tuning works."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import safetensors.numpy

from minitorch_ft.training import cli

from .conftest import ROOT


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def summary(folder):
    with open(os.path.join(folder, "summary.json")) as f:
        return json.load(f)


def test_train_writes_the_run_directory(capsys, small, tmp_path):
    code, out, err = run(capsys, "train", "--config", small)
    assert code == 0, err
    assert "trainable params: 65 || all params: 5,569 || trainable%: 1.1672" in out
    assert "skipped (shape mismatch): head.weight: file (8, 64) vs model (1, 64)" in out
    assert (
        "norm layers kept in eval mode (running statistics fixed): backbone.bn1, backbone.bn2"
        in out
    )
    assert "frozen check: 8 frozen parameters and 6 buffers" in out
    folder = tmp_path / "run"
    assert sorted(os.listdir(folder)) == [
        "checkpoints",
        "config.yaml",
        "metrics.jsonl",
        "summary.json",
    ]
    lines = (folder / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in lines] == list(range(1, 7))
    assert "val_auc" in json.loads(lines[2]) and "val_auc" not in json.loads(lines[1])
    s = summary(folder)
    assert s["status"] == "completed" and s["frozen_check"]["verified"]
    assert s["frozen_check"]["changed"] == [] and len(s["frozen_check"]["frozen_parameters"]) == 8
    assert {"total_s", "train_s", "eval_s", "epoch_s"} <= set(s["timings"])
    assert "freeze:\n  patterns:\n  - backbone" in (folder / "config.yaml").read_text()
    assert err == ""  # no bars: stderr is not a terminal


def test_frozen_parameters_identical_and_absent_from_optimizer(capsys, small, tmp_path):
    assert run(capsys, "train", "--config", small)[0] == 0
    ckpt = tmp_path / "run" / "checkpoints"
    weights = safetensors.numpy.load_file(str(ckpt / "last.safetensors"))
    pretrained = safetensors.numpy.load_file(
        os.path.join(ROOT, "minitorch_ft", "assets", "pretrained_mlp.safetensors")
    )
    for key, value in weights.items():
        if key.startswith("backbone"):  # weights and batch-norm statistics alike
            assert value.tobytes() == pretrained[key].tobytes(), key
    state = json.loads((ckpt / "last.json").read_text())
    held = [n for g in state["optimizer"]["param_groups"] for n in g["param_names"]]
    assert sorted(held) == ["head.bias", "head.weight"]
    assert not any(
        k.startswith("backbone")
        for k in safetensors.numpy.load_file(str(ckpt / state["files"]["optimizer"]))
    )
    assert state["trainer"]["frozen"][0] == "backbone.fc1.weight"


def test_fine_tuning_beats_a_random_frozen_backbone(capsys, small, tmp_path):
    common = [
        "train",
        "--config",
        small,
        "--quiet",
        "--set",
        "trainer.epochs=20",
        "--set",
        "trainer.eval_every=20",
    ]
    assert run(capsys, *common)[0] == 0
    pretrained = summary(tmp_path / "run")["final"]
    assert (
        run(
            capsys,
            *common,
            "--set",
            f"output.dir={tmp_path / 'random'}",
            "--set",
            "model.init_from=null",
        )[0]
        == 0
    )
    random = summary(tmp_path / "random")["final"]
    assert pretrained["val_accuracy"] > random["val_accuracy"] + 0.1
    assert pretrained["val_auc"] > 0.85 > random["val_auc"]


def test_same_seed_twice_bit_identical(capsys, write, tmp_path):
    cfg = write(
        "full.yaml",
        f"""
base: {os.path.join(ROOT, "configs", "finetune.yaml")}
freeze: {{patterns: []}}
model: {{args: {{dropout: 0.2}}}}
data: {{n_val: 50}}
trainer: {{epochs: 3, progress: false}}
""",
    )
    for name in ("a", "b"):
        assert (
            run(
                capsys,
                "train",
                "--config",
                cfg,
                "--quiet",
                "--set",
                f"output.dir={tmp_path / name}",
            )[0]
            == 0
        )
    a = (tmp_path / "a" / "checkpoints" / "last.safetensors").read_bytes()
    b = (tmp_path / "b" / "checkpoints" / "last.safetensors").read_bytes()
    assert a == b
    assert (
        run(
            capsys,
            "train",
            "--config",
            cfg,
            "--quiet",
            "--set",
            "seed=1",
            "--set",
            f"output.dir={tmp_path / 'c'}",
        )[0]
        == 0
    )
    assert (tmp_path / "c" / "checkpoints" / "last.safetensors").read_bytes() != a


def test_dry_run_print_config_and_quiet(capsys, small, tmp_path):
    code, out, _ = run(capsys, "train", "--config", small, "--dry-run")
    assert code == 0 and "trainable params: 65" in out and "dry run" in out
    assert not (tmp_path / "run").exists()
    code, out, _ = run(
        capsys, "train", "--config", small, "--print-config", "--set", "optimizer.lr=0.5"
    )
    assert code == 0 and "  lr: 0.5\n" in out and "base:" not in out
    code, out, _ = run(capsys, "train", "--config", small, "--quiet")
    assert code == 0 and out.count("\n") == 1 and out.startswith("run directory:")


def test_eval_only_and_evaluate(capsys, small, tmp_path):
    assert run(capsys, "train", "--config", small, "--quiet")[0] == 0
    trained = summary(tmp_path / "run")["final"]
    out_dir = tmp_path / "eval"
    code, out, err = run(
        capsys,
        "evaluate",
        "--config",
        small,
        "--checkpoint",
        str(tmp_path / "run"),
        "--predictions",
        "--set",
        f"output.dir={out_dir}",
    )
    assert code == 0, err
    metrics = json.loads((out_dir / "eval_metrics.json").read_text())
    best = summary(tmp_path / "run")["best"]
    assert best["monitor"] == "val_auc" and metrics["val_auc"] == pytest.approx(best["value"])
    rows = (out_dir / "predictions.csv").read_text().splitlines()
    assert rows[0] == "index,target,prediction,probability" and len(rows) == 301
    code, out, _ = run(
        capsys,
        "train",
        "--config",
        small,
        "--eval-only",
        "--checkpoint",
        str(tmp_path / "run" / "checkpoints" / "last.json"),
        "--set",
        f"output.dir={tmp_path / 'eval2'}",
    )
    assert code == 0 and f"val_auc        {trained['val_auc']:.4f}" in out


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--set", "optimizer.lr=fast"], "--set: optimizer.lr: expected a number > 0, got 'fast'"),
        (
            ["--set", "freeze.patterns=[backbon]"],
            "freeze.patterns[0]: pattern 'backbon' matches no parameter (did you mean 'backbone'?)",
        ),
        (["--set", "freeze.unfreeze=[nothing]"], "freeze.unfreeze[0]: pattern 'nothing' matches"),
        (
            ["--set", "optimizer.param_groups=[{params: [hed], lr: 0.1}]"],
            "optimizer.param_groups[0].params[0]: pattern 'hed' matches no parameter",
        ),
        (
            ["--set", "freeze.schedule=[{epoch: 2, unfreeze: [head]}]"],
            "freeze.schedule[0].unfreeze: selects only parameters that are already trainable",
        ),
        (["--set", "freeze.patterns=['*']"], "every parameter is frozen: nothing to train"),
        (["--set", "model.init_strict=true"], "does not fit the model (2 mismatched keys"),
        (["--set", "model.args.out_features=3"], "bce_with_logits needs one value per example"),
        (["--set", "model.args.in_features=5"], "the model cannot take inputs of 16 features"),
        (["--set", "model.args.hiden=[3]"], "model.args.hiden: unknown argument"),
        (["--set", "data.batch_size=63", "--set", "freeze.patterns=[]"], "give a batch of 1"),
        (
            ["--set", "loss.name=mse", "--set", "output.monitor=val_mse"],
            "toy_target is a classification task",
        ),
        (["--set", "data.name=toy_source"], "toy_source has 8 classes"),
        (["--set", "output.monitor=val_mse"], "output.monitor: expected one of"),
        (["--set", "model.target=nowhere.mod:fn"], "model.target: cannot import 'nowhere.mod'"),
        (["--nope"], "unrecognized arguments: --nope"),
        (["--set", "x"], "--set: expected KEY=VALUE, got 'x'"),
        (["--checkpoint", "/no/such/file"], "--checkpoint: file not found: /no/such/file"),
    ],
)
def test_config_errors_exit_2_without_traceback(capsys, small, extra, message):
    code, out, err = run(capsys, "train", "--config", small, *extra)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_several_problems_in_one_message(capsys, small):
    code, _, err = run(
        capsys,
        "train",
        "--config",
        small,
        "--set",
        "freeze.patterns=[a, b]",
        "--set",
        "optimizer.param_groups=[{params: [c]}]",
    )
    assert code == 2 and err.startswith("minitorch-ft: error: 3 problems:")
    assert err.count("matches no parameter") == 3


def test_existing_run_directory_and_usage(capsys, small):
    assert run(capsys, "train", "--config", small, "--quiet")[0] == 0
    code, _, err = run(capsys, "train", "--config", small)
    assert code == 2 and "already holds a run" in err and "output.overwrite" in err
    assert (
        run(capsys, "train", "--config", small, "--quiet", "--set", "output.overwrite=true")[0] == 0
    )
    code, _, err = run(capsys)
    assert code == 2 and "usage:" in err
    code, _, err = run(
        capsys,
        "evaluate",
        "--config",
        small,
        "--checkpoint",
        os.path.dirname(small) + "/run",
        "--set",
        "output.overwrite=true",
    )
    assert code == 2 and "holds a training run; an evaluation writes its own files" in err
    assert os.path.exists(os.path.dirname(small) + "/run/checkpoints/last.safetensors")


def test_csv_data_end_to_end(capsys, write, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    rows = "".join(f"{a:.4f},{b:.4f},{c:.4f},{t}\n" for (a, b, c), t in zip(x, y, strict=True))
    write("data.csv", "f1,f2,f3,label\n" + rows)
    cfg = write(
        "csv.yaml",
        f"""
model: {{args: {{in_features: 3, hidden: [8], out_features: 2}}}}
data: {{name: csv, path: data.csv, target: label, val_fraction: 0.25, batch_size: 16}}
optimizer: {{lr: 0.05}}
trainer: {{epochs: 15, progress: false}}
output: {{dir: {tmp_path / "csvrun"}, monitor: val_accuracy}}
""",
    )
    code, _, err = run(capsys, "train", "--config", cfg, "--quiet")
    assert code == 0, err
    s = summary(tmp_path / "csvrun")
    assert s["data"] == {"n_train": 90, "n_val": 30, "features": 3} and s["task"] == "binary"
    assert s["final"]["val_accuracy"] > 0.8
    write("data.csv", "f1,f2,f3,label\n1,2,3,0\n1,zz,3,1\n")
    code, _, err = run(capsys, "train", "--config", cfg)
    assert code == 2 and "data.csv: row 3, column 'f2': not a number: 'zz'" in err


def test_module_and_console_script(tmp_path):
    env = {**os.environ, "PYTHONPATH": ROOT}
    bad = tmp_path / "bad.yaml"
    bad.write_text("optimizer:\n  lr: -1\n")
    for cmd in (
        [sys.executable, "-m", "minitorch_ft"],
        [sys.executable, os.path.join(ROOT, "scripts", "train.py")],
    ):
        argv = cmd + (["train"] if "-m" in cmd else []) + ["--config", str(bad)]
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert "bad.yaml: optimizer.lr: expected a number > 0, got -1" in proc.stderr
        assert "Traceback" not in proc.stderr
    script = os.path.join(os.path.dirname(sys.executable), "minitorch-ft")
    if os.path.exists(script):
        proc = subprocess.run([script, "train", "--help"], capture_output=True, text=True)
        assert proc.returncode == 0 and "--dry-run" in proc.stdout


def test_eval_only_command_builds_no_graph(capsys, small, tmp_path, monkeypatch):
    from .test_trainer import count_nodes

    counter = count_nodes(monkeypatch)
    code, _, err = run(
        capsys, "train", "--config", small, "--eval-only", "--set", f"output.dir={tmp_path / 'ev'}"
    )
    assert code == 0, err
    assert counter["n"] == 0
    assert run(capsys, "train", "--config", small, "--quiet")[0] == 0
    assert counter["n"] > 0  # the same counter sees training build graphs


def test_monitor_the_model_cannot_give_exits_2(capsys, small):
    # regression: an 8-class model passed with monitor val_auc (binary only): no best checkpoint
    # was ever saved and early stopping never fired, without a word
    eight_classes = ["data.name=toy_source", "loss.name=cross_entropy", "model.init_from=null"]
    eight_classes += ["model.args.out_features=8", "output.monitor=val_auc"]
    code, out, err = run(capsys, "train", "--config", small, *_sets(eight_classes))
    assert code == 2 and out == ""
    assert "output.monitor: this multiclass model gives no val_auc" in err
    assert "val_loss, val_accuracy" in err


def _sets(assignments):
    return [arg for a in assignments for arg in ("--set", a)]
