"""SGD and Adam on a quadratic, checked against values worked out by hand (no torch needed)."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch_ft as mt


def _three_steps(**kwargs) -> list[float]:
    """Minimise f(p) = p^2 from p = 1 (gradient 2p) for three steps; p after each."""
    p = mt.tensor([1.0], dtype=mt.float64, requires_grad=True)
    opt = mt.optim.SGD([p], **kwargs)
    out = []
    for _ in range(3):
        opt.zero_grad()
        (p * p).backward(mt.ones_like(p))
        opt.step()
        out.append(p.item())
    return out


# p1, p2, p3 by hand, e.g. momentum 0.9: buf = 2, 0.9*2+1.6 = 3.4, 0.9*3.4+0.92 = 3.98
HAND = [
    ({"lr": 0.1}, [0.8, 0.64, 0.512]),
    ({"lr": 0.1, "momentum": 0.9}, [0.8, 0.46, 0.062]),
    ({"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, [0.8, 0.54, 0.252]),
    ({"lr": 0.1, "momentum": 0.9, "nesterov": True}, [0.62, 0.2224, -0.108352]),
    ({"lr": 0.1, "weight_decay": 0.1}, [0.79, 0.6241, 0.493039]),
    ({"lr": 0.1, "maximize": True}, [1.2, 1.44, 1.728]),
    (
        {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.5, "maximize": True},
        # g = -2p + 0.5p = -1.5p; buf: -1.5, -0.75 - 1.725 = -2.475, -1.2375 - 2.09625
        [1.15, 1.3975, 1.730875],
    ),
]


@pytest.mark.parametrize(("kwargs", "expected"), HAND)
def test_first_three_sgd_steps_match_hand_values(kwargs, expected):
    assert _three_steps(**kwargs) == pytest.approx(expected, abs=1e-12)


def test_first_adam_step_moves_by_lr_times_sign():
    """Bias correction makes step 1 exactly lr * g / (|g| + eps)."""
    p0 = np.array([1.0, -2.0, 3.0])
    g = np.array([0.5, -4.0, 1e-3])
    for cls, decay in ((mt.optim.Adam, 1.0), (mt.optim.AdamW, 1 - 0.1 * 0.01)):
        p = mt.tensor(p0.copy(), requires_grad=True)
        opt = cls([p], lr=0.1)
        p.grad = mt.tensor(g)
        opt.step()
        expected = p0 * decay - 0.1 * g / (np.abs(g) + 1e-8)
        np.testing.assert_allclose(p.detach().numpy(), expected, rtol=1e-12)
        assert opt.state[p]["step"].item() == 1.0


def test_second_adam_step_by_hand():
    beta1, beta2, lr = 0.9, 0.999, 0.01
    p = mt.tensor([0.0], dtype=mt.float64, requires_grad=True)
    opt = mt.optim.Adam([p], lr=lr)
    for g in (1.0, 3.0):
        p.grad = mt.tensor([g], dtype=mt.float64)
        opt.step()
    m = (1 - beta1) * 1.0 * beta1 + (1 - beta1) * 3.0
    v = (1 - beta2) * 1.0 * beta2 + (1 - beta2) * 9.0
    step2 = lr * (m / (1 - beta1**2)) / (np.sqrt(v / (1 - beta2**2)) + 1e-8)
    assert p.item() == pytest.approx(-lr * 1.0 / (1.0 + 1e-8) - step2, abs=1e-12)


def test_adagrad_and_rmsprop_first_step_by_hand():
    p = mt.tensor([1.0], dtype=mt.float64, requires_grad=True)
    opt = mt.optim.Adagrad([p], lr=0.5, initial_accumulator_value=3.0)
    p.grad = mt.tensor([2.0], dtype=mt.float64)
    opt.step()
    assert p.item() == pytest.approx(1.0 - 0.5 * 2.0 / (np.sqrt(3.0 + 4.0) + 1e-10), abs=1e-12)
    q = mt.tensor([1.0], dtype=mt.float64, requires_grad=True)
    opt = mt.optim.RMSprop([q], lr=0.5, alpha=0.75)
    q.grad = mt.tensor([2.0], dtype=mt.float64)
    opt.step()
    assert q.item() == pytest.approx(1.0 - 0.5 * 2.0 / (np.sqrt(0.25 * 4.0) + 1e-8), abs=1e-12)
