"""Fuzzer regressions fixed in views, reshapes and indexing (shape.py, indexing.py, chunk).

Each program runs in minitorch_ft and torch (see tests/parity/test_fuzz_graphs.py) and must
match: values, grads, grad_fn names, and the error (type and text) when one is raised.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import check_grad, leaf
from tests.parity.test_fuzz_graphs import mismatches

X = "x = T.tensor([[1.0, -2.0, 0.5], [3.0, 0.5, -1.0]], dtype=T.float64, requires_grad=True)"
X0 = "x = T.tensor(0.7, dtype=T.float64, requires_grad=True)"
E03 = "x = T.zeros((0, 3), dtype=T.float64, requires_grad=True)"

# the shrunk fuzzer programs, now passing
FIXED = {
    "setitem_0d_then_backward": [X, "s = x.sum()", "s[...] = 0.5", "(s * 2).backward()"],
    "setitem_0d_scalar_grad_fn": [X, "y = x.sum()", "y[...] = 2.0"],
    "in_place_on_empty_not_recorded": [E03, "y = x * 1", "y[:, 1].add_(2)"],
    "index_bounds_on_empty_result": [
        "x = T.tensor([[-0.1], [-1.5]], dtype=T.float64, requires_grad=True)",
        "y = x[2:, T.tensor([-2])]",
    ],
    "chunk_empty_dim": [
        "x = T.zeros((0, 2), dtype=T.float64, requires_grad=True)",
        "n = T.tensor(len(T.chunk(x, 2)))",
    ],
    "flatten_empty": [
        "x = T.zeros((0, 2, 4), dtype=T.float64, requires_grad=True)",
        "y = x.flatten(-2)",
    ],
    "mT_of_0d": ["x = T.tensor(0.5, dtype=T.float64, requires_grad=True)", "y = x.mT"],
    "reshape_non_contiguous_viewable_grad_fn": [X, "y = x.t().reshape(3, 2)"],
    "expand_same_size_then_in_place": [
        X,
        "y = x * 1",
        "z = y.expand(2, 3)",
        "z.mul_(2)",
        "y.sum().backward()",
    ],
}

VARIANTS = {
    # setitem into 0-d tensors: torch copies (same shape), and the write survives backward
    "setitem_0d_tuple_key": [X, "s = x.sum()", "s[()] = 0.5", "(s * 2).backward()"],
    "setitem_0d_tensor_value": [
        X,
        "s = x.sum()",
        "w = T.tensor(0.5, dtype=T.float64, requires_grad=True)",
        "s[...] = w",
        "(s * 2).backward()",
    ],
    "setitem_0d_none_key": [X, "s = x.sum()", "s[None] = 0.5", "(s * 3).backward()"],
    "setitem_0d_true_key": [X, "s = x.sum()", "s[True] = 0.5", "(s * 3).backward()"],
    "setitem_false_key_is_a_no_op": [X, "y = x * 1", "y[False] = 0.5", "y.sum().backward()"],
    "setitem_0d_autograd_grad": [
        X,
        "s = x.sum()",
        "s[...] = 0.5",
        "gs = T.autograd.grad(s * 2, [x])",
    ],
    "setitem_one_element_value_copies": [
        X,
        "y = x * 1",
        "y[...] = T.tensor([2.0], dtype=T.float64)",
        "y.sum().backward()",
    ],
    "setitem_nd_scalar_fills": [X, "y = x * 1", "y[...] = 2.0", "y.sum().backward()"],
    "setitem_0d_int_key": ["x = T.tensor(1.0, dtype=T.float64)", "x[0] = 2.0"],
    "setitem_0d_slice_key": ["x = T.tensor(1.0, dtype=T.float64)", "y = x[:]"],
    "setitem_0d_negative_key": ["x = T.tensor(1.0, dtype=T.float64)", "y = x[-1]"],
    "index_put_dtype_mismatch": [X, "y = x * 1", "y[[0, 1]] = T.tensor(2)"],
    "index_put_mask_casts_0d_value": [
        X,
        "y = x * 1",
        "y[y > 0] = T.tensor(2)",
        "y.sum().backward()",
    ],
    "index_put_bad_index_after_value_checks": [
        X,
        "y = x * 1",
        "y[[0, 7]] = T.tensor([1.0, 2.0], dtype=T.float64)",
    ],
    # in-place through views of empty tensors
    "in_place_on_empty_select_then_backward": [
        E03,
        "y = x * 1",
        "y[:, 1].mul_(2)",
        "y.sum().backward()",
    ],
    "in_place_on_empty_transpose": [E03, "y = x * 1", "y.t().exp_()", "(y * 2).sum().backward()"],
    "in_place_on_empty_reshape": [E03, "y = x * 1", "v = y.view(-1)", "v.fill_(1.5)"],
    "setitem_on_empty_view": [E03, "y = x * 1", "y[:, 1:] = 2.0", "y.sum().backward()"],
    "in_place_through_view_of_0d": [
        X0,
        "y = x * 1",
        "v = y[None]",
        "v.mul_(3)",
        "(y * 2).backward()",
    ],
    # index bounds: empty results, a size-0 indexed dim, which index tensor is named
    "index_bounds_empty_slice_before": [X, "y = x[2:, T.tensor([5])]"],
    "index_bounds_empty_slice_after": [X, "y = x[T.tensor([7]), 1:1]"],
    "index_bounds_empty_index": [X, "y = x[T.tensor([], dtype=T.int64), T.tensor([5])]"],
    "index_bounds_empty_set": [X, "y = x * 1", "y[2:, T.tensor([5])] = 1.0", "y.sum().backward()"],
    "index_bounds_size_0_dim": [E03, "y = x[T.tensor([0])]"],
    "index_bounds_size_0_dim_empty_result": [
        "x = T.zeros((0, 0), dtype=T.float64)",
        "y = x[[0], None]",
    ],
    "index_bounds_second_tensor_named": [X, "y = x[T.tensor([0, 5]), T.tensor([7, 0])]"],
    "index_bounds_negative": [X, "y = x[:, T.tensor([-4])]"],
    "index_bounds_after_select": [
        "x = T.ones((2, 3, 4), dtype=T.float64)",
        "y = x[0, :, T.tensor([4])]",
    ],
    "slice_minus_one_of_empty_dim_recorded": [E03, "y = x * 1", "y[:-1, [0]] = 1.0"],
    # chunk / split of size-0 dims
    "chunk_empty_dim_backward": [
        "x = T.zeros((2, 0), dtype=T.float64, requires_grad=True)",
        "a, b, c = x.chunk(3, dim=1)",
        "(a.sum() + c.sum()).backward()",
    ],
    "chunk_empty_1d": [
        "x = T.zeros(0, dtype=T.float64, requires_grad=True)",
        "a, b, c, d = T.chunk(x, 4)",
    ],
    # flatten / reshape / view with -1 on empty tensors
    "flatten_empty_middle": [
        "x = T.zeros((2, 0, 4), dtype=T.float64, requires_grad=True)",
        "y = x.flatten(1)",
        "y.sum().backward()",
    ],
    "flatten_empty_all": ["x = T.zeros((0, 2, 4), dtype=T.float64)", "y = x.flatten()"],
    "reshape_minus_one_empty": ["x = T.zeros((0, 3), dtype=T.float64)", "y = x.reshape(-1, 3)"],
    "reshape_minus_one_ambiguous": ["x = T.zeros((0, 3), dtype=T.float64)", "y = x.reshape(0, -1)"],
    "view_minus_one_empty": ["x = T.zeros((2, 0), dtype=T.float64)", "y = x.view(-1)"],
    "unflatten_negative_dim_error": [X, "y = x.unflatten(-1, (2, -1))"],
    # .mT / .mH / .H / .T / adjoint()
    "mH_of_0d": ["x = T.tensor(0.5, dtype=T.float64, requires_grad=True)", "y = x.mH"],
    "H_of_0d": ["x = T.tensor(0.5, dtype=T.float64, requires_grad=True)", "y = x.H"],
    "adjoint_of_0d": ["x = T.tensor(0.5, dtype=T.float64, requires_grad=True)", "y = x.adjoint()"],
    "mT_of_0d_backward": [
        "x = T.tensor(0.5, dtype=T.float64, requires_grad=True)",
        "y = x * 2",
        "z = y.mT",
        "(z * 3).backward()",
    ],
    "mH_of_1d_error": ["x = T.ones(3, dtype=T.float64)", "y = x.mH"],
    "adjoint_of_3d": [
        "x = T.ones((2, 3, 4), dtype=T.float64, requires_grad=True)",
        "y = x.adjoint()",
        "y.sum().backward()",
    ],
    # reshape: View (contiguous), ReshapeAlias (viewable), Clone + UnsafeView (a copy)
    "reshape_contiguous_is_view": [X, "y = x.reshape(3, 2)"],
    "reshape_select_column": [X, "y = x[:, 1].reshape(-1, 1)", "(y * 3).sum().backward()"],
    "reshape_same_shape_non_contiguous": [X, "y = x.t().reshape(3, 2)", "y.sum().backward()"],
    "reshape_copy_has_clone": [X, "y = x.t().reshape(-1)", "(y * 2).sum().backward()"],
    "flatten_non_contiguous": [X, "y = x[:, :2].flatten()", "y.sum().backward()"],
    "reshape_alias_written_in_place": [
        X,
        "y = x * 1",
        "v = y.t().reshape(3, 2)",
        "v.mul_(2)",
        "y.sum().backward()",
    ],
    # expand: no repeats is writable, repeats raise the overlap error
    "expand_leading_one_then_in_place": [
        X,
        "y = x * 1",
        "z = y.expand(1, 2, 3)",
        "z.add_(1)",
        "(y * 2).sum().backward()",
    ],
    "expand_minus_one_then_setitem": [
        X,
        "y = x * 1",
        "z = y.expand(-1, -1)",
        "z[0] = 2.0",
        "y.sum().backward()",
    ],
    "expand_repeating_then_in_place": [X, "y = x * 1", "z = y.expand(2, 2, 3)", "z.mul_(2)"],
    "expand_size_one_repeating_then_in_place": [
        X,
        "y = x[:1] * 1",
        "z = y.expand(4, 3)",
        "z.add_(1)",
    ],
    "expand_no_grad_then_in_place": [
        "x = T.ones((2, 3), dtype=T.float64)",
        "z = x.expand(2, 3)",
        "z.mul_(2)",
    ],
    "expand_no_sizes_error": [X, "y = x.expand()"],
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_regression_matches_torch(name):
    assert not mismatches(FIXED[name])


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_matches_torch(name):
    assert not mismatches(VARIANTS[name])


# ---- torch-free checks of the obvious values


def test_setitem_0d_keeps_the_write_in_backward():
    x = mt.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=mt.float64, requires_grad=True)
    s = x.sum()
    s[...] = 0.5
    assert s.grad_fn.name() == "torch::autograd::CopyBackwards"
    (s * 2).backward()
    assert s.item() == 0.5
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 2)))


def test_write_through_view_of_0d_gradient():
    x = mt.tensor(0.7, dtype=mt.float64, requires_grad=True)
    y = x * 1
    y[None].mul_(3)
    (y * 2).backward()
    assert x.grad.item() == pytest.approx(6.0)


def test_write_through_view_of_0d_gradcheck():
    def fn(a):
        y = a * a
        y[None].mul_(3)
        return y * 2

    check_grad(fn, mt.tensor(0.7, dtype=mt.float64, requires_grad=True))
    check_grad(lambda a: _scaled_rows(a), leaf((3, 2), seed=1))


def _scaled_rows(a):
    y = a * 1
    y.t().reshape(2, 3)[0].mul_(2)  # a write through a reshape alias of a transpose
    return y


def test_setitem_fill_or_copy_node():
    x = mt.ones((2, 3), dtype=mt.float64, requires_grad=True)
    y = x * 1
    y[...] = 2.0
    assert y.grad_fn.name() == "FillBackward3"
    y = x * 1
    y[...] = mt.tensor([2.0], dtype=mt.float64)
    assert y.grad_fn.name() == "torch::autograd::CopyBackwards"
    y = x * 1
    y[False] = 5.0
    assert y.grad_fn.name() == "MulBackward0" and y._version == 0


def test_in_place_through_view_of_empty_is_recorded():
    x = mt.zeros((0, 3), dtype=mt.float64, requires_grad=True)
    y = x * 1
    y[:, 1].add_(2)
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    y.sum().backward()
    assert x.grad.shape == (0, 3)


def test_index_bounds_skipped_for_empty_result():
    x = mt.tensor([[-0.1], [-1.5]], dtype=mt.float64)
    assert x[2:, mt.tensor([-2])].shape == (0, 1)
    y = mt.ones((2, 3), dtype=mt.float64)
    y[2:, mt.tensor([5])] = 0.0
    assert y.sum().item() == 6.0
    with pytest.raises(IndexError, match="^index 7 is out of bounds for dimension 1 with size 3$"):
        y[mt.tensor([0, 5]), mt.tensor([7, 0])]
    with pytest.raises(IndexError, match="^index is out of bounds for dimension with size 0$"):
        mt.zeros((0, 3))[mt.tensor([0])]


def test_chunk_of_empty_dim_gives_chunks_pieces():
    x = mt.zeros((0, 2), dtype=mt.float64, requires_grad=True)
    pieces = mt.chunk(x, 3)
    assert len(pieces) == 3 and all(p.shape == (0, 2) for p in pieces)
    assert pieces[0].grad_fn.name() == "SplitWithSizesBackward0"
    assert len(x.chunk(2, dim=1)) == 2  # a non-empty dim is unchanged


def test_flatten_empty():
    x = mt.zeros((0, 2, 4), dtype=mt.float64)
    assert x.flatten(-2).shape == (0, 8)
    assert x.flatten().shape == (0,)
    assert mt.zeros((2, 0, 4)).flatten(1).shape == (2, 0)
    with pytest.raises(RuntimeError, match="ambiguous"):
        x.reshape(0, -1)


def test_matrix_transposes_of_0d_are_identity():
    x = mt.tensor(0.5, dtype=mt.float64, requires_grad=True)
    for get in (lambda t: t.mT, lambda t: t.mH, lambda t: t.H, lambda t: t.adjoint()):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert get(x) is x
        assert caught and "deprecated on 0-D tensors" in str(caught[0].message)
    with pytest.raises(RuntimeError, match=r"^tensor\.mH is only supported"):
        _ = mt.ones(3).mH
    assert mt.ones(2, 3, 4).adjoint().shape == (2, 4, 3)


def test_T_of_1d_warns():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _ = mt.ones(3).T
    assert caught and "x.T" in str(caught[0].message)


def test_reshape_nodes():
    x = mt.ones((2, 3), dtype=mt.float64, requires_grad=True)
    assert x.reshape(3, 2).grad_fn.name() == "ViewBackward0"
    alias = x.t().reshape(3, 2)
    assert alias.grad_fn.name() == "ReshapeAliasBackward0" and alias._base is x
    copy = x.t().reshape(-1)
    assert copy.grad_fn.name() == "UnsafeViewBackward0"
    assert copy.grad_fn.next_functions[0][0].name() == "CloneBackward0"
    assert x.t().unflatten(0, (1, 3)).grad_fn.name() == "ViewBackward0"
    check_grad(lambda a: a.t().reshape(-1) * mt.arange(6.0, dtype=mt.float64), leaf((2, 3)))
    check_grad(lambda a: a[:, 1].reshape(1, -1) * 3, leaf((2, 3), seed=2))


def test_expand_without_repeats_is_writable():
    x = mt.tensor([[1.0, 2.0, 3.0]], dtype=mt.float64)
    z = x.expand(1, 1, 3)
    z.mul_(2)
    np.testing.assert_array_equal(x.numpy(), [[2.0, 4.0, 6.0]])
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x.expand(2, 3).mul_(2)
    with pytest.raises(TypeError, match='missing 1 required positional arguments: "size"'):
        x.expand()
