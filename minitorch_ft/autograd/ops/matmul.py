"""Matrix products: `matmul`/@ (1-D, 2-D, batched, broadcast), `mm`, `bmm`, `mv`, `dot`.

Each case records the node PyTorch records, so grad_fn names match.
"""

from __future__ import annotations

import numpy as np

from ..dtypes import CPP_TYPE_NAMES
from ..function import Op
from ..tensor import Tensor
from ._operands import as_tensor
from ._support import broadcast_shape, type_name, write_out
from .shape import transpose


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


class BmmEmpty(Bmm):
    """bmm with an empty operand: torch skips its dtype check and returns zeros of mat2's
    dtype; every gradient is zero too (a sum over nothing, or empty)."""

    grad_fn_name = "BmmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.layouts = (a.shape, a.dtype), (b.shape, b.dtype)
        return np.zeros((a.shape[0], a.shape[1], b.shape[2]), b.dtype)

    @staticmethod
    def backward(ctx, grad):
        return tuple(np.zeros(shape, dtype) for shape, dtype in ctx.layouts)


class Matmul(Op):
    """Broadcast batched matmul (N-D with N-D, either side may be 1-D, as np.matmul promotes).

    PyTorch's last node here is the `_unsafe_view` of its folded mm/mv or of its bmm.
    """

    grad_fn_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        shape_a, shape_b = ctx._shapes
        # put back the dims np.matmul added for 1-D operands (and dropped from the output)
        if len(shape_a) == 1:
            grad = np.expand_dims(grad, -2)
        if len(shape_b) == 1:
            grad = np.expand_dims(grad, -1)
        grad_a = grad_b = None
        if b is not None:
            b2 = b[:, None] if b.ndim == 1 else b
            grad_a = np.matmul(grad, np.swapaxes(b2, -1, -2))
            grad_a = _reduce_batch(grad_a, (1, *shape_a) if len(shape_a) == 1 else shape_a)
            grad_a = grad_a.reshape(shape_a)
        if a is not None:
            a2 = a[None] if a.ndim == 1 else a
            grad_b = np.matmul(np.swapaxes(a2, -1, -2), grad)
            grad_b = _reduce_batch(grad_b, (*shape_b, 1) if len(shape_b) == 1 else shape_b)
            grad_b = grad_b.reshape(shape_b)
        return grad_a, grad_b


class MatmulClone(Matmul):
    """PyTorch's matrix @ batch folds to mm on the transposed batch, then copies (`.contiguous`)."""

    grad_fn_name = "CloneBackward0"


class MatmulFolded(Matmul):
    """The folded product of a matrix @ batch before it is transposed back: (..., p, n)."""

    grad_fn_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return np.swapaxes(Matmul.forward(ctx, a, b), -1, -2).copy()

    @staticmethod
    def backward(ctx, grad):
        return Matmul.backward(ctx, np.swapaxes(grad, -1, -2))


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
    """1-D · 1-D; da = g b, db = g a (each operand saved only for the other's gradient)."""

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        return np.asarray(np.dot(a, b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return (None if b is None else grad * b), (None if a is None else grad * a)


class Mv(Op):
    """2-D @ 1-D; da = outer(g, b), db = a^T g."""

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad or (False, False)
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return (None if b is None else np.outer(grad, b)), (None if a is None else a.T @ grad)


class SqueezeResult(Op):
    """Drops the dim matmul added for a 1-D left operand. torch squeezes its mm result in
    place, so unlike `squeeze` this output is no view (in-place ops on it record their own
    node, not AsStridedBackward0)."""

    grad_fn_name = "SqueezeBackward4"

    @staticmethod
    def forward(ctx, a):
        return a.reshape(a.shape[1:])

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx._shapes[0])


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
    check_product_dtypes(input, mat2)
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
    if not input._data.size or not mat2._data.size:
        return BmmEmpty.apply(input, mat2)
    check_product_dtypes(input, mat2, "bmm")
    return Bmm.apply(input, mat2)


_BOOL_KERNELS = {"mm": "addmm_impl_cpu_", "mv": "addmv_impl_cpu", "dot": "dot", "bmm": "bmm"}


def check_product_dtypes(a: Tensor, b: Tensor, kernel: str = "mm") -> None:
    """PyTorch's dtype errors for a product, worded by the kernel it reaches (mv: a is the matrix)."""
    dtype_a, dtype_b = a._data.dtype, b._data.dtype
    if dtype_a != dtype_b:
        name_a, name_b = type_name(dtype_a), type_name(dtype_b)
        if kernel == "mm":
            message = (
                "expected m1 and m2 to have the same dtype, but got: "
                f"{CPP_TYPE_NAMES[dtype_a.name]} != {CPP_TYPE_NAMES[dtype_b.name]}"
            )
        elif kernel == "mv":
            message = (
                "addmv input tensors must have the same dtype, but got "
                f"{name_b}, {name_a}, and {name_b}"
            )
        elif kernel == "dot":
            message = (
                f"dot : expected both vectors to have same dtype, but found {name_a} and {name_b}"
            )
        else:
            message = f"expected scalar type {name_a} but found {name_b}"
        raise RuntimeError(message)
    if dtype_a == np.bool_:
        raise NotImplementedError(f"\"{_BOOL_KERNELS[kernel]}\" not implemented for 'Bool'")


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
    if da == 1 and db == 1:
        if a._data.dtype != b._data.dtype:  # dot checks dtypes before sizes, bool after
            check_product_dtypes(a, b, "dot")
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the same "
                f"number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively"
            )
        check_product_dtypes(a, b, "dot")
        return Dot.apply(a, b)
    if da == 2 and db == 2:
        return mm(a, b)
    if da == 2 and db == 1:
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                f"vec ({b.shape[0]})"
            )
        check_product_dtypes(a, b, "mv")
        return Mv.apply(a, b)
    if da == 1 and db == 2:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied (1x{a.shape[0]} and "
                f"{_shape_str(b.shape)})"
            )
        check_product_dtypes(a, b)
        out = SqueezeResult.apply(mm(a.unsqueeze(0), b))
        out._version_counter.value = 1  # torch's squeeze_ on the result counts as a change
        return out
    return _batched(a, b)


def _prod(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _foldable(big: np.ndarray) -> bool:
    """True when `big` reshapes to (-1, last dim) without a copy (PyTorch then folds to mm/mv)."""
    if big.size == 0:
        return True
    shape, strides = big.shape, big.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.ndim - 2))


def _batched(a: Tensor, b: Tensor) -> Tensor:
    """matmul with a >= 3-D operand, choosing PyTorch's route (fold to mm/mv, or bmm).

    The route decides the error text and the grad_fn name; the numbers are np.matmul's.
    """
    sa, sb = a.shape, b.shape
    if len(sa) == 3 and len(sb) == 3 and sa[0] != sb[0]:
        # PyTorch drops a batch of 1 that requires grad, so its gradient is not expanded
        if sa[0] == 1 and a.requires_grad:
            sa = sa[1:]
        elif sb[0] == 1 and b.requires_grad:
            sb = sb[1:]
    da, db = len(sa), len(sb)
    a_larger = da >= db
    route = "bmm"
    if max(da, db) >= 3 and min(da, db) <= 2:
        if (b if a_larger else a).requires_grad:
            route = "fold"
        elif da != 2:
            big = a._data if a_larger else np.swapaxes(b._data, -1, -2)
            route = "fold" if _foldable(big) else "bmm"
    if route == "fold":
        _check_folded(sa, sb, a_larger)
        mat, other = (a, b) if a_larger else (b, a)  # the folded operand is the matrix
        check_product_dtypes(mat, other, "mv" if other.ndim == 1 else "mm")
    else:
        _check_bmm(sa, sb)
        check_product_dtypes(a, b, "bmm")
    if route == "fold" and not a_larger and da == 2:
        # the folded product is transposed back and made contiguous (a copy unless trivial)
        n, p = sa[0], sb[-1]
        if n <= 1 or p <= 1 or 0 in sb[:-2]:
            # already contiguous transposed back: torch returns that transposed view
            return transpose(MatmulFolded.apply(a, b), -1, -2)
        return MatmulClone.apply(a, b)
    return Matmul.apply(a, b)


def _check_folded(sa: tuple, sb: tuple, a_larger: bool) -> None:
    """PyTorch's mm/mv errors on the folded operands: the larger one viewed as a matrix."""
    if a_larger:
        rows, inner, other = _prod(sa[:-1]), sa[-1], sb
    else:  # the batch is transposed and folded; a 2-D left operand is transposed too
        rows, inner = _prod(sb[:-2]) * sb[-1], sb[-2]
        other = sa if len(sa) == 1 else (sa[1], sa[0])
    if inner == other[0]:
        return
    if len(other) == 1:
        raise RuntimeError(
            f"size mismatch, got input ({rows}), mat ({rows}x{inner}), vec ({other[0]})"
        )
    raise RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({rows}x{inner} and {_shape_str(other)})"
    )


def _check_bmm(sa: tuple, sb: tuple) -> None:
    """PyTorch broadcasts the batch dims, then checks the bmm of the flattened batches."""
    batch = broadcast_shape(sa[:-2], sb[:-2])
    m1 = sa[-1]
    m2 = sb[-2] if len(sb) > 1 else sb[0]
    if m1 != m2:
        n = _prod(batch)
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{n}, {m1}] but got: [{n}, {m2}]."
        )


Tensor.__matmul__ = _matmul
Tensor.__rmatmul__ = lambda self, other: _matmul(other, self)
Tensor.matmul = matmul
Tensor.mm = mm
Tensor.bmm = bmm
