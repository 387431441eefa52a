"""Parity sweep (nn, second pass): module backward hooks, the deprecated non-full backward
hook, BatchNorm on empty batches, half inputs to the norm layers, flatten of 0-d tensors and
a few functional edge cases, each compared with torch.

Every case runs the same code under torch and minitorch_ft (`L` is the library). Hooks log
what they see into `LOG`; the outcome is `r`'s description (or the exception's type and
first message line), the log, and the warnings raised (category and text).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd import gradcheck
from tests.parity.audit_helpers import _close, _describe

torch = pytest.importorskip("torch")


def _outcome(code: str, lib):
    scope = {"L": lib, "np": np, "math": math, "F": lib.nn.functional, "LOG": []}
    compiled = compile(code, "<case>", "exec")  # a malformed case fails here, in both
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(compiled, scope)
            result = _describe(scope.get("r"), lib)
        except Exception as error:  # noqa: BLE001 - the exception is the outcome
            result = ("raises", type(error).__name__, str(error).split("\n")[0])
    raised = [(w.category.__name__, str(w.message)) for w in caught]
    return result, _describe(scope["LOG"], lib), raised


def _assert_same(code: str) -> None:
    want, got = _outcome(code, torch), _outcome(code, mt)
    assert _close(got[0], want[0]), f"\n{code}\n torch: {want[0]}\n mt:    {got[0]}"
    assert _close(got[1], want[1]), f"\n{code}\n torch log: {want[1]}\n mt log:    {got[1]}"
    assert got[2] == want[2], f"\n{code}\n torch warnings: {want[2]}\n mt warnings:    {got[2]}"


HOOKS1_SETUP = "\nclass Two(L.nn.Module):\n    def forward(self, a, b, scale=1.0):\n        return a * b * scale\nclass Tup(L.nn.Module):\n    def forward(self, a, b):\n        return a * 2, b * 3\nclass NonT(L.nn.Module):\n    def forward(self, a):\n        return a * 2, 5\nclass Add(L.nn.Module):\n    def forward(self, a, k):\n        return a + k\ndef H(m, gi, go):\n    LOG.append(('gi', list(gi)))\n    LOG.append(('go', list(go)))\ndef P(m, go):\n    LOG.append(('pre', list(go)))\na = L.tensor([1.0, 2.0], requires_grad=True)\nb = L.tensor([3.0, 4.0])\nc = L.tensor([5.0, 6.0], requires_grad=True)\n"
HOOKS1_CASES = [
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, b)\ny.sum().backward()\nr = a.grad",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(b, a)\ny.sum().backward()\nr = a.grad",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, c, scale=2.0)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, b=c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, b=b)\ny.sum().backward()\nr = (a.grad)",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, 3.0)\ny.sum().backward()\nr = (a.grad)",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(b, b)\nr = y.requires_grad",
    "m = L.nn.Linear(2, 1); m.register_full_backward_hook(H)\ny = m(b)\ny.sum().backward()\nr = m.weight.grad",
    "m = L.nn.Linear(2, 1); m.register_full_backward_pre_hook(P)\ny = m(b)\ny.sum().backward()\nr = m.weight.grad",
    "m = L.nn.Linear(2, 1); m.register_full_backward_hook(H); m.register_full_backward_pre_hook(P)\ny = m(b)\ny.sum().backward()\nr = m.weight.grad",
    "m = Tup(); m.register_full_backward_hook(H)\ny, z = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Tup(); m.register_full_backward_hook(H)\ny, z = m(a, c)\n(y.sum()+z.sum()).backward()\nr = (a.grad, c.grad)",
    "m = Tup(); m.register_full_backward_hook(H)\ny, z = m(a, b)\n(y.sum()+z.sum()).backward()\nr = (a.grad)",
    "m = Tup(); m.register_full_backward_hook(H)\ny, z = m(a, b)\ny.sum().backward()\nr = (a.grad, z.requires_grad)",
    "m = Tup(); m.register_full_backward_pre_hook(P)\ny, z = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = NonT(); m.register_full_backward_hook(H)\ny, k = m(a)\ny.sum().backward()\nr = (a.grad, k)",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, 2)\ny.sum().backward()\nr = a.grad",
    "m = Add(); m.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10, None))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10,))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_hook(lambda m, gi, go: gi[0] * 10)\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10, gi[1], None))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10, 3))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_hook(lambda m, gi, go: (L.ones(3), gi[1]))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_pre_hook(lambda m, go: (go[0] * 10,))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_pre_hook(lambda m, go: go[0] * 10)\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_pre_hook(lambda m, go: (go[0] * 10, None))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_pre_hook(lambda m, go: (L.ones(3),))\ny = m(a, c)\ny.sum().backward()\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, c)\ny += 1\nr = y",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, c)\ny.add_(1)\ny.sum().backward()\nr = a.grad",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, c)\nr = y.grad_fn.name()",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, c)\nr = [f[0].name() if f[0] else None for f in y.grad_fn.next_functions]",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, b)\nr = [f[0].name() if f[0] else None for f in y.grad_fn.next_functions[0][0].next_functions]",
    "m = Add(); m.register_full_backward_hook(H)\nwith L.no_grad():\n    y = m(a, c)\nr = y.requires_grad",
    "m = L.nn.ReLU(inplace=True); m.register_full_backward_hook(H)\nx = a * 1\ny = m(x)\ny.sum().backward()\nr = a.grad",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, c)\ny.sum().backward(inputs=[a])\nr = (a.grad, c.grad)",
    "m = Add(); m.register_full_backward_hook(H)\nx = a.view(2)\ny = m(x, c)\nr = y.grad_fn.name()",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, c)\ny2 = m(a, c)\n(y.sum()+y2.sum()).backward()\nr = a.grad",
    "m = Add(); m.register_full_backward_hook(H)\ny = m(a, c)\ny.sum().backward(retain_graph=True)\ny.sum().backward()\nr = a.grad",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, a)\ny.sum().backward()\nr = a.grad",
    "class Id(L.nn.Module):\n    def forward(self, x):\n        return x\nm = Id(); m.register_full_backward_hook(H)\ny = m(a)\ny.sum().backward()\nr = a.grad",
    "class Lst(L.nn.Module):\n    def forward(self, x):\n        return [x * 2, x * 3]\nm = Lst(); m.register_full_backward_hook(H)\ny = m(a)\ny[0].sum().backward()\nr = a.grad",
    "class Dct(L.nn.Module):\n    def forward(self, x):\n        return {'o': x * 2}\nm = Dct(); m.register_full_backward_hook(H)\ny = m(a)\ny['o'].sum().backward()\nr = a.grad",
    "m = Add(); m.register_full_backward_hook(lambda m, gi, go: 5)\ny = m(a, c)\ny.sum().backward()\nr = a.grad",
    "m = Add(); m.register_full_backward_pre_hook(lambda m, go: 5)\ny = m(a, c)\ny.sum().backward()\nr = a.grad",
]

HOOKS2_SETUP = "\nclass Two(L.nn.Module):\n    def forward(self, a, b):\n        return a * b\nclass Tup(L.nn.Module):\n    def forward(self, a, b):\n        return a * 2, b * 3\nclass Idx(L.nn.Module):\n    def forward(self, x, i):\n        return x[i]\nclass Same(L.nn.Module):\n    def forward(self, a):\n        return a * 2\nclass Lin(L.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = L.nn.Parameter(L.tensor([[1.0, 2.0], [3.0, -1.0]]))\n    def forward(self, x):\n        return x @ self.w\ndef H(m, gi, go):\n    LOG.append(('gi', list(gi)))\n    LOG.append(('go', list(go)))\ndef P(m, go):\n    LOG.append(('pre', list(go)))\na = L.tensor([1.0, 2.0], requires_grad=True)\nb = L.tensor([3.0, 4.0])\nc = L.tensor([5.0, 6.0], requires_grad=True)\n"
HOOKS2_CASES = [
    "m = Idx(); m.register_full_backward_hook(H)\nx = L.tensor([1.0, 2.0, 3.0], dtype=L.float64, requires_grad=True)\nm(x, L.tensor([0, 2])).sum().backward()\nr = x.grad",
    "m = Two(); m.register_full_backward_hook(H)\nm(a, L.ones(3, 1, dtype=L.float64)).sum().backward()\nr = a.grad",
    "m = Two(); m.register_full_backward_hook(lambda m, gi, go: (gi[0].double(), gi[1]))\nm(a, c).sum().backward()\nr = a.grad",
    "m = Two(); m.register_full_backward_pre_hook(lambda m, go: (go[0].double(),))\nm(a, c).sum().backward()\nr = a.grad",
    "m = Tup(); m.register_full_backward_hook(H)\ny = m(a, c)\nr = [y[1].add_(1)]",
    "m = Tup(); m.register_full_backward_hook(H)\ny = m(a, c)\nr = [y[0].mul_(2)]",
    "m = Tup(); m.register_full_backward_hook(H)\ny = m(a, c)\nwith L.no_grad():\n    y[0].mul_(2)\nr = y[0].detach()",
    "m = Tup(); m.register_full_backward_hook(H)\ny = m(a, c)\nz = y[0].detach()\nz.add_(1)\nr = z",
    "m = Lin(); m.register_full_backward_hook(lambda m, gi, go: (None,))\ny = m(b)\ny.sum().backward()\nr = m.w.grad",
    "m = Lin(); m.register_full_backward_hook(lambda m, gi, go: (b,))\ny = m(b)\ny.sum().backward()\nr = m.w.grad",
    "m = Lin(); m.register_full_backward_hook(lambda m, gi, go: ())\ny = m(b)\ny.sum().backward()\nr = m.w.grad",
    "m = Lin(); m.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))\ny = m(b)\ny.sum().backward()\nr = m.w.grad",
    "m = Lin(); m.register_full_backward_hook(H)\ny = m(a)\ny.sum().backward()\nr = (a.grad, m.w.grad)",
    "m = Lin(); m.register_full_backward_hook(H)\nm.register_full_backward_hook(lambda m, gi, go: (gi[0] * 3,))\ny = m(a)\ny.sum().backward()\nr = a.grad",
    "m = Lin(); m.register_full_backward_hook(H)\nm.register_full_backward_hook(lambda m, gi, go: (gi[0] * 3,), prepend=True)\ny = m(a)\ny.sum().backward()\nr = a.grad",
    "m = Lin(); h = m.register_full_backward_hook(H)\nh.remove()\ny = m(a)\ny.sum().backward()\nr = (a.grad, y.grad_fn.name())",
    "m = Lin(); m.register_full_backward_hook(H)\ny = m(a)\nr = L.autograd.grad(y.sum(), [a])",
    "m = Lin(); m.register_full_backward_hook(H)\ny = m(a)\nr = L.autograd.grad(y.sum(), [m.w])",
    "m = Lin(); m.register_full_backward_hook(H)\ny = m(a)\nr = y.grad_fn.next_functions[0][0].name()",
    "m = Lin(); m.register_full_backward_hook(H)\ny = m(a)\nr = type(y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]).__name__",
    "m = L.nn.Sequential(Lin(), Lin()); m[0].register_full_backward_hook(H); m[1].register_full_backward_hook(H); m.register_full_backward_hook(H)\ny = m(a)\ny.sum().backward()\nr = a.grad",
    "m = L.nn.Sequential(Lin(), L.nn.ReLU(), Lin()); m[1].register_full_backward_pre_hook(lambda m, go: (go[0] * 0,))\ny = m(a)\ny.sum().backward()\nr = a.grad",
    "m = Lin(); m.register_full_backward_hook(H)\ny = m(a)\n(y * L.tensor([1.0, 0.0])).sum().backward()\ny2 = m(a)\ny2.sum().backward()\nr = a.grad",
    "m = Same(); m.register_full_backward_hook(H)\ny = m(a[0])\ny.backward()\nr = a.grad",
    "m = Same(); m.register_full_backward_hook(H)\ny = m(a)\ny.backward(L.tensor([2.0, 3.0]))\nr = a.grad",
    "m = Same(); m.register_full_backward_hook(H)\nx = a * 1\ny = m(x)\nx.retain_grad()\ny.sum().backward()\nr = (a.grad, x.grad)",
    "m = Same(); m.register_full_backward_hook(H)\ny = m(a)\ny.retain_grad()\ny.sum().backward()\nr = (a.grad, y.grad)",
    "m = Same(); m.register_full_backward_hook(H)\ny = m(b)\nr = (y.is_leaf, y.requires_grad, y.grad_fn)",
    "import collections\nNT = collections.namedtuple('NT', 'p q')\nclass Named(L.nn.Module):\n    def forward(self, x):\n        return NT(x * 2, x * 3)\nm = Named(); m.register_full_backward_hook(H)\ny = m(a)\ny.q.sum().backward()\nr = (type(y).__name__, a.grad)",
    "m = Same(); m.register_full_backward_hook(H)\nwith L.no_grad():\n    y = m(a)\nr = (y.requires_grad, y.grad_fn)",
    "class Lst(L.nn.Module):\n    def forward(self, x):\n        return [x]\nm = Lst(); m.register_full_backward_hook(H)\nwith L.no_grad():\n    y = m(a)\nr = 1",
    "m = Same(); m.register_full_backward_hook(H)\nm.register_forward_hook(lambda mod, args, out: out + 1)\ny = m(a)\ny.sum().backward()\nr = (a.grad, y.grad_fn.name())",
    "m = Same(); m.register_full_backward_hook(H)\nm.register_forward_pre_hook(lambda mod, args: (args[0] * 5,))\ny = m(a)\ny.sum().backward()\nr = (a.grad, y)",
    "m = Same(); m.register_full_backward_hook(H)\nm.register_forward_hook(lambda mod, args, out: LOG.append(('fwd', args[0].grad_fn.name())))\ny = m(a)\nr = y",
    "m = Same(); m.register_full_backward_hook(lambda m, gi, go: LOG.append(go[0].requires_grad))\ny = m(a)\ny.sum().backward()\nr = a.grad",
    "m = Two(); m.register_full_backward_hook(H)\ny = m(a, c)\nr = y.grad_fn.next_functions[0][0] is y.grad_fn.next_functions[1][0]",
]

HOOKS3_SETUP = "\nclass Tup(L.nn.Module):\n    def forward(self, a, b):\n        return a * 2, b * 3\nclass Dct(L.nn.Module):\n    def forward(self, a):\n        return {'k': a * 2}\nclass NT(L.nn.Module):\n    def forward(self, a, k):\n        return a * k\nclass Same(L.nn.Module):\n    def forward(self, a):\n        return a * 2\nclass Lin(L.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = L.nn.Parameter(L.tensor([[1.0, 2.0], [3.0, -1.0]]))\n        self.b = L.nn.Parameter(L.tensor([0.5, 0.25]))\n    def forward(self, x):\n        return x @ self.w + self.b\ndef H(m, gi, go):\n    LOG.append(('gi', list(gi)))\n    LOG.append(('go', list(go)))\na = L.tensor([1.0, 2.0], requires_grad=True)\nx = L.tensor([[1.0, 2.0], [0.5, -1.0], [2.0, 2.0]], requires_grad=True)\nb = L.tensor([3.0, 4.0])\n"
HOOKS3_CASES = [
    "m = Lin(); h = m.register_backward_hook(H)\nr = type(h).__name__",
    "m = Lin(); m.register_backward_hook(H)\ny = m(x)\ny.sum().backward()\nr = x.grad",
    "m = Lin(); m.register_backward_hook(H)\ny = m(b)\ny.sum().backward()\nr = m.b.grad",
    "m = Lin(); m.register_backward_hook(H)\nr = m.register_full_backward_hook(H)",
    "m = Lin(); m.register_full_backward_hook(H)\nr = m.register_backward_hook(H)",
    "m = Tup(); m.register_backward_hook(H)\no = m(x, x)\n(o[0].sum() + o[1].sum()).backward()\nr = x.grad",
    "m = Dct(); m.register_backward_hook(H)\no = m(x)\no['k'].sum().backward()\nr = x.grad",
    "m = NT(); m.register_backward_hook(H)\no = m(x, 2.0)\no.sum().backward()\nr = x.grad",
    "class Lst(L.nn.Module):\n    def forward(self, a):\n        return [a * 2]\nm = Lst(); m.register_backward_hook(H)\no = m(x)\no[0].sum().backward()\nr = x.grad",
    "m = Same(); m.register_backward_hook(H)\no = m(x)\no.sum().backward()\nr = x.grad",
    "m = Same(); m.register_backward_hook(lambda m, gi, go: (gi[0] * 0, None))\no = m(x)\no.sum().backward()\nr = x.grad",
    "m = Same(); m.register_backward_hook(lambda m, gi, go: (gi[0] * 0,))\no = m(x)\no.sum().backward()\nr = x.grad",
    "def myhook(m, gi, go):\n    return (gi[0] * 0,)\nm = Same(); m.register_backward_hook(myhook)\no = m(x)\no.sum().backward()\nr = x.grad",
    "m = Same(); m.register_backward_hook(H)\nwith L.no_grad():\n    o = m(x)\nr = o",
    "m = Same(); m.register_backward_hook(H)\no = m(b)\nr = o",
    "m = L.nn.ReLU(); m.register_backward_hook(H)\no = m(x * 1)\no.sum().backward()\nr = x.grad",
    "m = L.nn.Tanh(); m.register_backward_hook(H)\nz = x * 1\no = m(z)\no.sum().backward()\nr = x.grad",
    "m = Same(); m.register_backward_hook(H)\nm.register_backward_hook(H)\no = m(x)\no.sum().backward()\nr = x.grad",
]

NORM1_CASES = [
    "m = L.nn.BatchNorm1d(3)\ny = m(L.zeros(0, 3))\nr = (y, m.running_mean, m.running_var, m.num_batches_tracked)",
    "m = L.nn.BatchNorm1d(3)\ny = m(L.zeros(0, 3, 4))\nr = (y, m.running_mean, m.running_var, m.num_batches_tracked)",
    "m = L.nn.BatchNorm1d(3)\nx = L.zeros(0, 3, requires_grad=True)\ny = m(x)\ny.sum().backward()\nr = (y, x.grad, m.weight.grad, m.bias.grad)",
    "m = L.nn.BatchNorm1d(3)\nr = m(L.ones(1, 3))",
    "m = L.nn.BatchNorm1d(3)\nr = m(L.ones(1, 3, 1))",
    "m = L.nn.BatchNorm1d(3)\nr = m(L.ones(1, 3, 2))",
    "m = L.nn.BatchNorm1d(3).eval()\nr = m(L.ones(1, 3))",
    "m = L.nn.BatchNorm1d(3)\nr = m(L.ones(3))",
    "m = L.nn.BatchNorm1d(3)\nr = m(L.ones(2, 3, 4, 5))",
    "m = L.nn.BatchNorm1d(3)\nr = m(L.ones(2, 4))",
    "m = L.nn.BatchNorm1d(3, track_running_stats=False).eval()\nr = m(L.ones(1, 3))",
    "m = L.nn.BatchNorm1d(3).eval()\ny = m(L.zeros(0, 3))\nr = (y, m.running_mean)",
    "r = F.batch_norm(L.ones(1, 3), L.zeros(3), L.ones(3), training=True)",
    "r = F.batch_norm(L.ones(1, 3), None, None, training=True)",
    "r = F.batch_norm(L.zeros(0, 3), L.zeros(3), L.ones(3), training=True)",
    "m = L.nn.LayerNorm(3)\nx = L.zeros(0, 3, requires_grad=True)\ny = m(x)\ny.sum().backward()\nr = (y, x.grad, m.weight.grad)",
    "m = L.nn.LayerNorm(3)\nx = L.tensor([[1.0, 2.0, 4.0]], dtype=L.float16)\nr = m(x)",
    "m = L.nn.BatchNorm1d(3)\nx = L.tensor([[1.0, 2.0, 4.0], [0.5, -1.0, 2.0]], dtype=L.float16)\nr = (m(x), m.running_mean, m.running_var)",
    "m = L.nn.BatchNorm1d(3)\nx = L.tensor([[1.0, 2.0, 4.0], [0.5, -1.0, 2.0]], dtype=L.float16, requires_grad=True)\ny = m(x)\n(y * L.tensor([1.0, 2.0, 3.0], dtype=L.float16)).sum().backward()\nr = (y, x.grad, m.weight.grad, m.bias.grad)",
    "m = L.nn.BatchNorm1d(3).eval()\nx = L.tensor([[1.0, 2.0, 4.0], [0.5, -1.0, 2.0]], dtype=L.float16)\nr = m(x)",
    "m = L.nn.LayerNorm(3).half()\nx = L.tensor([[1.0, 2.0, 4.0]], dtype=L.float16)\nr = m(x)",
    "m = L.nn.BatchNorm1d(3).half()\nx = L.tensor([[1.0, 2.0, 4.0], [0.5, -1.0, 2.0]], dtype=L.float16)\nr = (m(x), m.running_mean)",
    "r = F.layer_norm(L.tensor([[1.0, 2.0, 4.0]], dtype=L.float16), (3,))",
    "r = F.layer_norm(L.tensor([[1.0, 2.0, 4.0]], dtype=L.float16), (3,), L.ones(3), L.zeros(3, dtype=L.float16))",
    "r = F.batch_norm(L.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=L.float16), L.zeros(2), L.ones(2), training=True)",
    "r = F.batch_norm(L.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=L.float16), L.zeros(2, dtype=L.float16), L.ones(2), training=True)",
    "r = F.batch_norm(L.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=L.float16), L.zeros(2), L.ones(2), L.ones(2, dtype=L.float16), training=True)",
    "m = L.nn.LayerNorm(3)\nx = L.tensor([[1.0, 2.0, 4.0]], dtype=L.float64)\nr = m(x)",
]

FLAT_CASES = [
    "r = L.tensor(3.0).flatten()",
    "r = L.tensor(3.0).flatten(0)",
    "r = L.tensor(3.0).flatten(-1)",
    "r = L.tensor(3.0).flatten(0, -1)",
    "r = L.tensor(3.0).flatten(1)",
    "r = L.tensor(3.0).flatten(-2)",
    "r = L.tensor(3.0).flatten(0, 1)",
    "r = L.flatten(L.tensor(3.0))",
    "x = L.tensor(3.0, requires_grad=True)\ny = x.flatten()\ny.sum().backward()\nr = (y, x.grad)",
    "r = L.nn.Flatten()(L.tensor(3.0))",
    "r = L.nn.Flatten(0)(L.tensor(3.0))",
    "r = L.nn.Flatten(0, -1)(L.tensor(3.0))",
    "r = L.nn.Flatten()(L.ones(3))",
    "r = L.nn.Flatten()(L.ones(2, 3, 4))",
    "r = L.nn.Flatten(2)(L.ones(2, 3))",
    "r = L.nn.Flatten(1, 0)(L.ones(2, 3))",
    "r = L.ones(2, 3).flatten(1, 0)",
    "r = L.ones(2, 3).flatten(3)",
    "r = L.ones(2, 3).flatten(0, 5)",
    "r = L.ones(0, 3).flatten()",
    "r = L.ones(2, 0, 3).flatten(1)",
    "r = L.ones(2, 3).flatten(1.0)",
    "r = L.ones(2, 3).flatten(start_dim=1)",
    "r = L.ones(2, 3).t().flatten()",
    "x = L.ones(2, 3)\nr = x.flatten() is x",
    "x = L.ones(6)\nr = x.flatten() is x",
    "x = L.ones(2, 3, requires_grad=True)\nr = x.flatten().grad_fn.name()",
    "x = L.ones(6, requires_grad=True)\nr = x.flatten().grad_fn",
    "x = L.tensor(1.0, requires_grad=True)\nr = x.flatten().grad_fn.name()",
    "r = repr(L.nn.Flatten(0, 2))",
    "r = repr(L.nn.Flatten())",
]

MISC_CASES = [
    "r = L.nn.Dropout(p=1.5)",
    "r = L.nn.Dropout(p=-0.1)",
    "r = F.dropout(L.ones(3), p=1.5)",
    "m = L.nn.Dropout(p=1.0)\nr = m(L.ones(3))",
    "m = L.nn.Dropout(p=0.0)\nr = m(L.ones(3))",
    "r = F.dropout(L.ones(3), p=0.5, training=False)",
    "x = L.ones(3)\nr = F.dropout(x, training=False) is x",
    "r = F.one_hot(L.tensor([0, 2]))",
    "r = F.one_hot(L.tensor([0, 2]), -1)",
    "r = F.one_hot(L.tensor([0, 3]), 3)",
    "r = F.one_hot(L.tensor([0, -1]), 3)",
    "r = F.one_hot(L.tensor([0.0, 1.0]), 3)",
    "r = F.one_hot(L.tensor([], dtype=L.int64))",
    "r = F.one_hot(L.tensor([], dtype=L.int64), 3)",
    "r = F.one_hot(L.tensor(1), 3)",
    "r = F.one_hot(L.tensor([1]), 0)",
    "r = F.one_hot(L.tensor([1]), -2)",
    "r = F.normalize(L.tensor([[3.0, 4.0], [0.0, 0.0]]))",
    "r = F.normalize(L.tensor([[3.0, 4.0], [1.0, 0.0]]), p=1, dim=0)",
    "r = F.normalize(L.tensor([[3.0, 4.0], [1.0, 0.0]]), p=float('inf'), dim=-1)",
    "r = F.normalize(L.tensor([3.0, 4.0]), dim=0, eps=10.0)",
    "r = F.normalize(L.tensor([3.0, 4.0]))",
    "r = F.normalize(L.tensor(3.0), dim=0)",
    "r = F.normalize(L.tensor([3.0, 4.0]), p=0, dim=0)",
    "x = L.tensor([0.5, -1.0, 2.0], dtype=L.float64, requires_grad=True)\ny = F.gelu(x, approximate='tanh')\ny.sum().backward()\nr = (y, x.grad)",
    "r = F.gelu(L.ones(2), approximate='bad')",
    "r = repr(L.nn.GELU(approximate='tanh'))",
    "r = L.nn.Softmax()(L.ones(2, 3))",
    "r = L.nn.Softmax()(L.ones(3))",
    "r = L.nn.Softmax()(L.ones(2, 3, 4))",
    "r = L.nn.LogSoftmax()(L.ones(2, 3, 4, 5))",
    "r = L.nn.Softmax()(L.ones(()))",
    "r = repr(L.nn.Softmax())",
    "r = repr(L.nn.Softmax(dim=1))",
    "w = L.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\ne = L.nn.Embedding.from_pretrained(w)\nr = (e.weight.requires_grad, e(L.tensor([2])), repr(e))",
    "w = L.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\ne = L.nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)\nr = (e.weight.requires_grad, e.padding_idx, e(L.tensor([1])), repr(e))",
    "r = L.nn.Embedding.from_pretrained(L.ones(3))",
    "r = L.nn.Embedding.from_pretrained(L.ones(3, 2), padding_idx=5)",
    "r = L.nn.Embedding.from_pretrained(L.ones(3, 2), padding_idx=-1).padding_idx",
]


@pytest.mark.parametrize("case", HOOKS1_CASES)
def test_full_backward_hooks(case):
    _assert_same(HOOKS1_SETUP + case)


@pytest.mark.parametrize("case", HOOKS2_CASES)
def test_full_backward_hooks_more(case):
    _assert_same(HOOKS2_SETUP + case)


@pytest.mark.parametrize("case", HOOKS3_CASES)
def test_deprecated_backward_hook(case):
    _assert_same(HOOKS3_SETUP + case)


@pytest.mark.parametrize("case", NORM1_CASES)
def test_norm_layers_empty_batch_and_half(case):
    _assert_same(case)


@pytest.mark.parametrize("case", FLAT_CASES)
def test_flatten(case):
    _assert_same(case)


@pytest.mark.parametrize("case", MISC_CASES)
def test_functional_edges(case):
    _assert_same(case)


def test_unused_input_gets_zeros_through_a_hooked_module():
    """torch's hook node hands zeros to an input whose path got no gradient."""

    class Pair(mt.nn.Module):
        def forward(self, a, b):
            return a * 2, b * 3

    m = Pair()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
    a = mt.tensor([1.0, 2.0], requires_grad=True)
    c = mt.tensor([5.0, 6.0], requires_grad=True)
    y, _ = m(a, c)
    y.sum().backward()
    assert c.grad is not None and c.grad.tolist() == [0.0, 0.0]
    (grad_input, grad_output) = seen[0]
    assert [g.tolist() for g in grad_input] == [[2.0, 2.0], [0.0, 0.0]]
    assert grad_output[1] is None


def test_half_layer_norm_matches_torch_within_half_precision():
    for lib in (mt, torch):
        lib.manual_seed(0)
    data = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]])
    results = []
    for lib in (torch, mt):
        m = lib.nn.LayerNorm(3)
        x = lib.tensor(data, dtype=lib.float16, requires_grad=True)
        y = m(x)
        (y * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float16)).sum().backward()
        results.append((y, x.grad, m.weight.grad, m.bias.grad))
    for want, got in zip(*results, strict=True):
        assert str(got.dtype) == str(want.dtype)
        np.testing.assert_allclose(
            got.detach().numpy().astype(np.float64),
            want.detach().numpy().astype(np.float64),
            rtol=2e-3,
            atol=2e-3,
        )


def _x64(*shape):
    return mt.tensor(np.sin(np.arange(1.0, 1.0 + np.prod(shape))).reshape(shape), dtype=mt.float64)


def test_normalize_p0_gradcheck():
    x = _x64(3, 4).requires_grad_()
    assert gradcheck(lambda t: mt.nn.functional.normalize(t, p=0, dim=1), (x,))


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck_after_refactor(training):
    x = _x64(4, 3, 2).requires_grad_()
    w = _x64(3).requires_grad_()
    b = _x64(3).requires_grad_()

    def fn(x, w, b):
        mean, var = mt.zeros(3, dtype=mt.float64), mt.ones(3, dtype=mt.float64)
        return mt.nn.functional.batch_norm(x, mean, var, w, b, training=training)

    assert gradcheck(fn, (x, w, b))


def test_layer_norm_gradcheck_after_refactor():
    x = _x64(4, 3).requires_grad_()
    w = _x64(3).requires_grad_()
    b = _x64(3).requires_grad_()
    assert gradcheck(lambda x, w, b: mt.nn.functional.layer_norm(x, (3,), w, b), (x, w, b))


def test_empty_batch_norm_gradcheck():
    x = mt.zeros(0, 3, dtype=mt.float64, requires_grad=True)
    w = _x64(3).requires_grad_()
    b = _x64(3).requires_grad_()

    def fn(x, w, b):
        return mt.nn.functional.batch_norm(x, None, None, w, b, training=True)

    assert gradcheck(fn, (x, w, b))


def test_full_backward_hook_gradients_are_exact():
    """A hooked module changes no gradient: gradcheck through it, with an unhooked twin."""

    class Mix(mt.nn.Module):
        def forward(self, a, b):
            return a * b.sin(), (a + b).exp()

    m = Mix()
    m.register_full_backward_hook(lambda *args: None)
    m.register_full_backward_pre_hook(lambda *args: None)
    a, b = _x64(3).requires_grad_(), _x64(3).requires_grad_()

    def fn(a, b):
        y, z = m(a, b)
        return y * 2 + z

    assert gradcheck(fn, (a, b))
