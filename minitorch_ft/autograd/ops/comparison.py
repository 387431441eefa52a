"""Comparisons, logical and bitwise ops, and value tests (isnan, isclose, equal, allclose).

Results are bool (or integer, for bitwise ops) tensors and are never recorded for autograd.
Operands are promoted as in PyTorch before comparing (`int_tensor < 2.5` compares in float32).
"""

# ruff: noqa: A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._operands import as_tensor, binary_operands, is_scalar
from ._support import broadcast_shape, check_tensor, type_name


def _operand(other, fn: str):
    """A comparable operand (Tensor, number, numpy array), else PyTorch's TypeError."""
    if isinstance(other, Tensor) or is_scalar(other) or isinstance(other, np.bool_):
        return other
    if isinstance(other, np.ndarray):
        return as_tensor(other)
    raise TypeError(
        f"{fn}() received an invalid combination of arguments - got (Tensor, "
        f"{type(other).__name__}), but expected one of:\n"
        " * (Tensor input, Tensor other, *, Tensor out = None)\n"
        " * (Tensor input, Number other, *, Tensor out = None)\n"
    )


def _arrays(input, other):
    """Both operands as arrays of the promoted dtype (scalars may stay scalars)."""
    a, b, dtype = binary_operands(input, other)
    x = a._data if isinstance(a, Tensor) else a
    y = b._data if isinstance(b, Tensor) else b
    if isinstance(a, Tensor) and isinstance(b, Tensor) and x.shape != y.shape:
        broadcast_shape(x.shape, y.shape)
    if dtype is not None:
        x, y = np.asarray(x, dtype), np.asarray(y, dtype)
    return x, y


def _comparison(ufunc, name: str):
    def compare(input: Tensor, other) -> Tensor:
        check_tensor(input, name)
        x, y = _arrays(input, _operand(other, name))
        return Tensor._wrap(ufunc(x, y))

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = f"Elementwise `{name}` as a bool tensor (torch.{name}); not recorded."
    return compare


eq = _comparison(np.equal, "eq")
ne = _comparison(np.not_equal, "ne")
lt = _comparison(np.less, "lt")
le = _comparison(np.less_equal, "le")
gt = _comparison(np.greater, "gt")
ge = _comparison(np.greater_equal, "ge")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _dunder(fn, reflected: bool = False):
    """Operator form: NotImplemented for unknown types, so `t == None` is False, as torch."""

    def op(self: Tensor, other):
        if not (isinstance(other, (Tensor, np.ndarray, np.bool_)) or is_scalar(other)):
            return NotImplemented
        return fn(self, other)

    return op


def equal(input: Tensor, other: Tensor) -> bool:
    """True when both have the same shape and elements (dtypes may differ; nan != nan)."""
    check_tensor(input, "equal")
    check_tensor(other, "equal", "other", 2)
    if input._data.shape != other._data.shape:
        return False
    return bool(np.array_equal(input._data, other._data))


def _check_same_dtype(input: Tensor, other: Tensor) -> None:
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(
            f"{type_name(input._data.dtype)} did not match {type_name(other._data.dtype)}"
        )


def isclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """|input - other| <= atol + rtol * |other| elementwise (same dtypes required, as torch)."""
    check_tensor(input, "isclose")
    check_tensor(other, "isclose", "other", 2)
    _check_same_dtype(input, other)
    broadcast_shape(input.shape, other.shape)
    return Tensor._wrap(
        np.isclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan)
    )


def allclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """True when every element is `isclose`."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def _value_test(ufunc, name: str, ints_give: bool):
    def test(input: Tensor) -> Tensor:
        data = check_tensor(input, name)._data
        if data.dtype.kind != "f":
            return Tensor._wrap(np.full(data.shape, ints_give))
        return Tensor._wrap(ufunc(data))

    test.__name__ = test.__qualname__ = name
    test.__doc__ = f"Elementwise `{name}` as a bool tensor (torch.{name})."
    return test


isnan = _value_test(np.isnan, "isnan", False)
isinf = _value_test(np.isinf, "isinf", False)
isfinite = _value_test(np.isfinite, "isfinite", True)
isposinf = _value_test(np.isposinf, "isposinf", False)
isneginf = _value_test(np.isneginf, "isneginf", False)


def isreal(input: Tensor) -> Tensor:
    """All True: complex tensors do not exist here."""
    return Tensor._wrap(np.ones(check_tensor(input, "isreal")._data.shape, dtype=bool))


def signbit(input: Tensor) -> Tensor:
    """True where the sign bit is set (so -0.0 counts as negative)."""
    return Tensor._wrap(np.signbit(check_tensor(input, "signbit")._data))


def _logical(ufunc, name: str):
    def logical(input: Tensor, other: Tensor) -> Tensor:
        check_tensor(input, name)
        check_tensor(other, name, "other", 2)
        broadcast_shape(input.shape, other.shape)
        return Tensor._wrap(ufunc(input._data, other._data))

    logical.__name__ = logical.__qualname__ = name
    logical.__doc__ = f"Elementwise `{name}` of truth values, as a bool tensor."
    return logical


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def logical_not(input: Tensor) -> Tensor:
    return Tensor._wrap(np.logical_not(check_tensor(input, "logical_not")._data))


def _bitwise(ufunc, name: str):
    def bitwise(input, other) -> Tensor:
        x, y = _arrays(input, _operand(other, name))
        result = np.result_type(x, y)
        if result.kind not in "iub":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{type_name(result)}'")
        return Tensor._wrap(np.asarray(ufunc(x, y)))

    bitwise.__name__ = bitwise.__qualname__ = name
    bitwise.__doc__ = f"Elementwise `{name}` of integer or bool tensors."
    return bitwise


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(input: Tensor) -> Tensor:
    data = check_tensor(input, "bitwise_not")._data
    if data.dtype.kind not in "iub":
        raise NotImplementedError(
            f"\"bitwise_not_cpu\" not implemented for '{type_name(data.dtype)}'"
        )
    return Tensor._wrap(np.invert(data))


def _invert(self: Tensor) -> Tensor:
    """`~t`: a TypeError for floating tensors, as torch's operator."""
    if self._data.dtype.kind not in "iub":
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        )
    return bitwise_not(self)


__all__ = [
    "allclose",
    "bitwise_and",
    "bitwise_not",
    "bitwise_or",
    "bitwise_xor",
    "eq",
    "equal",
    "ge",
    "greater",
    "greater_equal",
    "gt",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "le",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "lt",
    "ne",
    "not_equal",
    "signbit",
]

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])

Tensor.__eq__ = _dunder(eq)
Tensor.__ne__ = _dunder(ne)
Tensor.__lt__ = _dunder(lt)
Tensor.__le__ = _dunder(le)
Tensor.__gt__ = _dunder(gt)
Tensor.__ge__ = _dunder(ge)
Tensor.__and__ = Tensor.__rand__ = _dunder(bitwise_and)
Tensor.__or__ = Tensor.__ror__ = _dunder(bitwise_or)
Tensor.__xor__ = Tensor.__rxor__ = _dunder(bitwise_xor)
Tensor.__invert__ = _invert
# Defining __eq__ must not make tensors unhashable: identity hashing, as torch.Tensor.
Tensor.__hash__ = object.__hash__
