"""An op must not save an array that is a view of its output: an in-place change of the
output would then change the gradient unseen. Either the op saves the output itself (the
version check raises, as torch does when its node saves the result) or a separate array
(the gradient stays right, as torch's when its node saves no result)."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import torch

CASES = {
    "cosine_similarity": lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b),
    "cosine_similarity_dim0": lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, 0),
    "pairwise_distance": lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b),
    "pairwise_distance_keepdim": lambda lib, a, b: lib.nn.functional.pairwise_distance(
        a, b, keepdim=True
    ),
}


def _run(lib, fn):
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    w = lib.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    z = fn(lib, x * 1, w)
    z.mul_(1.5)
    try:
        z.sum().backward()
    except RuntimeError as err:
        return "raises", str(err).split(" is at version")[0]
    return x.grad.numpy(), w.grad.numpy()


@pytest.mark.parametrize("name", CASES)
def test_in_place_change_of_output_matches_torch(name):
    got, want = _run(mt, CASES[name]), _run(torch, CASES[name])
    if isinstance(want[0], str):  # torch's node saved its result: the version error
        assert got == want
        return
    assert not isinstance(got[0], str), got
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
