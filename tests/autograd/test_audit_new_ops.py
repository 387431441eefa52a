"""Gradchecks (float64) for the ops the audit added: order statistics, matrix helpers, einsum."""

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import check_grad, leaf

GRAD_CASES = {
    "sort": (lambda x: mt.sort(x, 1)[0] * mt.arange(4.0, dtype=mt.float64), [(3, 4)]),
    "sort_desc": (lambda x: mt.sort(x, 0, descending=True).values.cumsum(0), [(3, 4)]),
    "topk": (lambda x: x.topk(2, dim=1).values, [(3, 4)]),
    "topk_small": (lambda x: x.topk(2, dim=0, largest=False)[0], [(3, 4)]),
    "median_all": (lambda x: x.median(), [(3, 5)]),
    "median_dim": (lambda x: x.median(1, keepdim=True).values, [(3, 5)]),
    "kthvalue": (lambda x: x.kthvalue(2, 0).values, [(3, 4)]),
    "msort": (lambda x: mt.msort(x), [(3, 2)]),
    "dot": (lambda a, b: mt.dot(a, b), [(4,), (4,)]),
    "vdot": (lambda a, b: mt.vdot(a, b), [(4,), (4,)]),
    "mv": (lambda a, b: mt.mv(a, b), [(3, 4), (4,)]),
    "outer": (lambda a, b: mt.outer(a, b), [(3,), (4,)]),
    "inner": (lambda a, b: mt.inner(a, b), [(2, 3), (4, 3)]),
    "addmm": (lambda c, a, b: mt.addmm(c, a, b, beta=0.5, alpha=2.0), [(3,), (2, 4), (4, 3)]),
    "trace": (lambda x: x.trace(), [(3, 4)]),
    "diag_vec": (lambda x: mt.diag(x, -1), [(3,)]),
    "diag_mat": (lambda x: mt.diag(x, 1), [(3, 4)]),
    "diagonal": (lambda x: x.diagonal(1, 0, 2), [(2, 3, 4)]),
    "diag_embed": (lambda x: mt.diag_embed(x, 1), [(2, 3)]),
    "tril": (lambda x: x.tril(-1), [(2, 3, 4)]),
    "triu": (lambda x: x.triu(1), [(3, 4)]),
    "cross": (lambda a, b: mt.cross(a, b, dim=1), [(2, 3), (2, 3)]),
    "einsum_mm": (lambda a, b: mt.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "einsum_batched": (lambda a, b: mt.einsum("...ij,...jk->...ik", a, b), [(2, 2, 3), (2, 3, 4)]),
    "einsum_diag": (lambda a: mt.einsum("ii->i", a), [(3, 3)]),
    "einsum_trace": (lambda a: mt.einsum("ii", a), [(3, 3)]),
    "einsum_sum": (lambda a: mt.einsum("ijk->j", a), [(2, 3, 4)]),
    "einsum_three": (lambda a, b, c: mt.einsum("i,ij,j->", a, b, c), [(2,), (2, 3), (3,)]),
    "einsum_outer": (lambda a, b: mt.einsum("i,j", a, b), [(2,), (3,)]),
    "tensordot": (lambda a, b: mt.tensordot(a, b, dims=([1, 0], [0, 1])), [(3, 2, 4), (2, 3)]),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_gradcheck(name):
    fn, shapes = GRAD_CASES[name]
    # distinct values: order statistics have no ties to break differently under perturbation
    inputs = [leaf(s, seed=i) for i, s in enumerate(shapes)]
    check_grad(fn, *inputs)


def test_sort_forward_does_not_mutate_and_grads_land_on_picked_positions():
    x = mt.tensor([[3.0, 1.0, 2.0]], requires_grad=True)
    values, indices = x.sort(1, descending=True)
    (values * mt.tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(x.detach().numpy(), [[3.0, 1.0, 2.0]])
    np.testing.assert_array_equal(indices.numpy(), [[0, 2, 1]])
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 100.0, 10.0]])


def test_einsum_gradient_onto_a_diagonal_leaves_the_rest_zero():
    a = mt.ones(3, 3, dtype=mt.float64, requires_grad=True)
    mt.einsum("ii->i", a).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), np.eye(3))
