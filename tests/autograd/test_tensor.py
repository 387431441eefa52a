"""Tensor state and conversions: metadata, requires_grad rules, .grad assignment, errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

import minitorch_ft as mt


def test_metadata():
    t = mt.zeros(2, 3)
    assert t.shape == (2, 3) and t.size() == (2, 3) and t.size(-1) == 3
    assert t.ndim == t.dim() == 2 and t.numel() == 6 and len(t) == 2
    assert t.dtype == mt.float32 and t.is_floating_point() and t.element_size() == 4
    assert t.stride() == (3, 1) and t.is_contiguous()
    assert repr(t.device) == "device(type='cpu')" and t.device.type == "cpu"
    assert mt.tensor(1.0).shape == () and mt.tensor(1.0).numel() == 1


def test_size_repr_and_tuple_behaviour():
    s = mt.zeros(2, 3, 4).shape
    assert repr(s) == str(s) == "torch.Size([2, 3, 4])"
    assert repr(mt.tensor(1.0).shape) == "torch.Size([])"
    assert s == (2, 3, 4) and s != [2, 3, 4] and hash(s) == hash((2, 3, 4))
    assert isinstance(s[1:], mt.Size) and repr(s[1:]) == "torch.Size([3, 4])"
    assert isinstance(s + (5,), mt.Size) and isinstance((1,) + s, mt.Size)
    assert s[0] == 2 and s.numel() == 24
    with pytest.raises(
        TypeError, match=re.escape("can only concatenate tuple (not list) to torch.Size")
    ):
        s + [1]


def test_dim_errors():
    with pytest.raises(
        IndexError,
        match=re.escape("Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    ):
        mt.zeros(2, 3).size(2)
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        mt.tensor(1.0).size(0)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("float32", "torch.float32"),
        ("float64", "torch.float64"),
        ("int64", "torch.int64"),
        ("int32", "torch.int32"),
        ("bool", "torch.bool"),
        ("float16", "torch.float16"),
        ("uint8", "torch.uint8"),
        ("float", "torch.float32"),
        ("double", "torch.float64"),
        ("long", "torch.int64"),
        ("int", "torch.int32"),
        ("half", "torch.float16"),
    ],
)
def test_dtype_reprs(name, text):
    assert repr(getattr(mt, name)) == str(getattr(mt, name)) == text


def test_dtype_attributes():
    assert mt.float32.is_floating_point and not mt.int64.is_floating_point
    assert mt.int64.is_signed and not mt.uint8.is_signed and not mt.bool.is_signed
    assert mt.float64.itemsize == 8


def test_item_and_tolist():
    assert mt.tensor([[2.5]]).item() == 2.5 and type(mt.tensor(2.5).item()) is float
    assert mt.tensor(3).item() == 3 and mt.tensor(True).item() is True
    assert mt.tensor([[1.5, 2.0]]).tolist() == [[1.5, 2.0]] and mt.tensor(2).tolist() == 2
    with pytest.raises(
        RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"
    ):
        mt.tensor([1.0, 2.0]).item()
    with pytest.raises(RuntimeError, match="a Tensor with 0 elements"):
        mt.tensor([]).item()


def test_python_conversions():
    assert float(mt.tensor([2.5])) == 2.5 and int(mt.tensor(2.7)) == 2
    assert [10, 20, 30][mt.tensor(1)] == 20
    with pytest.raises(
        ValueError, match="only one element tensors can be converted to Python scalars"
    ):
        float(mt.tensor([1.0, 2.0]))
    with pytest.raises(
        TypeError, match="only integer tensors of a single element can be converted to an index"
    ):
        [1, 2][mt.tensor(1.0)]
    assert bool(mt.tensor([0.5])) and not bool(mt.tensor(0))
    with pytest.raises(
        RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"
    ):
        bool(mt.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with no values is ambiguous"):
        bool(mt.tensor([]))
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(mt.tensor(1.0))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(mt.tensor(1.0))


def test_numpy_shares_memory_and_refuses_grad():
    t = mt.tensor([1.0, 2.0])
    t.numpy()[0] = 7.0
    assert t.tolist() == [7.0, 2.0]
    g = mt.tensor([1.0], requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
        ),
    ):
        g.numpy()
    assert g.detach().numpy().tolist() == [1.0]


def test_requires_grad_only_for_floats():
    ints = mt.tensor([1, 2])
    with pytest.raises(
        RuntimeError,
        match="^only Tensors of floating point and complex dtype can require gradients$",
    ):
        ints.requires_grad = True
    with pytest.raises(
        RuntimeError, match="^only Tensors of floating point dtype can require gradients$"
    ):
        ints.requires_grad_()
    for make in (
        lambda: mt.tensor([1, 2], requires_grad=True),
        lambda: mt.zeros(2, dtype=mt.int64, requires_grad=True),
        lambda: mt.arange(3, requires_grad=True),
    ):
        with pytest.raises(
            RuntimeError,
            match="^Only Tensors of floating point and complex dtype can require gradients$",
        ):
            make()
    assert ints.requires_grad_(False) is ints


def test_requires_grad_of_non_leaf():
    b = mt.tensor([1.0], requires_grad=True) * 2
    b.requires_grad = True  # allowed: it already requires grad
    with pytest.raises(
        RuntimeError, match="you can only change requires_grad flags of leaf variables."
    ):
        b.requires_grad = False


def test_retain_grad_on_constant():
    with pytest.raises(
        RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"
    ):
        mt.ones(2).retain_grad()


def test_assigning_grad():
    a = mt.zeros(2, 3, requires_grad=True)
    a.grad = mt.ones(2, 3)
    assert a.grad.tolist() == [[1.0] * 3] * 2
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "attempting to assign a gradient of size '[3, 2]' to a tensor of size '[2, 3]'. "
            "Please ensure that the gradient and the tensor are the same size"
        ),
    ):
        a.grad = mt.ones(3, 2)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "attempting to assign a gradient with dtype 'double' to a tensor with grad_dtype "
            "'Float'."
        ),
    ):
        a.grad = mt.ones(2, 3, dtype=mt.float64)
    with pytest.raises(
        TypeError, match="assigned grad expected to be a Tensor or None but got grad of type list"
    ):
        a.grad = [1.0]
    a.grad = None
    assert a.grad is None


def test_tensor_constructor_and_data():
    t = mt.Tensor([1, 2])
    assert t.dtype == mt.float32 and t.tolist() == [1.0, 2.0]
    w = mt.tensor([1.0, 2.0], requires_grad=True)
    d = w.data
    assert not d.requires_grad and d.is_leaf
    d.numpy()[0] = 3.0  # .data shares storage
    assert w.tolist() == [3.0, 2.0]
    w.data = mt.tensor([5.0, 6.0])
    assert w.tolist() == [5.0, 6.0] and w.requires_grad


def test_tensors_are_not_picklable():
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(mt.ones(2))


def test_float16_and_numpy_interop():
    h = mt.tensor([1.0], dtype=mt.float16)
    assert h.dtype == mt.float16 and h.element_size() == 2
    assert np.asarray(mt.tensor([1.0, 2.0])).dtype == np.float32


def test_version_reads_like_an_int():
    t = mt.tensor([1.0, 2.0])
    view = t.detach()
    assert t._version == 0 and repr(t._version) == "0"
    t.add_(1)
    t.mul_(2)
    assert t._version == 2 and int(view._version) == 2 and t._version > 1


def test_deepcopy_copies_leaves_and_refuses_non_leaves():
    import copy

    x = mt.ones(2, requires_grad=True)
    x.grad = mt.ones(2)
    x.note = [1]
    y = copy.deepcopy(x)
    assert y.requires_grad and y.is_leaf and y.note == [1] and y.note is not x.note
    assert y.grad is not x.grad and y.grad.tolist() == [1.0, 1.0]
    y.data.add_(1)
    assert x.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(x * 2)
