"""Shared pieces of `minitorch_ft.linalg`: its error class, result tuples and input checks."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..tensor import Tensor
from ._support import check_tensor, type_name


class LinAlgError(RuntimeError):
    """A singular or non-positive-definite input (torch.linalg.LinAlgError)."""


SlogdetResult = namedtuple("slogdet", ["sign", "logabsdet"])
EighResult = namedtuple("eigh", ["eigenvalues", "eigenvectors"])
SvdResult = namedtuple("svd", ["U", "S", "Vh"])
QrResult = namedtuple("qr", ["Q", "R"])


def _float_input(A: Tensor, fn: str) -> None:
    check_tensor(A, fn.split(".")[-1], "A" if fn != "linalg.vector_norm" else "input")
    if A._data.dtype.kind != "f":
        raise RuntimeError(
            f"{fn}: Expected a floating point or complex tensor as input. "
            f"Got {type_name(A._data.dtype)}"
        )


def _square(A: Tensor, fn: str, check_float: bool = True) -> None:
    if check_float:
        _float_input(A, fn)
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{fn}: A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )


def _mT(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _sum_to(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Undo broadcasting of batch dims: sum grad down to `shape`."""
    while grad.ndim > len(shape):
        grad = grad.sum(0)
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and grad.shape[i] != 1)
    return grad.sum(axes, keepdims=True) if axes else grad
