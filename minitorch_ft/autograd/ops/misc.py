"""Small tensor helpers PyTorch code reaches for: new_* factories, meshgrid, broadcast_tensors,
broadcast_shapes, repeat_interleave, take_along_dim, is_floating_point, is_nonzero.

All compose existing ops (expand, reshape, index_select, gather), so grad_fn names follow.
"""

# ruff: noqa: A002 - `input` is PyTorch's argument name

from __future__ import annotations

import warnings

import numpy as np

from .. import creation
from ..tensor import Size, Tensor, _wrap_dim
from ._support import broadcast_shape

__all__ = [
    "broadcast_shapes",
    "broadcast_tensors",
    "is_floating_point",
    "is_nonzero",
    "meshgrid",
    "repeat_interleave",
    "take_along_dim",
]


def _new(fill):
    def new(
        self: Tensor, *size, dtype=None, device=None, requires_grad: bool = False, **kwargs
    ) -> Tensor:
        return fill(
            *size, dtype=dtype if dtype is not None else self.dtype, requires_grad=requires_grad
        )

    return new


def new_full(
    self: Tensor, size, fill_value, *, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    return creation.full(
        size,
        fill_value,
        dtype=dtype if dtype is not None else self.dtype,
        requires_grad=requires_grad,
    )


def new_tensor(self: Tensor, data, dtype=None, device=None, requires_grad: bool = False):
    """A copy of data with self's dtype unless `dtype` is given (torch.Tensor.new_tensor)."""
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than tensor.new_tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        data = data._data  # copied by tensor(), without its own torch.tensor warning
    return creation.tensor(
        data, dtype=dtype if dtype is not None else self.dtype, requires_grad=requires_grad
    )


def is_floating_point(input: Tensor) -> bool:
    return input._data.dtype.kind == "f"


def is_nonzero(input: Tensor) -> bool:
    """The truth of a one-element tensor, with torch's errors otherwise."""
    if input.numel() == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if input.numel() > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input._data.reshape(()).item())


def broadcast_shapes(*shapes) -> Size:
    return Size(broadcast_shape(*(tuple(s) if not isinstance(s, int) else (s,) for s in shapes)))


def broadcast_tensors(*tensors) -> tuple:
    """Each tensor expanded to the common shape (already-fitting ones returned as they are)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = broadcast_shape(*(t.shape for t in tensors))
    return tuple(t if tuple(t.shape) == shape else t.expand(shape) for t in tensors)


def meshgrid(*tensors, indexing: str | None = None) -> tuple:
    """Coordinate grids from 1-d tensors; 'ij' (default, as torch today) or 'xy'."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    indexing = indexing or "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    tensors = [t.reshape(-1) if t.ndim == 0 else t for t in tensors]
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}"
            )
    if len({t._data.dtype for t in tensors}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    # 'xy' swaps the roles of the first two dims (cartesian instead of matrix indexing)
    place = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        place[0], place[1] = 1, 0
    shape = [0] * len(tensors)
    for t, d in zip(tensors, place, strict=True):
        shape[d] = t.shape[0]
    grids = []
    for t, d in zip(tensors, place, strict=True):
        view = [1] * len(tensors)
        view[d] = -1
        grids.append(t.reshape(view).expand(shape))
    return tuple(grids)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Repeat each element (along `dim`, or of the flattened tensor) `repeats` times."""
    if repeats is None:  # torch.repeat_interleave(counts): indices repeated by their counts
        counts = input._data
        return Tensor._wrap(np.repeat(np.arange(len(counts)), counts).astype(np.int64))
    x = input.reshape(-1) if dim is None else input
    axis = 0 if dim is None else _wrap_dim(dim, input.ndim)
    if isinstance(repeats, Tensor):  # torch gathers for tensor repeats, even of one element
        index = np.repeat(np.arange(x.shape[axis]), repeats._data.reshape(-1))
        return x.index_select(axis, Tensor._wrap(index.astype(np.int64)))
    sizes = list(x.shape)
    expanded = x.unsqueeze(axis + 1).expand(*sizes[: axis + 1], repeats, *sizes[axis + 1 :])
    sizes[axis] *= repeats
    return expanded.contiguous().view(sizes)  # torch's nodes: View over Clone over Expand


def take_along_dim(input: Tensor, indices: Tensor, dim=None) -> Tensor:
    """Gather with the index broadcast against the input (all dims but `dim`)."""
    if dim is None:
        return input.reshape(-1).gather(0, indices.reshape(-1))
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    axis = _wrap_dim(dim, input.ndim)
    a_shape, i_shape = list(input.shape), list(indices.shape)
    a_shape[axis] = i_shape[axis] = 1
    common = list(broadcast_shape(tuple(a_shape), tuple(i_shape)))
    a_full, i_full = list(common), list(common)
    a_full[axis], i_full[axis] = input.shape[axis], indices.shape[axis]
    x = input.expand(a_full)  # always, as torch: the gather saves this view
    idx = indices if list(indices.shape) == i_full else indices.expand(i_full)
    return x.gather(axis, idx)


def storage_offset(self: Tensor) -> int:
    """Elements between the start of the underlying buffer and this tensor's first element."""
    root = self._data
    while isinstance(root.base, np.ndarray):
        root = root.base
    return (self._data.ctypes.data - root.ctypes.data) // self._data.itemsize


Tensor.ndimension = Tensor.dim
Tensor.storage_offset = storage_offset
Tensor.new_zeros = _new(creation.zeros)
Tensor.new_ones = _new(creation.ones)
Tensor.new_empty = _new(creation.empty)
Tensor.new_full = new_full
Tensor.new_tensor = new_tensor
Tensor.repeat_interleave = repeat_interleave
Tensor.take_along_dim = take_along_dim
Tensor.is_nonzero = is_nonzero
