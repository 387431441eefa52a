"""F.linear with the input, weight and bias ranks torch accepts beyond the usual 2-D batch
and 1-D bias: values, gradients, grad_fn names and error texts as in torch."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import check_grad
from tests.parity.helpers import torch

CASES = [
    ((2, 3), (4, 3), (2, 4)),
    ((2, 3), (4, 3), (2, 1)),
    ((2, 3), (4, 3), (1, 4)),
    ((2, 3), (4, 3), (3, 4)),
    ((2, 3), (4, 3), (1, 1, 4)),
    ((3,), (4, 3), (2, 4)),
    ((3,), (4, 3), (1, 4)),
    ((3,), (4, 3), (4,)),
    ((5, 2, 3), (4, 3), (2, 4)),
    ((5, 2, 3), (4, 3), (5, 2, 4)),
    ((5, 2, 3), (4, 3), (7, 5, 2, 4)),
    ((5, 2, 3), (4, 3), (3, 2, 4)),
    ((5, 2, 3), (4, 3), (4,)),
    ((3,), (3,), ()),
    ((3,), (3,), (1,)),
    ((2, 3), (3,), ()),
]


def _outcome(lib, arrays):
    tensors = [lib.tensor(a, requires_grad=True) for a in arrays]
    try:
        y = lib.nn.functional.linear(*tensors)
        y.sum().backward()
    except RuntimeError as err:
        return "raises", str(err)
    return y.grad_fn.name(), y.detach().numpy(), [t.grad.numpy() for t in tensors]


@pytest.mark.parametrize("shapes", CASES, ids=str)
def test_linear_bias_shapes_match_torch(shapes):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in shapes]
    got, want = _outcome(mt, arrays), _outcome(torch, arrays)
    assert got[0] == want[0]
    if got[0] == "raises":
        assert got[1] == want[1]
        return
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
    for g, w in zip(got[2], want[2], strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-12)


@pytest.mark.parametrize("bias_shape", [(2, 4), (2, 1), (1, 4)])
def test_matrix_bias_gradient_matches_finite_differences(bias_shape):
    rng = np.random.default_rng(1)
    x, w, b = (
        mt.tensor(rng.standard_normal(s), requires_grad=True) for s in ((2, 3), (4, 3), bias_shape)
    )
    check_grad(lambda x, w, b: mt.nn.functional.linear(x, w, b).sum(), x, w, b)
