"""Checkpoints: atomic writes, safetensors + JSON round trip, mismatches refused."""

import json
import os

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import optim
from minitorch_ft.training import atomic, checkpoint
from minitorch_ft.training.models import mlp


def trained():
    mt.manual_seed(0)
    model = mlp(in_features=3, hidden=[4], out_features=2, batch_norm=True)
    opt = optim.AdamW(
        [
            {
                "params": [p for _, p in model.named_parameters()],
                "param_names": [n for n, _ in model.named_parameters()],
                "lr": 0.1,
            }
        ]
    )
    sched = optim.lr_scheduler.StepLR(opt, step_size=2)
    loss = mt.nn.functional.cross_entropy(model(mt.randn(6, 3)), mt.tensor([0, 1, 0, 1, 1, 0]))
    loss.backward()
    opt.step()
    sched.step()
    return model, opt, sched


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    path = str(tmp_path / "a" / "f.json")
    atomic.write_json(path, {"x": 1})
    atomic.write_json(path, {"x": 2})
    assert json.load(open(path)) == {"x": 2}
    assert os.listdir(tmp_path / "a") == ["f.json"]
    with pytest.raises(ValueError):
        atomic.write_json(path, {"x": float("nan")})  # strict JSON: refused, old file kept
    assert json.load(open(path)) == {"x": 2} and os.listdir(tmp_path / "a") == ["f.json"]


def test_round_trip(tmp_path):
    model, opt, sched = trained()
    paths = checkpoint.save(str(tmp_path), "last", model, opt, sched, {"epoch": 1, "step": 1})
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["last.json", "last.safetensors"]
        + [os.path.basename(paths[k]) for k in ("weights", "optimizer")]
    )
    got = checkpoint.read(paths["json"])
    for k, v in model.state_dict().items():
        assert np.array_equal(got.weights[k], v.numpy()) and got.weights[k].shape == v.shape
    assert checkpoint.load_weights(str(tmp_path / "last.safetensors")).keys() == got.weights.keys()
    rec = got.record
    assert rec["trainer"] == {"epoch": 1, "step": 1}
    assert rec["optimizer"]["type"] == "AdamW"
    assert rec["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.999)  # a tuple again
    names = rec["optimizer"]["param_groups"][0]["param_names"]
    assert names[0] == "backbone.fc1.weight"
    exp_avg = opt.state[model.backbone.fc1.weight]["exp_avg"].numpy()
    assert np.array_equal(got.optimizer_arrays["backbone.fc1.weight/exp_avg"], exp_avg)
    assert rec["scheduler"]["type"] == "StepLR" and rec["scheduler"]["state"]["last_epoch"] == 1
    assert "pickle" not in open(paths["json"]).read()


def test_a_second_save_replaces_the_first_and_prunes_its_files(tmp_path):
    model, opt, sched = trained()
    first = checkpoint.save(str(tmp_path), "last", model, opt, sched, {"epoch": 1})
    second = checkpoint.save(str(tmp_path), "last", model, opt, sched, {"epoch": 2})
    assert first["weights"] != second["weights"]
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["last.json", "last.safetensors"]
        + [os.path.basename(second[k]) for k in ("weights", "optimizer")]
    )
    assert checkpoint.read(second["json"]).trainer == {"epoch": 2}


def test_mismatched_files_are_detected(tmp_path):
    model, opt, sched = trained()
    paths = checkpoint.save(str(tmp_path), "last", model, opt)
    with open(paths["weights"], "r+b") as f:
        f.seek(-1, 2)
        f.write(b"\x01")
    with pytest.raises(checkpoint.CheckpointError, match="sha256 differs"):
        checkpoint.read(paths["json"])
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(checkpoint.CheckpointError, match="bad.json"):
        checkpoint.read(str(tmp_path / "bad.json"))
    (tmp_path / "other.json").write_text("[1, 2]")
    with pytest.raises(checkpoint.CheckpointError, match="not a minitorch_ft checkpoint"):
        checkpoint.read(str(tmp_path / "other.json"))


def test_truncated_weights_refused(tmp_path):
    model, _, _ = trained()
    path = str(tmp_path / "w.safetensors")
    checkpoint.save_weights(path, model.state_dict())
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) // 2])
    with pytest.raises(checkpoint.CheckpointError, match="not a valid safetensors file"):
        checkpoint.load_weights(path)
