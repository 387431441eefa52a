"""Hypothesis over shapes: linear, layer_norm and losses agree with numpy references."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch_ft as mt
import minitorch_ft.nn.functional as F

dims = st.integers(1, 4)
lead = st.lists(st.integers(1, 3), min_size=0, max_size=3)


@settings(max_examples=30, deadline=None)
@given(lead=lead, fan_in=dims, fan_out=dims, bias=st.booleans(), seed=st.integers(0, 99))
def test_linear_any_leading_dims(lead, fan_in, fan_out, bias, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((*lead, fan_in))
    w = rng.standard_normal((fan_out, fan_in))
    b = rng.standard_normal(fan_out)
    xt = mt.tensor(x, requires_grad=True)
    wt = mt.tensor(w, requires_grad=True)
    bt = mt.tensor(b, requires_grad=True) if bias else None
    out = F.linear(xt, wt, bt)
    expected = x @ w.T + (b if bias else 0)
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(expected.shape)
    out.backward(mt.tensor(g))
    np.testing.assert_allclose(xt.grad.numpy(), g @ w, atol=1e-12)
    np.testing.assert_allclose(
        wt.grad.numpy(), g.reshape(-1, fan_out).T @ x.reshape(-1, fan_in), atol=1e-12
    )
    if bias:
        np.testing.assert_allclose(bt.grad.numpy(), g.reshape(-1, fan_out).sum(0), atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(lead=lead, last=st.lists(st.integers(2, 4), min_size=1, max_size=2), seed=st.integers(0, 99))
def test_layer_norm_normalises_trailing_dims(lead, last, seed):
    x = np.random.default_rng(seed).standard_normal((*lead, *last)) * 3 + 1
    out = F.layer_norm(mt.tensor(x), tuple(last), eps=0.0).numpy()
    axes = tuple(range(len(lead), len(lead) + len(last)))
    np.testing.assert_allclose(out.mean(axis=axes), 0, atol=1e-9)
    np.testing.assert_allclose(out.var(axis=axes), 1, rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(batch=st.integers(1, 5), classes=st.integers(2, 5), seed=st.integers(0, 99))
def test_cross_entropy_matches_numpy(batch, classes, seed):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((batch, classes)) * 5
    target = rng.integers(0, classes, batch)
    shifted = logits - logits.max(1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    loss = F.cross_entropy(mt.tensor(logits), mt.tensor(target)).item()
    np.testing.assert_allclose(loss, -logp[np.arange(batch), target].mean(), rtol=1e-12)
