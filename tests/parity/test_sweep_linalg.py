"""torch.linalg and the small math ops (kron, dist, lgamma, digamma, cov, ...) against torch:
values, dtypes, grad_fn names, gradients, error texts, and float64 gradchecks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd import gradcheck
from tests.parity.helpers import compare, torch

rng = np.random.default_rng(0)
A = rng.standard_normal((3, 3))
A4 = rng.standard_normal((2, 4, 4))
B = rng.standard_normal((3, 2))
V = rng.standard_normal(3)
M23 = rng.standard_normal((2, 3))
SPD = A @ A.T + 3 * np.eye(3)
POS = rng.uniform(0.3, 6.0, (2, 5))
NEG = np.array([-3.7, -2.5, -0.5, 0.25, 1.0, 2.0, 7.5, 30.0, 0.001])

CASES = [
    ("vector_norm", lambda L, a: L.linalg.vector_norm(a), (A,)),
    ("vector_norm_1", lambda L, a: L.linalg.vector_norm(a, 1, dim=(0, -1)), (A4,)),
    ("vector_norm_3", lambda L, a: L.linalg.vector_norm(a, 3, dim=1, keepdim=True), (A4,)),
    ("vector_norm_inf", lambda L, a: L.linalg.vector_norm(a, math.inf, dim=-1), (A,)),
    ("vector_norm_-inf", lambda L, a: L.linalg.vector_norm(a, -math.inf), (A,)),
    ("vector_norm_0", lambda L, a: L.linalg.vector_norm(a, 0, dim=0), (A,)),
    ("vector_norm_dtype", lambda L, a: L.linalg.vector_norm(a.float(), dtype=L.float64), (A,)),
    ("matrix_norm_fro", lambda L, a: L.linalg.matrix_norm(a), (A4,)),
    ("matrix_norm_nuc", lambda L, a: L.linalg.matrix_norm(a, "nuc"), (A4,)),
    ("matrix_norm_1", lambda L, a: L.linalg.matrix_norm(a, 1), (A4,)),
    ("matrix_norm_-1", lambda L, a: L.linalg.matrix_norm(a, -1, keepdim=True), (A4,)),
    ("matrix_norm_inf", lambda L, a: L.linalg.matrix_norm(a, math.inf, dim=(0, 2)), (A4,)),
    ("matrix_norm_2", lambda L, a: L.linalg.matrix_norm(a, 2), (A4,)),
    ("matrix_norm_-2", lambda L, a: L.linalg.matrix_norm(a, -2), (A,)),
    ("norm", lambda L, a: L.linalg.norm(a), (A4,)),
    ("norm_ord_mat", lambda L, a: L.linalg.norm(a, 1), (A,)),
    ("norm_ord_vec", lambda L, a: L.linalg.norm(a, 3), (V,)),
    ("norm_dim", lambda L, a: L.linalg.norm(a, dim=1), (A4,)),
    ("det", lambda L, a: L.linalg.det(a), (A4,)),
    ("torch_det", lambda L, a: L.det(a), (A,)),
    ("det_method", lambda L, a: a.det(), (A,)),
    ("slogdet", lambda L, a: L.linalg.slogdet(a)[1], (A4,)),
    ("logdet", lambda L, a: L.logdet(a), (SPD,)),
    ("inv", lambda L, a: L.linalg.inv(a), (A4,)),
    ("inverse", lambda L, a: L.inverse(a), (A,)),
    ("solve", lambda L, a, b: L.linalg.solve(a, b), (A, B)),
    ("solve_vec", lambda L, a, b: L.linalg.solve(a, b), (A, V)),
    ("solve_batch", lambda L, a, b: L.linalg.solve(a, b), (A4, rng.standard_normal((4, 3)))),
    ("solve_right", lambda L, a, b: L.linalg.solve(a, b, left=False), (A, M23)),
    ("matrix_power_3", lambda L, a: L.linalg.matrix_power(a, 3), (A,)),
    ("matrix_power_1", lambda L, a: L.matrix_power(a, 1), (A,)),
    ("matrix_power_-2", lambda L, a: a.matrix_power(-2), (A,)),
    ("cross", lambda L, a, b: L.linalg.cross(a, b), (A, A[::-1].copy())),
    ("torch_cross_dim", lambda L, a, b: L.cross(a, b, dim=0), (A, A.T.copy())),
    ("diagonal", lambda L, a: L.linalg.diagonal(a, offset=1), (A4,)),
    ("vecdot", lambda L, a, b: L.linalg.vecdot(a, b, dim=0), (A, B[:, :1].copy())),
    ("multi_dot", lambda L, a, b: L.linalg.multi_dot([a, a, b]), (A, B)),
    ("multi_dot_vec", lambda L, v, a: L.linalg.multi_dot([v, a, v]), (V, A)),
    ("eigvalsh", lambda L, a: L.linalg.eigvalsh(a), (SPD,)),
    ("eigh_values", lambda L, a: L.linalg.eigh(a).eigenvalues, (SPD,)),
    ("svdvals", lambda L, a: L.linalg.svdvals(a), (A4,)),
    ("svd_S", lambda L, a: L.linalg.svd(a, full_matrices=False).S, (M23,)),
    ("kron", lambda L, a, b: L.kron(a, b), (A, B)),
    ("kron_ndim", lambda L, a, b: a.kron(b), (V, B)),
    ("dist", lambda L, a, b: L.dist(a, b), (A, B[:, :1].copy())),
    ("dist_inf", lambda L, a, b: L.dist(a, b, math.inf), (A, V)),
    ("dist_1", lambda L, a, b: a.dist(b, 1), (A, V)),
    ("float_power", lambda L, a: L.float_power(a, 2), (A.astype(np.float32),)),
    ("float_power_t", lambda L, a, b: L.float_power(a.abs(), b), (A, V)),
    ("logaddexp2", lambda L, a, b: L.logaddexp2(a, b), (A, V)),
    ("lgamma", lambda L, a: L.lgamma(a), (NEG,)),
    ("lgamma_method", lambda L, a: a.lgamma(), (POS,)),
    ("digamma", lambda L, a: L.digamma(a), (NEG,)),
    ("digamma_f32", lambda L, a: a.digamma(), (POS.astype(np.float32),)),
    ("sinc", lambda L, a: L.sinc(a), (np.array([0.0, 0.5, -1.5, 2.0, 1e-9]),)),
    ("trapezoid", lambda L, a: L.trapezoid(a), (A,)),
    ("trapezoid_dx", lambda L, a: L.trapz(a, dx=0.5, dim=0), (A,)),
    ("trapezoid_x", lambda L, a, x: L.trapezoid(a, x), (A, np.array([0.0, 0.5, 2.0]))),
    ("cov", lambda L, a: L.cov(a), (M23,)),
    ("cov_1d", lambda L, a: L.cov(a, correction=0), (V,)),
    ("corrcoef", lambda L, a: L.corrcoef(a), (A,)),
    ("diagflat", lambda L, a: L.diagflat(a, 1), (M23,)),
    ("block_diag", lambda L, a, b, v: L.block_diag(a, b, v), (A, B, V)),
    ("cartesian_prod", lambda L, a, b: L.cartesian_prod(a, b), (V, V[:2].copy())),
    ("combinations", lambda L, a: L.combinations(a), (V,)),
    ("combinations_r", lambda L, a: L.combinations(a, 3, with_replacement=True), (V,)),
]


@pytest.mark.parametrize("name,fn,arrays", CASES, ids=[c[0] for c in CASES])
def test_matches_torch(name, fn, arrays):
    named = not name.startswith("trap")  # torch's internal Scalar overloads: MulBackward1
    compare(
        lambda *t: fn(mt, *t),
        lambda *t: fn(torch, *t),
        *arrays,
        rtol=1e-5,
        atol=1e-8,
        check_grad_fn=named,
    )


GRADCHECKS = [
    lambda a: mt.linalg.vector_norm(a, 3, dim=0),
    lambda a: mt.linalg.vector_norm(a, math.inf),
    lambda a: mt.linalg.matrix_norm(a, "nuc"),
    lambda a: mt.linalg.matrix_norm(a, 2),
    lambda a: mt.linalg.det(a),
    lambda a: mt.linalg.slogdet(a).logabsdet,
    lambda a: mt.linalg.inv(a),
    lambda a: mt.linalg.matrix_power(a, -3),
    lambda a: mt.linalg.solve(a, a[:, :2] * 2 + 1),
    lambda a: mt.linalg.cross(a, a.flip(0)),
    lambda a: mt.linalg.multi_dot([a, a.t(), a]),
    lambda a: mt.linalg.eigvalsh(a + a.t()),
    lambda a: mt.linalg.svdvals(a),
    lambda a: mt.kron(a, a[:2]),
    lambda a: mt.dist(a, a.flip(1), 3),
    lambda a: mt.logaddexp2(a, a.t()),
    lambda a: mt.lgamma(a.abs() + 0.2),
    lambda a: mt.digamma(a),
    lambda a: mt.sinc(a),
    lambda a: mt.trapezoid(a, a[0].exp()),
    lambda a: mt.corrcoef(a),
    lambda a: mt.block_diag(a, a[0]),
    lambda a: mt.float_power(a.abs(), a),
]


@pytest.mark.parametrize("fn", GRADCHECKS)
def test_gradcheck_float64(fn):
    a = mt.tensor(A + np.array([[2.0, 0, 0], [0, 0.5, 0], [0, 0, 1.2]]), requires_grad=True)
    assert gradcheck(fn, (a,), eps=1e-6, atol=1e-5)


def test_lgamma_digamma_accuracy_wide_range():
    x = np.concatenate([np.linspace(-9.7, 0.9, 57), np.geomspace(1e-4, 1e6, 60)])
    for name in ("lgamma", "digamma"):
        ours = getattr(mt, name)(mt.tensor(x)).numpy()
        ref = getattr(torch, name)(torch.tensor(x)).numpy()
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12)
    poles = mt.tensor([0.0, -1.0, -2.0])
    ref = torch.tensor([0.0, -1.0, -2.0])
    np.testing.assert_array_equal(mt.lgamma(poles).numpy(), torch.lgamma(ref).numpy())
    np.testing.assert_array_equal(mt.digamma(poles).numpy(), torch.digamma(ref).numpy())


def test_integer_ops_and_aminmax():
    a, b = np.array([12, -18, 0, 7]), np.array([8, 12, 5, 0])
    for name in ("gcd", "lcm"):
        ours = getattr(mt, name)(mt.tensor(a), mt.tensor(b))
        ref = getattr(torch, name)(torch.tensor(a), torch.tensor(b))
        assert ours.dtype == mt.int64
        np.testing.assert_array_equal(ours.numpy(), ref.numpy())
    x = rng.standard_normal((3, 4))
    ours, ref = mt.aminmax(mt.tensor(x), dim=1), torch.aminmax(torch.tensor(x), dim=1)
    np.testing.assert_array_equal(ours.min.numpy(), ref.min.numpy())
    np.testing.assert_array_equal(ours.max.numpy(), ref.max.numpy())
    h = np.array([-1.5, 0.0, 2.0])
    v = np.array([0.5, 0.7, 0.1])
    np.testing.assert_array_equal(
        mt.heaviside(mt.tensor(h), mt.tensor(v)).numpy(),
        torch.heaviside(torch.tensor(h), torch.tensor(v)).numpy(),
    )


def test_decomposition_forwards_match_torch():
    ours = mt.linalg.eigh(mt.tensor(SPD))
    ref = torch.linalg.eigh(torch.tensor(SPD))
    np.testing.assert_allclose(np.abs(ours.eigenvectors.numpy()), np.abs(ref[1].numpy()))
    u, s, vh = mt.linalg.svd(mt.tensor(M23))
    assert (tuple(u.shape), tuple(vh.shape)) == ((2, 2), (3, 3))
    np.testing.assert_allclose((u[:, :2] * s) @ vh[:2], M23, atol=1e-12)
    q, r = mt.linalg.qr(mt.tensor(B))
    tq, tr = torch.linalg.qr(torch.tensor(B))
    np.testing.assert_allclose(q.numpy(), tq.numpy(), atol=1e-12)
    np.testing.assert_allclose(r.numpy(), tr.numpy(), atol=1e-12)
    np.testing.assert_allclose(
        mt.linalg.cholesky(mt.tensor(SPD), upper=True).numpy(),
        torch.linalg.cholesky(torch.tensor(SPD), upper=True).numpy(),
    )
    sign, logabs = mt.linalg.slogdet(mt.tensor(A4))
    tsign, tlogabs = torch.linalg.slogdet(torch.tensor(A4))
    np.testing.assert_array_equal(sign.numpy(), tsign.numpy())
    x = mt.tensor(SPD, requires_grad=True)
    with pytest.raises(NotImplementedError, match="gradient of linalg.cholesky"):
        mt.linalg.cholesky(x).sum().backward()


ERRORS = [
    lambda L: L.linalg.det(L.ones(2, 3)),
    lambda L: L.linalg.det(L.ones(3)),
    lambda L: L.linalg.inv(L.ones(2, 2, dtype=L.int64)),
    lambda L: L.linalg.inv(L.zeros(3, 3)),
    lambda L: L.linalg.solve(L.zeros(2, 2), L.ones(2)),
    lambda L: L.linalg.vector_norm(L.ones(3, dtype=L.int64)),
    lambda L: L.linalg.norm(L.ones(2, 2, 2), 2),
    lambda L: L.linalg.cholesky(-L.eye(2)),
    lambda L: L.linalg.cholesky(L.stack([L.eye(2), -L.eye(2)])),
    lambda L: L.linalg.cross(L.ones(2, 2), L.ones(2, 2)),
    lambda L: L.gcd(L.ones(2), L.ones(2)),
    lambda L: L.block_diag(L.ones(1, 1, 1)),
    lambda L: L.heaviside(L.ones(2, requires_grad=True), L.ones(2)).sum().backward(),
    lambda L: L.linalg.norm(L.ones(3), "fro"),
    lambda L: L.linalg.vector_norm(L.arange(3), dtype=L.float32),
    lambda L: L.linalg.multi_dot([L.ones(2, 2), L.ones(3, 2)]),
    lambda L: L.dist(L.ones(2), L.zeros(3)),
    lambda L: L.aminmax(L.ones(0)),
    lambda L: L.gcd(L.tensor([4]), L.tensor([6.0])),
    lambda L: L.linalg.solve(L.eye(2), L.ones(3)),
    lambda L: L.linalg.matrix_power(L.ones(2, 3), 2),
]


def test_edge_values_match_torch():
    calls = [
        lambda L: L.digamma(L.tensor([0.0, -0.0, -2.0, 1.0])),
        lambda L: L.lgamma(L.tensor([0.0, -0.0, -3.0, 0.5])),
        lambda L: L.block_diag(L.tensor(1), L.ones(2, 1)),
        lambda L: L.linalg.matrix_power(L.arange(4).reshape(2, 2), 3),
        lambda L: L.cov(
            L.arange(6.0).reshape(2, 3),
            fweights=L.tensor([1, 2, 1]),
            aweights=L.tensor([0.5, 1.0, 2.0]),
        ),
        lambda L: L.combinations(L.arange(2), 3),
        lambda L: L.kron(L.ones(2, 2), L.tensor(3.0)),
    ]
    for call in calls:
        ours, ref = call(mt), call(torch)
        assert str(ours.dtype) == str(ref.dtype)
        np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=1e-6)


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    with pytest.raises(Exception) as ref:
        fn(torch)
    with pytest.raises(Exception) as ours:
        fn(mt)
    assert type(ours.value).__name__.lstrip("_") == type(ref.value).__name__.lstrip("_")
    assert isinstance(ours.value, RuntimeError) == isinstance(ref.value, RuntimeError)
    assert str(ours.value) == str(ref.value)
