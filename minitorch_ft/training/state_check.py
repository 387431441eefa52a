"""Checks that a checkpoint's state has the shape this library writes, before any is used.

A state file is data from outside: every field the trainer reads is checked for presence
and type, and generator states are tried on a scratch generator, so a damaged or
hand-edited file gives one message naming the field, never a crash in the middle of a run.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..autograd.generator import Generator


class StateProblem(ValueError):
    """A field of a checkpoint state that is missing or of the wrong kind."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _need(ok: bool, where: str, expected: str, value: Any) -> None:
    if not ok:
        got = "nothing" if value is _MISSING else f"{type(value).__name__} {value!r}"[:80]
        raise StateProblem(f"{where}: expected {expected}, got {got}")


_MISSING = object()


def _int(state: dict, key: str, where: str, low: int = 0) -> int:
    value = state.get(key, _MISSING)
    _need(_is_int(value) and value >= low, f"{where}.{key}", f"an integer >= {low}", value)
    return value


def _rng(value: Any, where: str, optional: bool = False) -> None:
    if value is None and optional:
        return
    _need(isinstance(value, dict), where, "a generator state", value)
    try:
        Generator(0).set_state(value)
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise StateProblem(f"{where}: not a usable generator state ({exc})") from None


def _generators(rng: Any, where: str) -> None:
    """The global generator's state and the training loader's (or null)."""
    _need(isinstance(rng, dict), where, "a dict of generator states", rng)
    _rng(rng.get("global", _MISSING), f"{where}.global")
    _rng(rng.get("train_loader"), f"{where}.train_loader", optional=True)


def check_trainer(state: dict) -> None:
    """Every trainer field a resume reads, with its type; raises StateProblem."""
    where = "trainer"
    _int(state, "epoch", where)
    _int(state, "global_step", where)
    if "skipped_steps" in state:
        _int(state, "skipped_steps", where)
    history = state.get("history", _MISSING)
    _need(isinstance(history, list), f"{where}.history", "a list of epoch records", history)
    for i, record in enumerate(history):
        _record(record, f"{where}.history[{i}]")
    _generators(state.get("rng", _MISSING), f"{where}.rng")
    _names(state.get("frozen", _MISSING), f"{where}.frozen")
    _position(state.get("position"), f"{where}.position")
    _optional_dict(state, "best", where, {"value": _is_number_or_none, "epoch": _is_int})
    _optional_dict(
        state, "early_stopping", where, {"best": _is_number_or_none, "bad_checks": _is_int}
    )
    _optional_dict(state, "stopped_early", where, {"epoch": _is_int})
    for key in ("monitor", "mode"):
        value = state.get(key)
        _need(value is None or isinstance(value, str), f"{where}.{key}", "a string", value)


def _names(value: Any, where: str) -> None:
    ok = isinstance(value, list) and all(isinstance(n, str) for n in value)
    _need(ok, where, "a list of parameter names", value)


def _record(record: Any, where: str) -> None:
    """One epoch of the history: its numbers are numbers (they are printed and plotted)."""
    _need(isinstance(record, dict), where, "an epoch record", record)
    _int(record, "epoch", where, 1)
    _int(record, "step", where)
    for key, value in record.items():
        if key.startswith(("train_", "val_")) or key == "time_s":
            _need(_is_number_or_none(value), f"{where}.{key}", "a number or null", value)
    lrs = record.get("lr", {})
    _need(
        isinstance(lrs, dict) and all(_is_number(v) for v in lrs.values()),
        f"{where}.lr",
        "a mapping of learning rates",
        lrs,
    )


def _is_number_or_none(value: Any) -> bool:
    return value is None or _is_number(value)


def _optional_dict(state: dict, key: str, where: str, fields: dict) -> None:
    value = state.get(key)
    if value is None:
        return
    _need(isinstance(value, dict), f"{where}.{key}", "a mapping or null", value)
    for name, ok in fields.items():
        item = value.get(name, _MISSING)
        _need(item is not _MISSING and ok(item), f"{where}.{key}.{name}", "a number", item)


def _position(position: Any, where: str) -> None:
    if position is None:
        return
    _need(isinstance(position, dict), where, "a mid-epoch position or null", position)
    _int(position, "epoch", where, 1)
    _int(position, "batch", where, 1)
    _int(position, "count", where)
    total = position.get("loss_total", _MISSING)
    _need(_is_number(total), f"{where}.loss_total", "a number", total)
    _generators(position.get("rng", _MISSING), f"{where}.rng")
    _generators(position.get("rng_epoch_start", _MISSING), f"{where}.rng_epoch_start")


def like(saved: Any, live: Any, where: str) -> None:
    """`saved` has the structure and value kinds of `live` (numbers as numbers, lists of the
    same length, the keys `live` has); a hand-edited or foreign state fails here."""
    if live is None or isinstance(live, bool) or isinstance(live, str):
        _need(
            saved is None if live is None else type(saved) is type(live),
            where,
            type(live).__name__ if live is not None else "null",
            saved,
        )
    elif _is_number(live):
        _need(_is_number(saved), where, "a number", saved)
    elif isinstance(live, (list, tuple)):
        _need(
            isinstance(saved, (list, tuple)) and len(saved) == len(live),
            where,
            f"a list of {len(live)} items",
            saved,
        )
        for i, (s, v) in enumerate(zip(saved, live, strict=True)):
            like(s, v, f"{where}[{i}]")
    elif isinstance(live, dict):
        _need(isinstance(saved, dict), where, "a mapping", saved)
        if all(isinstance(k, str) for k in live):
            for key, value in live.items():
                _need(key in saved, f"{where}.{key}", "a value", _MISSING)
                like(saved[key], value, f"{where}.{key}")
        else:  # e.g. MultiStepLR's Counter of milestones: any numbers
            for key, value in saved.items():
                _need(_is_number(key) and _is_number(value), f"{where}[{key!r}]", "numbers", value)


def _typed_record(record: Any, where: str) -> None:
    """A mapping with the class name of what it holds under `type`."""
    _need(isinstance(record, dict), where, "a mapping", record)
    _need(isinstance(record.get("type"), str), f"{where}.type", "a class name", record.get("type"))


def check_optimizer(record: Any) -> None:
    """The optimizer part of a checkpoint: its type, groups by parameter name, scalars."""
    where = "optimizer"
    _typed_record(record, where)
    groups = record.get("param_groups", _MISSING)
    _need(isinstance(groups, list), f"{where}.param_groups", "a list of groups", groups)
    for i, group in enumerate(groups):
        at = f"{where}.param_groups[{i}]"
        _need(isinstance(group, dict), at, "a group", group)
        _names(group.get("param_names", _MISSING), f"{at}.param_names")
    scalars = record.get("scalars", {})
    _need(isinstance(scalars, dict), f"{where}.scalars", "a mapping", scalars)
    for name, entries in scalars.items():
        _need(isinstance(entries, dict), f"{where}.scalars.{name}", "a mapping", entries)


def check_scheduler(record: Any) -> None:
    """The scheduler part of a checkpoint: its type and a state mapping."""
    where = "scheduler"
    _typed_record(record, where)
    state = record.get("state", _MISSING)
    _need(isinstance(state, dict), f"{where}.state", "a mapping", state)
