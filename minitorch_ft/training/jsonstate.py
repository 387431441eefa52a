"""Strict JSON for training state that must round-trip exactly: inf, nan, tuples, Counters.

Plain JSON cannot hold `inf` (ReduceLROnPlateau's `best`), tells tuples (Adam's `betas`)
from lists, and turns int keys (MultiStepLR's Counter of milestones) into strings. Those
values are written as small tagged objects (`{"$float": "inf"}`), so `decode(encode(x)) == x`
with the same types, and the text stays strict JSON (`allow_nan=False`) any reader accepts.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import numpy as np

TAG = "$"  # a dict whose only key starts with this is a tagged value


class StateEncodeError(TypeError):
    """A value with no JSON form (an array, an object); names where it was found."""


def encode(value: Any, where: str = "state") -> Any:
    """`value` as plain JSON data (dicts with str keys, lists, str, int, finite float)."""
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, Counter):
        return {"$counter": [[encode(k, where), encode(v, where)] for k, v in value.items()]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith(TAG) for k in value):
            return {k: encode(v, f"{where}.{k}") for k, v in value.items()}
        return {"$dict": [[encode(k, where), encode(v, f"{where}.{k}")] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
    if isinstance(value, list):
        return [encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise StateEncodeError(f"{where}: a {type(value).__name__} cannot be stored as JSON")


def _key(value: Any) -> Any:
    # dict keys must be hashable: a decoded list key (never written by encode) becomes a tuple
    return tuple(value) if isinstance(value, list) else value


_DECODERS = {
    "$float": lambda v: float(v) if v in ("inf", "-inf", "nan") else _bad("$float", v),
    "$tuple": lambda v: tuple(decode(x) for x in v),
    "$counter": lambda v: Counter({_key(decode(k)): decode(c) for k, c in v}),
    "$dict": lambda v: {_key(decode(k)): decode(x) for k, x in v},
}


def _bad(tag: str, value: Any):
    raise ValueError(f"bad {tag} value {value!r}")


def decode(value: Any) -> Any:
    """The inverse of `encode`; raises ValueError on a malformed tagged value."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag,) = value
            if tag in _DECODERS:
                inner = value[tag]
                if tag != "$float" and not isinstance(inner, list):
                    _bad(tag, inner)
                try:
                    return _DECODERS[tag](inner)
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"bad {tag} value: {exc}") from None
        return {k: decode(v) for k, v in value.items()}
    return value


def dumps(value: Any) -> str:
    """Strict JSON text of `encode(value)` (key order kept, NaN refused)."""
    return json.dumps(encode(value), indent=1, allow_nan=False) + "\n"


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not strict JSON")


def loads(text: str) -> Any:
    """Parse strict JSON (bare NaN/Infinity refused) and decode the tagged values."""
    return decode(json.loads(text, parse_constant=_no_constants))
