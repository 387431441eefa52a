"""Optimizer parity found by the optim sweep: tensor lr / betas, old checkpoints, step hooks."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

SHAPES = [(3, 4), (5,), ()]


def _run(lib, cls, make_options, steps=25):
    rng = np.random.default_rng(0)
    params = [lib.tensor(rng.standard_normal(s), requires_grad=True) for s in SHAPES]
    opt = getattr(lib.optim, cls)(params, **make_options(lib))
    for _ in range(steps):
        for p in params:
            p.grad = lib.tensor(rng.standard_normal(tuple(p.shape)))
        opt.step()
    return opt, [p.detach().numpy().copy() for p in params]


TENSOR_OPTIONS = {
    # a float32 tensor lr: torch rounds lr / bias_correction (and 1 - lr * wd) in float32
    "Adam lr": ("Adam", lambda lib: {"lr": lib.tensor(0.01)}),
    "Adam lr amsgrad wd": (
        "Adam",
        lambda lib: {"lr": lib.tensor(0.01), "amsgrad": True, "weight_decay": 0.1},
    ),
    "AdamW lr": ("AdamW", lambda lib: {"lr": lib.tensor(0.01)}),
    "AdamW lr float64": ("AdamW", lambda lib: {"lr": lib.tensor(0.01, dtype=lib.float64)}),
    "Adagrad lr decay": ("Adagrad", lambda lib: {"lr": lib.tensor(0.1), "lr_decay": 0.1}),
    "RMSprop lr": ("RMSprop", lambda lib: {"lr": lib.tensor(0.01), "centered": True}),
    "SGD lr": ("SGD", lambda lib: {"lr": lib.tensor(0.1), "momentum": 0.9}),
    # tensor betas: torch keeps them as float32 tensors in the group
    "Adam betas": ("Adam", lambda lib: {"betas": (lib.tensor(0.8), lib.tensor(0.95))}),
    "AdamW betas lr": (
        "AdamW",
        lambda lib: {
            "lr": lib.tensor(0.01),
            "betas": (lib.tensor(0.8), lib.tensor(0.95)),
            "amsgrad": True,
        },
    ),
}


@pytest.mark.parametrize("name", sorted(TENSOR_OPTIONS))
def test_tensor_hyperparameters_follow_torch_trajectories(name):
    cls, make = TENSOR_OPTIONS[name]
    opt_th, theirs = _run(torch, cls, make)
    opt_mt, ours = _run(mt, cls, make)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    assert repr(opt_mt) == repr(opt_th)


def test_tensor_betas_are_kept_in_the_group_like_torch():
    groups = []
    for lib in (torch, mt):
        p = lib.zeros(2, requires_grad=True)
        opt = lib.optim.Adam([p], betas=(lib.tensor([0.9]), lib.tensor(0.99)))
        b1, b2 = opt.param_groups[0]["betas"]
        groups.append((type(b1).__name__, tuple(b1.shape), b1.item(), b2.item(), repr(opt)))
    assert groups[1] == groups[0]


def _error(build):
    out = []
    for lib in (torch, mt):
        with pytest.raises(Exception) as info:  # noqa: PT011 - comparing what each raises
            build(lib)
        out.append((type(info.value), str(info.value)))
    assert out[1] == out[0]


@pytest.mark.parametrize(
    "build",
    [
        lambda lib: lib.optim.Adam([lib.zeros(2)], lr=lib.tensor(0.1), foreach=True),
        lambda lib: lib.optim.AdamW([lib.zeros(2)], lr=lib.tensor(0.1), foreach=True),
        lambda lib: lib.optim.Adam(
            [lib.zeros(2)], betas=(lib.tensor(0.9), lib.tensor(0.9)), foreach=True
        ),
        lambda lib: lib.optim.Adam([lib.zeros(2)], betas=(lib.tensor([0.9, 0.8]), 0.9)),
        lambda lib: lib.optim.Adam([lib.zeros(2)], betas=(lib.tensor([[0.9]]), lib.tensor([2.0]))),
        lambda lib: lib.optim.SGD([lib.zeros(2)], lr=lib.tensor(-0.1)),
    ],
    ids=["lr-foreach", "adamw-lr-foreach", "betas-foreach", "2-element-beta", "beta-range", "neg"],
)
def test_tensor_hyperparameter_errors_match(build):
    _error(build)


OLD_GROUPS = {
    # checkpoints from older torch lack keys added since; torch's __setstate__ fills them
    "SGD": ({"lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0}, {}),
    "Adam": ({"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0}, {}),
    "AdamW": ({"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01}, {}),
    "RMSprop": ({"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0}, {}),
    "Adagrad": (
        {"lr": 0.1, "lr_decay": 0, "eps": 1e-10, "weight_decay": 0, "initial_accumulator_value": 0},
        {},
    ),
}


@pytest.mark.parametrize("cls", sorted(OLD_GROUPS))
def test_old_checkpoint_groups_get_torch_defaults_and_keep_stepping(cls):
    group, state = OLD_GROUPS[cls]
    results = []
    for lib in (torch, mt):
        rng = np.random.default_rng(1)
        params = [lib.tensor(rng.standard_normal(s), requires_grad=True) for s in SHAPES]
        opt = getattr(lib.optim, cls)(params, lr=0.5)
        opt.load_state_dict({"state": state, "param_groups": [{**group, "params": [0, 1, 2]}]})
        keys = [list(g) for g in opt.state_dict()["param_groups"]]
        for _ in range(5):
            for p in params:
                p.grad = lib.tensor(rng.standard_normal(tuple(p.shape)))
            opt.step()
        results.append(
            (keys, opt.state_dict()["param_groups"], [p.detach().numpy() for p in params])
        )
    assert results[1][0] == results[0][0]
    assert results[1][1] == results[0][1]
    for a, b in zip(results[1][2], results[0][2], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_step_hooks_receive_the_optimizer_in_args_like_torch():
    seen = []
    for lib in (torch, mt):
        p = lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD([p], lr=0.1)
        log = []
        opt.register_step_pre_hook(lambda o, args, kwargs, log=log: log.append((args, kwargs)))
        opt.register_step_post_hook(lambda o, args, kwargs, log=log: log.append((args, kwargs)))
        opt.step()
        opt.step(closure=None)
        assert all(args[0] is opt for args, _ in log)
        seen.append([(len(args), kwargs) for args, kwargs in log])
    assert seen[1] == seen[0]


def test_pre_hook_may_replace_the_closure():
    for lib in (torch, mt):
        p = lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD([p], lr=0.1)
        opt.register_step_pre_hook(lambda o, args, kwargs: ((o,), {"closure": lambda: 7.0}))
        assert opt.step() == 7.0
