"""The autograd tutorial (shared/seeds/autograd_tutorial.txt) runs unchanged on minitorch_ft.

Its code cells are below verbatim, only the import line changed; the assertions check that
what it prints reads like PyTorch 2.x's output (issue 2).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

CELLS = [
    """\
import minitorch_ft as torch

x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w)+b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y) # reference is added for backward propagation
""",
    """\
print('Gradient function for b =',b.grad_fn)
print('Gradient function for z =',z.grad_fn)
print('Gradient function for loss =', loss.grad_fn)
""",
    """\
loss.backward(retain_graph=False)
print(w.grad)
print(b.grad)
""",
    """\
z = torch.matmul(x, w)+b
print(z.requires_grad)

with torch.no_grad():
    z = torch.matmul(x, w)+b
print(z.requires_grad)
""",
    """\
# Achieves the same result

z = torch.matmul(x, w)+b
z_det = z.detach()
print(z_det.requires_grad)
""",
]

_ROW = r"\[\d\.\d{4}, \d\.\d{4}, \d\.\d{4}\]"


@pytest.fixture(scope="module")
def tutorial():
    """Run every cell in one namespace; return (namespace, printed lines per cell)."""
    import contextlib
    import io

    import minitorch_ft

    minitorch_ft.manual_seed(0)
    namespace: dict = {}
    printed = []
    for cell in CELLS:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(cell, "<tutorial>", "exec"), namespace)
        printed.append(out.getvalue().splitlines())
    return namespace, printed


def test_grad_fn_lines(tutorial):
    _, printed = tutorial
    b_line, z_line, loss_line = printed[1]
    assert b_line == "Gradient function for b = None"
    assert re.fullmatch(r"Gradient function for z = <AddBackward0 object at 0x[0-9a-f]+>", z_line)
    assert re.fullmatch(
        r"Gradient function for loss = "
        r"<BinaryCrossEntropyWithLogitsBackward0 object at 0x[0-9a-f]+>",
        loss_line,
    )


def test_gradients_print_like_torch(tutorial):
    ns, printed = tutorial
    lines = printed[2]
    assert len(lines) == 6
    assert re.fullmatch(r"tensor\(\[" + _ROW + ",", lines[0])
    for line in lines[1:4]:
        assert re.fullmatch(r" {8}" + _ROW + ",", line)
    assert re.fullmatch(r" {8}" + _ROW + r"\]\)", lines[4])
    assert re.fullmatch(r"tensor\(" + _ROW + r"\)", lines[5])
    # every row of w.grad is b.grad: x is all ones
    assert all(line.strip(" tensor([]),") == lines[5].strip(" tensor([]),") for line in lines[:5])
    assert ns["w"].grad.shape == (5, 3)
    assert ns["b"].grad.dtype == ns["torch"].float32


def test_gradients_match_torch(tutorial):
    torch = pytest.importorskip("torch")
    ns, printed = tutorial
    w = torch.tensor(ns["w"].detach().numpy(), requires_grad=True)
    b = torch.tensor(ns["b"].detach().numpy(), requires_grad=True)
    z = torch.matmul(torch.ones(5), w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.zeros(3))
    loss.backward()
    np.testing.assert_allclose(ns["w"].grad.numpy(), w.grad.numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(ns["b"].grad.numpy(), b.grad.numpy(), rtol=1e-6, atol=1e-7)
    assert printed[2] == (str(w.grad) + "\n" + str(b.grad)).splitlines()
    assert repr(ns["loss"].detach()) == repr(loss.detach())


def test_requires_grad_lines(tutorial):
    _, printed = tutorial
    assert printed[3] == ["True", "False"]
    assert printed[4] == ["False"]


def test_detach_shares_data(tutorial):
    ns, _ = tutorial
    assert ns["z_det"].grad_fn is None and ns["z_det"].is_leaf
    np.testing.assert_array_equal(ns["z_det"].numpy(), ns["z"].detach().numpy())


def test_second_backward_raises(tutorial):
    ns, _ = tutorial
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        ns["loss"].backward()
