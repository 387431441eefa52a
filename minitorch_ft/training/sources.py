"""Reading config files: YAML parsing, `base:` inheritance, `--set` overrides, provenance.

Every value remembers which file (or `--set`) it came from, so that a message can name the
file the user has to edit. Relative input paths are resolved against the file naming them.
"""

from __future__ import annotations

import os
import re
from typing import Any

import yaml

from .errors import ConfigError, Problem, UsageError

# Keys holding input files; relative values are resolved against the declaring file's folder.
PATH_KEYS = ("model.init_from", "data.path")


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads `1e-3` as a number (YAML 1.2) and refuses duplicate keys."""


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\d[\d_]*\.?\d*|\.\d+)[eE][-+]?\d+$"),
    list("-+0123456789."),
)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


MAX_NODES = 100_000  # values in one document, aliases expanded ("billion laughs" stops here)
MAX_DEPTH = 64  # nesting of mappings and lists


def _check_size(tree: Any, source: str) -> None:
    """Refuse documents too large or too deep once aliases are expanded (iteratively)."""
    stack, count = [(tree, 0)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ConfigError(
                [Problem(source, None, f"more than {MAX_NODES:,d} values (repeated YAML aliases?)")]
            )
        if depth > MAX_DEPTH:
            raise ConfigError([Problem(source, None, f"nested more than {MAX_DEPTH} levels deep")])
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML safely (no python objects); a syntax error names the line and column."""
    try:
        tree = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except RecursionError:
        raise ConfigError([Problem(source, None, "not valid YAML: nested too deeply")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(
            [Problem(source, None, f"not valid YAML: {where}{exc.problem}")]
        ) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise ConfigError([Problem(source, None, f"not valid YAML: {exc}")]) from None
    _check_size(tree, source)
    return tree


def display_path(path: str) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _read(path: str, shown: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise ConfigError([Problem(shown, None, "config file not found")]) from None
    except IsADirectoryError:
        raise ConfigError([Problem(shown, None, "is a directory, not a config file")]) from None
    except UnicodeDecodeError:
        raise ConfigError([Problem(shown, None, "not a text file (invalid UTF-8)")]) from None
    except OSError as exc:
        raise ConfigError([Problem(shown, None, f"cannot read: {exc.strerror}")]) from None


def _walk(tree: Any, prefix: str = ""):
    """Yield (dotted path, value) for every node below `tree` (list items by index)."""
    items = (
        tree.items()
        if isinstance(tree, dict)
        else enumerate(tree)
        if isinstance(tree, list)
        else ()
    )
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        yield path, value
        yield from _walk(value, path)


class Sources:
    """Where each dotted key path came from (a file name or `--set`)."""

    def __init__(self, main: str) -> None:
        self.main = main
        self.by_path: dict[str, str] = {}

    def record(self, tree: dict, source: str, prefix: str = "") -> None:
        for path, value in _walk(tree, prefix):
            if not isinstance(value, dict):
                self.forget_below(path)
            self.by_path[path] = source

    def forget_below(self, path: str) -> None:
        for key in [k for k in self.by_path if k.startswith(path + ".")]:
            del self.by_path[key]

    def of(self, path: str) -> str:
        """The source of `path` (written with dots or [i]); the main file when unknown."""
        key = path.replace("[", ".").replace("]", "")
        while key:
            if key in self.by_path:
                return self.by_path[key]
            key = key.rpartition(".")[0]
        return self.main


def _merge(base: dict, child: dict) -> dict:
    """Deep-merge mappings; any other value in `child` (lists included) replaces the base's."""
    out = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


# `freeze: [backbone]` means `freeze: {patterns: [backbone]}`; `loss: mse` means `loss: {name: mse}`
SHORTHANDS = {"freeze": (list, "patterns"), "loss": (str, "name")}


def _shorthands(tree: dict) -> None:
    for section, (kind, key) in SHORTHANDS.items():
        if isinstance(tree.get(section), kind):
            tree[section] = {key: tree[section]}


def _resolve_paths(tree: dict, folder: str) -> None:
    for dotted in PATH_KEYS:
        section, _, key = dotted.partition(".")
        node = tree.get(section)
        if isinstance(node, dict) and isinstance(node.get(key), str) and node[key]:
            node[key] = os.path.normpath(os.path.join(folder, os.path.expanduser(node[key])))


def load_tree(path: str, sources: Sources, _stack: tuple[str, ...] = ()) -> dict:
    """Load `path` and its `base:` chain into one merged mapping, recording sources."""
    real = os.path.realpath(path)
    shown = display_path(path)
    if real in _stack:
        chain = " -> ".join(display_path(p) for p in (*_stack, real))
        raise ConfigError([Problem(shown, "base", f"includes itself ({chain})")])
    if len(_stack) > 20:
        raise ConfigError([Problem(shown, "base", "more than 20 nested base files")])
    tree = parse_yaml(_read(path, shown), shown)
    if tree is None:
        tree = {}
    if not isinstance(tree, dict):
        raise ConfigError(
            [
                Problem(
                    shown,
                    None,
                    f"expected a mapping of sections at the top level, got {describe_type(tree)}",
                )
            ]
        )
    bad = [k for k in tree if not isinstance(k, str)]
    if bad:
        raise ConfigError([Problem(shown, None, f"keys must be strings, got {bad[0]!r}")])
    folder = os.path.dirname(os.path.abspath(path))
    _shorthands(tree)
    _resolve_paths(tree, folder)
    base = tree.pop("base", None)
    merged: dict = {}
    if base is not None:
        if not isinstance(base, str) or not base:
            raise ConfigError([Problem(shown, "base", f"expected a file name, got {base!r}")])
        base_path = os.path.join(folder, os.path.expanduser(base))
        if not os.path.exists(base_path):
            raise ConfigError(
                [Problem(shown, "base", f"file not found: {display_path(base_path)}")]
            )
        merged = load_tree(base_path, sources, (*_stack, real))
    sources.record(tree, shown)
    return _merge(merged, tree)


def describe_type(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        type(None): "nothing (null)",
    }
    return names.get(type(value), type(value).__name__)


def apply_override(tree: dict, assignment: str, sources: Sources, origin: str = "--set") -> None:
    """Apply one `--set a.b.c=value` (value parsed as YAML) to `tree` in place.

    `origin` is the option later messages name as the value's source (`--checkpoint` sets
    model.init_from through here).
    """
    key, eq, text = assignment.partition("=")
    key = key.strip()
    if not eq or not key:
        raise UsageError([Problem("--set", None, f"expected KEY=VALUE, got {assignment!r}")])
    parts = [p for p in re.split(r"\.|\[(\d+)\]", key) if p]
    if any(not p for p in key.replace("[", ".").replace("]", "").split(".")):
        raise UsageError([Problem("--set", key, "empty part in the key path")])
    value = parse_yaml(text, f"--set {key}") if text.strip() else None
    if "".join(parts[:1]) == "base":
        raise UsageError([Problem("--set", key, "base can only be set inside a config file")])
    if len(parts) == 1 and parts[0] in SHORTHANDS and isinstance(value, SHORTHANDS[parts[0]][0]):
        parts.append(SHORTHANDS[parts[0]][1])
    if parts[0] in ("model", "data") and len(parts) == 2 and f"{parts[0]}.{parts[1]}" in PATH_KEYS:
        if isinstance(value, str) and value:
            value = os.path.abspath(os.path.expanduser(value))
    node: Any = tree
    for i, part in enumerate(parts[:-1]):
        node = _step(node, part, parts[: i + 1], key)
    last = parts[-1]
    if isinstance(node, list):
        index = _index(node, last, key)
        node[index] = value
    else:
        node[last] = value
    dotted = ".".join(parts)
    sources.forget_below(dotted)
    sources.by_path[dotted] = origin
    sources.record(value, origin, dotted)


def _step(node: Any, part: str, done: list[str], key: str) -> Any:
    if isinstance(node, list):
        return node[_index(node, part, key)]
    if not isinstance(node, dict):
        raise UsageError([Problem("--set", key, f"{'.'.join(done[:-1])} is not a mapping")])
    child = node.get(part)
    if child is None:
        child = node[part] = {}
    if not isinstance(child, (dict, list)):
        raise UsageError([Problem("--set", key, f"{'.'.join(done)} is a value, not a section")])
    return child


def _index(node: list, part: str, key: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise UsageError(
            [
                Problem(
                    "--set", key, f"list index {part} out of range (the list has {len(node)} items)"
                )
            ]
        )
    return int(part)
