"""Resuming a run: weights, freezing, param groups by name, optimizer, scheduler, generators.

`restore` puts a freshly built run (model, optimizer, scheduler, trainer) into the state a
checkpoint recorded, so that training continues bit-identically: the weights are loaded,
freezing is re-applied (requires_grad flags are not in the weights), the groups a freeze
schedule added are added again, and the optimizer state is matched to parameters by name.
A config that changed the model or the groups is refused, naming every difference, unless
`weights_only` asks for the weights alone (a fresh optimizer and schedule).
"""

from __future__ import annotations

import inspect
import os
from typing import Any

import numpy as np

from ..autograd.creation import zeros
from ..autograd.tensor import Tensor
from ..nn import Parameter
from . import checkpoint as ck
from . import config as cfgmod
from .errors import ConfigError, Problem
from .schema import Config
from .state_check import StateProblem, check_optimizer, check_scheduler, check_trainer, like

MODEL_KEYS = ("model.name", "model.target", "model.args")
# how parameters are grouped (membership is also checked on the rebuilt groups themselves)
GROUP_KEYS = ("optimizer.param_groups", "optimizer.no_decay_bias_and_norm")
HINT = "use --resume-weights-only to load the weights alone and start a fresh optimizer"


class ResumeError(ConfigError):
    """A checkpoint that does not fit the config or the model (exit code 2)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__([Problem(path, None, message)])


# ----- the config a checkpoint remembers ---------------------------------------------------------
def config_changes(saved: dict, now: dict) -> list[tuple[str, Any, Any]]:
    """(key, checkpoint value, config value) for every compared key that differs."""
    keys = sorted(set(saved) | set(now))
    return [(k, saved.get(k), now.get(k)) for k in keys if saved.get(k) != now.get(k)]


def _show(key: str, old: Any, new: Any) -> str:
    return f"{key} (checkpoint {old!r}, config {new!r})"


# ----- reading -------------------------------------------------------------------------------------
def load(path: str) -> ck.Checkpoint:
    """Locate, read and check a checkpoint for resuming; every problem names the file."""
    try:
        ckpt = ck.read(ck.locate(path))
    except ck.CheckpointError as exc:
        raise ResumeError("--resume", str(exc)) from None
    try:
        check_trainer(ckpt.trainer)
        if "optimizer" in ckpt.record:
            check_optimizer(ckpt.record["optimizer"])
        if ckpt.record.get("scheduler") is not None:
            check_scheduler(ckpt.record["scheduler"])
    except StateProblem as exc:
        raise ResumeError(
            ckpt.path,
            f"{exc}: the checkpoint state is incomplete or was edited "
            "(not as a minitorch_ft training run writes it)",
        ) from None
    return ckpt


def run_dir_of(json_path: str) -> str | None:
    """The run directory holding a checkpoint (`RUN/checkpoints/x.json`), else None."""
    folder = os.path.dirname(os.path.abspath(json_path))
    if os.path.basename(folder) == "checkpoints":
        return os.path.dirname(folder)
    return None


# ----- the pieces ----------------------------------------------------------------------------------
def load_model_weights(model, ckpt: ck.Checkpoint) -> None:
    """Load the weights strictly; every missing, unexpected or mis-shaped key is named."""
    own = model.state_dict()
    arrays = ckpt.weights
    problems = [f"missing in checkpoint: {k}" for k in own if k not in arrays]
    problems += [f"not in the model: {k}" for k in arrays if k not in own]
    problems += [
        f"shape mismatch: {k}: checkpoint {tuple(arrays[k].shape)} vs model {tuple(v.shape)}"
        for k, v in own.items()
        if k in arrays and tuple(arrays[k].shape) != tuple(v.shape)
    ]
    problems += [
        f"dtype mismatch: {k}: checkpoint {arrays[k].dtype} vs model {v._data.dtype}"
        for k, v in own.items()
        if k in arrays
        and tuple(arrays[k].shape) == tuple(v.shape)
        and arrays[k].dtype != v._data.dtype
    ]
    if problems:
        raise ResumeError(
            ckpt.path,
            f"the weights do not fit the model ({len(problems)} mismatched keys; did the "
            f"config change the model?): " + "; ".join(problems),
        )
    model.load_state_dict({k: Tensor._wrap(np.array(arrays[k])) for k in own})


def group_names(optimizer, model) -> list[tuple[str, list[str]]]:
    """(group name, parameter names) of each param group, by name even without param_names."""
    names = {id(p): n for n, p in model.named_parameters()}
    return [
        (str(g.get("name", i)), list(g.get("param_names") or [names[id(p)] for p in g["params"]]))
        for i, g in enumerate(optimizer.param_groups)
    ]


def _describe(groups: list[tuple[str, list[str]]]) -> str:
    return "; ".join(f"{name}: {', '.join(params) or '-'}" for name, params in groups)


def check_groups(ckpt: ck.Checkpoint, now: list[tuple[str, list[str]]]) -> None:
    saved = [
        (str(g.get("name", i)), list(g.get("param_names", [])))
        for i, g in enumerate(ckpt.record["optimizer"]["param_groups"])
    ]
    if saved != now:
        raise ResumeError(
            ckpt.path,
            "the config gives other optimizer param groups than the checkpoint's "
            f"(checkpoint: {_describe(saved)} | config: {_describe(now)}); {HINT}",
        )


def load_optimizer(optimizer, ckpt: ck.Checkpoint, now: list[tuple[str, list[str]]]) -> None:
    """Optimizer state matched to the parameters by name (torch keys it by position)."""
    record = ckpt.record["optimizer"]
    if record.get("type") != type(optimizer).__name__:
        raise ResumeError(
            ckpt.path,
            f"the checkpoint holds {record.get('type')} state, the config builds "
            f"{type(optimizer).__name__}; {HINT}",
        )
    per_param: dict[str, dict] = {}
    for key, array in (ckpt.optimizer_arrays or {}).items():
        name, _, entry = key.rpartition("/")
        per_param.setdefault(name, {})[entry] = array
    for name, scalars in (record.get("scalars") or {}).items():
        per_param.setdefault(name, {}).update(scalars)
    _check_optimizer_record(optimizer, ckpt, record, per_param)
    state, groups, start = {}, [], 0
    for saved, (_, names) in zip(record["param_groups"], now, strict=True):
        indices = list(range(start, start + len(names)))
        start += len(names)
        groups.append({**{k: v for k, v in saved.items() if k != "param_names"}, "params": indices})
        state.update(
            {i: per_param[n] for i, n in zip(indices, names, strict=True) if n in per_param}
        )
    try:
        optimizer.load_state_dict({"state": state, "param_groups": groups})
    except (KeyError, TypeError, ValueError) as exc:
        raise ResumeError(ckpt.path, f"the optimizer state cannot be loaded: {exc}") from None


def _check_optimizer_record(optimizer, ckpt: ck.Checkpoint, record: dict, per_param) -> None:
    """Hyper-parameters of the kinds the live groups hold; arrays of the parameters' shapes."""
    params = {}
    try:
        for i, (saved, live) in enumerate(
            zip(record["param_groups"], optimizer.param_groups, strict=True)
        ):
            hyper = {k: v for k, v in live.items() if k not in ("params", "param_names")}
            like(saved, hyper, f"optimizer.param_groups[{i}]")
            _check_values(optimizer, saved, f"optimizer.param_groups[{i}]")
            names = live.get("param_names") or saved.get("param_names") or []
            params.update(zip(names, live["params"], strict=False))
        for name, entries in per_param.items():
            for key, value in entries.items():
                where = f"optimizer state {name}/{key}"
                if hasattr(value, "shape"):
                    if name not in params:
                        raise StateProblem(f"{where}: {name} is not a parameter of these groups")
                    shape = () if key == "step" else tuple(params[name].shape)
                    if tuple(value.shape) != shape:
                        raise StateProblem(f"{where}: shape {tuple(value.shape)}, expected {shape}")
                elif not (value is None or isinstance(value, (int, float))):
                    raise StateProblem(f"{where}: unexpected {type(value).__name__}")
    except (StateProblem, KeyError, TypeError, ValueError) as exc:
        raise ResumeError(ckpt.path, f"the optimizer state does not fit: {exc}") from None


def _check_values(optimizer, saved: dict, where: str) -> None:
    """Ranges (lr >= 0, betas in [0, 1), ...) as the optimizer's own constructor checks them."""
    cls = type(optimizer)
    accepted = inspect.signature(cls.__init__).parameters
    hyper = {k: v for k, v in saved.items() if k in optimizer.defaults and k in accepted}
    try:
        cls([Parameter(zeros(1))], **hyper)
    except (TypeError, ValueError) as exc:
        raise StateProblem(f"{where}: {exc}") from None


def load_scheduler(scheduler, ckpt: ck.Checkpoint) -> None:
    saved = ckpt.record.get("scheduler")
    now_type = type(scheduler).__name__ if scheduler is not None else None
    saved_type = saved.get("type") if isinstance(saved, dict) else None
    if now_type != saved_type:
        raise ResumeError(
            ckpt.path,
            f"the checkpoint's scheduler is {saved_type or 'none'}, the config builds "
            f"{now_type or 'none'}; {HINT}",
        )
    if scheduler is not None:
        try:
            like(saved.get("state"), scheduler.state_dict(), "scheduler.state")
        except StateProblem as exc:
            raise ResumeError(ckpt.path, f"the scheduler state does not fit: {exc}") from None
        scheduler.load_state_dict(saved["state"])


# ----- everything ------------------------------------------------------------------------------------
def restore(trainer, cfg: Config | None, ckpt: ck.Checkpoint, weights_only: bool = False) -> dict:
    """Put `trainer` (built from `cfg`) into the checkpoint's state; returns a report with
    the config differences that were accepted (as warnings) and where training resumes.

    `cfg` None (library use) skips the config comparison; weights, frozen parameters and
    param groups are still checked against the checkpoint.
    """
    state = ckpt.trainer
    warnings = _compare_configs(ckpt, cfg, weights_only) if cfg is not None else []
    load_model_weights(trainer.model, ckpt)
    trainer.freezing.prepare(trainer.optimizer)
    position = state.get("position")
    upto = position["epoch"] if position else state["epoch"]
    for epoch in range(1, upto + 1):  # the groups a freeze schedule added, in the same order
        trainer.freezing.apply_schedule(epoch, trainer.optimizer, trainer.scheduler, replay=True)
    now = group_names(trainer.optimizer, trainer.model)
    if not weights_only:
        frozen = [n for n, p in trainer.model.named_parameters() if not p.requires_grad]
        if frozen != list(state["frozen"]):
            added = [n for n in frozen if n not in state["frozen"]]
            removed = [n for n in state["frozen"] if n not in frozen]
            raise ResumeError(
                ckpt.path,
                "the config freezes other parameters than the checkpoint's "
                f"(frozen now, trainable in the checkpoint: {', '.join(added) or '-'}; "
                f"trainable now, frozen in the checkpoint: {', '.join(removed) or '-'}); {HINT}",
            )
        if "optimizer" not in ckpt.record:
            raise ResumeError(ckpt.path, f"the checkpoint holds no optimizer state; {HINT}")
        check_groups(ckpt, now)
        load_optimizer(trainer.optimizer, ckpt, now)
        load_scheduler(trainer.scheduler, ckpt)
    try:
        trainer.load_state_dict(state)
    except (KeyError, TypeError, ValueError) as exc:
        raise ResumeError(ckpt.path, f"the trainer state cannot be loaded: {exc}") from None
    return {
        "path": ckpt.path,
        "epoch": state["epoch"],
        "global_step": state["global_step"],
        "mid_epoch": position is not None,
        "weights_only": weights_only,
        "warnings": warnings,
    }


def _compare_configs(ckpt: ck.Checkpoint, cfg: Config, weights_only: bool) -> list[str]:
    saved = ckpt.trainer.get("resume_config")
    if not isinstance(saved, dict):
        return []
    changes = config_changes(saved, cfgmod.comparable(cfg))
    for keys, what in ((MODEL_KEYS, "model"), (GROUP_KEYS, "optimizer param groups")):
        changed = [c for c in changes if c[0].startswith(keys)]
        if changed and not weights_only:
            raise ResumeError(
                ckpt.path,
                f"the config changed the {what}: "
                + "; ".join(_show(*c) for c in changed)
                + f"; {HINT}",
            )
    return [_show(*c) for c in changes]
