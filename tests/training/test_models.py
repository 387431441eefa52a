"""Model registry, user builders and pretrained weights (strict and not)."""

import hashlib
import json
import sys

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn
from minitorch_ft.training.checkpoint import save_weights
from minitorch_ft.training.models import BuildError, build_model, load_pretrained, mlp

from .conftest import PRETRAINED


def test_mlp_structure_and_options():
    m = mlp(in_features=3, hidden=[4], out_features=2, activation="tanh", dropout=0.5)
    assert [n for n, _ in m.named_children()] == ["backbone", "head"]
    assert [n for n, _ in m.backbone.named_children()] == ["fc1", "act1", "drop1"]
    assert isinstance(m.backbone.act1, nn.Tanh) and m(mt.zeros(5, 3)).shape == (5, 2)


@pytest.mark.parametrize(
    "args,key,message",
    [
        ({"hiden": [3]}, "model.args.hiden", "unknown argument (did you mean 'hidden'?)"),
        ({"activation": "relux"}, "model.args", "did you mean 'relu'?"),
        ({"hidden": []}, "model.args", "non-empty list"),
        ({"dropout": 1.5}, "model.args", "dropout: expected a number in [0, 1)"),
        ({"in_features": 0}, "model.args", "in_features: expected an integer"),
    ],
)
def test_bad_mlp_args(args, key, message):
    with pytest.raises(BuildError) as info:
        build_model("mlp", None, args)
    assert info.value.key == key and message in str(info.value)


def test_unknown_registry_name():
    with pytest.raises(BuildError, match="unknown model 'mpl' \\(did you mean 'mlp'\\?\\)"):
        build_model("mpl", None, {})


def test_user_target_builder(tmp_path, monkeypatch):
    (tmp_path / "my_models.py").write_text(
        "from minitorch_ft import nn\n"
        "from minitorch_ft.training import BackboneHead\n"
        "def tiny(width=3):\n"
        "    return BackboneHead(nn.Sequential(nn.Linear(16, width), nn.ReLU()),\n"
        "                        nn.Linear(width, 2))\n"
        "def not_a_model():\n"
        "    return 3\n"
    )
    monkeypatch.chdir(tmp_path)
    try:
        model = build_model("ignored", "my_models:tiny", {"width": 5})
        assert model.head.weight.shape == (2, 5)
        with pytest.raises(BuildError, match="returned int, not an nn.Module"):
            build_model("mlp", "my_models:not_a_model", {})
        with pytest.raises(BuildError, match="has no function 'nope'"):
            build_model("mlp", "my_models:nope", {})
    finally:
        sys.modules.pop("my_models", None)
    with pytest.raises(BuildError, match="cannot import 'no_such_pkg.mod'"):
        build_model("mlp", "no_such_pkg.mod:f", {})


def test_load_pretrained_strict_and_partial(tmp_path):
    src = mlp(in_features=4, hidden=[3], out_features=5)
    path = str(tmp_path / "w.safetensors")
    save_weights(path, src.state_dict())
    same = mlp(in_features=4, hidden=[3], out_features=5)
    report = load_pretrained(same, path)
    assert np.array_equal(same.head.weight.detach().numpy(), src.head.weight.detach().numpy())
    assert report["shape_mismatch"] == [] and len(report["loaded"]) == 4
    other = mlp(in_features=4, hidden=[3], out_features=1)
    with pytest.raises(BuildError) as info:
        load_pretrained(other, path, strict=True)
    assert "2 mismatched keys" in str(
        info.value
    ) and "head.weight: file (5, 3) vs model (1, 3)" in str(info.value)
    head_before = other.head.weight.detach().numpy().copy()
    report = load_pretrained(other, path, strict=False)
    assert report["loaded"] == ["backbone.fc1.weight", "backbone.fc1.bias"]
    assert np.array_equal(
        other.backbone.fc1.weight.detach().numpy(), src.backbone.fc1.weight.detach().numpy()
    )
    assert np.array_equal(other.head.weight.detach().numpy(), head_before)


def test_refuses_pickles_and_garbage(tmp_path):
    m = mlp()
    for name, data in [
        ("p.pt", b"\x80\x04\x95garbage"),
        ("z.pt", b"PK\x03\x04zip"),
        ("junk.safetensors", b"\x05\x00\x00\x00\x00\x00\x00\x00{}"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(BuildError, match=str(path)):
            load_pretrained(m, str(path))


def test_shipped_pretrained_checkpoint_matches_its_description():
    with open(PRETRAINED, "rb") as f:
        data = f.read()
    with open(PRETRAINED.replace(".safetensors", ".json")) as f:
        info = json.load(f)
    assert hashlib.sha256(data).hexdigest() == info["sha256"]
    assert len(data) < 100_000
    model = mlp(**info["model"]["args"])
    report = load_pretrained(model, PRETRAINED, strict=True)
    assert len(report["loaded"]) == len(model.state_dict())
