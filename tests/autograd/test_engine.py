"""The backward engine: gradients, accumulation, freeing, hooks, targets and its limits."""

from __future__ import annotations

import gc
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minitorch_ft as mt
from minitorch_ft.autograd.engine import unbroadcast
from minitorch_ft.autograd.function import Node, Op


def vec(*values, requires_grad=True):
    return mt.tensor(list(values), requires_grad=requires_grad)


def test_backward_with_gradient_argument():
    a = vec(1.0, 2.0, 3.0)
    (a * a).backward(mt.tensor([1.0, 0.5, -1.0]))
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0, -6.0])


def test_scalar_backward_needs_no_gradient():
    a = mt.tensor(3.0, requires_grad=True)
    (a * a * a).backward()
    assert a.grad.item() == pytest.approx(27.0)
    assert a.grad.dtype == mt.float32 and a.grad.shape == ()


def test_non_scalar_implicit_gradient_is_an_error():
    a = vec(1.0, 2.0)
    with pytest.raises(
        RuntimeError, match="^grad can be implicitly created only for scalar outputs$"
    ):
        (a * 2).backward()


def test_gradient_argument_of_wrong_shape():
    a = vec(1.0, 2.0)
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] "
            "has a shape of torch.Size([2])."
        ),
    ):
        (a * 2).backward(mt.ones(3))


def test_backward_on_tensor_without_grad():
    with pytest.raises(
        RuntimeError,
        match="^element 0 of tensors does not require grad and does not have a grad_fn$",
    ):
        (mt.ones(2) * 2).backward(mt.ones(2))


def test_gradients_accumulate_across_calls_in_place():
    a = vec(1.0, 2.0)
    (a * 3).backward(mt.ones(2))
    first = a.grad
    (a * 3).backward(mt.ones(2))
    assert a.grad is first  # torch adds into the existing .grad tensor
    np.testing.assert_allclose(a.grad.numpy(), [6.0, 6.0])
    a.grad = None
    (a * 5).backward(mt.ones(2))
    np.testing.assert_allclose(a.grad.numpy(), [5.0, 5.0])


def test_second_backward_needs_retain_graph():
    a = vec(1.0, 2.0)
    b = a * a  # Mul saves its inputs
    b.backward(mt.ones(2), retain_graph=True)
    b.backward(mt.ones(2))
    np.testing.assert_allclose(a.grad.numpy(), [4.0, 8.0])
    with pytest.raises(
        RuntimeError, match="Trying to backward through the graph a second time .*retain_graph=True"
    ):
        b.backward(mt.ones(2))


def test_graph_that_saved_nothing_can_be_reused():
    a = vec(1.0, 2.0)
    b = a + 2.0  # Add saves nothing: torch allows a second backward here
    b.backward(mt.ones(2))
    b.backward(mt.ones(2))
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])


def test_saved_values_are_freed_after_backward():
    a = vec(1.0, 2.0)
    b = a * a
    b.backward(mt.ones(2))
    assert b.grad_fn._saved is None


def test_non_leaf_grad_warns_and_is_none():
    a = vec(1.0, 2.0)
    b = a * 2
    (b * b).backward(mt.ones(2))
    with pytest.warns(
        UserWarning,
        match=r"The \.grad attribute of a Tensor that is not a leaf "
        r"Tensor is being accessed",
    ):
        assert b.grad is None


def test_retain_grad_keeps_non_leaf_grad():
    a = vec(1.0, 2.0)
    b = a * 2
    b.retain_grad()
    (b * b).backward(mt.ones(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(b.grad.numpy(), [4.0, 8.0])
    assert b.retains_grad and not a.retains_grad
    np.testing.assert_allclose(a.grad.numpy(), [8.0, 16.0])


def test_hook_on_leaf_modifies_gradient_and_can_be_removed():
    a = vec(1.0, 2.0)
    seen = []
    handle = a.register_hook(lambda g: seen.append(g.numpy().copy()) or g * 10)
    (a * 3).backward(mt.ones(2))
    np.testing.assert_allclose(a.grad.numpy(), [30.0, 30.0])
    np.testing.assert_allclose(seen[0], [3.0, 3.0])
    handle.remove()
    (a * 3).backward(mt.ones(2))
    np.testing.assert_allclose(a.grad.numpy(), [33.0, 33.0])
    assert len(seen) == 1


def test_hook_on_non_leaf_changes_what_flows_on():
    a = vec(1.0, 2.0)
    b = a * 3
    b.register_hook(lambda g: g * 10)
    observed = []
    b.register_hook(lambda g: observed.append(g.numpy().copy()))  # returns None: unchanged
    (b * b).backward(mt.ones(2))
    np.testing.assert_allclose(observed[0], [60.0, 120.0])  # sees the first hook's result
    np.testing.assert_allclose(a.grad.numpy(), [180.0, 360.0])


def test_hook_may_not_change_the_size():
    a = vec(1.0, 2.0)

    def grow(grad):
        return mt.ones(3)

    a.register_hook(grow)
    with pytest.raises(RuntimeError, match="hook 'grow' has changed the size of value"):
        (a * 2).backward(mt.ones(2))


def test_post_accumulate_grad_hook_sees_the_new_grad():
    a = vec(1.0, 2.0)
    seen = []
    handle = a.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    (a * 2).backward(mt.ones(2))
    (a * 2).backward(mt.ones(2))
    handle.remove()
    (a * 2).backward(mt.ones(2))
    assert seen == [[2.0, 2.0], [4.0, 4.0]]


def test_node_hooks_return_removable_handles():
    a = vec(1.0, 2.0)
    b = a * 2
    calls = []
    post = b.grad_fn.register_hook(lambda grad_in, grad_out: calls.append(len(grad_in)))
    pre = b.grad_fn.register_prehook(lambda grad_out: (grad_out[0] * 10,))
    b.backward(mt.ones(2), retain_graph=True)
    np.testing.assert_allclose(a.grad.numpy(), [20.0, 20.0])
    pre.remove()
    post.remove()
    b.backward(mt.ones(2))
    np.testing.assert_allclose(a.grad.numpy(), [22.0, 22.0])
    assert calls == [2]
    b.grad_fn.metadata["tag"] = 1
    assert b.grad_fn.metadata == {"tag": 1}


def test_hook_needs_requires_grad():
    with pytest.raises(
        RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"
    ):
        mt.ones(2).register_hook(lambda g: g)


def test_backward_inputs_restricts_accumulation():
    a, b = vec(1.0, 2.0), vec(3.0, 4.0)
    (a * b).backward(mt.ones(2), inputs=[a])
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 4.0])
    assert b.grad is None
    c = a * 2
    (c * c).backward(mt.ones(2), inputs=[c])  # a non-leaf input gets its .grad filled
    np.testing.assert_allclose(c.grad.numpy(), [4.0, 8.0])
    with pytest.raises(
        RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty."
    ):
        (a * 2).backward(mt.ones(2), inputs=[])


def test_autograd_grad_does_not_touch_dot_grad():
    a, b = vec(1.0, 2.0), vec(3.0, 4.0)
    out = a * a
    (ga, gb) = mt.autograd.grad(out, [a, b], grad_outputs=mt.tensor([1.0, 2.0]), allow_unused=True)
    np.testing.assert_allclose(ga.numpy(), [2.0, 8.0])
    assert gb is None and a.grad is None
    with pytest.raises(
        RuntimeError,
        match="The differentiated Tensor at index 1 appears to "
        "not have been used in the graph. Set "
        "allow_unused=True",
    ):
        mt.autograd.grad(a * a, [a, b], grad_outputs=mt.ones(2))


def test_autograd_grad_retain_graph():
    a = mt.tensor(2.0, requires_grad=True)
    out = a * a * a
    (g1,) = mt.autograd.grad(out, a, retain_graph=True)
    (g2,) = mt.autograd.grad(out, a)
    assert g1.item() == g2.item() == pytest.approx(12.0)
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second"):
        mt.autograd.grad(out, a)


def test_autograd_grad_of_non_leaf():
    a = vec(1.0, 2.0)
    b = a * 3
    (gb,) = mt.autograd.grad(b * b, b, grad_outputs=mt.ones(2))
    np.testing.assert_allclose(gb.numpy(), [6.0, 12.0])


@st.composite
def _broadcast_pair(draw):
    """Two shapes that broadcast together, with dropped leading dims and size-1 dims."""
    full = draw(st.lists(st.integers(1, 4), min_size=0, max_size=4))
    shapes = []
    for _ in range(2):
        drop = draw(st.integers(0, len(full)))
        shapes.append(tuple(1 if draw(st.booleans()) else n for n in full[drop:]))
    return shapes


@settings(max_examples=60, deadline=None)
@given(_broadcast_pair())
def test_broadcast_gradients_reduce_to_each_input(shapes):
    rng = np.random.default_rng(0)
    a = mt.tensor(rng.standard_normal(shapes[0]), dtype=mt.float64, requires_grad=True)
    b = mt.tensor(rng.standard_normal(shapes[1]), dtype=mt.float64, requires_grad=True)
    out = a * b + a
    seed = rng.standard_normal(out.shape)
    out.backward(mt.tensor(seed))
    expand_b = np.broadcast_to(b.detach().numpy(), out.shape)
    expand_a = np.broadcast_to(a.detach().numpy(), out.shape)
    np.testing.assert_allclose(a.grad.numpy(), unbroadcast(seed * (expand_b + 1), shapes[0]))
    np.testing.assert_allclose(b.grad.numpy(), unbroadcast(seed * expand_a, shapes[1]))
    assert a.grad.shape == shapes[0] and b.grad.shape == shapes[1]


def test_unbroadcast_sums_leading_and_unit_dims():
    grad = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_allclose(unbroadcast(grad, (3, 1)), grad.sum(axis=(0, 2))[:, None])
    np.testing.assert_allclose(unbroadcast(grad, ()), grad.sum())
    assert unbroadcast(grad, (2, 3, 4)) is grad


def test_next_functions_structure():
    a = vec(1.0, 2.0)
    c = a * mt.tensor([3.0, 4.0]) + a
    assert c.grad_fn.name() == "AddBackward0"
    (mul, _), (acc, index) = c.grad_fn.next_functions
    assert type(mul).__name__ == "MulBackward0" and index == 0
    assert type(acc).__name__ == "AccumulateGrad" and acc.variable is a
    assert acc.next_functions == ()
    assert mul.next_functions[0][0] is acc  # one accumulator per leaf, shared
    assert mul.next_functions[1] == (None, 0)  # the constant operand has no edge
    assert re.fullmatch(r"<AddBackward0 object at 0x[0-9a-f]+>", repr(c.grad_fn))


def test_is_leaf_rules():
    a = vec(1.0, 2.0)
    const = mt.ones(2)
    assert a.is_leaf and const.is_leaf
    assert not (a * 2).is_leaf
    assert (const * 2).is_leaf  # no input requires grad: nothing recorded
    with mt.no_grad():
        assert (a * 2).is_leaf
    assert (a * 2).detach().is_leaf


def test_detach_shares_data_and_version():
    a = vec(1.0, 2.0)
    d = a.detach()
    assert not d.requires_grad and d.grad_fn is None
    d.numpy()[0] = 5.0
    assert a.detach().numpy()[0] == 5.0
    assert d._version_counter is a._version_counter


def test_detach_in_place():
    a = vec(1.0, 2.0)
    b = a * 2
    assert b.detach_() is b
    assert b.is_leaf and not b.requires_grad


def test_deep_chain_backprops_without_recursion():
    a = mt.tensor([1.0], requires_grad=True)
    x = a
    for _ in range(100_000):
        x = x + 1.0
    x.backward(mt.ones(1))
    assert a.grad.item() == 1.0


def _train_step(w, x):
    out = (x @ w) * 0.5 - 1.0
    out.backward(mt.ones(1, 1))
    with mt.no_grad():
        w.data = w.detach() - w.grad * 0.01
    w.grad = None


def _live_nodes() -> int:
    gc.collect()
    return sum(issubclass(type(o), Node) for o in gc.get_objects())


def _live_tensors() -> int:
    return sum(issubclass(type(o), mt.Tensor) for o in gc.get_objects())


def test_ten_thousand_steps_keep_memory_flat():
    import tracemalloc

    mt.manual_seed(0)
    w = mt.randn(8, 1, requires_grad=True)
    x = mt.randn(1, 8)
    for _ in range(100):
        _train_step(w, x)
    before_nodes, before_tensors = _live_nodes(), _live_tensors()
    for _ in range(8_000):
        _train_step(w, x)
    tracemalloc.start()  # traced for the last 2,000 steps only: tracing is slow
    before, _ = tracemalloc.get_traced_memory()
    for _ in range(2_000):
        _train_step(w, x)
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert _live_nodes() <= before_nodes and _live_tensors() <= before_tensors
    # Python's free lists keep some blocks; a graph leaked per step would be ~1 MB here
    assert after - before < 256 * 1024


def test_no_graph_under_no_grad():
    a = vec(1.0, 2.0)
    before = _live_nodes()
    with mt.no_grad():
        outs = [a * 2 + 1 for _ in range(50)]
    assert all(o.grad_fn is None and not o.requires_grad for o in outs)
    assert _live_nodes() == before


class _CountingScale(Op):
    """x * 2 that counts its backward calls."""

    calls = 0

    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, grad):
        _CountingScale.calls += 1
        return grad * 2


def test_frozen_input_gets_no_grad_and_its_branch_computes_nothing():
    _CountingScale.calls = 0
    frozen = mt.tensor([1.0, 2.0])  # requires_grad=False, like a frozen weight
    trained = vec(3.0, 4.0)
    branch = _CountingScale.apply(frozen)
    assert branch.grad_fn is None  # no node: nothing there requires grad
    out = branch * trained + _CountingScale.apply(trained)
    out.backward(mt.ones(2))
    assert frozen.grad is None
    assert _CountingScale.calls == 1  # only the trained branch ran backward
    mul = out.grad_fn.next_functions[0][0]
    assert mul.needs_input_grad == (False, True)
    np.testing.assert_allclose(trained.grad.numpy(), [4.0, 6.0])


def _inplace_error(producer: str) -> str:
    return re.escape(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [torch.FloatTensor [2]]{producer} is at version 1; expected "
        "version 0 instead. Hint: enable anomaly detection"
    )


def test_modified_saved_tensor_raises_torchs_error():
    if not hasattr(mt.Tensor, "mul_"):
        pytest.skip("in-place ops not available yet")
    a = vec(1.0, 2.0)
    b = a * 1
    c = b * b
    b.mul_(2)
    with pytest.raises(RuntimeError, match=_inplace_error(", which is output 0 of Mul,")):
        c.backward(mt.ones(2))
    frozen = mt.tensor([1.0, 2.0])
    d = frozen * a
    frozen.add_(1)
    with pytest.raises(RuntimeError, match=_inplace_error("")):
        d.backward(mt.ones(2))


def test_version_check_in_core():
    """The engine-level check behind in-place errors, independent of the in-place ops."""
    a = vec(1.0, 2.0)
    b = a.exp()
    b.numpy(force=True)[0] = 0.0
    b._version_counter.value += 1
    with pytest.raises(RuntimeError, match=_inplace_error(", which is output 0 of Exp,")):
        b.backward(mt.ones(2))


def test_backward_restores_grad_mode_and_numpy_error_state_when_a_hook_raises():
    """backward switches both by hand (no context managers): a failure must undo both."""
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).sum()

    def failing_hook(grad):
        raise ValueError("hook failed")

    x.register_hook(failing_hook)
    before = np.geterr()
    with np.errstate(divide="raise"):
        with pytest.raises(ValueError, match="hook failed"):
            y.backward()
        assert np.geterr()["divide"] == "raise"
    assert mt.is_grad_enabled()
    assert np.geterr() == before


def test_backward_runs_hooks_with_grad_mode_off_and_fp_warnings_quiet():
    seen = {}
    x = mt.tensor([0.0, 1.0], requires_grad=True)

    def hook(grad):
        seen["grad_enabled"] = mt.is_grad_enabled()
        seen["divide"] = np.geterr()["divide"]

    x.register_hook(hook)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning would fail the test
        x.log().sum().backward()  # 1/0 in log's backward: inf, quietly (as torch)
    assert seen == {"grad_enabled": False, "divide": "ignore"}
    assert x.grad.tolist() == [float("inf"), 1.0]


def test_gradcheck_perturbs_a_non_contiguous_input_in_place():
    base = mt.tensor(np.arange(6.0).reshape(2, 3), dtype=mt.float64)
    x = base.t().requires_grad_()  # a transposed leaf: its array is not C-contiguous
    assert mt.autograd.gradcheck(lambda t: (t * t).sum(), (x,))
