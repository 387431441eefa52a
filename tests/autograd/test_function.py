"""User-defined ops with `autograd.Function`, written exactly as PyTorch's docs write them."""

from __future__ import annotations

import re

import numpy as np
import pytest

import minitorch_ft as torch  # the examples below are PyTorch's, unchanged
from tests.helpers import check_grad, leaf


class MyReLU(torch.autograd.Function):
    """PyTorch's tutorial example."""

    @staticmethod
    def forward(ctx, input):  # noqa: A002 - the tutorial's name
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors  # noqa: A001
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):  # noqa: A002
        ctx.save_for_backward(input)
        return 0.5 * (5 * input**3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors  # noqa: A001
        return grad_output * 1.5 * (5 * input**2 - 1)


class Exp(torch.autograd.Function):
    """Saves its own output, as in PyTorch's docs."""

    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


class MulConstant(torch.autograd.Function):
    """A non-tensor argument gets a None gradient."""

    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class LinearFn(torch.autograd.Function):
    """Checks needs_input_grad before computing each gradient, like PyTorch's LinearFunction."""

    seen: list = []

    @staticmethod
    def forward(ctx, input, weight):  # noqa: A002
        ctx.save_for_backward(input, weight)
        return input.mm(weight.t())

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors  # noqa: A001
        LinearFn.seen.append(ctx.needs_input_grad)
        grad_input = grad_weight = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        return grad_input, grad_weight


class ScaleSetup(torch.autograd.Function):
    """PyTorch 2.x style: forward without ctx, then setup_context."""

    @staticmethod
    def forward(x, k):
        return x * k

    @staticmethod
    def setup_context(ctx, inputs, output):
        _, ctx.k = inputs

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.k, None


class WithIndex(torch.autograd.Function):
    """Two outputs, one marked non-differentiable (like sort's indices)."""

    @staticmethod
    def forward(ctx, x):
        marker = (x * 0).long()
        ctx.mark_non_differentiable(marker)
        return x * 2, marker

    @staticmethod
    def backward(ctx, grad, grad_marker):
        assert not grad_marker.numpy().any()  # materialized zeros, as in torch
        return grad * 2


def test_myrelu_runs_unchanged():
    x = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    y = MyReLU.apply(x)
    assert type(y.grad_fn).__name__ == "MyReLUBackward"
    assert repr(y) == "tensor([0., 2., 0., 4.], grad_fn=<MyReLUBackward>)"
    (y * y).backward(torch.ones(4))
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 4.0, 0.0, 8.0])


@pytest.mark.parametrize(
    "fn",
    [
        LegendrePolynomial3.apply,
        Exp.apply,
        lambda x: MulConstant.apply(x, 3.0),
        lambda x: ScaleSetup.apply(x, -2.0),
    ],
)
def test_functions_pass_gradcheck(fn):
    check_grad(fn, leaf((3, 2), seed=1))


def test_needs_input_grad_skips_frozen_gradients():
    LinearFn.seen.clear()
    x = torch.randn(4, 3)
    w = torch.randn(2, 3, requires_grad=True)
    out = LinearFn.apply(x, w)
    out.backward(torch.ones(4, 2))
    assert LinearFn.seen == [(False, True)]
    assert x.grad is None
    np.testing.assert_allclose(w.grad.numpy(), np.ones((2, 4)) @ x.numpy(), rtol=1e-6)


def test_ctx_attributes_and_saved_tensors_are_freed():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = MulConstant.apply(x, 4.0)
    assert y.grad_fn.constant == 4.0
    z = Exp.apply(x)
    (saved,) = z.grad_fn.saved_tensors
    np.testing.assert_allclose(saved.numpy(), np.exp([1.0, 2.0]), rtol=1e-6)
    z.backward(torch.ones(2))
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second"):
        z.grad_fn.saved_tensors  # noqa: B018


def test_nothing_recorded_without_grad():
    assert LegendrePolynomial3.apply(torch.ones(2)).grad_fn is None
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        y = LegendrePolynomial3.apply(x)
    assert y.grad_fn is None and not y.requires_grad


def test_function_inside_a_graph():
    x = torch.tensor([0.5, -1.5], requires_grad=True)
    y = LegendrePolynomial3.apply(x * 2) * 3
    y.backward(torch.ones(2))
    expected = 3 * 1.5 * (5 * (2 * np.array([0.5, -1.5])) ** 2 - 1) * 2
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)
    inner = y.grad_fn.next_functions[0][0]
    assert type(inner).__name__ == "LegendrePolynomial3Backward"
    assert type(inner.next_functions[0][0]).__name__ == "MulBackward0"


def test_mark_non_differentiable():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y, marker = WithIndex.apply(x)
    assert y.requires_grad and not marker.requires_grad
    y.backward(torch.ones(2))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


def test_wrong_number_of_gradients():
    class TooFew(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad

    a = torch.ones(2, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "function TooFewBackward returned an incorrect number of gradients (expected 2, got 1)"
        ),
    ):
        TooFew.apply(a, a).backward(torch.ones(2))


def test_gradient_of_wrong_shape():
    class BadShape(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return torch.ones(3)

    a = torch.ones(2, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "Function BadShapeBackward returned an invalid gradient at index 0 - got [3] but "
            "expected shape compatible with [2]"
        ),
    ):
        BadShape.apply(a).backward(torch.ones(2))


def test_modifying_a_saved_input_in_place_is_caught():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = LegendrePolynomial3.apply(h)
    h.add_(1)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "[torch.FloatTensor [2]], which is output 0 of Add, is at version 1; expected "
            "version 0 instead."
        ),
    ):
        y.backward(torch.ones(2))


class AddOneInPlace(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad


def test_mark_dirty_rebases_the_input():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    c = AddOneInPlace.apply(b)
    assert c is b and b.tolist() == [2.0, 3.0]
    assert re.fullmatch(
        r"<torch\.autograd\.function\.AddOneInPlaceBackward object at "
        r"0x[0-9a-f]+>",
        repr(b.grad_fn),
    )
    c.backward(torch.ones(2))
    assert a.grad.tolist() == [1.0, 1.0]
    with pytest.raises(
        RuntimeError,
        match="a leaf Variable that requires grad has been used in an in-place operation.",
    ):
        AddOneInPlace.apply(a)
    plain = torch.tensor([1.0])
    assert AddOneInPlace.apply(plain) is plain and plain.tolist() == [2.0]
