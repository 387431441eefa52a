"""Tensor sweep 2: `_version` as an int, inference tensors, small metadata properties and the
in-place shape methods. Each snippet runs with `torch` bound to minitorch_ft and to torch;
what it prints, the exception it raises (type and text) and its warnings must agree."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import assert_same_printed, torch

VERSION = [
    "t = torch.ones(3); v = t._version; t.add_(1); print(v, t._version, v != t._version)",
    "t = torch.ones(3); print(type(t._version).__name__, repr(t._version))",
    # views and detach share the counter; clone and .data do not
    "t = torch.ones(2, 3); v = t[0]; d = t.detach(); c = t.clone(); e = t.data; t.mul_(2); "
    "print(t._version, v._version, d._version, c._version, e._version)",
    "t = torch.ones(3); t[0] = 5; t.zero_(); t.fill_(2); print(t._version)",
    "p = torch.nn.Parameter(torch.ones(2)); o = torch.optim.SGD([p], lr=0.1); "
    "p.sum().backward(); o.step(); print(p._version)",
]

INFERENCE = [
    # what is and is not an inference tensor
    "with torch.inference_mode():\n    a = torch.ones(3); b = a * 2; c = torch.tensor([1.])\n"
    "print(a.is_inference(), b.is_inference(), c.is_inference(), torch.ones(1).is_inference())",
    "with torch.no_grad():\n    print(torch.ones(2).is_inference())",
    "with torch.inference_mode(False):\n    print(torch.ones(2).is_inference())",
    "n = torch.ones(3)\nwith torch.inference_mode():\n"
    "    print(n.view(3).is_inference(), n[0:2].is_inference(), n.detach().is_inference(), "
    "n.data.is_inference(), n.clone().is_inference(), (n * n).is_inference(), "
    "torch.randn(2).is_inference(), torch.arange(3).is_inference(), "
    "torch.zeros_like(n).is_inference(), torch.from_numpy(np.ones(2)).is_inference())",
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "print(a.view(3).is_inference(), a[0].is_inference(), a.detach().is_inference(), "
    "a.data.is_inference(), a.clone().is_inference(), (a * 2).is_inference(), "
    "a.float().is_inference(), a.double().is_inference(), torch.is_inference(a))",
    "torch.is_inference(1)",
    "with torch.inference_mode():\n    a = torch.ones(3)\na._version",
    "with torch.inference_mode():\n    a = torch.ones(3)\n    a._version",
    # saved for backward by a recorded op: refused; an op that saves nothing is fine
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "w = torch.ones(3, requires_grad=True); print((w + a).grad_fn.name()); w * a",
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "w = torch.ones(3, requires_grad=True); a @ w",
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "w = torch.ones(3, requires_grad=True)\nwith torch.no_grad():\n    print(w * a)",
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "w = torch.ones(3, requires_grad=True); (w * 1).mul_(a)",
    "class F(torch.autograd.Function):\n"
    "    @staticmethod\n    def forward(ctx, x, y):\n        ctx.save_for_backward(y)\n"
    "        return x * 2\n"
    "    @staticmethod\n    def backward(ctx, g):\n        return g, None\n"
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "print(F.apply(torch.ones(3), a))\nwith torch.no_grad():\n"
    "    print(F.apply(torch.ones(3, requires_grad=True), a))\n"
    "F.apply(torch.ones(3, requires_grad=True), a)",
    # in-place updates outside inference mode: refused after the write, as torch
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "for f in (lambda: a.add_(1), lambda: a.__setitem__(0, 5.), lambda: a.zero_(), "
    "lambda: a.fill_(3), lambda: a.copy_(torch.ones(3)), lambda: a.view(3).mul_(2), "
    "lambda: a.uniform_(), lambda: torch.add(a, 1, out=a), lambda: a.t_()):\n"
    "    try:\n        f()\n    except RuntimeError as e:\n        print(e)\nprint(a.shape)",
    "with torch.inference_mode():\n    a = torch.ones(3)\nwith torch.no_grad():\n    a.add_(1)",
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "with torch.inference_mode():\n    a.add_(1); print(a)",
    "with torch.inference_mode():\n    a = torch.ones(3)\na.add_(torch.ones(4))",
    "with torch.inference_mode():\n    p = torch.ones(3, requires_grad=True)\n"
    "print(p.requires_grad, p.is_inference()); p.add_(1)",
    # requires_grad on an inference tensor outside inference mode
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "a.requires_grad_(False); a.requires_grad = False; a.requires_grad_()",
    "with torch.inference_mode():\n    a = torch.ones(3)\ntorch.nn.Parameter(a)",
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "    print(torch.nn.Parameter(a).is_inference(), a.requires_grad_().requires_grad)",
    "with torch.inference_mode():\n    a = torch.ones(3)\n"
    "print(torch.tensor(a).is_inference(), a.clone().requires_grad_().requires_grad)",
]

PROPERTIES = [
    "x = torch.arange(12.).reshape(3, 4); print(x._is_view(), x.t()._is_view(), "
    "x[0]._is_view(), x.detach()._is_view(), x.clone()._is_view(), torch.ones(2)._is_view())",
    "x = torch.ones(2); print(x.layout, torch.strided, x.layout == torch.strided, "
    "torch.zeros(2).layout is torch.strided, type(torch.strided).__name__)",
    "x = torch.ones(2); print(x.is_sparse, x.is_quantized, x.is_meta, x.is_nested, x.is_cpu, "
    "x.is_cuda, x.is_complex(), x.get_device(), x.output_nr, (x * 1).output_nr)",
    "x = torch.ones(2, 3); print(x.is_contiguous(), x.t().is_contiguous(), "
    "x.is_contiguous(memory_format=torch.contiguous_format), torch.contiguous_format, "
    "x.is_contiguous(memory_format=torch.preserve_format))",
    "torch.ones(2).is_contiguous(memory_format=1)",
    "x = torch.arange(12.).reshape(3, 4); print(x.storage_offset(), x[1].storage_offset(), "
    "x[:, 2].storage_offset(), x.t()[1].storage_offset(), x[1].data_ptr() - x.data_ptr())",
    "d = torch.ones(1).device; print(d == 'cpu', d != 'cpu', d == torch.device('cpu'), "
    "str(d), repr(d), d.type, d.index, f'{d}', hash(d) == hash(torch.device('cpu')))",
    "print(repr(torch.device('cpu', 0)), torch.device('cpu:0') == torch.device('cpu'), "
    "str(torch.device('cpu:0')), torch.device(torch.device('cpu')), torch.device('cuda:1'))",
    "torch.device('xyz')",
    "torch.device('cpu:x')",
    "torch.device(1.5)",
    "print(torch.ones(2).to(torch.device('cpu')), torch.ones(2).to(device=torch.device('cpu')))",
    # copy-constructing a tensor from a tensor warns (a list of 0-d tensors does not)
    "x = torch.ones(2, requires_grad=True); y = torch.tensor(x); print(y, y.requires_grad)",
    "print(torch.tensor([torch.tensor(1.), torch.tensor(2.)]))",
    "x = torch.ones(2); print(x.new_tensor(x), x.new_tensor([1, 2]))",
]

SHAPE_INPLACE = [
    "x = torch.arange(6.).reshape(2, 3); r = x.t_(); "
    "print(r is x, x.shape, x.stride(), x._version, x.is_contiguous(), x)",
    "x = torch.arange(6.).reshape(2, 3); x.transpose_(0, -1); x.swapdims_(0, 1); "
    "x.swapaxes_(1, 0); print(x.shape, x.stride(), x._version)",
    "x = torch.ones(1, 3, 1); print(x.squeeze_().shape, x._version)",
    "x = torch.ones(1, 3, 1); print(x.squeeze_(0).shape, x.squeeze_(dim=-1).shape, x._version)",
    "x = torch.ones(1, 3, 1); print(x.squeeze_((0, 2)).shape, x.unsqueeze_(-1).shape, "
    "x.unsqueeze_(dim=0).shape, x._version)",
    "torch.ones(1, 3, 1).unsqueeze_(9)",
    "torch.ones(1, 3, 1).transpose_(0, 9)",
    "torch.ones(2, 3, 4).t_()",
    "x = torch.ones(3); print(x.t_() is x, x._version)",
    "print(torch.tensor(1.).t_().shape, torch.tensor(1.).squeeze_(0).shape, "
    "torch.tensor(1.).unsqueeze_(0).shape)",
    # views taken before keep their shape; all share the version bump
    "x = torch.ones(2, 3); v = x.view(3, 2); x.t_(); print(v.shape, x._version, v._version, "
    "x.data_ptr() == v.data_ptr())",
    # leaves that require grad are refused; under no_grad they are changed and stay leaves
    "w = torch.ones(2, 3, requires_grad=True); w.t_()",
    "w = torch.ones(2, 3, requires_grad=True); w.unsqueeze_(0)",
    "w = torch.ones(2, 3, requires_grad=True); w.squeeze_()",
    "w = torch.ones(2, 3, requires_grad=True); w[0:1].t_()",
    "w = torch.ones(2, 3, requires_grad=True)\nwith torch.no_grad():\n    w.t_()\n"
    "print(w.shape, w.is_leaf, w.grad_fn, w._version)",
]

# grad_fn names and gradients of the in-place shape methods on a non-leaf
SHAPE_INPLACE_GRAD = [
    ("y.squeeze_()", (2, 3)),
    ("y.squeeze_(0)", (2, 1, 3)),
    ("y.squeeze_((0, 2))", (2, 3)),
    ("y.squeeze_(1)", (1, 2, 1, 3)),
    ("y.unsqueeze_(0)", (1, 1, 2, 1, 3)),
    ("y.transpose_(0, 1)", (2, 1, 1, 3)),
    ("y.swapdims_(1, 3)", (1, 3, 1, 2)),
    ("y.view(2, 3).t_()", (3, 2)),
]


@pytest.mark.parametrize("code", VERSION)
def test_version_is_an_int(code):
    assert_same_printed(code)


@pytest.mark.parametrize("code", INFERENCE)
def test_inference_tensors(code):
    assert_same_printed(code)


@pytest.mark.parametrize("code", PROPERTIES)
def test_small_properties(code):
    assert_same_printed(code)


@pytest.mark.parametrize("code", SHAPE_INPLACE)
def test_inplace_shape_methods(code):
    assert_same_printed(code)


@pytest.mark.parametrize("call, shape", SHAPE_INPLACE_GRAD)
def test_inplace_shape_methods_record_like_torch(call, shape):
    seed = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    code = (
        "w = torch.ones(1, 2, 1, 3, dtype=torch.float64, requires_grad=True); y = w * 2; "
        f"r = {call}; print(r.shape, r.grad_fn.name(), r._version, "
        "[f[0].name() for f in r.grad_fn.next_functions if f[0] is not None]); "
        "(r * torch.tensor(seed)).sum().backward(); print(w.grad)"
    )
    outcomes = []
    for lib in (mt, torch):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(code, {"torch": lib, "seed": seed})
        outcomes.append(out.getvalue())
    assert outcomes[0] == outcomes[1]
