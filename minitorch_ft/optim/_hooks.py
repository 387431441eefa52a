"""Small helpers for the optimizer base: hook handles and torch.typename-style names."""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable

from ..autograd.tensor import Tensor

_TENSOR_TYPES = {
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
    "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
    "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor",
}


def typename(obj) -> str:
    """`torch.typename`: 'torch.FloatTensor' for tensors, else the qualified class name."""
    if isinstance(obj, Tensor):
        return "torch." + _TENSOR_TYPES.get(obj._data.dtype.name, "Tensor")
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


class RemovableHandle:
    """Returned by the `register_*_hook` methods; `.remove()` unregisters the hook."""

    _ids = itertools.count()

    def __init__(self, hooks: OrderedDict) -> None:
        self.hooks = hooks
        self.id = next(RemovableHandle._ids)

    @classmethod
    def add(cls, hooks: OrderedDict, hook: Callable, prepend: bool = False) -> RemovableHandle:
        handle = cls(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def remove(self) -> None:
        self.hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
