"""Fuzzer regressions fixed in round 4: clone's layout, einsum's mul path and layout, empty
bmm, Addr's gradient dtypes, in-place writes through an expanded view."""

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.test_fuzz_graphs import X, mismatches

F64 = "dtype=T.float64, requires_grad=True"


# ------------------------------------------------------------------ clone (preserve_format)
@pytest.mark.parametrize(
    "view", ["x.t()", "x", "x[:, ::2].t()", "x.unsqueeze(1).permute(2, 1, 0)", "x.expand(2, 2, 3)"]
)
def test_clone_keeps_layout(view):
    stmts = [X, f"y = {view}.clone()", "z = y.reshape(-1)", "z.sum().backward()"]
    assert not mismatches(stmts)


def test_clone_strides():
    x = mt.ones(2, 3)
    assert x.t().clone().stride() == (1, 3)
    assert x.t().clone(memory_format=mt.contiguous_format).stride() == (2, 1)
    assert x.t().contiguous().stride() == (2, 1)
    assert x.expand(2, 2, 3).clone().stride() == (6, 3, 1)


# ------------------------------------------------------------------ einsum
EINSUM = [
    ("ak,kn->an", (2, 1), (1, 3), "float32", "float64"),
    ("ak,kn->n", (2, 1), (1, 3), "float32", "float64"),
    ("ak,kn->an", (2, 1), (3, 3), "float32", "float64"),
    ("bak,bkn->nab", (3, 3, 1), (3, 1, 3), "float32", "float64"),
    ("ak,kn->an", (2, 3), (3, 3), "float32", "float64"),  # a real bmm: the dtype error
    ("ak,kn->an", (2, 0), (0, 3), "float32", "float64"),
    ("ak,kn->an", (2, 0), (0, 3), "float64", "float32"),
    ("bij,bjk->kib", (2, 3, 0), (2, 0, 5), "float64", "float32"),
    ("bak,bkn->nab", (3, 3, 4), (3, 4, 3), "float64", "float64"),
    ("bij,bjk->kib", (2, 3, 4), (2, 4, 5), "float64", "float64"),
    ("bij,bjk->ikb", (2, 3, 4), (2, 4, 5), "float64", "float64"),
    ("bij,jk->kib", (2, 3, 4), (4, 5), "float64", "float64"),
    ("bij,bjk->kbi", (1, 3, 4), (2, 4, 5), "float64", "float64"),
    ("abij,abjk->bkai", (2, 3, 3, 4), (2, 3, 4, 5), "float64", "float64"),
    ("...ij,...jk->...ki", (2, 3, 4), (2, 4, 5), "float64", "float64"),
    ("ij,ij->", (2, 3), (2, 3), "float64", "float64"),
]


@pytest.mark.parametrize("eq,sa,sb,da,db", EINSUM)
def test_einsum_dtype_and_layout(eq, sa, sb, da, db):
    stmts = [
        f"a = T.ones{sa}.to(T.{da}).requires_grad_()",
        f"b = T.ones{sb}.to(T.{db}).requires_grad_()",
        f'y = T.einsum("{eq}", a, b)',
        "z = y.reshape(-1)",
        "z.sum().backward()",
    ]
    assert not mismatches(stmts)


def test_einsum_size_1_contraction_promotes():
    a = mt.ones(2, 1, dtype=mt.float32, requires_grad=True)
    b = mt.full((1, 3), 2.0, dtype=mt.float64, requires_grad=True)
    y = mt.einsum("ak,kn->an", a, b)
    assert y.dtype == mt.float64 and y.grad_fn.name() == "ViewBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "MulBackward0"
    np.testing.assert_allclose(y.detach().numpy(), np.full((2, 3), 2.0))
    y.sum().backward()
    assert a.grad.dtype == mt.float32
    np.testing.assert_allclose(a.grad.numpy(), np.full((2, 1), 6.0))


def test_einsum_batched_result_is_permuted_bmm_output():
    a, b = mt.ones(3, 3, 4), mt.ones(3, 4, 3)
    y = mt.einsum("bak,bkn->nab", a, b)
    assert y.stride() == (3, 1, 9)  # bmm result (b, n, a) in memory, as torch
    np.testing.assert_allclose(y.numpy(), np.full((3, 3, 3), 4.0))


# ------------------------------------------------------------------ bmm of empty operands
@pytest.mark.parametrize(
    "sa,sb",
    [
        ((1, 0, 2), (1, 2, 3)),
        ((1, 2, 0), (1, 0, 3)),
        ((1, 2, 2), (1, 2, 0)),
        ((0, 2, 2), (0, 2, 3)),
    ],
)
@pytest.mark.parametrize(
    "da,db", [("float64", "float32"), ("float32", "float64"), ("bool", "bool")]
)
def test_bmm_of_empty_skips_dtype_check(sa, sb, da, db):
    grad = da.startswith("float")
    stmts = [
        f"a = T.zeros{sa}.to(T.{da}).requires_grad_({grad})",
        f"b = T.zeros{sb}.to(T.{db}).requires_grad_({grad})",
        "y = T.bmm(a, b)",
    ] + (["y.sum().backward()"] if grad else [])
    assert not mismatches(stmts)


def test_bmm_of_empty_value():
    y = mt.bmm(mt.zeros(1, 2, 0, dtype=mt.float64), mt.zeros(1, 0, 3, dtype=mt.float32))
    assert y.dtype == mt.float32 and y.shape == (1, 2, 3) and not y.numpy().any()


# ------------------------------------------------------------------ addr gradient dtypes
@pytest.mark.parametrize(
    "dc,du,dv,k",
    [
        ("float64", "float32", "float32", "float64"),
        ("float32", "float32", "float32", "float64"),
        ("float32", "float64", "float64", "float32"),
        ("float64", "float64", "float32", "float32"),
    ],
)
def test_addr_casts_incoming_grad(dc, du, dv, k):
    stmts = [
        f"c0 = T.tensor([[0.5, 1.0], [2.0, -1.0]], dtype=T.{dc}, requires_grad=True)",
        f"u = T.tensor([0.3, 0.1], dtype=T.{du}, requires_grad=True)",
        f"v = T.tensor([-0.9, 0.2], dtype=T.{dv}, requires_grad=True)",
        "c = T.addr(c0, u, v, beta=0.5, alpha=2)",
        f"y = c * T.tensor([[0.4]], dtype=T.{k})",
        "y.sum().backward()",
    ]
    assert not mismatches(stmts)


def test_addr_grad_reaching_in_wider_dtype():
    u = mt.tensor([0.3, 0.1], requires_grad=True)
    v = mt.tensor([-0.9], requires_grad=True)
    c = mt.addr(mt.tensor(0.0), u, v)
    (c * mt.tensor([[0.5]], dtype=mt.float64)).sum().backward()
    assert u.grad.dtype == mt.float32 and v.grad.dtype == mt.float32
    np.testing.assert_allclose(u.grad.numpy(), [-0.45, -0.45])
    np.testing.assert_allclose(v.grad.numpy(), [0.2])


# ------------------------------------------------------------------ in place on expanded views
@pytest.mark.parametrize(
    "write",
    [
        "e.fill_(1.5)",
        "e.zero_()",
        "e[:, 0].fill_(2)",
        "e[0].fill_(2)",
        "e[0, 0].fill_(2)",
        "e[:, 0] = 2.0",
        "e.fill_(T.tensor(2.0, dtype=T.float64))",
        "e.mul_(2)",
    ],
)
@pytest.mark.parametrize("then", ["e.sum().backward()", "y.sum().backward()"])
def test_in_place_on_expanded_view_backward(write, then):
    stmts = [X, "y = x * 1", "e = y.expand(2, 2, 3)", write, then]
    assert not mismatches(stmts)


def test_fill_of_expanded_view_fails_in_backward():
    x = mt.ones(2, 3, dtype=mt.float64, requires_grad=True)
    e = (x * 1).expand(2, 2, 3)
    e.fill_(1.5)
    np.testing.assert_allclose(e.detach().numpy(), np.full((2, 2, 3), 1.5))
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e.sum().backward()
