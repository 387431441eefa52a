"""Stochastic gradient descent with PyTorch's exact momentum / dampening / nesterov rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor
from ._update import check_fused, check_tensor_lr, decayed_grad, to_scalar
from .optimizer import Optimizer


class SGD(Optimizer):
    """`torch.optim.SGD`: g = grad (+ wd * p), buf = mu * buf + (1 - dampening) * g, p -= lr * buf.

    The momentum buffer starts as a copy of the first gradient (no dampening on that step),
    nesterov uses g + mu * buf; parameters without a gradient are skipped entirely.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float | Tensor = 0, nesterov: bool = False,
                 *, maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        check_tensor_lr(lr)
        if to_scalar(lr) < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if to_scalar(weight_decay) < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr, "momentum": momentum, "dampening": dampening,
            "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
            "foreach": foreach, "differentiable": differentiable, "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def step(self, closure: Callable[[], float] | None = None):
        """One SGD update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                lr = to_scalar(group["lr"])
                weight_decay = to_scalar(group["weight_decay"])
                momentum = group["momentum"]
                for p in group["params"]:
                    if p._grad is None:
                        continue
                    self._update(p, group, lr, weight_decay, momentum)
        return loss

    def _update(self, p: Tensor, group: dict, lr: float, weight_decay: float,
                momentum: float) -> None:
        param = p._data
        s1 = self._scratch_like(param, 0)
        d = decayed_grad(p._grad._data, param, weight_decay, group["maximize"], s1)
        if momentum != 0:
            state = self.state[p]
            buf_t = state.get("momentum_buffer")
            if buf_t is None:
                # the first step stores the gradient itself: no dampening yet, like torch
                buf_t = state["momentum_buffer"] = Tensor._wrap(np.array(d, copy=True))
                buf = buf_t._data
            else:
                buf = buf_t._data
                np.multiply(buf, momentum, out=buf)
                dampening = group["dampening"]
                if dampening == 0:
                    np.add(buf, d, out=buf)
                else:
                    s2 = self._scratch_like(param, 1)
                    np.multiply(d, 1 - dampening, out=s2)
                    np.add(buf, s2, out=buf)
            if group["nesterov"]:
                s2 = self._scratch_like(param, 1)
                np.multiply(buf, momentum, out=s2)
                d = np.add(d, s2, out=s2)
            else:
                d = buf
        np.multiply(d, lr, out=s1)
        np.subtract(param, s1, out=param)
        p._version.value += 1
