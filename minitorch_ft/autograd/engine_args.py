"""Argument checks of `backward()` and `grad()`: the outputs' gradients and `inputs=`."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .tensor import Tensor


def _initial_grads(tensors, grad_tensors):
    """Check each output's gradient (in torch's order: types and shapes, then requires_grad)
    and cast it to the output's dtype, as torch's engine does before running any node."""
    if len(tensors) > len(grad_tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grad_tensors)} gradients")
    grads = []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):  # noqa: B905 - extras ignored
        if not isinstance(t, Tensor):
            raise AssertionError("Expected output to be a torch.Tensor")
        if g is None:
            if not t._requires_grad:
                grads.append(None)
                continue
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._data.dtype.kind != "f":
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {t.dtype}"
                )
            grads.append(np.ones_like(t._data))
        elif not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
        else:
            g_arr = g._data
            if g_arr.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {_fmt(g_arr.shape)} "
                    f"and output[{i}] has a shape of {_fmt(t._data.shape)}."
                )
            grads.append(g_arr.astype(t._data.dtype, copy=False))
    for i, t in enumerate(tensors):
        if not t._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
    return grads


def _check_inputs(inputs, caller: str) -> tuple:
    """`inputs=` of backward/grad as a tuple of tensors (a dict gives its values, as torch)."""
    if isinstance(inputs, Tensor):
        return (inputs,)
    if type(inputs) is dict:
        inputs = tuple(inputs.values())
    elif isinstance(inputs, Mapping):
        raise TypeError(
            f"`inputs` argument to `{caller}()` must be a dict, not {type(inputs).__name__}. "
            "Other Mapping types are not supported."
        )
    inputs = tuple(inputs)
    if not inputs:
        raise RuntimeError(f"`inputs` argument to `{caller}()` cannot be empty.")
    for t in inputs:
        if not isinstance(t, Tensor):
            raise RuntimeError(
                f"all inputs have to be Tensors or GradientEdges, but got {type(t).__name__}"
            )
    return inputs


def _fmt(shape) -> str:
    return f"torch.Size({list(shape)})"


def _as_tuple(x):
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)
