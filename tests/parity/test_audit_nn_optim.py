"""Audit regressions vs torch: CyclicLR and CosineAnnealingWarmRestarts (lrs, momenta,
state_dict), and Tensor.__format__ of 0-d tensors (how torch prints a tensor lr)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")


def _opt(lib, kind="sgd"):
    params = [lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(3))]
    if kind == "adam":
        return lib.optim.Adam(params, lr=0.1)
    return lib.optim.SGD(
        [{"params": params[:1]}, {"params": params[1:], "lr": 0.3}], lr=0.1, momentum=0.9
    )


SCHEDULES = {
    "triangular": lambda s, o: s.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=2),
    "triangular2": lambda s, o: s.CyclicLR(
        o, [0.01, 0.02], 0.1, step_size_up=2, step_size_down=3, mode="triangular2"
    ),
    "exp_range": lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=2, mode="exp_range", gamma=0.9),
    "custom": lambda s, o: s.CyclicLR(
        o, 0.01, 0.1, step_size_up=3, scale_fn=lambda x: 0.5, scale_mode="iterations"
    ),
    "warm": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001),
    "warm1": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=4),
}


def _run(lib, make, kind="sgd", steps=13):
    opt = _opt(lib, kind)
    sched = make(lib.optim.lr_scheduler, opt)
    out = [list(sched.get_last_lr())]
    for _ in range(steps):
        opt.step()
        sched.step()
        out.append([(g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups])
    state = {k: v for k, v in sched.state_dict().items()}
    return out, state


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_periodic_schedules_match_torch(name):
    ours, our_state = _run(mt, SCHEDULES[name])
    theirs, their_state = _run(torch, SCHEDULES[name])
    np.testing.assert_allclose(np.array(ours[0]), np.array(theirs[0]), rtol=1e-12)
    for a, b in zip(ours[1:], theirs[1:], strict=True):
        for (lr_a, mom_a, _), (lr_b, mom_b, _) in zip(a, b, strict=True):
            assert lr_a == pytest.approx(lr_b, rel=1e-12)
            assert mom_a == pytest.approx(mom_b, rel=1e-12)
    assert list(our_state) == list(their_state)


def test_cyclic_lr_cycles_adam_beta1_like_torch():
    make = SCHEDULES["exp_range"]
    ours, _ = _run(mt, make, kind="adam", steps=5)
    theirs, _ = _run(torch, make, kind="adam", steps=5)
    flat = [[b for step in run[1:] for g in step for b in g[2]] for run in (ours, theirs)]
    np.testing.assert_allclose(flat[0], flat[1], rtol=1e-12)


def test_cyclic_lr_errors_match_torch():
    for lib in (mt, torch):
        opt = lib.optim.Adagrad([lib.nn.Parameter(lib.ones(1))], lr=0.1)
        with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
            lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1)
        with pytest.raises(ValueError, match="mode is invalid and scale_fn is None"):
            lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="x", cycle_momentum=False)


def test_cyclic_state_dict_round_trip():
    opt = _opt(mt)
    sched = SCHEDULES["triangular"](mt.optim.lr_scheduler, opt)
    for _ in range(3):
        opt.step()
        sched.step()
    state = copy.deepcopy(sched.state_dict())
    opt2 = _opt(mt)
    sched2 = SCHEDULES["triangular"](mt.optim.lr_scheduler, opt2)
    sched2.load_state_dict(state)
    opt.step(), sched.step(), opt2.step(), sched2.step()
    assert sched2.get_last_lr() == sched.get_last_lr()


def test_warm_restarts_fractional_epochs_and_errors_match_torch():
    def run(lib):
        opt = _opt(lib)
        sched = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(
            opt, T_0=2, T_mult=3, eta_min=0.01
        )
        out = []
        for epoch in [0.5, 1.5, 2, 7.25, 8, 30, 1, None, None]:
            sched.step(epoch)
            out.append(
                (
                    opt.param_groups[0]["lr"],
                    sched.T_i,
                    sched.T_cur,
                    sched.last_epoch,
                    sched._step_count,
                )
            )
        with pytest.raises(ValueError, match="Expected non-negative epoch, but got -1"):
            sched.step(-1)
        return out

    np.testing.assert_allclose(np.array(run(mt), float), np.array(run(torch), float), rtol=1e-12)
    for lib in (mt, torch):
        opt = _opt(lib)
        with pytest.raises(ValueError, match="Expected positive integer T_0, but got 0"):
            lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=0)
        with pytest.raises(ValueError, match="Expected integer T_mult >= 1, but got 1.5"):
            lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=1.5)


def test_zero_dim_tensor_formats_as_number_like_torch():
    for value in (0.01, 3, True):
        assert f"{mt.tensor(value)}" == f"{torch.tensor(value)}"
        assert (
            f"{mt.tensor(value, dtype=mt.float64):.3f}"
            == f"{torch.tensor(value, dtype=torch.float64):.3f}"
        )
    assert f"{mt.ones(2)}" == f"{torch.ones(2)}"
    assert f"{mt.nn.Parameter(mt.tensor(1.0))}" == f"{torch.nn.Parameter(torch.tensor(1.0))}"
    with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format"):
        f"{mt.ones(2):.3f}"
    opt_repr = {
        lib: repr(lib.optim.Adam([lib.nn.Parameter(lib.ones(1))], lr=lib.tensor(0.01)))
        for lib in (mt, torch)
    }
    assert opt_repr[mt] == opt_repr[torch]
