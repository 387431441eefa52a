"""nn.Module API parity with torch on random module trees, plus explicit API cases.

Each tree is built twice from the same seed (once with torch.nn, once with minitorch_ft.nn):
nested Sequential/ModuleList/ModuleDict/custom modules, shared submodules and parameters,
persistent and non-persistent buffers, None parameters/buffers/children.
"""

from __future__ import annotations

import copy
import random
import warnings

import pytest

import minitorch_ft as mt
from tests.parity.helpers import torch

TENSORS = (torch.Tensor, mt.Tensor)
MODULES = (torch.nn.Module, mt.nn.Module)
PARAMS = (torch.nn.Parameter, mt.nn.Parameter)


def _build(lib, seed: int):
    rng = random.Random(seed)

    class Custom(lib.nn.Module):
        def forward(self, x):
            return x

    modules: list = []
    params: list = []

    def leaf():
        r = rng.random()
        if r < 0.4:
            m = lib.nn.Linear(rng.randint(1, 3), rng.randint(1, 3), bias=rng.random() < 0.7)
        elif r < 0.55:
            m = lib.nn.ReLU()
        elif r < 0.7:
            m = lib.nn.BatchNorm1d(2)
        else:
            m = Custom()
            for i in range(rng.randint(0, 3)):
                k, name = rng.random(), f"p{i}"
                if k < 0.3:
                    m.register_parameter(name, lib.nn.Parameter(lib.ones(rng.randint(1, 3)) * i))
                elif k < 0.45:
                    m.register_parameter(name, None)
                elif k < 0.6:
                    m.register_buffer(name, lib.zeros(2) + i, persistent=rng.random() < 0.5)
                elif k < 0.7:
                    m.register_buffer(name, None)
                elif k < 0.8 and params:
                    m.register_parameter(name, params[rng.randrange(len(params))])
                else:
                    m.add_module(name, None)
            params.extend(p for p in m._parameters.values() if p is not None)
        modules.append(m)
        return m

    def node(depth):
        if depth == 0 or rng.random() < 0.3:
            if modules and rng.random() < 0.2:
                return modules[rng.randrange(len(modules))]  # shared submodule
            return leaf()
        kind = rng.random()
        kids = [node(depth - 1) for _ in range(rng.randint(0, 3))]
        if kind < 0.3:
            m = lib.nn.Sequential(*kids)
        elif kind < 0.55:
            m = lib.nn.ModuleList(kids)
        elif kind < 0.75:
            m = lib.nn.ModuleDict({f"k{i}": k for i, k in enumerate(kids)})
        else:
            m = Custom()
            for i, k in enumerate(kids):
                setattr(m, f"c{i}", k)
            if rng.random() < 0.3:
                m.register_buffer("b", lib.ones(1), persistent=rng.random() < 0.5)
        modules.append(m)
        return m

    return node(rng.randint(1, 4))


def _norm(x, ids: dict):
    """A library-neutral picture of a result: tensors by kind/shape/identity class."""
    if isinstance(x, TENSORS):
        kind = "Parameter" if isinstance(x, PARAMS) else "Tensor"
        ident = ids.setdefault(id(x), len(ids))
        return (kind, tuple(x.shape), str(x.dtype).split(".")[-1], x.requires_grad, ident)
    if isinstance(x, MODULES):
        return ("Module", type(x).__name__, ids.setdefault(id(x), len(ids)))
    if isinstance(x, (list, tuple)):
        return [_norm(v, ids) for v in x]
    if isinstance(x, dict):
        return [(k, _norm(v, ids)) for k, v in x.items()]
    return x


def _outcome(lib, seed, fn):
    module = _build(lib, seed)
    try:
        return _norm(fn(lib, module), {})
    except Exception as e:  # noqa: BLE001 - the exception itself is what we compare
        return ("raised", type(e).__name__, str(e))


def _drop_first_add_extra(lib, m, strict):
    sd = m.state_dict()
    if sd:
        sd.popitem(last=False)
    sd["extra.w"] = lib.ones(1)
    return tuple(m.load_state_dict(sd, strict=strict))


def _resize_two(lib, m):
    sd = m.state_dict()
    for k in list(sd)[:2]:
        sd[k] = lib.ones(7)
    return m.load_state_dict(sd)


def _grads_then(lib, m, action):
    ps = list(m.parameters())
    for p in ps:
        p.grad = lib.ones_like(p)
    action(m)
    return [(p is q, p.grad) for p, q in zip(ps, m.parameters(), strict=True)]


CHECKS = {
    "named_parameters": lambda lib, m: list(m.named_parameters(prefix="pre")),
    "named_parameters_dup": lambda lib, m: list(m.named_parameters(remove_duplicate=False)),
    "named_parameters_norecurse": lambda lib, m: list(m.named_parameters(recurse=False)),
    "named_buffers": lambda lib, m: list(m.named_buffers(prefix="x", remove_duplicate=False)),
    "named_modules": lambda lib, m: list(m.named_modules(prefix="z", remove_duplicate=False)),
    "named_modules_unique": lambda lib, m: list(m.named_modules()),
    "named_children": lambda lib, m: list(m.named_children()),
    "state_dict": lambda lib, m: m.state_dict(),
    "state_dict_keep_vars": lambda lib, m: m.state_dict(keep_vars=True, prefix="a."),
    "metadata_keys": lambda lib, m: list(m.state_dict()._metadata),
    "repr": lambda lib, m: repr(m),
    "load_self": lambda lib, m: tuple(m.load_state_dict(m.state_dict())),
    "load_strict": lambda lib, m: _drop_first_add_extra(lib, m, True),
    "load_non_strict": lambda lib, m: _drop_first_add_extra(lib, m, False),
    "load_size_mismatch": _resize_two,
    "load_assign": lambda lib, m: (
        m.load_state_dict({k: v.clone().double() for k, v in m.state_dict().items()}, assign=True),
        list(m.named_parameters(remove_duplicate=False)),
    )[1],
    "deepcopy": lambda lib, m: list(copy.deepcopy(m).named_parameters(remove_duplicate=False)),
    "deepcopy_state": lambda lib, m: copy.deepcopy(m).state_dict(keep_vars=True),
    "double": lambda lib, m: m.double().state_dict(keep_vars=True),
    "to_float64_grads": lambda lib, m: _grads_then(lib, m, lambda mod: mod.to(lib.float64)),
    "zero_grad": lambda lib, m: _grads_then(lib, m, lambda mod: mod.zero_grad()),
    "eval": lambda lib, m: [x.training for x in m.eval().modules()],
    "requires_grad_": lambda lib, m: [
        p.requires_grad for p in m.requires_grad_(False).parameters()
    ],
    "get_submodule": lambda lib, m: [m.get_submodule(n) for n, _ in m.named_modules()],
    "get_parameter": lambda lib, m: [m.get_parameter(n) for n, _ in m.named_parameters()],
    "get_buffer": lambda lib, m: [m.get_buffer(n) for n, _ in m.named_buffers()],
}


@pytest.mark.parametrize("seed", range(25))
def test_random_module_trees_match_torch(seed):
    for name, fn in CHECKS.items():
        expected = _outcome(torch, seed, fn)
        got = _outcome(mt, seed, fn)
        assert got == expected, (name, seed)


# ----- explicit cases ------------------------------------------------------------------


def _raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, s: s.set_submodule("", lib.nn.Tanh()),
        lambda lib, s: s.set_submodule("", 3),
        lambda lib, s: s.set_submodule("0", None),
        lambda lib, s: s.set_submodule("q", lib.nn.Tanh(), strict=True),
        lambda lib, s: s.set_submodule("0.x.y", lib.nn.Tanh()),
        lambda lib, s: s.set_submodule("n", lib.nn.Tanh()),
        lambda lib, s: s.set_submodule("1.weight", lib.nn.Tanh()),
        lambda lib, s: s.set_submodule("1.weight.x", lib.nn.Tanh()),
    ],
)
def test_set_submodule_errors(call):
    results = []
    for lib in (torch, mt):
        s = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Linear(1, 1))
        s.add_module("n", None)
        results.append(_raised(lambda lib=lib, s=s: call(lib, s)))
    assert results[0] is not None
    assert results[1] == results[0]


def test_set_submodule_replaces_and_adds():
    reprs = []
    for lib in (torch, mt):
        s = lib.nn.Sequential(lib.nn.Sequential(lib.nn.ReLU(), lib.nn.ReLU()))
        assert s.set_submodule("0.1", lib.nn.Tanh()) is None
        s.set_submodule("new", lib.nn.Sigmoid())
        s.set_submodule("0.0.extra", lib.nn.Tanh())  # non-strict: the leaf may be new
        reprs.append(repr(s))
    assert reprs[1] == reprs[0]


def test_to_empty_keeps_parameter_objects_and_shapes():
    for lib in (torch, mt):
        m = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
        w = m[0].weight
        w.grad = lib.ones(3, 2)
        assert m.to_empty(device="cpu") is m
        assert m[0].weight is w and isinstance(w, lib.nn.Parameter)
        assert w.grad.shape == (3, 2) and m[1].running_mean.shape == (3,)
        assert m.to_empty(device="cpu", recurse=False) is m
    assert _raised(lambda: mt.nn.Linear(1, 1).to_empty("cpu"))[0] == "TypeError"


def test_state_dict_positional_args_warn_like_torch():
    for lib in (torch, mt):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            keys = list(lib.nn.Linear(1, 1).state_dict(None, "p."))
        assert keys == ["p.weight", "p.bias"]
        assert [w.category for w in caught] == [FutureWarning]
        assert str(caught[0].message).startswith("Positional args are being deprecated")
    # a keyword value wins over the positional one
    with pytest.warns(FutureWarning):
        keys = list(mt.nn.Linear(1, 1).state_dict(None, "p.", prefix="k."))
    assert keys == ["k.weight", "k.bias"]


def test_type_to_integer_dtype_rejects_trainable_parameters():
    expected = _raised(lambda: torch.nn.Linear(2, 2).type(torch.int32))
    assert _raised(lambda: mt.nn.Linear(2, 2).type(mt.int32)) == expected
    # frozen parameters convert, as in torch
    m = mt.nn.Linear(2, 2).requires_grad_(False).type(mt.int32)
    assert m.weight.dtype == mt.int32


def test_to_bare_device_index_matches_torch():
    expected = _raised(lambda: torch.nn.Linear(1, 1).to(3))
    assert _raised(lambda: mt.nn.Linear(1, 1).to(3)) == expected


def test_public_module_methods_exist():
    ignore = {"bfloat16", "compile", "dump_patches", "ipu", "mtia", "xpu", "T_destination"}
    public = {k for k in dir(torch.nn.Module) if not k.startswith("_")} - ignore
    assert public - set(dir(mt.nn.Module)) == set()
