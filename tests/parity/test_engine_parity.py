"""Autograd, factories and promotion against torch: the same code, same results or errors.

Each case is a function of the library module (`t` is torch or minitorch_ft); results are
compared by dtype, shape and value, errors by type and exact message.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch_ft as mt

from .helpers import torch

CASES: dict = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _normal(value):
    """A library-neutral form of a result, for comparison."""
    if isinstance(value, (torch.Tensor, mt.Tensor)):
        data = value.detach().numpy()
        return (
            "tensor",
            str(value.dtype),
            tuple(value.shape),
            value.requires_grad,
            data.astype(np.float64) if data.dtype.kind in "fc" else data.tolist(),
        )
    if isinstance(value, (tuple, list)):
        return type(value).__name__, [_normal(v) for v in value]
    if isinstance(value, (torch.dtype, mt.dtype, torch.Size, mt.Size)):
        return repr(value)
    return value


def _outcome(fn, lib):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", _normal(fn(lib)))
        except Exception as err:  # noqa: BLE001 - the error itself is compared
            result = ("error", type(err).__name__, str(err))
    texts = [
        str(w.message).split(" (Triggered internally")[0]
        for w in caught
        if issubclass(w.category, UserWarning)
    ]
    return result, texts


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and np.allclose(a, b, rtol=2e-6, atol=1e-6, equal_nan=True)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


# ----- backward and autograd.grad -------------------------------------------------------------
@case
def implicit_grad_non_scalar(t):
    (t.tensor([1.0, 2.0], requires_grad=True) * 2).backward()


@case
def backward_without_grad(t):
    (t.tensor([1.0, 2.0]) * 2).backward(t.ones(2))


@case
def gradient_wrong_shape(t):
    (t.tensor([1.0, 2.0], requires_grad=True) * 2).backward(t.ones(3))


@case
def gradient_0d_for_vector(t):
    (t.tensor([1.0, 2.0], requires_grad=True) * 2).backward(t.tensor(1.0))


@case
def gradient_other_dtype(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    (a * 2).backward(t.tensor([1.0, 3.0], dtype=t.float64))
    return a.grad


@case
def accumulate_and_retain(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a * a
    b.backward(t.ones(2), retain_graph=True)
    b.backward(t.tensor([0.5, 2.0]))
    return a.grad


@case
def second_backward(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a * a
    b.backward(t.ones(2))
    b.backward(t.ones(2))


@case
def second_backward_nothing_saved(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a - 2.0
    b.backward(t.ones(2))
    b.backward(t.ones(2))
    return a.grad


@case
def non_leaf_grad_warning(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a * 2
    b.backward(t.ones(2))
    return b.grad


@case
def retain_grad(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a * a
    b.retain_grad()
    (b * 3).backward(t.ones(2))
    return b.grad, a.grad, b.retains_grad, a.retains_grad


@case
def hooks(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    handle = a.register_hook(lambda g: g * 10)
    b = a * 3
    b.register_hook(lambda g: g + 1)
    (b * b).backward(t.ones(2))
    handle.remove()
    (a * 3).backward(t.ones(2))
    return a.grad


@case
def node_hooks(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a * 2
    seen = []
    b.grad_fn.register_hook(lambda grad_in, grad_out: seen.append((len(grad_in), len(grad_out))))
    handle = b.grad_fn.register_prehook(lambda grad_out: (grad_out[0] * 10,))
    b.backward(t.ones(2), retain_graph=True)
    handle.remove()
    b.backward(t.ones(2))
    return a.grad, seen


@case
def post_accumulate_grad_hook(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    a.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad * 1))
    (a * 2).backward(t.ones(2))
    return seen


@case
def post_accumulate_grad_hook_non_leaf(t):
    (t.tensor([1.0], requires_grad=True) * 2).register_post_accumulate_grad_hook(print)


@case
def hook_changing_size(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)

    def grow(grad):
        return t.ones(3)

    a.register_hook(grow)
    (a * 2).backward(t.ones(2))


@case
def second_root_without_grad(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    t.autograd.backward([a * 2, t.ones(2)], [t.ones(2), t.ones(2)])


@case
def gradient_count_mismatch(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    t.autograd.grad([a * 2, a * 3], a, grad_outputs=[t.ones(2)])


@case
def backward_inputs(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0], requires_grad=True)
    c = a * b
    m = c * 2
    (m * m).backward(t.ones(2), inputs=[a, m])
    return a.grad, b.grad, m.grad


@case
def backward_inputs_empty(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    (a * 2).backward(t.ones(2), inputs=[])


@case
def autograd_grad(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0], requires_grad=True)
    out = a * a * b
    grads = t.autograd.grad(out, [a, b], grad_outputs=t.tensor([1.0, 2.0]), retain_graph=True)
    again = t.autograd.grad(out, b, grad_outputs=t.ones(2))
    return grads, again, a.grad


@case
def autograd_grad_unused(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0], requires_grad=True)
    return t.autograd.grad(a * a, [b, a], grad_outputs=t.ones(2))


@case
def autograd_grad_allow_unused(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0], requires_grad=True)
    return t.autograd.grad(a * a, [b, a], grad_outputs=t.ones(2), allow_unused=True)


@case
def autograd_backward_function(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    t.autograd.backward([a * 2, a * a], [t.tensor([1.0, 3.0]), t.ones(2)])
    return a.grad


@case
def next_functions(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    c = a * t.tensor([3.0, 4.0]) + a
    (mul, i), (acc, j) = c.grad_fn.next_functions
    return (
        c.grad_fn.name(),
        type(mul).__name__,
        i,
        type(acc).__name__,
        j,
        acc.name(),
        acc.variable is a,
        mul.next_functions[1],
        mul.next_functions[0][0] is acc,
    )


@case
def is_leaf_rules(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    with t.no_grad():
        e = a * 2
    return (
        a.is_leaf,
        (a * 2).is_leaf,
        (t.ones(1) * 2).is_leaf,
        e.is_leaf,
        (a * 2).detach().is_leaf,
        (a * 2).requires_grad,
    )


@case
def requires_grad_of_non_leaf(t):
    (t.tensor([1.0], requires_grad=True) * 2).requires_grad = False


@case
def detach_in_place(t):
    b = t.tensor([1.0, 2.0], requires_grad=True) * 2
    b.detach_()
    return b.requires_grad, b.is_leaf, b.grad_fn


@case
def inplace_on_saved(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    c = b * b
    b.add_(1)
    c.backward(t.ones(2))


@case
def inplace_on_saved_output(t):
    a = t.tensor([[1.0, 2.0]], requires_grad=True)
    b = a.exp()
    b.mul_(2)
    b.backward(t.ones(1, 2))


@case
def inplace_on_leaf(t):
    t.tensor([1.0], requires_grad=True).mul_(2)


@case
def function_mark_dirty(t):
    class AddOne(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    c = AddOne.apply(b)
    c.backward(t.ones(2))
    plain = t.tensor([1.0])
    AddOne.apply(plain)
    return c is b, c, a.grad, int(b._version), repr(b._version), plain


# ----- grad modes ---------------------------------------------------------------------------
@case
def grad_modes(t):
    a = t.tensor([1.0], requires_grad=True)

    @t.no_grad
    def bare(x):
        return x * 2

    @t.inference_mode()
    def inference(x):
        return x * 2

    @t.set_grad_enabled(False)
    def disabled(x):
        return x * 2

    enabled_after_decorating = t.is_grad_enabled()
    with t.no_grad():
        with t.enable_grad():
            inner = a * 2
        outer = a * 2
    return (
        bare(a).requires_grad,
        inference(a).requires_grad,
        disabled(a).requires_grad,
        enabled_after_decorating,
        inner.requires_grad,
        outer.requires_grad,
        t.is_grad_enabled(),
    )


# ----- Tensor state ---------------------------------------------------------------------------
@case
def requires_grad_int_setter(t):
    t.tensor([1, 2]).requires_grad = True


@case
def requires_grad_int_method(t):
    t.tensor([1, 2]).requires_grad_()


@case
def requires_grad_int_factory(t):
    t.full((2,), 1, requires_grad=True)


@case
def numpy_of_grad_tensor(t):
    t.tensor([1.0], requires_grad=True).numpy()


@case
def item_of_many(t):
    t.tensor([1.0, 2.0]).item()


@case
def float_of_many(t):
    float(t.tensor([1.0, 2.0]))


@case
def bool_of_empty(t):
    bool(t.tensor([]))


@case
def grad_wrong_size(t):
    t.zeros(2, 3, requires_grad=True).grad = t.zeros(3, 2)


@case
def grad_wrong_dtype(t):
    t.zeros(2, requires_grad=True).grad = t.zeros(2, dtype=t.int64)


@case
def conversions(t):
    x = t.tensor([[1.5, -2.0]])
    return (
        x.tolist(),
        t.tensor(3).item(),
        t.tensor([2.5]).item(),
        x.shape,
        x.size(1),
        x.shape[1:],
        repr(x.shape),
        x.dim(),
        x.numel(),
        str(x.dtype),
        t.tensor(1.0).shape,
    )


@case
def size_of_scalar(t):
    t.tensor(1.0).size(0)


# ----- factories -----------------------------------------------------------------------------
@case
def factories(t):
    return (
        t.tensor(1.5),
        t.tensor(1),
        t.tensor(True),
        t.tensor([1, 2.5]),
        t.tensor([]),
        t.tensor([[]]),
        t.tensor(np.float64(2.5)),
        t.tensor(np.array([1], np.int32)),
        t.arange(5),
        t.arange(5.0),
        t.arange(1, 2, 0.3),
        t.arange(0, 1, 0.1),
        t.arange(5, 0, -1),
        t.arange(t.tensor(3)),
        t.linspace(0, 1, 5),
        t.linspace(-3.3, 7.1, 11),
        t.linspace(0, 10, 4, dtype=t.int64),
        t.full((2,), 3),
        t.full((2,), 3.0),
        t.full((2,), True),
        t.full_like(t.tensor([1, 2]), 2.7),
        t.zeros_like(t.tensor([1, 2])),
        t.eye(2, 3),
        t.ones(2, dtype=t.int32),
        t.empty(2, 0).shape,
    )


@case
def from_numpy_keeps_dtype(t):
    return t.from_numpy(np.array([1.5, 2.0])), t.from_numpy(np.arange(3, dtype=np.int32))


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.tensor([[1, 2], [3]]),
        lambda t: t.tensor(None),
        lambda t: t.tensor("a"),
        lambda t: t.arange(0, 3, -1),
        lambda t: t.arange(0, 3, 0),
        lambda t: t.ones(-1),
        lambda t: t.randn(2.5),
        lambda t: t.ones((2.5,)),
        lambda t: t.linspace(0, 1, -1),
    ],
)
def test_factory_errors(make):
    assert _outcome(make, mt) == _outcome(make, torch)


# ----- dtype promotion with python scalars and 0-d tensors ------------------------------------
PROMOTION = {
    "f32*2.5": lambda t: t.tensor([1.0, 2.0]) * 2.5,
    "int*2.5": lambda t: t.tensor([1, 2]) * 2.5,
    "int*2": lambda t: t.tensor([1, 2]) * 2,
    "int/int": lambda t: t.tensor([1, 2]) / t.tensor([2, 2]),
    "int/2": lambda t: t.tensor([1, 3]) / 2,
    "2/int": lambda t: 2 / t.tensor([1, 2]),
    "0d f64 * f32": lambda t: t.tensor(2.0, dtype=t.float64) * t.tensor([1.0, 2.0]),
    "0d f64 * i64": lambda t: t.tensor(2.0, dtype=t.float64) * t.tensor([1, 2]),
    "0d i64 * i32": lambda t: t.tensor(2) * t.tensor([1, 2], dtype=t.int32),
    "f16 * 0d f32": lambda t: t.tensor([1.0, 2.0], dtype=t.float16) * t.tensor(2.0),
    "bool*2": lambda t: t.tensor([True, False]) * 2,
    "bool*2.5": lambda t: t.tensor([True]) * 2.5,
    "int+True": lambda t: t.tensor([1]) + True,
    "i32+5": lambda t: t.tensor([1], dtype=t.int32) + 5,
    "i32+i64": lambda t: t.tensor([1], dtype=t.int32) + t.tensor([5]),
    "u8+i8": lambda t: t.tensor([1], dtype=t.uint8) + t.tensor([5], dtype=t.int8),
    "f32+f64": lambda t: t.tensor([1.0]) + t.tensor([5.0], dtype=t.float64),
    "f32**2": lambda t: t.tensor([1.5]) ** 2,
    "int**2": lambda t: t.tensor([3]) ** 2,
    "int**0.5": lambda t: t.tensor([4]) ** 0.5,
    "2**int": lambda t: 2 ** t.tensor([3]),
    "2.0**int": lambda t: 2.0 ** t.tensor([3]),
    "1-f32": lambda t: 1 - t.tensor([1.5]),
    "np f64 * f32": lambda t: np.float64(2.5) * t.tensor([1.5]),
    "f32 * np f64": lambda t: t.tensor([1.5]) * np.float64(2.5),
    "f32 * np array": lambda t: t.tensor([1.5]) * np.array([2.0]),
    "grad f32*2.5": lambda t: t.tensor([1.0, 2.0], requires_grad=True) * 2.5,
}


@pytest.mark.parametrize("name", sorted(PROMOTION))
def test_promotion(name):
    fn = PROMOTION[name]
    mine, theirs = _outcome(fn, mt), _outcome(fn, torch)
    assert _same(mine, theirs), (mine, theirs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name):
    fn = CASES[name]
    mine, theirs = _outcome(fn, mt), _outcome(fn, torch)
    assert _same(mine, theirs), (mine, theirs)


@pytest.mark.parametrize("seed", range(3))
def test_random_linspace_and_arange_values(seed):
    rng = np.random.default_rng(seed)
    for _ in range(50):
        start, end = (float(v) for v in rng.uniform(-100, 100, 2))
        steps = int(rng.integers(0, 40))
        mine, theirs = mt.linspace(start, end, steps), torch.linspace(start, end, steps)
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-5)
        step = float(np.round(rng.uniform(0.05, 2), 2))
        mine, theirs = mt.arange(start, start + 20, step), torch.arange(start, start + 20, step)
        assert mine.shape == theirs.shape and mine.dtype == mt.float32
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-5)
