"""Autograd-semantics sweep: each snippet runs with `torch` bound to minitorch_ft and to torch;
what it prints, the exception it raises (type and text) and the warnings it emits must agree."""

from __future__ import annotations

import pytest

import minitorch_ft as mt
from tests.parity.helpers import assert_same_printed

BACKWARD_AND_GRAD = [
    # gradients must be Tensors or None (checked before the count and the requires_grad check)
    "x = torch.ones(3, requires_grad=True); (x * x).backward([1., 1., 1.])",
    "x = torch.ones(3, requires_grad=True); (x * x).backward(np.ones(3))",
    "x = torch.ones(3); x.backward(torch.ones(2))",
    # more gradients than outputs: the extra ones are ignored, as torch
    "x = torch.ones(3, requires_grad=True); "
    "torch.autograd.backward([x.sum()], [torch.tensor(1.), torch.tensor(5.)]); print(x.grad)",
    "x = torch.ones(3, requires_grad=True); "
    "print(torch.autograd.grad([x.sum()], [x], [torch.tensor(1.), torch.tensor(5.)]))",
    "x = torch.ones(3, requires_grad=True); torch.autograd.backward([x.sum(), 5])",
    # inputs= checks, and grad()'s dict inputs
    "x = torch.ones(3, requires_grad=True); x.sum().backward(inputs=[5])",
    "x = torch.ones(3, requires_grad=True); torch.autograd.grad(x.sum(), [x, 5])",
    "x = torch.ones(3, requires_grad=True); torch.autograd.grad(x.sum(), [])",
    "x = torch.ones(3, requires_grad=True); y = torch.ones(2, requires_grad=True); "
    "print(torch.autograd.grad((x * y.sum()).sum(), {'a': x, 'b': y}))",
    "x = torch.ones(3, requires_grad=True); "
    "torch.autograd.grad(x.sum(), x, materialize_grads=True, allow_unused=False)",
    "x = torch.ones(3, requires_grad=True); y = torch.ones(2, requires_grad=True); "
    "print(torch.autograd.grad(x.sum(), (x, y), materialize_grads=True))",
    "x = torch.ones(3, requires_grad=True); print(torch.autograd.grad(x.sum(), x, only_inputs=False))",
    # the gradient has the input's dtype whatever grad_outputs' dtype
    "x = torch.ones(3, requires_grad=True); y = (x * x).sum(); "
    "g, = torch.autograd.grad(y, x, torch.tensor(1.0, dtype=torch.float64)); print(g, g.dtype)",
    "x = torch.ones(3, requires_grad=True); y = (x * x).sum(); "
    "print(torch.autograd.grad(y, x, torch.tensor(1, dtype=torch.int64)))",
    # hooks see the tensor's dtype in mixed-dtype graphs
    "x = torch.ones(3, requires_grad=True); x.register_hook(lambda g: print(g.dtype)); "
    "(x * torch.ones(3, dtype=torch.float64)).sum().backward(); print(x.grad.dtype)",
    "x = torch.ones(3, requires_grad=True); h = x * 1; h.register_hook(lambda g: print(g.dtype)); "
    "(h + torch.ones(3, dtype=torch.float64, requires_grad=True)).sum().backward()",
    "x = torch.ones(3, requires_grad=True); y = x * 2; "
    "y.register_hook(lambda g: print(g.dtype)); y.backward(torch.ones(3, dtype=torch.float64))",
    # grad() for an intermediate does not run (so does not free) the nodes beyond it
    "x = torch.ones(3, requires_grad=True); y = x.exp(); z = y.sum(); "
    "print(torch.autograd.grad(z, y)); print(torch.autograd.grad(z, x))",
    "x = torch.ones(3, requires_grad=True); y = x.exp(); z = y.exp().sum(); "
    "print(torch.autograd.grad(z, [x, y]))",
    # backward(inputs=[non_leaf]) does run that node
    "x = torch.ones(3, requires_grad=True); y = x.exp(); z = y.exp().sum(); "
    "z.backward(inputs=[y]); z.backward(inputs=[x])",
]

HOOKS = [
    "x = torch.ones(3, requires_grad=True); "
    "x.register_hook(lambda g: torch.ones(3, dtype=torch.float64)); (x * 2).sum().backward()",
    "x = torch.ones(3, requires_grad=True); "
    "x.register_hook(lambda g: torch.ones(2, dtype=torch.float64)); (x * 2).sum().backward()",
    "x = torch.ones(3, requires_grad=True); x.register_hook(lambda g: g.long()); "
    "(x * 2).sum().backward()",
    "import functools\ndef f(g, k): return g.double()\n"
    "x = torch.ones(3, requires_grad=True); x.register_hook(functools.partial(f, k=1)); "
    "(x * 2).sum().backward()",
    "x = torch.ones(3, requires_grad=True); x.register_hook(lambda g: 5); (x * 2).sum().backward()",
    "x = torch.ones(3, requires_grad=True); y = x * 2; y.register_hook(lambda g: (g,)); "
    "y.sum().backward()",
    "x = torch.ones(3, requires_grad=True); x.register_post_accumulate_grad_hook(lambda t: 5); "
    "(x * 2).sum().backward()",
    # node hooks: grad_inputs line up with next_functions, None where nothing flows
    "x = torch.ones(3, requires_grad=True); y = x * 2; "
    "y.grad_fn.register_hook(lambda gi, go: print(gi, go)); y.sum().backward()",
    "x = torch.ones(3, requires_grad=True); y = x * torch.ones(3); "
    "y.grad_fn.register_hook(lambda gi, go: print(gi, go)); y.sum().backward()",
    "x = torch.ones(3, requires_grad=True); y = x.sum(0); "
    "y.grad_fn.register_hook(lambda gi, go: print(gi, go)); y.backward()",
    # ... and may replace them
    "x = torch.ones(3, requires_grad=True); y = x * 2; "
    "y.grad_fn.register_hook(lambda gi, go: (gi[0] * 5, None)); y.sum().backward(); print(x.grad)",
    "x = torch.ones(3, requires_grad=True); y = x * 2; "
    "y.grad_fn.register_hook(lambda gi, go: (gi[0] * 5,)); y.sum().backward()",
    "x = torch.ones(3, requires_grad=True); y = x * 2; "
    "y.grad_fn.register_hook(lambda gi, go: (gi[0], gi[0])); y.sum().backward()",
    "x = torch.ones(3, requires_grad=True); y = x * 2; "
    "y.grad_fn.register_hook(lambda gi, go: 5); y.sum().backward()",
    # hooks on a leaf's AccumulateGrad node
    "x = torch.ones(3, requires_grad=True); y = x * 2; acc = y.grad_fn.next_functions[0][0]; "
    "h = acc.register_hook(lambda gi, go: print('acc', gi, go)); "
    "y.sum().backward(retain_graph=True); h.remove(); y.sum().backward(); print(x.grad)",
    "x = torch.ones(3, requires_grad=True); y = x * 2; acc = y.grad_fn.next_functions[0][0]; "
    "h = acc.register_prehook(lambda go: (go[0] * 10,)); y.sum().backward(retain_graph=True); "
    "print(x.grad); h.remove(); y.sum().backward(); print(x.grad)",
    "x = torch.ones(3, requires_grad=True); y = x * 2; acc = y.grad_fn.next_functions[0][0]; "
    "acc.register_hook(lambda gi, go: print('acc', gi, go)); print(torch.autograd.grad(y.sum(), x))",
]

FUNCTION = [
    # save_for_backward takes tensors and None only
    "class F(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, a):\n"
    "        ctx.save_for_backward(a, None, 3); return a * 2\n"
    "    @staticmethod\n"
    "    def backward(ctx, g):\n"
    "        return g * 2\n"
    "F.apply(torch.ones(3, requires_grad=True))",
    "class F(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, a):\n"
    "        ctx.save_for_backward(a, None); return a * 2\n"
    "    @staticmethod\n"
    "    def backward(ctx, g):\n"
    "        print(ctx.saved_tensors); return g * 2\n"
    "F.apply(torch.ones(3, requires_grad=True)).sum().backward()",
    # backward must return Tensors or None
    "class F(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, a):\n"
    "        return a * 2\n"
    "    @staticmethod\n"
    "    def backward(ctx, g):\n"
    "        return 5.0\n"
    "F.apply(torch.ones(3, requires_grad=True)).sum().backward()",
    # no differentiable output: nothing recorded, the outputs come back as they are
    "class F(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, a):\n"
    "        return a.long()\n"
    "    @staticmethod\n"
    "    def backward(ctx, g):\n"
    "        return g\n"
    "y = F.apply(torch.ones(3, requires_grad=True)); print(y, y.requires_grad, y.grad_fn)",
    "class F(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, a):\n"
    "        return 5\n"
    "    @staticmethod\n"
    "    def backward(ctx, g):\n"
    "        return g\n"
    "print(F.apply(torch.ones(3, requires_grad=True)))",
]

TENSOR_STATE = [
    "x = torch.ones(2, 3); x.requires_grad = 1",
    "x = torch.ones(2, 3); x.requires_grad_('yes')",
    "x = torch.ones(2, 3); x.requires_grad_(1)",
    "x = torch.ones(3, requires_grad=True); np.asarray(x)",
    "x = torch.ones(3, requires_grad=True); print(np.asarray(x.detach()))",
    "x = torch.ones(3, requires_grad=True); print(float(x.sum()), int(x.sum()), x.sum().item())",
    "x = torch.ones(3, requires_grad=True); print(complex(x[0]), '%.1f' % x[1], f'{x[2]:.1f}')",
    "print(float(torch.ones(1)), complex(torch.tensor(2.)))",
    "print(torch.tensor(1.).T)",
    "print(torch.arange(3.).T)",
    "print(torch.arange(24.).reshape(2, 3, 4).T.shape)",
    "x = torch.ones(2, 3); print(x.nbytes, x.itemsize, torch.ones(2, dtype=torch.int64).nbytes)",
]

GRAD_MODE = [
    "@torch.no_grad()\nclass A:\n    def __init__(self): print(torch.is_grad_enabled())\nA()",
    "@torch.enable_grad\nclass A:\n    def __init__(self): print(torch.is_grad_enabled())\n"
    "with torch.no_grad():\n    A()",
]

GRADCHECK = [
    "x = torch.ones(3, dtype=torch.float64, requires_grad=True); "
    "print(torch.autograd.gradcheck(lambda a: a.exp(), [x]))",
    "x = torch.ones(3, dtype=torch.float64); torch.autograd.gradcheck(lambda a: a.exp(), (x,))",
    "x = torch.ones(3, dtype=torch.float64, requires_grad=True); "
    "print(torch.autograd.gradcheck(lambda a: a.argmax(), (x,)))",
    "x = torch.ones(3, dtype=torch.float64, requires_grad=True); "
    "print(torch.autograd.gradcheck(lambda a: a.detach() * 2, (x,), raise_exception=False))",
    "x = torch.ones(3, dtype=torch.float64, requires_grad=True); "
    "print(torch.autograd.gradcheck(lambda a: (a * 2, a.sum()), (x,)))",
    "class Bad(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, a): return a * 2\n"
    "    @staticmethod\n"
    "    def backward(ctx, g): return g * 3\n"
    "x = torch.ones(3, dtype=torch.float64, requires_grad=True)\n"
    "torch.autograd.gradcheck(Bad.apply, (x,))",
    "class Bad(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, a): return a * 2\n"
    "    @staticmethod\n"
    "    def backward(ctx, g): return g * 3\n"
    "x = torch.ones(3, dtype=torch.float64, requires_grad=True)\n"
    "torch.autograd.gradcheck(lambda a: (a.sum(), Bad.apply(a)), (x,))",
]


@pytest.mark.parametrize(
    "code", BACKWARD_AND_GRAD + HOOKS + FUNCTION + TENSOR_STATE + GRAD_MODE + GRADCHECK
)
def test_autograd_sweep_matches_torch(code):
    assert_same_printed(code)


def test_float32_gradcheck_warns_like_torch():
    """torch's numerical Jacobian in float32 differs from ours; the warning must not."""
    x = mt.ones(3, requires_grad=True)
    with pytest.warns(UserWarning, match=r"^Input #0 requires gradient and is not a double"):
        assert mt.autograd.gradcheck(lambda a: a * 2, (x,), atol=0.1)
