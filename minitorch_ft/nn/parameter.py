"""`Parameter` and `Buffer`: tensors a Module registers when they are assigned to it.

A Parameter is a real Tensor subclass (as `torch.nn.Parameter`), so ops, optimizers and
`isinstance(p, Tensor)` all work on it unchanged.
"""

from __future__ import annotations

import numpy as np

from ..autograd import dtypes
from ..autograd.tensor import Tensor


def _source_array(data) -> tuple:
    """(array, version) to adopt from `data`; a missing data gives an empty float tensor."""
    if data is None:
        return np.empty(0, dtypes.get_default_dtype().np), None
    if not isinstance(data, Tensor):
        # PyTorch fails the same way: it calls data.detach() first.
        raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
    return data._data, data._version_counter


class Parameter(Tensor):
    """A leaf tensor that a Module lists in `parameters()`; requires grad by default.

    It shares storage with the tensor it wraps, like `torch.nn.Parameter(t)`.
    """

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        array, version = _source_array(data)
        self._init(array, False, None, version)
        if requires_grad:
            if array.dtype.kind != "f":
                raise RuntimeError(
                    "Only Tensors of floating point and complex dtype can require gradients"
                )
            self.requires_grad = True  # the setter refuses inference tensors, as torch

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict) -> Parameter:
        if id(self) in memo:
            return memo[id(self)]
        # torch copies data and requires_grad only: a deep-copied Parameter has no .grad
        result = type(self)(Tensor._wrap(self._data.copy()), self._requires_grad)
        memo[id(self)] = result
        return result


class Buffer(Tensor):
    """Marks a tensor as a buffer when assigned to a Module (`torch.nn.Buffer`).

    `persistent=False` keeps it out of `state_dict()`.
    """

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True) -> None:
        array, version = _source_array(data)
        self._init(array, False, None, version)
        self.persistent = persistent


def empty_parameter(*shape: int, dtype=None, requires_grad: bool = True) -> Parameter:
    """An uninitialised Parameter of the given shape (layers fill it in reset_parameters)."""
    from ..autograd.creation import empty  # torch's errors for negative sizes

    return Parameter(empty(*shape, dtype=dtype), requires_grad)
