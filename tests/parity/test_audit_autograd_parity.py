"""Audit regressions: autograd state edges (second backward, pow at 0, data, detach_, type)."""

import pytest

from .audit_helpers import assert_same

CASES = [
    # a product with a number saves it: a second backward raises, retain_graph allows it
    "x = L.ones(2, requires_grad=True); y = (x * 2).sum(); y.backward(); y.backward()",
    "x = L.ones(2, requires_grad=True); y = (2 * x).sum(); y.backward(); y.backward()",
    "x = L.ones(2, requires_grad=True); y = (x * 2).sum(); y.backward(retain_graph=True); "
    "y.backward(); r = x.grad",
    "x = L.ones(2, requires_grad=True); y = (x + 1).sum(); y.backward(); y.backward(); r = x.grad",
    # the base's gradient of a ** b is 0 where b is 0, not nan
    "x = L.tensor([0., 1.], requires_grad=True); (x ** x).sum().backward(); r = x.grad",
    "x = L.tensor([0., 2.], requires_grad=True); (x ** L.tensor([0., 2.])).sum().backward(); "
    "r = x.grad",
    # .data of a tensor that requires grad must stay floating
    "x = L.ones(2, requires_grad=True); x.data = L.zeros(3, dtype=L.int64); r = x",
    "x = L.ones(2, requires_grad=True); x.data = L.zeros(3, dtype=L.float64); r = x",
    # views cannot be detached in place
    "x = L.ones(2, requires_grad=True); y = x[0]; y.detach_()",
    "x = L.ones(2); r = x.view(2).detach_()",
    "x = L.ones(2, requires_grad=True); y = x * 2; r = y.detach_()",
    # Tensor.type
    "L.ones(2).type()",
    "L.ones(2, dtype=L.int64).type()",
    "L.ones(2, dtype=L.bool).type()",
    "L.ones(2, dtype=L.uint8).type()",
    "L.ones(2, dtype=L.float64).type('torch.FloatTensor')",
    "L.ones(2, requires_grad=True).type(L.float64)",
    "L.ones(2).type(L.int32)",
    "L.ones(2).type('float')",
    # CPU-only devices
    "L.ones(2).cuda()",
    "L.ones(2).to('cuda')",
    "L.ones(2).to(device='cuda:0')",
    "L.ones(2).to('cpu', L.float64)",
]


@pytest.mark.parametrize("code", CASES)
def test_autograd_state_matches_torch(code):
    assert_same(code)
