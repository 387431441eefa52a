"""Randomised differential tests of nn layers and losses against torch, plus the
regressions that fuzzing found (group_norm, kl_div, cross_entropy, nll_loss, huber/l1
dtypes, circular pad with negative pads, embedding/batch_norm argument errors)."""

import random
import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import torch


def _pair(a, requires_grad=False):
    a = np.asarray(a)
    dtype = mt.autograd.dtypes.from_numpy_dtype(a.dtype)
    grad = requires_grad and a.dtype.kind == "f"
    return (
        mt.tensor(a.copy(), dtype=dtype, requires_grad=grad),
        torch.tensor(a.copy(), requires_grad=grad),
    )


def _outcome(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", fn()
        except Exception as e:  # noqa: BLE001 - the exception itself is compared
            return "err", type(e).__name__, str(e)


def _same(m, t, rtol=1e-6, atol=1e-7):
    assert m[0] == t[0], (m, t)
    if m[0] == "err":
        assert m[1:] == t[1:]
        return None
    a, b = m[1], t[1]
    assert str(a.dtype) == str(b.dtype)
    assert tuple(a.shape) == tuple(b.shape)
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol, atol=atol)
    name_a = None if a.grad_fn is None else a.grad_fn.name()
    name_b = None if b.grad_fn is None else b.grad_fn.name()
    assert name_a == name_b
    return a, b


def _check_call(fn_name, arrays, kwargs, grad=True):
    """F.<fn_name>(*arrays, **kwargs) in both libraries: values, errors, grads."""
    pairs = [(None, None) if a is None else _pair(a, grad) for a in arrays]
    m = _outcome(lambda: getattr(mt.nn.functional, fn_name)(*[p[0] for p in pairs], **kwargs))
    t = _outcome(lambda: getattr(torch.nn.functional, fn_name)(*[p[1] for p in pairs], **kwargs))
    got = _same(m, t)
    if got is None or not got[1].requires_grad:
        return
    a, b = got
    seed = np.random.default_rng(0).standard_normal(tuple(b.shape))
    b.backward(torch.tensor(seed, dtype=b.dtype))
    a.backward(mt.tensor(seed, dtype=a.dtype))
    for pm, pt in pairs:
        if pt is None or pt.grad is None:
            assert pm.grad is None
        else:
            np.testing.assert_allclose(pm.grad.numpy(), pt.grad.numpy(), rtol=1e-6, atol=1e-7)


# ----- seeded random sweeps (bounded: a few seconds) -------------------------------------
def _random_loss_case(r, rs):
    kind = r.choice(["mse", "l1", "smooth_l1", "huber", "kl", "nll", "ce", "ce_prob"])
    red = r.choice(["mean", "sum", "none"])
    if kind in ("mse", "l1", "smooth_l1", "huber", "kl"):
        shape = tuple(r.choice([1, 2, 3]) for _ in range(r.randint(0, 3)))
        tshape = shape if r.random() < 0.8 else shape[r.randint(0, len(shape)) :]
        x = rs.standard_normal(shape)
        tgt = rs.random_sample(tshape) if kind == "kl" else rs.standard_normal(tshape)
        if kind == "kl":
            x = -np.abs(x)
            kwargs = {"reduction": r.choice(["mean", "sum", "none", "batchmean"])}
            kwargs["log_target"] = r.random() < 0.5
        else:
            kwargs = {"reduction": red}
        if kind == "smooth_l1":
            kwargs["beta"] = r.choice([0.0, 0.5, 1.0, 2.0])
        if kind == "huber":
            kwargs["delta"] = r.choice([0.5, 1.0, 2.0])
        name = {"mse": "mse_loss", "l1": "l1_loss", "smooth_l1": "smooth_l1_loss"}.get(kind)
        name = name or {"huber": "huber_loss", "kl": "kl_div"}[kind]
        return name, [x, tgt], kwargs
    nd = r.choice([1, 2, 2, 3])
    shape = tuple(r.choice([1, 2, 3]) for _ in range(nd))
    classes = shape[0] if nd == 1 else shape[1]
    x = rs.standard_normal(shape) * 2
    kwargs = {"reduction": red}
    if r.random() < 0.5:
        kwargs["weight"] = rs.random_sample(classes) + 0.1
    if kind == "ce_prob":
        tgt = rs.random_sample(shape)
        tgt /= tgt.sum(axis=0 if nd == 1 else 1, keepdims=True)
    else:
        tshape = () if nd == 1 else (shape[0],) + shape[2:]
        tgt = rs.randint(0, classes, size=tshape).astype(np.int64)
        if r.random() < 0.5:
            kwargs["ignore_index"] = r.choice([0, classes - 1, -100])
    if kind in ("ce", "ce_prob") and r.random() < 0.5:
        kwargs["label_smoothing"] = r.choice([0.1, 0.5, 1.0])
    if kind == "nll":
        x = x - np.log(np.exp(x).sum(axis=0 if nd == 1 else 1, keepdims=True))
    weight = kwargs.pop("weight", None)
    arrays = [x, tgt]
    if weight is not None:  # passed positionally as a tensor that needs no grad
        kwargs["weight"] = weight
    return ("nll_loss" if kind == "nll" else "cross_entropy"), arrays, kwargs


@pytest.mark.parametrize("seed", range(4))
def test_random_losses_match_torch(seed):
    r, rs = random.Random(seed), np.random.RandomState(seed)
    for _ in range(60):
        name, arrays, kwargs = _random_loss_case(r, rs)
        if "weight" in kwargs:
            w = kwargs["weight"]
            mw, tw = _pair(w)
            m_kw, t_kw = dict(kwargs, weight=mw), dict(kwargs, weight=tw)
            pairs = [_pair(a, True) for a in arrays]
            fm, ft = getattr(mt.nn.functional, name), getattr(torch.nn.functional, name)
            m = _outcome(lambda f=fm, p=pairs, k=m_kw: f(*[x[0] for x in p], **k))
            t = _outcome(lambda f=ft, p=pairs, k=t_kw: f(*[x[1] for x in p], **k))
            _same(m, t)
        else:
            _check_call(name, arrays, kwargs)


_ACTS = ["ReLU", "GELU", "SiLU", "Tanh", "Softplus", "ELU", "Mish", "LogSigmoid", "Softsign"]


def _random_model(nn, r):
    """Same spec in either library: Linear / LayerNorm / BatchNorm1d / GroupNorm / acts."""
    layers, width = [], 4
    for kind in r["spec"]:
        if kind == "linear":
            layers.append(nn.Linear(width, 3, bias=r["bias"]))
            width = 3
        elif kind == "ln":
            layers.append(nn.LayerNorm(width, elementwise_affine=r["affine"]))
        elif kind == "bn":
            layers.append(nn.BatchNorm1d(width, momentum=r["momentum"]))
        elif kind == "gn":
            layers.append(nn.GroupNorm(1, width))
        else:
            layers.append(getattr(nn, kind)())
    return nn.Sequential(*layers)


@pytest.mark.parametrize("seed", range(6))
def test_random_models_train_like_torch(seed):
    rnd = random.Random(seed)
    spec = ["linear"] + [rnd.choice(["linear", "ln", "bn", "gn", *_ACTS]) for _ in range(4)]
    opts = {
        "spec": spec,
        "bias": rnd.random() < 0.7,
        "affine": rnd.random() < 0.5,
        "momentum": rnd.choice([None, 0.1]),
    }
    tm, mm = _random_model(torch.nn, opts).double(), _random_model(mt.nn, opts).double()
    rs = np.random.RandomState(seed)
    with torch.no_grad():
        for v in tm.state_dict().values():
            if v.dtype.is_floating_point:
                v.copy_(torch.from_numpy(np.abs(rs.standard_normal(tuple(v.shape))) + 0.5))
    mm.load_state_dict({k: mt.tensor(v.numpy().copy()) for k, v in tm.state_dict().items()})
    assert list(mm.state_dict()) == list(tm.state_dict())
    x = rs.standard_normal((rnd.choice([2, 3, 5]), 4))
    for _ in range(3):
        xm, xt = _pair(x, True)
        om, ot = mm(xm), tm(xt)
        np.testing.assert_allclose(om.detach().numpy(), ot.detach().numpy(), rtol=1e-7, atol=1e-9)
        w = rs.standard_normal(tuple(ot.shape))
        (ot * torch.tensor(w)).sum().backward()
        (om * mt.tensor(w)).sum().backward()
        np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), rtol=1e-6, atol=1e-8)
        for pm, pt in zip(mm.parameters(), tm.parameters(), strict=True):
            np.testing.assert_allclose(pm.grad.numpy(), pt.grad.numpy(), rtol=1e-6, atol=1e-8)
        with torch.no_grad():
            for p in tm.parameters():
                p -= 0.1 * p.grad
                p.grad = None
        with mt.no_grad():
            for p in mm.parameters():
                p -= p.grad * 0.1
                p.grad = None
    for (k, a), (_, b) in zip(mm.state_dict().items(), tm.state_dict().items(), strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-7, atol=1e-9, err_msg=k)
    mm.eval()
    tm.eval()
    np.testing.assert_allclose(
        mm(mt.tensor(x)).detach().numpy(), tm(torch.tensor(x)).detach().numpy(), rtol=1e-7
    )


# ----- regressions -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("shape", "groups"),
    [((1, 3), 3), ((1, 3), 2), ((1, 4, 1), 4), ((3,), 1), ((2, 3), 2), ((0, 4), 2), ((1, 0), 1)],
)
def test_group_norm_one_value_per_group_and_empty(shape, groups):
    _check_call("group_norm", [np.ones(shape)], {"num_groups": groups})


def test_group_norm_module_batch_of_one_errors_like_torch():
    m = _outcome(lambda: mt.nn.GroupNorm(3, 3)(mt.ones(1, 3)))
    t = _outcome(lambda: torch.nn.GroupNorm(3, 3)(torch.ones(1, 3)))
    _same(m, t)
    assert m[2] == "Expected more than 1 value per channel when training, got input size [1, 3]"


@pytest.mark.parametrize(
    ("xs", "ts", "kwargs"),
    [
        ((3,), (), {"reduction": "sum", "log_target": True}),  # 0-d target broadcasts
        ((2, 3), (3,), {"reduction": "batchmean"}),
        ((), (), {"reduction": "batchmean"}),  # 0-d input: only summed (SumBackward0)
        ((3,), (2,), {"reduction": "sum"}),  # error text: tensor a is the target
        ((3, 4), (2, 1, 4, 3), {"reduction": "none", "log_target": True}),
    ],
)
def test_kl_div_broadcasting(xs, ts, kwargs):
    rs = np.random.RandomState(0)
    _check_call("kl_div", [-np.abs(rs.standard_normal(xs)), rs.random_sample(ts) + 0.1], kwargs)


def test_kl_div_dtypes():
    _check_call("kl_div", [-np.ones(3, np.float32), np.float64(0.5) * np.ones(())], {})
    _check_call("kl_div", [-np.ones(3), np.ones(3, np.int64)], {"reduction": "sum"})
    _check_call("kl_div", [-np.ones(3), np.ones(3, bool)], {"reduction": "sum"})


def test_kl_div_broadcast_gradient_is_finite_difference_exact():
    x = mt.tensor(-np.abs(np.random.RandomState(1).standard_normal((2, 3))), requires_grad=True)
    t = mt.tensor(np.array([0.2, 0.3, 0.5]), requires_grad=True)
    assert mt.autograd.gradcheck(
        lambda a, b: mt.nn.functional.kl_div(a, b, reduction="batchmean"), (x, t)
    )


@pytest.mark.parametrize(
    ("x", "t", "kwargs"),
    [
        (np.ones((1, 4, 0)), np.ones((1, 4, 0)), {}),  # empty: NegBackward0, nan
        (np.ones((0, 3)), np.ones((0, 3)), {"label_smoothing": 0.5}),
        (np.ones((2, 3), np.float32), np.ones((2, 3)), {}),  # promoted to float64
        (np.ones((2, 3)), np.ones((2, 3), np.float32), {"reduction": "none"}),
        (np.ones((2, 3)), np.ones((2, 3)), {"ignore_index": 1}),
        (np.ones((2, 3)), np.ones((2, 3)), {"label_smoothing": 2.0}),
        (np.ones((2, 3)), np.ones(2, np.int64), {"label_smoothing": 2.0}),
        (np.ones((2, 3)), np.ones((), np.int64), {}),
    ],
)
def test_cross_entropy_edge_cases(x, t, kwargs):
    _check_call("cross_entropy", [x, t], kwargs)


@pytest.mark.parametrize("x_shape", [(2, 3), (2, 3, 2), (2, 3, 2, 1), (2, 3, 2, 1, 1)])
def test_weight_size_errors(x_shape):
    t_shape = (x_shape[0], *x_shape[2:])
    arrays = [np.ones(x_shape), np.ones(t_shape, np.int64)]
    for fn in ("nll_loss", "cross_entropy"):
        pairs = [_pair(a) for a in arrays]
        fm, ft = getattr(mt.nn.functional, fn), getattr(torch.nn.functional, fn)
        m = _outcome(lambda f=fm, p=pairs: f(*[x[0] for x in p], mt.ones(4)))
        t = _outcome(lambda f=ft, p=pairs: f(*[x[1] for x in p], torch.ones(4)))
        _same(m, t)
    # class probabilities name the function
    m = _outcome(lambda: mt.nn.functional.cross_entropy(mt.ones(2, 3), mt.ones(2, 3), mt.ones(4)))
    t = _outcome(
        lambda: torch.nn.functional.cross_entropy(torch.ones(2, 3), torch.ones(2, 3), torch.ones(4))
    )
    _same(m, t)


@pytest.mark.parametrize(
    ("x", "t"),
    [
        (np.ones((2, 3)), np.ones((), np.int64)),
        (np.ones((1, 3)), np.ones((), np.int64)),
        (np.ones(3), np.ones(2, np.int64)),
        (np.ones(3), np.ones(1, np.int64)),
    ],
)
def test_nll_loss_target_batch_checks(x, t):
    _check_call("nll_loss", [x, t], {}, grad=False)  # torch cannot backprop [3] vs [1]


@pytest.mark.parametrize("fn", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
@pytest.mark.parametrize(
    ("x_dtype", "t_dtype"),
    [
        (np.float32, np.float64),
        (np.float64, np.float32),
        (np.float32, bool),
        (np.int64, bool),
        (np.int32, np.int64),
        (bool, bool),
        (np.int64, np.float64),
        (np.float64, np.int64),
    ],
)
def test_regression_loss_dtypes(fn, x_dtype, t_dtype):
    grad = fn != "huber_loss"  # torch's huber backward rejects mixed dtypes
    for red in ("mean", "sum"):
        arrays = [np.ones((2, 3), x_dtype), np.ones((2, 3), t_dtype)]
        _check_call(fn, arrays, {"reduction": red}, grad=grad)


def test_shape_checked_before_beta_and_delta():
    _check_call("smooth_l1_loss", [np.ones((2, 3)), np.ones((2, 4))], {"beta": -1.0})
    _check_call("huber_loss", [np.ones((2, 3)), np.ones((2, 4))], {"delta": 0.0})


@pytest.mark.parametrize("x_dtype", [np.int64, np.int32, bool])
def test_bce_with_logits_integer_logits(x_dtype):
    for t_dtype in (np.float32, np.int64, bool):
        _check_call(
            "binary_cross_entropy_with_logits",
            [np.ones(3, x_dtype), np.ones(3, t_dtype)],
            {"reduction": "sum"},
        )


@pytest.mark.parametrize("pad", [(-1, 1), (1, -1), (-2, 1), (-1, -1), (2, -1), (-1, 2, 1, -1)])
def test_circular_pad_with_negative_pads(pad):
    x = np.random.RandomState(0).standard_normal((2, 3, 5))
    _check_call("pad", [x], {"pad": pad, "mode": "circular"})


def test_circular_pad_plain_values():
    x = mt.arange(4.0).reshape(1, 1, 4)
    out = mt.nn.functional.pad(x, (-1, 1), mode="circular")
    assert out.tolist() == [[[1.0, 2.0, 3.0, 1.0]]]
    out = mt.nn.functional.pad(x, (2, -1), mode="circular")
    assert out.tolist() == [[[1.0, 2.0, 0.0, 1.0, 2.0]]]


def test_embedding_weight_must_be_2d():
    for w in (np.ones(4), np.ones((4, 2, 2))):
        _check_call("embedding", [np.array([1]), w], {})


@pytest.mark.parametrize("shape", [(3,), ()])
def test_batch_norm_low_rank_input_errors(shape):
    _check_call("batch_norm", [np.ones(shape), None, None], {"training": True}, grad=False)
    _check_call("batch_norm", [np.ones(shape), None, None], {}, grad=False)
