"""Numerical gradient checking, like `torch.autograd.gradcheck` (float64 inputs expected)."""

from __future__ import annotations

import numpy as np

from .engine import grad as autograd_grad
from .grad_mode import enable_grad, no_grad
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """Analytical and numerical gradients disagree (PyTorch's GradcheckError)."""


def _outputs(fn, inputs) -> tuple:
    out = fn(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def numerical_jacobian(fn, inputs, eps: float = 1e-6) -> list:
    """Central differences: one (n_in x n_out) matrix per differentiable input."""
    jacobians = []
    with no_grad():
        n_out = sum(o._data.size for o in _outputs(fn, inputs))
        for t in inputs:
            if not (isinstance(t, Tensor) and t._requires_grad):
                continue
            flat = t._data.reshape(-1)
            jac = np.zeros((flat.size, n_out))
            for i in range(flat.size):
                orig = flat[i]
                flat[i] = orig + eps
                plus = np.concatenate([o._data.ravel() for o in _outputs(fn, inputs)])
                flat[i] = orig - eps
                minus = np.concatenate([o._data.ravel() for o in _outputs(fn, inputs)])
                flat[i] = orig
                jac[i] = (plus - minus) / (2 * eps)
            jacobians.append(jac)
    return jacobians


def analytical_jacobian(fn, inputs) -> list:
    """Reverse mode, one backward per output element (grad_outputs = unit vectors)."""
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t._requires_grad]
    with enable_grad():
        outputs = [o for o in _outputs(fn, inputs) if o._requires_grad]
    n_out = sum(o._data.size for o in outputs)
    jacobians = [np.zeros((t._data.size, n_out)) for t in diff_inputs]
    column = 0
    for out in outputs:
        for j in range(out._data.size):
            unit = np.zeros(out._data.size, dtype=out._data.dtype)
            unit[j] = 1
            grads = autograd_grad(
                out,
                diff_inputs,
                Tensor._wrap(unit.reshape(out._data.shape)),
                retain_graph=True,
                allow_unused=True,
            )
            for jac, g in zip(jacobians, grads, strict=True):
                if g is not None:
                    jac[:, column] = g._data.ravel()
            column += 1
    return jacobians


def gradcheck(
    func,
    inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **_ignored,
) -> bool:
    """True when reverse-mode gradients match central differences within atol + rtol*|num|."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    analytical = analytical_jacobian(func, inputs)
    numerical = numerical_jacobian(func, inputs, eps)
    for index, (a, n) in enumerate(zip(analytical, numerical, strict=True)):
        if not np.allclose(a, n, atol=atol, rtol=rtol):
            if raise_exception:
                raise GradcheckError(
                    f"Jacobian mismatch for output 0 with respect to input {index},\n"
                    f"numerical:{n}\nanalytical:{a}\n"
                )
            return False
    return True
