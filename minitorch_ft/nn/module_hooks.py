"""Module hooks (torch.nn.Module's semantics): forward pre-hooks, forward hooks, full
backward (pre-)hooks and the deprecated non-full backward hook.

Kept apart from module.py: this file is only about running and registering hooks.

A full backward hook sees one call's gradients all at once, as PyTorch's single
multi-output BackwardHookFunction node does. Graph nodes here have one output each, so each
side (the positional tensor inputs, and the tensor outputs) gets a hub node with an edge to
every tensor of that side, and one tap node per tensor (the tensor's grad_fn, named
BackwardHookFunctionBackward). Taps stash their gradient and pass a dummy 0-d gradient to
the hub; the engine runs the hub once every reached tap has run, and the hub runs the hooks
and hands the real gradients on (zeros for tensors that got none, as PyTorch materialises).
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Callable

import numpy as np

from ..autograd import grad_mode
from ..autograd.function import Op
from ..autograd.hooks import RemovableHandle
from ..autograd.tensor import Tensor, check_hook_result

_NO_INPUT_GRAD_WARNING = (
    "Full backward hook is firing when gradients are computed with respect to module outputs "
    "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
    "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details."
)
_MIXED_HOOKS = (
    "Cannot use both regular backward hooks and full backward hooks on a single Module. "
    "Please use only one of them."
)
_INPLACE_ONE = (
    "Output {} of BackwardHookFunction is a view and is being modified inplace. This view was "
    "created inside a custom Function (or because an input was returned as-is) and the "
    "autograd logic to handle view+inplace would override the custom backward associated "
    "with the custom Function, leading to incorrect gradients. This behavior is forbidden. "
    "You can fix this by cloning the output of the custom Function."
)
_INPLACE_MANY = (
    "Output {} of BackwardHookFunction is a view and is being modified inplace. This view is "
    "the output of a function that returns multiple views. Such functions do not allow the "
    "output views to be modified inplace. You should replace the inplace operation by an "
    "out-of-place one."
)
# torch names the closure that checks a hook's returned gradients "hook"
_TORCH_HOOK = types.SimpleNamespace(__name__="hook")


class _HookHub(Op):
    """Joins the hooked tensors of one side; its backward runs once per backward pass."""

    grad_fn_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, *arrays, side):
        ctx.side = side
        return np.zeros((), np.float32)

    @staticmethod
    def backward(ctx, grad):
        return ctx.side.release()


class _HookTap(Op):
    """y = x (sharing x's memory); backward stashes the gradient for the hub."""

    grad_fn_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, token, x, *, side, index):
        ctx.side = side
        ctx.index = index
        # read by in-place ops: torch forbids writing into a custom Function's view output
        ctx.inplace_error = (_INPLACE_MANY if len(side.metas) > 1 else _INPLACE_ONE).format(index)
        return x

    @staticmethod
    def backward(ctx, grad):
        ctx.side.grads[ctx.index] = grad
        return np.zeros((), np.float32), None


# A tap lists what the hub lists, as torch's one node lists every hooked tensor's edge.
_HookTap._node_type = type(
    "BackwardHookFunctionBackward",
    (_HookTap._node_type,),
    {"__slots__": (), "next_functions": property(lambda n: n._edges[0][0].next_functions)},
)


def _wrap(grads) -> tuple:
    return tuple(None if g is None else Tensor._wrap(g) for g in grads)


class _Side:
    """The tensors of one side of one call: where they sit, their gradients this pass."""

    def __init__(self, call, items: tuple, positions: list, on_grads) -> None:
        self.call = call
        self.size = len(items)
        self.positions = positions
        self.metas = [(items[i]._data.shape, items[i]._data.dtype) for i in positions]
        self.grads: list = [None] * len(positions)
        self.on_grads = on_grads

    def wrap(self, items: tuple) -> tuple:
        tensors = [items[i] for i in self.positions]
        token = _HookHub.apply(*tensors, side=self)
        wrapped = list(items)
        for k, (i, t) in enumerate(zip(self.positions, tensors, strict=True)):
            if t._requires_grad:
                out = _HookTap.apply(token, t._data, side=self, index=k)
                out._version_counter = t._version_counter  # a view of t, like torch's output
                out._base = t._base if t._base is not None else t
                wrapped[i] = out
        return tuple(wrapped)

    def release(self) -> tuple:
        grads, self.grads = self.grads, [None] * len(self.grads)
        # each gradient in its tensor's dtype, as torch's engine casts it
        grads = [
            g if g is None or g.dtype == dtype else g.astype(dtype)
            for g, (_, dtype) in zip(grads, self.metas, strict=True)
        ]
        return tuple(self.on_grads(grads))

    def pack(self, values) -> tuple:
        """One entry per argument (or output), None where it is not a tensor."""
        packed = [None] * self.size
        for i, v in zip(self.positions, values, strict=True):
            packed[i] = v
        return tuple(packed)

    def unpack(self, packed, originals) -> list:
        """The tensors' entries of a hook's result, checked as torch checks hook results."""
        arrays = []
        for i, old in zip(self.positions, originals, strict=True):
            new = packed[i]
            if new is None:
                arrays.append(None)
                continue
            if old is None:
                if not isinstance(new, Tensor):
                    raise TypeError(f"expected Variable, but hook returned '{type(new).__name__}'")
            else:
                check_hook_result(_TORCH_HOOK, new, old)
            arrays.append(new._data)
        return arrays


class _BackwardHookCall:
    """One forward call's full backward hooks (torch's BackwardHook)."""

    def __init__(self, module, full_hooks: list, pre_hooks: list) -> None:
        self.module = module
        self.full_hooks = full_hooks
        self.pre_hooks = pre_hooks
        self.inputs: _Side | None = None
        self.outputs: _Side | None = None
        self.n_inputs = 0
        self.grad_outputs = None  # set by the output side, consumed by the input side

    def wrap_inputs(self, args: tuple) -> tuple:
        self.n_inputs = len(args)
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        if not grad_mode.is_grad_enabled() or not any(args[i]._requires_grad for i in positions):
            return args
        self.inputs = _Side(self, args, positions, self._input_grads)
        return self.inputs.wrap(args)

    def wrap_outputs(self, output):
        if not isinstance(output, (Tensor, tuple)):
            warnings.warn(
                "For backward hooks to be called, module output should be a Tensor or a tuple "
                f"of Tensors but received {type(output)}",
                stacklevel=4,
            )
            return output
        items = output if isinstance(output, tuple) else (output,)
        positions = [i for i, o in enumerate(items) if isinstance(o, Tensor)]
        if not grad_mode.is_grad_enabled() or not any(items[i]._requires_grad for i in positions):
            return output
        self.outputs = _Side(self, items, positions, self._output_grads)
        wrapped = self.outputs.wrap(items)
        if isinstance(output, Tensor):
            return wrapped[0]
        return wrapped if type(output) is tuple else type(output)(*wrapped)

    def _output_grads(self, grads: list) -> list:
        outputs = self.outputs
        packed = outputs.pack(_wrap(grads))
        for hook in self.pre_hooks:
            result = hook(self.module, packed)
            if result is None:
                continue
            if len(result) != len(packed):
                raise RuntimeError(
                    "Backward pre hook returned an invalid number of grad_output, got "
                    f"{len(result)}, but expected {len(packed)}"
                )
            packed = result
        self.grad_outputs = packed
        if self.inputs is None:
            warnings.warn(_NO_INPUT_GRAD_WARNING, stacklevel=2)
            grad_inputs = (None,) * self.n_inputs
            for hook in self.full_hooks:
                result = hook(self.module, grad_inputs, packed)
                if result is not None and not (
                    isinstance(result, tuple) and all(r is None for r in result)
                ):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should "
                        "always return None or None for all gradients."
                    )
            self.grad_outputs = None
        arrays = outputs.unpack(packed, grads)
        return [  # as torch, a missing gradient reaches the output's graph as zeros
            np.zeros(*meta) if a is None else a
            for a, meta in zip(arrays, outputs.metas, strict=True)
        ]

    def _input_grads(self, grads: list) -> list:
        side = self.inputs
        grads = [np.zeros(*m) if g is None else g for g, m in zip(grads, side.metas, strict=True)]
        if self.grad_outputs is None:  # the gradient did not come through the outputs
            return grads
        packed = side.pack(_wrap(grads))
        for hook in self.full_hooks:
            result = hook(self.module, packed, self.grad_outputs)
            if result is None:
                continue
            if len(result) != len(packed):
                raise RuntimeError(
                    "Backward hook returned an invalid number of grad_input, got "
                    f"{len(result)}, but expected {len(packed)}"
                )
            packed = result
        self.grad_outputs = None
        return side.unpack(packed, grads)


def _first_tensor(value):
    """The tensor torch hangs non-full backward hooks on: first of dicts and sequences."""
    while not isinstance(value, Tensor):
        if isinstance(value, dict):
            value = next(v for v in value.values() if isinstance(v, Tensor))
        else:
            value = value[0]
    return value


def _non_full_warning(args: tuple, output, grad_fn) -> str | None:
    """Which of torch's deprecation warnings a non-full backward hook's forward gets."""
    outputs = (output,) if isinstance(output, Tensor) else output
    if not (isinstance(outputs, tuple) and all(isinstance(o, Tensor) for o in outputs)):
        return (
            "Using non-full backward hooks on a Module that does not return a single Tensor or "
            "a tuple of Tensors is deprecated and will be removed in future versions. This hook "
            "will be missing some of the grad_output. Please use register_full_backward_hook to "
            "get the documented behavior."
        )
    if not all(isinstance(a, Tensor) for a in args):
        return (
            "Using non-full backward hooks on a Module that does not take as input a single "
            "Tensor or a tuple of Tensors is deprecated and will be removed in future versions. "
            "This hook will be missing some of the grad_input. Please use "
            "register_full_backward_hook to get the documented behavior."
        )
    output_fns = {o.grad_fn for o in outputs if o.grad_fn is not None}
    if not output_fns or (len(output_fns) == 1 and grad_fn not in output_fns):
        return (
            "Using a non-full backward hook when outputs are nested in python data structure is "
            "deprecated and will be removed in future versions. This hook will be missing some "
            "grad_output."
        )
    if len(output_fns) > 1:
        return (
            "Using a non-full backward hook when outputs are generated by different autograd "
            "Nodes is deprecated and will be removed in future versions. This hook will be "
            "missing some grad_output. Please use register_full_backward_hook to get the "
            "documented behavior."
        )
    input_fns = {a.grad_fn for a in args if a.grad_fn is not None}
    if input_fns != {fn for fn, _ in grad_fn.next_functions}:
        return (
            "Using a non-full backward hook when the forward contains multiple autograd Nodes "
            "is deprecated and will be removed in future versions. This hook will be missing "
            "some grad_input. Please use register_full_backward_hook to get the documented "
            "behavior."
        )
    return None


def _register_non_full_hooks(module, args: tuple, output) -> None:
    """The deprecated `register_backward_hook`: each hook becomes a hook on the grad_fn of
    the output's first tensor, seeing that one node's gradients (torch's behaviour)."""
    grad_fn = _first_tensor(output).grad_fn
    if grad_fn is None:
        return
    for hook in module._backward_hooks.values():
        grad_fn.register_hook(_NodeHook(module, hook))
    message = _non_full_warning(args, output, grad_fn)
    if message is not None:
        warnings.warn(message, FutureWarning, stacklevel=4)


class _NodeHook:
    """`hook(module, grad_input, grad_output)` as a graph-node hook; named like the user's
    hook, since torch's errors about a hook's result name it."""

    def __init__(self, module, hook) -> None:
        self.module = module
        self.hook = hook
        self.__name__ = getattr(hook, "__name__", "<unknown>")

    def __call__(self, grad_input, grad_output):
        return self.hook(self.module, grad_input, grad_output)


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
            backward_call = None
            full_hooks = self._full_backward_hooks()
            if full_hooks or self._backward_pre_hooks:
                pre_hooks = list(self._backward_pre_hooks.values())
                backward_call = _BackwardHookCall(self, full_hooks, pre_hooks)
                args = backward_call.wrap_inputs(args)
            output = self.forward(*args, **kwargs)
            for hook_id, hook in tuple(self._forward_hooks.items()):
                called.add(hook_id)
                if hook_id in self._forward_hooks_with_kwargs:
                    result = hook(self, args, kwargs, output)
                else:
                    result = hook(self, args, output)
                if result is not None:
                    output = result
            if backward_call is not None:
                output = backward_call.wrap_outputs(output)
            if self._backward_hooks and self._is_full_backward_hook is False:
                _register_non_full_hooks(self, args, output)
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

    _is_full_backward_hook: bool | None = None  # which kind of backward hook was registered

    def _full_backward_hooks(self) -> list:
        if self._backward_hooks and self._is_full_backward_hook:
            return list(self._backward_hooks.values())
        return []

    def register_backward_hook(self, hook: Callable) -> RemovableHandle:
        """Deprecated: `hook(module, grad_input, grad_output)` on the output's grad_fn only
        (torch warns at forward time when that misses gradients)."""
        if self._is_full_backward_hook is True:
            raise RuntimeError(_MIXED_HOOKS)
        self._is_full_backward_hook = False
        return RemovableHandle.add(self._backward_hooks, hook)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """`hook(module, grad_input, grad_output)` runs once the gradients with respect to
        the module's positional tensor inputs are computed; it may return new grad_input."""
        if self._is_full_backward_hook is False:
            raise RuntimeError(_MIXED_HOOKS)
        self._is_full_backward_hook = True
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
