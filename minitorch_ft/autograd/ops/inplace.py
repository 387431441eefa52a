"""In-place ops (`add_`, `mul_`, `zero_`, `uniform_`, `x += y`, ...), with PyTorch's rules.

Every in-place op writes into the tensor's existing array (views see the change), bumps its
version counter and returns it. Outside the graph (no_grad, or nothing requires grad) this is
a single numpy call with `out=`: the path optimizers and nn.init take. Inside the graph the
out-of-place op is recorded and its result copied in, and the tensor takes the new grad_fn.
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from .. import grad_mode
from ..function import Op, move_retained_grad
from ..tensor import Tensor
from . import arithmetic, elementwise  # noqa: F401 - attach the Tensor methods used below
from ._support import broadcast_shape, check_tensor, quiet, type_name
from .indexing import _OVERLAP_ERROR
from .inplace_checks import check_overlap, multi_output_view_error, unlock
from .view_history import AsStrided, flat_positions, refresh_views, repeats_elements

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def _category(value) -> int:
    if isinstance(value, Tensor):
        return _CATEGORY[value._data.dtype.kind]
    if isinstance(value, (bool, np.bool_)):
        return 0
    if isinstance(value, (int, np.integer)):
        return 1
    return 2


def must_record(self: Tensor, *others, reads_others: bool = True) -> bool:
    """True when the op joins the graph; PyTorch's errors for a leaf that requires grad,
    then for an argument that partly overlaps self (unless the op does not read it)."""
    record = _must_record(self, others)
    if reads_others and others:
        check_overlap(self, others)
    return record


def _must_record(self: Tensor, others) -> bool:
    if not grad_mode._state.enabled:
        return False
    if self._requires_grad:
        if self.grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        base = self._base
        if base is not None:
            multi_output_error = multi_output_view_error(self)
            if multi_output_error is not None:
                raise RuntimeError(multi_output_error)
            # a view made by a custom Function (a module backward hook's output) is read-only
            custom_view_error = getattr(self.grad_fn, "inplace_error", None)
            if custom_view_error is not None:
                raise RuntimeError(custom_view_error)
            if base.grad_fn is None and base._requires_grad:
                raise RuntimeError(
                    "a view of a leaf Variable that requires grad is being used in an in-place "
                    "operation."
                )
        return True
    for o in others:
        if isinstance(o, Tensor) and o._requires_grad:
            return self._data.dtype.kind == "f"
    return False


def check_cast(result_category: int, self: Tensor, result_name: str | None = None) -> None:
    """An in-place result must fit self's dtype: no float into int, nothing into bool."""
    own = _CATEGORY[self._data.dtype.kind]
    if result_category > own:
        if result_name is None:
            result_name = ("Bool", "Long", "Float")[result_category]
        raise RuntimeError(
            f"result type {result_name} can't be cast to the desired output type "
            f"{type_name(self._data.dtype)}"
        )


def _shape_error(self: Tensor, others) -> RuntimeError:
    shapes = [o.shape for o in others if isinstance(o, Tensor)]
    full = broadcast_shape(self.shape, *shapes)  # raises the size-mismatch error itself
    return RuntimeError(
        f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(full)}"
    )


_OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a "
    "single memory location. Please clone() the tensor before performing the operation."
)


def _numpy_error(self: Tensor, others, err: ValueError) -> RuntimeError:
    if "read-only" in str(err):
        return RuntimeError(_OVERLAP)
    return _shape_error(self, others)


def _write(self: Tensor, array: np.ndarray, others=()) -> None:
    """Copy a computed result into self's array (same shape; dtype checked), bump the version."""
    if array.shape != self._data.shape:
        raise _shape_error(self, others)
    check_cast(_CATEGORY[array.dtype.kind], self, type_name(array.dtype))
    try:
        np.copyto(self._data, array, casting="unsafe")
    except ValueError as err:
        if not unlock(self._data):
            raise _numpy_error(self, others, err) from None
        np.copyto(self._data, array, casting="unsafe")
    self._version_counter.value += 1


def apply_inplace(self: Tensor, fn, *args, reads_others: bool = True) -> Tensor:
    """self <- fn(self, *args), where fn is any out-of-place op returning a Tensor."""
    if not must_record(self, *args, reads_others=reads_others):
        _write(self, fn(self, *args)._data, args)
        return self
    # The op sees a snapshot of the old value, so what it saves is not overwritten below.
    old = Tensor._wrap(self._data.copy(), self._requires_grad, self.grad_fn)
    result = fn(old, *args)
    _write(self, result._data, args)
    node = result.grad_fn
    _adopt_saved_output(node, result, self)
    old_node = self.grad_fn
    positions = None if self._base is None else flat_positions(self._base._data, self._data)
    if positions is not None:
        _rebase_view(self, result, positions)
    else:
        self.grad_fn = node
    move_retained_grad(self, old_node)
    self._requires_grad = True
    root = self if self._base is None else self._base
    if root._views:
        refresh_views(root, self)
    return self


class ViewWrite(Op):
    """The base of a view that was written in place (PyTorch's CopySlices): the written
    elements' gradient goes to the in-place op's node, the rest to the base's old history."""

    grad_fn_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, written, positions, repeats=False):
        ctx.positions, ctx.repeats = positions, repeats
        return base

    @staticmethod
    def backward(ctx, grad):
        if ctx.repeats:  # as torch, writing the gradient back through an expanded view fails
            raise RuntimeError(_OVERLAP_ERROR)
        part = grad.reshape(-1)[ctx.positions]
        grad_base = None
        if ctx.needs_input_grad[0]:
            grad_base = np.array(grad, order="C")  # C order: positions are C-order flat
            grad_base.reshape(-1)[ctx.positions] = 0
        return grad_base, part, None, None


ViewWrite._node_type.name = lambda self: "torch::autograd::CopySlices"


def _rebase_view(view: Tensor, result: Tensor, positions: np.ndarray) -> None:
    """After an in-place op on a view, the base (and the view through it) take the new history."""
    base = view._base
    written = ViewWrite.apply(base, result, positions, repeats_elements(view._data))
    old_node = base.grad_fn
    base.grad_fn, base._requires_grad = written.grad_fn, True
    move_retained_grad(base, old_node)
    view.grad_fn = AsStrided.apply(base, positions=positions).grad_fn


def _adopt_saved_output(node, result: Tensor, self: Tensor) -> None:
    """A node that saved its output now watches self, like exp_ does in PyTorch."""
    records = node._saved_versions
    if not records or not any(r[0] is result._version_counter for r in records):
        return
    node._saved = tuple(self._data if s is result._data else s for s in node._saved)
    node._saved_versions = [
        (self._version_counter, self._version_counter.value, *r[2:])
        if r[0] is result._version_counter
        else r
        for r in records
    ]


def _binary(ufunc, out_of_place, floating: bool = False):
    """An in-place binary op: one numpy call with out= unless it must be recorded."""

    @quiet
    def inplace(self: Tensor, other) -> Tensor:
        # bool tensors take the out-of-place path, which has torch's errors for them
        if must_record(self, other) or self._data.dtype.kind == "b":
            return apply_inplace(self, out_of_place, other)
        check_cast(2 if floating else max(_category(self), _category(other)), self)
        o = other._data if isinstance(other, Tensor) else other
        try:
            ufunc(self._data, o, out=self._data)
        except ValueError as err:
            if not unlock(self._data):
                raise _numpy_error(self, (other,), err) from None
            ufunc(self._data, o, out=self._data)
        self._version_counter.value += 1
        return self

    return inplace


def _unary(ufunc, out_of_place, floating: bool = False):
    """An in-place unary op; `floating` ones (exp_, sqrt_) reject integer tensors."""

    @quiet
    def inplace(self: Tensor) -> Tensor:
        if must_record(self) or self._data.dtype.kind == "b":
            return apply_inplace(self, out_of_place)
        check_cast(2 if floating else 0, self)
        if ufunc is None:
            _write(self, out_of_place(self)._data)
            return self
        try:
            ufunc(self._data, out=self._data)
        except ValueError as err:
            if not unlock(self._data):
                raise _numpy_error(self, (), err) from None
            ufunc(self._data, out=self._data)
        self._version_counter.value += 1
        return self

    return inplace


def _scaled(other, alpha):
    if alpha == 1:
        return other
    return other * alpha if isinstance(other, Tensor) else np.multiply(other, alpha)


def add_(self: Tensor, other, *, alpha=1) -> Tensor:
    if must_record(self, other):
        return apply_inplace(self, lambda t, o: t.add(o, alpha=alpha), other)
    return _add(self, _scaled(other, alpha) if alpha != 1 else other)


def sub_(self: Tensor, other, *, alpha=1) -> Tensor:
    if must_record(self, other) or _category(other) == 0:
        return apply_inplace(self, lambda t, o: t.sub(o, alpha=alpha), other)
    return _sub(self, _scaled(other, alpha) if alpha != 1 else other)


def div_(self: Tensor, other, *, rounding_mode=None) -> Tensor:
    if rounding_mode is not None:
        return apply_inplace(self, lambda t, o: t.div(o, rounding_mode=rounding_mode), other)
    return _div(self, other)


_add = _binary(np.add, Tensor.add)
_sub = _binary(np.subtract, Tensor.sub)
_div = _binary(np.true_divide, Tensor.div, floating=True)
mul_ = _binary(np.multiply, Tensor.mul)
pow_ = _binary(np.power, Tensor.pow)
fmod_ = _binary(np.fmod, Tensor.fmod)
remainder_ = _binary(np.remainder, Tensor.remainder)
floor_divide_ = _binary(np.floor_divide, Tensor.floor_divide)
clamp_min_ = _binary(np.maximum, Tensor.clamp_min)
clamp_max_ = _binary(np.minimum, Tensor.clamp_max)
neg_ = _unary(np.negative, Tensor.neg)
abs_ = _unary(np.abs, Tensor.abs)
# Rounding keeps integer tensors as they are, which the out-of-place functions know.
floor_ = _unary(None, Tensor.floor)
ceil_ = _unary(None, Tensor.ceil)
trunc_ = _unary(None, Tensor.trunc)
round_ = _unary(None, Tensor.round)
sign_ = _unary(None, Tensor.sign)
exp_ = _unary(np.exp, Tensor.exp, floating=True)
log_ = _unary(np.log, Tensor.log, floating=True)
sqrt_ = _unary(np.sqrt, Tensor.sqrt, floating=True)
rsqrt_ = _unary(None, Tensor.rsqrt, floating=True)
reciprocal_ = _unary(np.reciprocal, Tensor.reciprocal, floating=True)
sin_ = _unary(np.sin, Tensor.sin, floating=True)
cos_ = _unary(np.cos, Tensor.cos, floating=True)
tanh_ = _unary(np.tanh, Tensor.tanh, floating=True)
sigmoid_ = _unary(None, Tensor.sigmoid, floating=True)
erf_ = _unary(None, Tensor.erf, floating=True)
erfinv_ = _unary(None, Tensor.erfinv, floating=True)
log1p_ = _unary(np.log1p, Tensor.log1p, floating=True)
expm1_ = _unary(np.expm1, Tensor.expm1, floating=True)
square_ = _unary(None, Tensor.square)


def clamp_(self: Tensor, min=None, max=None) -> Tensor:  # noqa: A002 - PyTorch's names
    if must_record(self, min, max) or self._data.dtype.kind == "b":
        return apply_inplace(self, lambda t, lo, hi: t.clamp(lo, hi), min, max)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    check_cast(max_category(self, min, max), self)
    with np.errstate(all="ignore"):
        for bound, ufunc in ((min, np.maximum), (max, np.minimum)):
            if bound is not None:
                b = bound._data if isinstance(bound, Tensor) else bound
                try:
                    ufunc(self._data, b, out=self._data)
                except ValueError as err:
                    if not unlock(self._data):
                        raise _numpy_error(self, (bound,), err) from None
                    ufunc(self._data, b, out=self._data)
    self._version_counter.value += 1
    return self


def max_category(*values) -> int:
    return max(_category(v) for v in values if v is not None)


def lerp_(self: Tensor, end: Tensor, weight) -> Tensor:
    return apply_inplace(self, Tensor.lerp, end, weight)


def addcmul_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    check_tensor(tensor1, "addcmul_", "tensor1", 1)
    check_tensor(tensor2, "addcmul_", "tensor2", 2)
    if must_record(self, tensor1, tensor2):
        return apply_inplace(self, lambda t, a, b: t.addcmul(a, b, value=value), tensor1, tensor2)
    check_cast(max_category(self, tensor1, tensor2, value), self)
    prod = np.multiply(tensor1._data, tensor2._data)
    if value != 1:
        prod *= value
    return _add(self, Tensor._wrap(prod))


def addcdiv_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    check_tensor(tensor1, "addcdiv_", "tensor1", 1)
    check_tensor(tensor2, "addcdiv_", "tensor2", 2)
    if must_record(self, tensor1, tensor2) or tensor1._data.dtype.kind != "f":
        return apply_inplace(self, lambda t, a, b: t.addcdiv(a, b, value=value), tensor1, tensor2)
    with np.errstate(all="ignore"):
        quot = np.true_divide(tensor1._data, tensor2._data)
    if value != 1:
        quot *= value
    return _add(self, Tensor._wrap(quot))


clip_ = clamp_


# These modules build on the machinery above.
from .fill import bernoulli_, copy_, fill_, normal_, uniform_, zero_  # noqa: E402, F401
from .inplace_math import (  # noqa: E402
    acos_,
    acosh_,
    arccos_,
    arccosh_,
    arcsin_,
    arcsinh_,
    arctan_,
    arctanh_,
    asin_,
    asinh_,
    atan_,
    atanh_,
    bitwise_and_,
    bitwise_or_,
    bitwise_xor_,
    cosh_,
    erfc_,
    exp2_,
    fix_,
    frac_,
    log2_,
    log10_,
    logit_,
    nan_to_num_,
    negative_,
    sinh_,
    tan_,
    xlogy_,
)

for _name, _fn in list(globals().items()):
    if _name.endswith("_") and not _name.startswith("_") and callable(_fn):
        setattr(Tensor, _name, _fn)


def _swap(fn):
    """An in-place operator: `x += y` is `x.add_(y)`."""

    def op(self: Tensor, other) -> Tensor:
        return fn(self, other)

    return op


Tensor.__iadd__ = _swap(add_)
Tensor.__isub__ = _swap(sub_)
Tensor.__imul__ = _swap(mul_)
Tensor.__itruediv__ = _swap(div_)
Tensor.__ipow__ = _swap(pow_)
Tensor.__ifloordiv__ = _swap(floor_divide_)
Tensor.__imod__ = _swap(remainder_)
Tensor.__iand__ = _swap(bitwise_and_)
Tensor.__ior__ = _swap(bitwise_or_)
Tensor.__ixor__ = _swap(bitwise_xor_)

# The in-place functions torch also exposes at top level (torch.exp_, torch.clamp_, ...).
__all__ = [
    "abs_",
    "acos_",
    "acosh_",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "ceil_",
    "clamp_",
    "clamp_max_",
    "clamp_min_",
    "clip_",
    "cos_",
    "cosh_",
    "erf_",
    "erfc_",
    "exp2_",
    "exp_",
    "expm1_",
    "fill_",
    "fix_",
    "floor_",
    "frac_",
    "log10_",
    "log1p_",
    "log2_",
    "log_",
    "logit_",
    "nan_to_num_",
    "neg_",
    "negative_",
    "reciprocal_",
    "round_",
    "rsqrt_",
    "sigmoid_",
    "sin_",
    "sinh_",
    "sqrt_",
    "square_",
    "tan_",
    "tanh_",
    "trunc_",
    "xlogy_",
    "zero_",
]
