"""Audit regressions: arithmetic dtype edges, bool rules and broadcast errors match torch."""

import pytest

from .audit_helpers import assert_same

CASES = [
    # uint8 with an int64 0-d tensor stays uint8 (numpy refused the cast)
    "L.tensor([1, 2], dtype=L.uint8) * L.tensor(3)",
    "L.tensor(3) % L.tensor([1, 2], dtype=L.uint8)",
    "L.tensor([1, 2], dtype=L.uint8) ** L.tensor(3)",
    # out-of-range python ints wrap into the tensor's integer dtype
    "L.tensor([1, 2], dtype=L.uint8) + 300",
    "200 * L.tensor([1, 2], dtype=L.int8)",
    # a python bool in a subtraction is refused like a bool tensor
    "L.ones(2) - True",
    "True - L.tensor([1, 2])",
    # bool powers
    "L.tensor([True, False]) ** True",
    "L.tensor([True, False]) ** False",
    "L.tensor([True, False]) ** L.tensor(True)",
    "True ** L.tensor([True, False])",
    "L.tensor([True]) ** L.tensor([2])",
    # numpy scalar exponents are weak like python numbers
    "L.tensor([1, 2], dtype=L.int8) ** np.int64(3)",
    "L.tensor([1., 2.]) ** np.int64(3)",
    "np.float64(2) ** L.tensor([1., 2.])",
    # alpha
    "L.ones(3).sub(2, alpha=3)",
    "L.ones(3).add(2, alpha=0.5)",
    "L.ones(3, dtype=L.int64).add(L.ones(3, dtype=L.int64), alpha=2.5)",
    "L.ones(3, dtype=L.int64).add(2.0, alpha=2.5)",
    # broadcast errors name the first clashing dim
    "L.randn(2, 3) + L.randn(4)",
    "L.ones(2, 3) - L.ones(3, 2)",
    "L.ones(2, 3, 4) * L.ones(5, 4)",
    "L.ones(2, 3) / L.ones(2)",
    "L.ones(2, 3) ** L.ones(2)",
    "L.add(L.ones(2, 3), L.ones(2), alpha=2)",
]


@pytest.mark.parametrize("code", CASES)
def test_arithmetic_matches_torch(code):
    assert_same(code)
