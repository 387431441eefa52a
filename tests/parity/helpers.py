"""Run the same code in minitorch_ft and torch and compare (skips when torch is absent)."""

from __future__ import annotations

import contextlib
import io
import re
import warnings

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")


def to_torch(t, requires_grad=None):
    array = t.detach().numpy().copy()
    out = torch.from_numpy(array)
    if requires_grad if requires_grad is not None else t.requires_grad:
        out.requires_grad_(True)
    return out


def compare(fn_mt, fn_torch, *arrays, requires_grad=True, rtol=1e-5, atol=1e-6, check_grad_fn=True):
    """Run fn on the same inputs in both libraries; compare values, dtypes, grads, grad_fn.

    `arrays` are numpy arrays; floating ones require grad when `requires_grad` is True.
    """
    mt_in = [
        mt.tensor(
            a,
            dtype=mt.autograd.dtypes.from_numpy_dtype(a.dtype),
            requires_grad=requires_grad and a.dtype.kind == "f",
        )
        for a in arrays
    ]
    th_in = [torch.tensor(a, requires_grad=requires_grad and a.dtype.kind == "f") for a in arrays]
    out_mt = fn_mt(*mt_in)
    out_th = fn_torch(*th_in)
    assert str(out_mt.dtype) == str(out_th.dtype), (out_mt.dtype, out_th.dtype)
    assert tuple(out_mt.shape) == tuple(out_th.shape)
    np.testing.assert_allclose(
        out_mt.detach().numpy(), out_th.detach().numpy(), rtol=rtol, atol=atol
    )
    if check_grad_fn:
        name_mt = None if out_mt.grad_fn is None else out_mt.grad_fn.name()
        name_th = None if out_th.grad_fn is None else out_th.grad_fn.name()
        assert name_mt == name_th, (name_mt, name_th)
    if out_th.requires_grad:
        seed = np.random.default_rng(0).standard_normal(tuple(out_th.shape))
        out_mt.backward(mt.tensor(seed, dtype=out_mt.dtype))
        out_th.backward(torch.tensor(seed, dtype=out_th.dtype))
        for a, b in zip(mt_in, th_in, strict=True):
            if b.grad is None:
                assert a.grad is None
                continue
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol, atol=atol)
    return out_mt, out_th


def printed_outcome(code: str, lib) -> str:
    """What running `code` with `torch` bound to `lib` prints, raises and warns (addresses
    masked), so a snippet's whole visible behaviour can be compared between libraries."""
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            exec(code, {"torch": lib, "np": np})
        except Exception as error:  # noqa: BLE001 - the exception is the outcome
            print(f"raises {type(error).__name__}: {error}")
    for w in caught:
        # torch appends the C++ location of warnings raised in C++; it is no part of the text
        text = re.sub(r" \(Triggered internally at .*\)$", "", str(w.message), flags=re.S)
        print(f"warns {w.category.__name__}: {text}")
    return re.sub(r"0x[0-9a-fA-F]+", "0x?", out.getvalue())


def assert_same_printed(code: str) -> None:
    assert printed_outcome(code, mt) == printed_outcome(code, torch)
