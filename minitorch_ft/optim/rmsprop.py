"""RMSprop with PyTorch's centered and momentum variants."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..autograd.tensor import Tensor
from ._update import (
    addcdiv_,
    addcmul_square_,
    bump_step,
    check_capturable,
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

    _load_defaults = (
        ("momentum", 0),
        ("centered", False),
        ("foreach", None),
        ("maximize", False),
        ("differentiable", False),
        ("capturable", False),
    )

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= lr:
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
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)
        check_fused(None, foreach, differentiable)

    def step(self, closure: Callable[[], float] | None = None):
        """One RMSprop update of every parameter that has a gradient."""
        return self._update_each(closure)

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
        check_capturable(group)
        bump_step(state["step"])
        buf = state["momentum_buffer"]._data if momentum > 0 else None
        grad_avg = state["grad_avg"]._data if group["centered"] else None
        arrays = [p._data, p._grad._data, state["square_avg"]._data, buf, grad_avg]
        self._apply(
            _rmsprop_kernel,
            arrays,
            to_scalar(group["lr"]),
            alpha,
            group["eps"],
            group["weight_decay"],
            momentum,
            group["maximize"],
        )
        p._version_counter.value += 1


def _rmsprop_kernel(
    param, grad, square_avg, buf, grad_avg, s1, s2, lr, alpha, eps, weight_decay, momentum, maximize
) -> None:
    """One RMSprop update of (slices of) a parameter, in torch's order of operations."""
    d = decayed_grad(grad, param, weight_decay, maximize, s1)
    np.multiply(square_avg, alpha, out=square_avg)
    addcmul_square_(square_avg, d, 1 - alpha, s2)
    if grad_avg is not None:  # centered: v - mean(g)^2 estimates the variance
        lerp_(grad_avg, d, 1 - alpha, s2)
        np.multiply(grad_avg, grad_avg, out=s2)
        avg = np.subtract(square_avg, s2, out=s2)
        np.sqrt(avg, out=avg)
    else:
        avg = np.sqrt(square_avg, out=s2)
    np.add(avg, eps, out=avg)
    if buf is not None:
        np.multiply(buf, momentum, out=buf)
        addcdiv_(buf, d, avg, 1, s1)
        np.multiply(buf, lr, out=s1)
        np.subtract(param, s1, out=param)
    else:
        addcdiv_(param, d, avg, -lr, s1)
