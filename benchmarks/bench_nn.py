"""nn module and loss overhead: Linear + BCE-with-logits steps, a frozen Linear, layer norm,
cross entropy and the cost of calling modules, each against the same math in numpy.

A "step" is what a user writes: zero_grad, forward through the module and loss, backward.
"""

from __future__ import annotations

import argparse

import numpy as np

import minitorch_ft as mt
from minitorch_ft import nn

try:
    from benchmarks.common import median_seconds, row, try_import_torch
except ImportError:  # run as a script from benchmarks/
    from common import median_seconds, row, try_import_torch

SIZES = {"tiny": (32, 16, 1), "medium": (256, 512, 256)}


def _data(batch: int, fan_in: int, fan_out: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, fan_in)).astype(np.float32)
    y = (rng.random((batch, fan_out)) < 0.5).astype(np.float32)
    bound = 1 / np.sqrt(fan_in)
    w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
    b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
    return x, y, w, b


def _hand_linear_bce(x, y, w, b, need_input_grad=False):
    """Forward and backward of mean BCE-with-logits over x W^T + b, written out in numpy."""
    z = x @ w.T + b
    e = np.exp(-np.abs(z))
    loss = ((1 - y) * z + np.log1p(e) + np.maximum(-z, 0)).sum() / z.size
    g = (np.where(z >= 0, 1, e) / (1 + e) - y) / z.size
    grads = (g.T @ x, g.sum(0))
    if need_input_grad:
        grads += (g @ w,)
    return loss, grads


def bench_linear_bce(size: str, quick: bool, frozen: bool = False) -> dict:
    batch, fan_in, fan_out = SIZES[size]
    x, y, w, b = _data(batch, fan_in, fan_out)
    repeats = 15 if quick else 60
    layer = nn.Linear(fan_in, fan_out)
    layer.load_state_dict({"weight": mt.tensor(w), "bias": mt.tensor(b)})
    loss_fn = nn.BCEWithLogitsLoss()
    xt, yt = mt.tensor(x, requires_grad=frozen), mt.tensor(y)
    if frozen:  # a frozen layer: only the input gradient is needed
        layer.requires_grad_(False)

    def step():
        layer.zero_grad()
        xt.grad = None
        loss_fn(layer(xt), yt).backward()

    def hand():
        if frozen:
            z = x @ w.T + b
            e = np.exp(-np.abs(z))
            g = (np.where(z >= 0, 1, e) / (1 + e) - y) / z.size
            return g @ w
        return _hand_linear_bce(x, y, w, b)

    mine = median_seconds(step, repeats)
    numpy_s = median_seconds(hand, repeats)
    torch = try_import_torch()
    torch_s = None
    if torch is not None:
        t_layer = torch.nn.Linear(fan_in, fan_out)
        t_layer.requires_grad_(not frozen)
        t_loss = torch.nn.BCEWithLogitsLoss()
        tx, ty = torch.tensor(x, requires_grad=frozen), torch.tensor(y)

        def t_step():
            t_layer.zero_grad()
            tx.grad = None
            t_loss(t_layer(tx), ty).backward()

        torch_s = median_seconds(t_step, repeats)
    name = f"nn: Linear+BCE step {size} {batch}x{fan_in}->{fan_out}" + (" frozen" if frozen else "")
    return row(name, mine, numpy_s, torch_s)


def bench_layer_norm(quick: bool) -> dict:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((256, 512)).astype(np.float32)
    norm = nn.LayerNorm(512)
    xt = mt.tensor(x, requires_grad=True)

    def step():
        xt.grad = None
        norm.zero_grad()
        norm(xt).sum().backward()

    def hand():
        mu = x.mean(1, keepdims=True)
        c = x - mu
        rstd = 1 / np.sqrt((c * c).mean(1, keepdims=True) + 1e-5)
        xhat = c * rstd
        g = np.ones_like(x)
        gx = rstd * (g - g.mean(1, keepdims=True) - xhat * (g * xhat).mean(1, keepdims=True))
        return gx, (g * xhat).sum(0), g.sum(0)

    repeats = 15 if quick else 60
    return row(
        "nn: LayerNorm(512) fwd+bwd 256 rows",
        median_seconds(step, repeats),
        median_seconds(hand, repeats),
        None,
    )


def bench_cross_entropy(quick: bool) -> dict:
    rng = np.random.default_rng(2)
    logits = rng.standard_normal((256, 100)).astype(np.float32)
    target = rng.integers(0, 100, 256)
    lt, tt = mt.tensor(logits, requires_grad=True), mt.tensor(target)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        lt.grad = None
        loss_fn(lt, tt).backward()

    def hand():
        shifted = logits - logits.max(1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        loss = -logp[np.arange(256), target].mean()
        g = np.exp(logp)
        g[np.arange(256), target] -= 1
        return loss, g / 256

    repeats = 15 if quick else 60
    return row(
        "nn: CrossEntropyLoss fwd+bwd 256x100",
        median_seconds(step, repeats),
        median_seconds(hand, repeats),
        None,
    )


def bench_call_overhead(quick: bool) -> dict:
    """Sequential of 8 Identity modules vs 8 plain python calls: pure Module.__call__ cost."""
    seq = nn.Sequential(*[nn.Identity() for _ in range(8)])
    x = mt.ones(2)

    def plain():
        y = x
        for _ in range(8):
            y = (lambda v: v)(y)
        return y

    repeats = 50 if quick else 200
    return row(
        "nn: 8 Identity modules in a Sequential",
        median_seconds(lambda: seq(x), repeats, inner=50),
        median_seconds(plain, repeats, inner=50),
        None,
    )


def run(quick: bool = False) -> list[dict]:
    rows = [bench_linear_bce(size, quick) for size in SIZES]
    rows.append(bench_linear_bce("medium", quick, frozen=True))
    rows += [bench_layer_norm(quick), bench_cross_entropy(quick), bench_call_overhead(quick)]
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    for r in run(parser.parse_args().quick):
        print(r)
