"""Optimizer base behaviour: frozen params, state_dict round trips, groups, hooks, no-alloc steps."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import minitorch_ft as mt

ALL = {
    "SGD": lambda ps: mt.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adam": lambda ps: mt.optim.Adam(ps, lr=0.01, amsgrad=True),
    "AdamW": lambda ps: mt.optim.AdamW(ps, lr=0.01),
    "RMSprop": lambda ps: mt.optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda ps: mt.optim.Adagrad(ps, lr=0.1, lr_decay=0.01),
}


def _params(seed=0):
    rng = np.random.default_rng(seed)
    return [mt.tensor(rng.standard_normal(s), requires_grad=True) for s in ((3, 2), (2,))]


def _train(opt, params, steps, seed=1):
    """Steps with fixed pseudo-gradients (grad = p * c + noise) so runs are reproducible."""
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        opt.zero_grad()
        for p in params:
            p.grad = mt.tensor(p.detach().numpy() * 0.5 + rng.standard_normal(p.shape))
        opt.step()


@pytest.mark.parametrize("name", sorted(ALL))
def test_frozen_parameter_never_moves_and_gets_no_state(name):
    params = _params()
    frozen = mt.tensor(np.arange(4.0), requires_grad=True)  # requires grad, never gets one
    before = frozen.detach().numpy().copy()
    opt = ALL[name]([*params, frozen])
    _train(opt, params, 5)
    np.testing.assert_array_equal(frozen.detach().numpy(), before)
    assert frozen._version == 0
    if name == "Adagrad":  # torch creates Adagrad state for every param at construction
        assert opt.state[frozen]["step"].item() == 0.0
    else:
        assert frozen not in opt.state
        assert 2 not in opt.state_dict()["state"]


@pytest.mark.parametrize("name", sorted(ALL))
def test_state_dict_round_trip_mid_training_continues_identically(name):
    params = _params()
    opt = ALL[name](params)
    _train(opt, params, 4)
    saved = opt.state_dict()
    # a snapshot as plain data: arrays and numbers, as a checkpoint would hold
    snapshot = {
        "state": {
            str(i): {k: v.numpy().copy() for k, v in s.items()} for i, s in saved["state"].items()
        },
        "param_groups": [dict(g) for g in saved["param_groups"]],
    }
    copies = [mt.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    resumed = ALL[name](copies)
    resumed.load_state_dict(snapshot)
    _train(opt, params, 4, seed=7)
    _train(resumed, copies, 4, seed=7)
    for a, b in zip(params, copies, strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    for p, q in zip(params, copies, strict=True):
        for key, value in opt.state[p].items():
            np.testing.assert_array_equal(resumed.state[q][key].numpy(), value.numpy())
            assert resumed.state[q][key] is not value


def test_loaded_state_is_copied_and_cast_to_the_param_dtype():
    p = mt.ones(3, requires_grad=True)
    opt = mt.optim.Adam([p])
    buf = np.full(3, 0.5)  # float64 into a float32 param
    opt.load_state_dict(
        {
            "state": {0: {"step": 3, "exp_avg": buf, "exp_avg_sq": buf}},
            "param_groups": [dict(opt.state_dict()["param_groups"][0])],
        }
    )
    state = opt.state[p]
    assert str(state["exp_avg"].dtype) == "torch.float32"
    assert str(state["step"].dtype) == "torch.float32" and state["step"].item() == 3.0
    buf[:] = 9.0
    assert state["exp_avg"].tolist() == [0.5, 0.5, 0.5]


def test_step_is_in_place_untracked_and_bumps_the_version():
    p = mt.tensor([1.0, 2.0], requires_grad=True)
    data = p._data
    opt = mt.optim.SGD([p], lr=0.5)
    p.grad = mt.tensor([1.0, 1.0])
    grad_before = p.grad.tolist()
    opt.step()
    assert p._data is data and p.tolist() == [0.5, 1.5]
    assert p.grad_fn is None and p.requires_grad and p._version == 1
    assert p.grad.tolist() == grad_before  # the gradient itself is never modified


def test_steady_state_steps_allocate_no_parameter_sized_arrays():
    n = 50_000  # 400 kB of float64 per array
    params = [mt.zeros(n, dtype=mt.float64, requires_grad=True) for _ in range(2)]
    for p in params:
        p.grad = mt.ones(n, dtype=mt.float64)
    for make in ALL.values():
        opt = make(params)
        opt.step()
        opt.step()
        tracemalloc.start()
        opt.step()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 8 * n // 4, (type(opt).__name__, peak)


def test_closure_runs_with_grad_enabled_and_its_loss_is_returned():
    p = mt.tensor([3.0], requires_grad=True)
    opt = mt.optim.SGD([p], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = p * p
        loss.backward(mt.ones_like(p))
        return loss

    with mt.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0 and p.item() == pytest.approx(2.4)


def test_params_from_a_generator_and_groups_added_mid_training():
    a, b = _params()
    opt = mt.optim.SGD((p for p in [a]), lr=0.1, momentum=0.9)
    _train(opt, [a], 2)
    b_before = b.detach().numpy().copy()
    opt.add_param_group({"params": b, "lr": 0.01})  # unfreeze a "backbone"
    group = opt.param_groups[1]
    assert group["params"] == [b] and group["lr"] == 0.01 and group["momentum"] == 0.9
    _train(opt, [a, b], 1)
    assert not np.array_equal(b.detach().numpy(), b_before)
    assert opt.state_dict()["param_groups"][1]["params"] == [1]


def test_named_parameters_are_kept_as_param_names():
    a, b = _params()
    opt = mt.optim.Adam([("layer.weight", a), ("layer.bias", b)])
    assert opt.param_groups[0]["params"] == [a, b]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["layer.weight", "layer.bias"]


def test_step_hooks_run_in_order_and_can_be_removed():
    a, _ = _params()
    opt = mt.optim.SGD([a])
    calls = []
    pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append("pre"))
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append("post"))
    opt.step()
    pre.remove()
    opt.step()
    assert calls == ["pre", "post", "post"]


def test_state_dict_hooks():
    a, _ = _params()
    opt = mt.optim.SGD([a])
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    seen = []
    opt.register_load_state_dict_pre_hook(lambda o, sd: seen.append(sorted(sd)))
    opt.register_load_state_dict_post_hook(lambda o: seen.append("loaded"))
    sd = opt.state_dict()
    assert sd["extra"] == 1
    opt.load_state_dict(sd)
    assert seen == [["extra", "param_groups", "state"], "loaded"]


def test_tensor_lr_and_scheduler_fill_it_in_place():
    p = mt.tensor([1.0], requires_grad=True)
    lr = mt.tensor(0.5)
    opt = mt.optim.SGD([p], lr=lr)
    sched = mt.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    p.grad = mt.tensor([1.0])
    opt.step()
    sched.step()
    assert p.item() == 0.5 and opt.param_groups[0]["lr"] is lr and lr.item() == 0.25
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        mt.optim.SGD([p], lr=mt.tensor([0.1, 0.2]))


def test_differentiable_is_refused_honestly():
    with pytest.raises(NotImplementedError, match="differentiable"):
        mt.optim.SGD(_params(), differentiable=True)


def test_user_defined_optimizer_and_scheduler_subclasses():
    """The PyTorch tutorial pattern: subclass Optimizer / LRScheduler, write step / get_lr."""

    class SignSGD(mt.optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        @mt.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.sub_(p.grad.sign() * group["lr"])
                        self.state[p]["steps"] = self.state[p].get("steps", 0) + 1

    class Halving(mt.optim.lr_scheduler.LRScheduler):
        def get_lr(self):
            return [base / 2**self.last_epoch for base in self.base_lrs]

    p = mt.tensor([1.0, -1.0], requires_grad=True)
    opt = SignSGD([p], lr=0.5)
    sched = Halving(opt)
    calls = []
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append(1))
    for _ in range(2):
        p.grad = mt.tensor([2.0, -3.0])
        opt.step()
        sched.step()
    assert p.tolist() == [0.25, -0.25] and calls == [1, 1]
    assert opt.state_dict()["state"] == {0: {"steps": 2}}
    assert sched.get_last_lr() == [0.125]


def test_subclass_calling_super_step_runs_hooks_once():
    class Logged(mt.optim.SGD):
        def step(self, closure=None):
            return super().step(closure)

    p = mt.tensor([1.0], requires_grad=True)
    opt = Logged([p], lr=0.1)
    calls = []
    opt.register_step_pre_hook(lambda o, args, kwargs: calls.append("pre"))
    p.grad = mt.tensor([1.0])
    opt.step()
    assert calls == ["pre"] and p.item() == pytest.approx(0.9)
