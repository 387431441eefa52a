"""Ops whose every output element is one of the inputs: clamp, maximum/minimum, where.

The gradient goes to whichever input was picked, with PyTorch's tie rules: clamp passes it
where min <= x <= max, maximum/minimum split it in half on ties.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..function import Op
from ..tensor import Tensor
from ._operands import as_tensor, binary_operands, is_scalar
from ._support import broadcast_shape, check_tensor, type_name


def _limit(a: np.ndarray, lo, hi) -> np.ndarray:
    """max(a, lo) then min(., hi): when lo > hi the result is hi, as torch.clamp."""
    out = a if lo is None else np.maximum(a, lo)
    return out if hi is None else np.minimum(out, hi)


class ClampScalar(Op):
    """clamp with number bounds; d/da = g where lo <= a <= hi."""

    grad_fn_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a)
        ctx.lo, ctx.hi = lo, hi
        return _limit(a, lo, hi)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        if ctx.lo is None:
            keep = a <= ctx.hi
        elif ctx.hi is None:
            keep = a >= ctx.lo
        else:
            keep = (a >= ctx.lo) & (a <= ctx.hi)
        return np.where(keep, grad, 0).astype(grad.dtype, copy=False), None, None


class ClampMinScalar(ClampScalar):
    grad_fn_name = "ClampMinBackward0"


class ClampMaxScalar(ClampScalar):
    grad_fn_name = "ClampMaxBackward0"


class ClampTensor(Op):
    """clamp with tensor bounds; the gradient goes to a, lo or hi, whichever the output is."""

    grad_fn_name = "ClampBackward0"

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a, lo, hi)
        return _limit(a, lo, hi)

    @staticmethod
    def backward(ctx, grad):
        a, lo, hi = ctx.saved
        zero = np.zeros((), grad.dtype)
        # masks of strict comparisons, so a NaN (in a or a bound) passes no gradient
        if hi is None:
            return np.where(a >= lo, grad, zero), np.where(a < lo, grad, zero), None
        if lo is None:
            return np.where(a <= hi, grad, zero), None, np.where(a > hi, grad, zero)
        inside = (a >= lo) & (a <= hi)
        # torch: lo wins only when lo < hi; hi when a > hi or the bounds cross
        to_lo = (a < lo) & (lo < hi)
        to_hi = (a > hi) | (hi < lo)
        return (
            np.where(inside, grad, zero),
            np.where(to_lo, grad, zero),
            np.where(to_hi, grad, zero),
        )


class ClampMinTensor(ClampTensor):
    grad_fn_name = "ClampMinBackward1"


class ClampMaxTensor(ClampTensor):
    grad_fn_name = "ClampMaxBackward1"


class Maximum(Op):
    """max(a, b); the gradient goes to the larger, half to each on ties (nan propagates)."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(*_in_dtype(a, b, dtype))
        return np.maximum(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _split(grad, a < b, a > b, a == b)


class Minimum(Op):
    """min(a, b); the gradient goes to the smaller, half to each on ties."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(*_in_dtype(a, b, dtype))
        return np.minimum(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _split(grad, a > b, a < b, a == b)


class Fmax(Op):
    """max(a, b) ignoring nan; the gradient goes to the picked input, all to a on ties."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(*_in_dtype(a, b, dtype))
        return np.fmax(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _pick_grads(grad, (a >= b) | np.isnan(b))


class Fmin(Op):
    """min(a, b) ignoring nan; all of the gradient to a on ties (as torch)."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(*_in_dtype(a, b, dtype))
        return np.fmin(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _pick_grads(grad, (a <= b) | np.isnan(b))


def _in_dtype(a, b, dtype) -> tuple:
    """The operands in the result dtype: torch compares (and finds ties) after promotion."""
    if dtype is None:
        return a, b
    return np.asarray(a, dtype), np.asarray(b, dtype)


def _split(grad, a_loses, b_loses, tie):
    """maximum/minimum's gradients: half each on a tie, none to the loser, as torch.

    Masked rather than multiplied, so an inf upstream gives 0 (not nan) to the loser; with a
    NaN neither loses, so both get the whole gradient.
    """
    zero = np.zeros((), grad.dtype)
    g = np.where(tie, grad / 2, grad)
    return np.where(a_loses, zero, g), np.where(b_loses, zero, g)


def _pick_grads(grad, to_a):
    """fmax/fmin's gradients: all to a where `to_a`, all to b elsewhere (ties go to a)."""
    zero = np.zeros((), grad.dtype)
    return np.where(to_a, grad, zero), np.where(to_a, zero, grad)


class Where(Op):
    """cond ? a : b; d/da = g where cond, d/db = g elsewhere."""

    listed_inputs = (1, 2)  # torch does not list the condition

    @staticmethod
    def forward(ctx, cond, a, b, dtype=None):
        ctx.save_for_backward(cond)
        if dtype is not None:
            a, b = np.asarray(a, dtype), np.asarray(b, dtype)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx, grad):
        (cond,) = ctx.saved
        zero = np.zeros((), grad.dtype)
        need_a, need_b = ctx.needs_input_grad[1:3]
        return (
            None,
            np.where(cond, grad, zero) if need_a else None,
            np.where(cond, zero, grad) if need_b else None,
        )


def clamp(input: Tensor, min=None, max=None) -> Tensor:  # noqa: A002 - PyTorch's names
    """Limit input to [min, max]; bounds are numbers or tensors (broadcast), like torch.clamp."""
    return _clamp(input, min, max, ClampScalar, ClampTensor, "clamp")


def clip(input: Tensor, min=None, max=None) -> Tensor:  # noqa: A002 - PyTorch's names
    """Alias of clamp (its own function for torch's error texts)."""
    return _clamp(input, min, max, ClampScalar, ClampTensor, "clip")


def _clamp_method(self: Tensor, min=None, max=None) -> Tensor:  # noqa: A002
    return _clamp(self, min, max, ClampScalar, ClampTensor, "clamp", method=True)


def _clip_method(self: Tensor, min=None, max=None) -> Tensor:  # noqa: A002
    return _clamp(self, min, max, ClampScalar, ClampTensor, "clip", method=True)


def clamp_min(input: Tensor, min) -> Tensor:  # noqa: A002
    return _clamp(input, min, None, ClampMinScalar, ClampMinTensor, "clamp_min")


def clamp_max(input: Tensor, max) -> Tensor:  # noqa: A002
    return _clamp(input, None, max, ClampMaxScalar, ClampMaxTensor, "clamp_max")


def _clamp(input, lo, hi, scalar_op, tensor_op, name: str, method: bool = False) -> Tensor:
    check_tensor(input, name)
    if lo is not None and hi is not None and isinstance(lo, Tensor) != isinstance(hi, Tensor):
        # torch's parser reads a 0-d tensor that needs no grad as a number: the number overload
        if not all(_number_like(b) for b in (lo, hi)):
            raise _mixed_bounds_error(name, lo, hi, method)
        lo, hi = (b.item() if isinstance(b, Tensor) else b for b in (lo, hi))
    if lo is None and hi is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [b for b in (lo, hi) if b is not None]
    result = dtypes.result_np_dtype(input, *bounds)
    if result.kind == "b" and all(is_scalar(b) for b in bounds):
        kernel = (
            "clamp"
            if lo is not None and hi is not None
            else ("clamp_min" if hi is None else "clamp_max")
        )
        raise NotImplementedError(f"\"{kernel}_scalar_cpu\" not implemented for 'Bool'")
    a = input if result == input._data.dtype else input.to(result)
    if all(is_scalar(b) for b in bounds):
        return scalar_op.apply(a, lo, hi)
    lo, hi = (None if b is None else _bound(b, result) for b in (lo, hi))
    broadcast_shape(a.shape, *(b.shape for b in (lo, hi) if b is not None))
    return tensor_op.apply(a, lo, hi)


def _number_like(b) -> bool:
    return not isinstance(b, Tensor) or b.ndim == 0 and not b.requires_grad


def _mixed_bounds_error(name: str, lo, hi, method: bool) -> TypeError:
    """torch's argument-parser error for a tensor bound next to a number: its overloads take
    both as tensors or both as numbers (worded for bounds given by keyword)."""
    got = ", ".join(
        f"{key}={'Tensor' if isinstance(v, Tensor) else type(v).__name__}"
        for key, v in (("max", hi), ("min", lo))
    )
    head = f"{name}() received an invalid combination of arguments - got "
    if method:
        why = "      didn't match because some of the keywords were incorrect: max, min\n"
        return TypeError(
            f"{head}({got}, ), but expected one of:\n"
            f" * (Tensor min = None, Tensor max = None)\n{why}"
            f" * (Number min = None, Number max = None)\n{why}"
        )
    return TypeError(
        f"{head}(Tensor, {got}), but expected one of:\n"
        " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
        " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n"
    )


def _bound(value, np_dtype) -> Tensor:
    t = as_tensor(value)
    return t if t._data.dtype == np_dtype else t.to(np_dtype)


def _pair(input, other, name: str):
    check_tensor(input, name)
    check_tensor(other, name, "other", 2)
    broadcast_shape(input.shape, other.shape)
    return binary_operands(input, other)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    return Maximum.apply(*_pair(input, other, "maximum"))


def minimum(input: Tensor, other: Tensor) -> Tensor:
    return Minimum.apply(*_pair(input, other, "minimum"))


def fmax(input: Tensor, other: Tensor) -> Tensor:
    return Fmax.apply(*_pair(input, other, "fmax"))


def fmin(input: Tensor, other: Tensor) -> Tensor:
    return Fmin.apply(*_pair(input, other, "fmin"))


def where(condition: Tensor, input=None, other=None):
    """Pick input where condition is True, else other (numbers allowed, dtypes promoted).

    With only a condition, returns the indices of its nonzero elements (`nonzero(as_tuple)`).
    """
    check_tensor(condition, "where", "condition")
    if input is None and other is None:
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(condition._data))
    cond = condition._data
    if cond.dtype.kind != "b":
        if cond.dtype != np.uint8:
            raise RuntimeError(
                "where expected condition to be a boolean tensor, but got a tensor with dtype "
                f"{type_name(cond.dtype)}"
            )
        condition = Tensor._wrap(cond.astype(bool))
    if is_scalar(input) and is_scalar(other):
        dtype = dtypes.result_np_dtype(input, other)
        a, b = input, other
    else:
        a, b, dtype = binary_operands(input, other)
    broadcast_shape(condition.shape, *(t.shape for t in (a, b) if isinstance(t, Tensor)))
    return Where.apply(condition, a, b, dtype=dtype)


__all__ = ["clamp", "clamp_max", "clamp_min", "clip", "fmax", "fmin", "maximum", "minimum", "where"]


def _where_method(self: Tensor, condition: Tensor, other) -> Tensor:
    """`x.where(cond, y)` is `where(cond, x, y)`."""
    return where(condition, self, other)


for _name in ("clamp_max", "clamp_min", "fmax", "fmin", "maximum", "minimum"):
    setattr(Tensor, _name, globals()[_name])
Tensor.clamp = _clamp_method
Tensor.clip = _clip_method
Tensor.where = _where_method
