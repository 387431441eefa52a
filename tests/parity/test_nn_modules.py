"""nn modules against torch.nn: reprs, state_dict keys, loaded weights, init statistics,
error texts and Module semantics."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft import nn
from tests.parity.helpers import torch

tnn = torch.nn

REPRS = [
    "Linear(3, 4)",
    "Linear(2, 2, bias=False)",
    "ReLU()",
    "ReLU(inplace=True)",
    "LeakyReLU()",
    "LeakyReLU(0.2, True)",
    "GELU()",
    "GELU('tanh')",
    "SiLU()",
    "Sigmoid()",
    "Tanh()",
    "Softmax(dim=1)",
    "Softmax()",
    "LogSoftmax(-1)",
    "Softplus()",
    "Dropout()",
    "Dropout(0.1)",
    "LayerNorm(4)",
    "LayerNorm([2, 3], elementwise_affine=False)",
    "LayerNorm(5, bias=False)",
    "LayerNorm(4, eps=1e-6)",
    "BatchNorm1d(4)",
    "BatchNorm2d(3)",
    "BatchNorm1d(3, affine=False, track_running_stats=False, momentum=None)",
    "Embedding(10, 3)",
    "Embedding(10, 3, padding_idx=-1, max_norm=1.0)",
    "Identity()",
    "Flatten()",
    "Flatten(0, 2)",
    "Unflatten(1, (2, 3))",
    "MSELoss()",
    "L1Loss()",
    "SmoothL1Loss(beta=0.5)",
    "HuberLoss()",
    "BCELoss()",
    "BCEWithLogitsLoss()",
    "CrossEntropyLoss(label_smoothing=0.1)",
    "NLLLoss()",
    "ModuleList()",
    "Sequential()",
    "ModuleDict({'a': Tanh(), 'b': Sigmoid()})",
    "ZeroPad2d(2)",
    "ConstantPad1d(2, 3.5)",
    "ReflectionPad2d((1, 1, 2, 0))",
    "ReplicationPad1d(3)",
    "CircularPad2d(1)",
    "CosineSimilarity(0)",
    "PairwiseDistance(1)",
    "KLDivLoss(log_target=True)",
    "ELU(0.5)",
    "Hardtanh(-2, 2)",
    "Threshold(0.1, 20)",
    "RMSNorm(6)",
    "RMSNorm([2, 3], eps=1e-3)",
    "GroupNorm(3, 6)",
    "GroupNorm(2, 4, affine=False)",
    "Softmin(1)",
    "Mish()",
    "SELU(inplace=True)",
    "Sequential(Linear(3, 4), Sequential(ReLU(), Dropout()), ModuleList([Linear(2, 2)] * 3 "
    "+ [ReLU(), Linear(2, 3), Linear(2, 3)]))",
]


def build(lib_nn, text):
    names = {k: getattr(lib_nn, k) for k in dir(lib_nn) if k[0].isupper()}
    return eval(text, names)  # noqa: S307 - fixed test strings


@pytest.mark.parametrize("text", REPRS)
def test_repr_matches_torch(text):
    assert repr(build(nn, text)) == repr(build(tnn, text))


def _fill(module, lib_nn):
    """A nested model with buffers (built the same way in both libraries)."""
    module.embed = lib_nn.Embedding(7, 4)
    module.encoder = lib_nn.Sequential(lib_nn.Linear(4, 6), lib_nn.BatchNorm1d(6), lib_nn.GELU())
    module.heads = lib_nn.ModuleDict({"cls": lib_nn.Linear(6, 3), "reg": lib_nn.Linear(6, 1)})
    module.norm = lib_nn.LayerNorm(6)


def forward(module, idx):
    h = module.encoder(module.embed(idx).sum(1))
    h = module.norm(h)
    return module.heads["cls"](h), module.heads["reg"](h)


def mlp(lib_nn):
    return lib_nn.Sequential(
        lib_nn.Linear(5, 8),
        lib_nn.ReLU(),
        lib_nn.Dropout(0.2),
        lib_nn.Linear(8, 8),
        lib_nn.Tanh(),
        lib_nn.Linear(8, 1),
    )


def test_state_dict_keys_match_for_mlp_and_nested_model():
    assert list(mlp(nn).state_dict()) == list(mlp(tnn).state_dict())
    ours, theirs = nn.Module(), tnn.Module()
    _fill(ours, nn)
    _fill(theirs, tnn)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    for key, value in theirs.state_dict().items():
        assert tuple(ours.state_dict()[key].shape) == tuple(value.shape), key
        assert str(ours.state_dict()[key].dtype) == str(value.dtype), key


def _copy_torch_into_ours(theirs, ours):
    state = {k: mt.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()}
    assert ours.load_state_dict(state).missing_keys == []


def test_nested_model_outputs_and_grads_match_after_loading_torch_weights():
    torch.manual_seed(0)
    ours, theirs = nn.Module(), tnn.Module()
    _fill(ours, nn)
    _fill(theirs, tnn)
    _copy_torch_into_ours(theirs, ours)
    idx = np.array([[0, 3, 6], [2, 2, 1], [5, 4, 0], [1, 1, 1]])
    for training in (True, False):
        ours.train(training)
        theirs.train(training)
        out_mt = forward(ours, mt.tensor(idx))
        out_th = forward(theirs, torch.tensor(idx))
        for a, b in zip(out_mt, out_th, strict=True):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
        (out_mt[0].sum() + out_mt[1].sum()).backward()
        (out_th[0].sum() + out_th[1].sum()).backward()
        for (name, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
            np.testing.assert_allclose(
                p.grad.numpy(), q.grad.numpy(), rtol=1e-3, atol=1e-5, err_msg=name
            )
        ours.zero_grad()
        theirs.zero_grad()
    for key, value in theirs.state_dict().items():  # running stats moved the same way
        np.testing.assert_allclose(
            ours.state_dict()[key].numpy(), value.numpy(), rtol=1e-5, atol=1e-6, err_msg=key
        )


def test_mlp_training_step_matches():
    torch.manual_seed(1)
    theirs = mlp(tnn).eval()
    ours = mlp(nn).eval()
    _copy_torch_into_ours(theirs, ours)
    x = np.random.default_rng(0).standard_normal((16, 5)).astype(np.float32)
    y = (x[:, :1] > 0).astype(np.float32)
    loss_mt = nn.BCEWithLogitsLoss()(ours(mt.tensor(x)), mt.tensor(y))
    loss_th = tnn.BCEWithLogitsLoss()(theirs(torch.tensor(x)), torch.tensor(y))
    assert loss_mt.grad_fn.name() == loss_th.grad_fn.name()
    np.testing.assert_allclose(loss_mt.item(), loss_th.item(), rtol=1e-5)
    loss_mt.backward()
    loss_th.backward()
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-4, atol=1e-6)


def _stats(values):
    values = np.asarray(values, dtype=np.float64).ravel()
    return values.min(), values.max(), values.mean(), values.std()


@pytest.mark.parametrize("fan_in,fan_out", [(64, 32), (300, 10)])
def test_linear_default_init_distribution(fan_in, fan_out):
    mt.manual_seed(0)
    torch.manual_seed(0)
    ours = [nn.Linear(fan_in, fan_out) for _ in range(20)]
    theirs = [tnn.Linear(fan_in, fan_out) for _ in range(20)]
    bound = 1 / math.sqrt(fan_in)
    for attr, n in (("weight", fan_in * fan_out * 20), ("bias", fan_out * 20)):
        lo, hi, mean, std = _stats([getattr(m, attr).detach().numpy() for m in ours])
        t_lo, t_hi, t_mean, t_std = _stats([getattr(m, attr).detach().numpy() for m in theirs])
        assert -bound <= lo and hi <= bound and t_lo >= -bound and t_hi <= bound
        tol = 4 * bound / math.sqrt(3 * n)  # ~4 standard errors of the mean
        assert abs(mean) < tol and abs(t_mean) < tol
        assert abs(std - bound / math.sqrt(3)) < 0.05 * bound
        assert abs(std - t_std) < 0.07 * bound


def test_other_default_inits_match_torch():
    mt.manual_seed(0)
    emb = nn.Embedding(400, 50, padding_idx=3).weight.detach().numpy()
    assert abs(emb.std() - 1.0) < 0.02 and abs(emb.mean()) < 0.02 and not emb[3].any()
    for ours, theirs in (
        (nn.LayerNorm(5), tnn.LayerNorm(5)),
        (nn.BatchNorm1d(5), tnn.BatchNorm1d(5)),
    ):
        for (key, a), b in zip(
            ours.state_dict().items(), theirs.state_dict().values(), strict=True
        ):
            np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=key)


def test_load_state_dict_error_text_matches_torch():
    bad_keys = ["0.weight", "extra.weight", "1.bias"]

    def attempt(lib, lib_nn):
        model = lib_nn.Sequential(lib_nn.Linear(2, 3), lib_nn.Linear(3, 1))
        state = {"0.weight": lib.zeros(3, 3), "extra.weight": lib.zeros(1), "1.bias": lib.zeros(1)}
        assert list(state) == bad_keys
        with pytest.raises(RuntimeError) as info:
            model.load_state_dict(state)
        non_strict = model.load_state_dict({"0.bias": lib.zeros(3)}, strict=False)
        return str(info.value), repr(non_strict)

    assert attempt(mt, nn) == attempt(torch, tnn)


def test_attribute_errors_match_torch():
    def messages(lib, lib_nn):
        out = []
        lin = lib_nn.Linear(2, 2)
        for action in (
            lambda: setattr(lin, "weight", lib.ones(2, 2)),
            lambda: lin.missing,
            lambda: lin.register_buffer("weight", lib.ones(1)),
            lambda: lin.register_parameter("a.b", None),
            lambda: lin.train(1),
            lambda: lin.to(lib.int64),
            lambda: lib_nn.Sequential()[0],
            lambda: lib_nn.Dropout(1.5),
        ):
            with pytest.raises(Exception) as info:
                action()
            out.append((type(info.value).__name__, str(info.value)))
        return out

    assert messages(mt, nn) == messages(torch, tnn)


def test_module_semantics_match_torch():
    def probe(lib, lib_nn):
        model = lib_nn.Sequential(lib_nn.Linear(2, 2), lib_nn.Linear(2, 2))
        model[1].weight = model[0].weight
        weight = model[0].weight
        model.double()
        same_object = model[0].weight is weight
        bn = lib_nn.BatchNorm1d(2)
        bn(lib.ones(3, 2))
        bn.eval()(lib.ones(3, 2))
        calls = []
        handle = model.register_forward_hook(lambda m, a, o: calls.append(1))
        model(lib.ones(1, 2, dtype=lib.float64))
        handle.remove()
        model(lib.ones(1, 2, dtype=lib.float64))
        return (
            [n for n, _ in model.named_parameters()],
            list(model.state_dict()),
            same_object,
            str(weight.dtype),
            bn.num_batches_tracked.item(),
            calls,
            model.train() is model,
            model.training,
        )

    assert probe(mt, nn) == probe(torch, tnn)


def _hook_probe(lib, model, input_grad: bool):
    """Hook calls, input grad and weight grad when backward hooks observe and rescale."""
    first, last = model[0], model[2]
    log = []
    first.register_full_backward_pre_hook(
        lambda m, go: log.append(("pre", [tuple(g.shape) for g in go]))
    )
    handle = first.register_full_backward_hook(
        lambda m, gi, go: log.append(
            ("post", [None if g is None else g.numpy().copy() for g in gi])
        )
    )
    last.register_full_backward_hook(lambda m, gi, go: tuple(g * 2 for g in gi))
    x = lib.tensor(np.arange(8.0, dtype=np.float32).reshape(4, 2) / 8, requires_grad=input_grad)
    out = model(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no inputs require gradients", in both libraries
        out.sum().backward()
        handle.remove()
        model(x).sum().backward()
    return out.grad_fn.name(), log, x.grad, first.weight.grad


@pytest.mark.parametrize("input_grad", [True, False])
def test_full_backward_hooks_match_torch(input_grad):
    theirs = tnn.Sequential(tnn.Linear(2, 3), tnn.Tanh(), tnn.Linear(3, 1))
    ours = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    _copy_torch_into_ours(theirs, ours)
    name_mt, log_mt, xg_mt, wg_mt = _hook_probe(mt, ours, input_grad)
    name_th, log_th, xg_th, wg_th = _hook_probe(torch, theirs, input_grad)
    assert name_mt == name_th == "BackwardHookFunctionBackward"
    # the removed hook stays silent; the pre-hook still runs on the second backward
    assert [kind for kind, _ in log_mt] == [kind for kind, _ in log_th] == ["pre", "post", "pre"]
    assert log_mt[0] == log_th[0]
    for a, b in zip(log_mt[1][1], log_th[1][1], strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-5)
    assert (xg_mt is None) == (xg_th is None)
    if xg_mt is not None:
        np.testing.assert_allclose(xg_mt.numpy(), xg_th.numpy(), rtol=1e-5)
    np.testing.assert_allclose(wg_mt.numpy(), wg_th.numpy(), rtol=1e-5)
