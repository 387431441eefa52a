"""Trainer overhead: one `Trainer` epoch against a bare loop doing the same steps.

Same model (the small MLP), same data, same DataLoader; the trainer adds its bookkeeping
(loss as a python float, non-finite checks, progress) and nothing else: no run directory,
no validation set, no progress bar.
"""

from __future__ import annotations

import argparse

import numpy as np

import minitorch_ft as mt
from minitorch_ft.data import DataLoader, TensorDataset
from minitorch_ft.training.trainer import Trainer

try:
    from benchmarks.bench_train import SIZES, build_minitorch, make_data
    from benchmarks.common import paired_median_seconds, row
except ImportError:  # run as a script from benchmarks/
    from bench_train import SIZES, build_minitorch, make_data
    from common import paired_median_seconds, row

N_BATCHES = 16


def _loader(batch: int, dims: tuple) -> DataLoader:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((batch * N_BATCHES, dims[0])).astype(np.float32)
    y = (rng.random((batch * N_BATCHES, 1)) < 0.5).astype(np.float32)
    dataset = TensorDataset(mt.from_numpy(x), mt.from_numpy(y))
    return DataLoader(dataset, batch_size=batch, shuffle=True, generator=mt.Generator(0))


def bare_epoch(model, opt, loader, loss_fn) -> float:
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item()
    return total


def run(quick: bool = False) -> list[dict]:
    size = "small"
    batch, dims = SIZES[size]
    _, _, weights = make_data(batch, dims)
    loss_fn = mt.nn.BCEWithLogitsLoss()
    repeats = 5 if quick else 30

    # One model and optimizer for both loops: two separately built models differ by up to
    # 10% per step from where their arrays land in memory, which would swamp the comparison.
    model, opt = build_minitorch(dims, weights)
    trainer = Trainer(
        model, loss_fn, opt, progress=False, log=None, plot=False, handle_sigint=False
    )
    loader = _loader(batch, dims)
    state = {"epochs": 0}

    def trainer_epoch() -> None:
        state["epochs"] += 1
        trainer.fit(loader, epochs=state["epochs"])

    bare, mine = paired_median_seconds(
        [lambda: bare_epoch(model, opt, loader, loss_fn), trainer_epoch],
        repeats,
        warmup=1,
    )
    return [
        row(
            f"Trainer epoch vs bare loop ({N_BATCHES} batches, {size})",
            mine,
            bare,
            None,
            note="numpy column = the same steps in a bare loop over the same loader",
        )
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    for r in run(parser.parse_args().quick):
        print(r)
