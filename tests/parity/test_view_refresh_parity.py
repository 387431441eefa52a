"""A view taken before an in-place change of its base (or of another view of the same
base) reads the new values, so its gradient follows the new history, as in PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import torch

CASES = {
    "base mul_ after slice and t()": "v = y[:2]; t = y.t(); y.mul_(2); r = v.sum() + (t * t).sum()",
    "write through one view": "v1 = y[:2]; v2 = y[1:3]; v1.mul_(3); r = (v2 * v2).sum()",
    "setitem on base": "v = y[0]; y[1:] = 5.0; r = (v * y[2]).sum()",
    "view of a view": "v = y[1:].view(-1); w = v[:2]; y.add_(1); r = (w * w).sum()",
    "exp_ on base": "v = y[:, 1]; y.exp_(); r = (v * 3).sum()",
    "unchanged: no in-place": "v = y[:2]; r = (v * v).sum()",
}


@pytest.mark.parametrize("code", CASES.values(), ids=CASES.keys())
def test_views_follow_an_in_place_change_of_their_base(code):
    data = np.random.default_rng(0).standard_normal((4, 3))
    grads, names = [], []
    for lib in (mt, torch):
        x = lib.tensor(data, requires_grad=True)
        scope = {"y": x * 1}
        exec(code, scope)
        scope["r"].backward()
        grads.append(x.grad.numpy())
        names.append(scope["r"].grad_fn.name())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)
    assert names[0] == names[1]


def test_refreshed_view_is_named_as_strided():
    for lib in (mt, torch):
        y = lib.ones(4, requires_grad=True) * 1
        v = y[:2]
        y.mul_(2)
        assert v.grad_fn.name() == "AsStridedBackward0", lib
