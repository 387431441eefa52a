"""The frozen side of a run: norm layers kept in eval, the bit-identical check, unfreezing.

`FreezeTracker` snapshots every frozen parameter (and the buffers of frozen norm layers)
when training starts, puts those norm layers back in eval mode after each `model.train()`,
unfreezes scheduled patterns into new param groups, and at the end reports whether every
frozen tensor is bit-identical to its snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..nn import Module
from . import freeze as fz
from . import groups as grp
from .errors import TrainingError
from .report import trainable_line


class FreezeTracker:
    """Tracks the frozen parameters of `model` over one run (see the module docstring)."""

    def __init__(
        self,
        model: Module,
        schedule: Sequence[dict] = (),
        frozen_norm_eval: bool = True,
        no_decay_bias_and_norm: bool = True,
        write: Callable[[str], None] = print,
    ) -> None:
        self.model = model
        self.schedule = sorted((dict(s) for s in schedule), key=lambda s: s["epoch"])
        self.frozen_norm_eval = frozen_norm_eval
        self.no_decay_bias_and_norm = no_decay_bias_and_norm
        self.write = write
        self.snapshot: dict[str, np.ndarray] = {}
        self.keep_eval: list[Module] = []
        self.frozen_norm_names: list[str] = []
        self.frozen_at_start: list[str] = []
        self.unfrozen_by_schedule: dict[str, list[str]] = {}
        self.prepared = False

    def prepare(self, optimizer) -> None:
        """Snapshot the frozen tensors now (called once, before the first step)."""
        params = list(self.model.named_parameters())
        frozen = [n for n, p in params if not p.requires_grad]
        held = {id(p) for g in optimizer.param_groups for p in g["params"]}
        handed = [n for n, p in params if not p.requires_grad and id(p) in held]
        if handed:
            self.write(
                f"warning: {len(handed)} frozen parameters were given to the "
                f"optimizer ({handed[0]}, ...); they get no gradient, so no update"
            )
        self.refresh_norms()
        self.snapshot = fz.snapshot(self.model, frozen, self.frozen_norm_names)
        self.frozen_at_start = frozen
        self.prepared = True

    def refresh_norms(self) -> None:
        pairs = fz.frozen_norms(self.model) if self.frozen_norm_eval else []
        self.keep_eval = [m for _, m in pairs]
        self.frozen_norm_names = [n for n, _ in pairs]

    def train_mode(self) -> None:
        fz.set_train_mode(self.model, self.keep_eval)

    def apply_schedule(self, epoch: int, optimizer, scheduler, replay: bool = False) -> None:
        """Unfreeze the steps due at the start of `epoch` (replay: quietly, when resuming)."""
        for step in self.schedule:
            if step["epoch"] == epoch:
                self.thaw(step, epoch, optimizer, scheduler, replay)

    def thaw(self, step: dict, epoch: int, optimizer, scheduler, replay: bool = False) -> None:
        """Unfreeze one schedule step's parameters into a new param group (and scheduler)."""
        params = dict(self.model.named_parameters())
        names = [n for n in fz.select(params, step["unfreeze"]) if not params[n].requires_grad]
        if not names:
            if not replay:
                self.write(f"epoch {epoch}: {step['unfreeze']} unfreezes nothing new")
            return
        moved = fz.changed(self.model, {n: self.snapshot[n] for n in names if n in self.snapshot})
        if moved:
            raise TrainingError(
                f"frozen parameters changed before being unfrozen at epoch "
                f"{epoch}: {', '.join(moved)}"
            )
        for n in names:
            params[n].requires_grad_(True)
            self.snapshot.pop(n, None)
        lr, wd = step.get("lr"), step.get("weight_decay")
        lr = optimizer.defaults["lr"] if lr is None else lr
        wd = optimizer.defaults.get("weight_decay", 0.0) if wd is None else wd
        for group in grp.build(
            self.model,
            names,
            [],
            lr,
            wd,
            self.no_decay_bias_and_norm,
            default_name=f"unfrozen@{epoch}",
        ):
            if "param_names" not in optimizer.param_groups[0]:
                del group["param_names"]  # torch refuses to mix named and unnamed groups
            optimizer.add_param_group(group)
            grp.cover_new_group(scheduler, optimizer.param_groups[-1])
        self.unfrozen_by_schedule[str(epoch)] = names
        self.refresh_norms()
        self._drop_thawed_buffers(epoch, params)
        if not replay:
            self.write(
                f"epoch {epoch}: unfroze {len(names)} tensors "
                f"({', '.join(step['unfreeze'])}) at lr {lr:g}; " + trainable_line(self.model)
            )

    def _drop_thawed_buffers(self, epoch: int, params: dict) -> None:
        """Buffers of norm layers that are no longer frozen: checked, then no longer tracked."""
        thawed = {
            k: v
            for k, v in self.snapshot.items()
            if k not in params and k.rpartition(".")[0] not in self.frozen_norm_names
        }
        moved = fz.changed(self.model, thawed)
        if moved:
            raise TrainingError(f"frozen buffers changed before epoch {epoch}: {', '.join(moved)}")
        for key in thawed:
            del self.snapshot[key]

    def verify(self) -> dict:
        """The frozen check for the summary: which tensors were checked, and which changed."""
        changed = fz.changed(self.model, self.snapshot)
        params = {n for n, _ in self.model.named_parameters()}
        return {
            "frozen_parameters": list(self.frozen_at_start),
            "unfrozen_by_schedule": dict(self.unfrozen_by_schedule),
            "verified": not changed,
            "changed": changed,
            "checked_parameters": [k for k in self.snapshot if k in params],
            "checked_buffers": [k for k in self.snapshot if k not in params],
            "frozen_elements": int(sum(a.size for a in self.snapshot.values())),
        }
