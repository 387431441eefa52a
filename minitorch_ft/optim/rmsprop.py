"""RMSprop with PyTorch's centered and momentum variants."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor
from ._update import (
    addcdiv_,
    addcmul_square_,
    bump_step,
    check_fused,
    check_tensor_lr,
    decayed_grad,
    lerp_,
    new_step,
    to_scalar,
    zeros_state,
)
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """`torch.optim.RMSprop`: v = alpha*v + (1-alpha)*g^2, p -= lr * g / (sqrt(v) + eps).

    centered subtracts the squared running mean of g; momentum keeps buf = mu*buf + g/avg.
    State: `step`, `square_avg`, then `momentum_buffer` and `grad_avg` when enabled.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= to_scalar(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
            "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable,
        }
        super().__init__(params, defaults)
        check_fused(None, foreach, differentiable)

    def step(self, closure: Callable[[], float] | None = None):
        """One RMSprop update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p._grad is not None:
                        self._update(p, group)
        return loss

    def _update(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        momentum, alpha = group["momentum"], group["alpha"]
        if len(state) == 0:
            state["step"] = new_step()
            state["square_avg"] = zeros_state(p)
            if momentum > 0:
                state["momentum_buffer"] = zeros_state(p)
            if group["centered"]:
                state["grad_avg"] = zeros_state(p)
        lr = to_scalar(group["lr"])
        param, square_avg = p._data, state["square_avg"]._data
        s1, s2 = self._scratch_like(param, 0), self._scratch_like(param, 1)
        bump_step(state["step"])
        d = decayed_grad(p._grad._data, param, group["weight_decay"], group["maximize"], s1)

        np.multiply(square_avg, alpha, out=square_avg)
        addcmul_square_(square_avg, d, 1 - alpha, s2)
        if group["centered"]:
            grad_avg = state["grad_avg"]._data
            lerp_(grad_avg, d, 1 - alpha, s2)
            np.multiply(grad_avg, grad_avg, out=s2)
            avg = np.subtract(square_avg, s2, out=s2)  # v - mean(g)^2
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(square_avg, out=s2)
        np.add(avg, group["eps"], out=avg)

        if momentum > 0:
            buf = state["momentum_buffer"]._data
            np.multiply(buf, momentum, out=buf)
            addcdiv_(buf, d, avg, 1, s1)
            np.multiply(buf, lr, out=s1)
            np.subtract(param, s1, out=param)
        else:
            addcdiv_(param, d, avg, -lr, s1)
        p._version.value += 1
