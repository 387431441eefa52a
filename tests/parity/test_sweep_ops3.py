"""Parity sweep (ops3): index_add/index_copy/index_fill, scatter_reduce, scatter(reduce=),
addmm/addmv/addr/baddbmm/addbmm against torch, with float64 gradchecks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import compare, torch

R = np.random.default_rng(0)


def _d(*shape):
    return R.standard_normal(shape)


def _i(*values):
    return np.array(values, dtype=np.int64)


def _same_error(fn, *arrays):
    """fn raises the same exception type and text in both libraries."""
    errors = []
    for lib in (mt, torch):
        with pytest.raises(Exception) as info, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(lib, *[lib.tensor(a) for a in arrays])
        errors.append((type(info.value).__name__, str(info.value).split("\n")[0]))
    assert errors[0] == errors[1]


def _both(fn):
    return (lambda *t: fn(mt, *t)), (lambda *t: fn(torch, *t))


# ---- index_add / index_copy / index_fill -------------------------------------------------

INDEX_CASES = [
    ("add", lambda L, x, s, i: x.index_add(0, i, s), (3, 4), (3, 4), _i(0, 2, 0)),
    ("add_alpha", lambda L, x, s, i: L.index_add(x, -1, i, s, alpha=2.5), (3, 4), (3, 2), _i(3, 3)),
    ("add_3d", lambda L, x, s, i: x.index_add(1, i, s), (2, 3, 4), (2, 5, 4), _i(0, 2, 0, 1, 1)),
    ("add_0d", lambda L, x, s, i: x.index_add(0, i, s), (), (), _i(0)),
    ("add_empty", lambda L, x, s, i: x.index_add(0, i, s), (3, 4), (0, 4), _i()),
    ("copy", lambda L, x, s, i: x.index_copy(0, i, s), (3, 4), (3, 4), _i(0, 2, 1)),
    ("copy_dim1", lambda L, x, s, i: L.index_copy(x, 1, i, s), (3, 4), (3, 2), _i(3, 0)),
    ("copy_0d", lambda L, x, s, i: x.index_copy(0, i, s), (), (1,), _i(0)),
    ("copy_0d_src", lambda L, x, s, i: x.index_copy(0, i, s), (3,), (), np.array(1)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", INDEX_CASES, ids=[c[0] for c in INDEX_CASES])
def test_index_add_copy_match_torch(case, dtype):
    _, fn, xs, ss, idx = case
    mt_fn, th_fn = _both(lambda L, x, s, i: fn(L, x, s, i))
    compare(mt_fn, th_fn, _d(*xs).astype(dtype), _d(*ss).astype(dtype), idx)


@pytest.mark.parametrize(
    "fn, idx",
    [
        (lambda L, x, i: x.index_fill(0, i, 1.5), _i(0, 2, 0)),
        (lambda L, x, i: x.index_fill(1, i, -2), _i(-1, 0)),  # index_fill wraps negatives
        (lambda L, x, i: L.index_fill(x, 1, i, 2.0), np.array(1)),
    ],
)
def test_index_fill_matches_torch(fn, idx):
    compare(*_both(fn), _d(3, 4), idx)


def test_index_fill_tensor_value_grad_counts_each_slice_once():
    mt_out, th_out = compare(
        *_both(lambda L, x, i, v: x.index_fill(1, i, v)), _d(3, 4), _i(1, 1, 0), np.array(3.0)
    )
    assert mt_out.grad_fn.name() == "IndexFillBackward1"
    x = mt.zeros(3, 2, requires_grad=True)
    v = mt.tensor(1.0, requires_grad=True)
    x.index_fill(0, mt.tensor([1, 1, 0]), v).sum().backward()
    assert v.grad.item() == 4.0  # rows 0 and 1, two columns each
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 0], [0, 0], [1, 1]])


@pytest.mark.parametrize(
    "fn, arrays",
    [
        (
            lambda L, x, s, i: x.index_add(0, i, s, alpha=2.5),
            (np.arange(6).reshape(2, 3), np.ones((1, 3), np.int64), _i(1)),
        ),
        (
            lambda L, x, s, i: x.index_add(0, i, s),
            (np.zeros((2, 3), bool), np.ones((1, 3), bool), _i(1)),
        ),
        (lambda L, x, s, i: x.index_add(0, i, s), (_d(3), _d(2), _i(1, 1).astype(np.int32))),
        (lambda L, x, s, i: x.index_copy(0, i, s), (np.arange(3), np.array([9]), _i(1))),
        (lambda L, x, i: x.index_fill(0, i, 2.7), (np.arange(4), _i(1))),
        (lambda L, x, i: x.index_fill(0, i, True), (np.zeros(4, bool), _i(1))),
    ],
)
def test_index_ops_non_float_dtypes(fn, arrays):
    compare(*_both(fn), *arrays, requires_grad=False)


_X, _S = _d(3, 4), _d(3, 4)
_ALL, _ADD_COPY = ("index_add", "index_copy", "index_fill"), ("index_add", "index_copy")
# (index, source, dim, the ops that reject it)
INDEX_ERRORS = [
    (_i(0, 2, 0).astype(np.float32), _S, 0, _ALL),
    (_i(0, 2, 0).reshape(3, 1), _S, 0, _ALL),
    (_i(5), _S[:1], 0, _ALL),
    (_i(-1), _S[:1], 0, _ADD_COPY),  # index_fill counts negatives from the end
    (_i(0, 1, 2), _S.astype(np.float32), 0, _ADD_COPY),
    (_i(0, 1, 2), _S[:, :3], 0, _ADD_COPY),
    (_i(0, 1, 2), _S[:2], 0, _ADD_COPY),
    (_i(0), _S, 2, _ALL),
    (np.array(1), _d(4), 0, _ADD_COPY),
    (_i(1, 2), _d(), 0, _ADD_COPY),
    (_i(0, 1, 2).astype(np.int32), _S, 0, ("index_copy", "index_fill")),
]
_ERROR_CASES = [(op, *case[:3]) for case in INDEX_ERRORS for op in case[3]]


@pytest.mark.parametrize("op, idx, src, dim", _ERROR_CASES)
def test_index_op_errors_match_torch(op, idx, src, dim):
    if op == "index_fill":
        _same_error(lambda L, x, i: x.index_fill(dim, i, 1.0), _X, idx)
    else:
        _same_error(lambda L, x, i, s: getattr(x, op)(dim, i, s), _X, idx, src)


def test_index_copy_slice_shape_errors_match_torch():
    _same_error(lambda L, x, i, s: x.index_copy(1, i, s), _d(3, 4, 5), _i(0, 1), _d(3, 2, 6))
    _same_error(lambda L, x, i, s: x.index_copy(0, i, s), _d(3, 2), np.array(1), _d())
    _same_error(lambda L, x, i, v: x.index_fill(0, i, v), _d(3, 2), _i(1), _d(1))


@pytest.mark.parametrize("op", ["index_add_", "index_copy_"])
def test_in_place_index_ops(op):
    def fn(L, x, s, i):
        y = x * 1
        version = y._version
        assert getattr(y, op)(0, i, s) is y
        assert y._version == version + 1
        return y

    out, _ = compare(*_both(fn), _d(3, 4), _d(2, 4), _i(2, 0))
    assert out.grad_fn.name() == (
        "IndexAddBackward0" if op == "index_add_" else "IndexCopyBackward0"
    )
    # only the source requires grad: the write still joins the graph
    compare(
        *_both(lambda L, x, s, i: getattr(x.detach(), op)(0, i, s)), _d(3, 4), _d(2, 4), _i(2, 0)
    )
    # through a view: the base gets CopySlices
    compare(
        *_both(lambda L, x, s, i: (lambda b: (getattr(b[1:], op)(0, i, s), b)[1])(x * 1)),
        _d(3, 4),
        _d(2, 4),
        _i(1, 0),
        check_grad_fn=False,
    )
    leaf = mt.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(leaf, op)(0, mt.tensor([0]), mt.ones(1))


def test_index_fill_in_place_and_alpha_in_place():
    compare(*_both(lambda L, x, i: (x * 1).index_fill_(0, i, 2.0)), _d(3, 4), _i(2, 0))
    compare(
        *_both(lambda L, x, i, v: (x * 1).index_fill_(0, i, v)), _d(3, 4), _i(2, 0), np.array(3.0)
    )
    compare(
        *_both(lambda L, x, s, i: (x * 1).index_add_(0, i, s, alpha=-2)),
        _d(3, 4),
        _d(2, 4),
        _i(2, 2),
    )
    t = mt.zeros(3, dtype=mt.int64).index_add_(
        0, mt.tensor([2, 2]), mt.ones(2, dtype=mt.int64), alpha=3
    )
    assert t.tolist() == [0, 0, 6]


def test_index_ops_gradcheck():
    a = mt.tensor(_d(3, 4), requires_grad=True)
    s = mt.tensor(_d(3, 4), requires_grad=True)
    i = mt.tensor([0, 2, 0])
    v = mt.tensor(0.5, dtype=mt.float64, requires_grad=True)
    assert mt.autograd.gradcheck(lambda a, s: a.index_add(0, i, s, alpha=-1.5), (a, s))
    assert mt.autograd.gradcheck(lambda a, s: a.index_copy(0, mt.tensor([2, 0, 1]), s), (a, s))
    assert mt.autograd.gradcheck(lambda a, v: a.index_fill(1, mt.tensor([3, 0, 3]), v), (a, v))


# ---- scatter_reduce and scatter(reduce=) --------------------------------------------------

REDUCES = ["sum", "prod", "mean", "amax", "amin"]
SCATTER_CASES = [
    ("plain", (3, 4), (2, 4), np.array([[0, 2, 0, 1], [0, 0, 0, 0]]), 0),
    ("3d", (2, 3, 2), (2, 5, 2), R.integers(0, 3, (2, 5, 2)), 1),
    ("0d", (), (), np.array(0), 0),
    ("empty", (3,), (0,), _i(), 0),
]


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCES)
@pytest.mark.parametrize("case", SCATTER_CASES, ids=[c[0] for c in SCATTER_CASES])
def test_scatter_reduce_matches_torch(case, reduce, include_self):
    _, xs, ss, idx, dim = case
    fn = lambda L, x, s, i: x.scatter_reduce(dim, i, s, reduce, include_self=include_self)  # noqa: E731
    compare(*_both(fn), _d(*xs), _d(*ss), idx)


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCES)
def test_scatter_reduce_ties_and_zeros_gradients(reduce, include_self):
    fn = lambda L, x, s, i: L.scatter_reduce(x, -1, i, s, reduce, include_self=include_self)  # noqa: E731
    ties = (np.array([[1.0, 2, 2], [0, 0, 3]]), np.array([[2.0, 2, 1, 0], [0, 3, 3, 1]]))
    compare(*_both(fn), *ties, np.array([[1, 1, 0, 2], [0, 0, 2, 2]]))
    zeros = (np.array([0.0, 2, 3, 0]), np.array([2.0, 0, 1, 0, 5, 0]))
    compare(*_both(fn), *zeros, _i(0, 0, 1, 1, 3, 2))


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCES)
def test_scatter_reduce_integer_and_in_place(reduce, include_self):
    idx = np.array([[0, 2, 0, 1], [0, 0, 0, 0]])
    ints = (R.integers(-9, 9, (3, 4)), R.integers(-9, 9, (2, 4)))
    fn = lambda L, x, s, i: x.scatter_reduce(0, i, s, reduce, include_self=include_self)  # noqa: E731
    compare(*_both(fn), *ints, idx)  # integer mean rounds toward -inf
    inplace = lambda L, x, s, i: (x * 1).scatter_reduce_(0, i, s, reduce, include_self=include_self)  # noqa: E731
    compare(*_both(inplace), _d(3, 4), _d(2, 4), idx)


def test_scatter_reduce_plain_values():
    x = mt.tensor([1.0, 2.0, 3.0, 4.0])
    out = x.scatter_reduce(0, mt.tensor([0, 0, 2]), mt.tensor([5.0, 7.0, 1.0]), "mean")
    np.testing.assert_allclose(out.numpy(), [13 / 3, 2.0, 2.0, 4.0])
    out = x.scatter_reduce(0, mt.tensor([0, 0]), mt.tensor([5.0, 7.0]), "amax", include_self=False)
    assert out.tolist() == [7.0, 2.0, 3.0, 4.0]


def test_scatter_reduce_old_names_and_errors():
    idx, x, s = _i(0, 0), np.arange(1.0, 5.0), np.array([7.0, 9.0])
    for name in ("max", "min"):  # computed forward; torch has no backward for them
        out, _ = compare(
            *_both(lambda L, x, s, i, name=name: x.scatter_reduce(0, i, s, name)),
            x,
            s,
            idx,
            requires_grad=False,
        )
        xt = mt.tensor(x, requires_grad=True)
        with pytest.raises(
            RuntimeError, match=f"one of 'sum', 'prod', 'mean', 'amax', 'amin' but got {name}"
        ):
            xt.scatter_reduce(0, mt.tensor(idx), mt.tensor(s), name).sum().backward()
    _same_error(lambda L, x, s, i: x.scatter_reduce(0, i, s, "add"), x, s, idx)
    _same_error(lambda L, x, s, i: x.scatter_reduce(0, i, s, "sum"), x, s.astype(np.float32), idx)
    _same_error(lambda L, x, s, i: x.scatter_reduce(0, i, s, "sum"), x, s, idx + 9)
    _same_error(
        lambda L, x, s, i: x.scatter_reduce(0, i, s, "mean"),
        np.zeros(3, bool),
        np.ones(1, bool),
        _i(0),
    )
    leaf = mt.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        leaf.scatter_reduce_(0, mt.tensor([0]), mt.ones(1), "sum")


@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_with_reduce_has_no_derivative(reduce):
    idx = np.array([[0, 2, 0, 1], [0, 0, 0, 0]])
    for fn in (
        lambda L, x, s, i: x.scatter(0, i, s, reduce=reduce),
        lambda L, x, s, i: x.scatter(0, i, 2.5, reduce=reduce),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out, _ = compare(*_both(fn), _d(3, 4), _d(2, 4), idx, requires_grad=False)
            x = mt.tensor(_d(3, 4), requires_grad=True)
            y = fn(mt, x, mt.tensor(_d(2, 4)), mt.tensor(idx))
        assert y.grad_fn.name() == "torch::autograd::NotImplemented"
        with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
            y.sum().backward()
    y = mt.tensor(_d(3, 4), requires_grad=True) * 1
    y.scatter_(0, mt.tensor(idx), 3.0, reduce=reduce)
    with pytest.raises(RuntimeError, match=r"derivative for aten::scatter_ is not implemented"):
        y.sum().backward()
    with pytest.warns(UserWarning, match="The reduce argument of torch.scatter with Tensor src"):
        mt.zeros(3).scatter(0, mt.tensor([0]), mt.ones(1), reduce=reduce)
    _same_error(lambda L, x, s, i: x.scatter(0, i, s, reduce="mean"), _d(3, 4), _d(2, 4), idx)


def test_scatter_src_dtype_and_in_place_src_grad():
    idx = np.array([[0, 2, 0, 1], [0, 0, 0, 0]])
    _same_error(lambda L, x, s, i: x.scatter(0, i, s), _d(3, 4), _d(2, 4).astype(np.float32), idx)
    _same_error(
        lambda L, x, s, i: x.scatter_add(0, i, s), _d(3, 4), _d(2, 4).astype(np.float32), idx
    )
    # src requiring grad puts an in-place scatter of a plain tensor into the graph
    compare(*_both(lambda L, x, s, i: x.detach().scatter_(0, i, s)), _d(3, 4), _d(2, 4), idx)
    compare(*_both(lambda L, x, s, i: x.detach().scatter_add_(0, i, s)), _d(3, 4), _d(2, 4), idx)


@pytest.mark.parametrize("reduce", REDUCES)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_gradcheck(reduce, include_self):
    a = mt.tensor(_d(3, 4), requires_grad=True)
    s = mt.tensor(_d(2, 4), requires_grad=True)
    idx = mt.tensor([[0, 2, 0, 1], [0, 0, 2, 0]])
    assert mt.autograd.gradcheck(
        lambda a, s: a.scatter_reduce(0, idx, s, reduce, include_self=include_self), (a, s)
    )


# ---- addmm / addmv / addr / baddbmm / addbmm -----------------------------------------------

BLAS_SHAPES = {
    "addmm": [((3, 5), (3, 4), (4, 5)), ((5,), (3, 4), (4, 5)), ((), (3, 4), (4, 5))],
    "addmv": [((3,), (3, 4), (4,)), ((1,), (3, 4), (4,)), ((), (3, 4), (4,))],
    "addr": [((3, 4), (3,), (4,)), ((4,), (3,), (4,))],
    "baddbmm": [((2, 3, 5), (2, 3, 4), (2, 4, 5)), ((1, 3, 1), (2, 3, 4), (2, 4, 5))],
    "addbmm": [
        ((3, 5), (2, 3, 4), (2, 4, 5)),
        ((5,), (2, 3, 4), (2, 4, 5)),
        ((3, 5), (0, 3, 4), (0, 4, 5)),
    ],
}
BLAS_CASES = [(name, shapes) for name, cases in BLAS_SHAPES.items() for shapes in cases]
SCALARS = [{}, {"beta": 0.5, "alpha": 2}, {"beta": 0}, {"alpha": 0}]


@pytest.mark.parametrize("kw", SCALARS, ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "case", BLAS_CASES, ids=lambda c: f"{c[0]}-{c[1][0]}" if isinstance(c, tuple) else c
)
def test_blas_ops_match_torch(case, dtype, kw):
    name, shapes = case
    compare(
        *_both(lambda L, *t: getattr(L, name)(*t, **kw)), *[_d(*s).astype(dtype) for s in shapes]
    )
    compare(
        *_both(lambda L, i, *t: getattr(i, name)(*t, **kw)), *[_d(*s).astype(dtype) for s in shapes]
    )


@pytest.mark.parametrize("name", list(BLAS_SHAPES))
def test_blas_beta_zero_ignores_nan_input(name):
    shapes = BLAS_SHAPES[name][0]
    arrays = [np.full(shapes[0], np.nan)] + [_d(*s) for s in shapes[1:]]
    out, _ = compare(*_both(lambda L, *t: getattr(L, name)(*t, beta=0)), *arrays)
    assert not np.isnan(out.detach().numpy()).any()


@pytest.mark.parametrize(
    "kw", [{}, {"beta": 2, "alpha": 3}, {"beta": 2.5, "alpha": 1.5}, {"beta": 0}], ids=str
)
@pytest.mark.parametrize("name", ["addmm", "addmv", "baddbmm", "addbmm"])
def test_blas_integer_tensors_truncate_float_scalars(name, kw):
    arrays = [R.integers(-3, 4, s) for s in BLAS_SHAPES[name][0]]
    compare(*_both(lambda L, *t: getattr(L, name)(*t, **kw)), *arrays)


def test_addr_dtypes_bool_and_integer_scalars():
    ints = [R.integers(-3, 4, s) for s in ((3, 4), (3,), (4,))]
    compare(*_both(lambda L, *t: L.addr(*t, beta=2, alpha=3)), *ints)
    bools = [R.integers(0, 2, s).astype(bool) for s in ((3, 4), (3,), (4,))]
    for kw in ({}, {"beta": 2}, {"beta": False}, {"alpha": 0}):
        compare(*_both(lambda L, *t, kw=kw: L.addr(*t, **kw)), *bools)
    f32 = lambda *s: _d(*s).astype(np.float32)  # noqa: E731
    # addr promotes its three dtypes (a 0-d input counts as expanded)
    compare(*_both(lambda L, *t: L.addr(*t)), f32(3, 4), _d(3), f32(4), requires_grad=False)
    compare(*_both(lambda L, *t: L.addr(*t)), _d(), f32(3), f32(4), requires_grad=False)
    compare(
        *_both(lambda L, *t: L.addr(*t, beta=2.5)), ints[0], f32(3), f32(4), requires_grad=False
    )
    _same_error(lambda L, *t: L.addr(*t, beta=0.5), *ints)
    _same_error(lambda L, *t: L.addr(*t, alpha=0.5), *ints)


BLAS_ERRORS = [
    ("addmm", [(4,), (3, 4), (4, 5)]),
    ("addmm", [(2, 3, 5), (3, 4), (4, 5)]),
    ("addmm", [(3, 5), (3, 4), (3, 5)]),
    ("addmm", [(4, 5), (4,), (4, 5)]),
    ("addmv", [(4,), (3, 4), (4,)]),
    ("addmv", [(1, 3), (3, 4), (4,)]),
    ("addmv", [(3,), (3, 4), (5,)]),
    ("addmv", [(3,), (2, 3, 4), (4,)]),
    ("addmv", [(), (3, 4), (5,)]),
    ("addr", [(3, 4), (3, 1), (4,)]),
    ("addr", [(3, 4), (3,), (4, 1)]),
    ("baddbmm", [(3, 3, 5), (2, 3, 4), (2, 4, 5)]),
    ("baddbmm", [(3, 5), (3, 4), (4, 5)]),
    ("baddbmm", [(2, 3, 5), (2, 3, 4), (2, 3, 5)]),
    ("baddbmm", [(1, 2, 3, 5), (2, 3, 4), (2, 4, 5)]),
    ("addbmm", [(3, 5), (2, 3, 4), (2, 3, 5)]),
    ("addbmm", [(3, 5), (2, 3, 4), (3, 4, 5)]),
    ("addbmm", [(2, 3, 5), (2, 3, 4), (2, 4, 5)]),
    ("addbmm", [(3, 5), (3, 4), (4, 5)]),
]


@pytest.mark.parametrize("name, shapes", BLAS_ERRORS)
def test_blas_shape_errors_match_torch(name, shapes):
    _same_error(lambda L, *t: getattr(L, name)(*t), *[_d(*s) for s in shapes])


@pytest.mark.parametrize("name", ["addmm", "addmv", "baddbmm", "addbmm"])
def test_blas_dtype_errors_match_torch(name):
    shapes = BLAS_SHAPES[name][0]
    _same_error(lambda L, *t: getattr(L, name)(*t), *[np.ones(s, bool) for s in shapes])
    for which in range(3):
        arrays = [_d(*s) for s in shapes]
        arrays[which] = arrays[which].astype(np.float32)
        _same_error(lambda L, *t: getattr(L, name)(*t), *arrays)


@pytest.mark.parametrize("name", list(BLAS_SHAPES))
def test_blas_gradcheck(name):
    for shapes in BLAS_SHAPES[name]:
        args = tuple(mt.tensor(_d(*s), requires_grad=True) for s in shapes)
        assert mt.autograd.gradcheck(lambda *t: getattr(mt, name)(*t, beta=0.7, alpha=-1.3), args)
