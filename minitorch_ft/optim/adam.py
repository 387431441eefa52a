"""Adam with PyTorch's bias correction, amsgrad and (coupled or decoupled) weight decay."""

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


class Adam(Optimizer):
    """`torch.optim.Adam`: m, v running moments, p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps).

    State per parameter (torch's names): `step` (0-d float32 tensor), `exp_avg`, `exp_avg_sq`,
    and `max_exp_avg_sq` with amsgrad. `decoupled_weight_decay=True` is AdamW.
    """

    _load_defaults = (
        ("amsgrad", False),
        ("maximize", False),
        ("foreach", None),
        ("capturable", False),
        ("differentiable", False),
        ("decoupled_weight_decay", False),
        ("fused", None),
    )

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError(
                "lr as a Tensor is not supported for capturable=False and foreach=True"
            )
        check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        both_floats = isinstance(betas[0], float) and isinstance(betas[1], float)
        both_tensors = isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)
        if not (both_floats or both_tensors):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas[:2]):
            if isinstance(beta, Tensor) and foreach and not capturable:
                raise ValueError(
                    f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True"
                )
            if isinstance(beta, Tensor) and beta.numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
        defaults = {
            "lr": lr,
            # kept as given (tensors too, squeezed to 0-d), as torch keeps them
            "betas": tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() else b for b in betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def step(self, closure: Callable[[], float] | None = None):
        """One Adam update of every parameter that has a gradient; returns the closure's loss."""
        return self._update_each(closure)

    def _update(self, p: Tensor, group: dict) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = new_step()
            state["exp_avg"] = zeros_state(p)
            state["exp_avg_sq"] = zeros_state(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros_state(p)
        check_capturable(group, xla=not group["foreach"])  # torch's foreach Adam omits xla
        lr = to_scalar(group["lr"])
        beta1, beta2 = (to_scalar(b) for b in group["betas"])
        step = bump_step(state["step"])
        weight_decay, decay = group["weight_decay"], 1.0
        if weight_decay != 0 and group["decoupled_weight_decay"]:
            weight_decay, decay = 0, 1 - lr * weight_decay  # AdamW: shrink the weights instead
        bias_correction1, bias_correction2_sqrt = 1 - beta1**step, (1 - beta2**step) ** 0.5
        step_size = lr / bias_correction1
        if isinstance(beta1, np.generic):  # tensor betas round like torch's 0-d tensors:
            if not isinstance(lr, np.generic):  # a float / a tensor is reciprocal() * float
                step_size = (1 / bias_correction1) * lr
            beta1 = p._data.dtype.type(beta1)  # and the lerp weight is in p's dtype
        max_sq = state["max_exp_avg_sq"]._data if group["amsgrad"] else None
        arrays = [p._data, p._grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data, max_sq]
        self._apply(
            _adam_kernel,
            arrays,
            beta1,
            beta2,
            step_size,
            bias_correction2_sqrt,
            group["eps"],
            weight_decay,
            decay,
            group["maximize"],
        )
        p._version_counter.value += 1


def _adam_kernel(
    param,
    grad,
    exp_avg,
    exp_avg_sq,
    max_exp_avg_sq,
    s1,
    s2,
    beta1,
    beta2,
    step_size,
    bias_correction2_sqrt,
    eps,
    weight_decay,
    decay,
    maximize,
) -> None:
    """One Adam update of (slices of) a parameter, in torch's order of operations."""
    if decay != 1.0:
        np.multiply(param, decay, out=param)
    d = decayed_grad(grad, param, weight_decay, maximize, s1)
    lerp_(exp_avg, d, 1 - beta1, s2)
    np.multiply(exp_avg_sq, beta2, out=exp_avg_sq)
    addcmul_square_(exp_avg_sq, d, 1 - beta2, s2)
    second = exp_avg_sq
    if max_exp_avg_sq is not None:  # amsgrad: normalise by the largest v seen
        second = np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
    denom = np.sqrt(second, out=s2)
    np.divide(denom, bias_correction2_sqrt, out=denom)
    np.add(denom, eps, out=denom)
    addcdiv_(param, exp_avg, denom, -step_size, s1)
