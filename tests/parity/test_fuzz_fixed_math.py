"""Fuzzer regressions fixed in the math ops (reductions, pointwise, softmax, matmul, norms).

Each program runs in minitorch_ft and torch (see tests/parity/test_fuzz_graphs.py) and must
match: values, grads, grad_fn names, and the error (type and text) when one is raised. The
saved-tensor family: whichever tensors torch's node saves (input and/or result) decide
whether an in-place change of them makes backward raise, so minitorch_ft saves the same ones.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import check_grad, leaf
from tests.parity.test_fuzz_graphs import mismatches

X = "x = T.tensor([[1.0, -2.0, 0.5], [3.0, 0.5, -1.0]], dtype=T.float64, requires_grad=True)"
P = "x = T.tensor([[1.0, 2.0, 0.5], [3.0, 0.5, 1.5]], dtype=T.float64, requires_grad=True)"

# the shrunk fuzzer programs, now passing
FIXED = {
    "amax_output_modified_in_place": [X, "y = x.amax(0)", "y.mul_(2)", "y.sum().backward()"],
    "max_all_output_modified_in_place": [X, "y = x.max()", "y.mul_(2)", "y.backward()"],
    "prod_output_modified_in_place": [X, "y = x.prod()", "y.mul_(2)", "y.backward()"],
    "logsumexp_output_modified_in_place": [
        X,
        "y = x.logsumexp(1)",
        "y.exp_()",
        "y.sum().backward()",
    ],
    "norm_output_modified_in_place": [X, "y = x.norm()", "y.mul_(2)", "y.backward()"],
    "std_input_modified_in_place": [
        X,
        "y = x * 1",
        "s = y.std(0)",
        "y.mul_(2)",
        "s.sum().backward()",
    ],
    "std_output_modified_in_place": [X, "s = x.std(0)", "s.mul_(2)", "s.sum().backward()"],
    "dot_mv_save_input_not_needed": [
        X,
        "y = x * 2",
        "c = T.tensor([3.0, 4.0, 5.0], dtype=T.float64)",
        "z = y @ c",
        "y.mul_(3)",
        "z.sum().backward()",
    ],
    "matmul_1d_2d_result_in_place_grad_fn": [
        "v = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)",
        "m = T.tensor([[1.0], [3.0]], dtype=T.float64)",
        "y = v @ m",
        "y.fill_(0)",
    ],
    "maximum_inf_upstream": [
        "x = T.tensor([-0.9, 0.5], dtype=T.float64, requires_grad=True)",
        "y = T.log(T.maximum(x, T.tensor(0.0, dtype=T.float64)))",
        "y.sum().backward()",
    ],
    "pow_exponent_grad_at_zero_base_negative_exponent": [
        "x = T.tensor([0.0, 1.0], dtype=T.float64)",
        "p = T.tensor([-1.5], dtype=T.float64, requires_grad=True)",
        "(x ** p).sum().backward()",
    ],
    "softmax_0d_nan": [
        "x = T.tensor(float('nan'), dtype=T.float64, requires_grad=True)",
        "y = T.softmax(x, 0)",
        "z = T.log_softmax(x, 0)",
    ],
    "softmax_of_transposed_is_contiguous": [
        X,
        "y = x.mT.softmax(-1)",
        "c = T.tensor(y.is_contiguous())",
        "z = y.contiguous()",
    ],
    "norm_p0_grad_is_none": [X, "y = x.norm(0)", "y.backward()"],
}


@pytest.mark.parametrize("name", list(FIXED))
def test_fixed_regression(name):
    assert not mismatches(FIXED[name])


# ---------------------------------------------------------------- saved tensors, whole family
# ops whose node saves its input and/or its result (both checked by modifying each in place)
SAVING_OPS = [
    "y.exp()",
    "y.sigmoid()",
    "y.tanh()",
    "y.sqrt()",
    "y.rsqrt()",
    "y.log()",
    "y ** 2",
    "y ** -0.5",
    "2 ** y",
    "(y / 4).erfinv()",
    "y.softmax(1)",
    "y.log_softmax(0)",
    "y.max()",
    "y.min()",
    "y.max(1).values",
    "y.min(0, keepdim=True)[0]",
    "y.amax(0)",
    "y.amax((0, 1))",
    "y.amin(1, keepdim=True)",
    "y.amin()",
    "y.prod()",
    "y.prod(0)",
    "y.prod(1, keepdim=True)",
    "y.logsumexp(1)",
    "y.logsumexp((0, 1))",
    "y.logsumexp(0, keepdim=True)",
    "y.norm()",
    "y.norm(1)",
    "y.norm(3, dim=1)",
    "y.norm(float('inf'), dim=0, keepdim=True)",
    "y.std(0)",
    "y.std()",
    "y.std(1, keepdim=True, correction=0)",
    "y.var(0)",
    "y.var()",
    "T.var_mean(y, 0)[0]",
    "T.std_mean(y, 1)[0]",
    "y.cumsum(1)",
    "y.cumprod(1)",
    "y.cummax(1).values",
    "y.cummin(0)[0]",
    "y.median()",
    "y.median(1).values",
    "y.sort(1).values",
    "y.topk(2).values",
    "T.nn.functional.layer_norm(y, (3,))",
    "T.nn.functional.layer_norm(y, (2, 3))",
]


@pytest.mark.parametrize("expr", SAVING_OPS)
@pytest.mark.parametrize("target", ["y", "z"])
def test_in_place_change_of_saved_tensor(expr, target):
    stmts = [P, "y = x * 1", f"z = {expr}", f"{target}.mul_(1.5)", "z.sum().backward()"]
    assert not mismatches(stmts)


X4 = (
    "x = T.tensor([[[1.0, 2.0], [0.5, 3.0]], [[1.5, -1.0], [2.5, 0.2]]], dtype=T.float64, "
    "requires_grad=True)"
)


@pytest.mark.parametrize(
    "expr",
    [
        "T.nn.functional.layer_norm(y, (2,), w, b)",
        "T.nn.functional.group_norm(y, 1)",
        "T.nn.functional.group_norm(y, 2, w, b)",
        "T.nn.functional.batch_norm(y, None, None, training=True)",
        "T.nn.functional.batch_norm(y, None, None, w, b, training=True)",
    ],
)
@pytest.mark.parametrize("target", ["y", "z", "w", "b", None])
def test_norm_layers_save_the_input_not_the_result(expr, target):
    stmts = [
        X4,
        "w = T.tensor([0.5, 2.0], dtype=T.float64, requires_grad=True)",
        "b = T.tensor([0.1, -0.3], dtype=T.float64, requires_grad=True)",
        "y = x * 1",
        f"z = {expr}",
    ]
    if target in ("w", "b"):
        stmts.append(f"with T.no_grad(): {target}.mul_(1.5)")
    elif target:
        stmts.append(f"{target}.mul_(1.5)")
    assert not mismatches([*stmts, "z.sum().backward()"])


VIEW_OPERANDS = ["c @ y.T", "y[0] @ c", "c @ y[1]", "y.T @ d", "T.dot(y[0], c)"]


# With grad_c, y is saved and the error is compared too; only for operands that are no view
# (the text for a saved temporary view, 'output 0 of AsStrided', is not the math ops' doing).
@pytest.mark.parametrize(
    "expr, grad_c",
    [(e, False) for e in ["y @ c", *VIEW_OPERANDS, "T.mv(y, c)"]]
    + [("y @ c", True), ("T.mv(y, c)", True), ("d[:, 0] @ y", True), ("T.dot(c, y.sum(0))", True)],
)
def test_products_save_only_what_the_other_gradient_needs(expr, grad_c):
    rg = ", requires_grad=True" if grad_c else ""
    stmts = [
        X,
        "y = x * 2",
        f"c = T.tensor([3.0, 4.0, 5.0], dtype=T.float64{rg})",
        f"d = T.tensor([[1.0], [-1.0]], dtype=T.float64{rg})",
        f"z = {expr}",
        "y.mul_(3)",
        "z.sum().backward()",
    ]
    assert not mismatches(stmts)


@pytest.mark.parametrize("op", ["fill_(0)", "mul_(2)", "add_(1)", "zero_()"])
@pytest.mark.parametrize("grad_m", [False, True])
def test_vector_matrix_result_is_no_view(op, grad_m):
    rg = ", requires_grad=True" if grad_m else ""
    stmts = [
        "v = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)",
        f"m = T.tensor([[1.0, 0.5, 2.0], [3.0, -1.0, 0.0]], dtype=T.float64{rg})",
        "y = v @ m",
        f"y.{op}",
        "(y * y).sum().backward()",
    ]
    assert not mismatches(stmts)


# ---------------------------------------------------------------- masks, ties, inf and nan
A = "a = T.tensor([-0.9, 0.5, 0.0, 2.0, float('nan'), float('inf'), -float('inf'), 0.5], dtype=T.DT, requires_grad=True)"  # noqa: E501
B = "b = T.tensor([0.0, 0.5, 0.0, -1.0, 1.0, float('inf'), float('nan'), float('nan')], dtype=T.DT, requires_grad=True)"  # noqa: E501
UPSTREAMS = [
    "T.ones(8, dtype=T.DT)",
    "T.full((8,), float('inf'), dtype=T.DT)",
    "T.full((8,), -float('inf'), dtype=T.DT)",
    "T.tensor([1.0, 2.0, -1.0, 0.5, 0.0, 3.0, 1.0, 2.0], dtype=T.DT)",
]


@pytest.mark.parametrize(
    "expr",
    [
        "T.maximum(a, b)",
        "T.minimum(a, b)",
        "T.fmax(a, b)",
        "T.fmin(a, b)",
        "T.max(a, b)",
        "a.clamp(b - 1, b + 1)",
        "a.clamp(min=b)",
        "a.clamp(max=b)",
        "a.clamp(b + 1, b - 1)",
        "T.maximum(a, T.tensor(0.5, dtype=T.DT))",
        "a ** b",
        "b.abs() ** a",
        "0 ** a",
        "0.0 ** b",
        "2 ** a",
        "a ** 0",
        "a ** -1",
        "a ** 0.5",
        "a ** -0.5",
        "a ** -1.5",
    ],
)
@pytest.mark.parametrize("upstream", UPSTREAMS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_pick_and_power_gradients_at_ties_inf_and_nan(expr, upstream, dtype):
    stmts = [A, B, f"y = {expr}", f"y.backward({upstream})"]
    assert not mismatches([s.replace("T.DT", f"T.{dtype}") for s in stmts])


@pytest.mark.parametrize(
    "value",
    ["float('nan')", "float('inf')", "-float('inf')", "2.0", "[[1.0, float('inf')], [0.5, 2.0]]"],
)
@pytest.mark.parametrize(
    "expr",
    [
        "T.softmax(x, 0)",
        "T.log_softmax(x, -1)",
        "x.mT.softmax(-1) if x.dim() == 2 else x.softmax(0)",
        "x.mT.log_softmax(0) if x.dim() == 2 else x.log_softmax(0)",
        "T.nn.functional.softmin(x.mT if x.dim() == 2 else x, 0)",
    ],
)
def test_softmax_0d_non_finite_and_layout(value, expr):
    stmts = [
        f"x = T.tensor({value}, dtype=T.float64, requires_grad=True)",
        f"y = {expr}",
        "c = T.tensor(y.is_contiguous())",
        "z = y.contiguous()",
        "g = T.autograd.grad(y, x, T.ones_like(y) * 1.5)",
    ]
    assert not mismatches(stmts)


def test_median_all_splits_ties_like_torch():
    stmts = [
        "x = T.tensor([[1.0, 1.0, 2.0], [0.5, 1.0, 3.0]], dtype=T.float64, requires_grad=True)",
        "y = x.median()",
        "y.backward()",
    ]
    assert not mismatches(stmts)


@pytest.mark.parametrize(
    "expr", ["x.norm(0)", "x.norm(0, dim=1)", "x.norm(0, dim=0, keepdim=True)"]
)
def test_norm_p0_has_no_gradient(expr):
    assert not mismatches([X, f"y = {expr}", "y.sum().backward()"])


# ---------------------------------------------------------------- plain (no torch) checks
def test_amax_result_modified_in_place_raises():
    x = mt.tensor([[1.0, 3.0], [2.0, 0.0]], requires_grad=True)
    y = x.amax(0)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="output 0 of Amax"):
        y.sum().backward()


def test_var_input_modified_in_place_raises():
    x = mt.tensor([1.0, 2.0, 4.0], requires_grad=True)
    y = x * 1
    v = y.var()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        v.backward()


def test_maximum_splits_ties_and_masks_inf():
    x = mt.tensor([1.0, 2.0, -1.0], requires_grad=True)
    other = mt.tensor([1.0, 0.0, 0.0], requires_grad=True)
    mt.maximum(x, other).backward(mt.tensor([2.0, float("inf"), float("inf")]))
    assert x.grad.tolist() == [1.0, float("inf"), 0.0]
    assert other.grad.tolist() == [1.0, 0.0, float("inf")]


def test_pow_exponent_grad_at_zero_base():
    base = mt.tensor([0.0, 0.0])
    p = mt.tensor([-1.0, 2.0], requires_grad=True)
    (base**p).sum().backward()
    assert p.grad.tolist() == [-float("inf"), 0.0]


def test_softmax_of_0d():
    assert mt.softmax(mt.tensor(float("nan")), 0).isnan().item()
    assert mt.softmax(mt.tensor(3.0), 0).item() == 1.0
    assert mt.log_softmax(mt.tensor(3.0), 0).item() == 0.0


def test_softmax_output_is_contiguous():
    x = mt.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 5.0]]).mT
    assert x.softmax(-1).is_contiguous() and x.log_softmax(0).is_contiguous()


def test_norm_p0_leaves_grad_none():
    x = mt.tensor([1.0, 0.0, 2.0], requires_grad=True)
    y = x.norm(0)
    assert y.item() == 2.0
    y.backward()
    assert x.grad is None


def test_median_all_gradient_is_shared_by_ties():
    x = mt.tensor([1.0, 3.0, 1.0, 0.0], requires_grad=True)
    x.median().backward()
    assert x.grad.tolist() == [0.5, 0.0, 0.5, 0.0]


# ---------------------------------------------------------------- finite differences
@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.std(0),
        lambda t: t.std(),
        lambda t: t.var(1, keepdim=True),
        lambda t: t.amax(1),
        lambda t: t.max(),
        lambda t: t.logsumexp(0),
        lambda t: t.norm(3, dim=1),
        lambda t: t.prod(1),
        lambda t: t.cumprod(0),
        lambda t: t.median(),
        lambda t: t.softmax(0),
        lambda t: t.mT.log_softmax(-1),
        lambda t: (t / 4).erfinv(),
        lambda t: mt.maximum(t, mt.full((3, 4), 0.3, dtype=mt.float64)),
        lambda t: mt.minimum(mt.full((4,), -0.2, dtype=mt.float64), t),
        lambda t: mt.nn.functional.layer_norm(t, (4,)),
        lambda t: mt.nn.functional.group_norm(t.reshape(1, 3, 4), 3),
        lambda t: mt.nn.functional.batch_norm(t, None, None, training=True),
    ],
)
def test_gradcheck(fn):
    check_grad(fn, leaf((3, 4), seed=3))


def test_gradcheck_pow_and_scalar_base():
    base = mt.tensor(np.array([0.5, 1.5, 2.0]), dtype=mt.float64, requires_grad=True)
    exponent = leaf((3,), seed=1)
    check_grad(lambda a, b: a**b, base, exponent)
    check_grad(lambda b: 2.5**b, exponent)
    check_grad(lambda a: a**-0.5, base)
