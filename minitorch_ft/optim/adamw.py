"""AdamW: Adam with decoupled weight decay (torch.optim.adamw)."""

from __future__ import annotations

from collections.abc import Iterable

from ..autograd.tensor import Tensor
from .adam import Adam


class AdamW(Adam):
    """`torch.optim.AdamW`: Adam with decoupled weight decay p *= 1 - lr * wd (default 1e-2)."""

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def load_state_dict(self, state_dict: dict) -> None:
        """As Adam's; groups stay decoupled whatever the loaded dict says (like torch)."""
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
