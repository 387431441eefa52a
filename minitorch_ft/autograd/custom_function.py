"""User-defined differentiable ops: `Function`, its `FunctionCtx` and `once_differentiable`."""

from __future__ import annotations

import weakref

import numpy as np

from . import grad_mode
from .function import _NO_EDGE, Node, _edge, move_retained_grad
from .tensor import INFERENCE_SAVED_ERROR, Tensor


class FunctionCtx(Node):
    """The ctx of a user-defined Function: saved tensors, flags and attributes."""

    __slots__ = ("_saved_tensors", "_materialize", "_non_differentiable", "_dirty")

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{type(self).__name__} object at {id(self):#x}>"

    def save_for_backward(self, *tensors) -> None:
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{i} is of type {type(t).__name__}"
                )
        self._saved_tensors = tensors
        self._saved = tuple(t._data for t in tensors if isinstance(t, Tensor))
        self._saved_versions = [
            (t._version_counter, t._version_counter.value, t.shape, t._data.dtype, weakref.ref(t))
            for t in tensors
            if isinstance(t, Tensor)
        ] or None

    @property
    def saved_tensors(self) -> tuple:
        self.saved  # noqa: B018 - raises when freed or modified in place
        return getattr(self, "_saved_tensors", ())

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_differentiable = {id(t) for t in tensors}

    def mark_dirty(self, *tensors) -> None:
        """Declare inputs that forward modified in place (and returns as outputs)."""
        self._dirty = {id(t) for t in tensors}

    def set_materialize_grads(self, value: bool) -> None:
        self._materialize = value


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs) -> None:
        super().__init__(name, bases, attrs)
        cls._backward_cls = type(
            f"{name}Backward",
            (FunctionCtx,),
            {"__slots__": (), "_fn": cls, "_backward": staticmethod(cls._run_backward)},
        )


class Function(metaclass=_FunctionMeta):
    """User-defined differentiable op, as `torch.autograd.Function`.

    Subclass it with static `forward(ctx, *args)` and `backward(ctx, *grad_outputs)` written
    with Tensor operations, and call `MyFn.apply(*args)`.
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD."
        )

    @staticmethod
    def setup_context(ctx, inputs, output):
        """Override to use torch 2.x's style: `forward(*args)` without ctx, then this."""
        raise NotImplementedError("setup_context is not implemented.")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = cls._backward_cls()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        ctx._materialize = True
        ctx._non_differentiable = ctx._dirty = ()
        with grad_mode.no_grad():
            if cls.setup_context is not Function.setup_context:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        record = grad_mode._state.enabled and any(ctx.needs_input_grad)
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        for o in outs:
            if id(o) not in ctx._dirty:
                continue
            if o.grad_fn is None and o._requires_grad and grad_mode._state.enabled:
                raise RuntimeError(
                    "a leaf Variable that requires grad has been used in an in-place operation."
                )
            o._version_counter.value += 1  # torch counts mark_dirty as one more in-place change
        if record:
            if any(t.is_inference() for t in getattr(ctx, "_saved_tensors", ()) if t is not None):
                raise RuntimeError(INFERENCE_SAVED_ERROR)
            # backward receives zeros for the non-differentiable outputs, as in torch
            differentiable = [
                isinstance(o, Tensor)
                and id(o) not in ctx._non_differentiable
                and o._data.dtype.kind == "f"
                for o in outs
            ]
            record = any(differentiable)  # no differentiable output: nothing to record
        if record:
            if sum(differentiable) != 1:
                raise NotImplementedError(
                    "minitorch_ft Functions support exactly one differentiable Tensor output"
                )
            ctx._outputs = tuple(
                (o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None for o in outs
            )
            ctx._output_index = differentiable.index(True)
            ctx._edges = tuple(_edge(a) if isinstance(a, Tensor) else _NO_EDGE for a in args)
            ctx._shapes = tuple(a.shape if isinstance(a, Tensor) else None for a in args)
            wrapped = []
            for o, diff in zip(outs, differentiable, strict=True):
                if diff and id(o) in ctx._dirty:
                    old_node = o.grad_fn
                    o.grad_fn, o._requires_grad = ctx, True  # rebased in place (mark_dirty)
                    move_retained_grad(o, old_node)
                elif diff:
                    # The output is a new node's result even when forward returned an input.
                    o = Tensor._wrap(o._data, o._data.dtype.kind == "f", ctx, o._version_counter)
                wrapped.append(o)
            outs = tuple(wrapped)
        return outs[0] if single else outs

    @classmethod
    def _run_backward(cls, ctx, grad: np.ndarray):
        grads = [
            None if o is None or not ctx._materialize else Tensor._wrap(np.zeros(*o))
            for o in ctx._outputs
        ]
        grads[ctx._output_index] = Tensor._wrap(grad)
        result = cls.backward(ctx, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        name = type(ctx).__name__
        n_inputs = len(ctx._shapes)
        if len(result) > n_inputs and all(g is None for g in result[n_inputs:]):
            result = result[:n_inputs]  # trailing Nones are ignored, as in torch
        if len(result) != n_inputs:
            raise RuntimeError(
                f"function {name} returned an incorrect number of gradients (expected "
                f"{len(ctx._shapes)}, got {len(result)})"
            )
        arrays = []
        for i, (g, shape) in enumerate(zip(result, ctx._shapes, strict=True)):
            if g is not None:
                if not isinstance(g, Tensor):
                    raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
                g = g._data
                if shape is not None and not _expandable(shape, g.shape):
                    raise RuntimeError(
                        f"Function {name} returned an invalid gradient at index {i} - got "
                        f"{list(g.shape)} but expected shape compatible with {list(shape)}"
                    )
            arrays.append(g)
        return tuple(arrays)


def _expandable(shape: tuple, target: tuple) -> bool:
    """True when `shape` broadcasts to exactly `target` (torch's is_expandable_to)."""
    if len(shape) > len(target):
        return False
    return all(s in (1, t) for s, t in zip(reversed(shape), reversed(target), strict=False))


class once_differentiable:  # noqa: N801 - PyTorch's name
    """Accepted for compatibility: backward here never builds a graph anyway."""

    def __new__(cls, fn):
        return fn
