"""minitorch_ft: a small, PyTorch-compatible training framework on numpy.

`import minitorch_ft as torch` gives the names PyTorch users know: tensors, autograd,
`nn`, `optim`, and safetensors checkpoints.
"""

import math
import sys as _sys

from . import autograd
from .autograd.creation import *  # noqa: F403
from .autograd.random_factories import *  # noqa: F403
from .autograd.dtypes import (
    bool_ as bool,  # noqa: A004 - PyTorch's public name
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from .autograd.custom_function import Function
from .autograd.generator import (
    Generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .autograd.ops.public import *  # noqa: F403
from .autograd.printing import set_printoptions
from .autograd.tensor import Size, Tensor, device, typename
from .autograd.size import contiguous_format, layout, memory_format, preserve_format, strided

half = float16
float = float32  # noqa: A001 - PyTorch's public alias
double = float64
long = int64
int = int32  # noqa: A001 - PyTorch's public alias
short = int16

from . import accelerator, backends, cuda, data, nn, optim, utils  # noqa: E402 - above autograd
from .serialization import load, save  # noqa: E402
from .nn.functional import cosine_similarity, pairwise_distance  # noqa: E402
from .autograd.ops import linalg_ns as linalg  # noqa: E402 - torch.linalg

_sys.modules[__name__ + ".linalg"] = linalg  # so `import minitorch_ft.linalg` works too

e = math.e
inf = math.inf
nan = math.nan
pi = math.pi
newaxis = None

__version__ = "0.1.0"


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def is_inference(input: Tensor) -> bool:  # noqa: A002 - PyTorch's name
    """True for a tensor made under `inference_mode()`."""
    if not isinstance(input, Tensor):
        raise TypeError(
            "is_inference(): argument 'input' (position 1) must be Tensor, not "
            f"{type(input).__name__}"
        )
    return input.is_inference()


def numel(input: Tensor) -> int:
    return input.numel()
