"""Learning-rate schedules compared with torch: values, state_dict, groups added later."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

S = {
    "StepLR": lambda s, o: s.StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR": lambda s, o: s.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.3),
    "ExponentialLR": lambda s, o: s.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda s, o: s.CosineAnnealingLR(o, T_max=4, eta_min=0.01),
    "LinearLR": lambda s, o: s.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=4),
    "ConstantLR": lambda s, o: s.ConstantLR(o, factor=0.5, total_iters=3),
    "PolynomialLR": lambda s, o: s.PolynomialLR(o, total_iters=6, power=2.0),
    "LambdaLR": lambda s, o: s.LambdaLR(o, lambda e: 0.9**e),
    "MultiplicativeLR": lambda s, o: s.MultiplicativeLR(o, lambda e: 0.8),
    "SequentialLR": lambda s, o: s.SequentialLR(
        o,
        [s.LinearLR(o, start_factor=0.5, total_iters=2), s.ExponentialLR(o, gamma=0.9)],
        milestones=[3],
    ),
    "ChainedScheduler": lambda s, o: s.ChainedScheduler(
        [s.ConstantLR(o, factor=0.5, total_iters=4), s.ExponentialLR(o, gamma=0.9)]
    ),
    "OneCycleLR": lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=12),
    "OneCycleLR3": lambda s, o: s.OneCycleLR(
        o, max_lr=[1.0, 2.0], total_steps=12, three_phase=True, anneal_strategy="linear"
    ),
    "ReduceLROnPlateau": lambda s, o: s.ReduceLROnPlateau(
        o, patience=1, cooldown=1, factor=0.5, min_lr=[0.02, 0.0]
    ),
    "ReduceLROnPlateauMax": lambda s, o: s.ReduceLROnPlateau(
        o, mode="max", threshold_mode="abs", threshold=0.1, patience=0
    ),
}
METRICS = [1.0, 0.9, 0.95, 0.97, 0.96, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9, 1.5]


def _optimizer(lib, cls="SGD"):
    a = lib.zeros(2, requires_grad=True)
    b = lib.zeros(2, requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.5}]
    if cls == "Adam":
        return lib.optim.Adam(groups, lr=0.1)
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9)


def _run(lib, name, steps=12, cls="SGD"):
    opt = _optimizer(lib, cls)
    sched = S[name](lib.optim.lr_scheduler, opt)
    lrs = [[g["lr"] for g in opt.param_groups]]
    extra = []
    for i in range(steps):
        opt.step()
        if name.startswith("ReduceLROnPlateau"):
            sched.step(METRICS[i])
        else:
            sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
        extra.append([g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups])
    return opt, sched, lrs, extra


def _assert_close(mine, theirs, path="state_dict"):
    """Nested dicts/lists/numbers equal (floats to 1e-13); used on scheduler state_dicts."""
    if isinstance(theirs, dict):
        assert isinstance(mine, dict) and list(mine) == list(theirs), path
        for key in theirs:
            _assert_close(mine[key], theirs[key], f"{path}[{key!r}]")
    elif isinstance(theirs, (list, tuple)):
        assert len(mine) == len(theirs), path
        for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            _assert_close(a, b, f"{path}[{i}]")
    elif isinstance(theirs, float):
        assert mine == pytest.approx(theirs, rel=1e-13), path
    else:
        assert mine == theirs, path


# Adam matters only to OneCycleLR, which cycles beta1 instead of momentum
@pytest.mark.parametrize(
    ("name", "cls"),
    [(n, "SGD") for n in sorted(S)] + [("OneCycleLR", "Adam"), ("OneCycleLR3", "Adam")],
)
def test_values_and_state_dict_match(name, cls):
    opt_th, sched_th, lrs_th, extra_th = _run(torch, name, cls=cls)
    opt_mt, sched_mt, lrs_mt, extra_mt = _run(mt, name, cls=cls)
    np.testing.assert_allclose(lrs_mt, lrs_th, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(extra_mt, extra_th, rtol=1e-13)  # momentum / betas cycling
    assert sched_mt.get_last_lr() == pytest.approx(sched_th.get_last_lr(), rel=1e-13)
    sd_th, sd_mt = sched_th.state_dict(), sched_mt.state_dict()
    assert list(sd_mt) == list(sd_th)
    _assert_close(sd_mt, sd_th)
    groups_th = [{k: v for k, v in g.items() if k != "params"} for g in opt_th.param_groups]
    groups_mt = [{k: v for k, v in g.items() if k != "params"} for g in opt_mt.param_groups]
    assert list(map(list, groups_mt)) == list(map(list, groups_th))  # initial_lr etc.


@pytest.mark.parametrize(
    "name",
    [
        "StepLR",
        "ExponentialLR",
        "CosineAnnealingLR",
        "LambdaLR",
        "SequentialLR",
        "ReduceLROnPlateau",
        "OneCycleLR",
    ],
)
def test_state_dict_round_trip_resumes_identically(name):
    opt, sched, _, _ = _run(mt, name, steps=5)
    saved_opt, saved = opt.state_dict(), sched.state_dict()
    opt2 = _optimizer(mt)
    sched2 = S[name](mt.optim.lr_scheduler, opt2)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved)
    for i in range(5, 11):
        opt.step()
        opt2.step()
        args = (METRICS[i],) if name == "ReduceLROnPlateau" else ()
        sched.step(*args)
        sched2.step(*args)
        assert [g["lr"] for g in opt2.param_groups] == [g["lr"] for g in opt.param_groups]


ADDED = [
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "LinearLR",
    "ConstantLR",
    "PolynomialLR",
    "LambdaLR",
    "MultiplicativeLR",
    "SequentialLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
    "ReduceLROnPlateauList",
]


def _added_group(lib, name):
    """Build the scheduler on one group, add a group (unfreezing), then step 8 times."""
    p = lib.zeros(2, requires_grad=True)
    q = lib.zeros(2, requires_grad=True)
    opt = lib.optim.SGD([p], lr=0.1, momentum=0.9)
    if name.startswith("ReduceLROnPlateau"):
        min_lr = [0.0] if name.endswith("List") else 0.001
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=min_lr)
    else:
        sched = (
            S[name](lib.optim.lr_scheduler, opt)
            if name != "OneCycleLR"
            else lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
        )
    opt.add_param_group({"params": [q], "lr": 0.5})
    lrs = []
    try:
        for _ in range(8):
            opt.step()
            if name.startswith("ReduceLROnPlateau"):
                sched.step(1.0)
            else:
                sched.step()
            lrs.append([g["lr"] for g in opt.param_groups])
    except Exception as err:  # noqa: BLE001 - comparing what each library raises
        return lrs, (type(err), str(err)), "initial_lr" in opt.param_groups[1]
    return lrs, None, "initial_lr" in opt.param_groups[1]


@pytest.mark.parametrize("name", ADDED)
def test_group_added_after_the_scheduler_behaves_like_torch(name):
    """Chainable schedules scale the new group; base_lrs-based ones raise (strict zip)."""
    lrs_th, err_th, init_th = _added_group(torch, name)
    lrs_mt, err_mt, init_mt = _added_group(mt, name)
    np.testing.assert_allclose(lrs_mt, lrs_th, rtol=1e-13)
    assert err_mt == err_th
    assert init_mt == init_th


def test_initial_lr_and_last_epoch_resume_match():
    for lib in (torch, mt):
        opt = _optimizer(lib)
        with pytest.raises(KeyError, match="initial_lr"):
            lib.optim.lr_scheduler.StepLR(opt, 2, last_epoch=3)
    lrs = []
    for lib in (torch, mt):
        opt = _optimizer(lib)
        for g in opt.param_groups:
            g["initial_lr"] = g["lr"]
        sched = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, last_epoch=3)
        opt.step()
        sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    assert lrs[1] == pytest.approx(lrs[0], rel=1e-13)


@pytest.mark.parametrize(
    "name",
    [
        "StepLR",
        "MultiStepLR",
        "ExponentialLR",
        "CosineAnnealingLR",
        "LinearLR",
        "ConstantLR",
        "PolynomialLR",
    ],
)
def test_step_with_epoch_uses_closed_form_and_warns(name):
    results = []
    for lib in (torch, mt):
        opt = _optimizer(lib)
        sched = S[name](lib.optim.lr_scheduler, opt)
        opt.step()
        with pytest.warns(UserWarning, match="epoch parameter"):
            sched.step(5)
        results.append([g["lr"] for g in opt.param_groups])
    assert results[1] == pytest.approx(results[0], rel=1e-13)


def test_warnings_match():
    for lib in (torch, mt):
        opt = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 2)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            sched.step()
        with pytest.warns(UserWarning, match="get_last_lr"):
            sched.get_lr()
        opt = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            opt.step()
            sched.step()


BAD = {
    "not an optimizer": lambda s, o: s.StepLR(object(), 2),
    "constant factor": lambda s, o: s.ConstantLR(o, factor=1.5),
    "linear start": lambda s, o: s.LinearLR(o, start_factor=0),
    "linear end": lambda s, o: s.LinearLR(o, end_factor=2),
    "lambda count": lambda s, o: s.LambdaLR(o, [lambda e: 1.0]),
    "multiplicative not callable": lambda s, o: s.MultiplicativeLR(o, [1.0, 2.0]),
    "plateau factor": lambda s, o: s.ReduceLROnPlateau(o, factor=1.0),
    "plateau mode": lambda s, o: s.ReduceLROnPlateau(o, mode="up"),
    "plateau threshold mode": lambda s, o: s.ReduceLROnPlateau(o, threshold_mode="pct"),
    "plateau min_lrs": lambda s, o: s.ReduceLROnPlateau(o, min_lr=[0.1]),
    "sequential milestones": lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2)], milestones=[2]),
    "sequential empty": lambda s, o: s.SequentialLR(o, [], milestones=[]),
    "sequential plateau": lambda s, o: s.SequentialLR(
        o, [s.StepLR(o, 2), s.ReduceLROnPlateau(o)], milestones=[2]
    ),
    "onecycle steps": lambda s, o: s.OneCycleLR(o, max_lr=1.0),
    "onecycle total": lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=0),
    "onecycle pct": lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=5, pct_start=1),
    "onecycle strategy": lambda s, o: s.OneCycleLR(o, 1.0, 5, anneal_strategy="exp"),
    "onecycle max_lr list": lambda s, o: s.OneCycleLR(o, max_lr=[1.0], total_steps=5),
    "onecycle too many steps": lambda s, o: (lambda sch: [sch.step() for _ in range(3)])(
        s.OneCycleLR(o, 1.0, total_steps=2)
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_scheduler_errors_match(name):
    outcomes = []
    for lib in (torch, mt):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                BAD[name](lib.optim.lr_scheduler, _optimizer(lib))
            outcomes.append(None)
        except Exception as err:  # noqa: BLE001 - comparing what each library raises
            outcomes.append((type(err).__name__, str(err).replace("torch.", "")))
    assert outcomes[0] is not None
    if name == "not an optimizer":
        assert outcomes[1][0] == outcomes[0][0]
    else:
        assert outcomes[1] == outcomes[0]


def test_cosine_values_follow_the_closed_form_over_a_period():
    opt = _optimizer(mt)
    sched = mt.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8, eta_min=0.0)
    for epoch in range(1, 17):
        opt.step()
        sched.step()
        expected = 0.1 * (1 + math.cos(math.pi * epoch / 8)) / 2
        assert opt.param_groups[0]["lr"] == pytest.approx(expected, abs=1e-12)
