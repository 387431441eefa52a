"""`Trainer`: fit any Module with any loss and optimizer; evaluate under `no_grad`.

Usable from Python without any YAML. It keeps what PyTorch leaves to the user: frozen norm
layers stay in eval mode, evaluation restores every module's mode, metrics are python floats,
gradual unfreezing adds param groups the scheduler also drives, and at the end every frozen
parameter is checked to be bit-identical to its value at the start.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from ..autograd.generator import get_rng_state
from ..autograd.grad_mode import no_grad
from ..nn import Module
from ..nn.utils import clip_grad_norm_
from . import freeze as fz
from . import groups as grp
from .errors import TrainingError
from .metrics import MetricAccumulator, default_mode, is_better
from .progress import Progress
from .report import count_parameters, epoch_line, trainable_line
from .run_files import RunFiles


def _unpack(batch) -> tuple[Any, Any]:
    if isinstance(batch, (list, tuple)) and len(batch) == 2:
        return batch[0], batch[1]
    raise TypeError(
        "a training batch must be an (inputs, targets) pair, got "
        f"{type(batch).__name__} of length {len(batch) if hasattr(batch, '__len__') else '?'}"
    )


class Trainer:
    """Trains `model` on (inputs, targets) batches; see `fit`, `evaluate`, `predict`.

    `task` ('binary', 'multiclass', 'regression' or None) chooses the metrics.
    `freeze_schedule` items are dicts `{epoch, unfreeze: [patterns], lr, weight_decay}`:
    at the start of that (1-based) epoch the patterns are unfrozen and join the optimizer as
    a new param group. With `run_dir`, metrics.jsonl, checkpoints and summary.json are written.
    """

    def __init__(
        self,
        model: Module,
        loss_fn: Callable,
        optimizer,
        *,
        scheduler=None,
        scheduler_interval: str = "epoch",
        task: str | None = None,
        grad_clip: float | None = None,
        eval_every: int = 1,
        freeze_schedule: Sequence[dict] = (),
        no_decay_bias_and_norm: bool = True,
        frozen_norm_eval: bool = True,
        run_dir: str | None = None,
        save_last: bool = True,
        save_best: bool = True,
        monitor: str = "val_loss",
        mode: str = "auto",
        progress: bool = True,
        plot: bool = True,
        log: Callable | None = print,
        run_info: dict | None = None,
    ) -> None:
        if scheduler_interval not in ("epoch", "step"):
            raise ValueError(
                f"scheduler_interval must be 'epoch' or 'step', got {scheduler_interval!r}"
            )
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.scheduler_interval = scheduler_interval
        self.task = task
        self.grad_clip = grad_clip
        self.eval_every = eval_every
        self.freeze_schedule = sorted((dict(s) for s in freeze_schedule), key=lambda s: s["epoch"])
        self.no_decay_bias_and_norm = no_decay_bias_and_norm
        self.frozen_norm_eval = frozen_norm_eval
        self.monitor = monitor
        self.mode = default_mode(monitor) if mode == "auto" else mode
        self.save_last, self.save_best = save_last, save_best
        self.files = RunFiles(run_dir) if run_dir else None
        self.plot = plot
        self.progress = Progress(enabled=progress and sys.stderr.isatty(), log=log)
        self.run_info = dict(run_info or {})
        self.epoch = 0  # completed epochs
        self.global_step = 0
        self.history: list[dict] = []
        self.best: dict | None = None
        self.timings = {"train_s": 0.0, "eval_s": 0.0}
        self._frozen_check: dict = {}
        self._snapshot: dict[str, np.ndarray] = {}
        self._keep_eval: list = []
        self.frozen_norm_names: list[str] = []
        self._train_loader = None

    # ----- the frozen parameters ---------------------------------------------------------------
    def _prepare_freezing(self) -> None:
        frozen = [n for n, p in self.model.named_parameters() if not p.requires_grad]
        in_optimizer = {id(p) for g in self.optimizer.param_groups for p in g["params"]}
        handed = [
            n
            for n, p in self.model.named_parameters()
            if not p.requires_grad and id(p) in in_optimizer
        ]
        if handed:
            self.progress.write(
                f"warning: {len(handed)} frozen parameters were given to the "
                f"optimizer ({handed[0]}, ...); they get no gradient, so no update"
            )
        self._refresh_norms()
        self._snapshot = fz.snapshot(self.model, frozen, self.frozen_norm_names)
        self._frozen_check = {
            "frozen_parameters": frozen,
            "unfrozen_by_schedule": {},
        }

    def _refresh_norms(self) -> None:
        pairs = fz.frozen_norms(self.model) if self.frozen_norm_eval else []
        self._keep_eval = [m for _, m in pairs]
        self.frozen_norm_names = [n for n, _ in pairs]

    def _train_mode(self) -> None:
        fz.set_train_mode(self.model, self._keep_eval)

    def _apply_freeze_schedule(self, epoch: int) -> None:
        for step in self.freeze_schedule:
            if step["epoch"] == epoch:
                self._thaw(step, epoch)

    def _thaw(self, step: dict, epoch: int) -> None:
        """Unfreeze one schedule step's parameters into a new param group (and scheduler)."""
        params = dict(self.model.named_parameters())
        names = [n for n in fz.select(params, step["unfreeze"]) if not params[n].requires_grad]
        if not names:
            self.progress.write(f"epoch {epoch}: {step['unfreeze']} unfreezes nothing new")
            return
        moved = fz.changed(self.model, {n: self._snapshot[n] for n in names if n in self._snapshot})
        if moved:
            raise TrainingError(
                f"frozen parameters changed before being unfrozen at epoch "
                f"{epoch}: {', '.join(moved)}"
            )
        for n in names:
            params[n].requires_grad_(True)
            self._snapshot.pop(n, None)
        lr = step.get("lr") or self.optimizer.defaults["lr"]
        wd = step.get("weight_decay")
        wd = self.optimizer.defaults.get("weight_decay", 0.0) if wd is None else wd
        label = f"unfrozen@{epoch}"
        for group in grp.build(
            self.model, names, [], lr, wd, self.no_decay_bias_and_norm, default_name=label
        ):
            if "param_names" not in self.optimizer.param_groups[0]:
                del group["param_names"]  # torch refuses to mix named and unnamed groups
            self.optimizer.add_param_group(group)
            grp.cover_new_group(self.scheduler, self.optimizer.param_groups[-1])
        self._frozen_check["unfrozen_by_schedule"][str(epoch)] = names
        self._refresh_norms()
        thawed = {  # buffers of norm layers that are no longer frozen: checked, then dropped
            k: v
            for k, v in self._snapshot.items()
            if k not in params and k.rpartition(".")[0] not in self.frozen_norm_names
        }
        moved = fz.changed(self.model, thawed)
        if moved:
            raise TrainingError(f"frozen buffers changed before epoch {epoch}: {', '.join(moved)}")
        for key in thawed:
            del self._snapshot[key]
        self.progress.write(
            f"epoch {epoch}: unfroze {len(names)} tensors "
            f"({', '.join(step['unfreeze'])}) at lr {lr:g}; " + trainable_line(self.model)
        )

    def _verify_frozen(self) -> dict:
        changed = fz.changed(self.model, self._snapshot)
        params = {n for n, _ in self.model.named_parameters()}
        check = dict(self._frozen_check)
        check.update(
            {
                "verified": not changed,
                "changed": changed,
                "checked_parameters": [k for k in self._snapshot if k in params],
                "checked_buffers": [k for k in self._snapshot if k not in params],
                "frozen_elements": int(sum(a.size for a in self._snapshot.values())),
            }
        )
        return check

    # ----- one step, one epoch --------------------------------------------------------------
    def _step(self, batch, epoch: int) -> tuple[float, int]:
        inputs, targets = _unpack(batch)
        loss = self.loss_fn(self.model(inputs), targets)
        value = float(loss.item())
        if not math.isfinite(value):
            raise TrainingError(
                f"non-finite loss ({value}) at epoch {epoch}, step {self.global_step + 1}"
            )
        self.optimizer.zero_grad()
        loss.backward()
        if self.grad_clip is not None:
            clip_grad_norm_(
                [p for g in self.optimizer.param_groups for p in g["params"]], self.grad_clip
            )
        self.optimizer.step()
        if self.scheduler is not None and self.scheduler_interval == "step":
            self.scheduler.step()
        self.global_step += 1
        return value, int(targets.shape[0])

    def _train_epoch(self, loader: Iterable, epoch: int) -> float:
        self._train_mode()
        total, count = 0.0, 0
        bar = self.progress.batches(loader, epoch)
        for batch in bar:
            value, n = self._step(batch, epoch)
            total += value * n
            count += n
            self.progress.postfix(bar, loss=total / count, lr=self.optimizer.param_groups[0]["lr"])
        if count == 0:
            raise TrainingError(f"epoch {epoch}: the training loader gave no batches")
        return total / count

    # ----- evaluation -------------------------------------------------------------------------
    def _eval_batches(self, loader: Iterable, on_batch: Callable) -> None:
        modes = [(m, m.training) for m in self.model.modules()]
        self.model.eval()
        try:
            with no_grad():
                for batch in loader:
                    inputs, targets = _unpack(batch)
                    outputs = self.model(inputs)
                    on_batch(outputs, targets)
        finally:  # restore each module's own mode (frozen norm layers stay in eval)
            for module, flag in modes:
                module.training = flag

    def evaluate(self, loader: Iterable, prefix: str = "val") -> dict[str, float | None]:
        """Metrics over `loader` under no_grad and eval mode; the modes are restored after."""
        start = time.perf_counter()
        acc = MetricAccumulator(self.task)

        def on_batch(outputs, targets) -> None:
            loss = self.loss_fn(outputs, targets)
            acc.update(float(loss.item()), outputs.numpy(), targets.numpy())

        self._eval_batches(loader, on_batch)
        self.timings["eval_s"] += time.perf_counter() - start
        return {f"{prefix}_{k}" if prefix else k: v for k, v in acc.compute().items()}

    def predict(self, loader: Iterable) -> tuple[np.ndarray, np.ndarray]:
        """(outputs, targets) over `loader` as numpy arrays, under no_grad and eval mode."""
        outs: list[np.ndarray] = []
        tgts: list[np.ndarray] = []
        self._eval_batches(
            loader, lambda o, t: (outs.append(o.numpy().copy()), tgts.append(t.numpy().copy()))
        )
        return np.concatenate(outs), np.concatenate(tgts)

    # ----- fit -------------------------------------------------------------------------------
    def fit(
        self, train_loader: Iterable, val_loader: Iterable | None = None, epochs: int = 1
    ) -> dict:
        """Train until `epochs` epochs are done; returns the summary (also summary.json)."""
        start = time.perf_counter()
        self._train_loader = train_loader
        self._prepare_freezing()
        epoch_bar = self.progress.epochs(self.epoch, epochs)
        for epoch in range(self.epoch + 1, epochs + 1):
            self._apply_freeze_schedule(epoch)
            t0 = time.perf_counter()
            train_loss = self._train_epoch(train_loader, epoch)
            if self.scheduler is not None and self.scheduler_interval == "epoch":
                self.scheduler.step()
            self.timings["train_s"] += time.perf_counter() - t0
            record: dict[str, Any] = {
                "epoch": epoch,
                "step": self.global_step,
                "train_loss": train_loss,
            }
            if val_loader is not None and (epoch % self.eval_every == 0 or epoch == epochs):
                record.update(self.evaluate(val_loader))
            record["lr"] = {
                g.get("name", str(i)): float(g["lr"])
                for i, g in enumerate(self.optimizer.param_groups)
            }
            record["time_s"] = time.perf_counter() - t0
            self.epoch = epoch
            self.history.append(record)
            self.progress.write(epoch_line(record, epochs))
            self.progress.advance(epoch_bar, record)
            self._save_epoch(record)
        self.progress.close(epoch_bar)
        return self._finish(time.perf_counter() - start)

    def _save_epoch(self, record: dict) -> None:
        value = record.get(self.monitor)
        improved = is_better(value, None if self.best is None else self.best["value"], self.mode)
        if improved:
            self.best = {
                "monitor": self.monitor,
                "mode": self.mode,
                "value": value,
                "epoch": record["epoch"],
            }
        if self.files is None:
            return
        self.files.write_metrics(self.history)
        state = self.state_dict()
        if self.save_last:
            self.files.save_checkpoint("last", self.model, self.optimizer, self.scheduler, state)
        if self.save_best and improved:
            self.files.save_checkpoint("best", self.model, self.optimizer, self.scheduler, state)

    def state_dict(self) -> dict:
        """The trainer's own state as plain JSON (what a checkpoint's JSON `trainer` holds)."""
        loader_gen = getattr(self._train_loader, "generator", None)
        return {
            "epoch": self.epoch,
            "global_step": self.global_step,
            "best": self.best,
            "rng": {
                "global": get_rng_state(),
                "train_loader": loader_gen.get_state() if loader_gen is not None else None,
            },
            "frozen": [n for n, p in self.model.named_parameters() if not p.requires_grad],
            "frozen_norm_layers": list(self.frozen_norm_names),
            "unfrozen_by_schedule": self._frozen_check.get("unfrozen_by_schedule", {}),
            **{k: v for k, v in self.run_info.items() if k in ("config_hash", "library_version")},
        }

    def _finish(self, total_s: float) -> dict:
        check = self._verify_frozen()
        trainable, total = count_parameters(self.model)
        summary = {
            "status": "completed" if check["verified"] else "frozen_check_failed",
            "epochs": self.epoch,
            "global_step": self.global_step,
            "final": self.history[-1] if self.history else {},
            "best": self.best,
            "frozen_check": check,
            "params": {
                "trainable": trainable,
                "all": total,
                "trainable_percent": 100 * trainable / total if total else 0.0,
            },
            "timings": {
                "total_s": total_s,
                **self.timings,
                "epoch_s": [r["time_s"] for r in self.history],
            },
            **self.run_info,
        }
        if self.files is not None:
            self.files.write_summary(summary)
            if self.plot:
                self.files.plot(self.history)
        if not check["verified"]:
            raise TrainingError(
                f"frozen parameters changed during training: {', '.join(check['changed'])}"
            )
        return summary
