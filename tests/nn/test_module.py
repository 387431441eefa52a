"""Module registration, attribute rules, traversal, modes, conversion and forward hooks."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(4, 2)
        self.register_buffer("scale", mt.ones(2))
        self.register_buffer("cache", mt.zeros(2), persistent=False)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x))) * self.scale


def test_parameter_is_a_tensor_leaf_requiring_grad():
    p = nn.Parameter(mt.ones(2))
    assert isinstance(p, mt.Tensor) and p.requires_grad and p.is_leaf
    assert repr(p).startswith("Parameter containing:\ntensor(")
    assert not nn.Parameter(mt.ones(2), requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)
    assert type(p * 2) is mt.Tensor and type(p.detach()) is mt.Tensor


def test_parameter_shares_storage_with_its_data():
    t = mt.zeros(3)
    p = nn.Parameter(t)
    p.data.numpy()[0] = 5.0  # .data aliases the same array
    assert t.tolist()[0] == 5.0


def test_parameter_rejects_integer_grad_and_non_tensors():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
        nn.Parameter(mt.tensor([1, 2]))
    assert nn.Parameter(mt.tensor([1, 2]), requires_grad=False).dtype == mt.int64
    with pytest.raises(AttributeError):
        nn.Parameter([1.0])


def test_registration_by_assignment_and_order():
    net = Net()
    assert list(net._modules) == ["fc1", "act", "fc2"]
    assert [n for n, _ in net.named_parameters()] == [
        "fc1.weight",
        "fc1.bias",
        "fc2.weight",
        "fc2.bias",
    ]
    assert [n for n, _ in net.named_buffers()] == ["scale", "cache"]
    assert [n for n, _ in net.named_children()] == ["fc1", "act", "fc2"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "act", "fc2"]
    assert len(list(net.parameters(recurse=False))) == 0
    assert list(net.state_dict()) == ["scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]


def test_shared_parameter_listed_once():
    net = nn.Module()
    net.a = nn.Linear(2, 2)
    net.b = nn.Linear(2, 2)
    net.b.weight = net.a.weight
    names = [n for n, _ in net.named_parameters()]
    assert names == ["a.weight", "a.bias", "b.bias"]
    assert len(list(net.named_parameters(remove_duplicate=False))) == 4
    assert list(net.state_dict()) == ["a.weight", "a.bias", "b.weight", "b.bias"]
    shared = nn.Sequential(net.a, net.a)
    assert len(list(shared.modules())) == 2
    assert len(list(shared.parameters())) == 2


def test_unknown_attribute_error_names_class():
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'nope'"):
        _ = Net().nope


def test_assigning_tensor_to_parameter_name_is_type_error():
    lin = nn.Linear(2, 2)
    with pytest.raises(
        TypeError,
        match=r"cannot assign 'torch.FloatTensor' as parameter "
        r"'weight' \(torch.nn.Parameter or None expected\)",
    ):
        lin.weight = mt.ones(2, 2)
    lin.bias = None
    assert lin.bias is None and "bias" in lin._parameters
    assert list(lin.state_dict()) == ["weight"]


def test_assignments_move_names_between_kinds():
    m = nn.Module()
    m.x = nn.Parameter(mt.ones(1))
    with pytest.raises(TypeError, match="as parameter 'x'"):
        m.x = nn.Linear(1, 1)  # PyTorch refuses too: only a Parameter or None fits
    m.y = nn.Linear(1, 1)
    m.y = nn.Parameter(mt.ones(1))  # a Parameter takes the name over from the module
    assert "y" in m._parameters and "y" not in m._modules
    m.z = nn.Linear(1, 1)
    with pytest.raises(TypeError, match="cannot assign 'int' as child module 'z'"):
        m.z = 3
    m.register_buffer("buf", mt.ones(1))
    m.buf = mt.zeros(1)  # plain tensors assigned to a buffer name stay buffers
    assert m._buffers["buf"].tolist() == [0.0]
    with pytest.raises(TypeError, match="cannot assign 'str' as buffer 'buf'"):
        m.buf = "x"
    m.plain = 3
    assert m.__dict__["plain"] == 3


def test_delattr_removes_from_each_store():
    net = Net()
    del net.fc1
    del net.scale
    assert "fc1" not in net._modules and "scale" not in net._buffers
    del net.act
    with pytest.raises(AttributeError):
        del net.nothing


def test_register_errors():
    m = nn.Module()
    with pytest.raises(KeyError, match="name can.*contain"):
        m.register_buffer("a.b", mt.ones(1))
    with pytest.raises(KeyError, match="empty string"):
        m.register_parameter("", None)
    with pytest.raises(TypeError, match="parameter name should be a string. Got int"):
        m.register_parameter(1, None)
    m.existing = 1
    with pytest.raises(KeyError, match="attribute 'existing' already exists"):
        m.register_buffer("existing", mt.ones(1))
    with pytest.raises(TypeError, match="cannot assign 'list' object to buffer 'b'"):
        m.register_buffer("b", [1.0])
    with pytest.raises(TypeError, match="is not a Module subclass"):
        m.add_module("c", 3)
    computed = nn.Parameter(mt.ones(1)) * 2
    fake = nn.Parameter(computed.detach())
    fake.grad_fn = computed.grad_fn  # a Parameter that is not a leaf
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'p'"):
        m.register_parameter("p", fake)


def test_register_buffer_none_and_buffer_class():
    m = nn.Module()
    m.register_buffer("running", None)
    assert m.running is None and list(m.state_dict()) == []
    m.b = nn.Buffer(mt.ones(2), persistent=False)
    assert type(m.b) is mt.Tensor and "b" in m._non_persistent_buffers_set
    assert list(m.state_dict()) == []


def test_init_not_called_errors():
    class Bad(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(mt.ones(1))

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Bad()
    with pytest.raises(TypeError, match="unexpected keyword argument 'x'"):
        nn.Module(x=1)


def test_forward_missing_raises():
    with pytest.raises(
        NotImplementedError,
        match=r"Module \[ModuleList\] is missing the "
        r'required "forward" function',
    ):
        nn.ModuleList()(mt.ones(1))


def test_train_eval_return_self_and_propagate():
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout()))
    assert net.eval() is net
    assert all(not m.training for m in net.modules())
    assert net.train() is net and all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("yes")


def test_requires_grad_and_zero_grad():
    net = Net()
    assert net.requires_grad_(False) is net
    assert not any(p.requires_grad for p in net.parameters())
    net.requires_grad_()
    net(mt.randn(5, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    grad = net.fc1.weight.grad
    net.zero_grad(set_to_none=False)
    assert net.fc1.weight.grad is grad and not grad.numpy().any()
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_apply_visits_children_first():
    seen = []
    net = nn.Sequential(nn.Linear(1, 1), nn.ReLU())
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "ReLU", "Sequential"]


def test_double_keeps_parameter_objects_and_converts_grads_and_buffers():
    net = Net()
    net(mt.randn(2, 3)).sum().backward()
    weight = net.fc1.weight
    assert net.double() is net
    assert net.fc1.weight is weight and weight.dtype == mt.float64
    assert weight.grad.dtype == mt.float64 and net.scale.dtype == mt.float64
    net.to(mt.float32)
    assert weight.dtype == mt.float32
    bn = nn.BatchNorm1d(2).double()
    assert bn.num_batches_tracked.dtype == mt.int64  # integer buffers keep their dtype
    with pytest.raises(TypeError, match="only accepts floating point"):
        net.to(mt.int64)
    assert net.to("cpu") is net and net.float() is net


def test_get_submodule_parameter_buffer():
    net = nn.Sequential(Net())
    assert net.get_submodule("0.fc1") is net[0].fc1
    assert net.get_submodule("") is net
    assert net.get_parameter("0.fc2.bias") is net[0].fc2.bias
    assert net.get_buffer("0.scale") is net[0].scale
    with pytest.raises(AttributeError, match="Net has no attribute `zz`"):
        net.get_submodule("0.zz")
    with pytest.raises(AttributeError, match="`scale` is not an nn.Parameter"):
        net.get_parameter("0.scale")
    with pytest.raises(AttributeError, match="`fc1` is not an nn.Module|is not an nn.Module"):
        net.get_submodule("0.fc1.weight")


def test_forward_hooks_replace_args_and_output_and_remove():
    lin = nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    h2 = lin.register_forward_hook(lambda m, args, out: calls.append(out.shape) or out + 1)
    out = lin(mt.ones(3, 2))
    np.testing.assert_allclose(
        out.detach().numpy(), lin.bias.detach().numpy() + 1 + 0 * out.detach().numpy(), rtol=1e-6
    )
    assert calls == [(3, 2)]
    h1.remove()
    h2.remove()
    h2.remove()  # removing twice is harmless
    assert not lin._forward_hooks and not lin._forward_pre_hooks


def test_hooks_with_kwargs_prepend_and_always_call():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            if factor == 0:
                raise ValueError("boom")
            return x * factor

    m = Scale()
    order = []
    m.register_forward_pre_hook(lambda mod, a, kw: (a, {"factor": 3.0}), with_kwargs=True)
    m.register_forward_hook(lambda mod, a, kw, out: order.append("b"), with_kwargs=True)
    m.register_forward_hook(lambda mod, a, out: order.append("a"), prepend=True)
    assert m(mt.ones(1), factor=2.0).tolist() == [3.0]
    assert order == ["a", "b"]
    m2 = Scale()
    ran = []
    m2.register_forward_hook(lambda mod, a, out: ran.append(out), always_call=True)
    with pytest.raises(ValueError, match="boom"):
        m2(mt.ones(1), factor=0)
    assert ran == [None]
    with m2.register_forward_pre_hook(lambda mod, a: None):
        assert m2._forward_pre_hooks
    assert not m2._forward_pre_hooks


def test_dir_lists_registered_names():
    names = dir(Net())
    assert {"fc1", "scale", "forward"} <= set(names)


def test_deepcopy_copies_parameters_and_buffers_keeping_sharing():
    import copy

    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    net[1].weight = net[0].bias
    net(mt.randn(3, 2)).sum().backward()
    clone = copy.deepcopy(net)
    assert clone[0].weight is not net[0].weight and isinstance(clone[0].weight, nn.Parameter)
    assert clone[1].weight is clone[0].bias  # sharing survives the copy
    np.testing.assert_array_equal(clone[1].running_mean.numpy(), net[1].running_mean.numpy())
    assert clone[0].weight.grad is None  # torch's Parameter.__deepcopy__ drops .grad
    clone[0].weight.data.numpy()[...] = 0
    assert net[0].weight.detach().numpy().any()


def test_full_backward_hooks_see_and_replace_gradients():
    lin = nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_pre_hook(lambda m, go: seen.append(go[0].shape))
    handle = lin.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0,))
    x = mt.ones(3, 2, requires_grad=True)
    out = lin(x)
    assert out.grad_fn.name() == "BackwardHookFunctionBackward"
    out.sum().backward()
    assert seen == [(3, 1)] and not x.grad.numpy().any()
    assert lin.weight.grad is not None
    handle.remove()
    x.grad = None
    lin(x).sum().backward()
    assert x.grad.numpy().any()
    with mt.no_grad():
        assert lin(x).grad_fn is None
