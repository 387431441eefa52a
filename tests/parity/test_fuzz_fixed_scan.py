"""Fuzzer regressions fixed in sorting/scan/selection/arithmetic: 0-d inputs of the dim ops,
sort's stable overload, cummax/cummin layout and empty dims, logcumsumexp, ties of
maximum/minimum/fmax/fmin in the promoted dtype, clamp's mixed bounds, pow's bool exponent.
Each program runs in both libraries."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd import gradcheck
from tests.parity.test_fuzz_graphs import X, mismatches

Z = "x = T.tensor(0.5, dtype=T.float64, requires_grad=True)"
E = "x = T.zeros((2, 0), dtype=T.float64, requires_grad=True)"
XT = "x = T.tensor([[1.0, -2.0], [0.5, 3.0], [0.5, -1.0]], dtype=T.float64, requires_grad=True).t()"
X32 = "x = T.tensor([[1.4, 0.3, 0.1], [3.0, 0.5, -1.0]], dtype=T.float32, requires_grad=True)"
W64 = "w = T.tensor([0.3, 0.1, 0.7], dtype=T.float64, requires_grad=True)"
LAYOUT = ["c = T.tensor(y.is_contiguous())", "z = y.reshape(-1)", "z.sum().backward()"]

PROGRAMS = {
    # the shrunk examples
    "dim_ops_of_0d_grad_fn": [
        Z,
        "a = x.sort().values",
        "b = x.topk(1).values",
        "c = x.kthvalue(1).values",
        "d = x.cummax(0).values",
        "e = x.cumprod(0)",
        "f = x.median(0).values",
    ],
    "topk_k0_of_0d": [Z, "y = x.topk(0).values"],
    "sort_stable_grad_fn": [X, "y = T.sort(x, dim=1, stable=True).values"],
    "cummax_values_not_contiguous": [X, "y = x.cummax(0).values", *LAYOUT[:1]],
    "cummax_cummin_empty_dim": [E, "y = x.cummin(-1).values"],
    "logcumsumexp_missing": [X, "y = x.logcumsumexp(1)", "z = T.logcumsumexp(x, dim=0)"],
    "minimum_tie_mixed_dtype": [
        "x = T.tensor([1.4, 0.3], dtype=T.float32, requires_grad=True)",
        "w = T.tensor(0.3, dtype=T.float64, requires_grad=True)",
        "y = T.minimum(x, w)",
        "y.sum().backward()",
    ],
    "clamp_tensor_and_number_bounds": [X, "y = x.clamp(min=x, max=1)"],
    "pow_bool_exponent_backward": [X, "y = x ** T.tensor(True)", "y.sum().backward()"],
    # 0-d: every dim op records its own node, indices are 0-d, backward passes the gradient
    "0d_all_dim_ops": [
        Z,
        "a = x.sort(0, descending=True)",
        "b = x.msort()",
        "c = x.topk(1, -1, largest=False)",
        "d = x.kthvalue(1, 0, keepdim=True)",
        "e = x.median(-1, keepdim=True)",
        "f = x.mode(0)",
        "g = x.cummin(-1)",
        "h = x.cumsum(0)",
        "i = x.logcumsumexp(0)",
        "j = x.nanmedian(0)",
        "k = T.sort(x, stable=True)",
        "(a.values + b + c.values + d.values + e.values + f.values + g.values + h + i"
        " + j.values + k.values).backward()",
    ],
    "0d_topk_k0_backward": [Z, "y = x.topk(0)", "y.values.backward()"],
    "0d_cummax_bad_dim": [Z, "y = x.cummax(1)"],
    "0d_cummin_bad_dim": [Z, "y = x.cummin(-2)"],
    # layouts: the running ops give contiguous results, sort/argsort keep the input's layout
    "cummin_dim0_layout": [X, "y = x.cummin(0).values", *LAYOUT],
    "cummax_indices_layout": [X, "y = x.cummax(0).indices", "c = T.tensor(y.is_contiguous())"],
    "cumsum_of_transposed": [XT, "y = x.cumsum(1)", *LAYOUT],
    "cumprod_of_transposed": [XT, "y = x.cumprod(0)", *LAYOUT],
    "logcumsumexp_of_transposed": [XT, "y = x.logcumsumexp(1)", *LAYOUT],
    "cummax_of_transposed": [XT, "y = x.cummax(1).values", *LAYOUT],
    "sort_of_transposed": [XT, "y = x.sort(1).values", *LAYOUT],
    "sort_indices_of_transposed": [XT, "y = x.sort(0).indices", "c = T.tensor(y.is_contiguous())"],
    "argsort_of_transposed": [XT, "y = x.argsort(1)", "c = T.tensor(y.is_contiguous())"],
    "topk_of_transposed": [XT, "y = x.topk(2, 1).values", *LAYOUT],
    # empty dims
    "cummax_empty_dim_backward": [E, "y = x.cummax(1)", "y.values.sum().backward()"],
    "cummin_empty_other_dim": [E, "y = x.cummin(0).values", "y.sum().backward()"],
    "logcumsumexp_empty": [E, "y = x.logcumsumexp(1)", "y.sum().backward()"],
    "median_of_empty": [E, "y = x.median()", "y.backward()"],
    "nanmedian_of_empty": [E, "y = x.nanmedian()", "y.backward()"],
    "nanmedian_empty_dim_error": [E, "y = x.nanmedian(1)"],
    # sort's overloads: any `stable=` keyword selects SortBackward1
    "sort_stable_false": [X, "y = x.sort(dim=0, stable=False).values", "y.sum().backward()"],
    "sort_stable_descending": [
        X,
        "y = T.sort(x, stable=True, descending=True, dim=-1)",
        "(y.values * T.arange(3.0, dtype=T.float64)).sum().backward()",
    ],
    "sort_positional_descending": [X, "y = T.sort(x, 0, True).values"],
    "nanmedian_grad_fn": [X, "y = x.nanmedian(1).values", "z = x.nanmedian()"],
    # logcumsumexp: values, gradients with signed upstream, float32, errors
    "logcumsumexp_backward": [
        X,
        "y = x.logcumsumexp(0)",
        "(y * T.tensor([[1.0, -2.0, 0.5], [3.0, 1.0, -1.0]], dtype=T.float64)).sum().backward()",
    ],
    "logcumsumexp_large_values": [
        "x = T.tensor([1000.0, -1000.0, 3.0, 1000.0], dtype=T.float64, requires_grad=True)",
        "y = T.logcumsumexp(x, 0)",
        "(y * T.tensor([1.0, -2.0, 3.0, 0.5], dtype=T.float64)).sum().backward()",
    ],
    "logcumsumexp_infinities": [
        "x = T.tensor([[1.0, float('inf'), 2.0], [float('-inf'), float('-inf'), 0.0]],"
        " dtype=T.float64, requires_grad=True)",
        "y = x.logcumsumexp(1)",
        "y.sum().backward()",
    ],
    "logcumsumexp_float32": [X32, "y = x.logcumsumexp(-1)", "y.sum().backward()"],
    "logcumsumexp_int_error": ["x = T.tensor([1, 2])", "y = x.logcumsumexp(0)"],
    "logcumsumexp_bool_error": ["x = T.tensor([True])", "y = T.logcumsumexp(x, 0)"],
    "logcumsumexp_bad_dim": [X, "y = x.logcumsumexp(2)"],
    "logcumsumexp_then_in_place": [X, "y = x.logcumsumexp(1)", "y.mul_(2)", "y.sum().backward()"],
    # ties in the promoted dtype: maximum/minimum split, fmax/fmin give all to the first
    **{
        f"{fn}_tie_mixed_dtype_{order}": [
            X32,
            W64,
            f"y = T.{fn}({order})",
            "y.sum().backward()",
        ]
        for fn in ("maximum", "minimum", "fmax", "fmin", "max", "min")
        for order in ("x, w", "w, x")
    },
    "minimum_tie_0d_mixed": [
        "x = T.tensor(0.3, dtype=T.float32, requires_grad=True)",
        "w = T.tensor(0.3, dtype=T.float64, requires_grad=True)",
        "y = x.minimum(w)",
        "y.backward()",
    ],
    "maximum_int_other": [X32, "y = T.maximum(x, T.tensor([0, 3, 1]))", "y.sum().backward()"],
    "clamp_tensor_bounds_mixed_dtype": [X32, W64, "y = x.clamp(w, w + 1)", "y.sum().backward()"],
    # clamp/clip: a tensor bound next to a number is torch's TypeError
    "clamp_function_mixed_bounds": [X, "y = T.clamp(x, min=0, max=x)"],
    "clip_method_mixed_bounds": [X, "y = x.clip(min=x, max=0.5)"],
    "clip_function_mixed_bounds": [X, "y = T.clip(x, min=x, max=1)"],
    "clamp_method_bool_bound": [X, "y = x.clamp(min=x, max=True)"],
    "clamp_one_tensor_bound": [X, "y = x.clamp(min=T.tensor(0.0), max=None)", "y.sum().backward()"],
    "clip_numbers": [X, "y = x.clip(-1, 1)", "y.sum().backward()"],
    # pow with a bool exponent tensor: torch's backward computes exponent - 1
    "pow_bool_vector_exponent": [
        X,
        "y = T.pow(x, T.tensor([True, False, True]))",
        "y.sum().backward()",
    ],
    "pow_bool_exponent_in_place": [X, "y = x * 1", "y.pow_(T.tensor(False))", "y.sum().backward()"],
    "pow_bool_exponent_no_grad": [X, "y = x.detach() ** T.tensor(True)"],
    "pow_int_exponent_backward": [X, "y = x ** T.tensor([1, 0, 2])", "y.sum().backward()"],
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program_matches_torch(name):
    assert not mismatches(PROGRAMS[name])


# ------------------------------------------------------------------ without torch as oracle
def test_0d_dim_ops_record_their_own_nodes():
    x = mt.tensor(0.5, dtype=mt.float64, requires_grad=True)
    names = {
        "SortBackward0": x.sort().values,
        "SortBackward1": x.sort(stable=True).values,
        "TopkBackward0": x.topk(0).values,
        "KthvalueBackward0": x.kthvalue(1).values,
        "MedianBackward1": x.median(0).values,
        "ModeBackward0": x.mode().values,
        "CummaxBackward0": x.cummax(0).values,
        "CumminBackward0": x.cummin(-1).values,
        "CumprodBackward0": x.cumprod(0),
        "LogcumsumexpBackward0": x.logcumsumexp(0),
    }
    for name, y in names.items():
        assert y.grad_fn.name() == name
        assert y.shape == () and y.item() == 0.5
    mt.autograd.backward(list(names.values()))
    assert x.grad.item() == len(names)


def test_cummax_empty_dim_and_layout():
    y = mt.zeros((2, 0), dtype=mt.float64).cummax(1)
    assert y.values.shape == (2, 0) and y.indices.dtype == mt.int64
    x = mt.tensor([[1.0, 3.0], [2.0, 0.0]], requires_grad=True)
    out = x.cummax(0)
    assert out.values.is_contiguous() and out.indices.is_contiguous()
    assert out.values.tolist() == [[1.0, 3.0], [2.0, 3.0]]
    assert out.indices.tolist() == [[0, 0], [1, 0]]


def test_logcumsumexp_values_and_gradcheck():
    x = mt.tensor([0.0, 0.0, math.log(2.0)], dtype=mt.float64, requires_grad=True)
    y = mt.logcumsumexp(x, 0)
    np.testing.assert_allclose(y.detach().numpy(), np.log([1.0, 2.0, 4.0]))
    y.sum().backward()
    # d/dx_i sum_j out_j = sum_{j>=i} exp(x_i - out_j): 1 + 1/2 + 1/4, 1/2 + 1/4, 2/4
    np.testing.assert_allclose(x.grad.numpy(), [1.75, 0.75, 0.5])
    big = mt.tensor([1000.0, 1000.0], dtype=mt.float64, requires_grad=True)
    np.testing.assert_allclose(big.logcumsumexp(0).detach().numpy(), [1000.0, 1000 + math.log(2)])
    rng = np.random.default_rng(0)
    a = mt.tensor(rng.normal(size=(3, 4)), dtype=mt.float64, requires_grad=True)
    w = mt.tensor(rng.normal(size=(3, 4)), dtype=mt.float64)
    for dim in (0, 1, -1):
        assert gradcheck(lambda t, d=dim: (t.logcumsumexp(d) * w).sum(), (a,), eps=1e-6, atol=1e-6)


def test_maximum_tie_after_promotion_splits_gradient():
    x = mt.tensor([0.3], dtype=mt.float32, requires_grad=True)
    w = mt.tensor(0.3, dtype=mt.float64, requires_grad=True)  # 0-d: the result is float32
    mt.maximum(x, w).sum().backward()
    assert x.grad.tolist() == [0.5] and w.grad.item() == 0.5


def test_clamp_mixed_bounds_type_error():
    x = mt.ones(2)
    with pytest.raises(TypeError, match=r"^clamp\(\) received an invalid combination"):
        x.clamp(min=mt.zeros(2), max=1.0)
    with pytest.raises(TypeError, match=r"got \(Tensor, max=float, min=Tensor\)"):
        mt.clamp(x, min=mt.zeros(2), max=1.0)


def test_pow_bool_exponent_backward_raises():
    x = mt.ones(2, requires_grad=True)
    y = x ** mt.tensor(True)
    assert y.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        y.sum().backward()
