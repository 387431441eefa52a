"""Checkpoints move both ways between minitorch_ft.save/load and safetensors.torch."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn
from tests.parity.helpers import torch

st = pytest.importorskip("safetensors.torch")
tnn = torch.nn


def build(lib_nn):
    return lib_nn.Sequential(
        lib_nn.Embedding(6, 4),
        lib_nn.Flatten(),
        lib_nn.Linear(12, 8),
        lib_nn.BatchNorm1d(8),
        lib_nn.ReLU(),
        lib_nn.LayerNorm(8),
        lib_nn.Linear(8, 3),
    )


IDX = np.array([[0, 1, 5], [2, 2, 3], [4, 0, 1], [5, 5, 5]])


def test_saved_here_loads_into_torch(tmp_path):
    ours = build(nn)
    ours.train()(mt.tensor(IDX))  # move the running stats away from their defaults
    ours.eval()
    path = tmp_path / "ours.safetensors"
    mt.save(ours.state_dict(), path)
    theirs = build(tnn).eval()
    result = theirs.load_state_dict(st.load_file(str(path)))
    assert not result.missing_keys and not result.unexpected_keys
    np.testing.assert_allclose(
        ours(mt.tensor(IDX)).detach().numpy(),
        theirs(torch.tensor(IDX)).detach().numpy(),
        rtol=1e-4,
        atol=1e-5,
    )
    assert theirs[3].num_batches_tracked.item() == 1


def test_saved_by_torch_loads_here(tmp_path):
    torch.manual_seed(0)
    theirs = build(tnn)
    theirs.train()(torch.tensor(IDX))
    theirs.eval()
    path = tmp_path / "theirs.safetensors"
    st.save_file({k: v.contiguous() for k, v in theirs.state_dict().items()}, str(path))
    ours = build(nn).eval()
    state = mt.load(path)
    assert sorted(state) == sorted(theirs.state_dict())
    assert ours.load_state_dict(state).missing_keys == []
    np.testing.assert_allclose(
        ours(mt.tensor(IDX)).detach().numpy(),
        theirs(torch.tensor(IDX)).detach().numpy(),
        rtol=1e-4,
        atol=1e-5,
    )


def test_dtypes_survive_both_ways(tmp_path):
    tensors = {
        "f64": mt.ones(2, dtype=mt.float64),
        "i64": mt.tensor(3),
        "b": mt.tensor([True]),
        "f16": mt.zeros(1, dtype=mt.float16),
    }
    mt.save(tensors, tmp_path / "d.safetensors")
    loaded = st.load_file(str(tmp_path / "d.safetensors"))
    assert {k: str(v.dtype) for k, v in loaded.items()} == {
        k: str(v.dtype) for k, v in tensors.items()
    }
    assert loaded["i64"].shape == torch.Size([])
