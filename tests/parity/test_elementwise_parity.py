"""Pointwise math against torch: values, dtypes, grad_fn names and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import compare, torch


def arr(shape, seed=0, low=-2.0, high=2.0, dtype=np.float32):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(dtype)


# name -> (call on a library module and tensors, input low, input high)
UNARY = {
    "exp": (lambda L, x: L.exp(x), -3, 3),
    "exp2": (lambda L, x: L.exp2(x), -3, 3),
    "expm1": (lambda L, x: L.expm1(x), -3, 3),
    "log": (lambda L, x: L.log(x), 0.1, 5),
    "log2": (lambda L, x: L.log2(x), 0.1, 5),
    "log10": (lambda L, x: L.log10(x), 0.1, 5),
    "log1p": (lambda L, x: L.log1p(x), -0.9, 5),
    "sqrt": (lambda L, x: L.sqrt(x), 0.1, 5),
    "rsqrt": (lambda L, x: L.rsqrt(x), 0.1, 5),
    "reciprocal": (lambda L, x: L.reciprocal(x), 0.2, 5),
    "sigmoid": (lambda L, x: L.sigmoid(x), -8, 8),
    "tanh": (lambda L, x: L.tanh(x), -4, 4),
    "erf": (lambda L, x: L.erf(x), -3, 3),
    "erfc": (lambda L, x: L.erfc(x), -3, 3),
    "abs": (lambda L, x: L.abs(x), -3, 3),
    "square": (lambda L, x: L.square(x), -3, 3),
    "sin": (lambda L, x: L.sin(x), -3, 3),
    "cos": (lambda L, x: L.cos(x), -3, 3),
    "tan": (lambda L, x: L.tan(x), -1.2, 1.2),
    "asin": (lambda L, x: L.asin(x), -0.9, 0.9),
    "acos": (lambda L, x: L.acos(x), -0.9, 0.9),
    "atan": (lambda L, x: L.atan(x), -3, 3),
    "sinh": (lambda L, x: L.sinh(x), -3, 3),
    "cosh": (lambda L, x: L.cosh(x), -3, 3),
    "sign": (lambda L, x: L.sign(x), -3, 3),
    "floor": (lambda L, x: L.floor(x), -3, 3),
    "ceil": (lambda L, x: L.ceil(x), -3, 3),
    "round": (lambda L, x: L.round(x), -3, 3),
    "round_dec": (lambda L, x: L.round(x, decimals=1), -3, 3),
    "trunc": (lambda L, x: L.trunc(x), -3, 3),
    "frac": (lambda L, x: L.frac(x), -3, 3),
    "asinh": (lambda L, x: L.asinh(x), -3, 3),
    "acosh": (lambda L, x: L.acosh(x), 1.1, 4),
    "atanh": (lambda L, x: L.atanh(x), -0.9, 0.9),
    "logit": (lambda L, x: L.logit(x), 0.05, 0.95),
    "logit_eps": (lambda L, x: L.logit(x, eps=0.2), 0.05, 0.95),
    "erfinv": (lambda L, x: L.erfinv(x), -0.95, 0.95),
    "nan_to_num": (lambda L, x: L.nan_to_num(L.log(x)), -1, 3),
    "neg_method": (lambda L, x: x.exp().sigmoid().log1p(), -3, 3),
    "abs_op": (lambda L, x: abs(x), -3, 3),
}


@pytest.mark.parametrize("shape", [(), (2, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name, dtype, shape):
    fn, low, high = UNARY[name]
    compare(lambda x: fn(mt, x), lambda x: fn(torch, x), arr(shape, 1, low, high, dtype))


@pytest.mark.parametrize(
    "name",
    [
        "exp",
        "log",
        "sqrt",
        "sigmoid",
        "tanh",
        "erf",
        "abs",
        "sign",
        "floor",
        "round",
        "square",
        "reciprocal",
        "sin",
    ],
)
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_unary_integer_inputs(name, dtype):
    if dtype == np.bool_ and name in ("abs", "floor", "round"):
        pytest.skip("torch has no bool kernel for it")
    fn = UNARY[name][0]
    values = np.array([1, 0, 3, 2]).astype(dtype)
    compare(lambda x: fn(mt, x), lambda x: fn(torch, x), values)


PAIRS = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (3,)), ((3,), ())]

BINARY = {
    "maximum": lambda L, a, b: L.maximum(a, b),
    "minimum": lambda L, a, b: L.minimum(a, b),
    "fmax": lambda L, a, b: L.fmax(a, b),
    "fmin": lambda L, a, b: L.fmin(a, b),
    "atan2": lambda L, a, b: L.atan2(a, b),
    "fmod": lambda L, a, b: L.fmod(a, b + 3),
    "remainder": lambda L, a, b: L.remainder(a, b - 3),
    "mod_op": lambda L, a, b: a % (b + 3),
    "fmod_scalar": lambda L, a, b: L.fmod(a * b, 1.5),
    "remainder_scalar": lambda L, a, b: L.remainder(a * b, -1.5),
    "where": lambda L, a, b: L.where(a > b, a, b * 2),
    "where_scalar": lambda L, a, b: L.where(a > 0, a * b, 0.5),
    "lerp": lambda L, a, b: L.lerp(a, b, 0.3),
    "lerp_high": lambda L, a, b: L.lerp(a, b, 0.7),
    "lerp_tensor": lambda L, a, b: L.lerp(a, b, L.sigmoid(b)),
    "addcmul": lambda L, a, b: L.addcmul(a, b, b, value=0.5),
    "addcdiv": lambda L, a, b: L.addcdiv(a, b, b * b + 1, value=-2),
    "clamp_tensor": lambda L, a, b: L.clamp(a, b - 1, b + 0.5),
    "clamp_min_tensor": lambda L, a, b: L.clamp(a, min=b),
    "clamp_max_tensor": lambda L, a, b: a.clamp(max=b),
    "clamp_min_fn": lambda L, a, b: L.clamp_min(a * b, 0.2),
    "clamp_max_fn": lambda L, a, b: L.clamp_max(a, b),
    "xlogy": lambda L, a, b: L.xlogy(a, b.abs() + 0.1),
    "logaddexp": lambda L, a, b: L.logaddexp(a * 100, b),
    "hypot": lambda L, a, b: L.hypot(a, b),
    "div_floor": lambda L, a, b: L.div(a, b + 3, rounding_mode="floor"),
    "div_trunc": lambda L, a, b: L.div(a, b + 3, rounding_mode="trunc"),
}


@pytest.mark.parametrize("shapes", PAIRS)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary(name, shapes):
    fn = BINARY[name]
    if name.startswith("lerp") and shapes[0] != np.broadcast_shapes(*shapes):
        pytest.skip("torch's lerp needs input at the broadcast shape for backward")
    compare(
        lambda a, b: fn(mt, a, b),
        lambda a, b: fn(torch, a, b),
        arr(shapes[0], 2),
        arr(shapes[1], 3),
    )


def test_ties_and_boundaries():
    a = np.array([-1.0, 0.0, 1.0, 2.0, 0.5], dtype=np.float32)
    b = np.array([0.0, 0.0, 1.0, 1.0, 0.5], dtype=np.float32)
    for fn in (
        lambda L, x, y: L.maximum(x, y),
        lambda L, x, y: L.minimum(x, y),
        lambda L, x, y: L.clamp(x, -1.0, 1.0) + y,
        lambda L, x, y: L.clamp(x, y, y + 1),
        lambda L, x, y: L.clamp(x, y + 1, y),
        lambda L, x, y: L.abs(x) * y,
        lambda L, x, y: L.fmax(x, y),
    ):
        compare(lambda x, y, fn=fn: fn(mt, x, y), lambda x, y, fn=fn: fn(torch, x, y), a, b)


@pytest.mark.parametrize(
    "values,other",
    [
        (np.array([7, -7, 5, -5]), 2),
        (np.array([7, -7, 5, -5]), 2.5),
        (np.array([7, -7, 5, -5]), np.array([2, 2, -3, -3])),
        (np.array([7.5, -7.5, 5.0, -5.0], dtype=np.float32), -2),
        (np.array([7, -7, 5, -5], dtype=np.int32), 3),
    ],
)
def test_integer_division_family(values, other):
    for fn in (
        lambda L, a, b: a // b,
        lambda L, a, b: a % b,
        lambda L, a, b: L.fmod(a, b),
        lambda L, a, b: L.remainder(a, b),
        lambda L, a, b: L.floor_divide(a, b),
        lambda L, a, b: L.div(a, b, rounding_mode="trunc"),
        lambda L, a, b: L.div(a, b, rounding_mode="floor"),
    ):
        if isinstance(other, np.ndarray):
            compare(
                lambda a, b, fn=fn: fn(mt, a, b),
                lambda a, b, fn=fn: fn(torch, a, b),
                values,
                other,
                requires_grad=False,
            )
        else:
            compare(
                lambda a, fn=fn: fn(mt, a, other),
                lambda a, fn=fn: fn(torch, a, other),
                values,
                requires_grad=False,
            )


@pytest.mark.parametrize("args", [(0.5, None), (None, 0.5), (-0.5, 0.5), (1, 3), (2.5, 1.0)])
@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_clamp_numbers(args, dtype):
    values = (np.array([-2, -1, 0, 1, 2, 3]) * (0.7 if dtype == np.float32 else 1)).astype(dtype)
    compare(lambda x: x.clamp(*args), lambda x: x.clamp(*args), values)


@pytest.mark.parametrize("cond_other", [(1, 2.5), (1, 2), (2.5, "int"), ("f64", "f32")])
def test_where_promotion(cond_other):
    cond = np.array([True, False, True])
    ints = np.array([1, 2, 3])

    def pick(L, c, i, spec):
        if spec == "int":
            return i
        if spec == "f64":
            return i.to(L.float64)
        if spec == "f32":
            return i.to(L.float32)
        return spec

    a, b = cond_other
    compare(
        lambda c, i: mt.where(c, pick(mt, c, i, a), pick(mt, c, i, b)),
        lambda c, i: torch.where(c, pick(torch, c, i, a), pick(torch, c, i, b)),
        cond,
        ints,
    )


def test_grad_fn_names_of_non_differentiable_paths():
    x = np.array([1.5, -2.5], dtype=np.float32)
    out_mt = 2.0 % mt.tensor(x, requires_grad=True)
    out_th = 2.0 % torch.tensor(x, requires_grad=True)
    assert out_mt.grad_fn.name() == out_th.grad_fn.name()
    np.testing.assert_allclose(out_mt.detach().numpy(), out_th.detach().numpy(), rtol=1e-6)
    out_mt = mt.tensor(x, requires_grad=True) // 2
    out_th = torch.tensor(x, requires_grad=True) // 2
    assert out_mt.grad_fn.name() == out_th.grad_fn.name()
    assert repr(out_mt.grad_fn).split(" object")[0] == repr(out_th.grad_fn).split(" object")[0]
