"""Fine-tuning from a YAML file: config, freezing, trainer, metrics, checkpoints and the CLI.

Library use needs no YAML: `Trainer(model, loss_fn, optimizer).fit(train_loader, val_loader)`,
with `freeze.freeze(model, ["backbone"])` to freeze by name pattern.
"""

from . import freeze
from .config import Config, config_hash, from_dict, load_config, to_yaml
from .errors import ConfigError, DataError, TrainingError, UsageError
from .metrics import MetricAccumulator, roc_auc
from .models import MODELS, BackboneHead, mlp, register_model
from .report import freeze_report, trainable_line
from .trainer import Trainer

__all__ = [
    "MODELS",
    "BackboneHead",
    "Config",
    "ConfigError",
    "DataError",
    "MetricAccumulator",
    "Trainer",
    "TrainingError",
    "UsageError",
    "config_hash",
    "freeze",
    "freeze_report",
    "from_dict",
    "load_config",
    "mlp",
    "register_model",
    "roc_auc",
    "to_yaml",
    "trainable_line",
]
