"""The op functions the facade exports as `minitorch_ft.<name>` (torch.<name>)."""

from .activation import *  # noqa: F403
from .activation_inplace import *  # noqa: F403 - in-place ones with torch's node names
from .arithmetic import (  # noqa: F401
    add,
    div,
    divide,
    mul,
    multiply,
    neg,
    negative,
    pow,  # noqa: A004 - torch.pow
    rsub,
    sub,
    subtract,
    true_divide,
)
from .blas import *  # noqa: F403
from .combine import *  # noqa: F403
from .comparison import *  # noqa: F403
from .conversion import clone  # noqa: F401
from .elementwise import *  # noqa: F403
from .extra_api import *  # noqa: F403
from .extra_dtypes import *  # noqa: F403
from .extra_random import *  # noqa: F403
from .extrema import *  # noqa: F403
from .gather import *  # noqa: F403
from .index_ops import *  # noqa: F403
from .indexing import *  # noqa: F403
from .inplace import *  # noqa: F403
from .inplace_more import *  # noqa: F403
from .linalg import *  # noqa: F403
from .linalg_ns import det, logdet, matrix_power, slogdet  # noqa: F401
from .linalg_ns import inv as inverse  # noqa: F401
from .matmul import bmm, matmul, mm  # noqa: F401
from .misc import *  # noqa: F403
from .norm import *  # noqa: F403
from .reduce import *  # noqa: F403
from .scan import *  # noqa: F403
from .scatter_reduce import *  # noqa: F403
from .shape import *  # noqa: F403
from .slicing import *  # noqa: F403
from .sorting import *  # noqa: F403
from .special_more import *  # noqa: F403
