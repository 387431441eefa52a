"""Shape ops: views (shared memory and version counter), joins and splits, errors, gradchecks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch_ft as mt
from tests.helpers import assert_not_mutated, check_grad, leaf


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.reshape(6, 4),
        lambda t: t.reshape(-1),
        lambda t: t.view(4, -1),
        lambda t: t.transpose(0, 2).reshape(24),  # needs a copy: UnsafeView
        lambda t: t.flatten(1),
        lambda t: t.unflatten(2, (2, 2)),
        lambda t: t.transpose(0, -1),
        lambda t: t.permute(2, 0, 1),
        lambda t: t.movedim(0, -1),
        lambda t: t.mT,
        lambda t: t[:, :1].expand(2, 5, 4),
        lambda t: t[:, :1].expand(3, -1, 2, -1),
        lambda t: t.unsqueeze(1).squeeze(),
        lambda t: t[:, :1].squeeze(1),
        lambda t: t[:1].squeeze((0, 1)),
        lambda t: t.narrow(2, 1, 2),
        lambda t: t.select(1, -1),
        lambda t: t.transpose(1, 2).contiguous(),
        lambda t: t.repeat(2, 1, 1, 2),
        lambda t: t.tile((2, 1)),
        lambda t: t.flip(0, 2),
        lambda t: t.roll(1),
        lambda t: t.roll((1, -1), (0, 2)),
    ],
)
def test_shape_ops_gradcheck(fn):
    check_grad(fn, leaf((2, 3, 4), seed=2))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.reshape(1, 1),
        lambda t: t.flatten(),
        lambda t: t.t(),
        lambda t: t.expand(3),
        lambda t: t.unsqueeze(0),
        lambda t: t.squeeze(0),
        lambda t: t.repeat(2, 2),
        lambda t: t.flip(0),
        lambda t: t.roll(1),
        lambda t: t.T,
    ],
)
def test_zero_dim_shape_ops_gradcheck(fn):
    check_grad(fn, leaf((), seed=4))


def test_joins_and_splits_gradcheck():
    a, b, c = leaf((2, 3), 0), leaf((2, 1), 1), leaf((2, 3), 2)
    check_grad(lambda x, y: mt.cat([x, y], 1), a, b)
    check_grad(lambda x, y: mt.cat((x, y), dim=-1), a, b)
    check_grad(lambda x, y: mt.stack([x, y]), a, c)
    check_grad(lambda x, y: mt.stack([x, y], -1), a, c)
    check_grad(lambda x: x.split(2, 1)[1], a)
    check_grad(lambda x: x.split([1, 2], 1)[1] * 2, a)
    check_grad(lambda x: x.chunk(2, 1)[0], a)
    check_grad(lambda x: x.unbind(1)[2], a)
    check_grad(lambda x: mt.stack(x.unbind(0), 1), a)
    check_grad(lambda x, y: mt.hstack([x, y]), a, b)
    check_grad(lambda x, y: mt.vstack([x, y]), a, c)


def test_cat_promotes_dtypes_and_casts_gradients_back():
    a = mt.ones(2, requires_grad=True)
    b = mt.ones(3, dtype=mt.float64, requires_grad=True)
    out = mt.cat([a, b])
    assert out.dtype == mt.float64
    out.sum().backward()
    assert a.grad.dtype == mt.float32 and b.grad.dtype == mt.float64
    assert mt.cat([mt.ones(2), mt.arange(2)]).dtype == mt.float32
    assert mt.cat([a, mt.tensor([])]).shape == (2,)  # legacy: 1-D empty tensors are skipped


def test_view_shares_memory_and_version():
    x = mt.zeros(2, 3)
    views = [
        x.view(6),
        x.reshape(3, 2),
        x.t(),
        x.permute(1, 0),
        x[0],
        x[:, 1:],
        x[None],
        x.unsqueeze(0),
        x.expand(2, 2, 3),
        x.detach(),
        x.split(1)[0],
        x.unbind()[1],
        x.narrow(0, 0, 1),
        x.squeeze(),
        x.flatten(),
    ]
    for v in views:
        assert v._version_counter is x._version_counter
    x.view(6)[1] = 5.0
    assert x[0, 1].item() == 5.0
    assert x._version == 1 and views[0]._version == 1
    copies = [x.t().reshape(6), x.flip(0), x.repeat(1, 1), mt.cat([x]), x.clone()]
    for c in copies:
        assert c._version_counter is not x._version_counter


def test_inplace_change_through_view_is_caught_in_backward():
    x = leaf((3,), 0)
    y = x.exp()
    y.view(3)[0] = 1.0  # exp saved y; the write through a view must invalidate it
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_reshape_errors():
    x = mt.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"shape '\[2, 5\]' is invalid for input of size 6"):
        x.reshape(2, 5)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        x.view(-1, -1)
    with pytest.raises(RuntimeError, match=r"invalid shape dimension -2 at index 0"):
        x.reshape(-2, 3)
    with pytest.raises(RuntimeError, match="view size is not compatible with input tensor's"):
        x.t().view(6)
    assert x.t().reshape(6).grad_fn is None and x.view((3, 2)).shape == (3, 2)


def test_node_names():
    x = mt.ones(2, 3, requires_grad=True)
    names = {
        "ViewBackward0": x.reshape(6),
        "UnsafeViewBackward0": x.t().reshape(6),
        "TBackward0": x.t(),
        "TransposeBackward0": x.transpose(0, 1),
        "PermuteBackward0": x.T,
        "ExpandBackward0": x.expand(2, 2, 3),
        "CloneBackward0": x.t().contiguous(),
        "CatBackward0": mt.cat([x, x]),
        "StackBackward0": mt.stack([x, x]),
        "SplitBackward0": x.split(1)[0],
        "SplitWithSizesBackward0": x.split([1, 1])[0],
        "UnbindBackward0": x.unbind()[0],
        "RepeatBackward0": x.tile(2),
        "FlipBackward0": x.flip(0),
        "RollBackward0": x.roll(1),
        "SliceBackward0": x.narrow(1, 0, 2),
        "SelectBackward0": x.select(0, 1),
        "SqueezeBackward0": x.squeeze(),
        "SqueezeBackward1": x.squeeze(0),
        "SqueezeBackward2": x.squeeze((0,)),
        "UnsqueezeBackward0": x.unsqueeze(0),
    }
    for name, t in names.items():
        assert t.grad_fn.name() == name
    assert x.contiguous() is x and x.flatten(1, 1) is x
    v = mt.ones(3, requires_grad=True)
    assert (v @ mt.ones(3, 2)).grad_fn.name() == "SqueezeBackward4"


def test_shape_errors():
    x = mt.ones(2, 3, 4)
    cases = [
        (lambda: x.t(), RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is 3D"),
        (lambda: x.permute(0, 1), RuntimeError, "input.dim() = 3 is not equal to len(dims) = 2"),
        (lambda: x.permute(0, 0, 1), RuntimeError, "permute(): duplicate dims are not allowed."),
        (
            lambda: x.expand(2, 5, 4),
            RuntimeError,
            "The expanded size of the tensor (5) must match the existing size (3) at non-singleton "
            "dimension 1.  Target sizes: [2, 5, 4].  Tensor sizes: [2, 3, 4]",
        ),
        (
            lambda: x.expand(3, 4),
            RuntimeError,
            "expand(torch.FloatTensor{[2, 3, 4]}, size=[3, 4]): the number of sizes provided (2) "
            "must be greater or equal to the number of dimensions in the tensor (3)",
        ),
        (
            lambda: mt.cat([x, x[:, :2]], 2),
            RuntimeError,
            "Sizes of tensors must match except in dimension 2. Expected size 3 but got size 2 "
            "for tensor number 1 in the list.",
        ),
        (
            lambda: mt.cat([x, x[0]]),
            RuntimeError,
            "Tensors must have same number of dimensions: got 3 and 2",
        ),
        (lambda: mt.cat([]), ValueError, "torch.cat(): expected a non-empty list of Tensors"),
        (
            lambda: mt.cat([mt.tensor(1.0)]),
            RuntimeError,
            "zero-dimensional tensor (at position 0) cannot be concatenated",
        ),
        (
            lambda: mt.stack([x, x[:, :2]]),
            RuntimeError,
            "stack expects each tensor to be equal size, but got [2, 3, 4] at entry 0 and "
            "[2, 2, 4] at entry 1",
        ),
        (
            lambda: x.split([1, 2], 2),
            RuntimeError,
            "split_with_sizes expects split_sizes to sum exactly to 4 (input tensor's size at "
            "dimension 2), but got split_sizes=[1, 2]",
        ),
        (lambda: x.chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0"),
        (
            lambda: x.repeat(2),
            RuntimeError,
            "Number of dimensions of repeat dims can not be smaller than number of dimensions",
        ),
        (
            lambda: x.narrow(1, 2, 2),
            RuntimeError,
            "start (2) + length (2) exceeds dimension size (3).",
        ),
        (lambda: x.flatten(2, 1), RuntimeError, "start_dim cannot come after end_dim"),
        (
            lambda: x.unflatten(1, (2, 2)),
            RuntimeError,
            "unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3)",
        ),
        (lambda: x.roll((1, 2), 0), RuntimeError, "shifts and dimensions must align."),
        (lambda: x.transpose(0, 3), IndexError, "Dimension out of range"),
        (lambda: mt.ones(3).mT, RuntimeError, "tensor.mT is only supported on matrices"),
    ]
    for fn, err, text in cases:
        with pytest.raises(err) as info:
            fn()
        assert text in str(info.value)


def test_split_chunk_sizes():
    x = mt.arange(7)
    assert [p.tolist() for p in x.split(3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [len(p) for p in x.chunk(3)] == [3, 3, 1]
    assert [len(p) for p in mt.arange(6).chunk(4)] == [2, 2, 2]
    assert [p.tolist() for p in mt.split(x, [2, 5])] == [[0, 1], [2, 3, 4, 5, 6]]


def test_forward_does_not_mutate():
    x = leaf((2, 3), seed=1)
    for fn in (
        lambda t: t.flip(0),
        lambda t: t.roll(1, 1),
        lambda t: t.repeat(2, 1),
        lambda t: mt.cat([t, t]),
        lambda t: t.t().contiguous(),
    ):
        assert_not_mutated(fn, x)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), data=st.data())
def test_permute_and_reshape_match_numpy(shape, data):
    perm = data.draw(st.permutations(range(len(shape))))
    a = np.random.default_rng(0).standard_normal(shape)
    x = mt.tensor(a, requires_grad=True)
    out = x.permute(*perm).reshape(-1)
    np.testing.assert_array_equal(out.detach().numpy(), a.transpose(perm).reshape(-1))
    g = np.arange(a.size, dtype=np.float64)
    out.backward(mt.tensor(g))
    expected = g.reshape([shape[p] for p in perm]).transpose(np.argsort(perm))
    np.testing.assert_array_equal(x.grad.numpy(), expected)
