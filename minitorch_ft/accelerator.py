"""`torch.accelerator` on a CPU-only build: none available, so tutorials fall back to "cpu"."""

from __future__ import annotations

__all__ = ["current_accelerator", "device_count", "is_available"]


def is_available() -> bool:
    return False


def current_accelerator(check_available: bool = False) -> None:
    """None: there is no accelerator (PyTorch returns None on a CPU-only build too)."""
    return None


def device_count() -> int:
    return 0
