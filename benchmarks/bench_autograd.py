"""Per-op autograd overhead: a 100-op elementwise chain on a 1x16 tensor, forward+backward.

Compared with the same chain written by hand in numpy (forward and backward) and with torch.
"""

from __future__ import annotations

import argparse

import numpy as np

import minitorch_ft as mt

try:
    from benchmarks.common import paired_median_seconds, row, try_import_torch
except ImportError:  # run as a script from benchmarks/
    from common import paired_median_seconds, row, try_import_torch

N_OPS = 100  # 50 multiplies + 50 adds


def chain_minitorch(x0: np.ndarray) -> None:
    x = mt.tensor(x0, requires_grad=True)
    y = x
    for _ in range(N_OPS // 2):
        y = y * 1.001
        y = y + 0.5
    y.sum().backward()


def chain_numpy(x0: np.ndarray) -> np.ndarray:
    """The same math by hand: forward keeps nothing (x*c+b needs no saved values)."""
    y = x0
    for _ in range(N_OPS // 2):
        y = y * np.float32(1.001)
        y = y + np.float32(0.5)
    y.sum()
    grad = np.ones_like(y)
    for _ in range(N_OPS // 2):
        grad = grad * np.float32(1.001)
    return grad


def chain_torch(torch, x0) -> None:
    x = torch.tensor(x0, requires_grad=True)
    y = x
    for _ in range(N_OPS // 2):
        y = y * 1.001
        y = y + 0.5
    y.sum().backward()


def run(quick: bool = False) -> list[dict]:
    repeats = 100 if quick else 1000
    x0 = np.random.default_rng(0).standard_normal((1, 16)).astype(np.float32)
    torch = try_import_torch()
    mine, hand = (
        m / N_OPS
        for m in paired_median_seconds(
            [lambda: chain_minitorch(x0), lambda: chain_numpy(x0)], repeats
        )
    )
    theirs = None
    if torch is not None:  # timed on its own: see bench_train._timed
        theirs = paired_median_seconds([lambda: chain_torch(torch, x0)], repeats)[0] / N_OPS
    return [row("per-op overhead, 1x16 chain, fwd+bwd (per op)", mine, hand, theirs)]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    for r in run(parser.parse_args().quick):
        print(r)
