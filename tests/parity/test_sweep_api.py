"""Sweep of public torch names minitorch_ft lacked: values, dtypes, grads, grad_fn names, errors."""

import math

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 7))
B = RNG.standard_normal((2, 5, 7))


def _both(fn, *arrays, grad=True):
    """fn run in both libraries on float64 copies; output, grad_fn name, input grads each."""
    results = []
    for lib in (torch, mt):
        inputs = [lib.tensor(a, requires_grad=grad) for a in arrays]
        out = fn(lib, *inputs)
        name = out.grad_fn.name() if out.grad_fn is not None else None
        grads = []
        if grad and out.requires_grad:
            seed = np.random.default_rng(1).standard_normal(tuple(out.shape))
            out.backward(lib.tensor(seed))
            grads = [t.grad.numpy() for t in inputs]
        results.append((out.detach().numpy(), str(out.dtype).split(".")[-1], name, grads))
    return results


def _assert_same(fn, *arrays, grad=True):
    (out_t, dt_t, name_t, g_t), (out_m, dt_m, name_m, g_m) = _both(fn, *arrays, grad=grad)
    assert out_m.shape == out_t.shape
    np.testing.assert_allclose(out_m, out_t, rtol=1e-6, atol=1e-8)
    assert (dt_m, name_m) == (dt_t, name_t)
    for gm, gt in zip(g_m, g_t, strict=True):
        np.testing.assert_allclose(gm, gt, rtol=1e-6, atol=1e-8)


def _error(fn):
    for lib in (torch, mt):
        with pytest.raises(Exception) as info:
            fn(lib)
        yield type(info.value), str(info.value)


def _assert_same_error(fn):
    torch_err, mt_err = _error(fn)
    assert mt_err == torch_err


@pytest.mark.parametrize(
    "args", [(1, 3, 2), (1, 2, 1), (0, 2, 1), (-1, 3, 5), (1, 0, 1), (1, 1, 3)]
)
def test_unfold_matches_torch(args):
    _assert_same(lambda L, x: x.unfold(*args), A)
    _assert_same(lambda L, x: x.t().unfold(*args), A)  # non-contiguous input


def test_unfold_of_unfold_and_0d():
    _assert_same(lambda L, x: x.unfold(1, 3, 1).unfold(0, 2, 1) * 2, A)
    _assert_same(lambda L, x: x.unfold(0, 1, 1), np.array(3.0))
    _assert_same(lambda L, x: x.unfold(1, 7, 5), A)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.ones(3, 4).unfold(1, 5, 1),
        lambda L: L.ones(3, 4).unfold(1, 2, 0),
        lambda L: L.ones(3, 4).unfold(2, 2, 1),
        lambda L: L.tensor(3.0).unfold(0, 2, 1),
    ],
)
def test_unfold_errors(call):
    _assert_same_error(call)


def test_unfold_gradcheck():
    x = mt.tensor(RNG.standard_normal((4, 6)), requires_grad=True)
    assert mt.autograd.gradcheck(lambda t: t.unfold(1, 3, 2), (x,))
    assert mt.autograd.gradcheck(lambda t: t.unfold(0, 2, 1), (x,))


def test_split_with_sizes():
    def cat_scaled(L, x):
        pieces = L.split_with_sizes(x, [2, 0, 5], 1)
        return L.cat([p * (i + 1) for i, p in enumerate(pieces)], 1)

    _assert_same(cat_scaled, A)
    _assert_same(lambda L, x: x.split_with_sizes([1, 2], 0)[1], A)
    _assert_same_error(lambda L: L.ones(3, 4).split_with_sizes([1, 2], 1))


@pytest.mark.parametrize("dtype", ["int32", "int64", "float16", "float64", "uint8", "int16"])
def test_view_dtype(dtype):
    data = np.arange(1, 9, dtype=np.float32).reshape(2, 4)
    results = []
    for lib in (torch, mt):
        x = lib.tensor(data, requires_grad=True)
        y = x.view(getattr(lib, dtype))
        results.append((y.detach().numpy().tolist(), str(y.dtype)[-7:], y.requires_grad))
    assert results[0] == results[1]


def test_view_dtype_shares_memory_and_errors():
    x = mt.zeros(2, dtype=mt.float32)
    x.view(dtype=mt.int32)[0] = 1065353216  # the bits of 1.0
    assert x.tolist() == [1.0, 0.0]
    _assert_same_error(lambda L: L.ones(3).view(L.float64))
    _assert_same_error(lambda L: L.tensor(1.0).view(L.float64))
    _assert_same_error(lambda L: L.ones(4, 3).t().view(L.float16))


def test_real_of_float_tensor_is_itself():
    x = mt.ones(2, requires_grad=True)
    assert x.real is x and mt.real(x) is x


def test_sum_to_size():
    for size in [(1, 7), (7,), (3, 1), (1, 1), (3, 7)]:
        _assert_same(lambda L, x, s=size: x.sum_to_size(*s), A)
    _assert_same_error(lambda L: L.ones(3, 4).sum_to_size(2, 2))


def test_fliplr_flipud_deg2rad():
    _assert_same(lambda L, x: L.fliplr(x) * L.flipud(x), A)
    _assert_same(lambda L, x: L.deg2rad(x), A)
    _assert_same(lambda L, x: L.rad2deg(x), A)
    _assert_same(lambda L, x: L.deg2rad(x), np.array([180, 90]), grad=False)
    _assert_same_error(lambda L: L.fliplr(L.ones(3)))
    _assert_same_error(lambda L: L.flipud(L.tensor(1.0)))


def test_small_queries():
    for lib in (torch, mt):
        assert lib.tensor([1]).is_signed() and lib.is_signed(lib.tensor([1.0]))
        assert not lib.tensor([1], dtype=lib.uint8).is_signed()
        assert not lib.tensor([True]).is_signed()
        assert lib.ones(2).is_same_size(lib.zeros(2))
        assert not lib.detach(lib.ones(2, requires_grad=True)).requires_grad
        assert (lib.pi, lib.e, lib.inf, lib.newaxis) == (math.pi, math.e, math.inf, None)
        assert math.isnan(lib.nan)


@pytest.mark.parametrize(
    "data, kwargs",
    [
        ([1.0, 2, 1, 4, 7], {"bins": 4}),
        ([1.0, 2, 1, 4, 7], {"bins": 4, "min": 0, "max": 3}),
        ([2.0, 2.0], {"bins": 3}),
        ([], {"bins": 3}),
        ([0.1, 0.2, 0.3, 0.7], {"bins": 10, "min": 0, "max": 1}),
        ([1.0, float("nan")], {"bins": 3, "min": 0, "max": 2}),
        ([2.0, 5.0], {"bins": 3, "min": 2, "max": 2}),
    ],
)
def test_histc(data, kwargs):
    for dtype in (np.float32, np.float64):
        _assert_same(lambda L, x: L.histc(x, **kwargs), np.array(data, dtype), grad=False)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.histc(L.tensor([1, 2]), 3),
        lambda L: L.histc(L.tensor([1.0, 2]), 0),
        lambda L: L.histc(L.tensor([1.0, 2]), 3, min=3, max=1),
        lambda L: L.histc(L.tensor([1.0, float("inf")]), 3),
    ],
)
def test_histc_errors(call):
    _assert_same_error(call)


@pytest.mark.parametrize("p", [2.0, 1.0, 0.0, 3.0, 0.5, float("inf")])
def test_cdist(p):
    _assert_same(lambda L, x, y: L.cdist(x, y, p=p), A, B)
    same_rows = np.concatenate([A[:2], RNG.standard_normal((1, 7))])
    _assert_same(lambda L, x, y: L.cdist(x, y, p=p), A, same_rows)  # zero distances


def test_cdist_inf_ties_each_get_the_gradient():
    _assert_same(
        lambda L, x, y: L.cdist(x, y, p=float("inf")), np.array([[1.0, 2.0]]), np.array([[0, 1.0]])
    )


def test_cdist_gradcheck():
    x = mt.tensor(RNG.standard_normal((2, 3, 4)), requires_grad=True)
    y = mt.tensor(RNG.standard_normal((5, 4)), requires_grad=True)
    for p in (2.0, 1.0, 3.0):
        assert mt.autograd.gradcheck(lambda a, b, p=p: mt.cdist(a, b, p=p), (x, y))


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.cdist(L.ones(2, 3), L.ones(4, 2)),
        lambda L: L.cdist(L.ones(3), L.ones(4, 3)),
        lambda L: L.cdist(L.ones(2, 3), L.ones(4, 3), p=-1),
        lambda L: L.cdist(L.ones(2, 3).long(), L.ones(4, 3).long()),
        lambda L: L.cdist(L.ones(2, 3), L.ones(4, 3).double()),
    ],
)
def test_cdist_errors(call):
    _assert_same_error(call)


def test_top_level_similarity_functions():
    _assert_same(lambda L, x, y: L.cosine_similarity(x, y), A, A[::-1].copy())
    _assert_same(lambda L, x, y: L.pairwise_distance(x, y), A, A[::-1].copy())


def test_multinomial_shapes_and_distribution():
    p = [0.1, 0.0, 0.9]
    for lib in (torch, mt):
        out = lib.multinomial(lib.tensor(p), 3)
        assert str(out.dtype).endswith("int64") and out.shape == (3,)
        assert out[-1].item() == 1  # a zero weight is drawn last without replacement
        assert lib.ones(2, 3).multinomial(7, True).shape == (2, 7)
    mt.manual_seed(0)
    draws = mt.multinomial(mt.tensor([0.1, 0.2, 0.7]), 20000, replacement=True).numpy()
    np.testing.assert_allclose(np.bincount(draws) / 20000, [0.1, 0.2, 0.7], atol=0.02)
    rows = mt.multinomial(mt.tensor([[0.1, 0.2, 0.7]] * 20000), 2).numpy()
    assert (rows[:, 0] != rows[:, 1]).all()
    np.testing.assert_allclose(np.bincount(rows[:, 0]) / 20000, [0.1, 0.2, 0.7], atol=0.02)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.multinomial(L.tensor([0.5, 0.5]), 0),
        lambda L: L.multinomial(L.tensor([-1.0, 2]), 1),
        lambda L: L.multinomial(L.zeros(3), 1),
        lambda L: L.multinomial(L.ones(2, 2, 2), 1),
        lambda L: L.multinomial(L.tensor([1, 2]), 1),
        lambda L: L.multinomial(L.ones(3), 4),
    ],
)
def test_multinomial_errors(call):
    _assert_same_error(call)


def test_bernoulli_and_normal_graph_and_stats():
    for lib in (torch, mt):
        x = lib.full((3,), 0.5, requires_grad=True)
        b = lib.bernoulli(x)
        assert b.grad_fn.name() == "BernoulliBackward0" and str(b.dtype).endswith("float32")
        b.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0, 0.0]
        m = lib.zeros(2, 1, requires_grad=True)
        s = lib.ones(3, requires_grad=True)
        assert lib.normal(m, 1.0).grad_fn.name() == "NormalBackward1"
        assert lib.normal(2.0, s).grad_fn.name() == "NormalBackward2"
        out = lib.normal(m, s)
        assert out.grad_fn.name() == "NormalBackward3" and out.shape == (2, 3)
        assert str(lib.normal(0.0, 1.0, size=(2,), dtype=lib.float64).dtype).endswith("64")
    mt.manual_seed(0)
    assert abs(mt.bernoulli(mt.full((20000,), 0.3)).mean().item() - 0.3) < 0.02
    assert abs(mt.normal(mt.full((20000,), 2.0), 3.0).std().item() - 3.0) < 0.1
    _assert_same_error(lambda L: L.bernoulli(L.tensor([2.0])))
    _assert_same_error(lambda L: L.bernoulli(L.tensor([1])))
    _assert_same_error(lambda L: L.normal(L.zeros(2), -1.0))
    _assert_same_error(lambda L: L.normal(L.zeros(2), L.ones(3)))


@pytest.mark.parametrize(
    "expr",
    [
        "L.finfo(L.float32)",
        "L.finfo()",
        "L.finfo(L.float16)",
        "L.finfo(L.float64).eps",
        "L.finfo(L.float32).min",
        "L.finfo(L.float32).tiny",
        "L.iinfo(L.int64)",
        "L.iinfo(L.uint8).max",
        "L.result_type(L.tensor([1]), 1.0)",
        "L.result_type(L.tensor([1], dtype=L.uint8), L.tensor([1], dtype=L.int8))",
        "L.result_type(L.tensor(1, dtype=L.int32), L.tensor([True]))",
        "L.promote_types(L.float16, L.int64)",
        "L.promote_types(L.uint8, L.int8)",
        "L.can_cast(L.float32, L.int32)",
        "L.can_cast(L.int64, L.uint8)",
        "L.can_cast(L.int64, L.bool)",
        "L.tensor([1.5, -2.0]).short()",
        "L.tensor([1.5, -2.0]).char()",
        "L.tensor([1.5, 2.0]).byte()",
    ],
)
def test_dtype_queries(expr):
    torch_repr, mt_repr = (
        repr(eval(expr, {"L": lib})).replace("minitorch_ft", "torch") for lib in (torch, mt)
    )
    assert mt_repr == torch_repr


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.finfo(L.int64),
        lambda L: L.iinfo(L.float32),
        lambda L: L.iinfo(L.bool),
    ],
)
def test_dtype_query_errors(call):
    _assert_same_error(call)
