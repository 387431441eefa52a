"""Optimizers on real nn modules, side by side with torch: training loop, freezing, unfreezing."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
X = RNG.standard_normal((32, 5))
Y = RNG.standard_normal((32, 2))


def _model(lib):
    """The same MLP in both libraries, float64, with identical initial weights."""
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(5, 8), lib.nn.Tanh(), lib.nn.Linear(8, 2)).double()
    init = np.random.default_rng(3)
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(init.standard_normal(tuple(p.shape)) * 0.3))
    return model


def _train(lib, make_opt, steps=50, unfreeze_at=None):
    model = _model(lib)
    backbone = model[0]
    if unfreeze_at is not None:
        backbone.requires_grad_(False)
        params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    else:
        params = model.named_parameters()
    opt = make_opt(lib.optim, params)
    x, y = lib.tensor(X), lib.tensor(Y)
    for step in range(steps):
        if step == unfreeze_at:  # fine-tuning: unfreeze the backbone as a new group
            backbone.requires_grad_(True)
            opt.add_param_group({"params": list(backbone.named_parameters()), "lr": 0.001})
        opt.zero_grad()
        lib.nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    return model, opt


CASES = {
    "SGD": lambda optim, ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "Adam": lambda optim, ps: optim.Adam(ps, lr=0.01, amsgrad=True),
    "AdamW": lambda optim, ps: optim.AdamW(ps, lr=0.01),
    "RMSprop": lambda optim, ps: optim.RMSprop(ps, lr=0.005, centered=True),
    "Adagrad": lambda optim, ps: optim.Adagrad(ps, lr=0.05),
}


@pytest.mark.parametrize("unfreeze_at", [None, 20])
@pytest.mark.parametrize("name", sorted(CASES))
def test_training_loop_matches_torch(name, unfreeze_at):
    mine, opt_mt = _train(mt, CASES[name], unfreeze_at=unfreeze_at)
    theirs, opt_th = _train(torch, CASES[name], unfreeze_at=unfreeze_at)
    sd_mt, sd_th = mine.state_dict(), theirs.state_dict()
    assert list(sd_mt) == list(sd_th)
    for key in sd_th:
        np.testing.assert_allclose(
            sd_mt[key].numpy(), sd_th[key].numpy(), rtol=1e-6, atol=1e-6, err_msg=key
        )
    assert opt_mt.state_dict()["param_groups"] == opt_th.state_dict()["param_groups"]


def test_frozen_backbone_stays_bit_identical_and_out_of_the_state():
    model = _model(mt)
    model[0].requires_grad_(False)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    opt = mt.optim.Adam(model.parameters(), lr=0.1)  # the frozen ones are handed over too
    x, y = mt.tensor(X), mt.tensor(Y)
    for _ in range(5):
        opt.zero_grad()
        mt.nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    after = model.state_dict()
    for key in ("0.weight", "0.bias"):
        np.testing.assert_array_equal(after[key].numpy(), before[key].numpy())
    assert not np.array_equal(after["2.weight"].numpy(), before["2.weight"].numpy())
    assert sorted(opt.state_dict()["state"]) == [2, 3]
