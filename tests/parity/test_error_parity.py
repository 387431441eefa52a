"""Mistakes with tensors raise PyTorch's error type and text: shape mismatches in every op
family, integer tensors that require grad, backward twice, in-place changes of saved tensors."""

import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")


def outcome(fn, lib):
    """(exception type name, message), or ('ok', None) when fn runs."""
    try:
        fn(lib)
    except Exception as exc:  # the point: which one, and what it says
        return type(exc).__name__, str(exc)
    return "ok", None


def same_error(fn):
    got, want = outcome(fn, mt), outcome(fn, torch)
    assert want[0] != "ok", "torch accepts this: not an error case"
    assert got == want


def F(lib):  # noqa: N802 - torch's conventional alias
    return lib.nn.functional


def ones(lib, *shape, **kw):
    return lib.ones(*shape, **kw)


def long(lib, values):
    return lib.tensor(values, dtype=lib.long)


SHAPE_MISMATCHES = {
    "add": lambda L: ones(L, 2, 3) + ones(L, 4),
    "mul_scalar_tensor": lambda L: ones(L, 2, 3) * ones(L, 2, 2),
    "pow": lambda L: ones(L, 3) ** ones(L, 2),
    "compare": lambda L: ones(L, 2, 3) < ones(L, 4),
    "maximum": lambda L: L.maximum(ones(L, 2, 3), ones(L, 4)),
    "atan2": lambda L: L.atan2(ones(L, 2, 3), ones(L, 4)),
    "where": lambda L: L.where(ones(L, 2, 3) > 0, ones(L, 4), ones(L, 2, 3)),
    "matmul": lambda L: ones(L, 2, 3) @ ones(L, 4, 5),
    "matmul_vector": lambda L: L.matmul(ones(L, 3), ones(L, 4)),
    "matmul_0d": lambda L: L.matmul(L.tensor(1.0), ones(L, 2)),
    "mm": lambda L: L.mm(ones(L, 2, 3), ones(L, 2, 3)),
    "mm_1d": lambda L: L.mm(ones(L, 3), ones(L, 3, 2)),
    "bmm": lambda L: L.bmm(ones(L, 2, 3, 4), ones(L, 3, 4, 5)),
    "dot": lambda L: L.dot(ones(L, 3), ones(L, 4)),
    "mv": lambda L: L.mv(ones(L, 2, 3), ones(L, 4)),
    "cat": lambda L: L.cat([ones(L, 2, 3), ones(L, 2, 4)]),
    "cat_dim": lambda L: L.cat([ones(L, 2, 3), ones(L, 2, 3)], dim=2),
    "stack": lambda L: L.stack([ones(L, 2), ones(L, 3)]),
    "view": lambda L: ones(L, 2, 3).view(4),
    "reshape": lambda L: ones(L, 2, 3).reshape(5, -1),
    "reshape_two_minus_ones": lambda L: ones(L, 2, 3).reshape(-1, -1),
    "permute": lambda L: ones(L, 2, 3).permute(0),
    "transpose": lambda L: ones(L, 2, 3).transpose(0, 5),
    "expand": lambda L: ones(L, 2, 3).expand(3, 3),
    "squeeze": lambda L: ones(L, 2).squeeze(3),
    "unsqueeze": lambda L: ones(L, 2).unsqueeze(5),
    "sum_dim": lambda L: ones(L, 2, 3).sum(dim=2),
    "mean_dim": lambda L: ones(L, 2, 3).mean(dim=-3),
    "max_dim": lambda L: ones(L, 2, 3).max(dim=4),
    "max_empty": lambda L: ones(L, 0).max(),
    "softmax_dim": lambda L: ones(L, 2, 3).softmax(dim=2),
    "index": lambda L: ones(L, 2, 3)[5],
    "index_column": lambda L: ones(L, 2, 3)[:, 7],
    "index_too_many": lambda L: ones(L, 2, 3)[0, 0, 0],
    "bool_mask": lambda L: ones(L, 2, 3)[L.tensor([True, False, True])],
    "gather": lambda L: L.gather(ones(L, 2, 3), 1, long(L, [[[0]]])),
    "linear": lambda L: F(L).linear(ones(L, 2, 3), ones(L, 4, 5)),
    "cross_entropy_batch": lambda L: F(L).cross_entropy(ones(L, 2, 3), long(L, [0, 1, 2])),
    "bce_logits": lambda L: F(L).binary_cross_entropy_with_logits(ones(L, 2), ones(L, 3)),
    "layer_norm": lambda L: F(L).layer_norm(ones(L, 2, 3), (4,)),
    "embedding_range": lambda L: F(L).embedding(long(L, [5]), ones(L, 3, 2)),
    "pad_odd": lambda L: F(L).pad(ones(L, 2), (1, 2, 3)),
    "cosine_similarity": lambda L: F(L).cosine_similarity(ones(L, 2, 3), ones(L, 2, 4)),
    "add_inplace_broadcast": lambda L: ones(L, 3).add_(ones(L, 2, 3)),
    "topk": lambda L: L.topk(ones(L, 3), 5),
    "clamp_tensor": lambda L: L.clamp(ones(L, 2, 3), ones(L, 4)),
    "scatter": lambda L: ones(L, 2).scatter(0, long(L, [[0]]), ones(L, 1, 1)),
}


@pytest.mark.parametrize("name", SHAPE_MISMATCHES)
def test_shape_mismatch_errors_match_torch(name):
    same_error(SHAPE_MISMATCHES[name])


INTEGER_GRAD = {
    "ones_long": lambda L: L.ones(2, dtype=L.long, requires_grad=True),
    "tensor_ints": lambda L: L.tensor([1, 2], requires_grad=True),
    "tensor_bools": lambda L: L.tensor([True], requires_grad=True),
    "requires_grad_": lambda L: L.arange(3).requires_grad_(),
    "setter": lambda L: setattr(L.zeros(2, dtype=L.int32), "requires_grad", True),
    "zeros_int": lambda L: L.zeros(2, dtype=L.int64, requires_grad=True),
}


@pytest.mark.parametrize("name", INTEGER_GRAD)
def test_integer_tensors_cannot_require_grad(name):
    same_error(INTEGER_GRAD[name])


def _twice(make):
    def fn(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = make(L, x)
        y.backward()
        y.backward()

    return fn


BACKWARD_TWICE = {
    "mul": lambda L, x: (x * x).sum(),
    "exp": lambda L, x: x.exp().sum(),
    "matmul": lambda L, x: x @ x,
    "sigmoid": lambda L, x: x.sigmoid().sum(),
    "tanh": lambda L, x: x.tanh().sum(),
}


@pytest.mark.parametrize("name", BACKWARD_TWICE)
def test_backward_twice_errors_match_torch(name):
    same_error(_twice(BACKWARD_TWICE[name]))


def test_autograd_grad_twice_matches_torch():
    def fn(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        L.autograd.grad(y, x)
        L.autograd.grad(y, x)

    same_error(fn)


def _exp_result(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def _sigmoid_result(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)
    y.sum().backward()


def _saved_input(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = x.clone()
    b = a * a
    a.mul_(2)
    b.sum().backward()


def _view_of_saved_input(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = x * 1.0
    b = a.exp() * a
    a[0:1].zero_()
    b.sum().backward()


def _leaf_in_place(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.add_(1)


IN_PLACE = {
    "exp_result": _exp_result,
    "sigmoid_result": _sigmoid_result,
    "saved_input": _saved_input,
    "view_of_saved_input": _view_of_saved_input,
    "leaf_in_place": _leaf_in_place,
}


@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_change_of_a_saved_tensor_matches_torch(name):
    same_error(IN_PLACE[name])
