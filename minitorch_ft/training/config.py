"""YAML config -> typed `Config`, validated strictly before any work is done.

`load_config(path, overrides)` reads the file and its `base:` chain, applies `--set` overrides
and checks every key: unknown keys (with a "did you mean"), types, ranges and files. All
problems found are raised together as one `ConfigError` naming file and key path.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
import os
import types
import typing
from typing import Any, Literal

import yaml

from . import schema
from .errors import ConfigError, ProblemCollector
from .schema import Config
from .sources import Sources, apply_override, load_tree

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _show(value: Any) -> str:
    """A value as it reads in a message: strings quoted, YAML words for null/booleans."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    text = repr(value) if isinstance(value, (int, float)) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e16 else f"{x:g}"


def _bound(meta: dict, strict: str, inclusive: str, sign: str) -> str:
    if strict in meta:
        return f"{sign} {_num(meta[strict])}"
    return f"{sign}= {_num(meta[inclusive])}" if inclusive in meta else ""


def _lower(meta: dict) -> str:
    return _bound(meta, "gt", "ge", ">")


def _upper(meta: dict) -> str:
    return _bound(meta, "lt", "le", "<")


def _range_hint(meta: dict) -> str:
    """' >= 1' (or the upper bound when there is no lower one) to follow 'expected a number'."""
    bound = _lower(meta) or _upper(meta)
    return f" {bound}" if bound else ""


def _kind(tp: Any) -> str:
    if tp is bool:
        return "true or false"
    if tp is int:
        return "an integer"
    if tp is float:
        return "a number"
    if tp is str:
        return "a string"
    return "a value"


class _Validator:
    """Walks raw YAML data against the schema dataclasses, collecting problems."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.problems = ProblemCollector()

    def fail(self, path: str, message: str) -> None:
        self.problems.add(self.sources.of(path), path, message)

    # ----- dataclasses -------------------------------------------------------------------
    def section(self, cls: type, raw: Any, path: str) -> Any:
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            self.fail(path or "(top level)", f"expected a mapping, got {_show(raw)}")
            raw = {}
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for key in raw:
            if key not in fields:
                self.fail(_join(path, key), "unknown key" + _suggest_key(str(key), fields, path))
        values = {}
        for name, fld in fields.items():
            sub = _join(path, name)
            if name in raw:
                values[name] = self.value(raw[name], _hints(cls)[name], sub, fld.metadata)
            elif fld.metadata.get("required"):
                self.fail(sub, "required key is missing")
        return cls(**{k: v for k, v in values.items() if v is not _BAD})

    # ----- values ------------------------------------------------------------------------
    def value(self, value: Any, tp: Any, path: str, meta: dict) -> Any:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if value is None:
                return None
            return self.value(value, args[0], path, meta)
        if dataclasses.is_dataclass(tp):
            return self.section(tp, value, path)
        if origin is Literal:
            return self.choice(value, typing.get_args(tp), path)
        if origin is list:
            return self.list(value, typing.get_args(tp)[0], path, meta)
        if origin is dict:
            if not isinstance(value, dict):
                self.fail(path, f"expected a mapping, got {_show(value)}")
                return _BAD
            return value
        if tp is Any:
            return value
        return self.scalar(value, tp, path, meta)

    def choice(self, value: Any, choices: tuple, path: str) -> Any:
        if value in choices and isinstance(value, str):
            return value
        listed = ", ".join(repr(c) for c in choices)
        hint = _did_you_mean(value, choices) if isinstance(value, str) else ""
        self.fail(path, f"expected one of {listed}, got {_show(value)}{hint}")
        return _BAD

    def list(self, value: Any, item_tp: Any, path: str, meta: dict) -> Any:
        if value is None and not meta.get("nonempty") and "length" not in meta:
            return []  # `patterns: null` = none; a fixed-length list (betas) has no empty form
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {_show(value)}")
            return _BAD
        if meta.get("nonempty") and not value:
            self.fail(path, "expected a non-empty list")
        if "length" in meta and len(value) != meta["length"]:
            self.fail(path, f"expected a list of {meta['length']} items, got {len(value)}")
            return _BAD
        items = [self.value(v, item_tp, f"{path}[{i}]", meta) for i, v in enumerate(value)]
        return _BAD if any(v is _BAD for v in items) else items

    def scalar(self, value: Any, tp: type, path: str, meta: dict) -> Any:
        wanted = _kind(tp)
        if tp is int and isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if tp is str and meta.get("column") and _is_index(value):
            value = str(value)  # `target: 0` names column "0" of a CSV without a header
        ok = (isinstance(value, tp) and not (tp is not bool and isinstance(value, bool))) or (
            tp is float and isinstance(value, int) and not isinstance(value, bool)
        )
        if not ok:
            bound = _range_hint(meta) if tp in (int, float) else ""
            self.fail(path, f"expected {wanted}{bound}, got {_show(value)}")
            return _BAD
        if tp is float:
            shown, value = value, float(value)
            if not math.isfinite(value):
                self.fail(path, f"expected a finite number{_range_hint(meta)}, got {_show(value)}")
                return _BAD
        if tp in (int, float):
            ok = self.in_range(value, wanted, path, meta, shown if tp is float else value)
            return value if ok else _BAD
        if tp is str:
            if not value.strip():
                self.fail(path, "expected a non-empty string")
                return _BAD
            if "length" in meta and len(value) != meta["length"]:
                self.fail(path, f"expected a single character, got {_show(value)}")
                return _BAD
        return value

    def in_range(self, value: float, wanted: str, path: str, meta: dict, shown: Any) -> bool:
        low_ok = ("gt" not in meta or value > meta["gt"]) and (
            "ge" not in meta or value >= meta["ge"]
        )
        high_ok = ("lt" not in meta or value < meta["lt"]) and (
            "le" not in meta or value <= meta["le"]
        )
        if not low_ok:
            self.fail(path, f"expected {wanted} {_lower(meta)}, got {_show(shown)}")
        elif not high_ok:
            self.fail(path, f"expected {wanted} {_upper(meta)}, got {_show(shown)}")
        return low_ok and high_ok


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


_BAD = object()  # marks a value that failed validation (its default is used meanwhile)


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _did_you_mean(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _suggest_key(word: str, fields, section: str) -> str:
    """A close key of `section`, else the same key in another section, else the valid keys."""
    hint = _did_you_mean(word, fields)
    if hint:
        return hint
    for sec_name, cls in schema.SECTIONS.items():
        if sec_name != section and word in {f.name for f in dataclasses.fields(cls)}:
            return f" (did you mean '{sec_name}.{word}'?)"
    return f"; valid keys: {', '.join(fields)}" if section else ""


# ----- checks that involve several keys -------------------------------------------------------
TASK_METRICS = {
    "binary": ("loss", "accuracy", "precision", "recall", "f1", "auc"),
    "multiclass": ("loss", "accuracy"),
    "regression": ("loss", "mse", "mae"),
}


def task_of(cfg: Config) -> str:
    """The task the loss implies; cross-entropy on 2 outputs is refined to binary later."""
    return {"bce_with_logits": "binary", "cross_entropy": "multiclass"}.get(
        cfg.loss.name, "regression"
    )


def _check_files(cfg: Config, v: _Validator) -> None:
    for dotted in ("model.init_from", "data.path"):
        section, _, key = dotted.partition(".")
        path = getattr(getattr(cfg, section), key)
        if path is not None and not os.path.isfile(path):
            kind = "is a directory" if os.path.isdir(path) else "file not found"
            v.fail(dotted, f"{kind}: {path}")


def _cross_checks(cfg: Config, v: _Validator) -> None:
    data = cfg.data
    if data.name == "csv":
        for key in ("path", "target"):
            if getattr(data, key) is None:
                v.fail(f"data.{key}", "required when data.name is 'csv'")
    else:
        defaults = schema.DataConfig()
        for fld in dataclasses.fields(schema.DataConfig):
            if fld.metadata.get("only_for") == "csv" and getattr(data, fld.name) != getattr(
                defaults, fld.name
            ):
                v.fail(
                    f"data.{fld.name}", f"only used when data.name is 'csv' (it is {data.name!r})"
                )
    target = cfg.model.target
    if target is not None and (target.count(":") != 1 or not all(target.split(":"))):
        v.fail("model.target", f"expected 'package.module:function', got {target!r}")
    sched = cfg.scheduler
    if sched.name == "multistep" and sched.milestones != sorted(set(sched.milestones)):
        v.fail("scheduler.milestones", "expected increasing integers")
    if sched.name == "multistep" and not sched.milestones:
        v.fail("scheduler.milestones", "required when scheduler.name is 'multistep'")
    opt = cfg.optimizer
    if opt.name == "sgd" and opt.nesterov and opt.momentum == 0:
        v.fail("optimizer.nesterov", "Nesterov momentum requires a momentum > 0")
    for i, step in enumerate(cfg.freeze.schedule):
        if step.epoch is not None and step.epoch > cfg.trainer.epochs:
            v.fail(
                f"freeze.schedule[{i}].epoch",
                f"epoch {step.epoch} is after the last epoch ({cfg.trainer.epochs})",
            )
    for key in ("patterns", "unfreeze"):
        for i, pattern in enumerate(getattr(cfg.freeze, key)):
            if pattern != pattern.strip():
                v.fail(f"freeze.{key}[{i}]", f"pattern has surrounding spaces: {pattern!r}")
    _check_monitor(cfg, v)


def _check_monitor(cfg: Config, v: _Validator) -> None:
    task = task_of(cfg)
    metrics = set(TASK_METRICS[task]) | (
        set(TASK_METRICS["binary"]) if task == "multiclass" else set()
    )
    allowed = ["train_loss"] + [f"val_{m}" for m in TASK_METRICS[task]]
    monitor = cfg.output.monitor
    if monitor != "train_loss" and not (monitor.startswith("val_") and monitor[4:] in metrics):
        v.fail(
            "output.monitor",
            f"expected one of {', '.join(map(repr, allowed))}, got "
            f"{monitor!r}{_did_you_mean(monitor, allowed)}",
        )


# ----- public API ---------------------------------------------------------------------------
def validate(tree: dict, sources: Sources) -> Config:
    """Typed `Config` from a merged mapping, or a ConfigError listing every problem."""
    v = _Validator(sources)
    cfg = v.section(Config, tree, "")
    _check_files(cfg, v)
    if not v.problems:
        _cross_checks(cfg, v)
    v.problems.raise_if_any()
    return cfg


def load_config(path: str | None, overrides: list[str] | tuple[str, ...] = ()) -> Config:
    """Read, merge, override and validate a config (path None = the built-in defaults)."""
    return load_with_sources(path, overrides)[0]


def load_with_sources(
    path: str | None,
    overrides: list[str] | tuple[str, ...] = (),
    implied: list[tuple[str, str]] | tuple[tuple[str, str], ...] = (),
) -> tuple[Config, Sources]:
    """`load_config`, also returning where each key came from (for later messages).

    `implied` holds (option, KEY=VALUE) overrides that other command-line options make, such
    as ("--checkpoint", "model.init_from=..."): messages about them name that option.
    """
    sources = Sources(path or "--set")
    tree = load_tree(path, sources) if path is not None else {}
    for assignment in overrides:
        apply_override(tree, assignment, sources)
    for origin, assignment in implied:
        apply_override(tree, assignment, sources, origin)
    return validate(tree, sources), sources


def from_dict(tree: dict, name: str = "<dict>") -> Config:
    """Validate a plain mapping (library use without YAML files)."""
    return validate(dict(tree), Sources(name))


def to_dict(cfg: Config) -> dict:
    return dataclasses.asdict(cfg)


def to_yaml(cfg: Config) -> str:
    """The resolved config as YAML, in schema order (what `--print-config` shows)."""
    return yaml.safe_dump(to_dict(cfg), sort_keys=False, default_flow_style=False, width=100)


# Not part of what a run computes: where files live, how it is shown, how long it runs.
NOT_COMPARED = (
    "output",
    "trainer.progress",
    "trainer.epochs",
    "model.init_from",
    "model.init_strict",
)


def _flatten(tree: Any, prefix: str = ""):
    if isinstance(tree, dict) and tree:
        for key, value in tree.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, tree


def comparable(cfg: Config) -> dict[str, Any]:
    """The config as dotted keys, as a resume compares it: the same on every machine.

    The output section, display options and run length are left out, and a data file is
    named by its base name (absolute paths differ between machines).
    """
    flat = {
        k: v
        for k, v in _flatten(to_dict(cfg))
        if not any(k == n or k.startswith(n + ".") for n in NOT_COMPARED)
    }
    if isinstance(flat.get("data.path"), str):
        flat["data.path"] = os.path.basename(flat["data.path"])
    return flat


def config_hash(cfg: Config, sections: tuple[str, ...] | None = None) -> str:
    """sha256 of `comparable(cfg)` (or of some sections), stable across runs and machines."""
    tree = comparable(cfg)
    if sections is not None:
        tree = {k: v for k, v in tree.items() if k.split(".")[0] in sections}
    return hashlib.sha256(json.dumps(tree, sort_keys=True).encode()).hexdigest()


__all__ = [
    "Config",
    "ConfigError",
    "load_config",
    "load_with_sources",
    "from_dict",
    "validate",
    "to_dict",
    "to_yaml",
    "config_hash",
    "comparable",
    "task_of",
    "TASK_METRICS",
]
