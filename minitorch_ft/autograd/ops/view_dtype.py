"""`Tensor.view(dtype)`: reinterpreting a tensor's bytes, with PyTorch's size and stride rules."""

# ruff: noqa: A002 - `input` is PyTorch's argument name

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._support import type_name


def view_dtype(input: Tensor, dtype) -> Tensor:
    """`view(dtype)`: the same bytes read as another dtype; not differentiable, sharing memory
    and version counter with input (torch 2.x)."""
    data, new = input._data, np.dtype(dtype.np)
    old_size, new_size = data.dtype.itemsize, new.itemsize
    if old_size != new_size:
        names = f"{type_name(data.dtype)} as {type_name(new)} (different element sizes)"
        if data.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 to view {names}")
        if data.shape[-1] != 1 and data.strides[-1] != old_size:
            raise RuntimeError(
                f"self.stride(-1) must be 1 to view {names}, but got {data.strides[-1] // old_size}"
            )
        if new_size > old_size and data.shape[-1] % (new_size // old_size):
            raise RuntimeError(
                f"self.size(-1) must be divisible by {new_size // old_size} to view {names}, "
                f"but got {data.shape[-1]}"
            )
        if data.shape[-1] == 1 and data.strides[-1] != old_size:
            data = data[..., :1]  # numpy needs a unit last stride; a size-1 dim has any
            data = np.lib.stride_tricks.as_strided(data, strides=data.strides[:-1] + (old_size,))
    return Tensor._wrap(data.view(new), version=input._version_counter)
