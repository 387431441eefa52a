"""Thread-local grad modes: `no_grad`, `enable_grad`, `set_grad_enabled`, `inference_mode`.

Each is a context manager and a decorator, like `torch.autograd.grad_mode`.
"""

from __future__ import annotations

import functools
import inspect
import threading
import warnings


class _GradState(threading.local):
    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


_state = _GradState()


class _InferenceUsers:
    """How many `inference_mode()` blocks are open, in any thread. Ops read this plain
    counter first and the thread-local flag only when it is non-zero: a thread-local read
    costs about 0.1 us, which every untracked op and new tensor would otherwise pay."""

    count = 0
    lock = threading.Lock()


inference_users = _InferenceUsers()


def in_inference_mode() -> bool:
    """True inside `inference_mode()` in this thread (cheap when no block is open)."""
    return bool(inference_users.count) and _state.inference


def is_grad_enabled() -> bool:
    """True when operations are being recorded for backward."""
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    """True inside `inference_mode()`."""
    return _state.inference


class _DecoratorContextManager:
    """Lets a grad-mode object wrap functions and generators as well as `with` blocks."""

    def __call__(self, func):
        if inspect.isclass(func):  # deprecated in torch: the class becomes a factory function
            warnings.warn(
                "Decorating classes is deprecated and will be disabled in future versions. You "
                "should only decorate functions or methods. To preserve the current behavior "
                "of class decoration, you can directly decorate the `__init__` method and "
                "nothing else.",
                FutureWarning,
                stacklevel=2,
            )
            cls = func

            def func(*args, **kwargs):
                return cls(*args, **kwargs)

        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def gen_wrapper(*args, **kwargs):
                gen = func(*args, **kwargs)
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    try:
                        with self.clone():
                            response = gen.send(request)
                    except StopIteration as stop:
                        return stop.value

            return gen_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return self.__class__()


class _NoParamDecorator(_DecoratorContextManager):
    """Also usable bare, `@no_grad` without parentheses, as in PyTorch 2.x."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamDecorator):  # noqa: N801 - PyTorch's name
    """Disable gradient recording: results of operations have requires_grad=False."""

    def __enter__(self) -> None:
        self.prev = _state.enabled
        _state.enabled = False

    def __exit__(self, *exc) -> None:
        _state.enabled = self.prev


class enable_grad(_NoParamDecorator):  # noqa: N801 - PyTorch's name
    """Re-enable gradient recording inside a no_grad block."""

    def __enter__(self) -> None:
        self.prev = _state.enabled
        _state.enabled = True

    def __exit__(self, *exc) -> None:
        _state.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):  # noqa: N801 - PyTorch's name
    """Set grad mode to `mode`; takes effect immediately, like torch.set_grad_enabled."""

    def __init__(self, mode: bool) -> None:
        self.prev = _state.enabled
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __call__(self, func):
        _state.enabled = self.prev  # as a decorator it changes nothing until the call
        return super().__call__(func)

    def __enter__(self) -> None:
        _state.enabled = self.mode

    def __exit__(self, *exc) -> None:
        _state.enabled = self.prev

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):  # noqa: N801 - PyTorch's name
    """Like no_grad (nothing recorded); `inference_mode(False)` is a no-op block."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # used bare: `@inference_mode`

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        self.prev = (_state.enabled, _state.inference)
        with inference_users.lock:
            inference_users.count += 1
        if self.mode:
            _state.enabled = False
            _state.inference = True

    def __exit__(self, *exc) -> None:
        _state.enabled, _state.inference = self.prev
        with inference_users.lock:
            inference_users.count -= 1

    def clone(self):
        return self.__class__(self.mode)
