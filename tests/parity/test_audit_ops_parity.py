"""Audit additions compared with torch: values, dtypes, grad_fn names and error texts."""

import pytest

from .audit_helpers import assert_same

X = "L.tensor([[3., 1., 2., 1., 3.], [2., 2., 5., 5., 0.]], requires_grad=True)"
V = "L.tensor([1., 4., 2.], requires_grad=True)"
M = "L.arange(12.).reshape(3, 4).requires_grad_()"

CASES = [
    f"{X}.sort(1)", f"{X}.sort(0, descending=True)", f"{X}.argsort(1)",
    f"{X}.argsort(descending=True)", f"L.sort({V})", f"{M}.topk(1)", f"{M}.topk(2, dim=0)", f"{M}.topk(3, largest=False)",
    f"{X}.topk(6)", f"{X}.median()", f"{X}.median(1)[0]", f"{X}.median(1, keepdim=True)[0]",
    f"{X}.kthvalue(1, 1)[0]", f"{X}.kthvalue(6)", f"{X}.mode(1)", f"L.msort({X})",
    "L.tensor(5.).sort()", "L.tensor([1., float('nan'), 0.]).sort(descending=True)",
    "L.tensor([1., float('nan'), 0.]).median()", "L.tensor([1, 2, 3, 4]).median()",
    "L.unique(L.tensor([3, 1, 2, 1]), return_inverse=True, return_counts=True)",
    "L.tensor([[1, 2], [1, 2], [0, 5]]).unique(dim=0)",
    "L.searchsorted(L.tensor([1, 3, 5, 7]), L.tensor([3, 6, 9]))",
    "L.searchsorted(L.tensor([[1, 3], [2, 4]]), L.tensor([[3], [3]]), right=True)",
    "L.bucketize(L.tensor([0.5, 3.0]), L.tensor([1., 2., 3.]))",
    "L.bincount(L.tensor([0, 1, 1, 3]), minlength=6)",
    "L.bincount(L.tensor([0, 1, 1, 3]), weights=L.tensor([.5, .5, 1., 2.]))",
    "L.isin(L.tensor([1, 2, 3]), L.tensor([2, 5]))",
    "L.isin(L.tensor([1, 2, 3]), L.tensor([2, 5]), invert=True)",
    f"L.dot({V}, {V})", "L.dot(L.tensor([1, 2]), L.tensor([3, 4]))",
    "L.dot(L.ones(2, 2), L.ones(2))", "L.dot(L.ones(3), L.ones(4))",
    "L.dot(L.ones(3), L.ones(3, dtype=L.float64))", f"L.vdot({V}, {V})",
    f"L.mv({M}, L.ones(4))", "L.mv(L.ones(3), L.ones(3))", "L.mv(L.ones(2, 3), L.ones(4))",
    f"L.outer({V}, L.arange(2.))", "L.outer(L.arange(2), L.arange(3.))",
    "L.outer(L.ones(2, 2), L.ones(2))", f"L.addmm(L.ones(4), {M}.t(), {M})",
    "L.addmm(L.ones(2), L.ones(2, 3), L.ones(4, 2))", f"L.inner({M}, {M})",
    f"{M}.trace()", "L.arange(6).view(2, 3).trace()", "L.ones(3).trace()",
    f"L.diag({V})", f"L.diag({V}, 1)", f"L.diag({M}, -1)", "L.diag(L.ones(2, 2, 2))",
    f"{M}.diagonal()", f"L.diagonal({M}.view(3, 2, 2), 1, 0, 2)", f"L.diag_embed({M})",
    f"{M}.tril()", f"{M}.triu(1)", f"L.tril({M}, -1)", "L.ones(3).tril()",
    "L.arange(6).view(2, 3).triu()",
    f"L.cross({M}[:, :3], {M}[:, 1:], dim=1)", "L.cross(L.ones(2, 4), L.ones(2, 4), dim=1)",
    f"L.einsum('ij,j->i', {M}, L.ones(4))", f"L.einsum('ij->ji', {M})",
    f"L.einsum('ij->', {M})", f"L.einsum('i,j->ij', {V}, {V})", f"L.einsum('ii->i', {M}[:, :3])",
    "L.einsum('ii', L.eye(3))", "L.einsum('ii', L.eye(3, requires_grad=True))", "L.einsum('ij,jk', L.ones(2, 3), L.ones(3, 1))",
    "L.einsum('...ij,...jk->...ik', L.ones(5, 2, 3), L.ones(3, 4))",
    "L.einsum('bij,bjk->bik', L.ones(2, 2, 3), L.ones(2, 3, 4))",
    "L.einsum('ij,jk->ik', L.ones(2, 3), L.ones(4, 5))",
    "L.einsum('ij->ik', L.ones(2, 3))", "L.einsum('ijk->i', L.ones(2, 3))",
    "L.einsum('i j , j', [L.ones(2, 3), L.ones(3)])",
    f"L.tensordot({M}, {M}, dims=([1], [1]))",
    "L.tensordot(L.ones(2, 3, 4), L.ones(3, 4, 5))",
]


@pytest.mark.parametrize("code", CASES)
def test_new_ops_match_torch(code):
    assert_same(code)
