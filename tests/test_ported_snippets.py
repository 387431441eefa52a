"""PyTorch tutorial and doc snippets, ported by changing only the imports, run on minitorch_ft.

The snippets live in tests/ported_snippets/. Each test runs one and checks lines of its
printout against what PyTorch 2.13 printed for the same code (recorded here, so these tests
need no torch; tests/parity/test_ported_snippets_parity.py compares whole printouts live).
The later tests pin the library fixes the porting turned up and the known deviations.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import minitorch_ft as torch
from minitorch_ft import nn
from tests.ported_snippets.runner import NAMES, port, run

# Lines PyTorch printed for each snippet; the port must print each of them (addresses aside).
EXPECTED = {
    "s01_tensors": [
        "Device tensor is stored on: cpu",
        "False None False",
        "12.0 <class 'float'>",
        "t: tensor([2., 2., 2., 2., 2.], dtype=torch.float64)",
        "tensor([[6., 5., 6., 6.],",
    ],
    "s02_out": [
        "RuntimeError mul(): functions with out=... arguments don't support automatic "
        "differentiation, but one of the arguments requires grad.",
        "RuntimeError result type Float can't be cast to the desired output type Long",
        "tensor([2., 2.]) 1 An output with one or more elements was resized since it had shape [3]",
        "True tensor([3., 3.])",
        "tensor([-5., -5.], dtype=torch.float64)",
    ],
    "s03_buildmodel": [
        "Using cpu device",
        "    (4): Linear(in_features=512, out_features=10, bias=True)",
        "Predicted class: tensor([8])",
        "<AddmmBackward0 object at 0x> <SoftmaxBackward0 object at 0x> torch.int64",
        "Layer: linear_relu_stack.0.bias | Size: torch.Size([512]) | Values : "
        "tensor([-0.0131,  0.0709], grad_fn=<SliceBackward0>) ",
    ],
    "s04_optloop": [
        "Feature batch shape: torch.Size([16, 1, 28, 28])",
        "loss: 2.285041  [   16/   64]",
        "loss: 2.252999  [   48/   64]",
        " Accuracy: 12.5%, Avg loss: 2.3411",
        "False None",
    ],
    "s05_saveload": [
        "<All keys matched successfully>",
        "tensor([[-10.8700,  -9.4800]], grad_fn=<AddmmBackward0>)",
        "5 0.25 0.01 0.9",
        "        [-6.6000, -6.6000, -6.6000, -6.6000]])",
        "_IncompatibleKeys(missing_keys=['2.bias'], unexpected_keys=['extra'])",
        "\tsize mismatch for 0.weight: copying a param with shape torch.Size([5, 4]) from "
        "checkpoint, the shape in current model is torch.Size([3, 4]).",
    ],
    "s06_nn_really": [
        "tensor(2.4714, grad_fn=<NegBackward0>)",
        "tensor(2.5278, grad_fn=<NllLossBackward0>)",
        "0 21.76657",
        "tensor(49.6296) Tensor",
        "[(40, 1, 28, 28)] 1",
    ],
    "s07_autograd": [
        "(<MmBackward0 object at 0x>, 0)",
        "E2 grad can be implicitly created only for scalar outputs",
        "tensor([[8., 4., 4., 4., 4.],",
        "which is output 0 of Sigmoid, is at version 1; expected version 0 instead.",
        "tensor([ 6., 12.]) tensor([21., 39.]) False True",
        "E5 Only Tensors of floating point and complex dtype can require gradients",
        "tensor([10.,  2.], requires_grad=True)",
    ],
    "s08_function": [
        "LinearFunctionBackward torch.Size([5, 3]) True",
        "tensor([ 5.5000, 11.0000, 16.5000], grad_fn=<MulConstantBackward>) "
        "tensor([5.5000, 5.5000, 5.5000])",
        "cube tensor([1., 8.], grad_fn=<MyCubeBackward>) tensor([ 3., 12.])",
        "MyLinear(input_features=4, output_features=2, bias=True) "
        "MyLinear(input_features=3, output_features=1, bias=False)",
        "299 100.7",
        "Result: y = -0.0000 + -1.5471 * P3(-0.0000 + 0.2498 x)",
    ],
    "s09_optim": [
        "[0.01, 0.001] 2",
        "tensor(5.) ['exp_avg', 'exp_avg_sq', 'step']",
        "ValueError some parameters appear in more than one parameter group",
        "ValueError Nesterov momentum requires a momentum and zero dampening",
        "TypeError params argument given to the optimizer should be an iterable of Tensors "
        "or dicts, but got torch.FloatTensor",
    ],
    "s10_sched": [
        "step [0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]",
        "plateau [0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001]",
        "seq [0.04, 0.07, 0.1, 0.09045085, 0.06545085, 0.03454915, 0.00954915, 0.0]",
        "chained [0.0675, 0.081, 0.0729, 0.06561]",
        "3 [0.05]",
    ],
    "s11_init": [
        "1.3867504905630728 1.6666666666666667 1.4142135623730951 1 0.75 1",
        "ValueError Unsupported nonlinearity foo",
        "ValueError Only tensors with 2 dimensions are supported",
        "ValueError Mode fan_x not supported, please use one of ['fan_in', 'fan_out']",
        "(5, 3)",
    ],
    "s12_finetune": [
        "['fc.weight', 'fc.bias']",
        "18 90",
        "train Loss: 0.710 Acc: 0.4167 Tensor torch.int64 torch.float64",
        "Best val Acc: 0.750000",
        "False tensor(3)",
        "False True True",
    ],
    "s13_examples": [
        "Result: y = 0.0374 + 0.4833 x + -0.0064 x^2 + -0.0402 x^3",
        "torch.Size([2000, 3]) torch.float32 torch.int64",
        "Result: y = 0.0100 + 0.4472 x + -0.0017 x^2 + -0.0351 x^3",
        "299 159.7",
        "1295.387 True",
    ],
    "s14_data": [
        "torch.Size([1, 4, 4]) tensor([0., 0., 0., 1., 0., 0., 0., 0., 0., 0.])",
        "Labels batch shape: torch.Size([4, 10])",
        "list torch.float32 tensor([0, 1, 2, 3]) torch.int64 2",
        "ValueError Sum of input lengths does not equal the length of the input dataset!",
    ],
    "s15_scatter": [
        "        [0., 0., 4., 3.]])",
        "tensor([0., 2., 0., 0., 1.])",
        "a leaf Variable that requires grad is being used in an in-place operation.",
        "ScatterAddBackward0",
        "scatter(): Expected dtype int32/int64 for index",
    ],
    "s16_module": [
        "    (0-1): 2 x Linear(in_features=3, out_features=3, bias=True)",
        "'MyModule' object has no attribute 'nope'",
        "cannot assign module before Module.__init__() call",
        "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
        "IndexError Target 3 is out of bounds.",
        "mat1 and mat2 shapes cannot be multiplied (2x4 and 3x2)",
    ],
    "s17_examples_mnist": [
        "Train Epoch: 1 [16/32 (50%)]\tLoss: 2.215002 norm 1.5357",
        "Test set: Average loss: 2.6308, Accuracy: 2/16 (12%)",
        "tensor([ 4.,  8., 12.])",
        "[('Linear', (2, 32))]",
        "[(1, (3, 10))]",
        "tensor([3., 4.]) None",
        "The differentiated Tensor at index 0 appears to not have been used in the graph.",
    ],
    "s18_blitz": [
        "        [12.5000, 13.5000, 14.5000]])",
        "torch.Size([4, 4]) torch.Size([16]) torch.Size([2, 8])",
        "torch.Size([2, 3]) torch.float32",
        "True 6 torch.FloatTensor torch.LongTensor",
        "indices=tensor([1, 0]))",
        "tensor([3., 2.]) tensor([0, 2])",
    ],
}


def test_every_snippet_has_expectations():
    assert sorted(EXPECTED) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_snippet_prints_torchs_lines(name):
    printed = re.sub(r"0x[0-9a-f]+", "0x", run(name))
    for line in EXPECTED[name]:
        assert line in printed, f"{name}: missing {line!r}"


def test_port_changes_only_imports():
    src = "import torch\nfrom torch import nn\nfrom torch.utils.data import DataLoader\nx = 1\n"
    assert port(src) == (
        "import minitorch_ft as torch\nfrom minitorch_ft import nn\n"
        "from minitorch_ft.utils.data import DataLoader\nx = 1\n"
    )


# --- fixes found while porting -------------------------------------------------------------


def test_out_argument_writes_into_the_given_tensor():
    a = torch.ones(2, 3)
    out = torch.empty(2, 2)
    version = out._version
    assert torch.matmul(a, a.T, out=out) is out
    np.testing.assert_array_equal(out.numpy(), np.full((2, 2), 3.0, np.float32))
    assert out._version > version
    z = torch.zeros(2, 3, dtype=torch.float64)
    assert torch.mul(a, 2, out=z) is z and z.dtype == torch.float64
    np.testing.assert_array_equal(z.numpy(), np.full((2, 3), 2.0))
    assert torch.sub(a, 1, alpha=2, out=z) is z and z[0, 0].item() == -1.0
    assert a @ a.T is not out  # the operator form is untouched


def test_out_argument_errors_and_resizing():
    w = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^add\(\): functions with out=\.\.\. arguments"):
        torch.add(w, 1, out=torch.empty(2))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired"):
        torch.div(torch.ones(2), 2, out=torch.empty(2, dtype=torch.int64))
    with torch.no_grad():
        assert torch.mul(w, w, out=torch.empty(2)).requires_grad is False
    empty = torch.empty(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty out is resized silently
        torch.add(torch.ones(3), 1, out=empty)
    assert empty.shape == (3,)
    with pytest.warns(UserWarning, match="was resized since it had shape \\[4\\]"):
        torch.add(torch.ones(3), 1, out=torch.empty(4))


def test_device_pickers_choose_cpu():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if torch.accelerator.is_available():
        device = torch.accelerator.current_accelerator().type
    assert device == "cpu" and torch.cuda.device_count() == 0
    assert torch.accelerator.current_accelerator() is None
    assert torch.backends.mps.is_available() is False
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        torch.cuda.current_device()


def test_function_backward_may_return_trailing_nones():
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2, None, None  # one input: extra Nones are ignored, as in torch

    x = torch.ones(3, requires_grad=True)
    Scale.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 2.0])

    class Wrong(Scale):
        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    with pytest.raises(RuntimeError, match=r"incorrect number of gradients \(expected 1, got 2\)"):
        Wrong.apply(torch.ones(3, requires_grad=True)).sum().backward()


def test_scatter_in_place_one_hot_and_grads():
    one_hot = torch.zeros(5).scatter_(0, torch.tensor(3), value=1)
    np.testing.assert_array_equal(one_hot.numpy(), [0, 0, 0, 1, 0])
    acc = torch.zeros(4)
    assert acc.scatter_add_(0, torch.tensor([1, 1, 3]), torch.ones(3)) is acc
    np.testing.assert_array_equal(acc.numpy(), [0, 2, 0, 1])
    w = torch.ones(2, 3, requires_grad=True)
    h = w * 3
    h.scatter_(1, torch.tensor([[0], [2]]), 0.0)
    assert h.grad_fn.name() == "ScatterBackward1"
    h.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [[0, 3, 3], [3, 3, 0]])
    a = torch.arange(4.0, requires_grad=True)
    picked = a.gather(0, torch.tensor(2))
    assert picked.shape == () and picked.item() == 2.0
    picked.backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0, 0, 1, 0])


def test_legacy_tensor_constructor_takes_sizes():
    assert torch.Tensor(2, 3).shape == (2, 3) and torch.Tensor(2, 3).dtype == torch.float32
    assert torch.Tensor(torch.Size([4])).shape == (4,)
    assert torch.Tensor(3).shape == (3,) and torch.Tensor([3]).tolist() == [3.0]
    assert torch.Tensor().shape == (0,)
    with pytest.raises(TypeError, match=r"new\(\): data must be a sequence \(got float\)"):
        torch.Tensor(2.5)
    with pytest.raises(TypeError, match="failed to unpack the object at pos 2"):
        torch.Tensor(2, [1])


# --- known deviations, kept visible ---------------------------------------------------------


def test_whole_model_save_is_refused_with_a_hint(tmp_path):
    with pytest.raises(TypeError, match="save model.state_dict"):
        torch.save(nn.Linear(2, 2), tmp_path / "model.pth")


def test_functions_with_two_differentiable_outputs_are_refused():
    class Both(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    with pytest.raises(NotImplementedError, match="exactly one differentiable"):
        Both.apply(torch.ones(2, requires_grad=True))
