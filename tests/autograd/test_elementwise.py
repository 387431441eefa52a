"""Pointwise math: gradients (float64 central differences), dtypes, edge values and errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import minitorch_ft as mt
from minitorch_ft.autograd.ops import _kernels
from tests.helpers import assert_not_mutated, check_grad, leaf

SHAPES = [(), (3,), (2, 3)]

# name -> (function, low, high, kinks to stay away from)
UNARY = {
    "exp": (mt.exp, -2, 2, ()),
    "exp2": (mt.exp2, -2, 2, ()),
    "expm1": (mt.expm1, -2, 2, ()),
    "log": (mt.log, 0.2, 3, ()),
    "log2": (mt.log2, 0.2, 3, ()),
    "log10": (mt.log10, 0.2, 3, ()),
    "log1p": (mt.log1p, -0.8, 3, ()),
    "sqrt": (mt.sqrt, 0.2, 3, ()),
    "rsqrt": (mt.rsqrt, 0.2, 3, ()),
    "reciprocal": (mt.reciprocal, 0.3, 3, ()),
    "sigmoid": (mt.sigmoid, -4, 4, ()),
    "tanh": (mt.tanh, -3, 3, ()),
    "erf": (mt.erf, -3, 3, ()),
    "erfc": (mt.erfc, -3, 3, ()),
    "abs": (mt.abs, -2, 2, (0,)),
    "square": (mt.square, -2, 2, ()),
    "sin": (mt.sin, -3, 3, ()),
    "cos": (mt.cos, -3, 3, ()),
    "tan": (mt.tan, -1.2, 1.2, ()),
    "asin": (mt.asin, -0.9, 0.9, ()),
    "acos": (mt.acos, -0.9, 0.9, ()),
    "atan": (mt.atan, -3, 3, ()),
    "sinh": (mt.sinh, -2, 2, ()),
    "cosh": (mt.cosh, -2, 2, ()),
    "asinh": (mt.asinh, -2, 2, ()),
    "acosh": (mt.acosh, 1.2, 3, ()),
    "atanh": (mt.atanh, -0.9, 0.9, ()),
    "logit": (mt.logit, 0.1, 0.9, ()),
    "erfinv": (mt.erfinv, -0.9, 0.9, ()),
    "nan_to_num": (mt.nan_to_num, -2, 2, ()),
    "frac": (mt.frac, -2, 2, (-2, -1, 0, 1, 2)),
    "sign": (mt.sign, -2, 2, (0,)),
    "floor": (mt.floor, -2, 2, (-2, -1, 0, 1, 2)),
    "ceil": (mt.ceil, -2, 2, (-2, -1, 0, 1, 2)),
    "round": (mt.round, -2, 2, (-1.5, -0.5, 0.5, 1.5)),
    "trunc": (mt.trunc, -2, 2, (-2, -1, 0, 1, 2)),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_gradients(name, shape):
    fn, low, high, kinks = UNARY[name]
    x = leaf(shape, seed=len(name), low=low, high=high, away_from=kinks)
    check_grad(fn, x)
    assert_not_mutated(fn, x)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_method_matches_function(name):
    fn = UNARY[name][0]
    x = leaf((4,), seed=1, low=0.3, high=0.9)
    np.testing.assert_array_equal(getattr(x, name)().detach().numpy(), fn(x).detach().numpy())


@pytest.mark.parametrize(
    "name",
    [
        "exp",
        "log",
        "sqrt",
        "sigmoid",
        "tanh",
        "erf",
        "sin",
        "reciprocal",
        "rsqrt",
        "expm1",
        "log1p",
        "atan",
    ],
)
@pytest.mark.parametrize("dtype", [mt.int64, mt.int32, mt.bool])
def test_floating_functions_of_integers_give_float32(name, dtype):
    out = UNARY[name][0](mt.tensor([1, 2, 3]).to(dtype))
    assert out.dtype == mt.float32


def test_float64_stays_float64():
    x = mt.tensor([0.5], dtype=mt.float64)
    assert mt.exp(x).dtype == mt.float64 and mt.erf(x).dtype == mt.float64


@pytest.mark.parametrize("name", ["abs", "sign", "floor", "ceil", "round", "trunc", "square"])
def test_integer_preserving_functions(name):
    out = UNARY[name][0](mt.tensor([1, -2, 3]))
    assert out.dtype == mt.int64
    expected = {"abs": [1, 2, 3], "sign": [1, -1, 1], "square": [1, 4, 9]}
    assert out.tolist() == expected.get(name, [1, -2, 3])


def test_bool_inputs():
    b = mt.tensor([True, False])
    assert mt.sign(b).dtype == mt.bool and mt.sign(b).tolist() == [True, False]
    assert mt.square(b).dtype == mt.int64 and mt.square(b).tolist() == [1, 0]
    with pytest.raises(NotImplementedError, match="\"abs_cpu\" not implemented for 'Bool'"):
        mt.abs(b)
    with pytest.raises(NotImplementedError, match="\"ceil_vml_cpu\" not implemented for 'Bool'"):
        mt.ceil(b)


def test_frac_of_integers_is_an_error():
    with pytest.raises(NotImplementedError, match="\"frac_cpu\" not implemented for 'Long'"):
        mt.frac(mt.tensor([1, 2]))


def test_non_tensor_argument_error():
    with pytest.raises(
        TypeError, match=re.escape("exp(): argument 'input' (position 1) must be Tensor, not float")
    ):
        mt.exp(1.0)


def test_edge_values_match_torch_conventions():
    x = mt.tensor([0.0, -0.0, float("nan"), 2.0])
    assert mt.sign(x).tolist()[:3] == [0.0, 0.0, 0.0]  # sign(nan) is 0 in torch
    assert mt.reciprocal(mt.tensor([0.0, -0.0])).tolist() == [math.inf, -math.inf]
    assert mt.log(mt.tensor([0.0])).tolist() == [-math.inf]
    assert mt.round(mt.tensor([0.5, 1.5, 2.5, -0.5])).tolist() == [0.0, 2.0, 2.0, -0.0]
    assert mt.sigmoid(mt.tensor([-200.0, 200.0])).tolist() == [0.0, 1.0]
    assert mt.sigmoid(mt.tensor([-30.0])).item() == pytest.approx(1 / (1 + math.exp(30)))


def test_abs_and_sqrt_gradients_at_zero():
    x = mt.tensor([0.0, 4.0], requires_grad=True)
    x.abs().sum().backward()
    assert x.grad.tolist() == [0.0, 1.0]
    y = mt.tensor([0.0], requires_grad=True)
    y.sqrt().sum().backward()
    assert y.grad.tolist() == [math.inf]


def test_round_decimals():
    x = mt.tensor([2.5, 3.5, -2.5, 0.125, 1234.5], requires_grad=True)
    out = mt.round(x, decimals=2)
    np.testing.assert_allclose(out.detach().numpy(), [2.5, 3.5, -2.5, 0.12, 1234.5])
    assert out.grad_fn.name() == "RoundBackward1"
    assert mt.round(x).grad_fn.name() == "RoundBackward0"
    assert mt.round(mt.tensor([1234.5]), decimals=-2).tolist() == [1200.0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_erf_accuracy(dtype):
    xs = np.concatenate([np.linspace(-7, 7, 2001), [1e-300, -1e-8, 0.0, 30.0, -30.0]])
    got = _kernels.erf(xs.astype(dtype))
    want = np.array([math.erf(v) for v in xs.astype(dtype).astype(np.float64)])
    tol = 2e-15 if dtype == np.float64 else 2e-7  # float32: within 3 ulp
    np.testing.assert_allclose(got, want, rtol=tol, atol=1e-300)
    got_c = _kernels.erfc(xs.astype(dtype))
    want_c = np.array([math.erfc(v) for v in xs.astype(dtype).astype(np.float64)])
    np.testing.assert_allclose(got_c, want_c, rtol=1e-13 if dtype == np.float64 else 1.2e-7)
    assert np.isnan(_kernels.erf(np.array([np.nan]))).all()
    assert _kernels.erf(np.array([np.inf, -np.inf])).tolist() == [1.0, -1.0]
    assert _kernels.erfc(np.array([np.inf, -np.inf])).tolist() == [0.0, 2.0]


# ----- binary ops with broadcasting ---------------------------------------------------------
PAIRS = [((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 2)), ((2, 3), ())]


@pytest.mark.parametrize("shapes", PAIRS)
def test_maximum_minimum_gradients(shapes):
    a = leaf(shapes[0], seed=1)
    b = leaf(shapes[1], seed=2)
    check_grad(mt.maximum, a, b)
    check_grad(mt.minimum, a, b)
    check_grad(mt.fmax, a, b)
    check_grad(mt.fmin, a, b)


def test_maximum_splits_ties_in_half():
    a = mt.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    b = mt.tensor([0.0, 0.0, 0.0], requires_grad=True)
    mt.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.0, 0.5, 1.0] and b.grad.tolist() == [1.0, 0.5, 0.0]
    a.grad = b.grad = None
    mt.minimum(a, b).sum().backward()
    assert a.grad.tolist() == [1.0, 0.5, 0.0] and b.grad.tolist() == [0.0, 0.5, 1.0]


def test_maximum_nan_and_dtypes():
    y = mt.tensor([1.0, float("nan")])
    assert math.isnan(mt.maximum(y, mt.tensor([2.0, 2.0])).tolist()[1])
    assert mt.fmax(y, mt.tensor([2.0, 2.0])).tolist() == [2.0, 2.0]
    assert mt.maximum(mt.tensor([1, 2]), mt.tensor([1.5, 0.5])).dtype == mt.float32
    assert mt.maximum(mt.tensor([1, 2]), mt.tensor([True, False])).dtype == mt.int64
    with pytest.raises(
        TypeError,
        match=re.escape("maximum(): argument 'other' (position 2) must be Tensor, not int"),
    ):
        mt.maximum(y, 2)


@pytest.mark.parametrize("shapes", PAIRS)
def test_fmod_remainder_atan2_gradients(shapes):
    a = leaf(shapes[0], seed=3, low=-3, high=3)
    b = leaf(shapes[1], seed=4, low=0.7, high=1.3)
    check_grad(mt.fmod, a, b)
    check_grad(mt.remainder, a, b)
    check_grad(mt.atan2, a, b)
    check_grad(lambda x: mt.fmod(x, 1.5), a)
    check_grad(lambda x: mt.remainder(x, -1.5), a)


def test_fmod_and_remainder_values_and_names():
    a = mt.tensor([5.0, -5.0, 3.5])
    b = mt.tensor([-3.0, 3.0, 2.0])
    assert mt.remainder(a, b).tolist() == [-1.0, 1.0, 1.5]
    assert mt.fmod(a, b).tolist() == [2.0, -2.0, 1.5]
    assert (mt.tensor([5, -5]) % 3).tolist() == [2, 1]
    assert (7 % mt.tensor([3, -3])).tolist() == [1, -2]
    assert (mt.tensor([5, -5]) % 2.5).dtype == mt.float32
    x = mt.tensor([1.5], requires_grad=True)
    assert mt.fmod(x, 2).grad_fn.name() == "FmodBackward0"
    assert mt.fmod(x, x).grad_fn.name() == "FmodBackward1"
    assert (x % 2).grad_fn.name() == "RemainderBackward0"
    assert (x % x).grad_fn.name() == "RemainderBackward1"
    out = 2.0 % x
    assert out.grad_fn.name() == "torch::autograd::NotImplemented"
    with pytest.raises(RuntimeError, match="derivative for aten::remainder is not implemented"):
        out.sum().backward()


def test_floor_divide_and_rounded_division():
    a = mt.tensor([7, -7])
    assert (a // 2).tolist() == [3, -4] and (a // 2).dtype == mt.int64
    assert (7 // mt.tensor([2, -2])).tolist() == [3, -4]
    assert (a // 2.0).dtype == mt.float32
    assert mt.div(a, 2, rounding_mode="trunc").tolist() == [3, -3]
    assert mt.div(a, 2, rounding_mode="floor").tolist() == [3, -4]
    assert mt.div(mt.tensor([7.0, -7.5]), 0, rounding_mode="floor").tolist() == [
        math.inf,
        -math.inf,
    ]
    with pytest.raises(RuntimeError, match="^ZeroDivisionError$"):
        a // 0
    with pytest.raises(RuntimeError, match="^ZeroDivisionError$"):
        a % 0
    with pytest.raises(
        RuntimeError, match="rounding_mode to be one of None, 'trunc', or 'floor' but found 'bad'"
    ):
        mt.div(a, 2, rounding_mode="bad")
    x = mt.tensor([1.5, -2.5], requires_grad=True)
    out = mt.div(x, 2.0, rounding_mode="floor")
    assert out.grad_fn.name() == "DivBackward2"
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="derivative for aten::floor_divide is not"):
        (x // 2).sum().backward()


def test_trunc_division_of_integers_is_exact():
    xs, ys = [2**62 + 1, -(2**62) - 1, -7, 7, 6], [3, 3, 2, -2, -3]
    want = [
        abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1) for x, y in zip(xs, ys, strict=True)
    ]
    assert mt.div(mt.tensor(xs), mt.tensor(ys), rounding_mode="trunc").tolist() == want


# ----- clamp --------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES)
def test_clamp_number_bounds_gradient(shape):
    x = leaf(shape, seed=5, away_from=(-0.5, 0.7))
    check_grad(lambda t: mt.clamp(t, -0.5, 0.7), x)
    check_grad(lambda t: t.clamp(min=-0.5), x)
    check_grad(lambda t: t.clip(max=0.7), x)


@pytest.mark.parametrize("shapes", [((3,), (3,)), ((2, 3), (3,)), ((2, 3), (2, 1)), ((), ())])
def test_clamp_tensor_bounds_gradient(shapes):
    x = leaf(shapes[0], seed=6)
    lo = leaf(shapes[1], seed=7, low=-1.5, high=-0.2)
    hi = leaf(shapes[1], seed=8, low=0.2, high=1.5)
    check_grad(lambda a, b, c: mt.clamp(a, b, c), x, lo, hi)
    check_grad(lambda a, b: mt.clamp(a, min=b), x, lo)
    check_grad(lambda a, c: mt.clamp(a, max=c), x, hi)


def test_clamp_boundary_gradients_follow_torch():
    x = mt.tensor([-1.0, 0.0, 1.0, 2.0], requires_grad=True)
    x.clamp(-1, 1).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0, 0.0]  # grad passes where min <= x <= max
    x.grad = None
    x.clamp(2, 1).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 0.0]
    # tensor bounds: values from torch 2.x (lo gets it only when lo < hi)
    a = mt.tensor([-5.0, 5.0, 0.0, -5.0, 5.0, 1.0, 1.0], requires_grad=True)
    lo = mt.tensor([1.0, 1.0, 1.0, 2.5, 2.5, 1.0, 3.0], requires_grad=True)
    hi = mt.tensor([1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0], requires_grad=True)
    out = mt.clamp(a, lo, hi)
    assert out.tolist() == [1.0, 1.0, 1.0, 2.0, 2.0, 1.0, 2.0]
    out.sum().backward()
    assert a.grad.tolist() == [0, 0, 0, 0, 0, 1, 0]
    assert lo.grad.tolist() == [0, 0, 1, 0, 0, 0, 0]
    assert hi.grad.tolist() == [0, 1, 0, 1, 1, 0, 1]


def test_clamp_names_dtypes_and_errors():
    x = mt.tensor([1.5], requires_grad=True)
    assert x.clamp(0, 1).grad_fn.name() == "ClampBackward1"
    assert x.clamp(min=mt.tensor(0.0)).grad_fn.name() == "ClampBackward0"
    assert mt.clamp_min(x, 0).grad_fn.name() == "ClampMinBackward0"
    assert mt.clamp_max(x, mt.tensor(0.0)).grad_fn.name() == "ClampMaxBackward1"
    i = mt.tensor([1, -2, 3])
    assert i.clamp(0, 2).dtype == mt.int64 and i.clamp(0, 2).tolist() == [1, 0, 2]
    assert i.clamp(0.5).dtype == mt.float32
    assert mt.tensor([1.0, 2.0]).clamp(mt.tensor([[0.0], [3.0]])).shape == (2, 2)
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        x.clamp()
    nan = mt.tensor([float("nan")]).clamp(0, 1)
    assert math.isnan(nan.item())


# ----- where, lerp, addcmul, addcdiv -------------------------------------------------------
@pytest.mark.parametrize("shapes", PAIRS)
def test_where_gradient(shapes):
    a = leaf(shapes[0], seed=9)
    b = leaf(shapes[1], seed=10)
    cond = mt.tensor(np.random.default_rng(0).random(np.broadcast_shapes(*shapes)) > 0.5)
    check_grad(lambda x, y: mt.where(cond, x, y), a, b)
    check_grad(lambda x: mt.where(cond, x, 0.0), a)
    check_grad(lambda y: mt.where(cond, 1.5, y), b)


def test_where_dtypes_and_errors():
    c = mt.tensor([True, False, True])
    i = mt.tensor([1, 2, 3])
    assert mt.where(c, i, 2.5).dtype == mt.float32
    assert mt.where(c, 1, 2).dtype == mt.int64
    assert mt.where(c, 1, 2.5).tolist() == [1.0, 2.5, 1.0]
    assert mt.where(c, i.float(), i.double()).dtype == mt.float64
    assert [t.tolist() for t in mt.where(c)] == [[0, 2]]
    assert i.where(c, 0).tolist() == [1, 0, 3]
    with pytest.raises(
        RuntimeError,
        match="where expected condition to be a boolean tensor, but got a tensor with dtype Float",
    ):
        mt.where(i.float(), i, i)
    x = mt.tensor([1.0], requires_grad=True)
    assert mt.where(mt.tensor([True]), x, 0.0).grad_fn.name() == "WhereBackward0"


@pytest.mark.parametrize("shapes", PAIRS)
def test_lerp_addcmul_addcdiv_gradients(shapes):
    a = leaf(shapes[0], seed=11)
    b = leaf(shapes[1], seed=12)
    w = leaf(shapes[1], seed=13, low=0, high=1)
    d = leaf(shapes[0], seed=14, low=0.5, high=2)
    check_grad(lambda x, y: mt.lerp(x, y, 0.3), a, b)
    check_grad(lambda x, y: mt.lerp(x, y, 0.8), a, b)
    check_grad(lambda x, y, z: mt.lerp(x, y, z), a, b, w)
    check_grad(lambda x, y, z: mt.addcmul(x, y, z, value=0.5), a, b, w)
    check_grad(lambda x, y, z: mt.addcdiv(x, y, z, value=-2), a, b, d)


def test_lerp_is_exact_at_the_ends_and_checks_dtypes():
    a, b = mt.tensor([1.0, 2.0]), mt.tensor([3.0, 5.0])
    assert mt.lerp(a, b, 1.0).tolist() == [3.0, 5.0] and mt.lerp(a, b, 0.0).tolist() == [1, 2]
    with pytest.raises(RuntimeError, match="expected dtype float for `end` but got dtype double"):
        mt.lerp(a, b.double(), 0.5)
    with pytest.raises(RuntimeError, match="Integer division with addcdiv is no longer"):
        mt.addcdiv(a, mt.tensor([1, 2]), mt.tensor([1, 2]))


# ----- shapes, broadcasting, errors --------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
def test_binary_ops_broadcast_like_numpy(shapes):
    a_shape, b_shape = shapes.input_shapes
    a = mt.tensor(np.random.default_rng(0).standard_normal(a_shape))
    b = mt.tensor(np.random.default_rng(1).standard_normal(b_shape))
    for fn in (mt.maximum, mt.minimum, mt.atan2, mt.fmod, lambda x, y: mt.where(x > 0, x, y)):
        assert fn(a, b).shape == shapes.result_shape


def test_broadcast_error_text():
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "The size of tensor a (2) must match the size of tensor b (3) at non-singleton "
            "dimension 0"
        ),
    ):
        mt.maximum(mt.zeros(2), mt.zeros(3))
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
        ),
    ):
        mt.where(mt.ones(2, 3) > 0, mt.ones(2, 3), mt.ones(4))


def test_no_numpy_warnings_for_inf_and_nan(recwarn):
    mt.log(mt.tensor([0.0, -1.0]))
    mt.sqrt(mt.tensor([-1.0]))
    mt.exp(mt.tensor([1000.0]))
    mt.tensor([1.0]) // 0.0
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_positive_and_abs_operator():
    x = mt.tensor([-1.5, 2.0])
    assert mt.positive(x) is x
    assert abs(x).tolist() == [1.5, 2.0]
    with pytest.raises(RuntimeError, match="The `\\+` operator, on a bool tensor"):
        mt.positive(mt.tensor([True]))


def test_promotion_and_kernel_errors_follow_torch():
    half = mt.tensor([1.0, 2.0], dtype=mt.float16)
    assert mt.atan2(mt.tensor([1, 2]), half).dtype == mt.float16
    assert mt.atan2(mt.tensor([1, 2]), mt.tensor([2, 1])).dtype == mt.float32
    with pytest.raises(NotImplementedError, match="\"fmod_cpu\" not implemented for 'Bool'"):
        mt.fmod(mt.tensor([True]), True)
    with pytest.raises(NotImplementedError, match='"remainder_cpu" not implemented for'):
        mt.remainder(mt.tensor([True]), mt.tensor([True]))
    with pytest.raises(NotImplementedError, match='"clamp_min_scalar_cpu" not implemented'):
        mt.clamp(mt.tensor([True]), min=True)
    with pytest.raises(RuntimeError, match="expected dtype long int for `end` but got dtype int"):
        mt.lerp(mt.tensor([1, 2]), mt.tensor([1, 2], dtype=mt.int32), 0.5)
    with pytest.raises(
        NotImplementedError, match="\"lerp_kernel_scalar\" not implemented for 'Long'"
    ):
        mt.lerp(mt.tensor([1, 2]), mt.tensor([1, 2]), 0.5)


@pytest.mark.parametrize("shapes", PAIRS)
def test_special_binary_gradients(shapes):
    a = leaf(shapes[0], seed=15, low=-2, high=2)
    b = leaf(shapes[1], seed=16, low=0.3, high=2)
    check_grad(mt.xlogy, a, b)
    check_grad(mt.logaddexp, a, b)
    check_grad(mt.hypot, a, b)
    check_grad(lambda x: mt.logit(x.sigmoid(), eps=0.2), a)


def test_erfinv_inverts_erf():
    y = np.linspace(-0.999999, 0.999999, 2001)
    x = mt.erfinv(mt.tensor(y, dtype=mt.float64)).numpy()
    np.testing.assert_allclose([math.erf(v) for v in x], y, rtol=1e-14, atol=1e-15)
    edge = mt.erfinv(mt.tensor([1.0, -1.0, 1.5, 0.0])).tolist()
    assert edge[:2] == [math.inf, -math.inf] and math.isnan(edge[2]) and edge[3] == 0.0
    assert mt.erfinv(mt.tensor([0, 1])).dtype == mt.float32


def test_special_values():
    assert mt.xlogy(mt.tensor([0.0, 2.0]), mt.tensor([0.0, 3.0])).tolist()[0] == 0.0
    assert math.isnan(mt.xlogy(mt.tensor([0.0]), mt.tensor([float("nan")])).item())
    assert mt.xlogy(mt.tensor([2]), 3).dtype == mt.float32
    big = mt.logaddexp(mt.tensor([1000.0]), mt.tensor([1000.0])).item()
    assert big == pytest.approx(1000 + math.log(2))
    out = mt.nan_to_num(mt.tensor([float("nan"), float("inf"), -float("inf"), 1.0]))
    assert out.tolist() == [0.0, 3.4028234663852886e38, -3.4028234663852886e38, 1.0]
    assert mt.nan_to_num(mt.tensor([float("nan"), float("inf")]), nan=1.0, posinf=5.0).tolist() == [
        1.0,
        5.0,
    ]
    assert mt.logit(mt.tensor([0.0, 1.0])).tolist() == [-math.inf, math.inf]
