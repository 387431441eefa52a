"""Piecewise-constant pointwise ops: sign, floor/ceil/round/trunc, frac, fmod, remainder, //.

Their gradients are zero almost everywhere; like PyTorch they still record a node and
return zeros (frac and the first operand of fmod/remainder pass the gradient through).
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor
from ._operands import binary_operands
from ._support import (
    broadcast_shape,
    check_tensor,
    quiet,
    require_float,
    zero_division_check,
)


class _ZeroGrad(Op):
    """Base of ops whose derivative is zero wherever it exists."""

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad)


class Sign(_ZeroGrad):
    """sign a in {-1, 0, 1}; 0 for nan and -0, as PyTorch's (a > 0) - (a < 0)."""

    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind == "b":
            return a.copy()
        return np.subtract(a > 0, a < 0, dtype=a.dtype)


class Floor(_ZeroGrad):
    """Largest integer <= a; zero gradient."""

    @staticmethod
    def forward(ctx, a):
        return np.floor(a)


class Ceil(_ZeroGrad):
    """Smallest integer >= a; zero gradient."""

    @staticmethod
    def forward(ctx, a):
        return np.ceil(a)


class Trunc(_ZeroGrad):
    """a rounded toward zero; zero gradient."""

    @staticmethod
    def forward(ctx, a):
        return np.trunc(a)


class Round(_ZeroGrad):
    """Round half to even, like torch.round."""

    @staticmethod
    def forward(ctx, a):
        return np.rint(a)


class RoundDecimals(Op):
    """Round to a number of decimals (RoundBackward1); zero gradient."""

    grad_fn_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, a, decimals):
        return np.round(a, decimals)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), None


class Frac(Op):
    """a - trunc(a); d = g."""

    @staticmethod
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, grad):
        return grad


class FmodScalar(Op):
    """C fmod with a number divisor (sign of the dividend); d/da = g."""

    grad_fn_name = "FmodBackward0"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        return np.fmod(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class FmodTensor(Op):
    """fmod(a, b); d/da = g, d/db = -g * trunc(a / b)."""

    grad_fn_name = "FmodBackward1"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return np.fmod(a, b, dtype=dtype)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        return grad, -grad * np.trunc(a / b)


class RemainderScalar(Op):
    """Python-style modulo (sign of the divisor) with a number divisor; d/da = g."""

    grad_fn_name = "RemainderBackward0"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        return np.remainder(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class RemainderTensor(Op):
    """remainder(a, b); d/da = g, d/db = -g * floor(a / b)."""

    grad_fn_name = "RemainderBackward1"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return np.remainder(a, b, dtype=dtype)

    @staticmethod
    @quiet
    def backward(ctx, grad):
        a, b = ctx.saved
        return grad, -grad * np.floor(a / b)


class DivRounded(Op):
    """Division with rounding_mode 'floor' or 'trunc' (DivBackward2); zero gradients."""

    grad_fn_name = "DivBackward2"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype, mode):
        return _rounded_divide(a, b, dtype, mode)

    @staticmethod
    def backward(ctx, grad):
        return np.zeros_like(grad), np.zeros_like(grad), None, None


class _NoDerivative(Op):
    """Ops PyTorch records as `torch::autograd::NotImplemented`: backward through them fails."""

    grad_fn_name = "NotImplemented"
    aten_name = ""

    @classmethod
    def backward(cls, ctx, grad):
        raise RuntimeError(f"derivative for aten::{cls.aten_name} is not implemented")


class FloorDivide(_NoDerivative):
    """a // b (floor_divide); torch defines no derivative for it."""

    grad_fn_name = "NotImplemented"
    aten_name = "floor_divide"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        return _rounded_divide(a, b, dtype, "floor")


class RemainderScalarSelf(_NoDerivative):
    """number % tensor; torch defines no derivative for it."""

    grad_fn_name = "NotImplemented"
    aten_name = "remainder"

    @staticmethod
    @quiet
    def forward(ctx, a, b, dtype=None):
        return np.remainder(a, b, dtype=dtype)


for _op in (FloorDivide, RemainderScalarSelf):
    _op._node_type.name = lambda self: "torch::autograd::NotImplemented"


def _rounded_divide(a, b, dtype, mode: str) -> np.ndarray:
    """a / b rounded toward -inf ('floor') or toward zero ('trunc'), in dtype."""
    if dtype is not None:
        a, b = np.asarray(a, dtype), np.asarray(b, dtype)
    if np.result_type(a, b).kind != "f":
        floor = np.floor_divide(a, b)
        if mode == "floor":
            return floor
        # floor is one below trunc where the exact quotient is negative and not whole
        inexact = np.remainder(a, b) != 0
        return floor + (inexact & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))
    if mode == "floor":
        return np.floor_divide(a, b)
    return np.trunc(np.true_divide(a, b))


def _binary(input, other):
    """Promote like PyTorch and check that the shapes broadcast."""
    a, b, dtype = binary_operands(input, other)
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        broadcast_shape(a.shape, b.shape)
    return a, b, dtype


def floor_divide_arrays(a, b, dtype, rounding_mode: str) -> Tensor:
    """`div(a, b, rounding_mode=...)` for operands already promoted by `binary_operands`."""
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        broadcast_shape(a.shape, b.shape)
    result = dtype if dtype is not None else (a if isinstance(a, Tensor) else b)._data.dtype
    if result.kind == "b":
        raise NotImplementedError(f"\"div_{rounding_mode}_cpu\" not implemented for 'Bool'")
    if result.kind != "f":
        zero_division_check(b)
    return DivRounded.apply(a, b, dtype, rounding_mode)


def floor_divide(input, other) -> Tensor:
    a, b, dtype = _binary(input, other)
    result = dtype if dtype is not None else (a if isinstance(a, Tensor) else b)._data.dtype
    _integer_checks(result, b, "div_floor_cpu")
    return FloorDivide.apply(a, b, dtype=dtype)


def _integer_checks(result: np.dtype, divisor, kernel: str) -> None:
    """No bool kernels, and integer division by zero is an error."""
    if result.kind == "b":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if result.kind != "f":
        zero_division_check(divisor)


def fmod(input: Tensor, other) -> Tensor:
    a, b, dtype = _binary(check_tensor(input, "fmod"), other)
    _integer_checks(a._data.dtype if dtype is None else dtype, b, "fmod_cpu")
    if isinstance(b, Tensor):
        return FmodTensor.apply(a, b, dtype=dtype)
    return FmodScalar.apply(a, b, dtype=dtype)


def remainder(input, other) -> Tensor:
    a, b, dtype = _binary(input, other)
    result = dtype if dtype is not None else (a if isinstance(a, Tensor) else b)._data.dtype
    _integer_checks(result, b, "remainder_cpu")
    if not isinstance(a, Tensor):
        return RemainderScalarSelf.apply(a, b, dtype=dtype)
    if isinstance(b, Tensor):
        return RemainderTensor.apply(a, b, dtype=dtype)
    return RemainderScalar.apply(a, b, dtype=dtype)


def sign(input: Tensor) -> Tensor:
    return Sign.apply(check_tensor(input, "sign"))


def _rounder(op: type, name: str, kernel: str):
    def fn(input: Tensor) -> Tensor:
        kind = check_tensor(input, name)._data.dtype.kind
        if kind == "b":
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
        if kind != "f":
            return Tensor._wrap(input._data.copy())  # integers are already whole
        return op.apply(input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise {name}, as torch.{name}; integer tensors come back as a copy."
    return fn


floor = _rounder(Floor, "floor", "floor_cpu")
ceil = _rounder(Ceil, "ceil", "ceil_vml_cpu")
trunc = _rounder(Trunc, "trunc", "trunc_cpu")
_round_half_even = _rounder(Round, "round", "round_cpu")


def round(input: Tensor, *, decimals: int | None = None) -> Tensor:  # noqa: A001 - torch's name
    """Round half to even; with `decimals`, to that many decimal places (RoundBackward1)."""
    if decimals is None:
        return _round_half_even(input)
    return RoundDecimals.apply(require_float(input, "round_cpu"), decimals)


def frac(input: Tensor) -> Tensor:
    return Frac.apply(require_float(check_tensor(input, "frac"), "frac_cpu"))


fix, sgn = trunc, sign

__all__ = [
    "ceil",
    "fix",
    "floor",
    "floor_divide",
    "fmod",
    "frac",
    "remainder",
    "round",
    "sgn",
    "sign",
    "trunc",
]

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
Tensor.__floordiv__ = floor_divide
Tensor.__rfloordiv__ = lambda self, other: floor_divide(other, self)
Tensor.__mod__ = remainder
Tensor.__rmod__ = lambda self, other: remainder(other, self)
