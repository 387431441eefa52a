"""Indexing: t[key] against numpy, node names, errors, assignment through the graph, gathers."""

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import assert_not_mutated, check_grad, leaf

KEYS = [
    0,
    -1,
    (1, 2),
    slice(None),
    slice(1, None),
    (slice(None), slice(None, None, 2)),
    (Ellipsis, 0),
    (None, 0),
    (0, None),
    [0, 1, 1],
    ([0, 1], [2, 0]),
    (slice(None), [2, 0, 2]),
    ([[0], [1]], [1, 2]),
    (Ellipsis, [1, 0]),
    (slice(1, 3), [0, 2]),
    (Ellipsis, None),
]


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_getitem_matches_numpy_and_gradchecks(key):
    x = leaf((2, 3, 4), seed=1)
    np.testing.assert_array_equal(x[key].detach().numpy(), x.detach().numpy()[key])
    check_grad(lambda t: t[key], x)


def test_ints_are_applied_before_advanced_indices_like_torch():
    x = mt.arange(24).reshape(2, 3, 4)
    # numpy would give shape (2, 3): the int joins the advanced indices there.
    assert x[0, :, [0, 1]].shape == (3, 2)
    assert x[0, :, [0, 1]].tolist() == x.numpy()[0][:, [0, 1]].tolist()
    assert x[1, 1:3, [0, 3]].tolist() == x.numpy()[1][1:3, [0, 3]].tolist()
    check_grad(lambda t: t[1, 1:3, [0, 3]], leaf((2, 3, 4), seed=1))


def test_masks_and_bool_indices():
    x = leaf((2, 3), seed=2)
    mask = x > 0
    np.testing.assert_array_equal(x[mask].detach().numpy(), x.detach().numpy()[mask.numpy()])
    check_grad(lambda t: t[t.detach() > 0], x)
    check_grad(lambda t: t[:, mt.tensor([True, False, True])], x)
    assert x[True].shape == (1, 2, 3) and x[False].shape == (0, 2, 3)
    assert x[mt.tensor(1)].shape == (3,)  # a 0-d index tensor selects


def test_repeated_indices_accumulate_gradient():
    x = mt.zeros(3, requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_node_names():
    x = mt.ones(2, 3, requires_grad=True)
    cases = {
        "SelectBackward0": x[0],
        "SliceBackward0": x[1:],
        "UnsqueezeBackward0": x[None],
        "IndexBackward0": x[[0, 1]],
        "AliasBackward0": x[...],
    }
    for name, t in cases.items():
        assert t.grad_fn.name() == name
    assert x[:].grad_fn.name() == "SliceBackward0"  # a lone full slice still slices
    assert x[:, :].grad_fn.name() == "AliasBackward0"
    assert x[0, 1:].grad_fn.name() == "SliceBackward0"


def test_index_errors():
    x = mt.ones(2, 3)
    cases = [
        (lambda: x[5], IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
        (lambda: x[0, 7], IndexError, "index 7 is out of bounds for dimension 1 with size 3"),
        (lambda: x[[0, 5]], IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
        (lambda: x[0, 0, 0], IndexError, "too many indices for tensor of dimension 2"),
        (lambda: x[::-1], ValueError, "step must be greater than zero"),
        (
            lambda: x[1.5],
            IndexError,
            "only integers, slices (`:`), ellipsis (`...`), None and "
            "long or byte Variables are valid indices (got float)",
        ),
        (
            lambda: x[mt.tensor([0.0])],
            IndexError,
            "tensors used as indices must be long, int, byte or bool tensors",
        ),
        (
            lambda: x[mt.tensor([True, False, True])],
            IndexError,
            "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor "
            "[2, 3] at index 0",
        ),
        (
            lambda: x[[0, 1], [0, 1, 2]],
            IndexError,
            "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]",
        ),
    ]
    for fn, err, text in cases:
        with pytest.raises(err) as info:
            fn()
        assert text in str(info.value)


def test_setitem_outside_graph_bumps_version():
    x = mt.zeros(2, 3)
    x[0] = 1.0
    x[:, 2] = mt.tensor([5.0, 6.0])
    x[x > 5] = -1.0
    x[[1, 1], [0, 1]] = 7.0
    assert x.tolist() == [[1.0, 1.0, 5.0], [7.0, 7.0, -1.0]]
    assert x._version == 4
    y = mt.zeros(3, dtype=mt.int64)
    y[0] = 2.7
    assert y.tolist() == [2, 0, 0]
    leaf_x = mt.ones(2, requires_grad=True)
    with mt.no_grad():
        leaf_x[0] = 3.0
    assert leaf_x.tolist() == [3.0, 1.0] and leaf_x.grad_fn is None


def test_setitem_on_leaf_requiring_grad_raises():
    x = mt.ones(2, 3, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match="a view of a leaf Variable that requires grad is "
        "being used in an in-place operation.",
    ):
        x[0] = 1.0
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used"):
        x[[0]] = 1.0


def test_setitem_in_graph_gradients():
    x, v = leaf((2, 3), 0), leaf((3,), 1)
    check_grad(lambda a, b: _assigned(a * 2, 0, b), x, v)
    check_grad(lambda a, b: _assigned(a * 2, (slice(None), 1), b[:2]), x, v)
    check_grad(lambda a, b: _assigned(a.exp() * 1, ([0, 1], [2, 0]), b[1]), x, v)
    check_grad(lambda a, b: _assigned(a + 0, (Ellipsis,), b), x, v)
    y = x * 2
    y[0] = 0.0
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    z = x * 2
    z[[0]] = 0.0
    assert z.grad_fn.name() == "IndexPutBackward0"


def _assigned(target, key, value):
    target[key] = value
    return target * 1


def test_setitem_makes_plain_tensor_require_grad():
    w = leaf((2,), 3)
    h = mt.zeros(3, 2, dtype=mt.float64)
    h[1] = w
    assert h.requires_grad and not h.is_leaf
    (h * mt.tensor([[1.0], [2.0], [3.0]], dtype=mt.float64)).sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]


def test_setitem_shape_errors():
    y = mt.zeros(3, 2)
    with pytest.raises(
        RuntimeError,
        match=r"shape mismatch: value tensor of shape \[3\] cannot "
        r"be broadcast to indexing result of shape \[2, 2\]",
    ):
        y[[0, 1]] = mt.ones(3)
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(2\) must match"):
        y[0] = mt.ones(3)


def test_gather_scatter_index_select_gradcheck():
    x, src = leaf((3, 4), 0), leaf((3, 4), 1)
    idx = mt.tensor([[0, 3, 3], [1, 1, 0]])
    check_grad(lambda t: t.gather(1, idx), x)
    check_grad(lambda t: t.gather(0, mt.tensor([[2, 0, 1, 2]])), x)
    check_grad(lambda t, s: t.scatter(1, mt.tensor([[0], [3]]), s), x, src)
    check_grad(lambda t: t.scatter(1, mt.tensor([[0], [3]]), 5.0), x)
    check_grad(lambda t, s: t.scatter_add(1, idx, s), x, src)
    check_grad(lambda t: t.index_select(1, mt.tensor([0, 2, 2])), x)
    check_grad(lambda t: t.index_select(0, mt.tensor(1)), x)
    check_grad(lambda t: t.take(mt.tensor([[0, 5], [5, -1]])), x)


def test_masked_ops_gradcheck():
    x = leaf((3, 4), 2)
    value = leaf((), 3)
    mask = mt.tensor([True, False, False, True])
    check_grad(lambda t: t.masked_fill(mask, 0.5), x)
    check_grad(lambda t, v: t.masked_fill(mask, v), x, value)
    check_grad(lambda t: t.masked_select(mask), x)
    check_grad(lambda t: _masked_fill_(t * 1, mask, 2.0), x)


def _masked_fill_(t, mask, value):
    t.masked_fill_(mask, value)
    return t


def test_masked_fill_inplace_errors_and_names():
    x = mt.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.masked_fill_(x > 0, 0.0)
    y = x * 2
    y.masked_fill_(mt.tensor([True, False, True]), 0.0)
    assert y.grad_fn.name() == "MaskedFillBackward0" and y._version == 1
    with pytest.raises(
        RuntimeError, match="only supports boolean masks, but got mask with dtype long int"
    ):
        x.masked_fill(mt.tensor([1, 0, 1]), 1.0)


def test_gather_errors():
    x = mt.ones(2, 3)
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions"):
        x.gather(1, mt.tensor([0, 2]))
    with pytest.raises(RuntimeError, match="index 3 is out of bounds for dimension 1 with size 3"):
        x.gather(1, mt.tensor([[0], [3]]))
    with pytest.raises(IndexError, match="Index is supposed to be a vector"):
        x.index_select(1, mt.tensor([[0]]))
    with pytest.raises(
        IndexError, match="out of range: tried to access index 6 on a tensor of 6 elements."
    ):
        x.take(mt.tensor([6]))


def test_nonzero():
    x = mt.tensor([[1, 0], [0, 3]])
    assert mt.nonzero(x).tolist() == [[0, 0], [1, 1]]
    assert [t.tolist() for t in x.nonzero(as_tuple=True)] == [[0, 1], [0, 1]]
    assert mt.tensor(3).nonzero().shape == (1, 0)
    assert mt.argwhere(mt.tensor([1, 0, 2])).tolist() == [[0], [2]]


def test_forward_does_not_mutate():
    x = leaf((3, 4), seed=1)
    for fn in (
        lambda t: t[[0, 0]],
        lambda t: t.gather(1, mt.tensor([[0], [1], [2]])),
        lambda t: t.scatter(1, mt.tensor([[0], [1], [2]]), 1.0),
        lambda t: t.masked_fill(t > 0, 0.0),
        lambda t: t.index_select(0, mt.tensor([1])),
    ):
        assert_not_mutated(fn, x)


def _write_through_view(t, w):
    y = t * 2
    u = y.t()[1:]
    u[0, 1] = w * 3
    u.masked_fill_(mt.tensor([True, False]), 0.5)
    return y * 1 + u.sum()


def test_write_through_view_rewrites_base_history():
    x, w = leaf((2, 3), 0), leaf((), 1)
    check_grad(_write_through_view, x, w)
    y = x * 2
    u = y[0]
    u[1] = 0.0
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    assert u.grad_fn.name() == "AsStridedBackward0" and u._base is y
    y.sum().backward()
    assert x.grad.tolist() == [[2.0, 0.0, 2.0], [2.0, 2.0, 2.0]]
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x[0][1] = 0.0
