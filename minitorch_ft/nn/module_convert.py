"""Module's dtype and device conversions (`to`, `float`, `double`, `half`, `type`, ...):
parameters keep their identity and change their arrays in place, as PyTorch's `_apply` does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..autograd import dtypes
from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor

if TYPE_CHECKING:
    from .module import Module


class ConversionMixin:
    """The conversions of `Module`; they need `children()`, `_parameters` and `_buffers`."""

    def _apply(self, fn: Callable[[Tensor], Tensor], recurse: bool = True) -> Module:
        """Convert every parameter in place (same Parameter objects) and replace buffers."""
        if recurse:
            for module in self.children():
                module._apply(fn)
        with no_grad():
            for param in self._parameters.values():
                if param is None:
                    continue
                new = fn(param)
                if param._requires_grad and not new.is_floating_point():
                    raise RuntimeError(
                        "data set to a tensor that requires gradients must be floating point "
                        "or complex dtype"
                    )
                param._data = new._data
                if param._grad is not None:
                    param._grad._data = fn(param._grad)._data
            for key, buf in self._buffers.items():
                if buf is not None:
                    self._buffers[key] = fn(buf)
        return self

    def to(self, *args, **kwargs) -> Module:
        """`to(dtype)`, `to(device)`, `to(tensor)`: floating tensors change dtype, in place."""
        dtype = kwargs.get("dtype")
        device = kwargs.get("device")
        for arg in args:
            if isinstance(arg, bool):  # non_blocking (positional), meaningless on the CPU
                continue
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, (dtypes.dtype, type)):
                dtype = arg
            else:
                device = arg
        if isinstance(device, int):  # a bare index means "accelerator number <index>"
            raise RuntimeError("Cannot access accelerator device when none is available.")
        if device is not None and str(device).split(":")[0] != "cpu":
            raise AssertionError("Torch not compiled with CUDA enabled")  # PyTorch's CPU build
        if dtype is None:
            return self
        dtype = dtypes.to_dtype(dtype)
        if not dtype.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )
        return self._apply(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def to_empty(self, *, device, recurse: bool = True) -> Module:
        """Replace every parameter's and buffer's values with uninitialised memory."""
        self.to(device)  # validates the device (only the CPU exists here)
        return self._apply(lambda t: Tensor._wrap(np.empty_like(t._data)), recurse)

    def float(self) -> Module:
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self) -> Module:
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self) -> Module:
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    def type(self, dst_type) -> Module:
        return self._apply(lambda t: t.to(dst_type))

    def cpu(self) -> Module:
        return self

    def cuda(self, device=None) -> Module:
        raise AssertionError("Torch not compiled with CUDA enabled")

    def share_memory(self) -> Module:
        return self
