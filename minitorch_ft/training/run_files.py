"""The run directory: config.yaml, metrics.jsonl, checkpoints/, summary.json, curves.png.

Every file is written atomically (see atomic.py); metrics.jsonl is rewritten whole each
epoch, so it is never left with half a line.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence

from . import atomic, checkpoint
from .report import plot_curves

RUN_FILES = (
    "config.yaml",
    "metrics.jsonl",
    "summary.json",
    "eval_metrics.json",
    "predictions.csv",
    "curves.png",
)


def clean(value):
    """JSON-safe: non-finite floats become None (strict JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


class RunFiles:
    """Paths and writers for one run directory."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.checkpoints = os.path.join(folder, "checkpoints")

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def holds_run(self) -> str | None:
        """The first run file already present (a previous run), or None."""
        for name in RUN_FILES:
            if os.path.exists(self.path(name)):
                return name
        return None

    def holds_training_run(self) -> bool:
        return os.path.exists(self.path("metrics.jsonl")) or os.path.isdir(self.checkpoints)

    def clear(self) -> None:
        """Remove the files a previous run left (overwrite: true); nothing else is touched."""
        for name in RUN_FILES:
            if os.path.exists(self.path(name)):
                os.remove(self.path(name))
        if os.path.isdir(self.checkpoints):
            for name in os.listdir(self.checkpoints):
                if name.startswith(("last.", "best.", ".last.", ".best.")):
                    os.remove(os.path.join(self.checkpoints, name))

    def write_text(self, name: str, text: str) -> None:
        atomic.write_text(self.path(name), text)

    def write_json(self, name: str, obj) -> None:
        atomic.write_json(self.path(name), clean(obj))

    def write_metrics(self, history: Sequence[dict]) -> None:
        lines = [json.dumps(clean(r), sort_keys=False, allow_nan=False) for r in history]
        atomic.write_text(self.path("metrics.jsonl"), "".join(line + "\n" for line in lines))

    def write_summary(self, summary: dict) -> None:
        self.write_json("summary.json", summary)

    def save_checkpoint(self, tag: str, model, optimizer, scheduler, state: dict) -> str:
        """Write checkpoint `tag` (non-finite values kept: the state JSON encodes them)."""
        return checkpoint.save(self.checkpoints, tag, model, optimizer, scheduler, state)["json"]

    def plot(self, history: Sequence[dict]) -> bool:
        return bool(history) and plot_curves(history, self.path("curves.png"))
