"""Config -> ready-to-train objects: model, data loaders, loss, optimizer, scheduler.

Everything a run needs is built and checked here, before any training: patterns that match
nothing, weights that do not fit, data files with bad cells, a model whose output does not
fit the loss. All such problems are raised together as one ConfigError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import nn, optim
from ..autograd.generator import Generator, manual_seed
from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor
from ..data import CSVError, DataLoader, TensorDataset, make_toy, read_csv, split, standardize
from ..data.synthetic import NUM_CLASSES
from . import freeze as fz
from . import groups as grp
from . import models
from .config import TASK_METRICS
from .errors import ProblemCollector
from .schema import Config
from .sources import Sources

LABEL_KIND = {
    "cross_entropy": "class",
    "bce_with_logits": "binary",
    "mse": "regression",
    "l1": "regression",
}


@dataclass
class Built:
    """The objects of one run, and facts about them for the reports."""

    cfg: Config
    model: nn.Module
    loss_fn: Any
    task: str
    train_loader: DataLoader
    val_loader: DataLoader
    optimizer: Any = None
    scheduler: Any = None
    groups: list = field(default_factory=list)
    init_report: dict | None = None
    data_info: dict = field(default_factory=dict)


class _Checks(ProblemCollector):
    def __init__(self, sources: Sources) -> None:
        super().__init__()
        self.sources = sources

    def fail(self, path: str | None, message: str, source: str | None = None) -> None:
        self.add(source or (self.sources.of(path) if path else None), path, message)


# ----- loss ------------------------------------------------------------------------------------
def _flat(output: Tensor) -> Tensor:
    return output.squeeze(1) if output.ndim == 2 and output.shape[1] == 1 else output


def make_loss(name: str):
    """The loss callable for `loss.name`; single-output models are squeezed to (N,)."""
    F = nn.functional  # noqa: N806 - torch's conventional alias
    if name == "cross_entropy":
        return F.cross_entropy
    table = {
        "bce_with_logits": F.binary_cross_entropy_with_logits,
        "mse": F.mse_loss,
        "l1": F.l1_loss,
    }
    fn = table[name]

    def loss(output: Tensor, target: Tensor) -> Tensor:
        return fn(_flat(output), target)

    loss.__name__ = name
    return loss


# ----- data ------------------------------------------------------------------------------------
def load_arrays(cfg: Config, checks: _Checks) -> tuple[np.ndarray, ...] | None:
    """(x_train, y_train, x_val, y_val) for `data`, or None after recording problems."""
    d, kind = cfg.data, LABEL_KIND[cfg.loss.name]
    if d.name in NUM_CLASSES:
        if kind == "regression":
            checks.fail(
                "loss.name",
                f"{d.name} is a classification task: use cross_entropy or bce_with_logits",
            )
            return None
        if kind == "binary" and NUM_CLASSES[d.name] != 2:
            checks.fail(
                "loss.name",
                f"{d.name} has {NUM_CLASSES[d.name]} classes; "
                "bce_with_logits needs two: use cross_entropy",
            )
            return None
        x_tr, y_tr = make_toy(d.name, d.n_train, seed=d.seed, split="train", noise=d.noise)
        x_val, y_val = make_toy(d.name, d.n_val, seed=d.seed, split="val", noise=d.noise)
        scale = bool(d.standardize)  # toy inputs are standardised by construction
    else:
        try:
            table = read_csv(
                d.path,
                d.target,
                d.features,
                delimiter=d.delimiter,
                header=d.header,
                label_kind=kind,
            )
            train, val = split(table, d.val_fraction, d.seed, d.path)
        except CSVError as exc:
            checks.fail(None, str(exc).removeprefix(f"{d.path}: "), source=d.path)
            return None
        if kind != "regression" and np.unique(train.y).size < 2:
            checks.fail(
                "data.val_fraction",
                f"the training rows of {d.path} hold only one class after the split",
            )
            return None
        x_tr, y_tr, x_val, y_val = train.x, train.y, val.x, val.y
        scale = d.standardize is not False
    if scale:
        x_tr, x_val = standardize(x_tr, x_val)
    label_dtype = np.int64 if kind == "class" else np.float32
    return x_tr, y_tr.astype(label_dtype), x_val, y_val.astype(label_dtype)


def make_loaders(cfg: Config, arrays) -> tuple[DataLoader, DataLoader]:
    """Seeded shuffling from its own generator, whose state checkpoints can save."""
    x_tr, y_tr, x_val, y_val = (Tensor._wrap(np.ascontiguousarray(a)) for a in arrays)
    gen = Generator((cfg.seed * 1_000_003 + 17) % 2**63)  # apart from the init stream
    train = DataLoader(
        TensorDataset(x_tr, y_tr),
        batch_size=cfg.data.batch_size,
        shuffle=cfg.data.shuffle,
        drop_last=cfg.data.drop_last,
        generator=gen,
    )
    val = DataLoader(TensorDataset(x_val, y_val), batch_size=cfg.data.eval_batch_size)
    return train, val


def _check_output(
    model: nn.Module, cfg: Config, x: np.ndarray, y: np.ndarray, checks: _Checks
) -> str | None:
    """Run two examples through the model; the task, or None after recording a problem."""
    try:
        with fz.eval_mode(model), no_grad():
            out = model(Tensor._wrap(np.ascontiguousarray(x[:2])))
    except Exception as exc:  # any shape or type error of the user's model
        checks.fail(
            "model.args",
            f"the model cannot take inputs of {x.shape[1]} features: {type(exc).__name__}: {exc}",
        )
        return None
    shape, n = tuple(out.shape), min(2, x.shape[0])
    kind = LABEL_KIND[cfg.loss.name]
    key = "model.args.out_features" if "out_features" in cfg.model.args else "model.args"
    if kind == "class":
        n_classes = int(y.max()) + 1
        if len(shape) != 2 or shape[1] < n_classes:
            checks.fail(
                key,
                f"the model outputs shape {shape} per batch, but "
                f"cross_entropy on {n_classes} classes needs (N, {n_classes})",
            )
            return None
        return "binary" if shape[1] == 2 else "multiclass"
    if shape not in ((n,), (n, 1)):
        checks.fail(
            key,
            f"the model outputs shape {shape} per batch, but "
            f"{cfg.loss.name} needs one value per example (N, 1)",
        )
        return None
    return "binary" if kind == "binary" else "regression"


def _check_monitor(cfg: Config, task: str, checks: _Checks) -> None:
    """The monitored metric must be one the task computes, or `best` is silently never saved
    (the config alone allows val_auc for cross_entropy, which is binary only on 2 outputs)."""
    monitor = cfg.output.monitor
    if monitor.startswith("val_") and monitor[4:] not in TASK_METRICS[task]:
        shown = ", ".join(f"val_{m}" for m in TASK_METRICS[task])
        checks.fail(
            "output.monitor",
            f"this {task} model gives no {monitor}; monitor train_loss or one of: {shown}",
        )


# ----- optimizer and scheduler -------------------------------------------------------------------
def make_optimizer(cfg: Config, groups: list[dict]):
    o = cfg.optimizer
    if o.name == "sgd":
        return optim.SGD(
            groups, lr=o.lr, momentum=o.momentum, nesterov=o.nesterov, weight_decay=o.weight_decay
        )
    cls = optim.Adam if o.name == "adam" else optim.AdamW
    return cls(groups, lr=o.lr, betas=tuple(o.betas), eps=o.eps, weight_decay=o.weight_decay)


def make_scheduler(cfg: Config, optimizer, steps_per_epoch: int):
    s = cfg.scheduler
    sched = optim.lr_scheduler
    if s.name == "none":
        return None
    if s.name == "step":
        return sched.StepLR(optimizer, step_size=s.step_size, gamma=s.gamma)
    if s.name == "multistep":
        return sched.MultiStepLR(optimizer, milestones=list(s.milestones), gamma=s.gamma)
    if s.name == "exponential":
        return sched.ExponentialLR(optimizer, gamma=s.gamma)
    if s.name == "cosine":
        whole = cfg.trainer.epochs * (steps_per_epoch if s.interval == "step" else 1)
        return sched.CosineAnnealingLR(optimizer, T_max=s.t_max or whole, eta_min=s.eta_min)
    return sched.LinearLR(
        optimizer, start_factor=s.start_factor, end_factor=s.end_factor, total_iters=s.total_iters
    )


def group_specs(cfg: Config) -> list[grp.GroupSpec]:
    return [
        grp.GroupSpec(g.params, g.lr, g.weight_decay, g.name) for g in cfg.optimizer.param_groups
    ]


# ----- patterns ----------------------------------------------------------------------------------
def _check_patterns(model: nn.Module, cfg: Config, checks: _Checks) -> list[str]:
    """Record every pattern that selects nothing; returns the names frozen at the start."""
    lists = [("freeze.patterns", cfg.freeze.patterns), ("freeze.unfreeze", cfg.freeze.unfreeze)]
    lists += [
        (f"optimizer.param_groups[{i}].params", g.params)
        for i, g in enumerate(cfg.optimizer.param_groups)
    ]
    lists += [
        (f"freeze.schedule[{i}].unfreeze", s.unfreeze) for i, s in enumerate(cfg.freeze.schedule)
    ]
    for key, patterns in lists:
        for i, message in fz.unmatched(model, patterns):
            checks.fail(f"{key}[{i}]", message)
    frozen = fz.frozen_names(model, cfg.freeze.patterns, cfg.freeze.unfreeze)
    names = [n for n, _ in model.named_parameters()]
    for i, group in enumerate(cfg.optimizer.param_groups):
        chosen = fz.select(names, group.params)
        if chosen and set(chosen) <= set(frozen):  # frozen ones never reach the optimizer
            checks.fail(
                f"optimizer.param_groups[{i}].params",
                f"selects only frozen parameters ({', '.join(chosen[:3])}"
                f"{', ...' if len(chosen) > 3 else ''}), which the optimizer never gets; "
                "a scheduled unfreeze takes its lr from freeze.schedule",
            )
    for i, step in enumerate(cfg.freeze.schedule):
        chosen = fz.select([n for n, _ in model.named_parameters()], step.unfreeze)
        if chosen and not set(chosen) & set(frozen):
            checks.fail(
                f"freeze.schedule[{i}].unfreeze",
                "selects only parameters that are already trainable at the start",
            )
    return frozen


def _check_batches(cfg: Config, model: nn.Module, n_train: int, checks: _Checks) -> None:
    bs = cfg.data.batch_size
    if cfg.data.drop_last and n_train < bs:
        checks.fail(
            "data.batch_size", f"with drop_last, {n_train} training examples make no batch of {bs}"
        )
    frozen_ids = (
        {id(m) for _, m in fz.frozen_norms(model)} if cfg.freeze.frozen_norm_eval else set()
    )
    thawed = [p for step in cfg.freeze.schedule for p in step.unfreeze]

    def trains(name: str, module: nn.Module) -> bool:  # now, or after a scheduled unfreeze
        names = [f"{name}.{n}" for n, _ in module.named_parameters()] + [f"{name}.running_mean"]
        return id(module) not in frozen_ids or bool(fz.select(names, thawed))

    trainable_norm = any(
        fz.is_norm(m) and hasattr(m, "running_mean") and trains(name, m)
        for name, m in model.named_modules()
    )
    last = n_train % bs if not cfg.data.drop_last else 0
    if trainable_norm and (bs == 1 or n_train == 1 or last == 1):
        checks.fail(
            "data.batch_size",
            f"{n_train} examples in batches of {bs} give a batch of 1, which batch norm cannot "
            "normalise in training; choose another batch size (or data.drop_last: true)",
        )


# ----- everything ------------------------------------------------------------------------------
def build(cfg: Config, sources: Sources | None = None, training: bool = True) -> Built:
    """Build and check all objects of a run (training=False: no optimizer, no freezing)."""
    checks = _Checks(sources or Sources("<config>"))
    manual_seed(cfg.seed)
    model = init_report = None
    try:
        model = models.build_model(
            cfg.model.name,
            cfg.model.target,
            dict(cfg.model.args),
            search=[p for p in {*checks.sources.by_path.values()} if p.endswith((".yaml", ".yml"))],
        )
        if cfg.model.init_from is not None:
            init_report = models.load_pretrained(model, cfg.model.init_from, cfg.model.init_strict)
    except models.BuildError as exc:
        checks.fail(exc.key, str(exc), source=checks.sources.of(exc.source_key))
    arrays = load_arrays(cfg, checks)
    frozen: list[str] = []
    task = None
    if model is not None:
        frozen = _check_patterns(model, cfg, checks) if training else []
        if arrays is not None:
            labels = np.concatenate([arrays[1], arrays[3]])
            task = _check_output(model, cfg, arrays[2], labels, checks)
            if task is not None and training:
                _check_monitor(cfg, task, checks)
    if model is not None and training and not checks.problems:
        fz.apply(model, frozen)
        if not any(p.requires_grad for p in model.parameters()):
            checks.fail("freeze.patterns", "every parameter is frozen: nothing to train")
        _check_batches(cfg, model, arrays[0].shape[0], checks)
    checks.raise_if_any()
    train_loader, val_loader = make_loaders(cfg, arrays)
    built = Built(
        cfg,
        model,
        make_loss(cfg.loss.name),
        task,
        train_loader,
        val_loader,
        init_report=init_report,
        data_info={
            "n_train": int(arrays[0].shape[0]),
            "n_val": int(arrays[2].shape[0]),
            "features": int(arrays[0].shape[1]),
        },
    )
    if training:
        trainable = [n for n, p in model.named_parameters() if p.requires_grad]
        built.groups = grp.build(
            model,
            trainable,
            group_specs(cfg),
            cfg.optimizer.lr,
            cfg.optimizer.weight_decay,
            cfg.optimizer.no_decay_bias_and_norm,
        )
        built.optimizer = make_optimizer(cfg, built.groups)
        built.scheduler = make_scheduler(cfg, built.optimizer, len(train_loader))
    return built
