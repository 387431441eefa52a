"""Randomised optimizer / scheduler / grad-clipping parity with torch, plus the regressions the
optimizer fuzzer found (shrunk to a few lines each)."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

SHAPES = [(), (0,), (3,), (2, 3), (2, 0, 3)]
CHAINABLE = {
    "StepLR": {"step_size": 2, "gamma": 0.5},
    "MultiStepLR": {"milestones": [2, 5, 9], "gamma": 0.5},
    "ExponentialLR": {"gamma": 0.9},
    "CosineAnnealingLR": {"T_max": 5, "eta_min": 1e-3},
    "LinearLR": {"start_factor": 0.25, "total_iters": 4},
    "ConstantLR": {"factor": 0.5, "total_iters": 3},
    "PolynomialLR": {"total_iters": 8, "power": 2.0},
    "CosineAnnealingWarmRestarts": {"T_0": 3, "T_mult": 2},
}
OPTIONS = {
    "SGD": {"momentum": [0, 0.9], "dampening": [0, 0.1], "nesterov": [False, True]},
    "Adam": {"amsgrad": [False, True], "betas": [(0.9, 0.999), (0.5, 0.9)], "eps": [1e-3]},
    "AdamW": {"amsgrad": [False, True], "betas": [(0.8, 0.99)]},
    "RMSprop": {"momentum": [0, 0.9], "centered": [False, True], "alpha": [0.5]},
    "Adagrad": {"lr_decay": [0, 0.1], "initial_accumulator_value": [0, 0.1]},
}


def _program(seed: int) -> dict:
    rng = random.Random(seed)
    name = rng.choice(sorted(OPTIONS))
    opts = {k: rng.choice(v) for k, v in OPTIONS[name].items() if rng.random() < 0.6}
    opts["lr"] = rng.choice([0.1, 0.01])
    if rng.random() < 0.5:
        opts["weight_decay"] = 0.1
    if rng.random() < 0.3:
        opts["maximize"] = True
    if name == "SGD" and opts.get("nesterov"):
        opts.update(momentum=0.9, dampening=0)
    groups = [
        [(rng.choice(SHAPES), rng.choice(["float32", "float64"])) for _ in range(rng.randint(1, 3))]
        for _ in range(rng.randint(1, 2))
    ]
    layout = rng.choice(["multi", "chained", "sequential", "plateau", "onecycle", "cyclic"])
    kinds = rng.sample(sorted(CHAINABLE), 2)
    steps = [
        {
            "zero": rng.choice([None, True, False]),
            "grads": [
                rng.choice(["backward", "assign", "skip", "none"]) for g in groups for _ in g
            ],
            "metric": rng.choice([1.0, 0.5, 2.0]),
            "reload": rng.random() < 0.15,
        }
        for _ in range(rng.randint(10, 20))
    ]
    return {"seed": seed, "name": name, "opts": opts, "groups": groups, "layout": layout,
            "kinds": kinds, "tensor_lr": rng.random() < 0.2, "steps": steps}  # fmt: skip


class _Run:
    """One library's side of a program: parameters, optimizer, schedulers."""

    def __init__(self, lib, prog):
        self.lib, self.prog = lib, prog
        rng = np.random.default_rng(prog["seed"])
        self.groups = [
            [lib.tensor(rng.standard_normal(s).astype(d), requires_grad=True) for s, d in g]
            for g in prog["groups"]
        ]
        self.params = [p for g in self.groups for p in g]
        self.build()

    def build(self):
        lib, prog = self.lib, self.prog
        opts = dict(prog["opts"])
        if prog["tensor_lr"]:
            opts["lr"] = lib.tensor(opts["lr"])
        groups = [{"params": g} for g in self.groups]
        if len(groups) > 1:
            groups[1]["lr"] = 0.05  # a group with its own options
        self.opt = getattr(lib.optim, prog["name"])(groups, **opts)
        sched = lib.optim.lr_scheduler
        layout = prog["layout"]
        has_momentum = "momentum" in self.opt.defaults or "betas" in self.opt.defaults
        if layout == "onecycle":
            self.scheds = [sched.OneCycleLR(self.opt, max_lr=0.5, total_steps=40,
                                            cycle_momentum=has_momentum)]  # fmt: skip
        elif layout == "cyclic":
            self.scheds = [sched.CyclicLR(self.opt, 0.01, 0.1, step_size_up=3, mode="triangular2",
                                          cycle_momentum=has_momentum)]  # fmt: skip
        elif layout == "plateau":
            self.scheds = [sched.ReduceLROnPlateau(self.opt, mode="max", patience=1, factor=0.5,
                                                   cooldown=1)]  # fmt: skip
        else:
            children = [getattr(sched, k)(self.opt, **CHAINABLE[k]) for k in prog["kinds"]]
            if layout == "chained":
                self.scheds = [sched.ChainedScheduler(children)]
            elif layout == "sequential":
                self.scheds = [sched.SequentialLR(self.opt, children, milestones=[4])]
            else:
                self.scheds = children

    def step(self, i, action):
        lib = self.lib
        if action["zero"] is not None:
            self.opt.zero_grad(set_to_none=action["zero"])
        rng = np.random.default_rng(1000 * self.prog["seed"] + i)
        loss = None
        for p, how in zip(self.params, action["grads"], strict=True):
            c = lib.tensor(rng.standard_normal(tuple(p.shape)), dtype=p.dtype)
            if how == "backward":
                term = (p * c).sum().double()
                loss = term if loss is None else loss + term
            elif how == "assign":
                p.grad = c
            elif how == "none":
                p.grad = None
        if loss is not None:
            loss.backward()
        self.opt.step()
        for s in self.scheds:
            if isinstance(s, lib.optim.lr_scheduler.ReduceLROnPlateau):
                s.step(action["metric"])
            else:
                s.step()

    def reload(self, opt_state, sched_states):
        self.build()
        self.opt.load_state_dict(opt_state)
        for s, state in zip(self.scheds, sched_states, strict=True):
            s.load_state_dict(state)


def _plain(value):
    """A comparable form: tensors as (dtype, shape, array), containers recursively."""
    if isinstance(value, (torch.Tensor, mt.Tensor)):
        return ("T", str(value.dtype).split(".")[-1], tuple(value.shape), value.detach().numpy())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_plain(v) for v in value])
    return value


def _assert_same(ours, theirs, where):
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs), where
        for k in theirs:
            _assert_same(ours[k], theirs[k], f"{where}.{k}")
    elif isinstance(theirs, tuple) and theirs and theirs[0] == "T":
        assert ours[:3] == theirs[:3], where
        tol = 1e-5 if theirs[1] == "float32" else 1e-10
        np.testing.assert_allclose(ours[3], theirs[3], rtol=tol, atol=tol, err_msg=where)
    elif isinstance(theirs, tuple) and len(theirs) == 2 and theirs[0] in ("list", "tuple"):
        assert ours[0] == theirs[0] and len(ours[1]) == len(theirs[1]), where
        for i, (a, b) in enumerate(zip(ours[1], theirs[1], strict=True)):
            _assert_same(a, b, f"{where}[{i}]")
    elif isinstance(theirs, float):
        assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12), where
    else:
        assert ours == theirs, where


def _compare(ours: _Run, theirs: _Run, where: str):
    for i, (a, b) in enumerate(zip(ours.params, theirs.params, strict=True)):
        _assert_same(_plain(a), _plain(b), f"{where} param {i}")
    sd_ours, sd_theirs = ours.opt.state_dict(), theirs.opt.state_dict()
    _assert_same(_plain(sd_ours["state"]), _plain(sd_theirs["state"]), f"{where} state")
    _assert_same(_plain(sd_ours["param_groups"]), _plain(sd_theirs["param_groups"]), where)
    for a, b in zip(ours.scheds, theirs.scheds, strict=True):
        _assert_same(_plain(a.get_last_lr()), _plain(b.get_last_lr()), f"{where} last_lr")
        assert getattr(a, "last_epoch", None) == getattr(b, "last_epoch", None), where


def _to_numpy(value, memo):
    """torch's state_dict with every tensor as a numpy array (aliasing kept, as deepcopy does)."""
    if isinstance(value, torch.Tensor):
        return memo.setdefault(id(value), value.detach().numpy().copy())
    if isinstance(value, dict):
        return type(value)({k: _to_numpy(v, memo) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(v, memo) for v in value)
    return value


def _to_mt(value):
    if isinstance(value, torch.Tensor):
        return mt.tensor(value.detach().numpy().copy())
    if isinstance(value, dict):
        return type(value)({k: _to_mt(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(_to_mt(v) for v in value)
    return value


def run_program(prog):
    import copy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, ours = _Run(torch, prog), _Run(mt, prog)
        _compare(ours, theirs, "init")
        for i, action in enumerate(prog["steps"]):
            theirs.step(i, action)
            ours.step(i, action)
            _compare(ours, theirs, f"step {i}")
            if action["reload"]:  # continue from torch's checkpoint, converted to numpy
                opt_state = copy.deepcopy(theirs.opt.state_dict())
                sched_states = [copy.deepcopy(s.state_dict()) for s in theirs.scheds]
                ours.reload(_to_numpy(opt_state, {}), [_to_mt(s) for s in sched_states])
                theirs.reload(opt_state, sched_states)
                _compare(ours, theirs, f"reload {i}")


@pytest.mark.parametrize("block", range(4))
def test_random_optimizer_programs_match_torch(block):
    for seed in range(block * 40, block * 40 + 40):
        run_program(_program(seed))


# ----- regressions the fuzzer found ----------------------------------------------------------
def test_adagrad_fills_every_sum_from_the_constructor_value():
    # torch ignores a group's own initial_accumulator_value (also for a group added later)
    for lib in (mt, torch):
        p, q = (lib.ones(2, requires_grad=True) for _ in range(2))
        opt = lib.optim.Adagrad(
            [{"params": [p], "initial_accumulator_value": 0.5}], initial_accumulator_value=0.1
        )
        assert opt.state[p]["sum"].tolist() == pytest.approx([0.1, 0.1])
        opt.add_param_group({"params": [q], "initial_accumulator_value": 0.3})
        p.grad, q.grad = lib.ones(2), lib.ones(2)
        opt.step()
        assert opt.state[q]["sum"].tolist() == pytest.approx([1.1, 1.1])


def test_a_tensor_lr_shared_by_groups_stays_shared_after_load_state_dict():
    # the default tensor lr is one object in both groups, and torch's deepcopy on load keeps it
    # so: ReduceLROnPlateau then cuts it once per group (a per-group copy cut it only once)
    lrs = {}
    for lib in (mt, torch):
        a, b = lib.ones(2, requires_grad=True), lib.ones(1, requires_grad=True)
        opt = lib.optim.Adam([{"params": [a]}, {"params": [b]}], lr=lib.tensor(0.01))
        opt.load_state_dict(opt.state_dict())
        assert opt.param_groups[0]["lr"] is opt.param_groups[1]["lr"]
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
        for metric in (1.0, 2.0):
            opt.step()
            sched.step(metric)
        lrs[lib.__name__] = [float(g["lr"]) for g in opt.param_groups]
    assert lrs["minitorch_ft"] == lrs["torch"] == pytest.approx([0.0025, 0.0025])


def test_torch_state_dict_converted_to_numpy_keeps_a_tensor_lr_a_tensor():
    th_p = torch.ones(3, requires_grad=True)
    th_opt = torch.optim.Adam([th_p], lr=torch.tensor(0.01))
    th_p.grad = torch.full((3,), 0.5)
    th_opt.step()
    saved = _to_numpy(th_opt.state_dict(), {})
    p = mt.tensor(th_p.detach().numpy().copy(), requires_grad=True)
    opt = mt.optim.Adam([p], lr=mt.tensor(0.01))
    opt.load_state_dict(saved)
    lr = opt.param_groups[0]["lr"]
    assert isinstance(lr, mt.Tensor) and lr.dtype == mt.float32
    sched = mt.optim.lr_scheduler.ExponentialLR(opt, 0.9)
    th_sched = torch.optim.lr_scheduler.ExponentialLR(th_opt, 0.9)
    for _ in range(3):
        p.grad, th_p.grad = mt.full((3,), 0.5), torch.full((3,), 0.5)
        opt.step()
        th_opt.step()
        sched.step()
        th_sched.step()
    assert lr is opt.param_groups[0]["lr"]  # filled in place by the scheduler, like torch
    np.testing.assert_array_equal(p.detach().numpy(), th_p.detach().numpy())


CAPTURABLE = [
    ("Adam", {}, "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"),
    ("Adam", {"foreach": True}, "['cuda', 'xpu', 'hpu', 'privateuseone']"),
    ("AdamW", {}, "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"),
    ("RMSprop", {"foreach": True}, "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"),
]


@pytest.mark.parametrize("name,kwargs,devices", CAPTURABLE)
def test_capturable_on_cpu_fails_at_the_first_step_like_torch(name, kwargs, devices):
    text = f"If capturable=True, params and state_steps must be on supported devices: {devices}."
    for lib in (mt, torch):
        p = lib.ones(2, requires_grad=True)
        opt = getattr(lib.optim, name)([p], capturable=True, **kwargs)
        opt.step()  # no gradient yet: nothing to check
        p.grad = lib.ones(2)
        with pytest.raises(AssertionError) as info:
            opt.step()
        assert str(info.value) == text
        assert sorted(opt.state[p]) != []  # the state was created before the check


def test_fused_adam_ignores_capturable_like_torch():
    for lib in (mt, torch):
        p = lib.ones(2, requires_grad=True)
        opt = lib.optim.Adam([p], capturable=True, fused=True)
        p.grad = lib.ones(2)
        opt.step()
        assert p.tolist() == pytest.approx([0.999, 0.999])


# ----- gradient clipping ---------------------------------------------------------------------
def _with_grads(lib, grads):
    params = []
    for g in grads:
        p = lib.zeros(g.shape, dtype=getattr(lib, str(g.dtype)), requires_grad=True)
        p.grad = lib.tensor(g.copy())
        params.append(p)
    return params


def test_clip_grad_norm_of_mixed_dtypes_is_float64_like_torch():
    grads = [np.array([3.0], np.float32), np.array([4.0, 0.0], np.float64)]
    for lib in (mt, torch):
        total = lib.nn.utils.clip_grad_norm_(_with_grads(lib, grads), 1.0)
        assert str(total.dtype).endswith("float64")
        assert float(total) == 5.0


@pytest.mark.parametrize("norm_type", [float("inf"), -float("inf"), "inf"])
@pytest.mark.parametrize("foreach", [None, True, False])
def test_clip_grad_norm_inf_of_an_empty_grad_raises_like_torch(norm_type, foreach):
    grads = [np.ones(2, np.float32), np.zeros((2, 0), np.float32)]
    errors = []
    for lib in (mt, torch):
        with pytest.raises(RuntimeError) as info:
            lib.nn.utils.clip_grad_norm_(_with_grads(lib, grads), 1.0, norm_type, foreach=foreach)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_clip_grad_norm_scales_with_torchs_rounding():
    g = np.random.default_rng(7).standard_normal((2, 3))
    g[0, 0] = -np.inf
    out = []
    for lib in (mt, torch):
        params = _with_grads(lib, [g])
        assert float(lib.nn.utils.clip_grad_norm_(params, 0.1, norm_type=0)) == 1.0
        out.append(params[0].grad.numpy())
    np.testing.assert_array_equal(out[0], out[1])  # bit for bit: (1 / (n + 1e-6)) * max_norm


def test_clip_grad_value_without_any_grad_raises_like_torch():
    for lib in (mt, torch):
        for params in ([], [lib.ones(2, requires_grad=True)]):
            with pytest.raises(RuntimeError, match=r"^Expected !nested_tensorlist\[0\]\.empty\(\)"):
                lib.nn.utils.clip_grad_value_(params, 1.0)


def test_random_clipping_matches_torch():
    rng = random.Random(0)
    for seed in range(300):
        data = np.random.default_rng(seed)
        dtype = rng.choice([np.float32, np.float64])
        grads = [
            (data.standard_normal(rng.choice(SHAPES)) * rng.choice([1e-3, 1, 1e3])).astype(dtype)
            for _ in range(rng.randint(1, 4))
        ]
        norm_type = rng.choice([1, 2, 2.0, 0.5, 3, 0, float("inf"), -float("inf")])
        kwargs = {"foreach": rng.choice([None, True, False])}
        by_norm = rng.random() < 0.5
        results = []
        for lib in (mt, torch):
            params = _with_grads(lib, grads)
            try:
                if by_norm:
                    total = lib.nn.utils.clip_grad_norm_(params, 0.5, norm_type, **kwargs)
                    total = (str(total.dtype).split(".")[-1], total.item())
                else:
                    total = lib.nn.utils.clip_grad_value_(params, 0.5, **kwargs)
            except RuntimeError as e:
                total = str(e)
            results.append((total, [p.grad.numpy() for p in params]))
        (ours, our_grads), (theirs, their_grads) = results
        if isinstance(theirs, tuple):
            assert ours[0] == theirs[0], seed
            assert ours[1] == pytest.approx(theirs[1], rel=1e-5, nan_ok=True), seed
        else:
            assert ours == theirs, seed
        for a, b in zip(our_grads, their_grads, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, err_msg=str(seed))
