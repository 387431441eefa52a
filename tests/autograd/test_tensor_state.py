"""Tensor state beside the data: the version counter, inference tensors, metadata properties
and the in-place shape methods (values checked by hand; torch comparisons in tests/parity)."""

import numpy as np
import pytest

import minitorch_ft as mt
from tests.helpers import check_grad, leaf


def test_version_is_a_plain_int_shared_with_views():
    t = mt.ones(2, 3)
    view, detached, copy = t[0], t.detach(), t.clone()
    before = t._version
    t.add_(1)
    assert type(before) is int and before == 0 and t._version == 1
    assert view._version == 1 and detached._version == 1 and copy._version == 0
    assert t._version_counter is view._version_counter
    with pytest.raises(AttributeError):
        t._version = 5  # read-only, as in torch


def test_inference_tensors_are_marked_and_guarded():
    w = mt.ones(3, requires_grad=True)
    with mt.inference_mode():
        a = mt.ones(3)
        b = a * 2
        a.add_(1)  # allowed inside inference mode
    assert a.is_inference() and b.is_inference() and a[0].is_inference()
    assert not mt.ones(3).is_inference() and not a.clone().is_inference()
    assert a.tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        w * a
    assert (w + a).grad_fn.name() == "AddBackward0"  # add saves nothing
    with pytest.raises(RuntimeError, match="Inplace update to inference tensor outside"):
        a.mul_(2)
    with pytest.raises(RuntimeError, match="Inference tensors do not track version counter"):
        a._version  # noqa: B018
    with pytest.raises(RuntimeError, match="Setting requires_grad=True on inference tensor"):
        a.requires_grad_()


def test_metadata_properties():
    x = mt.arange(12.0).reshape(3, 4)
    assert x._is_view() and not x.clone()._is_view() and x.t()._is_view()
    assert x.layout is mt.strided and repr(mt.strided) == "torch.strided"
    assert not x.is_sparse and x.output_nr == 0 and x.is_cpu and x.get_device() == -1
    assert x[1].storage_offset() == 4 and x[1].data_ptr() - x.data_ptr() == 16
    assert x.device == mt.device("cpu") and x.device != "cpu" and x.device.type == "cpu"
    assert str(mt.device("cpu", 0)) == "cpu:0" and mt.device("cpu:0").index == 0


def test_tensor_of_a_tensor_warns():
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        mt.tensor(mt.ones(2))


def test_inplace_shape_methods_change_self_and_share_memory():
    x = mt.arange(6.0).reshape(2, 3)
    view = x.view(3, 2)
    assert x.t_() is x and x.shape == (3, 2) and x.tolist() == [[0, 3], [1, 4], [2, 5]]
    assert view.shape == (3, 2) and x._version == 1 and view._version == 1
    x.unsqueeze_(0).squeeze_(0).transpose_(0, 1)
    assert x.shape == (2, 3) and x._version == 4 and x.data_ptr() == view.data_ptr()


def test_inplace_shape_methods_refuse_leaves_and_record_non_leaves():
    w = mt.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w.t_()
    y = w * 2
    y.t_()
    assert y.grad_fn.name() == "TBackward1" and y.shape == (3, 2)
    (y * mt.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).sum().backward()
    assert w.grad.tolist() == [[2.0, 6.0, 10.0], [4.0, 8.0, 12.0]]


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: (t * 1).transpose_(0, 2),
        lambda t: (t * 1)[:1].squeeze_(0),
        lambda t: (t * 1).unsqueeze_(1).squeeze_(),
        lambda t: (t * 1)[0].t_(),
    ],
)
def test_inplace_shape_methods_gradcheck(fn):
    check_grad(fn, leaf((2, 3, 4), seed=5))


def test_inference_mode_outputs_numpy_values_unchanged():
    with mt.inference_mode():
        out = mt.tensor([1.0, 2.0]).exp()
    np.testing.assert_allclose(out.numpy(), np.exp([1.0, 2.0]).astype(np.float32))
