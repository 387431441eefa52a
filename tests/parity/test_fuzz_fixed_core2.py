"""Fuzzer regressions fixed in the autograd core (engine, in-place writes, views, diagonal)."""

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.test_fuzz_graphs import mismatches

X = "x = T.tensor([[1.0, -2.0, 0.5], [3.0, 0.5, -1.0]], dtype=T.float64, requires_grad=True)"
X3 = (
    "x = T.tensor([[1.0, -2.0, 0.5], [3.0, 0.5, -1.0], [0.25, 2.0, 1.5]], dtype=T.float64, "
    "requires_grad=True)"
)
XB = (
    "x = T.tensor([[[1.0, -2.0, 0.5], [3.0, 0.5, -1.0]], [[0.25, 2.0, 1.5], [1.0, 1.0, -3.0]]], "
    "dtype=T.float64, requires_grad=True)"
)
W = "w = T.tensor([1.0, 2.0, 3.0], dtype=T.float64, requires_grad=True)"


# ---- in_place_through_view_then_non_contiguous_grad: a transposed upstream gradient
@pytest.mark.parametrize(
    "stmts",
    [
        [X, "y = x * 1", "y[0].mul_(2)", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "y[0].exp_()", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "y[0] = 5.0", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "y[0].copy_(x[1])", "(y.t() * 2).sum().backward()"],
        [X, "y = x * 1", "y[0].add_(x[1])", "(y.t() * x.t()).sum().backward()"],
        [X, "y = x * 1", "y.t()[1].mul_(3)", "(y.t() * x.t()).sum().backward()"],
        [X, "y = x * 1", "y[0].clamp_(min=0)", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "y[0].fill_(2)", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "y[0].zero_()", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "y[0].sigmoid_()", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "y[0:1].div_(2)", "(y.permute(1, 0) * 1).sum().backward()"],
        [X, "y = (x * 1).t()", "y[0].mul_(2)", "(y.t() * 1).sum().backward()"],
        [X, "y = x * 1", "v = y.t()", "v[0].mul_(2)", "(v * 1).sum().backward()"],
        [X, "y = x * 1", "y[0].mul_(2)", "g = T.autograd.grad((y.t() * 1).sum(), x)"],
    ],
)
def test_in_place_through_view_then_non_contiguous_grad(stmts):
    assert not mismatches(stmts)


def test_in_place_through_view_transposed_grad_value():
    x = mt.ones(2, 3, dtype=mt.float64, requires_grad=True)
    y = x * 1
    y[0].mul_(2)
    (y.t() * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[2, 2, 2], [1, 1, 1]])


# ---- requires_grad_false_after_use: AccumulateGrad skips a leaf frozen after use
@pytest.mark.parametrize(
    "stmts",
    [
        [X, "y = x * 2", "x.requires_grad_(False)", "y.sum().backward()"],
        [X, "y = x * 2", "x.detach_()", "y.sum().backward()"],
        [X, W, "y = x * w", "x.requires_grad_(False)", "y.sum().backward()"],
        [X, W, "y = x * w", "x.requires_grad = False", "y.sum().backward(inputs=[w])"],
        [X, W, "y = x * w", "x.requires_grad_(False)", "g = T.autograd.grad(y.sum(), [w])"],
        [X, "y = x * 2", "x.requires_grad_(False)", "x.requires_grad_(True)", "y.sum().backward()"],
        [
            X,
            "y = x * 2",
            "y.sum().backward(retain_graph=True)",
            "x.requires_grad_(False)",
            "y.sum().backward()",
        ],
        [
            X,
            "h = x.register_hook(lambda g: g * 3)",
            "y = x * 2",
            "x.requires_grad_(False)",
            "y.sum().backward()",
        ],
        [
            X,
            "h = x.register_post_accumulate_grad_hook(lambda t: None)",
            "y = x * 2",
            "x.requires_grad_(False)",
            "y.sum().backward()",
        ],
        [X, "y = x[0] * 2", "x.requires_grad_(False)", "y.sum().backward()"],
    ],
)
def test_requires_grad_false_after_use(stmts):
    assert not mismatches(stmts)


def test_frozen_after_forward_keeps_grad_none():
    w = mt.ones(3, requires_grad=True)
    b = mt.ones(3, requires_grad=True)
    loss = (w * 2 + b).sum()
    w.requires_grad_(False)
    loss.backward()
    assert w.grad is None
    np.testing.assert_array_equal(b.grad.numpy(), [1, 1, 1])


# ---- diagonal_view_not_refreshed_after_in_place / diag_of_matrix_is_a_read_only_view
@pytest.mark.parametrize(
    "stmts",
    [
        [X, "y = x * 1", "d = y.diagonal()", "y.mul_(2)", "d.sum().backward()"],
        [X3, "y = x * 1", "d = y.diagonal(1)", "y.mul_(2)", "d.sum().backward()"],
        [X3, "y = x * 1", "d = T.diagonal(y, -1)", "y[0].exp_()", "n = d * 1"],
        [X, "y = x * 1", "d = y.diagonal()", "d.mul_(2)", "y.sum().backward()"],
        [X, "y = x * 1", "d = y.diagonal()", "d.exp_()", "(y * y).sum().backward()"],
        [X, "d = x.diagonal()", "d.mul_(2)"],
        [X, "y = x.detach()", "d = y.diagonal()", "d.mul_(2)", "z = T.tensor(y._version)"],
        [XB, "y = x * 1", "d = y.diagonal(0, 1, 2)", "d.mul_(2)", "y.sum().backward()"],
        [XB, "y = x * 1", "d = y.diagonal(1, -1, 0)", "d[0].mul_(2)", "(y * y).sum().backward()"],
        [XB, "y = x * 1", "d = T.diagonal(y, dim1=0, dim2=2)", "y.mul_(3)", "d.sum().backward()"],
        [X, "y = x * 1", "d = y.diagonal()", "c = T.tensor(d.is_contiguous())", "e = d.view(-1)"],
        [X, "y = x * 1", "d = y.t().diagonal()", "y[0].mul_(2)", "d.sum().backward()"],
        [
            X,
            "y = x * 1",
            "d = y.diagonal()",
            "d.retain_grad()",
            "y.mul_(2)",
            "(d * 3).sum().backward()",
        ],
        [
            X,
            "y = x * 1",
            "d = y.diagonal()",
            "b = T.tensor(d._base is y)",
            "y.add_(1)",
            "n = T.tensor(d._version)",
        ],
        [X, "y = T.diag(x)", "c = T.tensor(y.is_contiguous())", "y.exp_()"],
        [X, "y = T.diag(x)", "y.exp_()", "y.sum().backward()"],
        [X, "y = T.diag(x, 1)", "z = y.view(-1)", "z.mul_(2)", "z.sum().backward()"],
        [X, "y = x.diag(-1)", "z = y.reshape(-1)", "w = T.tensor(y._version)"],
        [X, "y = x * 1", "d = T.diag(y)", "y.mul_(2)", "d.sum().backward()"],
    ],
)
def test_diagonal_is_a_registered_view_and_diag_a_copy(stmts):
    assert not mismatches(stmts)


def test_diagonal_writes_through_and_diag_does_not():
    x = mt.zeros(3, 3)
    x.diagonal().fill_(1.0)
    np.testing.assert_array_equal(x.numpy(), np.eye(3))
    d = mt.diag(x)
    d.fill_(5.0)
    np.testing.assert_array_equal(x.numpy(), np.eye(3))
    assert d.is_contiguous() and d._base is None


# ---- retain_grad_of_root_outside_inputs: a lone root runs its tensor hooks, not its backward
WL = "w = T.ones(1, dtype=T.float64, requires_grad=True)"
ONES = "T.ones(2, 3, dtype=T.float64)"


@pytest.mark.parametrize(
    "stmts",
    [
        [X, WL, "s = x.sum()", "s.retain_grad()", "s.backward(inputs=[w])"],
        [X, WL, "s = x.sum()", "s.retain_grad()", "g = T.autograd.grad(s, [w], allow_unused=True)"],
        [X, WL, "s = x.sum()", "s.retain_grad()", "t = s * 2", "t.retain_grad()",
         "t.backward(inputs=[w])"],
        [X, WL, "s = x.sum()", "s.retain_grad()", "t = s * 2", "t.retain_grad()",
         "u = t + w.sum()", "u.backward(inputs=[w])"],
        [X, WL, "s = x.sum()", "s.retain_grad()", "T.autograd.backward([s, s], inputs=[w])"],
        [X, WL, "s = x * x", "s.retain_grad()", f"s.backward({ONES}, inputs=[w])",
         f"s.backward({ONES})"],
        [X, WL, "s = x.sum()", "h = s.register_hook(lambda g: g * 2)", "s.retain_grad()",
         "s.backward(inputs=[w])"],
        [X, WL, "s = x * 1", "s.retain_grad()", f"s.backward({ONES} * 2, inputs=[w])"],
        [X, WL, "s = x.sum()", "s.retain_grad()", "s.backward(inputs=[w], retain_graph=True)",
         "s.backward(inputs=[w])"],
    ],
)  # fmt: skip
def test_retain_grad_of_root_outside_inputs(stmts):
    assert not mismatches(stmts)


def test_root_retained_grad_without_running_its_backward():
    x = mt.ones(2, requires_grad=True)
    w = mt.ones(1, requires_grad=True)
    s = x * x
    s.retain_grad()
    s.backward(mt.ones(2), inputs=[w])
    np.testing.assert_array_equal(s.grad.numpy(), [1, 1])
    assert x.grad is None and w.grad is None
    s.backward(mt.ones(2))  # MulBackward0 did not run, so its saved tensors are still there
    np.testing.assert_array_equal(x.grad.numpy(), [2, 2])


# ---- in_place_on_empty_view_of_expanded: writes into non-overlapping views of an expand
_EXPAND_OPS = ["add_(-1)", "mul_(2)", "exp_()", "clamp_(min=0)", "sigmoid_()", "neg_()"]
_E = ["x = T.tensor([[-1.8]], dtype=T.float64, requires_grad=True)", "y = x * 1"]


@pytest.mark.parametrize("op", _EXPAND_OPS + ["copy_(T.ones(1, dtype=T.float64))"])
@pytest.mark.parametrize(
    "stmts",
    [
        _E + ["z = y.expand(3, 1)", "z[:, 1:].{op}"],
        _E + ["z = y.expand(3, 1)", "z.{op}"],  # overlapping: torch's error
        _E + ["z = y.expand(3, 3)", "w = z.diagonal()", "w.{op}", "y.sum().backward()"],
        [X, "y = x[0] * 1", "z = y.expand(2, 3)", "z[1].{op}", "(y * y).sum().backward()"],
        [X, "y = x[0].detach()", "z = y.expand(2, 3)", "z[1].{op}"],
        [X, "y = x[0].detach()", "z = y.expand(2, 3)", "z[:, 1].{op}"],
        [X, "y = x[0].detach()", "z = y.expand(2, 3)", "with T.no_grad():\n    z[0].{op}"],
    ],
)
def test_in_place_on_non_overlapping_view_of_expanded(stmts, op):
    assert not mismatches([s.replace("{op}", op) for s in stmts])


def test_write_through_row_of_expanded():
    y = mt.tensor([1.0, 2.0, 3.0])
    y.expand(2, 3)[1].mul_(2)
    np.testing.assert_array_equal(y.numpy(), [2.0, 4.0, 6.0])
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        y.expand(2, 3).mul_(2)


# ---- advanced_index_result_not_contiguous
@pytest.mark.parametrize(
    "stmts",
    [
        [X, "y = x[:, [1, 0]]", "c = T.tensor(y.is_contiguous())", "z = y.contiguous()"],
        [X, "y = x[:, [2, 0]]", "z = y.view(-1)", "w = y.flatten()"],
        [X, "y = x.t()[:, [1, 0]]", "c = T.tensor(y.is_contiguous())", "z = y.reshape(-1)"],
        [X, "y = x[x > 0]", "z = y.contiguous()", "z.sum().backward()"],
        [X, "y = x[:, [[1, 0]]]", "c = T.tensor(y.is_contiguous())", "z = y.flatten()",
         "z.sum().backward()"],
        [X, "y = x[..., [True, False, True]]", "c = T.tensor(y.is_contiguous())",
         "z = y.view(-1)"],
    ],
)  # fmt: skip
def test_advanced_index_result_is_contiguous(stmts):
    assert not mismatches(stmts)


def test_advanced_index_result_layout():
    x = mt.arange(6.0).reshape(2, 3)
    y = x[:, [2, 0]]
    assert y.is_contiguous() and y.stride() == (2, 1)
    np.testing.assert_array_equal(y.view(-1).numpy(), [2.0, 0.0, 5.0, 3.0])
