"""Fuzzer regressions fixed in einsum, cat/rot90, gather/scatter/masked_fill, index_add,
scatter_reduce, matmul and addr: broadcast einsum backward, einsum results that are views,
dtype and size errors, saved tensors checked for in-place changes as torch saves them, 0-d
gather/scatter, and torch's result layouts. Each program runs in both libraries."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd import gradcheck
from tests.parity.test_fuzz_graphs import X, mismatches

X23 = "x = T.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=T.float64, requires_grad=True)"
X3 = "x = T.arange(24.0, dtype=T.float64).reshape(2, 3, 4).requires_grad_()"
Z = "x = T.tensor(0.5, dtype=T.float64, requires_grad=True)"
V = "v = T.tensor([0.5, 1.5], dtype=T.float64, requires_grad=True)"
LAYOUT = ["c = T.tensor(y.is_contiguous())", "z = y.reshape(-1)", "w = y.contiguous()"]


def _operand(name, shape, dtype="float64"):
    values = np.round(np.arange(np.prod(shape)) * 0.3 - 1.1, 1).reshape(shape).tolist()
    return f"{name} = T.tensor({values}, dtype=T.{dtype}, requires_grad=True)"


PROGRAMS = {
    # the shrunk examples
    "einsum_broadcast_batch_backward": [
        "a = T.ones(1, 2, 4, dtype=T.float64, requires_grad=True)",
        "b = T.ones(2, 4, 1, dtype=T.float64, requires_grad=True)",
        "y = T.einsum('bak,bkn->ban', a, b)",
        "y.sum().backward()",
    ],
    "cat_empty_input_requiring_grad": [
        X,
        "e = x[0, :0]",
        "y = T.cat([e, T.ones(2, dtype=T.float64)])",
        "y.sum().backward()",
    ],
    "gather_input_version_checked": [
        X23,
        "y = x * 1",
        "z = y.gather(1, T.tensor([[0, 0]]))",
        "y.exp_()",
        "z.sum().backward()",
    ],
    "scatter_reduce_result_version_checked": [
        X,
        "y = x.scatter_reduce(1, T.tensor([[0], [1]]), T.ones(2, 1, dtype=T.float64), 'sum')",
        "y.mul_(2)",
        "y.sum().backward()",
    ],
    "einsum_result_is_a_view": [X, "y = T.einsum('ij->ji', x)", "y.mul_(2)"],
    "einsum_mixed_dtypes": [
        X,
        "w = T.tensor([1.0, 2.0, 3.0], dtype=T.float32)",
        "y = T.einsum('ij,j->i', x, w)",
    ],
    "einsum_repeated_subscript_size_error": [X, "y = T.einsum('ii->i', x)"],
    "matmul_broadcast_result_is_a_view": [
        "a = T.ones(1, 2, dtype=T.float64, requires_grad=True)",
        "b = T.ones(2, 2, 3, dtype=T.float64, requires_grad=True)",
        "y = T.matmul(a, b)",
        "y.view(-1).mul_(2)",
    ],
    "matmul_empty_broadcast_grad_fn": [
        "a = T.zeros((2, 0), dtype=T.float64, requires_grad=True)",
        "b = T.zeros((2, 0, 3), dtype=T.float64, requires_grad=True)",
        "y = T.matmul(a, b)",
    ],
    "addr_addmv_mixed_dtypes": [
        "m = T.zeros(2, 1, dtype=T.float64)",
        "u = T.ones(2, dtype=T.float32, requires_grad=True)",
        "w = T.ones(1, dtype=T.float32, requires_grad=True)",
        "y = T.addr(m, u, w)",
        "y.sum().backward()",
    ],
    "gather_scatter_0d": [Z, "y = x.gather(0, T.tensor(0))", "z = x.scatter(0, T.tensor(0), 2.0)"],
    "scatter_value_index_size_error_text": [
        "x = T.ones(2, 1, dtype=T.float64, requires_grad=True)",
        "y = T.scatter(x, 0, T.tensor([[0, 1]]), 0.5)",
    ],
    "masked_fill_mask_shape_error": [
        "x = T.ones(3, 1, dtype=T.float64, requires_grad=True)",
        "y = x.masked_fill(T.ones(2, 1, dtype=T.bool), 1.0)",
    ],
    "result_layout_differs": [
        X23,
        "y = x.index_select(1, T.tensor([2, 0]))",
        "y.view(-1).clamp_(min=0)",
    ],
    # einsum: broadcasting, views, grad_fns, dtypes
    "einsum_broadcast_other_side": [
        _operand("a", (2, 2, 4)),
        _operand("b", (1, 4, 3)),
        "y = T.einsum('bak,bkn->ban', a, b)",
        "(y * y).sum().backward()",
    ],
    "einsum_broadcast_ellipsis": [
        _operand("a", (2, 2, 3)),
        _operand("b", (1, 3, 2)),
        "y = T.einsum('...ij,...jk->...ik', a, b)",
        "(y * y).sum().backward()",
    ],
    "einsum_broadcast_elementwise_sum": [
        _operand("a", (2, 3)),
        _operand("b", (1, 3)),
        "y = T.einsum('ij,ij->i', a, b)",
        "(y * y).sum().backward()",
    ],
    "einsum_diagonal_view_of_leaf": [
        "x = T.ones(3, 3, dtype=T.float64, requires_grad=True)",
        "y = T.einsum('ii->i', x)",
        "y.add_(1)",
    ],
    "einsum_identity_view_through_non_leaf": [
        X,
        "p = x * 1",
        "y = T.einsum('ij->ij', p)",
        "y.mul_(2)",
        "(p * p).sum().backward()",
    ],
    "einsum_contraction_in_place": [
        _operand("a", (2, 3)),
        _operand("b", (3, 4)),
        "y = T.einsum('ij,jk->ik', a, b)",
        "y.mul_(2)",
        "(y * y).sum().backward()",
    ],
    "einsum_contraction_layouts": [
        _operand("a", (2, 2, 3)),
        _operand("b", (2, 3, 4)),
        "y = T.einsum('bij,bjk->bki', a, b)",
        *LAYOUT,
    ],
    "einsum_three_operands": [
        _operand("a", (2, 3)),
        _operand("b", (3, 4)),
        _operand("c", (4, 2)),
        "y = T.einsum('ij,jk,kl->il', a, b, c)",
        *LAYOUT,
        "(y * y).sum().backward()",
    ],
    "einsum_dot_0d": [
        _operand("a", (3,)),
        _operand("b", (3,)),
        "y = T.einsum('i,i->', a, b)",
        "y.backward()",
    ],
    "einsum_sum_of_ints_is_int64": [
        "x = T.tensor([[1, 0], [1, 1]], dtype=T.bool)",
        "y = T.einsum('ij->j', x)",
        "z = T.einsum('ij->', x.int())",
    ],
    "einsum_product_promotes": [
        _operand("a", (2, 3)),
        _operand("b", (2, 3), "float32"),
        "y = T.einsum('ij,ij->ij', a, b)",
        "y.sum().backward()",
    ],
    "einsum_bool_contraction": [
        "a = T.ones(2, 3, dtype=T.bool)",
        "b = T.ones(3, dtype=T.bool)",
        "y = T.einsum('ij,j->i', a, b)",
    ],
    "einsum_repeated_subscript_of_3d": [
        "x = T.ones(2, 3, 3, dtype=T.float64)",
        "y = T.einsum('iji->j', x)",
    ],
    # matmul of different ranks
    "matmul_view_of_bmm_backward": [
        _operand("a", (1, 2)),
        _operand("b", (2, 2, 3)),
        "y = a @ b",
        "y.view(-1).mul_(2)",
        "(y * y).sum().backward()",
    ],
    "matmul_transposed_view_one_column": [
        _operand("a", (3, 2)),
        _operand("b", (2, 2, 1)),
        "y = T.matmul(a, b)",
        "y.mul_(2)",
        *LAYOUT,
        "(y * y).sum().backward()",
    ],
    "matmul_empty_batch": [
        _operand("a", (2, 2)),
        "b = T.zeros((0, 2, 3), dtype=T.float64, requires_grad=True)",
        "y = T.matmul(a, b)",
    ],
    "matmul_copied_result_is_no_view": [
        _operand("a", (2, 2)),
        _operand("b", (2, 2, 3)),
        "y = T.matmul(a, b)",
        "y.view(-1).mul_(2)",
        "(y * y).sum().backward()",
    ],
    # addr's backward dtypes
    "addr_only_vec1_needs_grad": [
        "m = T.zeros(2, 1, dtype=T.float32)",
        "u = T.ones(2, dtype=T.float32, requires_grad=True)",
        "w = T.ones(1, dtype=T.float64)",
        "y = T.addr(m, u, w, alpha=2)",
        "y.sum().backward()",
    ],
    "addr_vec2_mixed": [
        "m = T.zeros(2, 1, dtype=T.float32)",
        "u = T.ones(2, dtype=T.float32)",
        "w = T.ones(1, dtype=T.float64, requires_grad=True)",
        "y = T.addr(m, u, w)",
        "y.sum().backward()",
    ],
    "addr_input_only_mixed": [
        "m = T.zeros(2, 1, dtype=T.float64, requires_grad=True)",
        "u = T.ones(2, dtype=T.float32)",
        "w = T.ones(1, dtype=T.float32)",
        "y = T.addr(m, u, w)",
        "y.sum().backward()",
    ],
    # cat keeps empty 1-D inputs in the graph
    "cat_empty_leaf_only_grad": [
        "e = T.zeros(0, dtype=T.float64, requires_grad=True)",
        "y = T.cat([e, T.ones(2, 3, dtype=T.float64)], 1)",
        "y.sum().backward()",
    ],
    "cat_empty_between_inputs": [
        X,
        "e = x[0, :0]",
        "y = T.cat([x, e, x * 2], -1)",
        "(y * y).sum().backward()",
    ],
    "cat_only_empty_inputs": [
        "e = T.zeros(0, dtype=T.float64, requires_grad=True)",
        "y = T.cat([e, e * 1])",
        "y.sum().backward()",
    ],
    "cat_empty_promotes": [
        X,
        "e = T.zeros(0, dtype=T.float32, requires_grad=True)",
        "y = T.cat([e, x[0]]) * 2",
        "y.sum().backward()",
    ],
    # saved tensors checked as torch saves them
    "gather_of_detached_input_not_checked": [
        X23,
        "s = T.ones(2, 3, dtype=T.float64)",
        "z = (x * s).gather(0, T.tensor([[1, 0, 1]]))",
        "s.mul_(2)",
        "z.sum().backward()",
    ],
    "index_add_source_version_checked_plain": [
        X,
        "w = T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64, requires_grad=True)",
        "y = x.index_add(1, T.tensor([0, 2]), w)",
        "with T.no_grad():\n    w.mul_(2)",
        "y.sum().backward()",
    ],
    "index_add_source_without_grad_not_checked": [
        X,
        "w = T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64)",
        "y = x.index_add(1, T.tensor([0, 2]), w, alpha=2)",
        "w.mul_(2)",
        "y.sum().backward()",
    ],
    "scatter_reduce_src_version_checked": [
        X,
        "s = T.ones(2, 1, dtype=T.float64)",
        "y = x.scatter_reduce(1, T.tensor([[0], [1]]), s, 'mean', include_self=False)",
        "s.mul_(2)",
        "y.sum().backward()",
    ],
    "scatter_reduce_self_version_checked": [
        X,
        "s = T.ones(2, 1, dtype=T.float64, requires_grad=True)",
        "y = x.detach().scatter_reduce(1, T.tensor([[0], [1]]), s, 'sum')",
        "with T.no_grad():\n    x.mul_(2)",
        "y.sum().backward()",
    ],
    "scatter_reduce_amax_result_version_checked": [
        X,
        "y = x.scatter_reduce(1, T.tensor([[0], [1]]), T.ones(2, 1, dtype=T.float64), 'amax')",
        "y.mul_(2)",
        "y.sum().backward()",
    ],
    # 0-d gather/scatter
    "gather_0d_input_1d_index": [
        Z,
        "y = x.gather(0, T.tensor([0, 0]))",
        "(y * 3).sum().backward()",
    ],
    "gather_1d_input_0d_index": [V, "y = v.gather(-1, T.tensor(1))", "(y * 3).backward()"],
    "scatter_0d_backward": [Z, "y = x.scatter(0, T.tensor([0]), 2.0)", "(y * 3).backward()"],
    "scatter_1d_0d_index_tensor_src": [
        V,
        "s = T.tensor(3.0, dtype=T.float64, requires_grad=True)",
        "y = v.scatter(0, T.tensor(1), s)",
        "(y * y).sum().backward()",
    ],
    "scatter_add_0d": [Z, "y = x.scatter_add(0, T.tensor(0), x * 2)", "(y * 3).backward()"],
    "take_along_dim_0d_error": [Z, "y = T.take_along_dim(x, T.tensor(0), 0)"],
    # error texts
    "scatter_reduce_value_index_size_error": [
        "x = T.ones(2, 1, dtype=T.float64)",
        "y = x.scatter(0, T.tensor([[0, 1]]), 0.5, reduce='add')",
    ],
    "gather_index_size_error": [
        "x = T.ones(2, 1, dtype=T.float64)",
        "y = x.gather(0, T.tensor([[0, 1]]))",
    ],
    "masked_fill_mask_shape_error_trailing": [
        "x = T.ones(3, 2, dtype=T.float64, requires_grad=True)",
        "y = x.masked_fill(T.ones(3, dtype=T.bool), T.tensor(1.0, dtype=T.float64))",
    ],
    "masked_fill_in_place_mask_shape_error": [
        "x = T.ones(3, 1, dtype=T.float64)",
        "x.masked_fill_(T.ones(2, 1, dtype=T.bool), 1.0)",
    ],
    "masked_fill_in_place_mask_larger": [
        "x = T.ones(3, 1, dtype=T.float64)",
        "x.masked_fill_(T.ones(3, 4, dtype=T.bool), 1.0)",
    ],
    "masked_fill_mask_broadcasts_input": [
        "x = T.ones(3, 1, dtype=T.float64, requires_grad=True)",
        "y = x.masked_fill(T.tensor([[True, False]]), 2.0)",
        "(y * y).sum().backward()",
    ],
    # result layouts
    "index_select_layouts": [X3, "y = x.index_select(2, T.tensor([1, 0]))", *LAYOUT],
    "index_select_of_transposed": [
        X3,
        "y = x.transpose(0, 2).index_select(1, T.tensor([2, 0]))",
        *LAYOUT,
        "y.view(-1).sum().backward()",
    ],
    "take_along_dim_layouts": [
        X3,
        "y = T.take_along_dim(x.transpose(0, 1), T.tensor([[[0, 1]]]), 2)",
        *LAYOUT,
        "z.sum().backward()",
    ],
    "rot90_odd_layouts": [X3, "y = x.rot90(1, (2, 0))", *LAYOUT, "(z * z).sum().backward()"],
    "rot90_negative_layouts": [X3, "y = x.rot90(-1, (0, 1))", *LAYOUT, "f = y.flatten()"],
    "rot90_even_layouts": [X3, "y = x.rot90(2, (1, 2))", "y.view(-1).sum().backward()"],
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program_matches_torch(name):
    assert not mismatches(PROGRAMS[name])


@pytest.mark.parametrize("k", range(-3, 6))
@pytest.mark.parametrize("dims", [(0, 1), (1, 2), (2, 0), (-1, -2)])
def test_rot90_layout_every_turn(k, dims):
    assert not mismatches([X3, f"y = x.rot90({k}, {dims})", *LAYOUT, "y.sum().backward()"])


@pytest.mark.parametrize("reduce", ["sum", "mean", "prod", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_saves_result_for_every_reduce(reduce, include_self):
    call = f"x.scatter_reduce(1, T.tensor([[0], [1]]), T.ones(2, 1, dtype=T.float64), '{reduce}'"
    assert not mismatches(
        [X, f"y = {call}, include_self={include_self})", "y.mul_(2)", "y.sum().backward()"]
    )


# ------------------------------------------------------------------- torch-free checks
def _leaf(values):
    return mt.tensor(values, dtype=mt.float64, requires_grad=True)


def test_einsum_broadcast_batch_grad_is_summed():
    a = mt.ones(1, 2, 4, dtype=mt.float64, requires_grad=True)
    b = mt.ones(2, 4, 1, dtype=mt.float64, requires_grad=True)
    mt.einsum("bak,bkn->ban", a, b).sum().backward()
    assert a.grad.shape == (1, 2, 4)
    np.testing.assert_allclose(a.grad.numpy(), np.full((1, 2, 4), 2.0))  # two batches add
    np.testing.assert_allclose(b.grad.numpy(), np.full((2, 4, 1), 2.0))


def test_einsum_gradcheck_with_broadcast_and_diagonal():
    rng = np.random.default_rng(0)
    a = mt.tensor(rng.normal(size=(1, 2, 3)), dtype=mt.float64, requires_grad=True)
    b = mt.tensor(rng.normal(size=(2, 3, 2)), dtype=mt.float64, requires_grad=True)
    m = mt.tensor(rng.normal(size=(3, 3)), dtype=mt.float64, requires_grad=True)
    assert gradcheck(lambda p, q: mt.einsum("bak,bkn->ban", p, q), (a, b), eps=1e-6, atol=1e-6)
    assert gradcheck(lambda p: mt.einsum("ii->i", p) * 1, (m,), eps=1e-6, atol=1e-6)


def test_einsum_permute_is_a_view_of_its_input():
    x = mt.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = mt.einsum("ij->ji", x)
    y[0, 1] = 10.0
    assert x[1, 0].item() == 10.0 and y._base is x
    assert mt.einsum("ij,jk->ik", x, x).grad_fn is None  # nothing requires grad


def test_einsum_errors():
    x = mt.ones(2, 3, dtype=mt.float64)
    with pytest.raises(RuntimeError, match="subscript i is repeated for operand 0 .* 3 != 2"):
        mt.einsum("ii->i", x)
    with pytest.raises(RuntimeError, match="expected scalar type Double but found Float"):
        mt.einsum("ij,j->i", x, mt.ones(3, dtype=mt.float32))


def test_matmul_of_ranks_grads_and_view():
    a = _leaf([[1.0, 2.0]])
    b = mt.ones(2, 2, 3, dtype=mt.float64, requires_grad=True)
    y = mt.matmul(a, b)
    assert y.grad_fn.name() == "TransposeBackward0" and y._base is not None
    assert y._base.grad_fn.name() == "UnsafeViewBackward0"
    (y * 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [[12.0, 12.0]])
    np.testing.assert_allclose(b.grad.numpy(), np.broadcast_to([[2.0], [4.0]], (2, 2, 3)))


def test_addr_backward_refuses_mixed_dtypes():
    m = mt.zeros(2, 1, dtype=mt.float64)
    u = mt.ones(2, dtype=mt.float32, requires_grad=True)
    w = mt.ones(1, dtype=mt.float32, requires_grad=True)
    y = mt.addr(m, u, w)
    assert y.dtype == mt.float64
    with pytest.raises(RuntimeError, match="addmv input tensors must have the same dtype"):
        y.sum().backward()


def test_cat_keeps_empty_input_in_graph():
    e = mt.zeros(0, dtype=mt.float64, requires_grad=True)
    y = mt.cat([e, mt.ones(2, dtype=mt.float64)])
    assert y.requires_grad
    y.sum().backward()
    assert e.grad.shape == (0,)


def test_gather_scatter_0d_values():
    x = _leaf(0.5)
    y = x.gather(0, mt.tensor(0))
    assert y.shape == () and y.item() == 0.5
    z = x.scatter(0, mt.tensor(0), 2.0)
    assert z.shape == () and z.item() == 2.0
    (y + z).backward()
    assert x.grad.item() == 1.0  # only through gather: the scatter overwrote x


def test_gather_raises_after_input_changed_in_place():
    y = _leaf([[1.0, 2.0, 3.0]]) * 1
    z = y.gather(1, mt.tensor([[2, 0]]))
    y.exp_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_take_along_dim_raises_after_input_changed_in_place():
    # torch names the saved tensor AsStrided here (its expand of self), see REGRESSIONS
    # version_error_of_saved_view_names_as_strided; the error itself is what matters
    y = _leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) * 1
    z = mt.take_along_dim(y, mt.tensor([[0], [2]]), 1)
    y.exp_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_masked_fill_mask_shape_error():
    with pytest.raises(RuntimeError, match=r"size of tensor a \(2\) must match .* \(3\)"):
        mt.ones(3, 1).masked_fill(mt.ones(2, 1, dtype=mt.bool), 1.0)


def test_index_select_and_rot90_layouts():
    x = mt.arange(6.0).reshape(2, 3)
    assert x.index_select(1, mt.tensor([2, 0])).is_contiguous()
    assert not x.rot90().is_contiguous()
    np.testing.assert_array_equal(x.rot90().numpy(), np.rot90(np.arange(6.0).reshape(2, 3)))
    assert x.rot90(2).is_contiguous()


def test_matmul_1d_2d_result_starts_at_version_one_like_torch():
    # torch squeezes the mm result in place, which counts as one change of the new tensor
    stmts = [
        "v = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)",
        "m = T.ones(2, 3, dtype=T.float64)",
        "y = v @ m",
        "n = T.tensor(y._version)",
    ]
    assert not mismatches(stmts)
