"""Models by name: a small registry, the toy MLP, user builders and pretrained weights.

Every built-in model has a `backbone` and a `head`, so freezing `backbone` and training a new
head is one line of config. A user plugs in their own builder with
`model.target: "package.module:function"`; its keyword arguments come from `model.args`.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import os
import sys
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from .. import nn
from .checkpoint import CheckpointError, load_weights

ACTIVATIONS = {
    "relu": "ReLU",
    "tanh": "Tanh",
    "gelu": "GELU",
    "sigmoid": "Sigmoid",
    "leaky_relu": "LeakyReLU",
    "silu": "SiLU",
}

MODELS: dict[str, Callable[..., nn.Module]] = {}
MAX_PARAMS = 100_000_000  # a built-in model larger than this is a typo, not a plan


def register_model(name: str):
    """Decorator adding a builder to the registry under `name` (for `model.name`)."""

    def add(fn: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
        MODELS[name] = fn
        return fn

    return add


class BackboneHead(nn.Module):
    """`head(backbone(x))`: the shape fine-tuning works with (freeze one, train the other)."""

    def __init__(self, backbone: nn.Module, head: nn.Module) -> None:
        super().__init__()
        self.backbone = backbone
        self.head = head

    def forward(self, x):
        return self.head(self.backbone(x))


@register_model("mlp")
def mlp(
    in_features: int = 16,
    hidden: Sequence[int] = (64, 64),
    out_features: int = 8,
    activation: str = "relu",
    dropout: float = 0.0,
    batch_norm: bool = False,
) -> BackboneHead:
    """A multilayer perceptron: backbone `fc1, bn1, act1, drop1, fc2, ...` then a Linear head.

    Layers are named (not numbered) so that freeze patterns read well: `backbone.fc1`.
    """
    _check_int("in_features", in_features)
    _check_int("out_features", out_features)
    if isinstance(hidden, int) and not isinstance(hidden, bool):
        hidden = [hidden]
    if not isinstance(hidden, (list, tuple)) or not hidden:
        raise ValueError(f"hidden: expected a non-empty list of layer widths, got {hidden!r}")
    for i, width in enumerate(hidden):
        _check_int(f"hidden[{i}]", width)
    if activation not in ACTIVATIONS:
        close = difflib.get_close_matches(str(activation), ACTIVATIONS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"activation: expected one of {', '.join(map(repr, ACTIVATIONS))}, "
            f"got {activation!r}{hint}"
        )
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not (0 <= dropout < 1):
        raise ValueError(f"dropout: expected a number in [0, 1), got {dropout!r}")
    if not isinstance(batch_norm, bool):
        raise ValueError(f"batch_norm: expected true or false, got {batch_norm!r}")
    widths = [in_features, *hidden, out_features]
    n_params = sum(a * b + b for a, b in zip(widths[:-1], widths[1:], strict=True))
    if n_params > MAX_PARAMS:  # refuse before allocating gigabytes
        raise ValueError(
            f"these sizes make {n_params:,d} parameters; the limit is {MAX_PARAMS:,d} "
            "(check in_features, hidden and out_features)"
        )
    layers: OrderedDict = OrderedDict()
    width = in_features
    for i, out in enumerate(hidden, start=1):
        layers[f"fc{i}"] = nn.Linear(width, out)
        if batch_norm:
            layers[f"bn{i}"] = nn.BatchNorm1d(out)
        layers[f"act{i}"] = getattr(nn, ACTIVATIONS[activation])()
        if dropout > 0:
            layers[f"drop{i}"] = nn.Dropout(dropout)
        width = out
    return BackboneHead(nn.Sequential(layers), nn.Linear(width, out_features))


def _check_int(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 10**6:
        raise ValueError(f"{name}: expected an integer in [1, 1000000], got {value!r}")


# ----- building ---------------------------------------------------------------------------------
class BuildError(ValueError):
    """A model that cannot be built; `key` is the config key to blame."""

    def __init__(self, key: str, message: str, source_key: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.source_key = source_key or key  # the key whose file to name (see build_model)


def resolve_builder(name: str, target: str | None, search: Sequence[str] = ()) -> Callable:
    """The builder for `model.name`, or the function `model.target` points at."""
    if target is None:
        if name not in MODELS:
            close = difflib.get_close_matches(name, MODELS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise BuildError(
                "model.name",
                f"unknown model {name!r}{hint}; registered: {', '.join(sorted(MODELS))}",
            )
        return MODELS[name]
    module_name, _, attr = target.partition(":")
    added = [p for p in (os.getcwd(), *search) if p not in sys.path]
    sys.path[:0] = added  # the user's own package, next to them or to their config
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # ImportError, or any error raised while importing their code
        raise BuildError(
            "model.target", f"cannot import {module_name!r}: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        for p in added:
            sys.path.remove(p)
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise BuildError("model.target", f"{module_name!r} has no function {attr!r}")
    return fn


def build_model(name: str, target: str | None, args: dict, search: Sequence[str] = ()) -> nn.Module:
    """Call the builder with `args`, checking the argument names first."""
    fn = resolve_builder(name, target, search)
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None
    if sig is not None and not any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        known = [
            p
            for p in sig.parameters
            if sig.parameters[p].kind
            in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        ]
        for key in args:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise BuildError(
                    f"model.args.{key}",
                    f"unknown argument{hint}; {fn.__name__} takes: {', '.join(known)}",
                )
    try:
        model = fn(**args)
    except (TypeError, ValueError) as exc:
        # "hidden[0]: ..." blames one argument: name the file (or --set) that gave it
        blamed = str(exc).partition(":")[0].partition("[")[0]
        source_key = f"model.args.{blamed}" if blamed in args else None
        raise BuildError("model.args", str(exc), source_key) from None
    if not isinstance(model, nn.Module):
        raise BuildError(
            "model.target" if target else "model.name",
            f"the builder returned {type(model).__name__}, not an nn.Module",
        )
    return model


# ----- pretrained weights -------------------------------------------------------------------
def load_pretrained(model: nn.Module, path: str, strict: bool = True) -> dict[str, list[str]]:
    """Load weights from a safetensors file into `model`.

    strict: every key must exist on both sides with the same shape, else BuildError listing
    each mismatch. Not strict: load what matches and return what was skipped and why.
    """
    try:
        arrays = load_weights(path)
    except CheckpointError as exc:
        raise BuildError("model.init_from", str(exc)) from None
    own = model.state_dict()
    report: dict[str, list[str]] = {
        "loaded": [],
        "missing": [],
        "unexpected": [],
        "shape_mismatch": [],
    }
    usable = {}
    for key, value in own.items():
        if key not in arrays:
            report["missing"].append(key)
        elif tuple(arrays[key].shape) != tuple(value.shape):
            report["shape_mismatch"].append(
                f"{key}: file {tuple(arrays[key].shape)} vs model {tuple(value.shape)}"
            )
        else:
            usable[key] = arrays[key]
    report["unexpected"] = [k for k in arrays if k not in own]
    problems = (
        [f"missing in file: {k}" for k in report["missing"]]
        + [f"unexpected in file: {k}" for k in report["unexpected"]]
        + [f"shape mismatch: {s}" for s in report["shape_mismatch"]]
    )
    if strict and problems:
        raise BuildError(
            "model.init_from",
            f"{path} does not fit the model "
            f"({len(problems)} mismatched keys; set model.init_strict: false to "
            "load only the matching ones): " + "; ".join(problems),
        )
    from ..autograd.tensor import Tensor

    state = {k: Tensor._wrap(np.array(v, dtype=own[k]._data.dtype)) for k, v in usable.items()}
    model.load_state_dict(state, strict=False)
    report["loaded"] = list(state)
    return report
