"""`Trainer`: fit any Module with any loss and optimizer; evaluate under `no_grad`.

Usable from Python without any YAML. It keeps what PyTorch leaves to the user: frozen norm
layers stay in eval mode, evaluation restores every module's mode, metrics are python floats,
gradual unfreezing adds param groups the scheduler also drives, every frozen parameter is
checked to be bit-identical at the end, a non-finite step is refused, and (with a run
directory) checkpoints hold everything needed to resume bit-identically, even mid-epoch.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from ..autograd.generator import get_rng_state, set_rng_state
from ..autograd.grad_mode import no_grad
from ..nn import Module
from ..nn.utils import clip_grad_norm_
from .checkpoint import CheckpointWriteError
from .errors import TrainingError
from .freeze import eval_mode
from .freeze_tracker import FreezeTracker
from .guards import (
    EarlyStopping,
    Interrupted,
    NonFiniteError,
    StopRequest,
    describe_nonfinite,
    grads_finite,
)
from .metrics import MetricAccumulator, default_mode, is_better
from .progress import Progress, len_or_none
from .report import count_parameters, epoch_line
from .run_files import RunFiles

# run_info keys a checkpoint keeps (the rest is for summary.json only)
STATE_INFO_KEYS = ("config_hash", "library_version", "resume_config")


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
    a new param group. `on_nonfinite` is 'error' (stop, naming the parameter) or
    'skip_step'. `patience` turns on early stopping on `monitor`. With `run_dir`,
    metrics.jsonl, checkpoints (also every `checkpoint_every_n_steps`) and summary.json
    are written, and Ctrl-C saves `last` before stopping.
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
        on_nonfinite: str = "error",
        patience: int | None = None,
        min_delta: float = 0.0,
        checkpoint_every_n_steps: int | None = None,
        handle_sigint: bool = True,
        progress: bool = True,
        plot: bool = True,
        log: Callable | None = print,
        run_info: dict | None = None,
    ) -> None:
        if scheduler_interval not in ("epoch", "step"):
            raise ValueError(
                f"scheduler_interval must be 'epoch' or 'step', got {scheduler_interval!r}"
            )
        if on_nonfinite not in ("error", "skip_step"):
            raise ValueError(f"on_nonfinite must be 'error' or 'skip_step', got {on_nonfinite!r}")
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.scheduler_interval = scheduler_interval
        self.task = task
        self.grad_clip = grad_clip
        self.eval_every = eval_every
        self.monitor = monitor
        self.mode = default_mode(monitor) if mode == "auto" else mode
        self.on_nonfinite = on_nonfinite
        self.early_stopping = EarlyStopping(patience, min_delta, self.mode) if patience else None
        self.checkpoint_every = checkpoint_every_n_steps
        self.handle_sigint = handle_sigint
        self.save_last, self.save_best = save_last, save_best
        self.files = RunFiles(run_dir) if run_dir else None
        self.plot = plot
        self.progress = Progress(enabled=progress and sys.stderr.isatty(), log=log)
        self.freezing = FreezeTracker(
            model, freeze_schedule, frozen_norm_eval, no_decay_bias_and_norm, self.progress.write
        )
        self.run_info = dict(run_info or {})
        self.epoch = 0  # completed epochs
        self.global_step = 0  # batches done (skipped non-finite steps included)
        self.skipped_steps = 0
        self.history: list[dict] = []
        self.best: dict | None = None
        self.stopped_early: dict | None = None
        self.timings = {"train_s": 0.0, "eval_s": 0.0}
        self.last_saved: dict | None = None  # which `last` is on disk (for error messages)
        self._position: dict | None = None  # the epoch in progress, for mid-epoch saves
        self._resume_rng: dict | None = None
        self._train_loader = None
        self._stop = StopRequest(enabled=False)

    @property
    def frozen_norm_names(self) -> list[str]:
        return self.freezing.frozen_norm_names

    # ----- one step ------------------------------------------------------------------------
    def _step(self, batch, epoch: int) -> tuple[float | None, int]:
        """One optimizer step; (loss, batch size), or (None, size) for a skipped step."""
        inputs, targets = _unpack(batch)
        loss = self.loss_fn(self.model(inputs), targets)
        value = float(loss.item())
        self.optimizer.zero_grad()
        if loss.requires_grad:
            loss.backward()  # also for a non-finite loss: the gradients tell where it came from
        if not math.isfinite(value) or not grads_finite(self.optimizer):
            message = describe_nonfinite(self.model, value, inputs, epoch, self.global_step + 1)
            self.optimizer.zero_grad()
            if self.on_nonfinite == "error":
                raise NonFiniteError(
                    f"{message}. Nothing was updated and no checkpoint was written for this "
                    "step (set trainer.on_nonfinite: skip_step to skip such steps)"
                )
            self.skipped_steps += 1
            self.global_step += 1
            self.progress.write(f"warning: skipped step: {message}")
            return None, int(targets.shape[0])
        if self.grad_clip is not None:
            clip_grad_norm_(
                [p for g in self.optimizer.param_groups for p in g["params"]], self.grad_clip
            )
        self.optimizer.step()
        if self.scheduler is not None and self.scheduler_interval == "step":
            self.scheduler.step()
        self.global_step += 1
        return value, int(targets.shape[0])

    # ----- random generators (all of them, so a resumed run draws the same numbers) --------------
    def _rng_state(self) -> dict:
        gen = getattr(self._train_loader, "generator", None)
        return {"global": get_rng_state(), "train_loader": gen.get_state() if gen else None}

    def _set_rng_state(self, state: dict) -> None:
        set_rng_state(state["global"])
        gen = getattr(self._train_loader, "generator", None)
        if gen is not None and state.get("train_loader") is not None:
            gen.set_state(state["train_loader"])

    # ----- one epoch -----------------------------------------------------------------------------
    def _train_epoch(self, loader: Iterable, epoch: int, resume: dict | None) -> float:
        """Mean training loss; `resume` (a saved position) replays the epoch's batch order
        from its start and skips the batches already done."""
        self.freezing.train_mode()
        if resume is None:
            total, count, skip = 0.0, 0, 0
            self._position = {"epoch": epoch, "batch": 0, "rng_epoch_start": self._rng_state()}
        else:
            total, count, skip = resume["loss_total"], resume["count"], resume["batch"]
            self._position = {k: resume[k] for k in ("epoch", "batch", "rng_epoch_start")}
            self._set_rng_state(resume["rng_epoch_start"])
        bar = self.progress.batches(loader, epoch)
        every = self.checkpoint_every
        n_batches = len_or_none(loader) if self.files and every else None
        seen = 0
        for index, batch in enumerate(bar):
            seen = index + 1
            if index < skip:
                if index == skip - 1:  # the order is drawn: back to where the save was made
                    self._set_rng_state(resume["rng"])
                continue
            value, n = self._step(batch, epoch)
            if value is not None:
                total += value * n
                count += n
                lr = self.optimizer.param_groups[0]["lr"]
                self.progress.postfix(bar, loss=total / count, lr=lr)
            self._position.update(batch=index + 1, loss_total=total, count=count)
            epoch_end_follows = self.save_last and index + 1 == n_batches
            if self.files and every and self.global_step % every == 0 and not epoch_end_follows:
                self._save("last")
            if self._stop.requested:
                self._interrupt(epoch)
        self._position = None
        if seen == 0:
            raise TrainingError(f"epoch {epoch}: the training loader gave no batches")
        return total / count if count else float("nan")

    def _interrupt(self, epoch: int) -> None:
        where = f"epoch {epoch}, step {self.global_step}"
        if self.files is None:
            raise Interrupted(f"interrupted at {where}", None, None)
        saved = self.last_saved
        fresh = saved is not None and saved["step"] == self.global_step  # saved at this step
        path = saved["path"] if fresh else self._save("last")
        raise Interrupted(f"interrupted at {where}; saved {path}", path, self.files.folder)

    # ----- evaluation -------------------------------------------------------------------------
    def _eval_batches(self, loader: Iterable, on_batch: Callable) -> None:
        with eval_mode(self.model), no_grad():
            for batch in loader:
                inputs, targets = _unpack(batch)
                on_batch(self.model(inputs), targets)

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
        """Train until `epochs` epochs are done (or early stopping); returns the summary."""
        start = time.perf_counter()
        self._train_loader = train_loader
        if not self.freezing.prepared:
            self.freezing.prepare(self.optimizer)
        if self._resume_rng is not None:
            self._set_rng_state(self._resume_rng)
            self._resume_rng = None
        resume, self._position = self._position, None
        epoch_bar = self.progress.epochs(self.epoch, epochs)
        with StopRequest(self.handle_sigint and self.files is not None) as self._stop:
            for epoch in range(self.epoch + 1, epochs + 1):
                if self.stopped_early:
                    break
                mid = resume if resume is not None and resume["epoch"] == epoch else None
                resume = None
                if mid is None:
                    self.freezing.apply_schedule(epoch, self.optimizer, self.scheduler)
                self._run_epoch(train_loader, val_loader, epoch, epochs, mid)
                self.progress.advance(epoch_bar, self.history[-1])
                if self._stop.requested and epoch < epochs and not self.stopped_early:
                    raise Interrupted(
                        f"interrupted after epoch {epoch}; saved {self._last_path()}",
                        self._last_path(),
                        self.files.folder,
                    )
        self.progress.close(epoch_bar)
        return self._finish(time.perf_counter() - start)

    def _run_epoch(self, train_loader, val_loader, epoch: int, epochs: int, mid) -> None:
        t0 = time.perf_counter()
        train_loss = self._train_epoch(train_loader, epoch, mid)
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
            g.get("name", str(i)): float(g["lr"]) for i, g in enumerate(self.optimizer.param_groups)
        }
        record["time_s"] = time.perf_counter() - t0
        self.epoch = epoch
        self.history.append(record)
        self.progress.write(epoch_line(record, epochs))
        improved = self._update_best(record)
        self._check_early_stop(record)
        self._save_epoch(improved)

    def _check_early_stop(self, record: dict) -> None:
        es = self.early_stopping
        if es is None or not es.update(record.get(self.monitor)):
            return
        epoch = record["epoch"]
        self.stopped_early = {
            "epoch": epoch,
            "monitor": self.monitor,
            "best": es.best,
            "patience": es.patience,
            "min_delta": es.min_delta,
        }
        best = "no finite value" if es.best is None else f"best {es.best:.6g}"
        self.progress.write(
            f"early stopping after epoch {epoch}: {self.monitor} has not improved by more "
            f"than {es.min_delta:g} for {es.patience} evaluations ({best})"
        )

    def _update_best(self, record: dict) -> bool:
        value = record.get(self.monitor)
        improved = is_better(value, None if self.best is None else self.best["value"], self.mode)
        if improved:
            self.best = {
                "monitor": self.monitor,
                "mode": self.mode,
                "value": value,
                "epoch": record["epoch"],
            }
        return improved

    # ----- saving ------------------------------------------------------------------------------
    def _save_epoch(self, improved: bool) -> None:
        if self.files is None:
            return
        self._write(lambda: self.files.write_metrics(self.history), "metrics.jsonl")
        if self.save_last or self._stop.requested or self.stopped_early:
            self._save("last")
        if self.save_best and improved:
            self._save("best")

    def _save(self, tag: str) -> str:
        """Write checkpoint `tag` of the current state; returns its JSON path."""
        state = self.state_dict()
        path = self._write(
            lambda: self.files.save_checkpoint(
                tag, self.model, self.optimizer, self.scheduler, state
            ),
            f"checkpoints/{tag}",
        )
        if tag == "last":
            pos = state["position"]
            where = f"epoch {pos['epoch']} in progress" if pos else f"end of epoch {self.epoch}"
            self.last_saved = {"path": path, "step": self.global_step, "where": where}
        return path

    def _last_path(self) -> str | None:
        return self.last_saved["path"] if self.last_saved else None

    def _write(self, action: Callable, what: str):
        try:
            return action()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            kept = (
                f"the previous checkpoint ({self.last_saved['path']}: step "
                f"{self.last_saved['step']}, {self.last_saved['where']}) is intact: "
                f"make room or fix the permissions, then resume with --resume {self.files.folder}"
                if self.last_saved
                else "no checkpoint of this run was written yet"
            )
            kind = "checkpoint" if isinstance(exc, CheckpointWriteError) else "file"
            raise TrainingError(
                f"cannot write {kind} {what} in {self.files.folder}: {reason}; {kept}"
            ) from None

    # ----- state -------------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """The trainer's own state as plain data (a checkpoint's `trainer` record)."""
        position = None
        if self._position is not None and self._position.get("batch"):
            position = {**self._position, "rng": self._rng_state()}
        return {
            "epoch": self.epoch,
            "global_step": self.global_step,
            "skipped_steps": self.skipped_steps,
            "position": position,
            "best": self.best,
            "monitor": self.monitor,
            "mode": self.mode,
            "early_stopping": self.early_stopping.state_dict() if self.early_stopping else None,
            "stopped_early": self.stopped_early,
            "history": self.history,
            "rng": self._rng_state(),
            "frozen": [n for n, p in self.model.named_parameters() if not p.requires_grad],
            "frozen_norm_layers": list(self.frozen_norm_names),
            "unfrozen_by_schedule": dict(self.freezing.unfrozen_by_schedule),
            **{k: v for k, v in self.run_info.items() if k in STATE_INFO_KEYS},
        }

    def load_state_dict(self, state: dict) -> None:
        """Counters, history, best, early stopping, position and generator states from a
        checkpoint (weights, optimizer and freezing are restored by `resume.py`)."""
        self.epoch = state["epoch"]
        self.global_step = state["global_step"]
        self.skipped_steps = state.get("skipped_steps", 0)
        self.history = list(state["history"])
        same_monitor = state.get("monitor") == self.monitor and state.get("mode") == self.mode
        self.best = state.get("best") if same_monitor else None
        self.stopped_early = state.get("stopped_early")
        if self.early_stopping is not None and same_monitor and state.get("early_stopping"):
            self.early_stopping.load_state_dict(state["early_stopping"])
        self._position = state.get("position")
        self._resume_rng = state["rng"]

    def resume_from(self, path: str, weights_only: bool = False) -> dict:
        """Continue from a checkpoint (a run directory or a checkpoint .json) in library use.

        Build the model, optimizer and scheduler as for the original run first; see
        `resume.restore` for what is restored and checked.
        """
        from . import resume

        return resume.restore(self, None, resume.load(path), weights_only)

    # ----- the end -----------------------------------------------------------------------------
    def _finish(self, total_s: float) -> dict:
        check = self.freezing.verify()
        trainable, total = count_parameters(self.model)
        status = "completed" if not self.stopped_early else "stopped_early"
        summary = {
            "status": status if check["verified"] else "frozen_check_failed",
            "epochs": self.epoch,
            "global_step": self.global_step,
            "skipped_steps": self.skipped_steps,
            "stopped_early": self.stopped_early,
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
                "epoch_s": [r.get("time_s") for r in self.history],
            },
            **{k: v for k, v in self.run_info.items() if k != "resume_config"},
        }
        if self.files is not None:
            self._write(lambda: self.files.write_summary(summary), "summary.json")
            if self.plot:
                self.files.plot(self.history)
        if not check["verified"]:
            raise TrainingError(
                f"frozen parameters changed during training: {', '.join(check['changed'])}"
            )
        return summary
