"""Evaluate one expression string under torch and minitorch_ft and compare the outcomes.

The expression names the library `L` (and `np`); the outcome is the value's dtype, shape,
values, requires_grad and grad_fn name, or the exception's type and first message line.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")


def _describe(value, lib):
    if isinstance(value, lib.Tensor):
        fn = value.grad_fn.name() if value.grad_fn is not None else None
        return (
            "tensor",
            str(value.dtype),
            tuple(value.shape),
            value.requires_grad,
            value.is_leaf,
            fn,
            value.detach().numpy().tolist(),
        )
    if isinstance(value, (tuple, list)):
        return (
            type(value).__name__ if type(value) in (tuple, list) else "seq",
            [_describe(v, lib) for v in value],
        )
    if isinstance(value, (bool, int, float, str, type(None))):
        return (type(value).__name__, value)
    return ("other", str(value))


def outcome(code: str, lib):
    """Run `code` (an expression, or statements that set `r`) with L = lib."""
    scope = {"L": lib, "np": np, "math": math}
    try:  # a malformed case is a bug in the test, never an outcome both libraries share
        compiled, is_expression = compile(code, "<case>", "eval"), True
    except SyntaxError:
        compiled, is_expression = compile(code, "<case>", "exec"), False
    try:
        if is_expression:
            value = eval(compiled, scope)
        else:
            exec(compiled, scope)
            value = scope["r"]
        return _describe(value, lib)
    except Exception as error:  # noqa: BLE001 - the exception is the outcome
        return ("raises", type(error).__name__, str(error).split("\n")[0])


def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_close, a, b))
    return type(a) is type(b) and a == b


def assert_same(code: str) -> None:
    want, got = outcome(code, torch), outcome(code, mt)
    assert _close(got, want), f"\n{code}\n torch: {want}\n mt:    {got}"
