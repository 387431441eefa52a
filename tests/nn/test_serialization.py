"""minitorch_ft.save / load: safetensors round trips, atomic writes and clear errors."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn
from minitorch_ft.serialization import SerializationError, load_metadata


def model() -> nn.Module:
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


def test_roundtrip_keeps_keys_order_dtypes_and_values(tmp_path):
    src = model()
    src.train()(mt.randn(5, 3))  # non-trivial running stats
    path = tmp_path / "m.safetensors"
    mt.save(src.state_dict(), path)
    loaded = mt.load(path)
    assert list(loaded) == list(src.state_dict())
    for key, value in src.state_dict().items():
        assert loaded[key].dtype == value.dtype and loaded[key].shape == value.shape
        np.testing.assert_array_equal(loaded[key].numpy(), value.numpy())
    dst = model()
    dst.load_state_dict(loaded)
    x = mt.randn(4, 3)
    np.testing.assert_array_equal(src.eval()(x).detach().numpy(), dst.eval()(x).detach().numpy())


def test_loaded_tensors_are_writable_leaves(tmp_path):
    mt.save({"a": mt.ones(2, dtype=mt.float64), "flag": mt.tensor([True, False])}, tmp_path / "x")
    loaded = mt.load(str(tmp_path / "x"))
    loaded["a"].numpy()[0] = 3.0
    assert not loaded["a"].requires_grad and loaded["flag"].dtype == mt.bool


def test_atomic_write_leaves_no_temp_files_and_replaces(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    mt.save({"w": mt.zeros(2)}, path)
    mt.save({"w": mt.ones(3)}, path)
    assert os.listdir(tmp_path) == ["ckpt.safetensors"]
    assert mt.load(path)["w"].tolist() == [1.0, 1.0, 1.0]


def test_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    mt.save({"w": mt.zeros(2)}, path)
    with pytest.raises(TypeError, match=r"obj\['step'\] is a object"):
        mt.save({"w": mt.ones(2), "step": object()}, path)
    assert mt.load(path)["w"].tolist() == [0.0, 0.0]
    assert os.listdir(tmp_path) == ["ckpt.safetensors"]


def test_type_errors():
    with pytest.raises(TypeError, match="save model.state_dict"):
        mt.save(nn.Linear(1, 1), "unused")
    with pytest.raises(TypeError, match="metadata must map str to str"):
        mt.save({"a": mt.ones(1)}, "unused", metadata={"epoch": 3})


def test_metadata(tmp_path):
    mt.save({"a": mt.ones(1)}, tmp_path / "m", metadata={"epoch": "3"})
    assert load_metadata(tmp_path / "m") == {"epoch": "3"}


def test_file_objects():
    buffer = io.BytesIO()
    mt.save({"a": mt.arange(3)}, buffer)
    buffer.seek(0)
    assert mt.load(buffer)["a"].tolist() == [0, 1, 2]


@pytest.mark.parametrize("content", [b"", b"not a safetensors file at all", None])
def test_bad_files_name_the_file(tmp_path, content):
    path = tmp_path / "bad.safetensors"
    if content is None:  # a truncated real file
        mt.save({"a": mt.ones(100)}, path)
        content = path.read_bytes()[:-50]
    path.write_bytes(content)
    with pytest.raises(SerializationError, match="bad.safetensors") as info:
        mt.load(path)
    assert isinstance(info.value, RuntimeError)


def test_missing_file():
    with pytest.raises(FileNotFoundError):
        mt.load("/nonexistent/dir/x.safetensors")
