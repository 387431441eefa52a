"""Reductions and extremes: values against numpy, dtypes, errors, and float64 gradchecks."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch_ft as mt
from tests.helpers import assert_not_mutated, check_grad, leaf

SHAPES = [(), (4,), (2, 3), (2, 3, 2)]


def _dims_for(shape):
    """dim arguments worth trying for a shape: None, each dim (also negative), a tuple."""
    n = len(shape)
    dims = [None]
    if n:
        dims += [0, -1]
    if n >= 2:
        dims += [(0, -1)]
    return dims


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "logsumexp", "amax", "amin"])
def test_reductions_gradcheck(name, shape, keepdim):
    for i, dim in enumerate(_dims_for(shape)):
        if name == "logsumexp" and dim is None:
            dim = tuple(range(len(shape)))
        x = leaf(shape, seed=i)
        if name in ("var", "std") and x.numel() < 2:
            continue
        check_grad(lambda t, d=dim: getattr(t, name)(d, keepdim=keepdim), x)


@pytest.mark.parametrize("shape", SHAPES)
def test_whole_tensor_reductions_gradcheck(shape):
    x = leaf(shape, seed=3)
    for fn in (
        lambda t: t.sum(),
        lambda t: t.mean(),
        lambda t: t.max(),
        lambda t: t.min(),
        lambda t: t.prod(),
        lambda t: t.norm(),
        lambda t: t.amax(),
        lambda t: t.norm(p=3),
    ):
        check_grad(fn, x)


@pytest.mark.parametrize("shape,dim", [((4,), 0), ((2, 3), 1), ((2, 3), -2), ((2, 3, 2), 1)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_dim_reductions_gradcheck(shape, dim, keepdim):
    x = leaf(shape, seed=5)
    check_grad(lambda t: t.max(dim, keepdim).values, x)
    check_grad(lambda t: t.min(dim=dim, keepdim=keepdim)[0], x)
    check_grad(lambda t: t.prod(dim, keepdim), x)
    check_grad(lambda t: t.cumsum(dim), x)
    check_grad(lambda t: t.norm(dim=dim, keepdim=keepdim), x)
    check_grad(lambda t: t.norm(p=1.5, dim=dim, keepdim=keepdim), x)
    check_grad(lambda t: t.var(dim, correction=0, keepdim=keepdim), x)


def test_prod_gradient_with_zeros():
    x = mt.tensor(
        [[0.0, 3.0, 2.0], [0.0, 0.0, 5.0], [1.0, 2.0, 3.0]], dtype=mt.float64, requires_grad=True
    )
    x.prod(1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[6, 0, 0], [0, 0, 0], [6, 3, 2]])
    x.grad = None
    mt.tensor([0.0, 3.0, 2.0], requires_grad=True).prod().backward()
    check_grad(lambda t: t.prod(1), x)


def test_ties_share_gradient_evenly():
    x = mt.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0.5, 0.5], [0, 0, 0]])
    x.grad = None
    x.amax(1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0.5, 0.5], [0.5, 0.5, 0]])
    x.grad = None
    x.max(1).values.sum().backward()  # max(dim) sends it to the returned (first) index
    np.testing.assert_allclose(x.grad.numpy(), [[0, 1, 0], [1, 0, 0]])


def test_zero_norm_and_constant_std_have_zero_gradient():
    z = mt.zeros(3, requires_grad=True)
    z.norm().backward()
    np.testing.assert_array_equal(z.grad.numpy(), 0)
    z.grad = None
    z.std().backward()
    np.testing.assert_array_equal(z.grad.numpy(), 0)


def test_logsumexp_is_stable():
    x = mt.tensor([1000.0, 1000.0, -1000.0])
    np.testing.assert_allclose(x.logsumexp(0).item(), 1000 + np.log(2), rtol=1e-6)
    assert mt.tensor([-np.inf, -np.inf]).logsumexp(0).item() == -np.inf


@pytest.mark.parametrize("dtype", [mt.int64, mt.int32, mt.uint8, mt.bool])
def test_integer_sums_give_int64(dtype):
    x = mt.tensor([[1, 0, 1], [1, 1, 0]]).to(dtype)
    assert x.sum().dtype == mt.int64 and x.sum().item() == 4
    assert x.sum(1).tolist() == [2, 2]
    assert x.prod().dtype == mt.int64
    assert x.cumsum(1).dtype == mt.int64
    assert x.sum(dtype=mt.float32).dtype == mt.float32


def test_sum_node_names_and_dim_forms():
    x = mt.ones(2, 3, requires_grad=True)
    assert x.sum().grad_fn.name() == "SumBackward0"
    assert x.sum(dim=None).grad_fn.name() == "SumBackward1"
    assert x.sum(()).shape == () and x.sum([0, 1], keepdim=True).shape == (1, 1)
    assert x.mean(1).grad_fn.name() == "MeanBackward1"
    assert x.sum(axis=0).shape == (3,)
    assert mt.sum(x, 1, True).shape == (2, 1)


def test_dtype_errors():
    xi = mt.arange(6)
    with pytest.raises(
        RuntimeError,
        match=r"mean\(\): could not infer output dtype. Input "
        r"dtype must be either a floating point or complex dtype. Got: Long",
    ):
        xi.mean()
    assert xi.mean(dtype=mt.float32).item() == 2.5
    with pytest.raises(RuntimeError, match="std and var only support floating point"):
        xi.var()
    with pytest.raises(
        RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"
    ):
        xi.norm()
    with pytest.raises(RuntimeError, match=r"argmax\(\): does not support bool input"):
        (xi > 2).argmax()


def test_dim_errors():
    x = mt.ones(2, 3)
    with pytest.raises(
        IndexError,
        match=r"Dimension out of range \(expected to be in range of "
        r"\[-2, 1\], but got 2\)",
    ):
        x.sum(2)
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        x.sum((0, -2))
    with pytest.raises(RuntimeError, match=r"max\(\): Expected reduction dim to be specified"):
        mt.ones(0).max()
    with pytest.raises(IndexError, match=r"max\(\): Expected reduction dim 0 to have non-zero"):
        mt.ones(0, 3).max(0)
    assert mt.ones(0, 3).max(1).values.shape == (0,)


def test_max_with_dim_returns_named_pair():
    x = mt.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]])
    result = x.max(1)
    values, indices = result
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert result.values is values and result.indices is indices
    assert indices.dtype == mt.int64
    assert repr(result).startswith("torch.return_types.max(\nvalues=")
    assert x.min(1, keepdim=True).indices.shape == (2, 1)
    assert mt.max(x, mt.zeros(3)).shape == (2, 3)  # the binary overload


def test_argmax_argmin():
    x = mt.tensor([[1.0, 5.0, 5.0], [7.0, 0.0, 7.0]])
    assert x.argmax().item() == 3 and x.argmin().item() == 4
    assert x.argmax(1).tolist() == [1, 0]
    assert x.argmax(keepdim=True).shape == (1, 1)
    assert x.argmin(0, keepdim=True).tolist() == [[0, 1, 0]]


def test_var_std_arguments():
    x = mt.tensor([[1.0, 2.0, 4.0], [0.0, 0.0, 3.0]])
    a = x.numpy()
    np.testing.assert_allclose(x.var().item(), a.var(ddof=1), rtol=1e-6)
    np.testing.assert_allclose(x.var(unbiased=False).item(), a.var(), rtol=1e-6)
    np.testing.assert_allclose(x.var(False).item(), a.var(), rtol=1e-6)
    np.testing.assert_allclose(x.std(1, correction=0).numpy(), a.std(1), rtol=1e-6)
    assert x.std(0, True, True).shape == (1, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert np.isnan(mt.tensor(1.0).var().item())
    assert "degrees of freedom is <= 0" in str(caught[0].message)


def test_all_any_count_nonzero():
    x = mt.tensor([[1, 0, 2], [3, 4, 5]])
    assert x.all().item() is False and x.any().item() is True
    assert x.all(1).tolist() == [False, True]
    assert x.any(0, keepdim=True).shape == (1, 3)
    assert x.to(mt.uint8).all().dtype == mt.uint8
    assert x.count_nonzero().item() == 5 and x.count_nonzero(0).tolist() == [2, 1, 2]


def test_norm_variants():
    x = mt.tensor([[3.0, -4.0], [0.0, 1.0]])
    assert x.norm().item() == pytest.approx(np.sqrt(26))
    assert x.norm(p="fro").item() == pytest.approx(np.sqrt(26))
    assert x.norm(p=1).item() == pytest.approx(8)
    assert x.norm(p=float("inf")).item() == 4
    assert x.norm(p=0).item() == 3
    assert x.norm(dim=1).numpy().tolist() == [5.0, 1.0]
    assert x.norm(dtype=mt.float64).dtype == mt.float64


def test_forward_does_not_mutate():
    x = leaf((2, 3), seed=1)
    for fn in (
        lambda t: t.sum(0),
        lambda t: t.var(1),
        lambda t: t.logsumexp(1),
        lambda t: t.prod(1),
        lambda t: t.cumsum(0),
        lambda t: t.max(0),
    ):
        assert_not_mutated(fn, x)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), data=st.data())
def test_sum_over_any_dims_matches_numpy(shape, data):
    dims = data.draw(st.lists(st.integers(0, len(shape) - 1), unique=True, max_size=len(shape)))
    keepdim = data.draw(st.booleans())
    a = np.random.default_rng(0).standard_normal(shape)
    x = mt.tensor(a, requires_grad=True)
    out = x.sum(tuple(dims), keepdim=keepdim)
    axis = tuple(dims) if dims else None
    np.testing.assert_allclose(out.detach().numpy(), a.sum(axis=axis, keepdims=keepdim))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones(shape))
