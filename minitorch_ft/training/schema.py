"""The config schema: one typed dataclass per YAML section, with defaults and limits.

Each field carries its range (`gt`, `ge`, `le`, ...) in its metadata, so one generic
validator (config.py) can check every value and word its message the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

BIG = 10**9  # upper limit for counts: catches typos such as 1e12 epochs before any work


def opt(default: Any = None, help: str = "", **limits: Any) -> Any:  # noqa: A002 - field doc
    """A dataclass field with a default, a one-line help and its limits as metadata."""
    if isinstance(default, (list, dict)):
        value = default
        return field(default_factory=lambda: type(value)(value), metadata={"help": help, **limits})
    return field(default=default, metadata={"help": help, **limits})


# ----- model ------------------------------------------------------------------------------
@dataclass
class ModelConfig:
    name: str = opt("mlp", "registry name of the model builder (see models.py)")
    target: str | None = opt(None, "your own builder as 'package.module:function' (wins over name)")
    args: dict[str, Any] = opt({}, "keyword arguments for the builder")
    init_from: str | None = opt(None, "safetensors weights to start from", path=True)
    init_strict: bool = opt(True, "false: load the matching keys only and report the rest")


# ----- data -------------------------------------------------------------------------------
@dataclass
class DataConfig:
    name: Literal["toy_source", "toy_target", "csv"] = opt(
        "toy_source", "toy_source / toy_target (synthetic, see data/synthetic.py) or csv"
    )
    n_train: int = opt(2000, "toy data: training examples", ge=1, le=10**7)
    n_val: int = opt(1000, "toy data: validation examples", ge=1, le=10**7)
    noise: float = opt(0.1, "toy data: input noise level", ge=0, le=100)
    seed: int = opt(
        0, "toy data: sampling seed (independent of the training seed)", ge=0, le=2**63 - 1
    )
    path: str | None = opt(None, "csv: file to read", path=True, only_for="csv")
    target: str | None = opt(
        None, "csv: name (or 0-based index) of the label column", column=True, only_for="csv"
    )
    features: list[str] | None = opt(
        None, "csv: feature columns (default: all but target)", column=True, only_for="csv"
    )
    delimiter: str = opt(",", "csv: field separator (one character)", length=1, only_for="csv")
    header: bool = opt(True, "csv: the first row names the columns", only_for="csv")
    val_fraction: float = opt(
        0.2, "csv: share of rows held out for validation", gt=0, lt=1, only_for="csv"
    )
    standardize: bool | None = opt(
        None, "scale features by training-set mean/std; null: yes for csv, no for toy data"
    )
    batch_size: int = opt(64, "training batch size", ge=1, le=BIG)
    eval_batch_size: int = opt(1024, "evaluation batch size", ge=1, le=BIG)
    shuffle: bool = opt(True, "reshuffle the training set every epoch (seeded)")
    drop_last: bool = opt(False, "drop the last incomplete training batch")


# ----- loss -------------------------------------------------------------------------------
@dataclass
class LossConfig:
    name: Literal["cross_entropy", "bce_with_logits", "mse", "l1"] = opt(
        "cross_entropy", "cross_entropy (classes), bce_with_logits (binary, 1 output), mse, l1"
    )


# ----- freezing ---------------------------------------------------------------------------
@dataclass
class UnfreezeStep:
    epoch: int = opt(
        None, "1-based epoch at whose start the patterns are unfrozen", ge=1, le=BIG, required=True
    )
    unfreeze: list[str] = opt([], "patterns to unfreeze", nonempty=True)
    lr: float | None = opt(
        None, "learning rate of the new param group (default optimizer.lr)", gt=0, le=1e6
    )
    weight_decay: float | None = opt(
        None, "its weight decay (default optimizer.weight_decay)", ge=0, le=1e6
    )


@dataclass
class FreezeConfig:
    patterns: list[str] = opt([], "globs over parameter names; a module name freezes all under it")
    unfreeze: list[str] = opt([], "exceptions to `patterns`, applied after them")
    frozen_norm_eval: bool = opt(True, "norm layers with all parameters frozen stay in eval mode")
    schedule: list[UnfreezeStep] = opt([], "gradual unfreezing: [{epoch, unfreeze, lr}]")


# ----- optimizer and scheduler ------------------------------------------------------------
@dataclass
class ParamGroupConfig:
    params: list[str] = opt([], "patterns selecting this group's parameters", nonempty=True)
    lr: float | None = opt(None, "learning rate (default optimizer.lr)", gt=0, le=1e6)
    weight_decay: float | None = opt(
        None, "weight decay (default optimizer.weight_decay)", ge=0, le=1e6
    )
    name: str | None = opt(None, "label shown in logs and checkpoints")


@dataclass
class OptimizerConfig:
    name: Literal["sgd", "adam", "adamw"] = opt("adamw", "sgd, adam or adamw")
    lr: float = opt(1e-3, "learning rate", gt=0, le=1e6)
    weight_decay: float = opt(
        0.0, "weight decay (L2 for sgd/adam, decoupled for adamw)", ge=0, le=1e6
    )
    momentum: float = opt(0.9, "sgd momentum", ge=0, lt=1)
    nesterov: bool = opt(False, "sgd Nesterov momentum")
    betas: list[float] = opt([0.9, 0.999], "adam/adamw betas", ge=0, lt=1, length=2)
    eps: float = opt(1e-8, "adam/adamw epsilon", gt=0, le=1)
    no_decay_bias_and_norm: bool = opt(True, "no weight decay on biases and norm weights")
    param_groups: list[ParamGroupConfig] = opt(
        [], "per-pattern lr / weight_decay; first match wins, the rest use the defaults"
    )


@dataclass
class SchedulerConfig:
    name: Literal["none", "step", "multistep", "exponential", "cosine", "linear"] = opt(
        "none", "learning-rate schedule (torch.optim.lr_scheduler)"
    )
    interval: Literal["epoch", "step"] = opt("epoch", "advance the schedule every epoch or step")
    step_size: int = opt(10, "step: period in intervals", ge=1, le=BIG)
    milestones: list[int] = opt([], "multistep: intervals at which lr *= gamma", ge=1, le=BIG)
    gamma: float = opt(0.1, "step / multistep / exponential: decay factor", gt=0, le=10)
    t_max: int | None = opt(
        None, "cosine: period in intervals (default: the whole run)", ge=1, le=BIG
    )
    eta_min: float = opt(0.0, "cosine: lowest learning rate", ge=0, le=1e6)
    start_factor: float = opt(1 / 3, "linear: first lr factor", gt=0, le=1)
    end_factor: float = opt(1.0, "linear: last lr factor", ge=0, le=1)
    total_iters: int = opt(5, "linear: intervals to go from start to end factor", ge=1, le=BIG)


# ----- trainer and output -----------------------------------------------------------------
@dataclass
class EarlyStoppingConfig:
    patience: int | None = opt(
        None,
        "stop after this many evaluations without improvement of output.monitor",
        ge=1,
        le=BIG,
    )
    min_delta: float = opt(0.0, "smallest change of the monitored metric that counts", ge=0)


@dataclass
class TrainerConfig:
    epochs: int = opt(10, "passes over the training set", ge=1, le=10**6)
    grad_clip: float | None = opt(None, "clip the global gradient norm to this value", gt=0)
    eval_every: int = opt(1, "evaluate every N epochs (and always after the last)", ge=1, le=BIG)
    progress: bool = opt(True, "tqdm bars (off anyway when stderr is not a terminal)")
    on_nonfinite: Literal["error", "skip_step"] = opt(
        "error", "a non-finite loss or gradient: stop with an error, or skip that step"
    )
    early_stopping: EarlyStoppingConfig = field(default_factory=EarlyStoppingConfig)


@dataclass
class OutputConfig:
    dir: str = opt("runs/run", "run directory (relative to the working directory)")
    overwrite: bool = opt(False, "reuse a run directory that already holds a run")
    save_last: bool = opt(True, "write checkpoints/last.* after every epoch")
    save_best: bool = opt(True, "write checkpoints/best.* when the monitored metric improves")
    checkpoint_every_n_steps: int | None = opt(
        None, "also write checkpoints/last every N optimizer steps (mid-epoch)", ge=1, le=BIG
    )
    monitor: str = opt("val_loss", "metric for `best`: train_loss or val_<metric>")
    mode: Literal["auto", "min", "max"] = opt("auto", "auto: min for losses and errors, else max")
    predictions: bool = opt(False, "evaluation: write predictions.csv")
    plot: bool = opt(True, "write curves.png when matplotlib is installed")


@dataclass
class Config:
    seed: int = opt(0, "seeds model init, dropout and shuffling", ge=0, le=2**63 - 1)
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    freeze: FreezeConfig = field(default_factory=FreezeConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    trainer: TrainerConfig = field(default_factory=TrainerConfig)
    output: OutputConfig = field(default_factory=OutputConfig)


SECTIONS = {
    "model": ModelConfig,
    "data": DataConfig,
    "loss": LossConfig,
    "freeze": FreezeConfig,
    "optimizer": OptimizerConfig,
    "scheduler": SchedulerConfig,
    "trainer": TrainerConfig,
    "output": OutputConfig,
}
