"""Matrix products: `matmul`/@ (1-D, 2-D, batched, broadcast), `mm`, `bmm`, `mv`, `dot`.

Each case records the node PyTorch records, so grad_fn names match.
"""

from __future__ import annotations

import numpy as np

from ..function import Op
from ..tensor import Tensor
from ._operands import as_tensor
from ._support import write_out
from .shape import squeeze_added_dims


def _shape_str(shape) -> str:
    return "x".join(str(s) for s in shape)


class Mm(Op):
    """a @ b for 2-D operands; da = g b^T, db = a^T g (each only when needed)."""

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return (None if b is None else grad @ b.T), (None if a is None else a.T @ grad)


class Bmm(Op):
    """Batched a @ b for 3-D operands with equal batch sizes."""

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return (
            None if b is None else np.matmul(grad, b.swapaxes(-1, -2)),
            None if a is None else np.matmul(a.swapaxes(-1, -2), grad),
        )


class Matmul(Op):
    """General broadcast matmul (N-D with N-D); gradients reduced over broadcast batch dims."""

    grad_fn_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        grad_a = grad_b = None
        if b is not None:
            grad_a = np.matmul(grad, np.swapaxes(b, -1, -2))
            grad_a = _reduce_batch(grad_a, ctx._shapes[0])
        if a is not None:
            grad_b = np.matmul(np.swapaxes(a, -1, -2), grad)
            grad_b = _reduce_batch(grad_b, ctx._shapes[1])
        return grad_a, grad_b


def _reduce_batch(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum a batched gradient over the batch dims its operand was broadcast along."""
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, s in enumerate(shape[:-2]) if s == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


class Dot(Op):
    """1-D · 1-D; da = g b, db = g a."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.asarray(np.dot(a, b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return grad * b, grad * a


class Mv(Op):
    """2-D @ 1-D; da = outer(g, b), db = a^T g."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        return (np.outer(grad, b) if need_a else None), (a.T @ grad if need_b else None)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """2-D matrix product, PyTorch's errors for wrong ranks and mismatched shapes."""
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_shape_str(input.shape)} and "
            f"{_shape_str(mat2.shape)})"
        )
    _check_dtypes(input, mat2)
    return Mm.apply(input, mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    _check_dtypes(input, mat2)
    return Bmm.apply(input, mat2)


def _check_dtypes(a: Tensor, b: Tensor) -> None:
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {a.dtype} != {b.dtype}"
        )


def matmul(input, other, *, out=None) -> Tensor:
    """torch.matmul: dot, mv, mm, 1-D promotion and broadcast batched products."""
    result = _matmul(input, other)
    return result if out is None else write_out("matmul", result, out)


def _matmul(input, other) -> Tensor:
    a, b = as_tensor(input), as_tensor(other)
    da, db = a.ndim, b.ndim
    if da == 0 or db == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )
    _check_dtypes(a, b)
    if da == 1 and db == 1:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the same "
                f"number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively"
            )
        return Dot.apply(a, b)
    if da == 2 and db == 2:
        return mm(a, b)
    if da == 2 and db == 1:
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                f"vec ({b.shape[0]})"
            )
        return Mv.apply(a, b)
    if da == 1 and db == 2:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied (1x{a.shape[0]} and "
                f"{_shape_str(b.shape)})"
            )
        return squeeze_added_dims(mm(a.unsqueeze(0), b), (0,))
    # Batched: promote 1-D operands, multiply with broadcasting, drop promoted dims.
    a2 = a.unsqueeze(0) if da == 1 else a
    b2 = b.unsqueeze(-1) if db == 1 else b
    if a2.shape[-1] != b2.shape[-2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{_batch_size(a2)}, {a2.shape[-1]}] but got: [{_batch_size(b2)}, {b2.shape[-2]}]."
            if da > 2 and db > 2
            else f"mat1 and mat2 shapes cannot be multiplied "
            f"({_shape_str((_batch_size(a2), a2.shape[-1]))} and "
            f"{_shape_str(b2.shape[-2:])})"
        )
    try:
        np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({a2.shape[-3]}) must match the size of tensor b "
            f"({b2.shape[-3]}) at non-singleton dimension 0"
        ) from None
    if a2.ndim == 3 and b2.ndim == 3 and a2.shape[0] == b2.shape[0]:
        out = Bmm.apply(a2, b2)
    else:
        out = Matmul.apply(a2, b2)
    if db == 1:
        out = squeeze_added_dims(out, (-1,))
    if da == 1:
        out = squeeze_added_dims(out, (-2,))
    return out


def _batch_size(t: Tensor) -> int:
    n = 1
    for s in t.shape[:-2]:
        n *= s
    return n


Tensor.__matmul__ = _matmul
Tensor.__rmatmul__ = lambda self, other: _matmul(other, self)
Tensor.matmul = matmul
Tensor.mm = mm
Tensor.bmm = bmm
