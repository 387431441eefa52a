"""nn.utils: gradient clipping and flattening parameters to one vector (torch.nn.utils)."""

from __future__ import annotations

import types
import warnings
from collections.abc import Iterable

import numpy as np

from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor, typename


def _as_list(parameters) -> list:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _norm(array: np.ndarray, norm_type: float, foreach: bool = False) -> np.ndarray:
    """The vector norm of one array, in its dtype (torch.linalg.vector_norm / _foreach_norm)."""
    a = np.abs(array)
    if norm_type in (np.inf, -np.inf):
        if a.size == 0:  # max / min of nothing: torch refuses, naming the kernel that ran
            if foreach and norm_type > 0:
                what = "_foreach_norm cannot compute the infinity norm"
            else:
                what = f"linalg.vector_norm cannot compute the {norm_type:g} norm"
            raise RuntimeError(
                f"{what} on an empty tensor because the operation does not have an identity"
            )
        return a.max() if norm_type > 0 else a.min()
    if norm_type == 0:
        return np.asarray((a != 0).sum(), array.dtype)
    if norm_type == 2:
        return np.sqrt((a * a).sum())
    return (a**norm_type).sum() ** (1.0 / norm_type)


def get_total_norm(
    tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach: bool | None = None
) -> Tensor:
    """The norm of all tensors together, as if concatenated into one vector.

    Like torch, the tensors are taken grouped by dtype (first-seen order) and the per-tensor
    norms are stacked with type promotion, so float32 and float64 grads give a float64 norm.
    """
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor._wrap(np.zeros((), np.float32))
    by_dtype: dict[np.dtype, list[np.ndarray]] = {}
    for t in tensors:
        by_dtype.setdefault(t._data.dtype, []).append(t._data)
    use_foreach = foreach is None or bool(foreach)  # torch's CPU default is the foreach path
    norms = [
        np.asarray(_norm(a, norm_type, use_foreach), dtype)
        for dtype, arrays in by_dtype.items()
        for a in arrays
    ]
    total = np.asarray(_norm(np.stack(norms), norm_type))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    return Tensor._wrap(total)


def clip_grad_norm_(
    parameters,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients in place so their joint norm is at most max_norm.

    Returns the norm before clipping. Like PyTorch, the gradients are always multiplied
    by min(1, max_norm / (norm + 1e-6)).
    """
    if not isinstance(parameters, Tensor):
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and not parameters:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2
            )
    grads = [p._grad for p in _as_list(parameters) if p._grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    if not grads:
        return total
    _scale_grads(grads, max_norm, total)
    return total


def _scale_grads(grads: list, max_norm: float, total: Tensor) -> None:
    # torch's `max_norm / (total_norm + 1e-6)` clamped to 1, rounded like it: in the norm's
    # dtype, and a number divided by a tensor is the tensor's reciprocal times the number
    norm = total._data.reshape(())[()]
    coef = np.minimum((1 / (norm + 1e-6)) * float(max_norm), 1.0)
    with no_grad(), np.errstate(invalid="ignore"):  # an inf norm gives 0 * inf = nan quietly
        for g in grads:
            g._data *= g._data.dtype.type(coef)
            g._version_counter.value += 1


def clip_grads_with_norm_(
    parameters, max_norm: float, total_norm: Tensor, foreach: bool | None = None
) -> None:
    """Scale gradients by min(1, max_norm / (total_norm + 1e-6)) for a norm computed
    elsewhere (e.g. by `get_total_norm`), in place."""
    grads = [p._grad for p in _as_list(parameters) if p._grad is not None]
    if grads:
        _scale_grads(grads, max_norm, total_norm)


def clip_grad_value_(parameters, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient in place to [-clip_value, clip_value]."""
    clip_value = float(clip_value)
    parameters = _as_list(parameters)
    if all(p._grad is None for p in parameters):  # torch's foreach kernel rejects an empty list
        raise RuntimeError(
            "Expected !nested_tensorlist[0].empty() to be true, but got false.  (Could this "
            "error message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    for p in parameters:
        if p._grad is not None:
            np.clip(p._grad._data, -clip_value, clip_value, out=p._grad._data)
            p._grad._version_counter.value += 1


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated (a graph node, like torch.cat)."""
    from .. import cat  # the facade's cat: a shape op from the autograd layer

    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Point each parameter's data at its slice of vec (sharing memory, like PyTorch)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {typename(vec)}")
    pointer = 0
    for param in parameters:
        n = param.numel()
        chunk = vec._data[pointer : pointer + n]
        if chunk.size != n:
            raise RuntimeError(
                f"shape '{list(param.shape)}' is invalid for input of size {chunk.size}"
            )
        param._data = chunk.reshape(param.shape)
        pointer += n
