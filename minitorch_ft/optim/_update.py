"""numpy building blocks the update rules share; every one writes into a given `out` array.

Each helper mirrors one torch primitive the single-tensor optimizers use, in torch's order of
operations, so float64 trajectories agree with PyTorch to rounding.
"""

from __future__ import annotations

import numpy as np

from ..autograd.tensor import Tensor


def to_scalar(value) -> float:
    """A number, or a 1-element tensor's value as a numpy scalar of its dtype.

    torch keeps a Tensor lr a tensor, so `lr / bias_correction` (Adam, Adagrad) and
    `1 - lr * wd` (AdamW) round in its dtype (float32); numpy scalars round the same way.
    """
    return value._data.reshape(())[()] if isinstance(value, Tensor) else value


def check_tensor_lr(lr) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


def check_fused(fused, foreach, differentiable) -> None:
    """torch's flag checks; the flags themselves select nothing here (one numpy path)."""
    if differentiable:
        raise NotImplementedError(
            "differentiable=True is not supported: minitorch_ft optimizers step under no_grad"
        )
    if fused and foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def check_capturable(group: dict, xla: bool = True) -> None:
    """capturable=True asks for CUDA-graph-safe steps: torch asserts this on a CPU tensor
    (after creating the state), so the first step with a gradient fails the same way; the
    fused path has no such check."""
    if group["capturable"] and not group.get("fused"):
        devices = "'cuda', 'xpu', 'hpu', 'privateuseone'" + (", 'xla'" if xla else "")
        raise AssertionError(
            f"If capturable=True, params and state_steps must be on supported devices: [{devices}]."
        )


def decayed_grad(
    grad: np.ndarray, param: np.ndarray, weight_decay: float, maximize: bool, out: np.ndarray
) -> np.ndarray:
    """`(-grad if maximize else grad) + weight_decay * param`, leaving `grad` untouched.

    Returns `grad` itself when there is nothing to add (no copy).
    """
    if weight_decay != 0:
        np.multiply(param, weight_decay, out=out)
        # -g + wd*p and wd*p - g round identically
        return np.subtract(out, grad, out=out) if maximize else np.add(out, grad, out=out)
    if maximize:
        return np.negative(grad, out=out)
    return grad


def lerp_(target: np.ndarray, end: np.ndarray, weight: float, tmp: np.ndarray) -> None:
    """`target.lerp_(end, weight)` with torch's two-sided formula (exact at weight 0 and 1)."""
    np.subtract(end, target, out=tmp)
    if abs(weight) < 0.5:
        np.multiply(tmp, weight, out=tmp)
        np.add(target, tmp, out=target)
    else:
        np.multiply(tmp, 1 - weight, out=tmp)
        np.subtract(end, tmp, out=target)


def addcmul_square_(target: np.ndarray, grad: np.ndarray, value: float, tmp: np.ndarray) -> None:
    """`target.addcmul_(grad, grad, value=value)`: target + value * grad * grad."""
    np.multiply(grad, value, out=tmp)
    np.multiply(tmp, grad, out=tmp)
    np.add(target, tmp, out=target)


def addcdiv_(
    param: np.ndarray, num: np.ndarray, denom: np.ndarray, value: float, tmp: np.ndarray
) -> None:
    """`param.addcdiv_(num, denom, value=value)`: param + (value * num) / denom.

    `tmp` may be `num` itself but must not be `denom`.
    """
    if value == 1:
        np.divide(num, denom, out=tmp)
    else:
        np.multiply(num, value, out=tmp)
        np.divide(tmp, denom, out=tmp)
    np.add(param, tmp, out=param)


def new_step() -> Tensor:
    """The per-parameter step counter: a 0-d float32 tensor, as torch stores it."""
    return Tensor._wrap(np.zeros((), dtype=np.float32))


def bump_step(step: Tensor) -> float:
    """Add one to the counter in place and return it as a Python float (torch's _get_value)."""
    step._data += 1
    return float(step._data)


def zeros_state(param: Tensor) -> Tensor:
    """A zero buffer laid out like the parameter (torch.zeros_like, preserve_format)."""
    return Tensor._wrap(np.zeros_like(param._data))
