"""Mismatches the widened fuzzer (round 3) found and that are fixed: each program once as
shrunk, plus variants; torch-free checks where the expected value is plain."""

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.test_fuzz_graphs import mismatches

X = "x = T.tensor([[1.0, -2.0, 0.5], [3.0, 0.5, -1.0]], dtype=T.float64, requires_grad=True)"
X0 = "x = T.tensor(0.9, dtype=T.float64, requires_grad=True)"
I2 = "T.tensor([[1, 2, 0], [1, 0, 2]])"


# ---- a 0-d result that forward saved (numpy gives it as a scalar) was not version-checked
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "make",
    [
        "y = T.pow(2.0, x)",
        "y = x.abs().exp()",
        "y = x.abs().tanh()",
        "y = x.abs().sigmoid()",
        "y = x.abs().sqrt()",
        "y = x.abs().rsqrt()",
        "y = (x * 1).softmax(0)",
        "y = x.abs().norm()",
        "y = x.abs().prod()",
    ],
)
@pytest.mark.parametrize("write", ["y.mul_(-1)", "y.unsqueeze(-1).add_(1)"])
def test_saved_0d_result_changed_in_place_raises(dtype, make, write):
    leaf = X0.replace("float64", dtype)
    assert not mismatches([leaf, make, write, "y.backward()"])


def test_saved_0d_result_shrunk_program():
    stmts = [
        "v7 = T.tensor(-0.9, dtype=T.float32, requires_grad=True)",
        "v16 = T.pow(2.0, v7)",
        "v17 = v16.unsqueeze(-1)",
        "v18 = T.masked_fill(v17, v17 > 0, 0.0)",
        "v17.mul_(-1)",
        "v18.backward(T.tensor([-1.7], dtype=T.float32), retain_graph=True)",
    ]
    assert not mismatches(stmts)


def test_saved_0d_result_plain():
    x = mt.tensor(0.5, requires_grad=True)
    y = x.exp()
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


# ---- take / masked_select save their input: an in-place change of it is an error
@pytest.mark.parametrize(
    "make",
    [
        "v = y.take(T.tensor([0, 4]))",
        "v = T.masked_select(y, y > 0)",
        "v = y.masked_select(T.tensor([True, False, True]))",
    ],
)
@pytest.mark.parametrize("write", ["y.mul_(2)", "y[0].zero_()", "y.t().add_(1)", None])
def test_take_and_masked_select_check_the_saved_input(make, write):
    stmts = [X, "y = x * 1", make] + ([write] if write else []) + ["v.sum().backward()"]
    assert not mismatches(stmts)


# ---- clamp: a 0-d tensor needing no grad next to a number bound is read as a number
@pytest.mark.parametrize(
    "call",
    [
        "y = x.clamp(min=T.tensor(True), max=2)",
        "y = x.clamp(min=T.tensor(-1.7, dtype=T.float32), max=2)",
        "y = x.clamp(min=-0.5, max=T.tensor(1))",
        "y = T.clamp(x, min=T.tensor(0.2, dtype=T.float64), max=1.5)",
        "y = x.clip(T.tensor(0.1), 1.5)",
        "y = T.tensor([1, 5]).clamp(T.tensor(2.5), 3)",
        "y = T.tensor([1, 5]).clamp(T.tensor(True), 3)",
        "y = x.clamp(min=T.tensor([0.0]), max=1)",  # not 0-d: still the parser's TypeError
        "y = x.clamp(min=T.tensor(0.0, requires_grad=True), max=1)",  # needs grad: TypeError
        "y = x * 1\ny.clamp_(min=T.tensor(0.2, dtype=T.float64), max=1.5)",
    ],
)
def test_clamp_0d_tensor_and_number_bounds(call):
    stmts = [X, *call.split("\n")]
    if "T.tensor([1, 5])" not in call and "requires_grad=True)," not in call:
        stmts.append("y.sum().backward()")
    assert not mismatches(stmts)


def test_clamp_0d_tensor_and_number_plain():
    y = mt.tensor([-1.0, 0.5, 3.0]).clamp(min=mt.tensor(0.0), max=2)
    assert y.tolist() == [0.0, 0.5, 2.0]


# ---- setitem / fill_ / masked_fill_ on an expanded tensor: torch checks the overlap of the
# part written (none for index_put_, fill_, masked_fill_)
@pytest.mark.parametrize(
    "write",
    [
        "e[0] = 5.0",
        "e[0, 1] = 5.0",
        "e[[0]] = 5.0",
        "e[:, [0]] = 5.0",
        "e[[0, 1], [1, 2]] = 5.0",
        "e[T.tensor([True, False])] = 5.0",
        "e[:, 0] = 5.0",  # overlapping: raises in both
        "e[...] = 5.0",  # overlapping: raises in both
        "e.fill_(5.0)",
        "e.zero_()",
        "e[:, 0:1].fill_(2.0)",
        "e.fill_(T.tensor(2.0, dtype=T.float64))",  # a tensor value: raises in both
        "e.masked_fill_(e > 0, 1.0)",
        "e.add_(1)",  # raises in both
    ],
)
def test_writes_into_an_expanded_tensor(write):
    leaf = "x = T.tensor([[1.0, 2.0, 3.0]], dtype=T.float64)"
    assert not mismatches([leaf, "y = x * 1", "e = y.expand(2, 3)", write])


def test_setitem_of_expanded_0d_and_advanced_shrunk_programs():
    assert not mismatches(
        [
            "v2 = T.tensor([-0.8, 0.2, 2.0, -1.3], dtype=T.float32, requires_grad=True)",
            "v7 = v2.max()",
            "v10 = v7.expand(2)",
            "v10[-2] = 0.0",
        ]
    )
    assert not mismatches(
        [
            "v2 = T.tensor([1.5, 1.4, -1.7], dtype=T.float64, requires_grad=True)",
            "v3 = T.tensor([[0.4]], dtype=T.float64, requires_grad=True)",
            "v4 = T.add(v2, v3, alpha=-0.5)",
            "v6 = v4.expand(2, 3, -1)",
            "v6[:, :, [0, -1, 1]] = 2.5",
        ]
    )


def test_fill_of_expanded_plain():
    base = mt.tensor([[1.0, 2.0, 3.0]])
    base.expand(2, 3)[:, 1:2].fill_(7.0)
    assert base.tolist() == [[1.0, 7.0, 3.0]]


# ---- norm(p=+-inf): the error over an empty dim, and no nan gradient when the norm is nan
@pytest.mark.parametrize("p", ["float('inf')", "-float('inf')"])
@pytest.mark.parametrize(
    "shape, dim",
    [
        ((0,), ""),
        ((2, 0), ""),
        ((0, 3), ", dim=0"),
        ((0, 3), ", dim=-2"),
        ((0, 3), ", dim=1"),
        ((2, 0), ", dim=0"),
        ((0, 3), ", dim=(1, 0)"),
        ((3, 0, 0), ", dim=(2, 1)"),
    ],
)
def test_extreme_norm_of_empty(p, shape, dim):
    leaf = f"x = T.zeros({shape!r}, dtype=T.float64, requires_grad=True)"
    assert not mismatches([leaf, f"y = x.norm(p={p}{dim})", "y.sum().backward()"])


@pytest.mark.parametrize(
    "norm",
    [
        "y = (x ** 0.5).norm(p=float('inf'), dim=1)",
        "y = (x ** 0.5).norm(p=-float('inf'), dim=0, keepdim=True)",
        "y = (x ** 0.5).norm(p=float('inf'))",
        "y = x.abs().round().norm(p=float('inf'), dim=1)",  # ties share the gradient
    ],
)
def test_extreme_norm_gradient_with_nan(norm):
    assert not mismatches([X, norm, "y.sum().backward()"])


def test_inf_norm_gradient_with_nan_plain():
    x = mt.tensor([4.0, float("nan"), 1.0], requires_grad=True)
    x.norm(p=float("inf")).backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


# ---- result layouts: torch's cat/stack, reductions, sort of an expanded input, roll,
# masked_fill and number ** tensor are contiguous; flip/rot90 keep a transposed layout
@pytest.mark.parametrize(
    "stmts",
    [
        [  # shrunk: view(-1) of a stack of expanded tensors
            "v1 = T.tensor([[-0.2, -1.7], [1.3, -1.0]], dtype=T.float32, requires_grad=True)",
            "v4 = v1[None, T.tensor([-1])]",
            "v5 = v4.expand(2, 3, -1, -1)",
            "v6 = T.stack([v5, v5], dim=-3)",
            "v6.view(-1).add_(3)",
        ],
        [X, "y = x.t() * 1", "z = T.cat([y, y])", "w = z.view(-1)"],
        [X, "y = x.t() * 1", "z = T.cat([y, y], 1)", "w = z.view(-1)"],
        [X, "y = x.t() * 1", "z = T.stack([y, y], 2)", "w = z.view(-1)"],
        [X, "y = x.expand(2, 2, 3)", "z = T.cat([y, y], 1)", "w = z.view(-1)"],
        [X, "z = T.hstack([x.t(), x.t()])", "w = z.view(-1)"],
        [  # shrunk: sum of a permuted tensor is contiguous (contiguous() returns it)
            X,
            "v2 = x.repeat(3, 3, 2)",
            "v4 = v2.T",
            "v5 = v4.sum(dim=0)",
            "v6 = v5.contiguous()",
        ],
        [X, "y = x.t().mean(0, keepdim=True).contiguous()"],
        [X, "y = x.t().std(1).contiguous()"],
        [X, "y = x.t().var(0).contiguous()"],
        [X, "y = x.t().prod(1).contiguous()"],
        [X, "y = x.t().amax(1).contiguous()"],
        [X, "y = x.t().logsumexp(0).contiguous()"],
        [X, "y = x.t().norm(dim=1).contiguous()"],
        [X, "y = x.t().nansum(0).contiguous()"],
        [  # shrunk: msort of an expanded tensor
            "v1 = T.tensor([[[-1.8, 0.4]], [[1.5, -1.6]], [[-0.6, -1.5]]], dtype=T.float64, "
            "requires_grad=True)",
            "v3 = v1.expand(-1, 2, -1)",
            "v4 = T.msort(v3)",
            "v6 = v4 / 4",
            "v6.view(-1).add_(3)",
        ],
        [X, "y = x.expand(2, 2, 3).sort(1).values.view(-1)"],
        [X, "y = x.t().sort(0).values.contiguous()"],
        [X, "y = x.t().roll(1, 0).view(-1)"],
        [X, "y = x.t().masked_fill(x.t() > 0, 1.0).view(-1)"],
        [X, "y = (1.5 ** x.t()).view(-1)"],
        [X, "y = x.t().flip(0).contiguous()"],
        [  # shrunk: rot90 of a transposed tensor
            X,
            "v2 = x.t()",
            "v3 = v2.rot90(3, [0, 1])",
            "v3.view(-1).sub_(3)",
        ],
        [X, "y = x.t().rot90(1, [0, 1]).contiguous()"],
        [X, "y = x.t().rot90(2, [1, 0]).contiguous()"],
        [X, "y = x.rot90(0, [0, 1]).contiguous()"],
    ],
)
def test_result_layouts(stmts):
    assert not mismatches(stmts)


def test_result_layouts_plain():
    t = mt.ones(3, 4).t()
    assert mt.cat([t, t]).is_contiguous()
    assert mt.stack([t, t]).is_contiguous()
    assert t.sum(0).is_contiguous()
    assert t.flip(0).stride() == (1, 4)
    assert t.rot90(1, [0, 1]).stride() == (4, 1)


# ---- take_along_dim always gathers from an expanded view, as torch
def test_take_along_dim_result_and_gradient():
    assert not mismatches([X, f"v = T.take_along_dim(x, {I2}, dim=1)", "v.sum().backward()"])
    assert not mismatches(
        [X, "v = x.take_along_dim(T.tensor([[1], [0]]), 1)", "v.sum().backward()"]
    )
    x = mt.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    mt.take_along_dim(x, mt.tensor([[1], [0]]), dim=1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 1.0], [1.0, 0.0]])
