"""PyTorch's beginner tutorials and doc examples, ported by changing only the imports.

Each snippet in tests/ported_snippets/ runs once on torch and once on minitorch_ft; the
printouts must match: same text (reprs, grad_fn names, error messages, dtypes), numbers equal
up to print rounding. Data that tutorials download is replaced by small fixed arrays and all
weights come from numpy, so no random-number stream is compared.
"""

from __future__ import annotations

import pytest

from tests.parity.helpers import torch  # noqa: F401 - skips this module without torch
from tests.ported_snippets.runner import NAMES, run, same_output


@pytest.mark.parametrize("name", NAMES)
def test_snippet_prints_what_torch_prints(name):
    ours = run(name)
    theirs = run(name, torch_itself=True)
    assert theirs.strip(), "the snippet printed nothing under torch"
    problem = same_output(ours, theirs)
    assert problem is None, problem
