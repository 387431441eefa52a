"""`tensor[key]` and `tensor[key] = value` with PyTorch's semantics and graph nodes.

Like PyTorch, a key is applied in two phases: ints, slices and None first, as views
(SelectBackward0, SliceBackward0, UnsqueezeBackward0), then integer-array and mask indices
in one gather (IndexBackward0). Ints therefore never join advanced indexing as in numpy.
"""

# ruff: noqa: A001, A002 - `input`, `sum`, `max`... are PyTorch's names

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import grad_mode
from ..function import Op, move_retained_grad
from ..tensor import Tensor
from ._support import type_name
from .inplace_checks import multi_output_view_error, unlock
from .shape import Alias, Unsqueeze, expand
from .slicing import Select, Slice
from .view_history import AsStrided, flat_positions, refresh_views, repeats_elements

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
    if not shape and isinstance(key, (int, slice)) and not isinstance(key, bool):
        _zero_dim_key_error(key)
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
            # Inside a tuple, `:`, `0:` and `:n` (n >= size, so not `:-1` of a size-0 dim)
            # record nothing; `x[:]` slices.
            full = (
                k.start in (None, 0) and k.step in (None, 1) and (k.stop is None or k.stop >= size)
            )
            if single or not full:
                steps.append(("slice", dim, start, stop, step))
                shape[dim] = len(range(start, stop, step))
            dim += 1
        else:
            advanced.append((dim, k))
            dim += k.ndim if k.dtype == np.bool_ else 1
    return steps, _advanced_key(advanced, shape, write)


def _zero_dim_key_error(key) -> None:
    """PyTorch's errors for a lone int or slice applied to a 0-d tensor."""
    if isinstance(key, slice):
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if key == 0:
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    raise IndexError(f"index {key} is out of bounds for dimension 0 with size 0")


def _check_mask(mask: np.ndarray, shape: list, dim: int) -> None:
    for j, n in enumerate(mask.shape):
        if dim + j >= len(shape) or shape[dim + j] != n:
            raise IndexError(
                f"The shape of the mask {_fmt(mask.shape)} at index {j} does not match the "
                f"shape of the indexed tensor {_fmt(shape)} at index {dim + j}"
            )


def check_bounds(key: tuple, shape: tuple) -> tuple:
    """PyTorch's bounds check of the index arrays in a numpy key: the first bad element of
    the result names its index among the index tensors. No check when the result is empty:
    the key returned then has its index values zeroed, so that numpy does not check them."""
    arrays = [(k, n) for k, n in zip(key, shape, strict=False) if isinstance(k, np.ndarray)]
    rest = [n for k, n in zip(key, shape, strict=False) if not isinstance(k, np.ndarray)]
    common = np.broadcast_shapes(*(a.shape for a, _ in arrays))
    if any(n == 0 for _, n in arrays) and math.prod(common):  # no index fits a size-0 dim
        raise IndexError("index is out of bounds for dimension with size 0")
    if math.prod(common) * math.prod(rest) == 0:
        return tuple(
            np.zeros_like(k) if isinstance(k, np.ndarray) and n else k
            for k, n in zip(key, shape, strict=False)
        )
    bad = np.stack([np.broadcast_to((a >= n) | (a < -n), common) for a, n in arrays])
    if bad.any():
        first = int(np.argmax(bad.any(axis=0).reshape(-1)))
        ordinal = int(np.argmax(bad.reshape(len(arrays), -1)[:, first]))
        a, n = arrays[ordinal]
        raise IndexError(
            f"index {np.broadcast_to(a, common).reshape(-1)[first]} is out of bounds for "
            f"dimension {ordinal} with size {n}"
        )
    return key


def _advanced_key(advanced: list, shape: list, write: bool):
    """The numpy key for the advanced indices, checked against the shape after view steps
    (a write checks the bounds later, after the value, as PyTorch)."""
    if not advanced:
        return None
    key: list = [slice(None)] * len(shape)
    arrays = []
    for dim, index in advanced:
        if index.dtype == np.bool_:
            _check_mask(index, shape, dim)
            parts = np.nonzero(index)  # a mask is the same as its nonzero coordinates
            key[dim : dim + index.ndim] = parts
            arrays.extend(parts)
        else:
            key[dim] = index
            arrays.append(index)
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise IndexError(
            "shape mismatch: indexing tensors could not be broadcast together "
            "with shapes " + ", ".join(_fmt(a.shape) for a in arrays)
        ) from None
    return tuple(key) if write else check_bounds(tuple(key), tuple(shape))


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
        return np.ascontiguousarray(a[key])  # numpy's layout may differ; torch's is contiguous

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
            grad_old = np.array(grad)  # a copy; an ndarray even when grad is a numpy scalar
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


def in_place(
    target: Tensor, op: type, *args, through_view: bool = False, written=..., **kwargs
) -> Tensor:
    """Run `op` whose forward writes into target's array; rebase target's history on it.

    Raises PyTorch's errors for leaves that require grad; bumps the version counter. When
    target is a view, its base's history is rewritten too, as PyTorch's CopySlices does.
    """
    base = target._base
    if grad_mode.is_grad_enabled():
        if target.grad_fn is None and target._requires_grad:
            raise RuntimeError(_VIEW_OF_LEAF_ERROR if through_view else _LEAF_ERROR)
        if base is not None and target._requires_grad:
            multi_output_error = multi_output_view_error(target)
            if multi_output_error is not None:
                raise RuntimeError(multi_output_error)
        if base is not None and base.grad_fn is None and base._requires_grad:
            raise RuntimeError(_VIEW_OF_LEAF_ERROR)
    if not target._data.flags.writeable and not unlock(target._data, written):
        raise RuntimeError(_OVERLAP_ERROR)
    out = op.apply(target, *args, **kwargs)
    if out.grad_fn is not None:
        old_node = target.grad_fn
        positions = None if base is None else flat_positions(base._data, target._data)
        if positions is None:
            target.grad_fn = out.grad_fn
        else:
            repeats = repeats_elements(target._data if written is ... else written)
            written = WriteThroughView.apply(
                base, *args, inner=out.grad_fn, positions=positions, repeats=repeats
            )
            old_base_node = base.grad_fn
            base.grad_fn, base._requires_grad = written.grad_fn, True
            move_retained_grad(base, old_base_node)
            target.grad_fn = AsStrided.apply(base, positions=positions).grad_fn
        target._requires_grad = True
        move_retained_grad(target, old_node)  # a retained .grad follows the new value
        root = target if base is None else base
        if root._views:
            refresh_views(root, target)
    target._version_counter.value += 1
    return target


class WriteThroughView(CopySlices):
    """A base after an in-place op on one of its views: the op's backward runs on the view's
    part of the gradient, the rest passes through (PyTorch's CopySlices)."""

    grad_fn_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, *rest, inner, positions, repeats=False):
        ctx.inner, ctx.positions, ctx.repeats = inner, positions, repeats
        return base

    @staticmethod
    def backward(ctx, grad):
        if ctx.repeats:  # torch writes the view's gradient back through the repeated view
            raise RuntimeError(_OVERLAP_ERROR)
        inner = ctx.inner
        grads = inner._backward(inner, grad.reshape(-1)[ctx.positions])
        grads = grads if isinstance(grads, tuple) else (grads,)
        grad_base = None
        if ctx.needs_input_grad[0]:
            # a C-ordered copy (an ndarray even for a numpy scalar): positions are C-order
            # flat indices, and reshape(-1) of any other layout would write into a copy
            grad_base = np.array(grad, order="C")
            grad_base.reshape(-1)[ctx.positions] = 0 if grads[0] is None else grads[0]
        return (grad_base,) + tuple(grads[1:])


# PyTorch prints these C++ nodes with their namespace.
CopySlices._node_type.name = lambda self: "torch::autograd::CopySlices"
WriteThroughView._node_type.name = CopySlices._node_type.name
Copy._node_type.name = lambda self: "torch::autograd::CopyBackwards"


def setitem(self: Tensor, key, value) -> None:
    """`tensor[key] = value` in place; recorded in the graph as PyTorch's CopySlices does."""
    if key is False:  # PyTorch writes (and records) nothing for a lone False
        return
    if key is True:  # a lone True writes through self.unsqueeze(0), like None
        key = None
    steps, advanced = parse_key(key, self._data.shape, write=True)
    view = apply_steps(self._data, steps)
    result_shape = _indexed_shape(advanced, view.shape) if advanced is not None else view.shape
    given_tensor = isinstance(value, Tensor)
    if not given_tensor:
        value = Tensor._wrap(np.asarray(value, self._data.dtype))
    given_shape = value.shape
    if value.ndim and value.shape[0] == 1:  # PyTorch drops a value's leading size-1 dims
        shape = value.shape
        while shape and shape[0] == 1:
            shape = shape[1:]
        value = value.reshape(shape)
    _check_value_shape(value, result_shape, advanced is not None)
    if advanced is not None:
        masked_fill = value.ndim == 0 and _single_mask(key)  # PyTorch casts the value then
        if given_tensor and value._data.dtype != self._data.dtype and not masked_fill:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{type_name(self._data.dtype)} for the destination and "
                f"{type_name(value._data.dtype)} for the source."
            )
        advanced = check_bounds(advanced, view.shape)
    if steps:
        op = CopySlices
    elif advanced is not None:
        op = IndexPut
    else:  # PyTorch fills with a 0-d value of another shape, else copies
        op = Fill if given_shape == () and self.ndim else Copy
    # torch checks the overlap of the part written, and none for an advanced index
    written = view if advanced is None else None
    in_place(self, op, value, steps=steps, key=advanced, through_view=bool(steps), written=written)


def _single_mask(key) -> bool:
    """True when a key's only index array is one boolean mask (of at least one dim)."""
    if isinstance(key, list) and _sequence_as_tuple(key):
        key = tuple(key)
    items = key if isinstance(key, tuple) else (key,)
    arrays = [
        k for k in items if isinstance(k, (Tensor, list, np.ndarray)) and np.ndim(_as_index(k))
    ]
    return len(arrays) == 1 and _as_index(arrays[0]).dtype == np.bool_


def _indexed_shape(key: tuple, shape: tuple) -> tuple:
    """The shape of `array[key]` (numpy's rule, as PyTorch), without its bounds check."""
    at = [d for d, k in enumerate(key) if isinstance(k, np.ndarray)]
    common = np.broadcast_shapes(*(key[d].shape for d in at))
    rest = [n for d, n in enumerate(shape) if d not in at]
    if at == list(range(at[0], at[-1] + 1)):  # adjacent index arrays stay in place
        return tuple(rest[: at[0]]) + common + tuple(rest[at[0] :])
    return common + tuple(rest)


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
