"""Parity sweep (nn): mismatches with torch found by differential runs, one case each.

Every case runs the same code under torch and minitorch_ft (`L` is the library) and compares
values, dtypes, shapes, grad_fn names, or the exception type and message.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.autograd import gradcheck
from tests.parity.audit_helpers import assert_same, outcome

torch = pytest.importorskip("torch")
safetensors_torch = pytest.importorskip("safetensors.torch")

X = "x = L.tensor([[0.2, -1.3, 0.7], [1.5, 0.1, -0.4]], dtype=L.float64, requires_grad=True)\n"
T = "t = L.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]], dtype=L.float64)\n"
F = "F = L.nn.functional\n"

LOSS_CASES = [
    # a target that cannot broadcast: torch's "size of tensor a" error (after its warning)
    "r = F.mse_loss(x, t.reshape(3, 2))",
    "r = F.l1_loss(x, L.ones(4, dtype=L.float64))",
    "r = F.smooth_l1_loss(x, L.ones(3, 1, dtype=L.float64))",
    # weights that do not fit the input
    "r = F.binary_cross_entropy_with_logits(x, t, weight=L.ones(4, dtype=L.float64))",
    "r = F.binary_cross_entropy_with_logits(x, t, weight=L.ones(3, 1, dtype=L.float64))",
    "r = F.binary_cross_entropy(x.sigmoid(), t, weight=L.ones(4, dtype=L.float64))",
    "r = F.binary_cross_entropy(x.sigmoid(), t, weight=L.ones(3, 1, dtype=L.float64))",
    "r = F.binary_cross_entropy(x.sigmoid(), t, weight=L.ones(1, 2, 3, dtype=L.float64))",
    # an integer target names the input's dtype
    "r = F.binary_cross_entropy_with_logits(x, t.long())",
    "r = F.binary_cross_entropy_with_logits(x.float(), t.int())",
    # nll_loss checks in torch's order
    "r = F.nll_loss(x, L.ones(2, 4))",
    "r = F.nll_loss(x[0, 0], L.tensor(1.0))",
    "r = F.nll_loss(x.reshape(1, 2, 3), L.ones(1, 3))",
    "r = F.cross_entropy(x, L.ones(2, 4, dtype=L.float64))",
    # 0-d input
    "r = F.cross_entropy(x[0, 0], L.tensor(1))",
    "r = F.cross_entropy(x[0, 0], L.tensor(1.0))",
    "r = F.cross_entropy(x[0, 0], L.tensor([1]))",
    # a negative label_smoothing is no smoothing in torch, not an error
    "r = F.cross_entropy(x, L.tensor([1, 0]), label_smoothing=-0.1)",
    "r = F.cross_entropy(x, x.detach().softmax(1), label_smoothing=-0.5)",
    "r = F.cross_entropy(x, L.tensor([1, 0]), label_smoothing=1.5)",
]


@pytest.mark.parametrize("case", LOSS_CASES)
def test_loss_errors_and_edge_values(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(F + X + T + case)


MODULE_CASES = [
    # a 1-element checkpoint entry fills a 0-d buffer; a longer one is a size mismatch
    "m = L.nn.BatchNorm1d(3)\nsd = m.state_dict()\nsd['num_batches_tracked'] = L.tensor([5])\n"
    "m.load_state_dict(sd)\nr = m.num_batches_tracked",
    "m = L.nn.BatchNorm1d(3)\nsd = m.state_dict()\nsd['num_batches_tracked'] = L.tensor([5, 6])\n"
    "r = m.load_state_dict(sd)",
    # ParameterDict's dict methods
    "p = L.nn.ParameterDict({'a': L.nn.Parameter(L.ones(2))})\n"
    "r = (p.setdefault('c', L.ones(1)).requires_grad, p.setdefault('a').shape, list(p))",
    "p = L.nn.ParameterDict({'b': L.nn.Parameter(L.ones(2)), 'a': L.nn.Parameter(L.ones(1))})\n"
    "k, v = p.popitem()\nr = (k, list(p), list(reversed(p)))",
    "r = L.nn.ParameterDict().popitem()",
    "p = L.nn.ParameterDict({'b': L.nn.Parameter(L.ones(2))})\n"
    "q = p.fromkeys(['x', 'y'], L.ones(1))\nr = (list(q), type(q['x']).__name__)",
    "p = L.nn.ParameterDict({'b': L.nn.Parameter(L.ones(2))})\n"
    "q = p | L.nn.ParameterDict({'c': L.nn.Parameter(L.ones(1))})\n"
    "r = (list(q), type(q).__name__, list(p))",
    "p = L.nn.ParameterDict({'b': L.nn.Parameter(L.ones(2))})\n"
    "p |= {'c': L.ones(1)}\nr = (list(p), type(p['c']).__name__)",
    # constructor validation
    "r = L.nn.Unflatten(1, 3)",
    "r = L.nn.Unflatten(1, (2.0, 3))",
    "r = repr(L.nn.Unflatten(1, L.Size([2, 3])))",
    "r = L.nn.Linear(-1, 3)",
    "r = L.nn.Embedding(-1, 3)",
    "r = L.nn.functional.layer_norm(L.ones(2, 3), 3)",
    "r = L.nn.functional.layer_norm(L.ones(2, 3), L.ones(2, 3).shape[1:])",
    # GLU
    "x = L.tensor([[0.2, -1.3, 0.7, 0.4], [1.5, 0.1, -0.4, 2.0]], dtype=L.float64, "
    "requires_grad=True)\ny = L.nn.functional.glu(x)\n"
    "(y * L.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=L.float64)).sum().backward()\n"
    "r = (y, x.grad)",
    "r = L.nn.GLU(dim=0)(L.tensor([[0.5, -1.0], [2.0, 0.25]]))",
    "r = repr(L.nn.GLU())",
    "r = L.nn.functional.glu(L.tensor(1.0))",
    "r = L.nn.functional.glu(L.ones(2, 3))",
    "r = L.nn.functional.glu(L.ones(2, 4, dtype=L.int64))",
    # init on integer tensors
    "r = L.nn.init.normal_(L.zeros(3, 4, dtype=L.int64))",
    "r = L.nn.init.uniform_(L.zeros(3, 4, dtype=L.int32))",
    "r = L.nn.init.xavier_uniform_(L.zeros(3, 4, dtype=L.int64))",
    "r = L.nn.init.kaiming_normal_(L.zeros(3, 4, dtype=L.bool))",
    "r = L.nn.init.trunc_normal_(L.zeros(3, 4, dtype=L.int64))",
    "r = L.nn.init.orthogonal_(L.zeros(3, 4, dtype=L.int64))",
    "r = L.nn.init.sparse_(L.zeros(3, 4, dtype=L.int64), 0.5)",
    "r = L.nn.init.constant_(L.zeros(3, dtype=L.int64), 2.7)",
    # norm layers: torch's two "mixed dtype" texts, and layer_norm checks params first
    "r = L.nn.LayerNorm(3)(L.ones(2, 3, dtype=L.float64))",
    "r = L.nn.LayerNorm(3)(L.ones(2, 3, dtype=L.int64))",
    "r = L.nn.BatchNorm1d(3)(L.ones(2, 3, dtype=L.float64))",
    "r = F.layer_norm(L.ones(2, 3), (3,), L.ones(3, dtype=L.float64))",
    "r = F.layer_norm(L.ones(2, 3, dtype=L.float64), (3,), L.ones(3), L.ones(3, dtype=L.float64))",
    "r = F.batch_norm(L.ones(2, 3, dtype=L.int64), L.zeros(3), L.ones(3))",
    "r = F.group_norm(L.ones(1, 3, 2, dtype=L.float64), 3, L.ones(3))",
    # embedding indices: Long or Int tensors only
    "r = L.nn.Embedding(3, 2)(L.tensor([1], dtype=L.int16))",
    "r = L.nn.Embedding(3, 2)(L.tensor([1], dtype=L.uint8))",
    "r = L.nn.Embedding(3, 2)(L.tensor([True]))",
    "r = L.nn.Embedding(3, 2)(L.tensor([1], dtype=L.int32)).shape",
    "r = L.nn.Embedding(3, 2)([1])",
    "r = F.embedding(L.tensor([1]), [[1.0]])",
    # Module.to with a positional non_blocking flag
    "r = L.nn.Linear(3, 2).to('cpu', L.float64, False).weight.dtype",
    "r = L.nn.Linear(3, 2).to(L.float64, True).bias.dtype",
    # python floats given an explicit float64 dtype are not rounded through float32
    "r = L.tensor([0.1, 0.2], dtype=L.float64).tolist()",
    "r = (L.tensor(0.1, dtype=L.float64) == 0.1).item()",
    "r = L.nn.functional.threshold(L.tensor([0.2, 0.1], dtype=L.float64), 0.1, 20.0)",
]


@pytest.mark.parametrize("case", MODULE_CASES)
def test_module_and_init_cases(case):
    assert_same(F + case)  # multi-line, so the helper execs it (one line would be eval'd)


def test_float64_python_floats_are_exact():
    assert mt.tensor([0.1], dtype=mt.float64).item() == 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 1e300 -> inf in float32 quietly, as in torch
        assert mt.tensor([1e300], dtype=mt.float32).item() == float("inf")


@pytest.mark.parametrize("name", ["uniform", "normal", "xavier_uniform", "kaiming_normal"])
def test_deprecated_init_names_warn_like_torch(name):
    messages = []
    for lib in (torch, mt):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = getattr(lib.nn.init, name)(lib.empty(3, 4))
        assert tuple(out.shape) == (3, 4)
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1]
    assert messages[0][0][0] is FutureWarning


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_glu_gradcheck(dim):
    x = mt.tensor(np.sin(np.arange(16.0)).reshape(4, 4), requires_grad=True)
    assert gradcheck(lambda t: mt.nn.functional.glu(t, dim), (x,))
    assert mt.nn.functional.glu(x, dim).grad_fn.name() == "GluBackward0"


def test_torch_safetensors_key_order_matches_load_file(tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    path = tmp_path / "torch.safetensors"
    safetensors_torch.save_file(model.state_dict(), path)
    assert list(mt.load(path)) == list(safetensors_torch.load_file(path))


@pytest.mark.parametrize(
    "dtype", ["bfloat16", "uint16", "uint32", "uint64", "float8_e4m3fn"], ids=str
)
def test_unsupported_safetensors_dtype_is_named(tmp_path, dtype):
    path = tmp_path / "w.safetensors"
    tensors = {"ok": torch.ones(2), "odd": torch.ones(2).to(getattr(torch, dtype))}
    safetensors_torch.save_file(tensors, path)
    code = {"bfloat16": "BF16", "float8_e4m3fn": "F8_E4M3"}.get(dtype, "U" + dtype[4:])
    for source in (path, io.BytesIO(path.read_bytes())):
        with pytest.raises(mt.serialization.SerializationError) as info:
            mt.load(source)
        text = str(info.value)
        assert "'odd'" in text and code in text and "does not support" in text


def test_outcome_helper_runs_statements():
    # guards the harness: an assignment must run, not fail to parse in both libraries alike
    assert outcome(F + "r = L.nn.Unflatten(1, 3)", mt)[1] == "TypeError"
    assert outcome(F + X + T + "r = F.mse_loss(x, t)", mt)[0] == "tensor"
