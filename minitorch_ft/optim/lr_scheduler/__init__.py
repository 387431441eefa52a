"""Learning-rate schedulers (torch.optim.lr_scheduler).

Groups added to the optimizer after a scheduler was built follow PyTorch 2.x: chainable
schedules (StepLR, MultiStepLR, ExponentialLR, LinearLR, ConstantLR, PolynomialLR, and
CosineAnnealingLR between restarts) scale the new group from its own lr; schedules that
read `base_lrs` (LambdaLR, MultiplicativeLR, SequentialLR's switch, CosineAnnealingLR's
restart step, closed-form `step(epoch)`) raise ValueError; OneCycleLR raises KeyError
('initial_lr'); ReduceLROnPlateau extends a scalar min_lr to the new group.
"""

from .annealing import CosineAnnealingLR, OneCycleLR
from .base import EPOCH_DEPRECATION_WARNING, LRScheduler, _LRScheduler
from .composite import ChainedScheduler, SequentialLR
from .cyclic import CosineAnnealingWarmRestarts, CyclicLR
from .factor import (
    ConstantLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    StepLR,
)
from .plateau import ReduceLROnPlateau

__all__ = [
    "EPOCH_DEPRECATION_WARNING",
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
    "_LRScheduler",
]
