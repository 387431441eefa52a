"""Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict behave like torch's."""

from __future__ import annotations

from collections import OrderedDict

import pytest

import minitorch_ft as mt
from minitorch_ft import nn


def test_sequential_indexing_slicing_and_forward():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3 and seq[0] is a and seq[-1] is c
    sliced = seq[1:]
    assert isinstance(sliced, nn.Sequential) and list(sliced._modules) == ["1", "2"]
    assert seq(mt.ones(4, 2)).shape == (4, 1)
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    assert list(iter(seq)) == [a, b, c]


def test_sequential_mutation_keeps_numbering():
    seq = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.Sigmoid())
    del seq[0]
    assert list(seq._modules) == ["0", "1"] and isinstance(seq[0], nn.Tanh)
    assert seq.append(nn.ReLU()) is seq and list(seq._modules) == ["0", "1", "2"]
    seq.insert(0, nn.Identity())
    assert isinstance(seq[0], nn.Identity) and len(seq) == 4
    seq[1] = nn.GELU()
    assert isinstance(seq[1], nn.GELU)
    popped = seq.pop(1)
    assert isinstance(popped, nn.GELU) and len(seq) == 3
    seq.extend([nn.ReLU()])
    assert len(seq + nn.Sequential(nn.ReLU())) == 5
    assert len(seq * 2) == 8


def test_sequential_from_ordered_dict_keeps_names():
    seq = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.ReLU())]))
    assert list(seq.state_dict()) == ["fc.weight", "fc.bias"]
    assert seq.fc is seq[0]


def test_module_list():
    layers = nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    assert isinstance(layers[1:], nn.ModuleList) and len(layers[1:]) == 2
    layers.append(nn.ReLU())
    layers += [nn.Tanh()]
    del layers[0]
    assert list(layers._modules) == ["0", "1", "2", "3"]
    layers.insert(1, nn.Sigmoid())
    assert isinstance(layers[1], nn.Sigmoid)
    with pytest.raises(IndexError, match="index 9 is out of range"):
        layers[9]
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable"):
        layers.extend(3)


def test_module_dict():
    d = nn.ModuleDict({"a": nn.Linear(1, 1), "b": nn.ReLU()})
    assert list(d) == ["a", "b"] and "a" in d and len(d) == 2
    d["c"] = nn.Tanh()
    assert list(d.keys()) == ["a", "b", "c"]
    assert isinstance(d.pop("b"), nn.ReLU) and list(d) == ["a", "c"]
    d.update([("e", nn.Identity())])
    assert list(d.state_dict()) == ["a.weight", "a.bias"]
    d.clear()
    assert len(d) == 0


def test_parameter_list_and_dict():
    plist = nn.ParameterList([mt.ones(2), nn.Parameter(mt.zeros(3))])
    assert all(isinstance(p, nn.Parameter) for p in plist)
    assert [n for n, _ in plist.named_parameters()] == ["0", "1"]
    plist.append(mt.ones(1))
    assert len(plist) == 3
    pdict = nn.ParameterDict({"b": mt.ones(1), "a": mt.ones(2)})
    assert list(pdict) == ["a", "b"]  # PyTorch sorts the keys of a plain dict
    pdict["c"] = mt.zeros(1)
    assert isinstance(pdict["c"], nn.Parameter) and list(pdict.state_dict()) == ["a", "b", "c"]
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        plist()
