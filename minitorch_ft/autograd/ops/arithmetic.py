"""Arithmetic: + - * / ** and negation, with broadcasting and reversed operands."""

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor
from ._operands import binary_operands, float_dtype_for
from ._support import broadcast_shape, quiet, write_out


class Add(Op):
    """a + b; d/da = g, d/db = g (the engine unbroadcasts)."""

    listed_inputs = (0, 1)  # PyTorch lists a python-number operand as (None, 0)

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        return np.add(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


def _scaled(b, alpha, dtype=None):
    """alpha * b in the result dtype; a python-number b stays a python number.

    (np.multiply would make a number int64, and a uint8 b would wrap before promotion.)
    """
    if type(b) is not np.ndarray:
        return b * alpha
    return np.multiply(b if dtype is None else b.astype(dtype, copy=False), alpha)


def _check_alpha(a, b, alpha, dtype) -> None:
    if dtype is None:
        dtype = (a if isinstance(a, Tensor) else b)._data.dtype
    if isinstance(alpha, float) and dtype.kind in "iub":
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )


class AddScaled(Op):
    """a + alpha*b (`add(..., alpha=)`); d/da = g, d/db = alpha*g."""

    listed_inputs = (0, 1)  # PyTorch lists a python-number operand as (None, 0)

    grad_fn_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha, dtype=None):
        ctx.alpha = alpha
        return np.add(a, _scaled(b, alpha, dtype), dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, grad * ctx.alpha, None


class Sub(Op):
    """a - b; d/da = g, d/db = -g."""

    listed_inputs = (0, 1)  # PyTorch lists a python-number operand as (None, 0)

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        return np.subtract(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class SubScaled(Op):
    """a - alpha*b (`sub(..., alpha=)`); d/da = g, d/db = -alpha*g."""

    listed_inputs = (0, 1)  # PyTorch lists a python-number operand as (None, 0)

    grad_fn_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha, dtype=None):
        ctx.alpha = alpha
        return np.subtract(a, _scaled(b, alpha, dtype), dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, grad * -ctx.alpha, None


class Rsub(Op):
    """scalar - a, PyTorch's `rsub`; d/da = -g."""

    grad_fn_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, scalar, dtype=None):
        return np.subtract(scalar, a, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return -grad, None


class RsubScaled(Op):
    """scalar - alpha*a (`sub(number, a, alpha=)`, `rsub(a, number, alpha=)`); d/da = -alpha*g."""

    grad_fn_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, scalar, alpha, dtype=None):
        ctx.alpha = alpha
        return np.subtract(scalar, _scaled(a, alpha, dtype), dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * -ctx.alpha, None, None


class Mul(Op):
    """a * b; d/da = g*b, d/db = g*a."""

    listed_inputs = (0, 1)  # PyTorch lists a python-number operand as (None, 0)

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        # tensor * number: keep the number, save no array (but "save" it, so the node is
        # freed by backward and a second backward raises, as torch's saved scalar does)
        if type(b) is not np.ndarray:
            ctx.scalar = b
            ctx.save_for_backward(b)
        elif type(a) is not np.ndarray:
            ctx.scalar = a
            ctx.save_for_backward(a)
        elif ctx.needs_input_grad:
            need_a, need_b = ctx.needs_input_grad
            ctx.scalar = None
            ctx.save_for_backward(b if need_a else None, a if need_b else None)
        return np.multiply(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        scalar = ctx.scalar
        if scalar is not None:  # only the tensor operand has an edge: one product serves
            ctx.saved  # noqa: B018 - raises when freed
            scaled = grad * scalar
            return scaled, scaled
        b, a = ctx.saved
        return (None if b is None else grad * b), (None if a is None else grad * a)


class Div(Op):
    """a / b (true division); d/da = g/b, d/db = -g*a/b^2."""

    listed_inputs = (0, 1)  # PyTorch lists a python-number operand as (None, 0)

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        need_b = ctx.needs_input_grad[1] if ctx.needs_input_grad else False
        ctx.save_for_backward(a if need_b else None, b)
        return np.true_divide(a, b, dtype=dtype)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        grad_a = grad / b if ctx.needs_input_grad[0] else None
        grad_b = -grad * a / (b * b) if a is not None else None
        return grad_a, grad_b


class Neg(Op):
    """-a; d/da = -g."""

    @staticmethod
    def forward(ctx, a):
        return np.negative(a)

    @staticmethod
    def backward(ctx, grad):
        return -grad


class PowScalar(Op):
    """a ** p for a python-number exponent; d/da = p * a^(p-1) * g."""

    grad_fn_name = "PowBackward0"

    @staticmethod
    @quiet
    def forward(ctx, a, exponent):
        ctx.exponent = exponent
        ctx.save_for_backward(a)
        if exponent == 2:
            return a * a
        return _scalar_power(a, exponent)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (a,) = ctx.saved
        p = ctx.exponent
        if p == 0:
            return np.zeros_like(grad), None
        if p == 2:
            return grad * (2 * a), None
        return grad * (p * _scalar_power(a, p - 1)), None


def _scalar_power(a: np.ndarray, p) -> np.ndarray:
    """a ** p; torch computes a power of -0.5 as rsqrt (nan at -inf, -inf at -0.0)."""
    if p == -0.5:
        return np.reciprocal(np.sqrt(a))
    return np.power(a, p)


def _power(a, b, dtype=None) -> np.ndarray:
    """np.power, except integer ** negative integer gives torch's values (numpy raises).

    x ** -n truncates 1 / x**n: 1 for a base of 1, +-1 for -1, else 0.
    """
    try:
        return np.power(a, b, dtype=dtype)
    except ValueError:
        out = np.power(a, np.maximum(b, 0), dtype=dtype)  # a python-int base stays weak
        odd = (b % 2 == 1).astype(out.dtype)
        negative = np.where(a == 1, 1, np.where(a == -1, 1 - 2 * odd, 0))
        return np.where(b < 0, negative, out).astype(out.dtype, copy=False)


class PowTensor(Op):
    """a ** b with a tensor exponent; d/da = b a^(b-1) g, d/db = a^b log(a) g."""

    grad_fn_name = "PowBackward1"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        out = _power(a, b, dtype=dtype)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b, out = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        grad_a = None
        if need_a and b.dtype.kind == "b":  # torch's backward computes `exponent - 1`
            raise RuntimeError(
                f"Subtraction, the `-` operator, with a bool tensor is not supported. "
                f"{_BOOL_SUB_HINT}"
            )
        if need_a:  # torch's masked form: 0 where the exponent is 0 (else 0 * 0^-1 = nan)
            grad_a = np.where(b == 0, 0, grad * b * np.power(a, b - 1)).astype(
                grad.dtype, copy=False
            )
        grad_b = None
        if need_b:
            # torch defines the exponent's gradient as 0 where the base is 0 and the exponent
            # >= 0 (a negative exponent keeps inf * log 0 = -inf)
            # (multiplied, not masked, as torch: an inf upstream still gives nan there)
            zero_base = (a == 0) & (b >= 0)
            grad_b = grad * np.where(zero_base, 0.0, out * np.log(a)).astype(out.dtype, copy=False)
        return grad_a, grad_b


class PowScalarBase(Op):
    """s ** a for a python-number base; d/da = s^a log(s) g."""

    grad_fn_name = "PowBackward2"

    @staticmethod
    @quiet
    def forward(ctx, base, a, dtype=None):
        out = _power(base, a, dtype=dtype)
        if not out.flags.c_contiguous:  # torch's result is contiguous (the base is wrapped)
            out = np.ascontiguousarray(out)
        ctx.base = base
        ctx.save_for_backward(a, out)  # exponent and result, as torch's PowBackward2
        return out

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, out = ctx.saved
        scale = out * np.log(ctx.base)
        if ctx.base == 0:  # 0 where the exponent is >= 0, as torch (not 0 * log 0 = nan)
            scale = np.where(a >= 0, 0.0, scale).astype(scale.dtype, copy=False)
        return None, grad * scale


def _broadcast_error(a, b, error: ValueError):
    """numpy's broadcast ValueError as torch's RuntimeError naming the dims (else unchanged)."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        broadcast_shape(a._data.shape, b._data.shape)  # raises torch's text when they clash
    return error


def _binary(fn):
    """Let numpy find shape clashes on the hot path; translate them only when they happen."""

    def wrapped(input, other, *, out=None, **kwargs):
        try:
            result = fn(input, other, **kwargs)
        except ValueError as error:
            raise _broadcast_error(input, other, error) from None
        return result if out is None else write_out(fn.__name__, result, out)

    wrapped.__name__, wrapped.__qualname__, wrapped.__doc__ = fn.__name__, fn.__name__, fn.__doc__
    wrapped.operator = _operator(fn)
    return wrapped


def _operator(fn):
    """The `a + b` form: no keyword arguments to pack, so the per-op cost stays minimal."""

    def method(self, other):
        try:
            return fn(self, other)
        except ValueError as error:
            raise _broadcast_error(self, other, error) from None

    def reflected(self, other):
        try:
            return fn(other, self)
        except ValueError as error:
            raise _broadcast_error(other, self, error) from None

    if fn.__name__ in ("add", "mul"):  # commutative: `2 + x` is recorded as x + 2, as torch
        reflected = method
    return method, reflected


@_binary
def add(input, other, *, alpha=1) -> Tensor:
    a, b, dtype = binary_operands(input, other)
    if alpha != 1:
        _check_alpha(a, b, alpha, dtype)
        return AddScaled.apply(a, b, alpha, dtype=dtype)
    if dtype is None:  # no kwargs dict on the common path
        return Add.apply(a, b)
    return Add.apply(a, b, dtype=dtype)


_BOOL_SUB_HINT = (
    "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
)


def _is_bool(x) -> bool:
    return isinstance(x, Tensor) and x._data.dtype == np.bool_


@_binary
def sub(input, other, *, alpha=1) -> Tensor:
    a, b, dtype = binary_operands(input, other)
    if (
        (dtype is not None and dtype.kind == "b")
        or _is_bool(a)
        or _is_bool(b)
        or isinstance(a, bool)
        or isinstance(b, bool)
    ):
        if (_is_bool(a) or isinstance(a, bool)) and (_is_bool(b) or isinstance(b, bool)):
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not "
                "supported. Use the `^` or `logical_xor()` operator instead."
            )
        raise RuntimeError(
            f"Subtraction, the `-` operator, with a bool tensor is not supported. {_BOOL_SUB_HINT}"
        )
    if alpha != 1:
        _check_alpha(a, b, alpha, dtype)
    if not isinstance(a, Tensor):
        if alpha != 1:
            return RsubScaled.apply(b, a, alpha, dtype=dtype)
        return Rsub.apply(b, a, dtype=dtype)
    if alpha != 1:
        return SubScaled.apply(a, b, alpha, dtype=dtype)
    if dtype is None:  # no kwargs dict on the common path
        return Sub.apply(a, b)
    return Sub.apply(a, b, dtype=dtype)


def rsub(input, other, *, alpha=1) -> Tensor:
    return sub(other, input, alpha=alpha)


@_binary
def mul(input, other) -> Tensor:
    a, b, dtype = binary_operands(input, other)
    if dtype is None:  # no kwargs dict on the common path
        return Mul.apply(a, b)
    return Mul.apply(a, b, dtype=dtype)


@_binary
def div(input, other, *, rounding_mode=None) -> Tensor:
    a, b, dtype = binary_operands(input, other)
    if rounding_mode is not None:
        from .elementwise import floor_divide_arrays

        return floor_divide_arrays(a, b, dtype, rounding_mode)
    if dtype is None:
        dtype = (a if isinstance(a, Tensor) else b)._data.dtype
        if dtype.kind != "f":
            dtype = float_dtype_for(dtype)
            # true division computes in float: a python int keeps its value (not wrapped to uint8)
            a = a if isinstance(a, Tensor) or not isinstance(input, int) else input
            b = b if isinstance(b, Tensor) or not isinstance(other, int) else other
        else:
            dtype = None
    elif dtype.kind != "f":
        dtype = float_dtype_for(dtype)
    if not isinstance(a, Tensor):
        # scalar / tensor: PyTorch computes reciprocal(b) * scalar
        from .elementwise import reciprocal

        return mul(reciprocal(b if dtype is None else b.to(dtype)), a)
    return Div.apply(a, b, dtype=dtype)


def neg(input) -> Tensor:
    if _is_bool(input):
        raise RuntimeError(
            f"Negation, the `-` operator, on a bool tensor is not supported. {_BOOL_SUB_HINT}"
        )
    return Neg.apply(input)


def _bool_pow_error():
    return NotImplementedError("\"pow\" not implemented for 'Bool'")


@_binary
def pow(input, exponent) -> Tensor:  # noqa: A001 - PyTorch's name
    if isinstance(exponent, np.generic):  # numpy scalars are weak, like python numbers
        exponent = exponent.item()
    if isinstance(input, np.generic):
        input = input.item()  # noqa: A001
    if isinstance(input, Tensor) and not isinstance(exponent, Tensor) and np.ndim(exponent) == 0:
        if input._data.dtype.kind == "b" and isinstance(exponent, bool):
            # bool ** bool stays bool in torch: x ** True = x, x ** False = all True
            return Tensor._wrap(input._data.copy() if exponent else np.ones_like(input._data))
        if input._data.dtype.kind in "iub" and isinstance(exponent, float):
            input = input.to(float_dtype_for(input._data.dtype))  # noqa: A001
        elif input._data.dtype.kind in "iub" and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        elif input._data.dtype.kind == "b":
            input = input.to(np.int64)  # noqa: A001 - bool ** int counts in int64, as torch
        return PowScalar.apply(input, exponent)
    a, b, dtype = binary_operands(input, exponent)
    if (
        dtype if dtype is not None else (a if isinstance(a, Tensor) else b)._data.dtype
    ).kind == "b":
        raise _bool_pow_error()
    if not isinstance(a, Tensor):
        return PowScalarBase.apply(a, b, dtype=dtype)
    return PowTensor.apply(a, b, dtype=dtype)


def true_divide(input, other) -> Tensor:
    return div(input, other)


Tensor.__add__, Tensor.__radd__ = add.operator
Tensor.__sub__, Tensor.__rsub__ = sub.operator
Tensor.__mul__, Tensor.__rmul__ = mul.operator
Tensor.__truediv__, Tensor.__rtruediv__ = div.operator
Tensor.__neg__ = neg
Tensor.__pos__ = lambda self: self
Tensor.__pow__ = pow
Tensor.__rpow__ = lambda self, other: pow(other, self)
Tensor.add = add
Tensor.sub = sub
Tensor.subtract = sub
Tensor.mul = mul
Tensor.multiply = mul
Tensor.div = div
Tensor.divide = div
Tensor.true_divide = true_divide
Tensor.neg = neg
Tensor.negative = neg
Tensor.pow = pow

# PyTorch's aliases at the top level (torch.subtract, torch.multiply, ...)
subtract = sub
multiply = mul
divide = div
negative = neg
