"""Freezing by name: glob patterns over `named_parameters()` names.

Rule: a pattern matches a parameter name when it matches as a glob (`*.bias`, `head.*`) or
when it names a module the parameter lives under (`backbone` = `backbone.*`). `freeze`
patterns apply first, `unfreeze` patterns are exceptions applied after them. Frozen
parameters get `requires_grad=False` and are never handed to the optimizer.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Iterator, Sequence
from fnmatch import fnmatchcase

import numpy as np

from ..nn import Module


def matches(name: str, pattern: str) -> bool:
    """True if `pattern` selects parameter `name` (glob, or a module prefix)."""
    return fnmatchcase(name, pattern) or fnmatchcase(name, pattern + ".*")


def select(names: Iterable[str], patterns: Sequence[str]) -> list[str]:
    """The names (in order) that any of `patterns` selects."""
    return [n for n in names if any(matches(n, p) for p in patterns)]


def module_names(model: Module) -> list[str]:
    """Dotted names of the submodules that hold parameters (what a pattern may name)."""
    names = set()
    for param_name, _ in model.named_parameters():
        parts = param_name.split(".")[:-1]
        names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(names)


def no_match_message(pattern: str, model: Module, limit: int = 40) -> str:
    """'matches no parameter' with a did-you-mean and the names that exist."""
    params = [n for n, _ in model.named_parameters()]
    modules = module_names(model)
    close = difflib.get_close_matches(pattern, modules + params, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    shown = params[:limit]
    more = f", ... ({len(params) - limit} more)" if len(params) > limit else ""
    return (
        f"pattern {pattern!r} matches no parameter{hint}; modules: {', '.join(modules) or '-'};"
        f" parameters: {', '.join(shown)}{more}"
    )


def unmatched(model: Module, patterns: Sequence[str]) -> list[tuple[int, str]]:
    """(index, message) for every pattern that selects nothing."""
    names = [n for n, _ in model.named_parameters()]
    return [
        (i, no_match_message(p, model))
        for i, p in enumerate(patterns)
        if not any(matches(n, p) for n in names)
    ]


def frozen_names(model: Module, freeze: Sequence[str], unfreeze: Sequence[str] = ()) -> list[str]:
    """Names frozen by `freeze` minus the `unfreeze` exceptions."""
    names = [n for n, _ in model.named_parameters()]
    return [n for n in select(names, freeze) if not any(matches(n, p) for p in unfreeze)]


def apply(model: Module, frozen: Iterable[str]) -> None:
    """Set requires_grad from the frozen set: False for those, True for all others."""
    frozen = set(frozen)
    for name, param in model.named_parameters():
        param.requires_grad_(name not in frozen)


def freeze(model: Module, patterns: Sequence[str]) -> list[str]:
    """Freeze the parameters `patterns` select (library helper); returns their names.

    Raises ValueError naming any pattern that selects nothing.
    """
    return _set(model, patterns, False)


def unfreeze(model: Module, patterns: Sequence[str]) -> list[str]:
    """Make the selected parameters trainable again; returns their names."""
    return _set(model, patterns, True)


def _set(model: Module, patterns: Sequence[str], flag: bool) -> list[str]:
    if isinstance(patterns, str):
        patterns = [patterns]
    bad = unmatched(model, patterns)
    if bad:
        raise ValueError(bad[0][1])
    params = dict(model.named_parameters())
    chosen = select(params, patterns)
    for name in chosen:
        params[name].requires_grad_(flag)
    return chosen


# ----- normalisation layers ----------------------------------------------------------------
def is_norm(module: Module) -> bool:
    """BatchNorm, LayerNorm, GroupNorm, ... (by class name, so user norms count too)."""
    return "Norm" in type(module).__name__


def frozen_norms(model: Module) -> list[tuple[str, Module]]:
    """Norm layers with running statistics whose parameters are all frozen.

    A norm layer without parameters (affine=False) counts as frozen when every parameter
    of its parent module is frozen.
    """
    modules = dict(model.named_modules())
    out = []
    for name, module in modules.items():
        if not (is_norm(module) and hasattr(module, "running_mean")):
            continue
        params = list(module.parameters())
        if not params:
            parent = modules.get(name.rpartition(".")[0], model)
            params = list(parent.parameters())
        if params and not any(p.requires_grad for p in params):
            out.append((name, module))
    return out


def set_train_mode(model: Module, keep_eval: Sequence[Module] = ()) -> None:
    """`model.train()`, then put back in eval mode the norm layers in `keep_eval`.

    That keeps the running statistics of a frozen norm layer fixed, as a frozen layer should be.
    """
    model.train()
    for module in keep_eval:
        module.eval()


@contextlib.contextmanager
def eval_mode(model: Module) -> Iterator[None]:
    """`model.eval()` for the block, then each module back in its own mode (frozen norm
    layers kept in eval stay there; a plain `model.train()` would wake them)."""
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for module, flag in modes:
            module.training = flag


# ----- the bit-identical check -------------------------------------------------------------
def snapshot(model: Module, names: Iterable[str], buffers_of: Sequence[str] = ()) -> dict:
    """Copies of the named parameters (and the buffers of the named modules)."""
    names = set(names)
    state = {n: p._data.copy() for n, p in model.named_parameters() if n in names}
    for name, buf in model.named_buffers():
        if name.rpartition(".")[0] in buffers_of and buf is not None:
            state[name] = buf._data.copy()
    return state


def changed(model: Module, before: dict) -> list[str]:
    """Names whose bytes, dtype or shape differ from the snapshot `before`."""
    now = dict(model.named_parameters())
    now.update(dict(model.named_buffers()))
    out = []
    for name, old in before.items():
        cur = now.get(name)
        if cur is None or not _identical(cur._data, old):
            out.append(name)
    return out


def _identical(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
