"""Placeholder repr: replaced by the PyTorch-format printer."""

from __future__ import annotations

import numpy as np


def tensor_repr(t) -> str:
    body = np.array2string(t._data, precision=4, separator=", ", floatmode="fixed")
    suffix = ""
    if t.grad_fn is not None:
        suffix = f", grad_fn=<{t.grad_fn.name()}>"
    elif t._requires_grad:
        suffix = ", requires_grad=True"
    return f"tensor({body}{suffix})"
