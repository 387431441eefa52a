"""50-step trajectories of a tiny net, here and in torch, for every optimizer configuration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

STEPS = 50
RNG = np.random.default_rng(1234)
X = RNG.standard_normal((16, 3))
Y = (RNG.random((16, 1)) > 0.5).astype(np.float64)
INIT = {
    "w1": RNG.standard_normal((3, 4)) * 0.5,
    "b1": RNG.standard_normal(4) * 0.1,
    "w2": RNG.standard_normal((4, 1)) * 0.5,
    "b2": np.zeros(1),
    "frozen": RNG.standard_normal((2, 2)),  # handed to the optimizer, never gets a grad
}


def _params(lib):
    return {
        k: lib.tensor(v.copy(), dtype=lib.float64, requires_grad=k != "frozen")
        for k, v in INIT.items()
    }


def _loss(lib, fn, p):
    x, y = lib.tensor(X), lib.tensor(Y)
    logits = (x @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
    return fn(logits, y)


def trajectory(lib, bce, make_opt, scheduler=None, groups=False):
    """Parameters after every step, as numpy arrays (plus the optimizer)."""
    p = _params(lib)
    if groups:  # two groups with their own options
        params = [
            {"params": [p["w1"], p["b1"], p["frozen"]]},
            {"params": [p["w2"], p["b2"]], "lr": 0.02},
        ]
    else:
        params = list(p.values())
    opt = make_opt(lib.optim, params)
    sched = scheduler(lib.optim.lr_scheduler, opt) if scheduler else None
    history = []
    for _ in range(STEPS):
        opt.zero_grad()
        _loss(lib, bce, p).backward()
        opt.step()
        if sched is not None:
            sched.step()
        history.append({k: v.detach().numpy().copy() for k, v in p.items()})
    return history, opt, p


def assert_same_trajectory(make_opt, scheduler=None, groups=False):
    mine, opt_mt, p_mt = trajectory(
        mt, mt.nn.functional.binary_cross_entropy_with_logits, make_opt, scheduler, groups
    )
    theirs, opt_th, p_th = trajectory(
        torch, torch.nn.functional.binary_cross_entropy_with_logits, make_opt, scheduler, groups
    )
    for step, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        for k in a:
            np.testing.assert_allclose(
                a[k], b[k], rtol=1e-6, atol=1e-6, err_msg=f"{k} after step {step + 1}"
            )
    np.testing.assert_array_equal(mine[-1]["frozen"], INIT["frozen"])  # bit-identical
    assert p_mt["frozen"] not in opt_mt.state or "Adagrad" in type(opt_mt).__name__
    _compare_state(opt_mt, opt_th)
    return opt_mt, opt_th


def _compare_state(opt_mt, opt_th):
    sd_mt, sd_th = opt_mt.state_dict(), opt_th.state_dict()
    assert sd_mt["param_groups"] == sd_th["param_groups"]
    assert sd_mt["state"].keys() == sd_th["state"].keys()
    for idx, entry in sd_th["state"].items():
        assert list(sd_mt["state"][idx]) == list(entry)
        for key, value in entry.items():
            mine = sd_mt["state"][idx][key]
            assert str(mine.dtype) == str(value.dtype), key
            assert tuple(mine.shape) == tuple(value.shape), key
            np.testing.assert_allclose(mine.numpy(), value.numpy(), rtol=1e-6, atol=1e-8)


SGD_CASES = [
    c
    for c in itertools.product([0.0, 0.9], [0.0, 0.5], [False, True], [0.0, 0.1], [False, True])
    if not (c[2] and (c[0] == 0 or c[1] != 0))
]


@pytest.mark.parametrize(
    ("momentum", "dampening", "nesterov", "weight_decay", "maximize"), SGD_CASES
)
def test_sgd_trajectory(momentum, dampening, nesterov, weight_decay, maximize):
    assert_same_trajectory(
        lambda optim, params: optim.SGD(
            params,
            lr=0.05,
            momentum=momentum,
            dampening=dampening,
            nesterov=nesterov,
            weight_decay=weight_decay,
            maximize=maximize,
        )
    )


@pytest.mark.parametrize("cls", ["Adam", "AdamW"])
@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
@pytest.mark.parametrize("maximize", [False, True])
def test_adam_trajectory(cls, amsgrad, weight_decay, maximize):
    assert_same_trajectory(
        lambda optim, params: getattr(optim, cls)(
            params,
            lr=0.02,
            betas=(0.8, 0.95),
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            maximize=maximize,
        )
    )


@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("momentum", [0.0, 0.5])
@pytest.mark.parametrize(("weight_decay", "maximize"), [(0.0, False), (0.1, True)])
def test_rmsprop_trajectory(centered, momentum, weight_decay, maximize):
    assert_same_trajectory(
        lambda optim, params: optim.RMSprop(
            params,
            lr=0.01,
            alpha=0.9,
            centered=centered,
            momentum=momentum,
            weight_decay=weight_decay,
            maximize=maximize,
        )
    )


@pytest.mark.parametrize(
    ("lr_decay", "weight_decay", "initial", "maximize"),
    [(0.0, 0.0, 0.0, False), (0.05, 0.1, 0.1, False), (0.0, 0.0, 0.5, True)],
)
def test_adagrad_trajectory(lr_decay, weight_decay, initial, maximize):
    assert_same_trajectory(
        lambda optim, params: optim.Adagrad(
            params,
            lr=0.1,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial,
            maximize=maximize,
        )
    )


@pytest.mark.parametrize("cls", ["SGD", "Adam", "RMSprop", "Adagrad"])
def test_param_groups_with_own_options(cls):
    kwargs = {"SGD": {"momentum": 0.9}, "Adam": {}, "RMSprop": {}, "Adagrad": {}}[cls]
    assert_same_trajectory(
        lambda optim, params: getattr(optim, cls)(params, lr=0.05, **kwargs), groups=True
    )


SCHEDULERS = {
    "StepLR": lambda s, o: s.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda s, o: s.MultiStepLR(o, milestones=[5, 20, 20], gamma=0.5),
    "ExponentialLR": lambda s, o: s.ExponentialLR(o, gamma=0.95),
    "CosineAnnealingLR": lambda s, o: s.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    "LinearLR": lambda s, o: s.LinearLR(o, start_factor=0.1, total_iters=10),
    "LambdaLR": lambda s, o: s.LambdaLR(o, lambda epoch: 1.0 / (1 + epoch)),
    "SequentialLR": lambda s, o: s.SequentialLR(
        o,
        [s.LinearLR(o, start_factor=0.2, total_iters=5), s.CosineAnnealingLR(o, T_max=40)],
        milestones=[5],
    ),
    "OneCycleLR": lambda s, o: s.OneCycleLR(o, max_lr=0.2, total_steps=STEPS),
}


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_sgd_with_scheduler_trajectory(name):
    opt_mt, opt_th = assert_same_trajectory(
        lambda optim, params: optim.SGD(params, lr=0.1, momentum=0.9), SCHEDULERS[name]
    )
    for g_mt, g_th in zip(opt_mt.param_groups, opt_th.param_groups, strict=True):
        assert g_mt["lr"] == pytest.approx(g_th["lr"], rel=1e-12, abs=1e-15)


OPTIMIZERS = {
    "SGD": lambda optim, ps: optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "SGD-nesterov": lambda optim, ps: optim.SGD(
        ps, lr=0.05, momentum=0.9, nesterov=True, maximize=True
    ),
    "Adam": lambda optim, ps: optim.Adam(ps, lr=0.01, amsgrad=True, weight_decay=0.1),
    "AdamW": lambda optim, ps: optim.AdamW(ps, lr=0.01),
    "RMSprop": lambda optim, ps: optim.RMSprop(ps, lr=0.01, momentum=0.3, centered=True),
    "Adagrad": lambda optim, ps: optim.Adagrad(ps, lr=0.1, lr_decay=0.01),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_large_and_strided_params_match(name, dtype):
    """Params bigger than one cache slice (chunked path) and a transposed (strided) one."""
    rng = np.random.default_rng(5)
    shapes = [(300, 250), (70_001,), (40, 30)]  # 70_001: a ragged last slice
    init = [rng.standard_normal(s).astype(dtype) for s in shapes]
    grads = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(4)]
    results = []
    for lib in (mt, torch):
        params = [lib.tensor(a.copy(), requires_grad=True) for a in init[:2]]
        strided = lib.tensor(init[2].T.copy()).t().detach().requires_grad_()  # a (40, 30) view
        assert not strided.is_contiguous()
        params.append(strided)
        opt = OPTIMIZERS[name](lib.optim, params)
        for step_grads in grads:
            for p, g in zip(params, step_grads, strict=True):
                p.grad = lib.tensor(g)
            opt.step()
        results.append([p.detach().numpy().copy() for p in params])
    tol = 1e-5 if dtype == "float32" else 1e-12
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
