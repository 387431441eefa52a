"""Optimizer construction errors, state_dict layout and repr, compared with torch directly."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")


def _leaves(lib, n=3):
    return [lib.tensor(np.arange(i + 2, dtype=np.float32), requires_grad=True) for i in range(n)]


def _raises_alike(build):
    """Run build(lib) in both libraries: same exception type and text, or both succeed."""
    errors = []
    for lib in (torch, mt):
        try:
            build(lib)
            errors.append(None)
        except Exception as err:  # noqa: BLE001 - comparing whatever each raises
            errors.append((type(err), str(err)))
    assert errors[1] == errors[0]
    return errors[0]


BAD_CALLS = {
    "bare tensor": lambda lib: lib.optim.SGD(lib.zeros(2, requires_grad=True)),
    "bare double tensor": lambda lib: lib.optim.Adam(lib.zeros(2, dtype=lib.float64)),
    "empty list": lambda lib: lib.optim.SGD([]),
    "set inside a group": lambda lib: lib.optim.SGD([{"params": set(_leaves(lib))}]),
    "non-leaf": lambda lib: lib.optim.SGD([_leaves(lib)[0] * 2]),
    "not a tensor": lambda lib: lib.optim.SGD([_leaves(lib)[0], 1.5]),
    "string param": lambda lib: lib.optim.SGD(["w"]),
    "same param in two groups": lambda lib: (
        lambda p: lib.optim.SGD([{"params": [p]}, {"params": [p]}])
    )(_leaves(lib)[0]),
    "negative lr": lambda lib: lib.optim.SGD(_leaves(lib), lr=-0.1),
    "negative momentum": lambda lib: lib.optim.SGD(_leaves(lib), momentum=-1),
    "negative weight_decay": lambda lib: lib.optim.SGD(_leaves(lib), weight_decay=-1),
    "nesterov without momentum": lambda lib: lib.optim.SGD(_leaves(lib), nesterov=True),
    "nesterov with dampening": lambda lib: lib.optim.SGD(
        _leaves(lib), momentum=0.9, dampening=0.1, nesterov=True
    ),
    "mixed names": lambda lib: (lambda ps: lib.optim.SGD([("a", ps[0]), ps[1]]))(_leaves(lib)),
    "adam lr": lambda lib: lib.optim.Adam(_leaves(lib), lr=-1e-3),
    "adam eps": lambda lib: lib.optim.Adam(_leaves(lib), eps=-1),
    "adam beta0": lambda lib: lib.optim.Adam(_leaves(lib), betas=(1.0, 0.9)),
    "adam beta1": lambda lib: lib.optim.AdamW(_leaves(lib), betas=(0.9, 1.0)),
    "adam int beta": lambda lib: lib.optim.Adam(_leaves(lib), betas=(0.9, 0)),
    "adam weight_decay": lambda lib: lib.optim.Adam(_leaves(lib), weight_decay=-0.1),
    "rmsprop alpha": lambda lib: lib.optim.RMSprop(_leaves(lib), alpha=-0.1),
    "rmsprop momentum": lambda lib: lib.optim.RMSprop(_leaves(lib), momentum=-0.1),
    "adagrad lr_decay": lambda lib: lib.optim.Adagrad(_leaves(lib), lr_decay=-0.1),
    "adagrad initial": lambda lib: lib.optim.Adagrad(_leaves(lib), initial_accumulator_value=-1),
    "fused and foreach": lambda lib: lib.optim.SGD(_leaves(lib), fused=True, foreach=True),
    "group not a dict": lambda lib: lib.optim.SGD(_leaves(lib)[:1]).add_param_group(
        _leaves(lib)[1:]
    ),
    "named group into unnamed": lambda lib: lib.optim.SGD(_leaves(lib)[:1]).add_param_group(
        {"params": [("b", _leaves(lib)[1])]}
    ),
    "group size mismatch on load": lambda lib: lib.optim.SGD(_leaves(lib)[:2]).load_state_dict(
        lib.optim.SGD(_leaves(lib)).state_dict()
    ),
    "group count mismatch on load": lambda lib: lib.optim.SGD(_leaves(lib)).load_state_dict(
        lib.optim.SGD([{"params": _leaves(lib)[:1]}, {"params": _leaves(lib)[1:]}]).state_dict()
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_CALLS))
def test_errors_match_torch(name):
    assert _raises_alike(BAD_CALLS[name]) is not None


def test_a_set_of_params_at_top_level_is_accepted_like_torch():
    _raises_alike(lambda lib: lib.optim.SGD(set(_leaves(lib, 1))))


def test_duplicate_params_warn_like_torch():
    for lib in (torch, mt):
        p = _leaves(lib, 1)[0]
        with pytest.warns(UserWarning, match="duplicate parameters"):
            lib.optim.SGD([p, p])


@pytest.mark.parametrize("cls", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_defaults_groups_and_repr_match(cls):
    opts = [getattr(lib.optim, cls)(_leaves(lib)) for lib in (torch, mt)]
    assert opts[1].defaults == opts[0].defaults
    assert opts[1].state_dict()["param_groups"] == opts[0].state_dict()["param_groups"]
    assert repr(opts[1]) == repr(opts[0])


def test_named_params_layout_matches():
    def build(lib):
        a, b, c = _leaves(lib)
        opt = lib.optim.SGD([("a", a), ("b", b)], lr=0.1, momentum=0.9)
        opt.add_param_group({"params": [("c", c)], "lr": 0.2})
        for p in (a, b, c):
            p.grad = lib.ones_like(p)
        opt.step()
        return opt

    ours, theirs = build(mt), build(torch)
    sd_mt, sd_th = ours.state_dict(), theirs.state_dict()
    assert sd_mt["param_groups"] == sd_th["param_groups"]
    assert [list(g) for g in sd_mt["param_groups"]] == [list(g) for g in sd_th["param_groups"]]
    assert ours.param_groups[0]["param_names"] == ["a", "b"]
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("cls", ["SGD", "Adam", "RMSprop", "Adagrad"])
def test_state_entries_have_torch_dtypes(cls):
    """`step` is a 0-d float32 tensor whatever the param dtype; buffers follow the param."""
    states = []
    for lib in (torch, mt):
        p = lib.ones(3, dtype=lib.float64, requires_grad=True)
        opt = (
            getattr(lib.optim, cls)([p], momentum=0.5)
            if cls in ("SGD", "RMSprop")
            else getattr(lib.optim, cls)([p])
        )
        p.grad = lib.full((3,), 0.5, dtype=lib.float64)
        opt.step()
        states.append({k: (str(v.dtype), tuple(v.shape)) for k, v in opt.state[p].items()})
    assert states[1] == states[0]


def test_zero_grad_variants_match():
    for lib in (torch, mt):
        p = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([p])
        p.grad = lib.ones(2)
        opt.zero_grad(set_to_none=False)
        assert p.grad is not None and p.grad.tolist() == [0.0, 0.0]
        opt.zero_grad()
        assert p.grad is None
