"""Optimizer step time for a ~1M-parameter MLP: SGD(momentum) and Adam.

Compared with the same update written by hand in numpy (the obvious in-place code a person
would write) and with torch's default CPU step. `python benchmarks/bench_optim.py [--quick]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import minitorch_ft as mt  # noqa: E402

try:
    from benchmarks.common import median_seconds, row, try_import_torch
except ImportError:  # run as a script from benchmarks/
    from common import median_seconds, row, try_import_torch

# 784x1024 + 1024 + 1024x256 + 256 + 256x10 + 10 = 1,068,810 parameters, float32
SHAPES = [(784, 1024), (1024,), (1024, 256), (256,), (256, 10), (10,)]
LR, MOMENTUM, BETAS, EPS = 1e-3, 0.9, (0.9, 0.999), 1e-8


def _arrays(seed: int = 0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal(s).astype(np.float32) * 0.01 for s in SHAPES]
    grads = [rng.standard_normal(s).astype(np.float32) * 0.01 for s in SHAPES]
    return params, grads


def _mt_optimizer(name: str):
    params, grads = _arrays()
    tensors = [mt.tensor(p, requires_grad=True) for p in params]
    for t, g in zip(tensors, grads, strict=True):
        t.grad = mt.tensor(g)
    if name == "sgd":
        return mt.optim.SGD(tensors, lr=LR, momentum=MOMENTUM)
    return mt.optim.Adam(tensors, lr=LR, betas=BETAS, eps=EPS)


def _torch_optimizer(torch, name: str):
    params, grads = _arrays()
    tensors = [torch.tensor(p, requires_grad=True) for p in params]
    for t, g in zip(tensors, grads, strict=True):
        t.grad = torch.tensor(g)
    if name == "sgd":
        return torch.optim.SGD(tensors, lr=LR, momentum=MOMENTUM)
    return torch.optim.Adam(tensors, lr=LR, betas=BETAS, eps=EPS)


def _numpy_sgd():
    """Hand-written momentum SGD: buf = mu * buf + g; p -= lr * buf."""
    params, grads = _arrays()
    bufs = [g.copy() for g in grads]

    def step() -> None:
        for p, g, buf in zip(params, grads, bufs, strict=True):
            buf *= MOMENTUM
            buf += g
            p -= LR * buf

    return step


def _numpy_adam():
    """Hand-written Adam with bias correction, in place where numpy makes it natural."""
    params, grads = _arrays()
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    beta1, beta2 = BETAS
    t = [0]

    def step() -> None:
        t[0] += 1
        step_size = LR / (1 - beta1 ** t[0])
        bc2_sqrt = (1 - beta2 ** t[0]) ** 0.5
        for p, g, m, v in zip(params, grads, ms, vs, strict=True):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p -= step_size * m / (np.sqrt(v) / bc2_sqrt + EPS)

    return step


def run(quick: bool = False) -> list[dict]:
    """Median step times (seconds) and ratios, one row per optimizer."""
    repeats = 15 if quick else 60
    torch = try_import_torch()
    rows = []
    for name, label, hand in (
        ("sgd", "SGD momentum step", _numpy_sgd),
        ("adam", "Adam step", _numpy_adam),
    ):
        n_params = sum(int(np.prod(s)) for s in SHAPES)
        opt = _mt_optimizer(name)
        mine = median_seconds(opt.step, repeats, warmup=5)
        numpy_s = median_seconds(hand(), repeats, warmup=5)
        torch_s = None
        if torch is not None:
            torch_s = median_seconds(_torch_optimizer(torch, name).step, repeats, warmup=5)
        rows.append(row(f"{label}, {n_params / 1e6:.2f}M params (float32)", mine, numpy_s, torch_s))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    for r in run(parser.parse_args().quick):
        torch_txt = "-" if r["torch_s"] is None else f"{r['torch_s'] * 1e3:.3f} ms"
        ratio_torch = "-" if r["ratio_torch"] is None else f"{r['ratio_torch']:.2f}x"
        print(
            f"{r['name']}: minitorch {r['minitorch_s'] * 1e3:.3f} ms, numpy "
            f"{r['numpy_s'] * 1e3:.3f} ms ({r['ratio_numpy']:.2f}x), torch {torch_txt} "
            f"({ratio_torch})"
        )
