"""torch.nn.functional: stateless layers (linear, dropout, norms, embedding, one_hot),
plus the activations and losses re-exported from `functional_activation` / `functional_loss`.

Layers PyTorch fuses are single nodes from `autograd/ops/` (linear, layer_norm,
batch_norm, embedding, normalize), so grad_fn names match PyTorch's.
"""

# ruff: noqa: A001, A002 - `input` is PyTorch's parameter name

from __future__ import annotations

import math

import numpy as np

from ..autograd.generator import rng
from ..autograd.grad_mode import no_grad
from ..autograd.ops.activation_inplace import (  # noqa: F401 - F.elu_, F.rrelu, ...
    celu_,
    elu_,
    hardtanh_,
    leaky_relu_,
    relu_,
    rrelu,
    rrelu_,
    selu_,
    threshold_,
)
from ..autograd.ops.embedding import DropoutMul, Embedding
from ..autograd.ops.linear import linear
from ..autograd.ops.nn_losses import named
from ..autograd.ops.normalization import (
    NativeBatchNorm,
    NativeGroupNorm,
    NativeLayerNorm,
    Normalize,
    RmsNorm,
)
from ..autograd.ops.padding import ConstantPadNd, GatherPad
from ..autograd.tensor import Tensor, _wrap_dim
from .functional_activation import *  # noqa: F403 - re-exported as F.<activation>
from .functional_activation import __all__ as _activation_names
from .functional_distance import cosine_similarity, pairwise_distance  # noqa: F401
from .functional_loss import (  # noqa: F401 - re-exported as F.<loss>
    _scalar,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)


# ----- dropout --------------------------------------------------------------------------
def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (training only)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if input._data.dtype.kind != "f":
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {_scalar(input)}"
        )
    dtype = input._data.dtype
    if p == 1.0:
        mask = np.zeros(input.shape, dtype=dtype)
    else:
        keep = rng().random(input.shape) >= p
        mask = keep.astype(dtype) * dtype.type(1.0 / (1.0 - p))
    if inplace:  # through the in-place machinery: version bump, leaf checks, history
        from ..autograd.ops.inplace import apply_inplace

        return apply_inplace(input, lambda t: DropoutMul.apply(t, mask))
    return DropoutMul.apply(input, mask)


# ----- normalisation --------------------------------------------------------------------
def layer_norm(
    input: Tensor,
    normalized_shape,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise over the trailing `normalized_shape` dims, then scale and shift."""
    if not isinstance(normalized_shape, (tuple, list)):  # nn.LayerNorm takes an int; F doesn't
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, "
            f"not {type(normalized_shape).__name__}"
        )
    shape = tuple(normalized_shape)
    k = len(shape)
    if k == 0:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., "
            "containing at least one element, but got normalized_shape = []"
        )
    if input.ndim < k or tuple(input.shape[input.ndim - k :]) != shape:
        dims = ", ".join(str(s) for s in shape)
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, {dims}], "
            f"but got input of size{list(input.shape)}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {list(t.shape)} and normalized_shape = {list(shape)}"
            )
    _check_float_params("LayerNormKernelImpl", input, weight, bias, dtype_first=False)
    return NativeLayerNorm.apply(input, weight, bias, ndim=k, eps=eps)


def rms_norm(
    input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None
) -> Tensor:
    """x / sqrt(mean(x^2) + eps) over the trailing dims, times weight; eps defaults to the
    dtype's machine epsilon, as in PyTorch."""
    if not isinstance(normalized_shape, (tuple, list)):  # nn.LayerNorm takes an int; F doesn't
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, "
            f"not {type(normalized_shape).__name__}"
        )
    shape = tuple(normalized_shape)
    k = len(shape)
    if input.ndim < k or tuple(input.shape[input.ndim - k :]) != shape:
        dims = ", ".join(str(s) for s in shape)
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape "
            f"[*{dims}], but got input of size{list(input.shape)}"
        )
    _check_float_params("rms_norm", input, weight)
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    return RmsNorm.apply(input, weight, ndim=k, eps=eps)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise channel groups of each sample (N, C, *), then a per-channel affine."""
    if input.ndim < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.ndim}"
        )
    # torch's batch-size check on the grouped view [N * C // G, G, *]: one value per group fails
    if input.shape[0] * input.shape[1] // num_groups * math.prod(input.shape[2:]) == 1:
        size = [input.shape[0] * input.shape[1] // num_groups, num_groups, *input.shape[2:]]
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {size}"
        )
    if input.shape[1] % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {list(input.shape)} and num_groups={num_groups}"
        )
    for t in (weight, bias):
        if t is not None and (t.ndim != 1 or t.shape[0] != input.shape[1]):
            name = "weight" if t is weight else "bias"
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in "
                f"input, but got {name} of shape {list(t.shape)} and input of shape "
                f"{list(input.shape)}"
            )
    _check_float_params("group_norm", input, weight, bias)
    return NativeGroupNorm.apply(input, weight, bias, groups=num_groups, eps=eps)


_SCALAR_NAMES = {"float16": "Half", "float32": "Float", "float64": "Double"}


def _check_float_params(
    kernel: str, input: Tensor, *params: Tensor | None, dtype_first: bool = True
) -> None:
    """Float input only, and parameters of the input's dtype (PyTorch's CPU kernels).

    dtype_first=False checks the parameters first, as torch's layer_norm does.
    """
    if dtype_first and input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_scalar(input)}'")
    given = [p._data.dtype for p in params if p is not None]
    dtype = input._data.dtype
    if dtype == np.float16 and given and given[0] != dtype:
        # torch's mixed mode (chosen by the first parameter): half input, float32 parameters
        if any(d != np.float32 for d in given):
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        return
    if dtype == np.float16 and any(d != dtype for d in given):
        other = next(d for d in given if d != dtype)
        raise RuntimeError(f"expected scalar type Half but found {_SCALAR_NAMES[other.name]}")
    if any(d != dtype for d in given):
        # torch's two texts: parameters all float32 (its half-input mixed mode) or not
        if all(d == np.float32 for d in given):
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_scalar(input)}'")


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel (dim 1); in training, update the running stats in place."""
    if input.ndim < 2 and training:  # torch fails reading the channel dim
        if input.ndim == 0:
            raise IndexError("tuple index out of range")
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    if input.ndim < 2 and (running_mean is None or running_var is None):
        name = "running_mean" if running_mean is None else "running_var"
        raise RuntimeError(f"{name} must be defined in evaluation mode")
    if input.ndim < 2:
        raise ValueError(f"Expected 2D or higher input (got {input.ndim}D input)")
    if training and input.shape[0] * math.prod(input.shape[2:]) == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {input.shape!r}"
        )
    if input.numel() == 0:  # as torch: no statistics, only the affine map's graph
        out = input.clone()
        if weight is not None:
            out = out * weight[0]
        if bias is not None:
            out = out + bias[0]
        return out
    channels = input.shape[1]
    for name, t in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(
            f"{'running_mean' if running_mean is None else 'running_var'} must be defined in "
            "evaluation mode"
        )
    _check_float_params("batch_norm", input, weight, bias, running_mean, running_var)
    out = NativeBatchNorm.apply(
        input,
        weight,
        bias,
        running_mean=None if running_mean is None else running_mean._data,
        running_var=None if running_var is None else running_var._data,
        training=training,
        momentum=momentum,
        eps=eps,
    )
    if training:
        for t in (running_mean, running_var):
            if t is not None:
                t._version_counter.value += 1
    return out


def normalize(
    input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None
) -> Tensor:
    """x / max(||x||_p, eps) along dim."""
    if input._data.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as "
            f"input. Got {_scalar(input)}"
        )
    dim = _wrap_dim(dim, input.ndim)
    return Normalize.apply(input, p=float(p), dim=dim, eps=eps)


# ----- embedding and encodings ----------------------------------------------------------
def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Rows of `weight` picked by integer indices; padding_idx rows get no gradient."""
    for arg, value in (("indices", input), ("weight", weight)):
        if not isinstance(value, Tensor):
            position = 2 if arg == "indices" else 1  # torch's argument order (weight, indices)
            raise TypeError(
                f"embedding(): argument '{arg}' (position {position}) must be Tensor, "
                f"not {type(value).__name__}"
            )
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if input._data.dtype not in (np.int64, np.int32):
        from ..autograd.tensor import typename

        kind = "CPUBoolType" if input._data.dtype == np.bool_ else typename(input)
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {kind} instead (while checking arguments for embedding)"
        )
    num = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= num:
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -num:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx += num
    indices = input._data
    if indices.size and (indices.min() < 0 or indices.max() >= num):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, indices, max_norm, norm_type)
    return Embedding.apply(
        weight, input, padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq
    )


def _renorm_rows(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale the looked-up rows whose norm exceeds max_norm back onto it, in place."""
    with no_grad():
        rows = np.unique(indices)
        data = weight._data
        norms = np.linalg.norm(data[rows], ord=norm_type, axis=1)
        big = norms > max_norm
        if big.any():
            data[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(data.dtype)
            weight._version_counter.value += 1


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 one-hot encoding with a trailing class dim."""
    if tensor._data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = tensor._data
    if num_classes == -1:
        if values.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(values.max()) + 1
    if values.size:
        if values.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if values.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._wrap((values[..., None] == np.arange(num_classes)).astype(np.int64))


# ----- padding --------------------------------------------------------------------------
_PAD_NODES = {
    "reflect": "ReflectionPad{}DBackward0",
    "replicate": "ReplicationPad{}DBackward0",
    "circular": "torch::autograd::CopySlices",
}


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad)//2 dims: pad = (last_lo, last_hi, prev_lo, prev_hi, ...)."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * input.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {input.ndim}"
        )
    if mode == "constant":
        for axis, lo, hi in (
            (input.ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)
        ):
            if input.shape[axis] + min(lo, 0) + min(hi, 0) < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        return ConstantPadNd.apply(input, pad=pad, value=0 if value is None else value)
    if mode not in _PAD_NODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pad) // 2
    if not 1 <= k <= 3 or input.ndim not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    if mode == "reflect":
        for i in range(k):
            axis = input.ndim - 1 - i
            if max(pad[2 * i], pad[2 * i + 1]) >= input.shape[axis]:
                raise RuntimeError(
                    "Argument #4: Padding size should be less than the corresponding input "
                    f"dimension, but got: padding ({pad[2 * i]}, {pad[2 * i + 1]}) at dimension "
                    f"{axis} of input {list(input.shape)}"
                )
    node = named(GatherPad, _PAD_NODES[mode].format(k))
    return node.apply(input, pad=pad, mode=mode)


__all__ = [
    "batch_norm",
    "binary_cross_entropy",
    "celu_",
    "elu_",
    "hardtanh_",
    "leaky_relu_",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu_",
    "threshold_",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "cosine_similarity",
    "dropout",
    "embedding",
    "group_norm",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "linear",
    "mse_loss",
    "nll_loss",
    "normalize",
    "one_hot",
    "pad",
    "pairwise_distance",
    "rms_norm",
    "smooth_l1_loss",
    *_activation_names,
]
