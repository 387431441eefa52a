"""Padding modules (torch.nn.ZeroPad2d, ConstantPad1d, ReflectionPad2d, ...) over F.pad.

An int padding means the same amount on every side of each padded dim, as in PyTorch.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

from ..autograd.tensor import Tensor
from . import functional as F
from .module import Module


def _expand(padding, dims: int) -> tuple:
    return (padding,) * (2 * dims) if isinstance(padding, int) else tuple(padding)


class _ConstantPadNd(Module):
    _dims = 1

    def __init__(self, padding, value: float) -> None:
        super().__init__()
        self.padding = _expand(padding, self._dims)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    _dims = 3


class ZeroPad1d(ConstantPad1d):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _GatherPadNd(Module):
    _dims = 1
    _mode = "reflect"

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _expand(padding, self._dims)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


def _gather_pad(name: str, dims: int, mode: str) -> type:
    return type(
        name,
        (_GatherPadNd,),
        {
            "_dims": dims,
            "_mode": mode,
            "__module__": __name__,
            "__doc__": f"{mode} padding of the last {dims} dim(s).",
        },
    )


ReflectionPad1d = _gather_pad("ReflectionPad1d", 1, "reflect")
ReflectionPad2d = _gather_pad("ReflectionPad2d", 2, "reflect")
ReflectionPad3d = _gather_pad("ReflectionPad3d", 3, "reflect")
ReplicationPad1d = _gather_pad("ReplicationPad1d", 1, "replicate")
ReplicationPad2d = _gather_pad("ReplicationPad2d", 2, "replicate")
ReplicationPad3d = _gather_pad("ReplicationPad3d", 3, "replicate")
CircularPad1d = _gather_pad("CircularPad1d", 1, "circular")
CircularPad2d = _gather_pad("CircularPad2d", 2, "circular")
CircularPad3d = _gather_pad("CircularPad3d", 3, "circular")
