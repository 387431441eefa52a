"""Sweep of tensor ops against torch: values, dtypes, grad_fn names, gradients and errors."""

import numpy as np
import pytest

import minitorch_ft as mt

from .audit_helpers import assert_same, torch


def _grads(lib, shape_a, shape_b, grad_a=True, grad_b=True, transposed_b=False):
    """grad_fn name, output and input gradients of a @ b (b optionally non-contiguous)."""
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal(shape_a)
    b_np = rng.standard_normal(shape_b)
    a = lib.tensor(a_np, requires_grad=grad_a)
    if transposed_b and len(shape_b) > 1:
        b = lib.tensor(np.ascontiguousarray(np.swapaxes(b_np, -1, -2))).mT
        b.requires_grad_(grad_b)
    else:
        b = lib.tensor(b_np, requires_grad=grad_b)
    out = a @ b
    seed = rng.standard_normal(tuple(out.shape))
    out.backward(lib.tensor(seed))
    grads = [None if t.grad is None else t.grad.numpy() for t in (a, b)]
    return out.grad_fn.name(), out.detach().numpy(), grads


MATMUL_SHAPES = [
    ((5, 3, 4), (5, 4, 2)),
    ((5, 3, 4), (4, 2)),
    ((5, 3, 4), (4,)),
    ((4,), (5, 4, 2)),
    ((2, 4), (5, 4, 2)),
    ((1, 4), (5, 4, 2)),
    ((2, 4), (5, 4, 1)),
    ((1, 3, 4), (5, 4, 2)),
    ((5, 3, 4), (1, 4, 2)),
    ((2, 1, 3, 4), (5, 4, 2)),
    ((2, 1, 3, 4), (4,)),
    ((0, 4), (5, 4, 2)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES)
@pytest.mark.parametrize("grads", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("transposed_b", [False, True])
def test_batched_matmul_grad_fn_values_and_grads(shapes, grads, transposed_b):
    # torch records UnsafeViewBackward0 for folded and bmm routes (never BmmBackward0), and
    # CloneBackward0/TransposeBackward0 when a matrix multiplies a batch it folds transposed
    want = _grads(torch, *shapes, *grads, transposed_b=transposed_b)
    got = _grads(mt, *shapes, *grads, transposed_b=transposed_b)
    assert got[0] == want[0]
    np.testing.assert_allclose(got[1], want[1], rtol=1e-10, atol=1e-12)
    for g, w in zip(got[2], want[2], strict=True):
        assert (g is None) == (w is None)
        if w is not None:
            np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


MATMUL_ERRORS = [
    # the folded operand's rows in the message, as torch's mm/mv see them
    "L.ones(5, 3, 4) @ L.ones(3, 4)",
    "L.ones(5, 3, 4) @ L.ones(3)",
    "L.ones(3) @ L.ones(5, 3, 4)",
    "L.ones(3, 4, requires_grad=True) @ L.ones(5, 3, 4)",
    "L.ones(5, 4, 2, requires_grad=True) @ L.ones(1, 4, 2, requires_grad=True)",
    "L.ones(1, 4, 2, requires_grad=True) @ L.ones(5, 3, 4)",
    # bmm route: flattened broadcast batch
    "L.ones(2, 1, 3, 4) @ L.ones(5, 3, 4)",
    "L.ones(5, 3, 4) @ L.ones(5, 3, 4)",
    "L.ones(4, 2, 3, 3) @ L.ones(2, 1, 3, 3)",
    "L.ones(4, 2, 3, 3, requires_grad=True).mT @ L.ones(2, 3)",
    # dtype mismatches are worded by the kernel reached
    "L.ones(2, 3) @ L.ones(3, 2, dtype=L.float64)",
    "L.ones(2, 3, dtype=L.int64) @ L.ones(3, 2)",
    "L.ones(2, 3, dtype=L.int32) @ L.ones(3, 2, dtype=L.int64)",
    "L.ones(2, 3) @ L.ones(3, dtype=L.float64)",
    "L.ones(3) @ L.ones(3, dtype=L.float64)",
    "L.ones(3) @ L.ones(4, dtype=L.float64)",
    "L.ones(3) @ L.ones(3, 2, dtype=L.float64)",
    "L.ones(5, 2, 3) @ L.ones(5, 3, 2, dtype=L.float64)",
    "L.ones(5, 2, 3) @ L.ones(3, dtype=L.float64)",
    "L.ones(5, 2, 3) @ L.ones(3, 2, dtype=L.float64)",
    "L.ones(2, 3, requires_grad=True) @ L.ones(5, 3, 2, dtype=L.float64)",
    "L.mv(L.ones(2, 3), L.ones(3, dtype=L.float64))",
    "L.bmm(L.ones(2, 2, 3), L.ones(2, 3, 2, dtype=L.float64))",
    "L.dot(L.ones(3), L.ones(3, dtype=L.float64))",
    # bool products are not implemented; int products are
    "L.ones(2, 3, dtype=L.bool) @ L.ones(3, 2, dtype=L.bool)",
    "L.ones(3, dtype=L.bool) @ L.ones(3, dtype=L.bool)",
    "L.ones(3, dtype=L.bool) @ L.ones(4, dtype=L.bool)",
    "L.ones(2, 3, dtype=L.bool) @ L.ones(3, dtype=L.bool)",
    "L.ones(2, 2, 3, dtype=L.bool) @ L.ones(2, 3, 2, dtype=L.bool)",
    "L.ones(2, 3, dtype=L.int64) @ L.ones(3, dtype=L.int64)",
]


@pytest.mark.parametrize("code", MATMUL_ERRORS)
def test_matmul_errors_and_dtypes(code):
    assert_same(code)


@pytest.mark.parametrize(
    ("shape_a", "shape_b"), [((4,), (2, 4, 3)), ((2, 1, 3, 4), (4,)), ((2, 3), (5, 3, 2))]
)
def test_batched_matmul_gradcheck(shape_a, shape_b):
    rng = np.random.default_rng(1)
    a = mt.tensor(rng.standard_normal(shape_a), requires_grad=True)
    b = mt.tensor(rng.standard_normal(shape_b), requires_grad=True)
    assert mt.autograd.gradcheck(lambda x, y: x @ y, (a, b))


def test_sub_with_scalar_first_and_alpha_gradcheck():
    x = mt.tensor([1.0, -2.0, 0.5], dtype=mt.float64, requires_grad=True)
    assert mt.autograd.gradcheck(lambda t: mt.sub(2.5, t, alpha=3), (x,))
    assert mt.autograd.gradcheck(lambda t: mt.rsub(t, 2.5, alpha=-2), (x,))


ELEMENTWISE = [
    # integer ** negative integer: 0, except bases 1 and -1 (numpy raises)
    "L.tensor([0, 1, -1, 2, -2, -1]) ** L.tensor([-1, -3, -3, -1, -2, -2])",
    "L.tensor([1, 2], dtype=L.int32) ** L.tensor([-1, -2], dtype=L.int32)",
    "L.tensor([0, 1, 255], dtype=L.uint8) ** L.tensor([-1, -1, -2])",
    "2 ** L.tensor([3, -7, 1], dtype=L.int32)",
    "L.pow(-1, L.tensor([-3, -2]))",
    "L.tensor([True, False]) ** L.tensor([-1, -2])",
    "L.tensor([True, False]) ** -3",
    # true division of uint8 by a negative python int does not wrap the int
    "L.tensor([3, 200], dtype=L.uint8) / -3",
    "-3 / L.tensor([3, 200], dtype=L.uint8)",
    "L.true_divide(L.tensor([3, 200], dtype=L.uint8), -3)",
    # alpha applies to a scalar first operand, and scales in the promoted dtype
    "L.sub(2, L.tensor([1.5, -2.0]), alpha=2)",
    "L.sub(-3, L.tensor([3, -7]), alpha=2)",
    "L.rsub(L.tensor([1, 2]), 5, alpha=2)",
    "L.rsub(L.tensor([1.0, 2.0], requires_grad=True), 5, alpha=2)",
    "L.rsub(L.tensor([1, 2]), 5, alpha=2.5)",
    "L.add(L.tensor([1.5]), L.tensor([200], dtype=L.uint8), alpha=2)",
    "L.sub(L.tensor([1]), L.tensor([200], dtype=L.uint8), alpha=2)",
    "L.tensor([True]) - True",
    "True - L.tensor(True)",
]


@pytest.mark.parametrize("code", ELEMENTWISE)
def test_elementwise_promotion_and_values(code):
    assert_same(code)


MISC = [
    # setitem drops the value's leading size-1 dims (and names the stripped shape)
    "x = L.zeros(2, 3); x[0] = L.ones(1, 3); r = x",
    "x = L.zeros(2, 3); x[0] = L.ones(1, 1, 3); r = x",
    "x = L.zeros(2, 3); x[:, 0] = L.ones(1, 2); r = x",
    "x = L.zeros(2, 3); x[L.tensor([0, 1])] = L.ones(1, 1, 3); r = x",
    "x = L.zeros(2, 3); x[L.tensor([0, 1])] = L.ones(1, 6); r = x",
    "x = L.zeros(2, 3); x[0] = L.ones(2, 1, 3); r = x",
    "v = L.ones(1, 3, requires_grad=True); x = L.zeros(2, 3); x[0] = v; x.sum().backward(); "
    "r = (x.grad_fn.name(), x.grad_fn.next_functions[1][0].name(), v.grad)",
    "L.arange(6.)[::0]",
    "x = L.zeros(3); x[::0] = 1.; r = x",
    # repeat_interleave: View over Clone for an int, IndexSelect for any tensor of repeats
    "L.arange(6.).reshape(2, 3).requires_grad_().repeat_interleave(2, dim=1)",
    "L.arange(6.).reshape(2, 3).requires_grad_().repeat_interleave(2)",
    "L.arange(6.).reshape(2, 3).requires_grad_().repeat_interleave(L.tensor(2), dim=0)",
    # random floats in an integer dtype
    "L.rand(2, dtype=L.int64)",
    "L.randn(2, dtype=L.bool)",
    "L.rand_like(L.tensor([1, 2]))",
    "L.randn_like(L.tensor([True]))",
    # reductions over an empty dim name it as torch does
    "L.zeros(2, 0).amax(-1)",
    "L.zeros(2, 0).amin((0, -1))",
    "L.zeros(0, 3).amax((0, 0))",
    "L.zeros(2, 0).median(-1)",
    "L.zeros(0, 3).median(0)",
    "L.zeros(2, 0).kthvalue(1, -1)",
    "L.zeros(2, 0).mode(-1)",
]


@pytest.mark.parametrize("code", MISC)
def test_indexing_shape_and_reduction_edges(code):
    assert_same(code)
