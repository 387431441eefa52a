"""save/load beyond flat state dicts: checkpoint trees (torch's weights_only set), shared
tensors, dtypes, non-contiguous tensors."""

from __future__ import annotations

import io
from collections import OrderedDict

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn


def _trained(steps: int = 3, seed: int = 0):
    mt.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    opt = mt.optim.Adam(model.parameters(), lr=1e-2)
    sched = mt.optim.lr_scheduler.StepLR(opt, 2)
    for _ in range(steps):
        opt.zero_grad()
        model(mt.randn(5, 3)).pow(2).mean().backward()
        opt.step()
        sched.step()
    return model, opt, sched


def test_tutorial_checkpoint_dict_round_trips(tmp_path):
    model, opt, sched = _trained()
    path = tmp_path / "ckpt.pt"
    mt.save(
        {
            "epoch": 3,
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict(),
            "loss": 0.25,
            "history": [1.0, float("inf")],
            "note": None,
            "flags": (True, 2),
        },
        path,
    )
    ck = mt.load(path, weights_only=True)
    assert (ck["epoch"], ck["loss"], ck["history"], ck["note"], ck["flags"]) == (
        3,
        0.25,
        [1.0, float("inf")],
        None,
        (True, 2),
    )
    assert isinstance(ck["model"], OrderedDict) and list(ck["model"]) == list(model.state_dict())
    assert ck["model"]["1.num_batches_tracked"].dtype == mt.int64
    model2, opt2, sched2 = _trained(steps=0, seed=1)
    model2.load_state_dict(ck["model"])
    assert all(
        np.array_equal(x.numpy(), y.numpy())
        for x, y in zip(model.state_dict().values(), model2.state_dict().values(), strict=True)
    )
    opt2.load_state_dict(ck["optimizer"])
    sched2.load_state_dict(ck["scheduler"])
    assert opt2.state_dict()["param_groups"] == opt.state_dict()["param_groups"]
    assert list(opt2.state_dict()["state"]) == [0, 1, 2, 3, 4, 5]  # int keys survive
    for a, b in zip(
        opt.state_dict()["state"].values(), opt2.state_dict()["state"].values(), strict=True
    ):
        assert all(np.array_equal(a[k].numpy(), b[k].numpy()) for k in a)
    assert sched2.get_last_lr() == sched.get_last_lr()


def test_single_tensor_parameter_and_sharing_inside_trees():
    buf = io.BytesIO()
    shared = mt.arange(4.0)
    param = nn.Parameter(mt.ones(2))
    mt.save([shared, shared, {"again": shared}, param, mt.ones(1, requires_grad=True)], buf)
    buf.seek(0)
    a, b, d, p, g = mt.load(buf)
    assert a is b is d["again"] and a.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert isinstance(p, nn.Parameter) and p.requires_grad and g.requires_grad
    buf = io.BytesIO()
    mt.save(mt.tensor(7, dtype=mt.int32), buf)
    buf.seek(0)
    t = mt.load(buf)
    assert t.dtype == mt.int32 and t.shape == () and t.item() == 7


def test_flat_dict_with_shared_tensors_stores_independent_copies(tmp_path):
    base = mt.arange(12.0).reshape(3, 4)
    mt.save({"a": base, "b": base, "t": base.t(), "col": base[:, ::2]}, tmp_path / "s")
    out = mt.load(tmp_path / "s")
    out["a"][0, 0] = 100.0
    assert out["b"][0, 0].item() == 0.0  # loaded independently (documented choice)
    assert out["t"].tolist() == base.t().tolist() and out["col"].tolist() == base[:, ::2].tolist()


@pytest.mark.parametrize("dtype", ["float64", "float16", "int64", "int32", "uint8", "bool"])
def test_dtypes_round_trip_flat_and_tree(tmp_path, dtype):
    value = mt.tensor([0, 1, 1], dtype=getattr(mt, dtype))
    for obj in ({"x": value}, {"x": value, "n": 1}):
        mt.save(obj, tmp_path / "d")
        back = mt.load(tmp_path / "d")["x"]
        assert back.dtype == value.dtype and back.tolist() == value.tolist()


def test_unsupported_objects_name_their_place():
    with pytest.raises(TypeError, match=r"obj\['opt'\]\[1\] is a function"):
        mt.save({"opt": [1, lambda: 0]}, io.BytesIO())
