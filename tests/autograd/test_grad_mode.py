"""Grad modes: context managers, decorators (with and without parentheses), threads."""

from __future__ import annotations

import threading

import pytest

import minitorch_ft as mt


@pytest.fixture
def a():
    return mt.tensor([1.0, 2.0], requires_grad=True)


def test_no_grad_context(a):
    with mt.no_grad():
        assert not mt.is_grad_enabled()
        y = a * 2
    assert mt.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_mode_restored_after_exception(a):
    with pytest.raises(ValueError), mt.no_grad():
        raise ValueError
    assert mt.is_grad_enabled()


# factories: set_grad_enabled(False) switches grad off when built, so build it in the test
@pytest.mark.parametrize(
    "make",
    [
        mt.no_grad,
        lambda: mt.no_grad,
        mt.inference_mode,
        lambda: mt.inference_mode,
        lambda: mt.set_grad_enabled(False),
    ],
)
def test_decorators_disable_recording(a, make):
    decorator = make()

    @decorator
    def double(x):
        """Docstring kept by functools.wraps."""
        return x * 2

    assert mt.is_grad_enabled()  # decorating alone changes nothing
    assert not double(a).requires_grad
    assert mt.is_grad_enabled()
    assert double.__doc__ == "Docstring kept by functools.wraps."


@pytest.mark.parametrize("decorator", [mt.enable_grad(), mt.enable_grad])
def test_enable_grad_decorator_inside_no_grad(a, decorator):
    @decorator
    def double(x):
        return x * 2

    with mt.no_grad():
        assert double(a).requires_grad
        assert not mt.is_grad_enabled()


def test_generator_decorated_with_no_grad(a):
    @mt.no_grad()
    def gen():
        yield a * 2
        yield mt.is_grad_enabled()

    first, enabled = list(gen())
    assert not first.requires_grad and enabled is False
    assert mt.is_grad_enabled()


def test_nested_modes(a):
    with mt.no_grad():
        with mt.enable_grad():
            inner = a * 2
        middle = a * 2
        with mt.set_grad_enabled(True):
            switched = a * 2
    assert inner.requires_grad and not middle.requires_grad and switched.requires_grad
    assert mt.is_grad_enabled()


def test_set_grad_enabled_as_a_function(a):
    mt.set_grad_enabled(False)
    try:
        assert not mt.is_grad_enabled()
        assert not (a * 2).requires_grad
    finally:
        mt.set_grad_enabled(True)
    assert (a * 2).requires_grad


def test_set_grad_enabled_context(a):
    with mt.set_grad_enabled(False):
        assert not (a * 2).requires_grad
    with mt.set_grad_enabled(True):
        assert (a * 2).requires_grad
    assert mt.is_grad_enabled()


def test_inference_mode(a):
    with mt.inference_mode():
        assert mt.is_inference_mode_enabled() and not mt.is_grad_enabled()
        assert not (a * 2).requires_grad
    assert not mt.is_inference_mode_enabled()
    with mt.inference_mode(False):
        assert (a * 2).requires_grad


def test_grad_mode_is_thread_local(a):
    seen = []

    def worker():
        seen.append((mt.is_grad_enabled(), (a * 2).requires_grad))

    with mt.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen == [(True, True)]


def test_autograd_namespace_exports():
    assert mt.autograd.no_grad is mt.no_grad
    assert mt.autograd.is_grad_enabled is mt.is_grad_enabled
    assert mt.autograd.set_grad_enabled is mt.set_grad_enabled
