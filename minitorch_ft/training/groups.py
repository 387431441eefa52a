"""Optimizer param groups by name pattern (discriminative fine-tuning), trainable only.

Each parameter goes to the first group whose pattern selects it, the rest to a `default`
group. With `no_decay_bias_and_norm`, each group is split in two so that biases and norm
weights get no weight decay. Groups carry `param_names` (as PyTorch 2.6+ optimizers do when
given `named_parameters()`), which is what lets a checkpoint rebuild them by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..nn import Module
from .freeze import is_norm, matches


@dataclass
class GroupSpec:
    """A named set of patterns with its own lr and weight decay (None = the defaults)."""

    patterns: Sequence[str]
    lr: float | None = None
    weight_decay: float | None = None
    name: str | None = None


def no_decay_names(model: Module) -> set[str]:
    """Biases and the parameters of norm layers: weight decay would only hurt them."""
    out = {n for n, _ in model.named_parameters() if n.rpartition(".")[2] == "bias"}
    for mod_name, module in model.named_modules():
        if is_norm(module):
            prefix = f"{mod_name}." if mod_name else ""
            out.update(prefix + n for n, _ in module.named_parameters())
    return out


def build(
    model: Module,
    names: Sequence[str],
    specs: Sequence[GroupSpec],
    lr: float,
    weight_decay: float,
    no_decay_bias_and_norm: bool = True,
    default_name: str = "default",
) -> list[dict]:
    """Param-group dicts for the parameters `names` (in model order), empty groups dropped."""
    params = dict(model.named_parameters())
    wanted = set(names)
    buckets: list[list[str]] = [[] for _ in specs]
    rest: list[str] = []
    for name in params:
        if name not in wanted:
            continue
        for i, spec in enumerate(specs):
            if any(matches(name, p) for p in spec.patterns):
                buckets[i].append(name)
                break
        else:
            rest.append(name)
    skip_decay = no_decay_names(model) if no_decay_bias_and_norm else set()
    groups = []
    labelled = [
        (spec.name or f"group{i}", spec, bucket)
        for i, (spec, bucket) in enumerate(zip(specs, buckets, strict=True))
    ]
    labelled.append((default_name, GroupSpec((), None, None), rest))
    for label, spec, bucket in labelled:
        group_lr = lr if spec.lr is None else spec.lr
        group_wd = weight_decay if spec.weight_decay is None else spec.weight_decay
        decay = [n for n in bucket if n not in skip_decay]
        plain = [n for n in bucket if n in skip_decay]
        for suffix, chosen, wd in (("", decay, group_wd), ("/no_decay", plain, 0.0)):
            if chosen:
                groups.append(
                    {
                        "params": [params[n] for n in chosen],
                        "param_names": list(chosen),
                        "lr": group_lr,
                        "weight_decay": wd,
                        "name": label + suffix,
                    }
                )
    return groups


def cover_new_group(scheduler, group: dict) -> None:
    """Make a scheduler built earlier also drive a group added later (gradual unfreezing).

    The group starts from its own lr and follows the rest of the schedule: chainable
    schedules scale it from there, and `base_lrs` gets its initial lr for the others.
    """
    if scheduler is None:
        return
    group.setdefault("initial_lr", group["lr"])
    if hasattr(scheduler, "base_lrs") and len(scheduler.base_lrs) < len(
        scheduler.optimizer.param_groups
    ):
        scheduler.base_lrs.append(group["initial_lr"])
    lambdas = getattr(scheduler, "lr_lambdas", None)
    if lambdas is not None and len(lambdas) < len(scheduler.optimizer.param_groups):
        lambdas.append(lambdas[0])
    last = getattr(scheduler, "_last_lr", None)
    if isinstance(last, list) and len(last) < len(scheduler.optimizer.param_groups):
        last.append(group["lr"])
