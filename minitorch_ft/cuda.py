"""`torch.cuda` as a CPU-only PyTorch build answers it: no device, seeding is a no-op.

Lets the usual `device = "cuda" if torch.cuda.is_available() else "cpu"` line run unchanged.
"""

from __future__ import annotations

__all__ = [
    "current_device",
    "device_count",
    "is_available",
    "is_initialized",
    "manual_seed",
    "manual_seed_all",
]


def is_available() -> bool:
    return False


def is_initialized() -> bool:
    return False


def device_count() -> int:
    return 0


def current_device() -> int:
    raise AssertionError("Torch not compiled with CUDA enabled")


def manual_seed(seed: int) -> None:
    """Ignored, as in PyTorch without CUDA (the CPU generator is seeded by torch.manual_seed)."""


def manual_seed_all(seed: int) -> None:
    """Ignored, as in PyTorch without CUDA."""
