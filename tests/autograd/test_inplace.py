"""In-place ops: shared storage, version counter, leaf rules, recording, dtype and shape errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import check_grad, leaf

LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
MODIFIED = "modified by an inplace operation"

# name -> (call, expected values for x = [1, 2, 4])
ARITH = {
    "add_": (lambda t: t.add_(2), [3, 4, 6]),
    "add_alpha": (lambda t: t.add_(mt.tensor([1.0, 1.0, 1.0]), alpha=-2), [-1, 0, 2]),
    "sub_": (lambda t: t.sub_(1), [0, 1, 3]),
    "sub_alpha": (lambda t: t.sub_(mt.tensor(1.0), alpha=0.5), [0.5, 1.5, 3.5]),
    "mul_": (lambda t: t.mul_(mt.tensor([2.0, 3.0, 0.5])), [2, 6, 2]),
    "div_": (lambda t: t.div_(2), [0.5, 1, 2]),
    "div_floor": (lambda t: t.div_(3, rounding_mode="floor"), [0, 0, 1]),
    "pow_": (lambda t: t.pow_(2), [1, 4, 16]),
    "neg_": (lambda t: t.neg_(), [-1, -2, -4]),
    "exp_": (lambda t: t.exp_(), list(np.exp([1.0, 2.0, 4.0]))),
    "sqrt_": (lambda t: t.sqrt_(), [1, 2**0.5, 2]),
    "sigmoid_": (lambda t: t.sigmoid_(), list(1 / (1 + np.exp([-1.0, -2.0, -4.0])))),
    "tanh_": (lambda t: t.tanh_(), list(np.tanh([1.0, 2.0, 4.0]))),
    "clamp_": (lambda t: t.clamp_(1.5, 3), [1.5, 2, 3]),
    "clamp_tensor": (lambda t: t.clamp_(max=mt.tensor([0.0, 5.0, 5.0])), [0, 2, 4]),
    "clip_": (lambda t: t.clip_(min=2), [2, 2, 4]),
    "zero_": (lambda t: t.zero_(), [0, 0, 0]),
    "fill_": (lambda t: t.fill_(7), [7, 7, 7]),
    "fill_tensor": (lambda t: t.fill_(mt.tensor(-1.0)), [-1, -1, -1]),
    "copy_": (lambda t: t.copy_(mt.tensor([9, 8, 7])), [9, 8, 7]),
    "copy_broadcast": (lambda t: t.copy_(mt.tensor(5.0)), [5, 5, 5]),
    "addcmul_": (lambda t: t.addcmul_(mt.ones(3), mt.full((3,), 2.0), value=0.5), [2, 3, 5]),
    "addcdiv_": (lambda t: t.addcdiv_(mt.ones(3), mt.full((3,), 2.0), value=2), [2, 3, 5]),
    "lerp_": (lambda t: t.lerp_(mt.zeros(3), 0.5), [0.5, 1, 2]),
    "relu_": (lambda t: t.relu_(), [1, 2, 4]),
    "abs_": (lambda t: t.abs_(), [1, 2, 4]),
    "iadd": (lambda t: t.__iadd__(1), [2, 3, 5]),
    "isub": (lambda t: t.__isub__(mt.ones(3)), [0, 1, 3]),
    "imul": (lambda t: t.__imul__(3), [3, 6, 12]),
    "itruediv": (lambda t: t.__itruediv__(4), [0.25, 0.5, 1]),
}


@pytest.mark.parametrize("name", sorted(ARITH))
def test_writes_into_the_same_array_and_bumps_the_version(name):
    call, expected = ARITH[name]
    x = mt.tensor([1.0, 2.0, 4.0])
    array, view = x._data, x.view(3)
    out = call(x)
    assert out is x and x._data is array
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(view.numpy(), expected, rtol=1e-6)  # views see the change
    assert x._version == 1 and view._version == 1
    assert x.grad_fn is None and not x.requires_grad


def test_python_operators_keep_identity():
    x = mt.tensor([1.0, 2.0])
    y = x
    y += 1
    y *= 2
    y -= 1
    y /= 3
    assert y is x and x._version == 4
    np.testing.assert_allclose(x.numpy(), [1.0, 5 / 3], rtol=1e-6)
    i = mt.tensor([7, -7])
    i //= 2
    assert i.tolist() == [3, -4]
    i %= 3
    assert i.tolist() == [0, 2]


@pytest.mark.parametrize("name", sorted(ARITH))
def test_leaf_requiring_grad_refuses_in_grad_mode_but_not_under_no_grad(name):
    call, expected = ARITH[name]
    w = mt.tensor([1.0, 2.0, 4.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=f"^{re.escape(LEAF_ERROR)}$"):
        call(w)
    assert w._version == 0 and w.tolist() == [1.0, 2.0, 4.0]
    with mt.no_grad():
        call(w)
    np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-6)
    assert w.is_leaf and w.requires_grad and w.grad_fn is None


RECORDED = {
    "add_": (lambda t, w: t.add_(w), "AddBackward0"),
    "add_alpha": (lambda t, w: t.add_(w, alpha=3), "AddBackward0"),
    "sub_": (lambda t, w: t.sub_(w, alpha=2), "SubBackward0"),
    "mul_": (lambda t, w: t.mul_(w), "MulBackward0"),
    "div_": (lambda t, w: t.div_(w + 3), "DivBackward0"),
    "pow_": (lambda t, w: t.pow_(2), "PowBackward0"),
    "pow_tensor": (lambda t, w: t.abs_().pow_(w), "PowBackward1"),
    "exp_": (lambda t, w: t.mul_(w).exp_(), "ExpBackward0"),
    "sqrt_": (lambda t, w: t.abs_().sqrt_(), "SqrtBackward0"),
    "neg_": (lambda t, w: t.neg_(), "NegBackward0"),
    "sigmoid_": (lambda t, w: t.sigmoid_(), "SigmoidBackward0"),
    "tanh_": (lambda t, w: t.tanh_(), "TanhBackward0"),
    "relu_": (lambda t, w: t.relu_(), "ReluBackward0"),
    "clamp_": (lambda t, w: t.clamp_(-0.5, 0.5), "ClampBackward1"),
    "clamp_tensor": (lambda t, w: t.clamp_(min=w - 5, max=w), "ClampBackward0"),
    "addcmul_": (lambda t, w: t.addcmul_(w, w, value=0.5), "AddcmulBackward0"),
    "addcdiv_": (lambda t, w: t.addcdiv_(w, w * w + 1), "AddcdivBackward0"),
    "lerp_": (lambda t, w: t.lerp_(w, 0.3), "LerpBackward0"),
    "copy_": (lambda t, w: t.copy_(w * 2), "torch::autograd::CopyBackwards"),
    "fill_tensor": (lambda t, w: t.fill_(w.sum()), "FillBackward3"),
    "iadd": (lambda t, w: t.__iadd__(w), "AddBackward0"),
    "imul": (lambda t, w: t.__imul__(w), "MulBackward0"),
}


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_in_place_ops_have_torch_names_and_correct_gradients(name):
    call, grad_fn = RECORDED[name]
    x = leaf((2, 3), seed=1, low=-2, high=2, away_from=(-0.5, 0.5, 0.0))
    w = leaf((3,), seed=2, low=0.5, high=1.5)

    def fn(a, b):
        y = a * 1.5  # a non-leaf, so the in-place op is allowed and recorded
        out = call(y, b)
        assert out is y
        if mt.is_grad_enabled():  # gradcheck's numerical pass runs under no_grad
            assert y.grad_fn.name() == grad_fn
        return y

    check_grad(fn, x, w)


def test_other_operand_requiring_grad_pulls_self_into_the_graph():
    w = mt.tensor(2.0, requires_grad=True)
    e = mt.zeros(3)
    e.add_(w)
    assert not e.is_leaf and e.requires_grad and e.grad_fn.name() == "AddBackward0"
    e.sum().backward()
    assert w.grad.item() == 3.0


def test_mul_in_place_uses_the_old_value_for_the_other_gradient():
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    w = mt.tensor([3.0, 5.0], requires_grad=True)
    y = x * 1
    y.mul_(w)
    y.mul_(w)  # y = x * w^2
    y.sum().backward()
    assert x.grad.tolist() == [9.0, 25.0] and w.grad.tolist() == [6.0, 20.0]


def test_zero_fill_and_random_fills_cut_the_gradient():
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    names = {
        "zero_": "ZeroBackward0",
        "fill_": "FillBackward2",
        "uniform_": "UniformBackward0",
        "normal_": "NormalBackward0",
    }
    for method, node in names.items():
        y = x * 2
        getattr(y, method)(*((3.0,) if method == "fill_" else ()))
        assert y.grad_fn.name() == node
        (y * 1).sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]
        x.grad = None


# ----- the version counter catches stale saved values ---------------------------------------
def test_modifying_a_saved_output_makes_backward_raise():
    x = mt.tensor([0.5, -1.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.sum().backward()
    s = x.sigmoid()
    z = s * 1
    s.mul_(2)
    with pytest.raises(RuntimeError, match=MODIFIED):
        z.sum().backward()


def test_modifying_a_saved_input_makes_backward_raise():
    x = mt.tensor([0.5, -1.0], requires_grad=True)
    w = mt.tensor([2.0, 3.0], requires_grad=True)
    h = x * 1
    y = h * w  # saves h for w's gradient
    h.add_(1)
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.sum().backward()
    y = x * w
    x.detach().zero_()  # detach shares the version counter, as in torch
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.sum().backward()


def test_in_place_op_whose_result_is_saved_is_tracked():
    x = mt.tensor([0.5, -1.0], requires_grad=True)
    y = x * 1
    y.exp_()  # ExpBackward0 saves its result: y itself
    y.add_(1)
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.sum().backward()


def test_unsaved_input_may_be_modified():
    x = mt.tensor([0.5, -1.0], requires_grad=True)
    y = x * 1
    z = y.exp()  # exp saves its output, not y
    y.add_(1)
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.5, -1.0]), rtol=1e-6)


def test_no_grad_in_place_records_nothing():
    w = mt.tensor([1.0, 2.0], requires_grad=True)
    y = w * 2
    node = y.grad_fn
    with mt.no_grad():
        y.add_(1)
        y.mul_(w)
    assert y.grad_fn is node and y._version == 2


# ----- dtype and shape rules -------------------------------------------------------------
@pytest.mark.parametrize(
    "call,result",
    [
        (lambda t: t.add_(1.5), "Float"),
        (lambda t: t.div_(2), "Float"),
        (lambda t: t.exp_(), "Float"),
        (lambda t: t.sqrt_(), "Float"),
        (lambda t: t.mul_(mt.tensor([0.5, 0.5])), "Float"),
        (lambda t: t.clamp_(0.5), "Float"),
        (lambda t: t.__iadd__(0.5), "Float"),
        (lambda t: t.sigmoid_(), "Float"),
    ],
)
def test_result_that_does_not_fit_the_dtype_is_an_error(call, result):
    i = mt.tensor([1, 2])
    with pytest.raises(
        RuntimeError, match=f"^result type {result} can't be cast to the desired output type Long$"
    ):
        call(i)
    assert i.tolist() == [1, 2] and i._version == 0


def test_dtype_is_kept():
    f = mt.tensor([1.0, 2.0])
    f.add_(mt.tensor([1.0, 1.0], dtype=mt.float64)).add_(mt.tensor([1, 1]))
    assert f.dtype == mt.float32 and f.tolist() == [3.0, 4.0]
    i = mt.tensor([1, 2])
    i.add_(1).mul_(3)
    assert i.dtype == mt.int64 and i.tolist() == [6, 9]
    with pytest.raises(
        RuntimeError, match="result type Long can't be cast to the desired output type Bool"
    ):
        mt.tensor([True]).add_(1)
    assert mt.tensor([1, 2]).fill_(1.7).tolist() == [1, 1]
    assert mt.tensor([1, 2]).copy_(mt.tensor([2.9, -2.9])).tolist() == [2, -2]


def test_shape_errors():
    with pytest.raises(
        RuntimeError,
        match=re.escape("output with shape [3] doesn't match the broadcast shape [2, 3]"),
    ):
        mt.zeros(3).add_(mt.ones(2, 3))
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "The size of tensor a (3) must match the size of tensor b (2) at non-singleton "
            "dimension 0"
        ),
    ):
        mt.zeros(3).copy_(mt.ones(2))
    with pytest.raises(
        RuntimeError,
        match="more than one element of the written-to tensor refers to a single memory location",
    ):
        mt.ones(3).expand(2, 3).add_(1)
    with pytest.raises(
        RuntimeError,
        match="fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions.",
    ):
        mt.zeros(3).fill_(mt.ones(2))
    assert mt.zeros(2, 3).add_(mt.ones(3)).tolist() == [[1.0] * 3] * 2


# ----- random fills -----------------------------------------------------------------------
def test_uniform_and_normal_fill_in_place():
    x = mt.zeros(20000)
    array = x._data
    x.uniform_(-2, 3)
    assert x._data is array and x._version == 1
    values = x.numpy()
    assert values.min() >= -2 and values.max() < 3 and abs(values.mean() - 0.5) < 0.05
    x.normal_(1.0, 0.5)
    assert abs(x.numpy().mean() - 1.0) < 0.02 and abs(x.numpy().std() - 0.5) < 0.02
    t = mt.zeros(3, 4).t()  # non-contiguous
    t.normal_()
    assert t.numpy().std() > 0
    assert mt.zeros(2, dtype=mt.float64).uniform_().dtype == mt.float64


def test_random_fills_follow_the_generator():
    a = mt.zeros(5).uniform_(generator=mt.Generator().manual_seed(4))
    b = mt.zeros(5).uniform_(generator=mt.Generator().manual_seed(4))
    assert a.tolist() == b.tolist()
    mt.manual_seed(7)
    c = mt.zeros(5).normal_()
    mt.manual_seed(7)
    assert mt.zeros(5).normal_().tolist() == c.tolist()
    p = mt.zeros(1000).bernoulli_(0.25)
    assert set(p.tolist()) <= {0.0, 1.0} and 150 < p.sum().item() < 350


def test_random_fill_errors():
    with pytest.raises(
        RuntimeError,
        match=re.escape("uniform_ expects to return a [from, to) range, but found from=2 > to=1"),
    ):
        mt.zeros(2).uniform_(2, 1)
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0, but found std -1"):
        mt.zeros(2).normal_(0, -1)
    with pytest.raises(
        NotImplementedError, match="\"check_uniform_bounds\" not implemented for 'Long'"
    ):
        mt.zeros(2, dtype=mt.int64).uniform_()
    with pytest.raises(RuntimeError, match=re.escape(LEAF_ERROR)):
        mt.zeros(2, requires_grad=True).normal_()


def test_integer_and_bool_corner_cases():
    i = mt.tensor([1, -2])
    assert i.round_().tolist() == [1, -2] and i.floor_().dtype == mt.int64
    assert i._version == 2
    with pytest.raises(NotImplementedError, match="\"fmod_cpu\" not implemented for 'Bool'"):
        mt.tensor([True]).fmod_(True)
    with pytest.raises(
        RuntimeError, match="result type Long can't be cast to the desired output type Bool"
    ):
        mt.tensor([True]).square_()
    with pytest.raises(
        TypeError,
        match=re.escape("addcmul_(): argument 'tensor1' (position 1) must be Tensor, not int"),
    ):
        mt.ones(2).addcmul_(2, mt.ones(2))


# ----- in-place through views ------------------------------------------------------------
VIEW_CALLS = {
    "row_mul": lambda y, w: y[0].mul_(w),
    "column_add": lambda y, w: y[:, 1].add_(w[:2]),
    "transpose_exp": lambda y, w: y.t().exp_(),
    "slice_clamp": lambda y, w: y[:, 1:].clamp_(-0.5, 0.5),
    "view_relu": lambda y, w: y.view(6).relu_(),
}


@pytest.mark.parametrize("name", sorted(VIEW_CALLS))
def test_in_place_through_a_view_rewrites_the_base_history(name):
    x = leaf((2, 3), seed=3, away_from=(-0.5, 0.5, 0.0))
    w = leaf((3,), seed=4)

    def fn(a, b):
        y = a * 2
        VIEW_CALLS[name](y, b)
        if mt.is_grad_enabled():
            assert y.grad_fn.name() == "torch::autograd::CopySlices"
        return y

    check_grad(fn, x, w)


def test_view_of_a_leaf_refuses_in_place_ops():
    w = mt.ones(2, 3, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match="^a view of a leaf Variable that requires grad is "
        "being used in an in-place operation.$",
    ):
        w[0].mul_(2)
    with mt.no_grad():
        w[0].mul_(2)
    assert w.tolist()[0] == [2.0, 2.0, 2.0] and w.is_leaf


def test_writing_a_grad_tensor_into_a_view_of_a_plain_tensor():
    w = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    e = mt.zeros(2, 3)
    e[1].add_(w)
    assert e.requires_grad and e.grad_fn.name() == "torch::autograd::CopySlices"
    (e * 2).sum().backward()
    assert w.grad.tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize(
    "name,args,want",
    [
        ("acos_", (), [math.pi / 2, 0.0]),
        ("logit_", (), [0.0, math.inf]),
        ("eq_", (mt.tensor([0.0, 0.0]),), [1.0, 0.0]),
        ("xlogy_", (2.0,), [0.0, math.log(2)]),
        ("nan_to_num_", (), [0.0, 1.0]),
        ("frac_", (), [0.0, 0.0]),
        ("negative_", (), [0.0, -1.0]),
    ],
)
def test_less_common_in_place_forms(name, args, want):
    x = mt.tensor([0.0, 1.0]) if name != "logit_" else mt.tensor([0.5, 1.0])
    out = getattr(x, name)(*args)
    assert out is x and x._version == 1
    np.testing.assert_allclose(x.numpy(), want, rtol=1e-6)


def test_in_place_bitwise_operators_and_top_level_functions():
    m = mt.tensor([True, False, True])
    m &= mt.tensor([True, True, False])
    m |= mt.tensor([False, True, False])
    m ^= mt.tensor([True, True, True])
    assert m.tolist() == [False, False, True]
    for name in ("exp_", "clamp_", "sigmoid_", "zero_", "fill_", "relu_", "erfinv_"):
        assert hasattr(mt, name) or name == "erfinv_"
    x = mt.zeros(2)
    assert mt.exp_(x) is x and x.tolist() == [1.0, 1.0]
    assert mt.clamp_(x, max=0.5) is x and x.tolist() == [0.5, 0.5]
    with pytest.raises(
        RuntimeError, match="result type Float can't be cast to the desired output type Long"
    ):
        mt.tensor([1, 2]).acos_()


def test_view_taken_before_base_changes_in_place_gets_the_new_gradient():
    x = mt.ones(4, requires_grad=True)
    y = x * 1
    v = y[:2]
    y.mul_(3)  # v now reads 3x, so d(sum v)/dx is 3 on its elements
    v.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3, 3, 0, 0])
    assert v.grad_fn.name() == "AsStridedBackward0"


def test_retained_grad_follows_a_setitem_and_a_refreshed_view():
    x = mt.ones(2, 3, requires_grad=True)
    y = x * 3
    y.retain_grad()
    y[0] = 5.0  # y's retained .grad is the gradient of the new value
    (y * y).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [[10, 10, 10], [6, 6, 6]])

    x = mt.ones(2, 3, requires_grad=True)
    y = x * 3
    v = y[0]
    v.retain_grad()
    y.mul_(2)  # v is refreshed onto y's new history and keeps retaining
    (v * v).sum().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [12, 12, 12])
