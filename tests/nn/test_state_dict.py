"""state_dict keys and aliasing; load_state_dict's strictness, errors and return value."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn


def mlp() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


def test_keys_order_and_detached_aliases():
    model = mlp()
    sd = model.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
        "3.weight",
        "3.bias",
    ]
    assert not sd["0.weight"].requires_grad
    sd["0.weight"].numpy()[0, 0] = 42.0  # shares memory with the parameter
    assert model[0].weight.detach().numpy()[0, 0] == 42.0
    assert model.state_dict(keep_vars=True)["0.weight"] is model[0].weight
    assert list(model.state_dict(prefix="m."))[0] == "m.0.weight"
    assert sd._metadata[""] == {"version": 1} and sd._metadata["1"] == {"version": 2}


def test_roundtrip_copies_values_in_place():
    src, dst = mlp(), mlp()
    weight = dst[0].weight
    version = weight._version
    result = dst.load_state_dict(src.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    assert dst[0].weight is weight and weight._version > version
    for (k, a), b in zip(src.state_dict().items(), dst.state_dict().values(), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=k)


def test_strict_error_lists_everything_at_once():
    model = nn.Linear(2, 3)
    bad = {"weight": mt.zeros(3, 3), "extra": mt.zeros(1)}
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(bad)
    assert str(info.value) == (
        "Error(s) in loading state_dict for Linear:\n\t"
        'Missing key(s) in state_dict: "bias". \n\t'
        'Unexpected key(s) in state_dict: "extra". \n\t'
        "size mismatch for weight: copying a param with shape torch.Size([3, 3]) from "
        "checkpoint, the shape in current model is torch.Size([3, 2])."
    )


def test_non_strict_returns_named_tuple():
    model = nn.Sequential(nn.Linear(2, 3))
    result = model.load_state_dict({"0.weight": mt.zeros(3, 2), "0.x.y": mt.zeros(1)}, strict=False)
    assert result == (["0.bias"], ["0.x.y"])
    assert result.missing_keys == ["0.bias"] and result.unexpected_keys == ["0.x.y"]
    assert repr(result) == "_IncompatibleKeys(missing_keys=['0.bias'], unexpected_keys=['0.x.y'])"
    assert not model[0].weight.detach().numpy().any()


def test_size_mismatch_raises_even_when_not_strict():
    with pytest.raises(RuntimeError, match="size mismatch for bias"):
        nn.Linear(2, 3).load_state_dict({"bias": mt.zeros(4)}, strict=False)


def test_non_tensor_value_and_non_mapping():
    with pytest.raises(RuntimeError, match='While copying the parameter named "bias"'):
        nn.Linear(2, 3).load_state_dict({"weight": mt.zeros(3, 2), "bias": [0, 0, 0]})
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        nn.Linear(2, 3).load_state_dict([1, 2])


def test_non_persistent_buffers_are_neither_saved_nor_expected():
    m = nn.Module()
    m.register_buffer("keep", mt.ones(2))
    m.register_buffer("tmp", mt.ones(2), persistent=False)
    assert list(m.state_dict()) == ["keep"]
    m.load_state_dict({"keep": mt.zeros(2)})
    assert m.keep.tolist() == [0.0, 0.0]


def test_dtype_cast_on_copy():
    model = nn.Linear(2, 1)
    model.load_state_dict({"weight": mt.ones(1, 2, dtype=mt.float64), "bias": mt.zeros(1)})
    assert model.weight.dtype == mt.float32 and model.weight.tolist() == [[1.0, 1.0]]


def test_assign_adopts_tensors_as_parameters():
    model = nn.Linear(2, 1)
    new_w = mt.ones(1, 2, dtype=mt.float64)
    model.load_state_dict({"weight": new_w, "bias": mt.zeros(1)}, assign=True)
    assert isinstance(model.weight, nn.Parameter) and model.weight.dtype == mt.float64
    assert model.weight.requires_grad


def test_batchnorm_without_num_batches_tracked_loads():
    bn = nn.BatchNorm1d(3)
    sd = {k: v for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
    assert bn.load_state_dict(sd).missing_keys == []


def test_state_dict_hooks_and_extra_state():
    class WithExtra(nn.Module):
        def __init__(self):
            super().__init__()
            self.value = 0

        def get_extra_state(self):
            return mt.tensor([self.value])

        def set_extra_state(self, state):
            self.value = int(state.item())

    m = WithExtra()
    m.value = 7
    sd = m.state_dict()
    assert list(sd) == ["_extra_state"]
    other = WithExtra()
    other.load_state_dict(sd)
    assert other.value == 7
    seen = []
    handle = m.register_state_dict_post_hook(lambda mod, d, prefix, meta: seen.append(prefix))
    m.register_load_state_dict_post_hook(lambda mod, keys: seen.append(keys.missing_keys))
    m.state_dict()
    m.load_state_dict(sd)
    handle.remove()
    m.state_dict()
    assert seen == ["", []]
