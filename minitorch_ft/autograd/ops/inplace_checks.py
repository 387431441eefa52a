"""Checks before an in-place write: partial memory overlap, outputs of multi-output views."""

from __future__ import annotations

import numpy as np

from ..function import forward_name
from ..tensor import Tensor

_PARTIAL_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor "
    "refer to a single memory location. Please clone() the tensor before performing the "
    "operation."
)


def check_overlap(self: Tensor, others) -> None:
    """torch's partial-overlap check: an argument sharing memory with self must be exactly
    self's memory (same first and last byte, same strides), as `y.mul_(y)`. torch gives up
    (and allows) when either one is not dense, like `y[:, 1:]`."""
    data = self._data
    for o in others:
        if not isinstance(o, Tensor) or o._data is data or not o._data.size or not data.size:
            continue
        other = o._data
        if not np.may_share_memory(data, other) or not (_dense(data) and _dense(other)):
            continue
        if _bounds(data) == _bounds(other) and data.strides == other.strides:
            continue
        raise RuntimeError(_PARTIAL_OVERLAP)


def _bounds(a: np.ndarray) -> tuple:
    start = a.__array_interface__["data"][0]
    return start, start + a.nbytes


def _dense(a: np.ndarray) -> bool:
    """True when the elements fill a block of memory without gaps or repeats (any order)."""
    expected = a.itemsize
    for stride, size in sorted((s, n) for s, n in zip(a.strides, a.shape, strict=True) if n > 1):
        if stride != expected:
            return False
        expected *= size
    return True


def unlock(array: np.ndarray, written: np.ndarray | None = ...) -> bool:
    """Make a read-only view of a broadcast array writable when no two of the elements written
    share memory (torch writes into such a view of an expanded tensor, even an empty one); True
    when it was made writable, False when it stays read-only (numpy's error then applies).

    `written`: the part written when not the whole array (a setitem's region); None for
    index_put_/masked_fill_, which torch lets write into an expanded tensor."""
    if array.flags.writeable:
        return False
    region = array if written is ... else written
    if (
        region is not None
        and region.size
        and any(s == 0 and n > 1 for s, n in zip(region.strides, region.shape, strict=True))
    ):
        return False
    try:
        array.flags.writeable = True
    except ValueError:  # memory numpy does not own writably (bytes, a read-only buffer)
        return False
    return True


def multi_output_view_error(view: Tensor) -> str | None:
    """torch's error for an in-place change of a split/chunk/unbind output (or of a view of
    one) that requires grad, or None. Found by walking the view nodes back to their base."""
    node = view.grad_fn
    while node is not None:
        op = getattr(node, "_op", None)
        if op is None or not op.is_view:
            return None
        if op.multi_output_view:
            return (
                f"Output {view.output_nr} of {forward_name(view.grad_fn.name())} is a view and "
                "is being modified inplace. This view is the output of a function that returns "
                "multiple views. Such functions do not allow the output views to be modified "
                "inplace. You should replace the inplace operation by an out-of-place one."
            )
        node = node._edges[0][0]
    return None
