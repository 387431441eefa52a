"""Numerical gradient checking, like `torch.autograd.gradcheck` (float64 inputs expected)."""

from __future__ import annotations

import warnings

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
            data = t._data  # indexed in place: reshape(-1) would copy a non-contiguous input
            jac = np.zeros((data.size, n_out))
            for i, index in enumerate(np.ndindex(data.shape)):  # C order, as grads are raveled
                orig = data[index]
                data[index] = orig + eps
                plus = np.concatenate([o._data.ravel() for o in _outputs(fn, inputs)])
                data[index] = orig - eps
                minus = np.concatenate([o._data.ravel() for o in _outputs(fn, inputs)])
                data[index] = orig
                jac[i] = (plus - minus) / (2 * eps)
            jacobians.append(jac)
    return jacobians


def analytical_jacobian(fn, inputs) -> list:
    """Reverse mode, one backward per output element (grad_outputs = unit vectors).

    Outputs that do not require grad give zero columns (nothing flows back from them)."""
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t._requires_grad]
    with enable_grad():
        outputs = _outputs(fn, inputs)
    n_out = sum(o._data.size for o in outputs)
    jacobians = [np.zeros((t._data.size, n_out)) for t in diff_inputs]
    column = 0
    for out in outputs:
        if not out._requires_grad:
            column += out._data.size
            continue
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


def _check_inputs(inputs: tuple) -> None:
    """torch's input checks: at least one input requires grad; warn when it is not float64."""
    any_requires_grad = False
    for index, t in enumerate(inputs):
        if isinstance(t, Tensor) and t._requires_grad:
            if t._data.dtype != np.float64:
                warnings.warn(
                    f"Input #{index} requires gradient and is not a double precision floating "
                    "point or complex. This check will likely fail if all the inputs are not of "
                    "double precision floating point or complex. ",
                    stacklevel=3,
                )
            any_requires_grad = True
    if not any_requires_grad:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of "
            "them have requires_grad=True."
        )


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
    """True when reverse-mode gradients match central differences within atol + rtol*|num|.

    Compared per (output, input) pair, reported in torch's words with the two Jacobians."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    _check_inputs(inputs)
    analytical = analytical_jacobian(func, inputs)
    numerical = numerical_jacobian(func, inputs, eps)
    with no_grad():
        outputs = _outputs(func, inputs)
    start = 0
    for out_index, out in enumerate(outputs):
        stop = start + out._data.size
        if out._data.dtype.kind != "f":  # integer outputs (argmax...) are not differentiable
            start = stop
            continue
        for in_index, (a, n) in enumerate(zip(analytical, numerical, strict=True)):
            a, n = a[:, start:stop], n[:, start:stop]
            if np.allclose(a, n, atol=atol, rtol=rtol):
                continue
            if not raise_exception:
                return False
            dtype = out._data.dtype
            raise GradcheckError(
                f"Jacobian mismatch for output {out_index} with respect to input {in_index},\n"
                f"numerical:{Tensor._wrap(n.astype(dtype))}\n"
                f"analytical:{Tensor._wrap(a.astype(dtype))}\n"
            )
        start = stop
    return True
