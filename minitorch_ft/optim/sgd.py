"""Stochastic gradient descent with PyTorch's exact momentum / dampening / nesterov rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..autograd.tensor import Tensor
from ._update import check_fused, check_tensor_lr, decayed_grad, to_scalar, zeros_state
from .optimizer import Optimizer


class SGD(Optimizer):
    """`torch.optim.SGD`: g = grad (+ wd * p), buf = mu * buf + (1 - dampening) * g, p -= lr * buf.

    The momentum buffer starts as a copy of the first gradient (no dampening on that step),
    nesterov uses g + mu * buf; parameters without a gradient are skipped entirely.
    """

    _load_defaults = (
        ("nesterov", False),
        ("maximize", False),
        ("foreach", None),
        ("differentiable", False),
        ("fused", False),  # sic: torch fills False here, None in the constructor
    )

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float | Tensor = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def step(self, closure: Callable[[], float] | None = None):
        """One SGD update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._closure_loss(closure)
        # No grad-mode switch: the update works on arrays (numpy out= ufuncs), and nothing
        # here can record a graph; it saves a context manager on every step.
        for group in self.param_groups:
            lr = to_scalar(group["lr"])
            weight_decay = to_scalar(group["weight_decay"])
            momentum, dampening = group["momentum"], group["dampening"]
            nesterov, maximize = group["nesterov"], group["maximize"]
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                buf, first = None, False
                if momentum != 0:
                    state = self.state[p]
                    buf_tensor = state.get("momentum_buffer")
                    if buf_tensor is None:
                        buf_tensor = state["momentum_buffer"] = zeros_state(p)
                        first = True
                    buf = buf_tensor._data
                self._apply(
                    _sgd_kernel,
                    [p._data, grad._data, buf],
                    lr,
                    weight_decay,
                    momentum,
                    dampening,
                    nesterov,
                    maximize,
                    first,
                )
                p._version_counter.value += 1
        return loss


def _sgd_kernel(
    param, grad, buf, s1, s2, lr, weight_decay, momentum, dampening, nesterov, maximize, first
) -> None:
    """The update on (slices of) one parameter; `buf` is None without momentum."""
    d = decayed_grad(grad, param, weight_decay, maximize, s1)
    if buf is not None:
        if first:
            np.copyto(buf, d)  # the buffer starts as the gradient itself: no dampening yet
        else:
            np.multiply(buf, momentum, out=buf)
            if dampening == 0:
                np.add(buf, d, out=buf)
            else:
                np.multiply(d, 1 - dampening, out=s2)
                np.add(buf, s2, out=buf)
        if nesterov:
            np.multiply(buf, momentum, out=s2)
            d = np.add(d, s2, out=s2)  # g + mu * buf
        else:
            d = buf
    np.multiply(d, lr, out=s1)
    np.subtract(param, s1, out=param)
