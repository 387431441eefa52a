"""Differentiable ops, one file per family; importing this attaches them to Tensor."""

from . import (  # noqa: F401 - imported for their Tensor methods
    activation,
    arithmetic,
    combine,
    conversion,
    comparison,
    elementwise,
    extrema,
    gather,
    indexing,
    inplace,
    loss,
    matmul,
    reduce,
    shape,
)
