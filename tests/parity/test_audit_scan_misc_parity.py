"""Audit additions (scans, paired reductions, new_* and composite helpers) against torch."""

import pytest

from .audit_helpers import assert_same

X = "L.tensor([[3., 1., 0., 1., 3.], [2., -2., 5., 5., 1.]], requires_grad=True)"

CASES = [
    f"{X}.cumprod(1)",
    f"x = {X}; x.cumprod(1).sum().backward(); r = x.grad",
    f"x = {X}; x.cumprod(0).sum().backward(); r = x.grad",
    "L.arange(1, 5).cumprod(0)",
    "L.tensor(3.).cumprod(0)",
    f"{X}.cummax(1)",
    f"{X}.cummin(1)",
    f"x = {X}; x.cummax(1).values.sum().backward(); r = x.grad",
    f"L.var_mean({X}, 1)",
    f"L.std_mean({X})",
    f"L.var_mean({X}, 1, correction=0, keepdim=True)",
    "L.nansum(L.tensor([1., float('nan'), 2.], requires_grad=True))",
    "L.nanmean(L.tensor([[1., float('nan')], [2., 4.]]), 1)",
    "L.tensor([1, 2]).nanmean()",
    f"L.diff({X})",
    f"L.diff({X}, n=2, dim=0)",
    "L.diff(L.tensor([1, 4, 9]), prepend=L.tensor([0]))",
    "L.ones(2, 3).new_zeros(2, 2)",
    "L.ones(2, 3, dtype=L.int64).new_ones((2,))",
    "L.ones(2, 3, dtype=L.float64).new_full((2,), 3)",
    "L.ones(2, 3).new_full([2], 3, dtype=L.int32)",
    "L.ones(2, 3).new_empty(0).shape",
    "L.ones(2, dtype=L.float64).new_tensor([1, 2])",
    "L.ones(2).new_tensor([1, 2], requires_grad=True)",
    "L.is_floating_point(L.ones(2))",
    "L.is_floating_point(L.ones(2, dtype=L.int64))",
    "L.ones(1).is_nonzero()",
    "L.ones(2).is_nonzero()",
    "L.is_nonzero(L.zeros(1, 1))",
    "L.broadcast_shapes((2, 1), (3,))",
    "L.broadcast_tensors(L.ones(2, 1), L.arange(3.))",
    "L.meshgrid(L.arange(2), L.arange(3.), indexing='ij')",
    "L.meshgrid(L.arange(2), L.arange(3), indexing='xy')",
    "L.meshgrid([L.arange(2), L.arange(3), L.arange(4)], indexing='xy')[2].shape",
    "L.meshgrid(L.arange(2.).requires_grad_(), L.arange(3.), indexing='ij')",
    "L.arange(6).view(2, 3).repeat_interleave(2, dim=1)",
    "L.arange(6.).view(2, 3).requires_grad_().repeat_interleave(L.tensor([1, 2]), dim=0)",
    "L.repeat_interleave(L.tensor([2, 0, 1]))",
    "L.take_along_dim(L.arange(6.).view(2, 3).requires_grad_(), L.tensor([[0], [2]]), 1)",
    "L.take_along_dim(L.arange(6.).view(2, 3), L.tensor([[0, 1, 0]]), 0)",
    "L.take_along_dim(L.arange(6.).view(2, 3), L.tensor([5, 0]))",
]


@pytest.mark.parametrize("code", CASES)
def test_scan_and_helpers_match_torch(code):
    assert_same(code)


@pytest.mark.parametrize(
    "code",
    [
        "L.ones(2, 3).ndimension()",
        "L.ones(2, 3)[1].storage_offset()",
        "L.ones(2, 3)[:, 1:].storage_offset()",
        "L.ones(2, 3).storage_offset()",
    ],
)
def test_tensor_metadata_matches_torch(code):
    assert_same(code)
