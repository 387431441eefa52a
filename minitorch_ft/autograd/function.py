"""Graph nodes and the two ways to define a differentiable op.

`Op` is the internal base: `forward(ctx, *arrays)` / `backward(ctx, grad)` on numpy arrays,
the hot path of every built-in op. `Function`, PyTorch's public API for user-defined ops
(`torch.autograd.Function`), lives in custom_function.py and is importable from here too.
"""

from __future__ import annotations

import re
import weakref
from collections import OrderedDict

import numpy as np

from . import grad_mode
from .dtypes import TENSOR_TYPE_NAMES
from .hooks import RemovableHandle
from .tensor import INFERENCE_SAVED_ERROR, InferenceCounter, Tensor, VersionCounter

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Node:
    """A recorded operation (`grad_fn`): edges to its inputs' nodes and what backward needs.

    The node is also the `ctx` its op's forward and backward receive.
    """

    __slots__ = ("_edges", "needs_input_grad", "_shapes", "__dict__", "__weakref__")
    # Class defaults rather than an __init__: a node is created per recorded op.
    _saved = ()
    _saved_versions = None
    _pre_hooks = None
    _retained = None
    _hooks = None
    _fresh = False  # see Op.fresh_grads
    _listed = None  # see Op.listed_inputs

    def name(self) -> str:
        """PyTorch's name of this node, e.g. 'AddBackward0'."""
        return type(self).__name__

    @property
    def next_functions(self) -> tuple:
        """`((node_or_None, 0), ...)` for the inputs PyTorch lists: tensor arguments (and the
        python numbers of `x + 2`-style ops), not dims or options. The engine reads `_edges`,
        which has one entry per positional argument."""
        listed = self._listed
        if listed is None:
            return tuple(e for e in self._edges if e is not _NO_EDGE)
        return tuple(self._edges[i] for i in listed if i < len(self._edges))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"

    def save_for_backward(self, *arrays) -> None:
        """Keep arrays for backward; freed after backward unless the graph is retained."""
        self._saved = arrays

    @property
    def saved(self) -> tuple:
        """The saved arrays, checked: not freed, not modified in place since they were saved."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(_FREED_MESSAGE)
        if self._saved_versions is not None:
            for counter, version, shape, np_dtype, producer in self._saved_versions:
                if counter.value != version:
                    tensor = producer() if callable(producer) else None
                    if tensor is not None:  # torch names the tensor as it is now (after t_)
                        shape = tensor._data.shape
                        fn = tensor.grad_fn
                        producer = "" if fn is None else fn.name()
                    dims = ", ".join(str(s) for s in shape)
                    raise RuntimeError(
                        "one of the variables needed for gradient computation has been "
                        "modified by an inplace operation: "
                        f"[torch.{TENSOR_TYPE_NAMES.get(np_dtype.name, np_dtype.name)} [{dims}]]"
                        f"{_producer_text(producer)} is at version {counter.value}; expected "
                        f"version {version} instead. Hint: enable anomaly detection to find "
                        "the operation that failed to compute its gradient, with "
                        "torch.autograd.set_detect_anomaly(True, check_nan=False)."
                    )
        return saved

    def register_hook(self, hook):
        """Run `hook(grad_inputs, grad_outputs)` after this node's backward, like PyTorch."""
        if self._hooks is None:
            self._hooks = OrderedDict()
        return RemovableHandle.add(self._hooks, hook)

    def register_prehook(self, hook):
        """Run `hook(grad_outputs)` before this node's backward; it may return new grads."""
        if self._pre_hooks is None:
            self._pre_hooks = OrderedDict()
        return RemovableHandle.add(self._pre_hooks, lambda g: _unwrap_prehook(hook, g))

    @property
    def metadata(self) -> dict:
        """A dict for user data attached to this node (torch's `Node.metadata`)."""
        return self.__dict__.setdefault("_metadata", {})

    def _release(self) -> None:
        if self._saved:
            self._saved = None


def _producer_text(producer) -> str:
    """', which is output 0 of Clamp1,' naming the tensor's grad_fn as torch does: without
    'Backward0' but with any other overload digit (ClampBackward1 -> Clamp1, FBackward -> F).

    `producer` is a node name, or a weakref to a saved input tensor that is gone.
    """
    if callable(producer) or not producer:
        return ""
    return f", which is output 0 of {forward_name(producer)},"


def forward_name(node_name: str) -> str:
    """The op name torch's messages use for a node: without 'Backward0', but keeping any
    other overload digit (ClampBackward1 -> Clamp1, FBackward -> F)."""
    return _OVERLOAD_SUFFIX.sub(r"\2", node_name)


_OVERLOAD_SUFFIX = re.compile(r"Backward(0|([0-9]*))$")


def move_retained_grad(tensor: Tensor, old_node) -> None:
    """After an in-place op gave `tensor` a new grad_fn, its `.grad` is retained from there
    (the gradient of the new value), as torch moves retains_grad hooks; other hooks stay."""
    if not tensor._retains_grad or tensor.grad_fn is old_node:
        return
    if old_node is not None and old_node._retained is not None:
        if old_node._retained() is tensor:
            old_node._retained = None
    tensor.grad_fn._retained = weakref.ref(tensor)


def _unwrap_prehook(hook, grad):
    result = hook((Tensor._wrap(grad),))
    return None if result is None else result[0]._data


class AccumulateGrad(Node):
    """The node that adds an incoming gradient into a leaf tensor's `.grad`.

    The leaf keeps its node alive and the node refers back weakly, so a parameter's node is
    made once rather than every step, and no reference cycle forms.
    """

    __slots__ = ("_variable",)

    def __init__(self, variable: Tensor) -> None:
        self._variable = weakref.ref(variable)
        self._edges = ()
        self.needs_input_grad = ()

    @property
    def variable(self) -> Tensor | None:
        """The leaf this node accumulates into (torch's `AccumulateGrad.variable`)."""
        return self._variable()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # torch's C++ name for this node

    # The engine reaches a leaf's node hooks through the leaf's own hook dict, which it
    # already checks, so leaves without hooks pay nothing for this rarely used feature.
    def register_prehook(self, hook):
        """Run `hook((grad,))` before accumulation, with the leaf's tensor hooks."""
        return RemovableHandle.add(_leaf_hooks(self), lambda g: _unwrap_prehook(hook, g))

    def register_hook(self, hook):
        """Run `hook((), (grad,))` after the gradient was accumulated into the leaf."""
        if self._hooks is None:
            self._hooks = OrderedDict()
        leaf_hooks = _leaf_hooks(self)
        handle = RemovableHandle(self._hooks, extra_dict=leaf_hooks)
        self._hooks[handle.id] = hook
        leaf_hooks[handle.id] = _route_through_hooks
        return handle


def _leaf_hooks(node: AccumulateGrad) -> OrderedDict:
    leaf = node.variable
    if leaf._hooks is None:
        leaf._hooks = OrderedDict()
    return leaf._hooks


def _route_through_hooks(grad) -> None:
    """A no-op leaf hook: its presence sends the leaf down the engine's hook path."""


def grad_accumulator(leaf: Tensor) -> AccumulateGrad:
    """The leaf's AccumulateGrad node, shared by every op that uses it (as in PyTorch)."""
    node = leaf._accumulator
    if node is None:
        node = leaf._accumulator = AccumulateGrad(leaf)
    return node


def _edge(t: Tensor):
    if not t._requires_grad:
        return _NO_GRAD_EDGE
    fn = t.grad_fn
    return (fn if fn is not None else grad_accumulator(t), 0)


class Op:
    """Base of built-in ops: array-level forward and backward, one class per op.

    Subclasses set `grad_fn_name` (PyTorch's node name) and define
    `forward(ctx, *args) -> ndarray` and `backward(ctx, grad) -> grad or tuple of grads`,
    one per positional argument (None where no gradient is needed).
    """

    grad_fn_name = ""
    # A view op's output shares the first argument's version counter, as PyTorch's views do,
    # so an in-place change through either one is seen by nodes that saved the other.
    is_view = False
    # PyTorch refuses in-place changes to the outputs of split/chunk/unbind (and to views
    # of them) when they require grad: they share one backward node there.
    multi_output_view = False
    # True when backward always returns newly allocated arrays that alias nothing (no
    # pass-through of `grad`, no saved array): a leaf may then adopt its gradient uncopied.
    fresh_grads = False
    # Positions of the arguments `next_functions` shows, when PyTorch lists other than the
    # tensor arguments (it shows a python number in `x + 2`, but not `where`'s condition).
    listed_inputs: tuple | None = None
    _node_type: type = Node

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("grad_fn_name") or f"{cls.__name__}Backward0"
        cls.grad_fn_name = name
        cls._node_type = type(
            name,
            (Node,),
            {
                "__slots__": (),
                "_op": cls,
                "_backward": staticmethod(cls.backward),
                "_fresh": cls.fresh_grads,
                "_listed": cls.listed_inputs,
            },
        )

    @classmethod
    def apply(cls, *args, **kwargs) -> Tensor:
        """Run forward on the arrays; record a node when grad mode is on and an input needs it."""
        # This is the per-op overhead every op pays, so it is written for speed: one pass
        # over the arguments collects arrays, grad flags, graph edges and input shapes.
        arrays = []
        if _grad_state.enabled:
            needs = []
            edges = []
            shapes = []
            record = False
            for a in args:
                if isinstance(a, Tensor):
                    arr = a._data
                    arrays.append(arr)
                    shapes.append(arr.shape)
                    if a._requires_grad:
                        record = True
                        needs.append(True)
                        fn = a.grad_fn
                        if fn is None:  # a leaf: its AccumulateGrad, made once and then cached
                            fn = a._accumulator or grad_accumulator(a)
                        edges.append((fn, 0))
                        continue
                    needs.append(False)
                    edges.append(_NO_GRAD_EDGE)
                else:
                    arrays.append(a)
                    shapes.append(a.shape if type(a) is np.ndarray else None)
                    needs.append(False)
                    edges.append(_NO_EDGE)
            if record:
                ctx = cls._node_type()
                ctx.needs_input_grad = tuple(needs)
                ctx._edges = tuple(edges)
                ctx._shapes = shapes
                result = cls.forward(ctx, *arrays, **kwargs)
                out = _new_tensor(Tensor)
                out._data = result if type(result) is np.ndarray else np.asarray(result)
                out._requires_grad = True
                out.grad_fn = ctx
                if cls.is_view:
                    out._version_counter = args[0]._version_counter
                    _mark_view(out, args[0])
                    if out._base.grad_fn is not None:  # only a non-leaf base can be rewritten
                        _track_view(out)
                else:
                    out._version_counter = VersionCounter()
                if ctx._saved:
                    _track_saved_versions(ctx, args, out, result)
                return out
        else:
            for a in args:
                arrays.append(a._data if isinstance(a, Tensor) else a)
        if cls.is_view:
            return _wrap_untracked(cls, args, arrays, kwargs)
        # Nothing recorded (no_grad, or a frozen layer's inputs): the output is built inline,
        # since eval and frozen forwards pay this on every op.
        result = cls.forward(_NULL_CTX, *arrays, **kwargs)
        out = _new_tensor(Tensor)
        out._data = result if type(result) is np.ndarray else np.asarray(result)
        out._requires_grad = False
        out.grad_fn = None
        # under inference_mode (grad is off then) the output is an inference tensor
        out._version_counter = (
            InferenceCounter()
            if _inference_users.count and _grad_state.inference
            else VersionCounter()
        )
        return out


def _wrap_untracked(cls, args, arrays, kwargs) -> Tensor:
    """A view op's forward with nothing recorded: the output shares the input's version."""
    out = Tensor._wrap(
        cls.forward(_NULL_CTX, *arrays, **kwargs), False, None, args[0]._version_counter
    )
    _mark_view(out, args[0])
    return out


_new_tensor = object.__new__
_NO_EDGE = (None, 0)  # a non-tensor argument (a dim, an option): not in next_functions
# a tensor that needs no gradient: listed as (None, 0), as torch; built so that it is a
# different object from _NO_EDGE (equal tuple constants would be merged by the compiler)
_NO_GRAD_EDGE = tuple([None, 0])
_grad_state = grad_mode._state
_inference_users = grad_mode.inference_users  # see grad_mode.in_inference_mode


def _mark_view(out: Tensor, source: Tensor) -> None:
    """Remember whose memory a view shows (PyTorch's `_base`), for writes through the view."""
    out._base = source._base if source._base is not None else source


def _track_view(view: Tensor) -> None:
    """List a recorded view on its base, so an in-place change of the base (or of another
    view of it) can give the view its new history, as PyTorch regenerates a view's grad_fn."""
    views = view._base._views
    if views is None:
        views = view._base._views = []
    views.append(weakref.ref(view))
    count = len(views)
    if count >= 32 and not count & (count - 1):  # at each doubling, drop views that are gone
        views[:] = [ref for ref in views if ref() is not None]


def _track_saved_versions(ctx: Node, args, out: Tensor, result) -> None:
    """Remember the version of each saved array's tensor, so in-place edits are caught.

    `result` is forward's own return: a 0-d output numpy gave as a scalar is saved as such."""
    records = []
    for saved in ctx._saved:
        if type(saved) is not np.ndarray and (saved is not result or saved is None):
            continue
        if saved is out._data or saved is result:
            records.append((out._version_counter, 0, saved.shape, saved.dtype, ctx.name()))
            continue
        for a in args:
            if isinstance(a, Tensor) and a._data is saved:
                counter = a._version_counter
                if counter.__class__ is InferenceCounter:
                    raise RuntimeError(INFERENCE_SAVED_ERROR)
                records.append((counter, counter.value, saved.shape, saved.dtype, weakref.ref(a)))
                break
    if records:
        ctx._saved_versions = records


class _NullCtx:
    """Stand-in ctx when nothing is recorded: saving is a no-op, attributes are dropped."""

    __slots__ = ()
    needs_input_grad = ()

    def save_for_backward(self, *arrays) -> None:
        pass

    def __setattr__(self, name, value) -> None:
        pass


_NULL_CTX = _NullCtx()


_CUSTOM_FUNCTION_NAMES = frozenset({"Function", "FunctionCtx", "once_differentiable"})


def __getattr__(name: str):
    """Resolve torch's `autograd.function.Function` path to custom_function.py's classes.

    Lazy because custom_function subclasses this module's Node (an import cycle otherwise).
    """
    if name in _CUSTOM_FUNCTION_NAMES:
        from . import custom_function

        return getattr(custom_function, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
