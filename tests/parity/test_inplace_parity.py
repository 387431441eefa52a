"""In-place ops against torch: recorded graphs, gradients, versions, dtype rules and errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import compare, torch

# Each call gets a non-leaf `y` (so the op is recorded) and another tensor `w` requiring grad.
CALLS = {
    "add_": lambda y, w: y.add_(w),
    "add_alpha": lambda y, w: y.add_(w, alpha=-0.5),
    "add_scalar": lambda y, w: y.add_(2.5),
    "sub_": lambda y, w: y.sub_(w, alpha=2),
    "mul_": lambda y, w: y.mul_(w),
    "mul_scalar": lambda y, w: y.mul_(-3),
    "div_": lambda y, w: y.div_(w.abs() + 1),
    "pow_": lambda y, w: y.pow_(3),
    "exp_": lambda y, w: y.exp_(),
    "sqrt_": lambda y, w: y.abs_().sqrt_(),
    "neg_": lambda y, w: y.neg_(),
    "sigmoid_": lambda y, w: y.sigmoid_(),
    "tanh_": lambda y, w: y.tanh_(),
    "relu_": lambda y, w: y.relu_(),
    "clamp_": lambda y, w: y.clamp_(-0.5, 0.5),
    "clamp_min_": lambda y, w: y.clamp_(min=w),
    "addcmul_": lambda y, w: y.addcmul_(w, w, value=2),
    "addcdiv_": lambda y, w: y.addcdiv_(w, w * w + 1, value=-1),
    "lerp_": lambda y, w: y.lerp_(w, 0.25),
    "copy_": lambda y, w: y.copy_(w),
    "zero_": lambda y, w: y.zero_(),
    "fill_": lambda y, w: y.fill_(1.5),
    "fill_tensor": lambda y, w: y.fill_(w.sum()),
    "iadd": lambda y, w: y.__iadd__(w),
    "imul": lambda y, w: y.__imul__(w),
    "chain": lambda y, w: y.mul_(w).add_(1).div_(2).tanh_(),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_recorded_in_place(name):
    call = CALLS[name]

    def run(x, w):
        y = x * 1.5
        out = call(y, w)
        assert out is y
        return y

    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, (2, 3)).astype(np.float32)
    w = rng.uniform(-2, 2, (3,)).astype(np.float32)
    compare(run, run, x, w)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_version_counts_match(name):
    call = CALLS[name]
    ym, wm = mt.ones(2, 3) * 2, mt.ones(3)
    yt, wt = torch.ones(2, 3) * 2, torch.ones(3)
    call(ym, wm)
    call(yt, wt)
    assert ym._version == yt._version


def test_other_operand_pulls_in_a_plain_tensor():
    def run(w):
        e = w.detach() * 0  # a tensor outside the graph
        e.add_(w * 2)
        return e

    compare(run, run, np.array([1.0, -2.0], dtype=np.float32))


@pytest.mark.parametrize(
    "make,call",
    [
        (lambda L: L.tensor([1, 2]), lambda t: t.add_(1.5)),
        (lambda L: L.tensor([1, 2]), lambda t: t.div_(2)),
        (lambda L: L.tensor([1, 2]), lambda t: t.exp_()),
        (lambda L: L.tensor([True, False]), lambda t: t.add_(1)),
        (lambda L: L.zeros(3), lambda t: t.add_(L_ones(t, (2, 3)))),
        (lambda L: L.zeros(3), lambda t: t.copy_(L_ones(t, (2,)))),
    ],
)
def test_errors_match(make, call):
    errors = []
    for lib in (mt, torch):
        with pytest.raises(RuntimeError) as info:
            call(make(lib))
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def L_ones(t, shape):  # noqa: N802 - ones from the tensor's own library
    return (mt if isinstance(t, mt.Tensor) else torch).ones(*shape)


def test_leaf_error_matches():
    errors = []
    for lib in (mt, torch):
        w = lib.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError) as info:
            w.mul_(2)
        errors.append(str(info.value))
        with lib.no_grad():
            w.mul_(2)
        assert w.is_leaf and w.grad_fn is None
    assert errors[0] == errors[1]


def test_saved_tensor_modified_raises_in_both():
    for lib in (mt, torch):
        x = lib.tensor([0.5, -1.0], requires_grad=True)
        y = x.exp()
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
        z = x * 1
        z.exp_()
        z.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


@pytest.mark.parametrize(
    "call",
    [
        lambda y, w: y[0].mul_(w),
        lambda y, w: y[:, 1].add_(w[:2]),
        lambda y, w: y.t().exp_(),
        lambda y, w: y[:, 1:].clamp_(-0.5, 0.5),
        lambda y, w: y[1].copy_(w),
        lambda y, w: y.view(6)[2:5].sigmoid_(),
    ],
)
def test_in_place_through_views(call):
    def run(x, w):
        y = x * 1.5
        call(y, w)
        return y

    rng = np.random.default_rng(2)
    compare(
        run,
        run,
        rng.uniform(-2, 2, (2, 3)).astype(np.float32),
        rng.uniform(-2, 2, (3,)).astype(np.float32),
    )
