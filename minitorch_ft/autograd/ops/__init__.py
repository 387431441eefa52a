"""Differentiable ops, one file per family; importing this attaches them to Tensor."""

from . import (  # noqa: F401 - imported for their Tensor methods
    activation,
    arithmetic,
    combine,
    comparison,
    conversion,
    distance,
    elementwise,
    embedding,
    extrema,
    gather,
    indexing,
    inplace,
    linear,
    loss,
    matmul,
    nn_losses,
    normalization,
    padding,
    reduce,
    shape,
)
