"""Fuzzer regressions fixed in the autograd core (retain_grad, version errors, in-place
overlap, copy_ errors, split outputs), with variants; each program runs in both libraries."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.test_fuzz_graphs import X, mismatches

W = "w = T.ones(2, 3, dtype=T.float64, requires_grad=True)"

PROGRAMS = {
    # retain_grad follows the tensor through in-place ops (torch moves the retains_grad hook)
    "retain_grad_then_in_place": [
        X,
        "y = x * 1",
        "y.retain_grad()",
        "y.add_(y)",
        "y.sum().backward()",
    ],
    "retain_grad_then_in_place_through_view": [
        X,
        "y = x * 1",
        "y.retain_grad()",
        "y.T.mul_(3)",
        "y.sum().backward()",
    ],
    "retain_grad_two_in_place": [
        X,
        "y = x * 1",
        "y.retain_grad()",
        "y.mul_(2)",
        "y.add_(1)",
        "(y * 3).sum().backward()",
    ],
    "retain_grad_base_view_in_place": [
        X,
        "y = x * 1",
        "y.retain_grad()",
        "y[0].mul_(2)",
        "(y * 3).sum().backward()",
    ],
    "retain_grad_view_in_place": [
        X,
        "y = x * 1",
        "v = y[0]",
        "v.retain_grad()",
        "v.mul_(2)",
        "(v * 3).sum().backward()",
    ],
    "retain_grad_then_t_": [
        X,
        "y = x * 1",
        "y.retain_grad()",
        "y.t_()",
        "(y * 3).sum().backward()",
    ],
    "retain_grad_with_autograd_grad": [
        X,
        "y = x * 2",
        "y.retain_grad()",
        "gs = T.autograd.grad(y.sum(), [x])",
    ],
    "retain_grad_input_of_autograd_grad": [
        X,
        "y = x * 2",
        "y.retain_grad()",
        "z = y * 3",
        "gs = T.autograd.grad(z.sum(), [y])",
    ],
    "retain_grad_not_reached_by_autograd_grad": [
        X,
        "y = x * 2",
        "y.retain_grad()",
        "z = y * 3",
        "w = z * 2",
        "gs = T.autograd.grad(w.sum(), [z])",
    ],
    "retain_grad_autograd_grad_twice": [
        X,
        "y = x * 2",
        "y.retain_grad()",
        "z = y * 3",
        "gs = T.autograd.grad(z.sum(), [x], retain_graph=True)",
        "gs = T.autograd.grad(z.sum(), [x])",
    ],
    "retain_grad_backward_inputs_itself": [
        X,
        "y = x * 2",
        "y.retain_grad()",
        "z = y * 3",
        "z.sum().backward(inputs=[y])",
    ],
    "retain_grad_backward_inputs_leaf": [
        X,
        "y = x * 2",
        "y.retain_grad()",
        "z = y * 3",
        "z.sum().backward(inputs=[x])",
    ],
    # the version error names the tensor's grad_fn with torch's overload digit
    "version_error_names_overload": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y.clamp_(min=0)",
        "z.sum().backward()",
    ],
    "version_error_clamp_tensor_bound": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y.clamp_(min=T.tensor(0.0, dtype=T.float64))",
        "z.sum().backward()",
    ],
    "version_error_fill2": [X, "y = x * 2", W, "z = y * w", "y.fill_(2)", "z.sum().backward()"],
    "version_error_fill3": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y.fill_(T.tensor(2.0, dtype=T.float64))",
        "z.sum().backward()",
    ],
    "version_error_pow1": [X, "y = x * 2", W, "z = y * w", "y.pow_(2)", "z.sum().backward()"],
    "version_error_div2": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y.div_(2, rounding_mode='floor')",
        "z.sum().backward()",
    ],
    "version_error_lerp1": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y.lerp_(w, w * 0.5)",
        "z.sum().backward()",
    ],
    "version_error_t1_current_shape": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y.t_()",
        "z.sum().backward()",
    ],
    "version_error_unsqueeze1": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y.unsqueeze_(0)",
        "z.sum().backward()",
    ],
    "version_error_copy_slices": [
        X,
        "y = x * 2",
        W,
        "z = y * w",
        "y[0].mul_(2)",
        "z.sum().backward()",
    ],
    "version_error_saved_output": [X, "y = x.exp()", "y.mul_(2)", "y.sum().backward()"],
    # torch's partial-overlap check, before the shape check; full overlap is allowed
    "in_place_with_overlapping_argument": [X, "y = x * 1", "y[0, 1:].mul_(y[0])"],
    "overlap_same_shape_shifted": [X, "y = x * 1", "y[0, 1:].mul_(y[0, :2])"],
    "overlap_full_allowed": [X, "y = x * 1", "y.mul_(y)", "y.sum().backward()"],
    "overlap_disjoint_rows_allowed": [X, "y = x * 1", "y[1:].add_(y[:-1])", "y.sum().backward()"],
    "overlap_transposed_square": [
        "x = T.ones(3, 3, dtype=T.float64, requires_grad=True)",
        "y = x * 1",
        "y.add_(y.t())",
    ],
    "overlap_element_of_row": [X, "y = x * 1", "y[0].add_(y[0, 0])"],
    "overlap_flat_view": [X, "y = x * 1", "y.add_(y.view(6))"],
    "overlap_no_grad": [X, "y = x.detach().clone()", "y[0].sub_(y.view(-1)[1:4])"],
    "overlap_clamp_bound": [X, "y = x * 1", "y[0].clamp_(max=y.view(-1)[1:4])"],
    "overlap_addcmul": [X, "y = x * 1", "y[0].addcmul_(y.view(-1)[1:4], y[1])"],
    "overlap_copy": [X, "y = x * 1", "y[0].copy_(y.view(-1)[1:4])"],
    "overlap_fill_value_allowed": [X, "y = x * 1", "y[0].fill_(y[0, 1])"],
    "overlap_view_of_leaf_error_first": [X, "x[0, 1:].mul_(x[0, :2])"],
    # copy_ checks the source's shape (torch's texts) before recording anything
    "copy_shape_mismatch_recorded": [
        X,
        "y = x * 1",
        "y.copy_(T.tensor([1.0, 2.0], dtype=T.float64))",
    ],
    "copy_into_0d_recorded": [X, "y = x.sum()", "y.copy_(x[0])"],
    "copy_more_dims_recorded": [X, "y = x * 1", "y.copy_(T.ones(1, 2, 3, dtype=T.float64))"],
    "copy_more_dims_no_grad": [X, "y = x.detach().clone()", "y.copy_(T.ones(1, 2, 3))"],
    "copy_transposed_target": [X, "y = (x * 1).t()", "y.copy_(T.ones(3, dtype=T.float64))"],
    "copy_broadcast_recorded": [X, "y = x * 1", "y.copy_(x[:, :1] * 2)", "y.sum().backward()"],
    "copy_list_refused": [X, "y = x * 1", "y.copy_([1.0, 2.0, 3.0])"],
    "copy_number": [X, "y = x * 1", "y.copy_(2.5)", "y.sum().backward()"],
    # outputs of split/chunk/unbind (and views of them) that require grad refuse in-place ops
    "split_output_modified_in_place": [X, "y = x * 1", "a, b = y.split(1)", "a.mul_(2)"],
    "split_output_of_leaf_modified_in_place": [X, "a, b = x.unbind(0)", "a.mul_(2)"],
    "split_sizes_output": [X, "y = x * 1", "a, b = y.split([1, 1])", "b.zero_()"],
    "chunk_output_dim1": [X, "y = x * 1", "a, b = y.chunk(2, 1)", "b.add_(1)"],
    "unbind_second_output": [X, "y = x * 1", "a, b = y.unbind(0)", "b.exp_()"],
    "unbind_dim1_output": [X, "y = x * 1", "a, b, c = y.unbind(-1)", "c.copy_(a)"],
    "split_single_piece": [X, "y = x * 1", "(a,) = y.split(2)", "a.mul_(2)"],
    "view_of_split_output": [X, "y = x * 1", "a, b = y.split(1)", "b[0].mul_(2)"],
    "view_of_split_output_squeeze": [X, "y = x * 1", "a, b = y.split(1)", "a.squeeze(0).add_(1)"],
    "split_output_t_": [X, "y = x * 1", "a, b = y.split(1)", "a.t_()"],
    "split_output_of_detached_allowed": [X, "y = x.detach()", "a, b = y.split(1)", "a.mul_(2)"],
    "split_output_data_allowed": [X, "y = x * 1", "a, b = y.split(1)", "a.data.mul_(2)"],
    "tensor_split_output_allowed": [
        X,
        "y = x * 1",
        "a, b = y.tensor_split(2)",
        "a.mul_(2)",
        "y.sum().backward()",
    ],
    "unbind_output_nr": [
        X,
        "y = x * 1",
        "a, b = y.unbind(0)",
        "n = T.tensor([a.output_nr, b.output_nr])",
    ],
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_matches_torch(name):
    assert not mismatches(PROGRAMS[name])


def _x():
    return mt.tensor([[1.0, -2.0, 0.5], [3.0, 0.5, -1.0]], dtype=mt.float64, requires_grad=True)


def test_retained_grad_is_the_gradient_of_the_new_value():
    x = _x()
    y = x * 1
    y.retain_grad()
    y.add_(y)
    y.sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), np.ones((2, 3)))
    np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 3), 2.0))


def test_autograd_grad_fills_retained_grad():
    x = _x()
    y = x * 2
    y.retain_grad()
    (g,) = mt.autograd.grad((y * 3).sum(), [x])
    np.testing.assert_array_equal(y.grad.numpy(), np.full((2, 3), 3.0))
    np.testing.assert_array_equal(g.numpy(), np.full((2, 3), 6.0))
    assert x.grad is None


def test_version_error_keeps_overload_digit():
    x = _x()
    y = x * 2
    z = y * y
    y.clamp_(min=0)
    with pytest.raises(RuntimeError, match=r"output 0 of Clamp1, is at version 1"):
        z.sum().backward()


def test_partial_overlap_refused_full_overlap_allowed():
    y = mt.arange(6.0).reshape(2, 3)
    with pytest.raises(RuntimeError, match="some elements of the input tensor and the written"):
        y[0, 1:].mul_(y[0])
    y.mul_(y)
    np.testing.assert_array_equal(y.numpy(), np.arange(6.0).reshape(2, 3) ** 2)


def test_copy_shape_error_is_runtime_error():
    y = _x() * 1
    with pytest.raises(RuntimeError, match=r"size of tensor a \(3\) must match .* \(2\)"):
        y.copy_(mt.tensor([1.0, 2.0], dtype=mt.float64))


def test_split_output_in_place_refused():
    a, b = (_x() * 1).unbind(0)
    assert (a.output_nr, b.output_nr) == (0, 1)
    with pytest.raises(RuntimeError, match="Output 1 of Unbind is a view and is being modified"):
        b.mul_(2)
