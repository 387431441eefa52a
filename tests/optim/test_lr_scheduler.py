"""Schedulers against hand-computed values, and their state_dicts as plain data (no torch)."""

from __future__ import annotations

import json
import math

import pytest

import minitorch_ft as mt

S = mt.optim.lr_scheduler


def _opt(lr=1.0, groups=1):
    params = [mt.zeros(1, requires_grad=True) for _ in range(groups)]
    return mt.optim.SGD([{"params": [p]} for p in params], lr=lr, momentum=0.9)


def _lrs(opt, sched, steps, metrics=None):
    out = []
    for i in range(steps):
        opt.step()
        sched.step(*([metrics[i]] if metrics else []))
        out.append(round(opt.param_groups[0]["lr"], 12))
    return out


def test_construction_sets_initial_lr_and_base_lrs():
    opt = _opt(lr=0.3, groups=2)
    opt.param_groups[1]["lr"] = 0.7
    sched = S.StepLR(opt, step_size=2)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.3, 0.7]
    assert sched.base_lrs == [0.3, 0.7] and sched.last_epoch == 0
    assert sched.get_last_lr() == [0.3, 0.7]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda o: S.StepLR(o, step_size=2, gamma=0.5), [1, 0.5, 0.5, 0.25, 0.25]),
        (
            lambda o: S.MultiStepLR(o, milestones=[1, 3, 3], gamma=0.5),
            [0.5, 0.5, 0.125, 0.125, 0.125],
        ),
        (lambda o: S.ExponentialLR(o, gamma=0.5), [0.5, 0.25, 0.125, 0.0625, 0.03125]),
        (lambda o: S.LinearLR(o, start_factor=0.2, total_iters=4), [0.4, 0.6, 0.8, 1.0, 1.0]),
        (lambda o: S.ConstantLR(o, factor=0.5, total_iters=2), [0.5, 1.0, 1.0, 1.0, 1.0]),
        (lambda o: S.PolynomialLR(o, total_iters=4, power=1.0), [0.75, 0.5, 0.25, 0.0, 0.0]),
        (lambda o: S.LambdaLR(o, lambda e: 1 / (e + 1)), [0.5, 1 / 3, 0.25, 0.2, 1 / 6]),
        (lambda o: S.MultiplicativeLR(o, lambda e: 0.9), [0.9, 0.81, 0.729, 0.6561, 0.59049]),
        (
            lambda o: S.CosineAnnealingLR(o, T_max=4),
            [round((1 + math.cos(math.pi * t / 4)) / 2, 12) for t in range(1, 6)],
        ),
    ],
)
def test_schedules_by_hand(make, expected):
    opt = _opt()
    assert _lrs(opt, make(opt), 5) == pytest.approx(expected, abs=1e-12)


def test_sequential_switches_at_the_milestone():
    opt = _opt()
    sched = S.SequentialLR(
        opt,
        [S.ConstantLR(opt, factor=0.1, total_iters=10), S.ExponentialLR(opt, gamma=0.5)],
        milestones=[2],
    )
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
    assert _lrs(opt, sched, 4) == pytest.approx([0.1, 1.0, 0.5, 0.25])


def test_reduce_on_plateau_patience_cooldown_and_min_lr():
    opt = _opt()
    sched = S.ReduceLROnPlateau(opt, factor=0.5, patience=1, cooldown=1, min_lr=0.2)
    metrics = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5]
    # bad epochs: 1, 2 -> cut (0.5); cooldown eats one; 1, 2 -> cut (0.25); ... floor 0.2
    assert _lrs(opt, sched, 8, metrics) == [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]
    assert sched.best == 0.5


def test_lambda_state_dict_drops_functions_keeps_callable_objects():
    class Warmup:
        def __init__(self):
            self.steps = 3

        def __call__(self, epoch):
            return min(1.0, (epoch + 1) / self.steps)

    opt = _opt(groups=2)
    sched = S.LambdaLR(opt, [lambda e: 1.0, Warmup()])
    opt.step()
    sched.step()
    state = sched.state_dict()
    assert state["lr_lambdas"] == [None, {"steps": 3}]
    json.dumps(state)  # plain data: no functions, no optimizer
    warm = Warmup()
    warm.steps = 99
    sched2 = S.LambdaLR(_opt(groups=2), [lambda e: 1.0, warm])
    state["lr_lambdas"][1] = {"steps": 5}
    sched2.load_state_dict(state)
    assert warm.steps == 5 and sched2.last_epoch == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda o: S.StepLR(o, 3),
        lambda o: S.SequentialLR(o, [S.LinearLR(o), S.StepLR(o, 2)], milestones=[2]),
        lambda o: S.ReduceLROnPlateau(o),
        lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=10),
    ],
)
def test_state_dicts_are_json_plain(make):
    opt = _opt()
    sched = make(opt)
    opt.step()
    sched.step(*([1.0] if isinstance(sched, S.ReduceLROnPlateau) else []))
    json.loads(json.dumps(sched.state_dict()))


def test_group_added_later_follows_torch():
    """Chainable schedules scale the new group from its own lr; base_lrs ones raise."""
    opt = _opt(lr=0.1)
    step = S.StepLR(opt, step_size=1, gamma=0.5)
    opt.add_param_group({"params": [mt.zeros(1, requires_grad=True)], "lr": 0.4})
    opt.step()
    step.step()
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.2]
    assert "initial_lr" not in opt.param_groups[1]

    opt = _opt(lr=0.1)
    lam = S.LambdaLR(opt, lambda e: 0.5)
    opt.add_param_group({"params": [mt.zeros(1, requires_grad=True)], "lr": 0.4})
    opt.step()
    with pytest.raises(ValueError, match="zip"):
        lam.step()
