"""`torch.backends.mps` on a CPU-only build: tutorial device pickers read it and choose "cpu"."""

from __future__ import annotations

from types import SimpleNamespace

__all__ = ["mps"]

mps = SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
