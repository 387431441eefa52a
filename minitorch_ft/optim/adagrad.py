"""Adagrad with PyTorch's lr decay and initial accumulator."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..autograd.tensor import Tensor
from ._update import (
    addcdiv_,
    bump_step,
    check_fused,
    check_tensor_lr,
    decayed_grad,
    new_step,
    to_scalar,
)
from .optimizer import Optimizer


class Adagrad(Optimizer):
    """`torch.optim.Adagrad`: sum += g^2, p -= lr / (1 + (t-1)*lr_decay) * g / (sqrt(sum) + eps).

    Like torch, the state (`step`, `sum`) of every parameter is created at construction, so
    even a parameter that never gets a gradient has an entry; it still never moves.
    """

    _load_defaults = (
        ("foreach", None),
        ("maximize", False),
        ("differentiable", False),
        ("fused", None),
    )

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p: Tensor) -> None:
        state = self.state[p]
        state["step"] = new_step()
        # torch fills every sum from the constructor's value, whatever the group says
        value = self.defaults["initial_accumulator_value"]
        state["sum"] = Tensor._wrap(np.full_like(p._data, value))

    def step(self, closure: Callable[[], float] | None = None):
        """One Adagrad update of every parameter that has a gradient."""
        return self._update_each(closure)

    def _update(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        if len(state) == 0:  # a group added after construction
            self._init_state(p)
        step = bump_step(state["step"])
        clr = to_scalar(group["lr"]) / (1 + (step - 1) * group["lr_decay"])
        arrays = [p._data, p._grad._data, state["sum"]._data]
        self._apply(
            _adagrad_kernel, arrays, clr, group["eps"], group["weight_decay"], group["maximize"]
        )
        p._version_counter.value += 1


def _adagrad_kernel(param, grad, state_sum, s1, s2, clr, eps, weight_decay, maximize) -> None:
    """One Adagrad update of (slices of) a parameter, in torch's order of operations."""
    d = decayed_grad(grad, param, weight_decay, maximize, s1)
    np.multiply(d, d, out=s2)
    np.add(state_sum, s2, out=state_sum)
    std = np.sqrt(state_sum, out=s2)
    np.add(std, eps, out=std)
    addcdiv_(param, d, std, -clr, s1)
