"""`grad_fn.next_functions` lists what PyTorch lists: tensor inputs (None when they need no
grad), the python number of `x + 2`-style ops, never dims or options."""

import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

CASES = {
    "x+2": lambda L, x: x + 2,
    "2+x": lambda L, x: 2 + x,
    "x*2": lambda L, x: x * 2,
    "2*x": lambda L, x: 2 * x,
    "x/2": lambda L, x: x / 2,
    "2/x": lambda L, x: 2 / x,
    "2-x": lambda L, x: 2 - x,
    "x-2": lambda L, x: x - 2,
    "x**2": lambda L, x: x**2,
    "2**x": lambda L, x: 2**x,
    "x*x": lambda L, x: x * x,
    "sum(0)": lambda L, x: x.sum(0),
    "mean": lambda L, x: x.mean(),
    "reshape": lambda L, x: x.reshape(3, 2),
    "x[0]": lambda L, x: x[0],
    "clamp": lambda L, x: x.clamp(0, 1),
    "1d@2d": lambda L, x: L.ones(2) @ x,
    "unsqueeze": lambda L, x: x.unsqueeze(0),
    "squeeze(dims)": lambda L, x: x.unsqueeze(0).squeeze(0),
    "max(1)": lambda L, x: x.max(1)[0],
    "cat": lambda L, x: L.cat([x, x]),
    "sigmoid": lambda L, x: x.sigmoid(),
    "where": lambda L, x: L.where(x > 0, x, 0.0),
    "transpose": lambda L, x: x.transpose(0, 1),
    "bce": lambda L, x: L.nn.functional.binary_cross_entropy_with_logits(x, L.ones(2, 3)),
    "softmax": lambda L, x: x.softmax(1),
    "x+const": lambda L, x: x + L.ones(3),
}


def _structure(lib, fn):
    x = lib.ones(2, 3, requires_grad=True)
    out = fn(lib, x)
    return [
        None if node is None else node.name().split("::")[-1]
        for node, _ in out.grad_fn.next_functions
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_next_functions_match_torch(name):
    assert _structure(mt, CASES[name]) == _structure(torch, CASES[name])
