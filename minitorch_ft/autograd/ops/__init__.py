"""Differentiable ops, one file per family; importing this attaches them to Tensor."""

from . import (  # noqa: F401 - imported for their Tensor methods
    activation,
    arithmetic,
    conversion,
    comparison,
    elementwise,
    indexing,
    inplace,
    loss,
    matmul,
    reduce,
    shape,
)
