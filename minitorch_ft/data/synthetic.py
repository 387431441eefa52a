"""Two related toy tasks where pretraining matters, deterministic by seed.

A hidden "world" maps 4 latent factors through a fixed random nonlinear mixing to 16 input
features. The source task (plenty of labels) names the octant of the first three latents
(8 classes); the target task (few labels) asks whether the first two latents have different signs
(an XOR: hard from the raw inputs, easy from the features the source task teaches).
A backbone pretrained on the source has learned to undo the mixing; a random one has not.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

LATENTS = 4
FEATURES = 16
HIDDEN_MIX = 32
WORLD_SEED = 20240611  # one world shared by both tasks: that is what makes them related
TASKS = {"toy_source": 0, "toy_target": 1}
NUM_CLASSES = {"toy_source": 8, "toy_target": 2}
_SPLITS = {"train": 0, "val": 1}


def _world() -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
    r = np.random.default_rng(WORLD_SEED)
    m1 = r.normal(size=(LATENTS, HIDDEN_MIX)) * 1.5
    b1 = r.normal(size=HIDDEN_MIX) * 0.5
    m2 = r.normal(size=(HIDDEN_MIX, FEATURES)) / np.sqrt(HIDDEN_MIX)
    # Standardise the clean features once, with a large fixed sample, so inputs are ~N(0, 1)
    # whatever the task or the size of a split (no statistics from tiny fine-tuning sets).
    z = r.normal(size=(20000, LATENTS))
    x = np.tanh(z @ m1 + b1) @ m2
    return m1, b1, m2, x.mean(axis=0), x.std(axis=0)


_WORLD = _world()


def _labels(task: str, z: NDArray) -> NDArray[np.int64]:
    if task == "toy_source":
        return ((z[:, 0] > 0) * 4 + (z[:, 1] > 0) * 2 + (z[:, 2] > 0)).astype(np.int64)
    return ((z[:, 0] > 0) ^ (z[:, 1] > 0)).astype(np.int64)


def make_toy(
    task: str, n: int, *, seed: int = 0, split: str = "train", noise: float = 0.1
) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """`n` examples (float32 inputs of width 16, int64 class labels) of a toy task.

    The same (task, seed, split) always gives the same arrays; train and val never overlap
    in their random streams.
    """
    if task not in TASKS:
        raise ValueError(f"unknown toy task {task!r}; expected one of {sorted(TASKS)}")
    if split not in _SPLITS:
        raise ValueError(f"split must be 'train' or 'val', got {split!r}")
    r = np.random.default_rng([int(seed), TASKS[task], _SPLITS[split]])
    m1, b1, m2, mean, std = _WORLD
    z = r.normal(size=(n, LATENTS))
    x = (np.tanh(z @ m1 + b1) @ m2 - mean) / std
    x = x + noise * r.normal(size=x.shape)
    return x.astype(np.float32), _labels(task, z)
