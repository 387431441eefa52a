"""Gradchecks through the layer modules (float64), parameters included."""

from __future__ import annotations

import pytest

import minitorch_ft as mt
from minitorch_ft import nn
from tests.helpers import check_grad, leaf


def functional_call(module, names, values, x):
    """module(x) with its parameters swapped for `values` (which gradcheck perturbs)."""
    for name, value in zip(names, values, strict=True):
        owner, _, attr = name.rpartition(".")
        module.get_submodule(owner)._parameters[attr] = value
    return module(x)


@pytest.mark.parametrize(
    "make,shape",
    [
        (lambda: nn.Linear(3, 2), (4, 3)),
        (lambda: nn.LayerNorm(3), (4, 3)),
        (lambda: nn.BatchNorm1d(3), (4, 3)),
        (lambda: nn.BatchNorm1d(2).eval(), (3, 2, 2)),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)), (5, 3)),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.LayerNorm(4), nn.SiLU()), (2, 3)),
        (lambda: nn.Sequential(nn.Flatten(), nn.Linear(6, 2), nn.LogSoftmax(dim=1)), (2, 2, 3)),
    ],
)
def test_module_gradients_wrt_input_and_parameters(make, shape):
    mt.manual_seed(0)
    module = make().double()
    names = [n for n, _ in module.named_parameters()]
    copies = [mt.tensor(p.detach().numpy(), requires_grad=True) for p in module.parameters()]
    check_grad(lambda x, *ps: functional_call(module, names, ps, x), leaf(shape, 1), *copies)


def test_embedding_module_gradient():
    emb = nn.Embedding(5, 3).double()  # (padding_idx rows get no gradient by design)
    idx = mt.tensor([[0, 1, 4], [4, 4, 2]])

    weight = mt.tensor(emb.weight.detach().numpy(), requires_grad=True)
    check_grad(lambda w: functional_call(emb, ["weight"], [w], idx), weight)
