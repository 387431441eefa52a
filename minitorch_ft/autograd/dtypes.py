"""PyTorch-style dtype objects and PyTorch's type-promotion rules over numpy dtypes.

`torch.float32` is the default floating dtype; python scalars never upcast a tensor.
"""

from __future__ import annotations

import numpy as np


class dtype:  # noqa: N801 - PyTorch's lowercase class name
    """A tensor element type; prints as `torch.float32` so reprs read like PyTorch."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name: str, np_dtype: type, category: int) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = category == 2
        self.is_signed = category != 0 and self.np.kind != "u"
        self.itemsize = self.np.itemsize
        self._category = category

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> str:
        return self.name


bool_ = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
float16 = dtype("float16", np.float16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)

# PyTorch's legacy tensor type names, used in its error messages ('torch.FloatTensor').
TENSOR_TYPE_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
}

# PyTorch's ScalarType names ('Float', 'Long'), used in its error messages.
SCALAR_TYPE_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "float16": "Half",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
}
# The C++ type names some of PyTorch's messages print ('float', 'long int').
CPP_TYPE_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}

ALL_DTYPES = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NP = {d.np: d for d in ALL_DTYPES}
_ALIASES = {
    "float": float32,
    "double": float64,
    "half": float16,
    "long": int64,
    "int": int32,
    "short": int16,
    "bool": bool_,
}
_default_float = [float32]


def get_default_dtype() -> dtype:
    """The dtype of floating tensors built from python floats (float32 unless changed)."""
    return _default_float[0]


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype, like `torch.set_default_dtype` (float32 or float64)."""
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_float[0] = d


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The dtype object for a numpy dtype; error for kinds PyTorch lacks (strings, objects)."""
    try:
        return _BY_NP[np_dtype]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type {np_dtype}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def to_dtype(d) -> dtype:
    """Accept a dtype object, a numpy dtype/type, a python type, or a name like 'float32'."""
    if isinstance(d, dtype):
        return d
    if d is float:
        return get_default_dtype()
    if d is int:
        return int64
    if d is bool:
        return bool_
    if isinstance(d, str) and d in _ALIASES:
        return _ALIASES[d]
    try:
        return from_numpy_dtype(np.dtype(d))
    except TypeError as err:
        raise TypeError(f"invalid dtype: {d!r}") from err


def _category_of_scalar(value) -> int:
    if isinstance(value, (bool, np.bool_)):
        return 0
    if isinstance(value, (int, np.integer)):
        return 1
    return 2


def _widest(np_dtypes) -> np.dtype:
    result = np_dtypes[0]
    for d in np_dtypes[1:]:
        result = np.promote_types(result, d)
    return result


def result_np_dtype(*operands) -> np.dtype:
    """PyTorch's promotion: dimensioned tensors outrank 0-d tensors, which outrank scalars.

    A lower tier only matters when its category (bool < int < float) is higher; a python
    float joining integer tensors gives the default float dtype, as in PyTorch.
    """
    dims, zero_dims, scalars = [], [], []
    for op in operands:
        arr = getattr(op, "_data", None)  # a Tensor's array (never `.data`, a Tensor)
        if isinstance(arr, np.ndarray):
            (dims if arr.ndim else zero_dims).append(arr.dtype)
        else:
            scalars.append(_category_of_scalar(op))
    tiers = [dims, zero_dims]
    best = None
    best_cat = -1
    for tier in tiers:
        if not tier:
            continue
        cat = max(_BY_NP[d]._category for d in tier)
        if cat > best_cat:
            best = _widest([d for d in tier if _BY_NP[d]._category == cat])
            best_cat = cat
    if scalars:
        cat = max(scalars)
        if cat > best_cat:
            best = (bool_, int64, get_default_dtype())[cat].np
    return best
