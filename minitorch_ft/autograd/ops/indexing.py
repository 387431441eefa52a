"""`tensor[key]` and `tensor[key] = value` with PyTorch's semantics and graph nodes.

Like PyTorch, a key is applied in two phases: ints, slices and None first, as views
(SelectBackward0, SliceBackward0, UnsqueezeBackward0), then integer-array and mask indices
in one gather (IndexBackward0). Ints therefore never join advanced indexing as in numpy.
"""

# ruff: noqa: A001, A002 - `input`, `sum`, `max`... are PyTorch's names

from __future__ import annotations

import warnings

import numpy as np

from .. import grad_mode
from ..function import Op
from ..tensor import Tensor
from .shape import Alias, Unsqueeze, expand
from .slicing import Select, Slice

__all__: list[str] = []

_LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF_ERROR = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
_OVERLAP_ERROR = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)


def _fmt(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _as_index(k):
    """One key item as int, bool, slice, None, Ellipsis or an index ndarray."""
    if k is None or k is Ellipsis or isinstance(k, slice):
        return k
    if isinstance(k, (bool, np.bool_)):
        return bool(k)
    if isinstance(k, (int, np.integer)):
        return int(k)
    if isinstance(k, Tensor):
        arr = k._data
        if arr.dtype.kind not in "biu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if arr.ndim == 0:  # a 0-d index tensor acts like the python number it holds
            return bool(arr) if arr.dtype == np.bool_ else int(arr)
        if arr.dtype == np.uint8:
            warnings.warn(
                "indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                "torch.bool instead.",
                UserWarning,
                stacklevel=4,
            )
            return arr.astype(np.bool_)
        return arr if arr.dtype.kind in "b" else arr.astype(np.int64, copy=False)
    if isinstance(k, range):
        k = list(k)
    if isinstance(k, (list, np.ndarray)):
        arr = np.asarray(
            [_as_index(i) if isinstance(i, Tensor) else i for i in k] if isinstance(k, list) else k
        )
        if arr.dtype == np.bool_:
            return arr
        return arr.astype(np.int64)  # PyTorch also accepts a list of floats here
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte "
        f"Variables are valid indices (got {type(k).__name__})"
    )


def _sequence_as_tuple(key: list) -> bool:
    """PyTorch's legacy rule: a short list holding sequences, slices, None or ... is a tuple."""
    return len(key) < 32 and any(
        k is None or k is Ellipsis or isinstance(k, (list, tuple, slice, Tensor, np.ndarray))
        for k in key
    )


def _consumed(k) -> int:
    if k is None or k is Ellipsis or isinstance(k, bool):
        return 0
    if isinstance(k, np.ndarray) and k.dtype == np.bool_:
        return k.ndim
    return 1


def parse_key(key, shape: tuple, write: bool = False):
    """Split a key into view steps and an advanced (numpy) key for the viewed result.

    Steps are ("unsqueeze", dim), ("select", dim, i) or ("slice", dim, start, stop, step).
    """
    if isinstance(key, list) and _sequence_as_tuple(key):
        warnings.warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated and will be "
            "changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this "
            "will be interpreted as tensor index, x[torch.tensor(seq)], which will result "
            "either in an error or a different result",
            UserWarning,
            stacklevel=3,
        )
        key = tuple(key)
    single = isinstance(key, slice) and not write  # `x[:]` reads a slice, writes the whole
    items = [_as_index(k) for k in (key if isinstance(key, tuple) else (key,))]
    used = sum(_consumed(k) for k in items)
    if used > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    # (position in the key, item); PyTorch's error messages name the position.
    placed = []
    for pos, k in enumerate(items):
        if k is Ellipsis:  # only the first one expands
            k, n = slice(None), len(shape) - used
            used = len(shape)
            placed.extend([(pos, k)] * n)
        else:
            placed.append((pos, k))
    shape = list(shape)
    steps, advanced = [], []
    dim = 0  # position in the result so far
    for pos, k in placed:
        if k is None or isinstance(k, bool):
            steps.append(("unsqueeze", dim))
            shape.insert(dim, 1)
            if isinstance(k, bool):  # True/False index a new size-1 dim
                advanced.append((dim, np.arange(1 if k else 0)))
            dim += 1
        elif isinstance(k, int):
            size = shape[dim]
            if not -size <= k < size:
                raise IndexError(f"index {k} is out of bounds for dimension {pos} with size {size}")
            steps.append(("select", dim, k % size))
            shape.pop(dim)
        elif isinstance(k, slice):
            size = shape[dim]
            if k.step is not None and k.step <= 0:
                raise ValueError(
                    "slice step cannot be zero" if k.step == 0 else "step must be greater than zero"
                )
            start, stop, step = k.indices(size)
            stop = max(stop, start)
            # Inside a tuple, `:`, `0:` and `:n` (n >= size) record nothing; `x[:]` slices.
            full = (start, stop, step) == (0, size, 1) and k.start in (None, 0)
            if single or not full:
                steps.append(("slice", dim, start, stop, step))
                shape[dim] = len(range(start, stop, step))
            dim += 1
        else:
            advanced.append((dim, k))
            dim += k.ndim if k.dtype == np.bool_ else 1
    return steps, _advanced_key(advanced, shape)


def _check_mask(mask: np.ndarray, shape: list, dim: int) -> None:
    for j, n in enumerate(mask.shape):
        if dim + j >= len(shape) or shape[dim + j] != n:
            raise IndexError(
                f"The shape of the mask {_fmt(mask.shape)} at index {j} does not match the "
                f"shape of the indexed tensor {_fmt(shape)} at index {dim + j}"
            )


def _check_bounds(index: np.ndarray, size: int, ordinal: int) -> None:
    bad = (index >= size) | (index < -size)
    if bad.any():
        raise IndexError(
            f"index {index[bad].flat[0]} is out of bounds for dimension {ordinal} with size {size}"
        )


def _advanced_key(advanced: list, shape: list):
    """The numpy key for the advanced indices, checked against the shape after view steps."""
    if not advanced:
        return None
    key: list = [slice(None)] * len(shape)
    arrays, bounds = [], []
    for dim, index in advanced:
        if index.dtype == np.bool_:
            _check_mask(index, shape, dim)
            parts = np.nonzero(index)  # a mask is the same as its nonzero coordinates
            key[dim : dim + index.ndim] = parts
            arrays.extend(parts)
        else:
            # PyTorch numbers the offending index among the index tensors.
            bounds.append((index, shape[dim], len(arrays)))
            key[dim] = index
            arrays.append(index)
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise IndexError(
            "shape mismatch: indexing tensors could not be broadcast together "
            "with shapes " + ", ".join(_fmt(a.shape) for a in arrays)
        ) from None
    for check in bounds:
        _check_bounds(*check)
    return tuple(key)


def apply_steps(array: np.ndarray, steps) -> np.ndarray:
    """The numpy view that a key's view steps select (used to write through a key)."""
    for step in steps:
        lead = (slice(None),) * step[1]
        if step[0] == "unsqueeze":
            array = np.expand_dims(array, step[1])
        elif step[0] == "select":
            array = array[lead + (step[2], ...)]  # `...` keeps 0-d results views
        else:
            array = array[lead + (slice(*step[2:]),)]
    return array


class Index(Op):
    """Integer-array / mask indexing (a copy); d/da = g scatter-added, repeats accumulate."""

    @staticmethod
    def forward(ctx, a, key):
        ctx.key = key  # index arrays, not tensor data: nothing to version-check
        return a[key]

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.add.at(out, ctx.key, grad)
        return out


def getitem(self: Tensor, key) -> Tensor:
    """`tensor[key]`: views for ints/slices/None, a gather for index arrays and masks."""
    steps, advanced = parse_key(key, self._data.shape)
    out = self
    for step in steps:
        if step[0] == "unsqueeze":
            out = Unsqueeze.apply(out, step[1])
        elif step[0] == "select":
            out = Select.apply(out, dim=step[1], index=step[2])
        else:
            out = Slice.apply(out, dim=step[1], start=step[2], stop=step[3], step=step[4])
    if advanced is not None:
        return Index.apply(out, key=advanced)
    return out if steps else Alias.apply(self)


class CopySlices(Op):
    """Write `value` into part of a tensor in place; d/dold = g zeroed there, d/dvalue = g there."""

    grad_fn_name = "CopySlices"

    @staticmethod
    def forward(ctx, a, value, steps, key):
        ctx.steps, ctx.key = steps, key
        ctx.value_dtype = getattr(value, "dtype", None)
        target = apply_steps(a, steps)
        target[key if key is not None else ...] = value
        return a

    @staticmethod
    def backward(ctx, grad):
        key = ctx.key if ctx.key is not None else ...
        grad_old = None
        if ctx.needs_input_grad[0]:
            grad_old = grad.copy()
            apply_steps(grad_old, ctx.steps)[key] = 0
        grad_value = None
        if ctx.needs_input_grad[1]:
            grad_value = np.asarray(apply_steps(grad, ctx.steps)[key], ctx.value_dtype)
        return grad_old, grad_value


class IndexPut(CopySlices):
    grad_fn_name = "IndexPutBackward0"


class Fill(CopySlices):
    grad_fn_name = "FillBackward3"


class Copy(CopySlices):
    grad_fn_name = "CopyBackwards"


def in_place(target: Tensor, op: type, *args, through_view: bool = False, **kwargs) -> Tensor:
    """Run `op` whose forward writes into target's array; rebase target's history on it.

    Raises PyTorch's errors for leaves that require grad; bumps the version counter. When
    target is a view, its base's history is rewritten too, as PyTorch's CopySlices does.
    """
    base = target._base
    if grad_mode.is_grad_enabled():
        if target.grad_fn is None and target._requires_grad:
            raise RuntimeError(_VIEW_OF_LEAF_ERROR if through_view else _LEAF_ERROR)
        if base is not None and base.grad_fn is None and base._requires_grad:
            raise RuntimeError(_VIEW_OF_LEAF_ERROR)
    if not target._data.flags.writeable:
        raise RuntimeError(_OVERLAP_ERROR)
    out = op.apply(target, *args, **kwargs)
    if out.grad_fn is not None:
        positions = None if base is None else flat_positions(base._data, target._data)
        if positions is None:
            target.grad_fn = out.grad_fn
        else:
            written = WriteThroughView.apply(base, *args, inner=out.grad_fn, positions=positions)
            base.grad_fn, base._requires_grad = written.grad_fn, True
            target.grad_fn = AsStrided.apply(base, positions=positions).grad_fn
        target._requires_grad = True
        root = target if base is None else base
        if root._views:
            refresh_views(root, target)
    target._version_counter.value += 1
    return target


def flat_positions(base: np.ndarray, view: np.ndarray):
    """Flat (C-order) index into base of each element of a view of its memory, or None
    when base's layout (negative or zero strides) makes the mapping ambiguous."""
    if any(s <= 0 for s, n in zip(base.strides, base.shape, strict=True) if n > 1):
        return None
    offsets = np.asarray(
        view.__array_interface__["data"][0] - base.__array_interface__["data"][0], np.int64
    )
    for d, (n, s) in enumerate(zip(view.shape, view.strides, strict=True)):
        offsets = offsets + (np.arange(n) * s).reshape(
            [-1 if j == d else 1 for j in range(view.ndim)]
        )
    coords: list = [np.zeros(view.shape, np.int64)] * base.ndim
    for d in sorted(range(base.ndim), key=lambda d: -base.strides[d]):
        if base.shape[d] > 1:
            coords[d], offsets = np.divmod(offsets, base.strides[d])
    if offsets.any() or any((c >= n).any() for c, n in zip(coords, base.shape, strict=True)):
        return None
    return np.ravel_multi_index(coords, base.shape) if base.ndim else offsets


class WriteThroughView(CopySlices):
    """A base after an in-place op on one of its views: the op's backward runs on the view's
    part of the gradient, the rest passes through (PyTorch's CopySlices)."""

    grad_fn_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, *rest, inner, positions):
        ctx.inner, ctx.positions = inner, positions
        return base

    @staticmethod
    def backward(ctx, grad):
        inner = ctx.inner
        grads = inner._backward(inner, grad.reshape(-1)[ctx.positions])
        grads = grads if isinstance(grads, tuple) else (grads,)
        grad_base = None
        if ctx.needs_input_grad[0]:
            grad_base = grad.copy()
            grad_base.reshape(-1)[ctx.positions] = 0 if grads[0] is None else grads[0]
        return (grad_base,) + tuple(grads[1:])


class AsStrided(Op):
    """A view's history after an in-place write through it: its elements of the base."""

    @staticmethod
    def forward(ctx, base, positions):
        ctx.positions = positions
        return base

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx._shapes[0], grad.dtype)
        np.add.at(out.reshape(-1), ctx.positions, grad)
        return out


def refresh_views(base: Tensor, written: Tensor) -> None:
    """After a recorded in-place write into `base` (directly or through the view `written`),
    every other live view of it reads the new values: its history becomes its elements of
    the base (PyTorch regenerates such a view's grad_fn as AsStridedBackward0)."""
    alive = []
    for ref in base._views:
        view = ref()
        if view is None:
            continue
        alive.append(ref)
        if view is written:
            continue
        positions = flat_positions(base._data, view._data)
        if positions is not None:
            view.grad_fn = AsStrided.apply(base, positions=positions).grad_fn
            view._requires_grad = True
    base._views = alive


# PyTorch prints these C++ nodes with their namespace.
CopySlices._node_type.name = lambda self: "torch::autograd::CopySlices"
WriteThroughView._node_type.name = CopySlices._node_type.name
Copy._node_type.name = lambda self: "torch::autograd::CopyBackwards"


def setitem(self: Tensor, key, value) -> None:
    """`tensor[key] = value` in place; recorded in the graph as PyTorch's CopySlices does."""
    steps, advanced = parse_key(key, self._data.shape, write=True)
    view = apply_steps(self._data, steps)
    result_shape = view[advanced].shape if advanced is not None else view.shape
    if not isinstance(value, Tensor):
        value = Tensor._wrap(np.asarray(value, self._data.dtype))
    if value.ndim and value.shape[0] == 1:  # PyTorch drops a value's leading size-1 dims
        shape = value.shape
        while shape and shape[0] == 1:
            shape = shape[1:]
        value = value.reshape(shape)
    _check_value_shape(value, result_shape, advanced is not None)
    if steps:
        op = CopySlices
    elif advanced is not None:
        op = IndexPut
    else:
        op = Copy if value.ndim else Fill
    in_place(self, op, value, steps=steps, key=advanced, through_view=bool(steps))


def _check_value_shape(value: Tensor, shape: tuple, advanced: bool) -> None:
    if advanced:
        try:
            ok = np.broadcast_shapes(value.shape, shape) == tuple(shape)
        except ValueError:
            ok = False
        if not ok:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {_fmt(value.shape)} cannot "
                f"be broadcast to indexing result of shape {_fmt(shape)}"
            )
        return
    with grad_mode.no_grad():
        expand(value, shape)  # raises PyTorch's expand errors


Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem
