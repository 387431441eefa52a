"""Audit regressions vs torch for Module/Parameter semantics."""

from __future__ import annotations

import copy

import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")


def test_deepcopy_drops_parameter_grads_like_torch():
    for lib in (mt, torch):
        model = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2))
        model[0].weight.grad = lib.ones(2, 2)
        clone = copy.deepcopy(model)
        assert clone[0].weight is not model[0].weight
        assert isinstance(clone[0].weight, lib.nn.Parameter) and clone[0].weight.requires_grad
        assert clone[0].weight.grad is None and model[0].weight.grad is not None
        frozen = lib.nn.Parameter(lib.ones(1), requires_grad=False)
        assert copy.deepcopy(frozen).requires_grad is False
