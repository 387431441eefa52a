"""Train steps of a ReLU MLP (BCE-with-logits, SGD momentum 0.9), float32, three sizes.

Each scenario runs minitorch_ft (nn + optim, as a user writes it), the same math written by
hand in numpy, and torch when installed; also a frozen-backbone step and a no_grad eval.
"""

from __future__ import annotations

import argparse
import statistics
import tracemalloc

import numpy as np

import minitorch_ft as mt

try:
    from benchmarks.common import paired_times, row, try_import_torch
except ImportError:  # run as a script from benchmarks/
    from common import paired_times, row, try_import_torch

SIZES = {
    "tiny": (32, (16, 32, 32, 1)),
    "small": (128, (64, 256, 256, 1)),
    "medium": (512, (512, 1024, 1024, 1)),
}
# A small lr keeps the weights near their start: a model trained to saturation on one batch
# makes denormal gradients, whose slow arithmetic would swamp what is being measured.
LR, MOMENTUM = 1e-4, 0.9


def make_data(batch: int, dims: tuple, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, dims[0])).astype(np.float32)
    y = (rng.random((batch, 1)) < 0.5).astype(np.float32)
    weights = []
    for fan_in, fan_out in zip(dims[:-1], dims[1:], strict=True):
        bound = 1 / np.sqrt(fan_in)
        weights.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        weights.append(rng.uniform(-bound, bound, (fan_out,)).astype(np.float32))
    return x, y, weights


class HandNumpyMLP:
    """The same network, forward and backward written out by hand: the speed baseline."""

    def __init__(self, weights: list, frozen_layers: int = 0) -> None:
        self.params = [w.copy() for w in weights]
        self.bufs = [None] * len(self.params)
        self.frozen = frozen_layers

    def forward(self, x):
        acts, pre = [x], []
        n = len(self.params) // 2
        h = x
        for i in range(n):
            w, b = self.params[2 * i], self.params[2 * i + 1]
            z = h @ w.T + b
            pre.append(z)
            h = np.maximum(z, 0) if i < n - 1 else z
            acts.append(h)
        return acts, pre

    def step(self, x, y) -> None:
        acts, pre = self.forward(x)
        z = pre[-1]
        # stable BCE-with-logits loss value (computed, as a training loop would)
        float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
        grad = (1 / (1 + np.exp(-z)) - y) / z.size
        n = len(self.params) // 2
        grads = [None] * len(self.params)
        for i in range(n - 1, self.frozen - 1, -1):
            grads[2 * i] = grad.T @ acts[i]
            grads[2 * i + 1] = grad.sum(axis=0)
            if i > self.frozen:
                grad = (grad @ self.params[2 * i]) * (pre[i - 1] > 0)
        for k, g in enumerate(grads):
            if g is None:
                continue
            if self.bufs[k] is None:
                self.bufs[k] = g.copy()
            else:
                self.bufs[k] *= MOMENTUM
                self.bufs[k] += g
            self.params[k] -= LR * self.bufs[k]

    def eval_forward(self, x) -> None:
        self.forward(x)


def build_minitorch(dims: tuple, weights: list, frozen_layers: int = 0):
    nn = mt.nn
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:], strict=True)):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(dims) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    with mt.no_grad():
        for p, w in zip(model.parameters(), weights, strict=True):
            p.copy_(mt.from_numpy(w))
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for layer in linears[:frozen_layers]:
        layer.requires_grad_(False)
    opt = mt.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=LR, momentum=MOMENTUM)
    return model, opt


def minitorch_step(model, opt, x, y) -> None:
    opt.zero_grad()
    loss = mt.nn.functional.binary_cross_entropy_with_logits(model(x), y)
    loss.backward()
    opt.step()
    loss.item()


def build_torch(torch, dims, weights, frozen_layers: int = 0):
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:], strict=True)):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if i < len(dims) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    with torch.no_grad():
        for p, w in zip(model.parameters(), weights, strict=True):
            p.copy_(torch.from_numpy(w))
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for layer in linears[:frozen_layers]:
        layer.requires_grad_(False)
    opt = torch.optim.SGD(
        [p for p in model.parameters() if p.requires_grad], lr=LR, momentum=MOMENTUM
    )
    return model, opt


def torch_step(torch, model, opt, x, y) -> None:
    opt.zero_grad()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
    loss.backward()
    opt.step()
    loss.item()


def _repeats(size: str, quick: bool) -> int:
    base = {"tiny": 3000, "small": 600, "medium": 60}[size]
    return max(5, base // 10) if quick else base


def _builds(quick: bool) -> int:
    """Fresh models per scenario: where the arrays land in memory moves a step's time by up
    to 10% on this machine (cache and allocator effects), for numpy and minitorch_ft alike,
    so the times of several builds are pooled rather than trusting one layout."""
    return 1 if quick else 3


def _timed(build, repeats: int, builds: int) -> list:
    """Medians of [hand numpy, minitorch_ft, torch or None] pooled over `builds` fresh
    builds: the two numpy-based ones interleaved, torch on its own afterwards (its OpenMP
    threads keep spinning after each call and would slow numpy's BLAS threads if
    interleaved)."""
    pooled: list[list[float]] = [[], [], []]
    per_build = max(5, repeats // builds)
    for _ in range(builds):
        hand, mine, theirs = build()
        hand_t, mine_t = paired_times([hand, mine], per_build)
        pooled[0] += hand_t
        pooled[1] += mine_t
        if theirs is not None:
            pooled[2] += paired_times([theirs], per_build)[0]
    return [statistics.median(t) if t else None for t in pooled]


def bench_step(size: str, quick: bool, frozen_layers: int = 0) -> dict:
    batch, dims = SIZES[size]
    x, y, weights = make_data(batch, dims)
    xt, yt = mt.from_numpy(x), mt.from_numpy(y)
    torch = try_import_torch()

    def build() -> list:
        hand = HandNumpyMLP(weights, frozen_layers)
        model, opt = build_minitorch(dims, weights, frozen_layers)
        torch_fn = None
        if torch is not None:
            tm, topt = build_torch(torch, dims, weights, frozen_layers)
            tx, ty = torch.from_numpy(x), torch.from_numpy(y)
            torch_fn = lambda: torch_step(torch, tm, topt, tx, ty)  # noqa: E731
        return [lambda: hand.step(x, y), lambda: minitorch_step(model, opt, xt, yt), torch_fn]

    hand_s, mine, theirs = _timed(build, _repeats(size, quick), _builds(quick))
    label = f"train step, {size} (batch {batch}, {'-'.join(map(str, dims))})"
    if frozen_layers:
        label = f"same step, first {frozen_layers} Linear frozen, {size}"
    return row(label, mine, hand_s, theirs)


def bench_eval(size: str, quick: bool) -> dict:
    batch, dims = SIZES[size]
    x, y, weights = make_data(batch, dims)
    xt = mt.from_numpy(x)
    torch = try_import_torch()

    def build() -> list:
        hand = HandNumpyMLP(weights)
        model, _ = build_minitorch(dims, weights)
        model.eval()

        def mine_eval():
            with mt.no_grad():
                model(xt)

        torch_fn = None
        if torch is not None:
            tm, _ = build_torch(torch, dims, weights)
            tm.eval()
            tx = torch.from_numpy(x)

            def torch_fn():
                with torch.no_grad():
                    tm(tx)

        return [lambda: hand.eval_forward(x), mine_eval, torch_fn]

    hand_s, mine, theirs = _timed(build, _repeats(size, quick) * 2, _builds(quick))
    return row(f"eval forward under no_grad, {size}", mine, hand_s, theirs)


def forward_peak_bytes(size: str = "medium") -> dict:
    """Extra peak memory of a grad-enabled forward (graph kept) vs the hand-numpy forward."""
    batch, dims = SIZES[size]
    x, y, weights = make_data(batch, dims)
    hand = HandNumpyMLP(weights)
    model, _ = build_minitorch(dims, weights)
    xt, yt = mt.from_numpy(x), mt.from_numpy(y)

    def peak(fn) -> int:
        tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        keep = fn()
        peak_bytes = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        del keep
        return peak_bytes

    hand_bytes = peak(lambda: hand.forward(x))
    mine_bytes = peak(lambda: mt.nn.functional.binary_cross_entropy_with_logits(model(xt), yt))
    with mt.no_grad():
        eval_bytes = peak(lambda: model(xt))
    return {
        "name": f"extra peak memory of a grad-enabled forward, {size}",
        "minitorch_bytes": mine_bytes,
        "numpy_bytes": hand_bytes,
        "eval_bytes": eval_bytes,
        "ratio_numpy": mine_bytes / hand_bytes,
    }


def run(quick: bool = False) -> list[dict]:
    rows = [bench_step(size, quick) for size in SIZES]
    rows.append(bench_step("small", quick, frozen_layers=2))
    rows.append(bench_eval("small", quick))
    rows.append(forward_peak_bytes("medium"))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    for r in run(parser.parse_args().quick):
        print(r)
