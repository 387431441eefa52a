"""Module hooks (torch.nn.Module's semantics): forward pre-hooks, forward hooks, and full
backward (pre-)hooks.

Kept apart from module.py: this file is only about running and registering hooks.
Backward hooks put an identity node (BackwardHookFunctionBackward, as in PyTorch) on each
input and output tensor; the input nodes fire the hooks once every input gradient is in.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from ..autograd import grad_mode
from ..autograd.function import Op
from ..autograd.hooks import RemovableHandle
from ..autograd.tensor import Tensor

_NO_INPUT_GRAD_WARNING = (
    "Full backward hook is firing when gradients are computed with respect to module outputs "
    "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
    "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details."
)


class _HookIdentity(Op):
    """y = x; backward hands the gradient to a callback that may replace it."""

    grad_fn_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, x, *, on_grad):
        ctx.on_grad = on_grad
        return x

    @staticmethod
    def backward(ctx, grad):
        return ctx.on_grad(grad)


def _wrap(grads) -> tuple:
    return tuple(None if g is None else Tensor._wrap(g) for g in grads)


class _BackwardHookState:
    """One forward call's bookkeeping: gradients seen so far at its outputs and inputs."""

    def __init__(self, module, args: tuple) -> None:
        self.module = module
        self.grad_inputs = [None] * len(args)
        self.grad_outputs: list = []
        self.inputs_pending = 0
        self.outputs_pending = 0

    def wrap_inputs(self, args: tuple) -> tuple:
        wrapped = []
        for i, a in enumerate(args):
            if isinstance(a, Tensor) and a.requires_grad:
                self.inputs_pending += 1
                a = _HookIdentity.apply(a, on_grad=lambda g, i=i: self._input_grad(i, g))
            wrapped.append(a)
        return tuple(wrapped)

    def wrap_outputs(self, output):
        single = isinstance(output, Tensor)
        outs = (output,) if single else output
        if not isinstance(outs, tuple):
            return output
        self.grad_outputs = [None] * len(outs)
        wrapped = []
        for j, o in enumerate(outs):
            if isinstance(o, Tensor) and o.requires_grad:
                self.outputs_pending += 1
                o = _HookIdentity.apply(o, on_grad=lambda g, j=j: self._output_grad(j, g))
            wrapped.append(o)
        return wrapped[0] if single else tuple(wrapped)

    def _output_grad(self, j: int, grad):
        self.grad_outputs[j] = grad
        self.outputs_pending -= 1
        if self.outputs_pending:
            return grad
        for hook in tuple(self.module._backward_pre_hooks.values()):
            result = hook(self.module, _wrap(self.grad_outputs))
            if result is not None:
                result = (result,) if isinstance(result, Tensor) else tuple(result)
                self.grad_outputs = [None if r is None else r._data for r in result]
        if not self.inputs_pending and self.module._backward_hooks:
            warnings.warn(_NO_INPUT_GRAD_WARNING, UserWarning, stacklevel=2)
            self._run_hooks()
        return self.grad_outputs[j]

    def _input_grad(self, i: int, grad):
        self.grad_inputs[i] = grad
        self.inputs_pending -= 1
        if not self.inputs_pending:
            self._run_hooks()
        return self.grad_inputs[i]

    def _run_hooks(self) -> None:
        for hook in tuple(self.module._backward_hooks.values()):
            result = hook(self.module, _wrap(self.grad_inputs), _wrap(self.grad_outputs))
            if result is not None:
                result = (result,) if isinstance(result, Tensor) else tuple(result)
                self.grad_inputs = [None if r is None else r._data for r in result]


class ForwardHooksMixin:
    """`register_forward_pre_hook`, `register_forward_hook` and the call path that runs them."""

    def _call_with_hooks(self, args: tuple, kwargs: dict):
        """Forward pre-hooks, forward, then forward hooks, each able to replace values."""
        called = set()
        try:
            for hook_id, hook in tuple(self._forward_pre_hooks.items()):
                if hook_id in self._forward_pre_hooks_with_kwargs:
                    result = hook(self, args, kwargs)
                    if result is not None:
                        if not (isinstance(result, tuple) and len(result) == 2):
                            raise RuntimeError(
                                "forward pre-hook must return None or a tuple of (new_args, "
                                f"new_kwargs), but got {result}."
                            )
                        args, kwargs = result
                else:
                    result = hook(self, args)
                    if result is not None:
                        args = result if isinstance(result, tuple) else (result,)
            backward_state = None
            if (self._backward_hooks or self._backward_pre_hooks) and grad_mode.is_grad_enabled():
                backward_state = _BackwardHookState(self, args)
                args = backward_state.wrap_inputs(args)
            output = self.forward(*args, **kwargs)
            for hook_id, hook in tuple(self._forward_hooks.items()):
                called.add(hook_id)
                if hook_id in self._forward_hooks_with_kwargs:
                    result = hook(self, args, kwargs, output)
                else:
                    result = hook(self, args, output)
                if result is not None:
                    output = result
            if backward_state is not None:
                output = backward_state.wrap_outputs(output)
            return output
        except Exception:
            # always_call hooks still run when forward (or an earlier hook) failed.
            for hook_id, hook in tuple(self._forward_hooks.items()):
                if hook_id in self._forward_hooks_always_called and hook_id not in called:
                    try:
                        if hook_id in self._forward_hooks_with_kwargs:
                            hook(self, args, kwargs, None)
                        else:
                            hook(self, args, None)
                    except Exception:  # noqa: S110 - the original error is the one to show
                        pass
            raise

    def register_forward_pre_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """`hook(module, args)` (or `(module, args, kwargs)`) runs before forward."""
        handle = RemovableHandle(
            self._forward_pre_hooks, extra_dict=self._forward_pre_hooks_with_kwargs
        )
        self._forward_pre_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_forward_hook(
        self,
        hook: Callable,
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """`hook(module, args, output)` runs after forward and may replace the output."""
        handle = RemovableHandle(
            self._forward_hooks,
            extra_dict=[self._forward_hooks_with_kwargs, self._forward_hooks_always_called],
        )
        self._forward_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        if prepend:
            self._forward_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """`hook(module, grad_input, grad_output)` runs once the gradients with respect to
        the module's positional tensor inputs are computed; it may return new grad_input."""
        handle = RemovableHandle(self._backward_hooks)
        self._backward_hooks[handle.id] = hook
        if prepend:
            self._backward_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_pre_hook(
        self, hook: Callable, prepend: bool = False
    ) -> RemovableHandle:
        """`hook(module, grad_output)` runs when the output gradients are known; it may
        return replacements for them."""
        handle = RemovableHandle(self._backward_pre_hooks)
        self._backward_pre_hooks[handle.id] = hook
        if prepend:
            self._backward_pre_hooks.move_to_end(handle.id, last=False)
        return handle
