"""Reverse-mode engine: `backward` and `grad` over the recorded graph, iteratively.

One topological pass (no recursion), gradients summed per node, reduced to each input's
shape in one place (`unbroadcast`), saved arrays freed unless the graph is retained.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from . import grad_mode
from .engine_args import _as_tuple, _check_inputs, _initial_grads
from .function import _NO_EDGE, AccumulateGrad, grad_accumulator
from .tensor import Tensor

_grad_state = grad_mode._state

try:  # numpy 2: set the "ignore" error state directly, 4x cheaper than np.errstate per backward
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _quiet_on = functools.partial(_extobj_contextvar.set, _make_extobj(all="ignore"))
    _quiet_off = _extobj_contextvar.reset
except ImportError:  # numpy 1.x keeps its error state elsewhere: the public calls
    _quiet_on = functools.partial(np.seterr, all="ignore")

    def _quiet_off(previous: dict) -> None:
        np.seterr(**previous)


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum a gradient of a broadcast result back down to an input's shape."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        i + extra for i, s in enumerate(shape) if s == 1 and grad.shape[i + extra] != 1
    )
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    if extra:
        grad = grad.reshape(shape)
    return grad


def _root_node(t: Tensor):
    if t.grad_fn is not None:
        return t.grad_fn
    return grad_accumulator(t)


def backward(
    tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None
) -> None:
    """Accumulate gradients of `tensors` into leaves' `.grad` (torch.autograd.backward)."""
    if create_graph:
        raise NotImplementedError("create_graph=True (higher-order gradients) is not supported")
    if (
        grad_tensors is None
        and inputs is None
        and isinstance(tensors, Tensor)
        and tensors.grad_fn is not None
        and tensors._data.size == 1
        and tensors._data.dtype.kind == "f"
    ):
        # the training-loop case, `loss.backward()`, without the general checks below
        data = tensors._data
        seed = np.array(1, data.dtype) if data.ndim == 0 else np.ones_like(data)
        _run_all([tensors.grad_fn], [seed], bool(retain_graph))
        return
    tensors = _as_tuple(tensors)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    else:
        grad_tensors = (
            _as_tuple(grad_tensors) if not isinstance(grad_tensors, Tensor) else (grad_tensors,)
        )
    grads = _initial_grads(tensors, grad_tensors)
    targets = None
    if inputs is not None:
        inputs = _check_inputs(inputs, "backward")
        targets = {}
        for t in inputs:
            if not t._requires_grad:
                # torch's wording here (it retains grads of the inputs internally)
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            targets[_root_node(t)] = t
    roots = [_root_node(t) for t in tensors]
    _run(roots, grads, bool(retain_graph), targets, capture=None)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
):
    """Return d(outputs)/d(inputs) without touching `.grad` (torch.autograd.grad)."""
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    if create_graph:
        raise NotImplementedError("create_graph=True (higher-order gradients) is not supported")
    if is_grads_batched:
        raise NotImplementedError("is_grads_batched=True is not supported")
    if not only_inputs:
        warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To "
            "accumulate gradient for other parts of the graph, please use "
            "torch.autograd.backward.",
            FutureWarning,
            stacklevel=2,
        )
    outputs = _as_tuple(outputs)
    keys = tuple(inputs) if type(inputs) is dict else None
    inputs = _check_inputs(inputs, "grad")
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    grads = _initial_grads(outputs, grad_outputs)
    targets = {}
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        targets[_root_node(t)] = t
    captured: dict = {}
    _run([_root_node(t) for t in outputs], grads, bool(retain_graph), targets, capture=captured)
    result = []
    for index, t in enumerate(inputs):
        g = captured.get(_root_node(t))
        if g is None:
            if materialize_grads:
                g = np.zeros_like(t._data)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {index} appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
        # the gradient has the input's dtype whatever grad_outputs' dtype was, as in torch
        result.append(None if g is None else Tensor._wrap(g.astype(t._data.dtype, copy=False)))
    return tuple(result) if keys is None else dict(zip(keys, result, strict=True))


def _topological_order(roots, targets):
    """Nodes reachable from roots, each after every node that feeds it a gradient.

    With targets, keeps only nodes on a path to a target (nothing else needs computing).
    """
    order = []
    stack = [(r, False) for r in roots]
    seen = set()
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        for child, _ in node._edges:
            if child is not None and child not in seen:
                stack.append((child, False))
    order.reverse()  # post-order reversed: parents before children
    if targets is not None:
        needed = set(targets)
        for node in reversed(order):
            if node not in needed:
                for child, _ in node._edges:
                    if child is not None and child in needed:
                        needed.add(node)
                        break
        order = [n for n in order if n in needed]
    return order


def _run(roots, root_grads, retain_graph: bool, targets, capture) -> None:
    if targets is None and capture is None:
        _run_all(roots, root_grads, retain_graph)
        return
    order = _topological_order(roots, targets)
    buffers: dict = {}
    for node, g in zip(roots, root_grads, strict=True):
        buffers[node] = buffers[node] + g if node in buffers else g
    needed = set(order) if targets is not None else None
    if needed is not None and len(roots) == 1 and roots[0] not in needed:
        # as torch, a lone root off every path to the inputs still runs its tensor hooks
        # (retain_grad's too), but not its backward
        _in_backward_mode(_root_hooks_only, roots[0], buffers[roots[0]])
    _in_backward_mode(_run_in_order, order, buffers, retain_graph, targets, capture, needed)


def _root_hooks_only(node, grad) -> None:
    grad = _apply_pre_hooks(node, grad)
    if node._retained is not None:
        _retain(node, grad)


def _run_in_order(order, buffers, retain_graph, targets, capture, needed) -> None:
    """`_run`'s loop: every node in topological order, limited to targets when given."""
    for node in order:
        grad = buffers.pop(node, None)
        if grad is None:
            continue
        grad = _apply_pre_hooks(node, grad)
        target = None if targets is None else targets.get(node)
        # as torch, a retained .grad is filled by autograd.grad too (before the capture);
        # backward(inputs=[t]) fills t.grad once, even when t also retains it
        if node._retained is not None and (capture is not None or node._retained() is not target):
            _retain(node, grad)
        if capture is not None and target is not None:
            capture[node] = grad
            if type(node) is AccumulateGrad:
                continue
        if type(node) is AccumulateGrad:
            if targets is None or target is not None:
                _accumulate(node.variable, grad)
                _post_accumulate(node.variable)
                if node._hooks:
                    _apply_post_hooks(node, (), grad)
            continue
        if target is not None:
            if capture is None:
                _accumulate(targets[node], grad)  # backward(inputs=[non_leaf]) fills its .grad
            elif not any(child in needed for child, _ in node._edges):
                continue  # grad() wants nothing beyond this input: as torch, its node is not
                # run (so not freed); backward(inputs=) does run it
        grads_in = node._backward(node, grad)
        if type(grads_in) is not tuple:
            grads_in = (grads_in,)
        if node._hooks is not None:
            grads_in = _apply_post_hooks(node, grads_in, grad)
        if not retain_graph:
            node._release()
        for (child, _), g, shape in zip(node._edges, grads_in, node._shapes):  # noqa: B905
            if child is None or g is None:
                continue
            if needed is not None and child not in needed:
                continue
            if g.shape != shape:
                g = unbroadcast(g, shape)
            if child in buffers:
                buffers[child] = buffers[child] + g
            else:
                buffers[child] = g


def _count_dependencies(roots) -> dict:
    """How many edges point at each node reachable from roots (one iterative pass)."""
    dependencies = dict.fromkeys(roots, 0)
    stack = list(dependencies)
    while stack:
        for child, _ in stack.pop()._edges:
            if child is None:
                continue
            if child in dependencies:
                dependencies[child] += 1
            else:
                dependencies[child] = 1
                stack.append(child)
    return dependencies


def _run_all(roots, root_grads, retain_graph: bool) -> None:
    """The common backward: every reachable node, each once all its gradients arrived.

    Kept apart from the general `_run` (targets, capture) because it is the hot path:
    leaf accumulation is inlined and hooks cost one attribute check when absent.
    """
    dependencies = _count_dependencies(roots)
    buffers: dict = {}
    for node, g in zip(roots, root_grads, strict=True):
        buffers[node] = buffers[node] + g if node in buffers else g
    ready = [node for node in buffers if dependencies[node] == 0]
    _in_backward_mode(_drain, ready, buffers, dependencies, retain_graph)


def _in_backward_mode(loop, *args) -> None:
    """Run `loop(*args)` with grad mode off (hooks and custom Functions run tensor code) and
    numpy's floating-point warnings quiet (inf/nan silently, as torch). Both are set by hand:
    two context managers per backward cost more than the tiny graphs' whole engine loop."""
    enabled = _grad_state.enabled
    _grad_state.enabled = False
    quiet = _quiet_on()
    try:
        loop(*args)
    finally:
        _quiet_off(quiet)
        _grad_state.enabled = enabled


def _drain(ready: list, buffers: dict, dependencies: dict, retain_graph: bool) -> None:
    """`_run_all`'s loop: run ready nodes, pass their gradients on, until none is left."""
    pop = buffers.pop
    owned = set()  # nodes whose buffered gradient is a fresh array nothing else refers to
    while ready:
        node = ready.pop()
        grad = pop(node, None)
        if type(node) is AccumulateGrad:
            if grad is None:
                continue
            leaf = node._variable()
            if leaf is None:  # the leaf itself is gone: nobody can read its gradient
                continue
            if leaf._hooks or leaf._post_accumulate_hooks:
                _accumulate_leaf(node, grad)
                continue
            if not leaf._requires_grad:  # frozen (or detach_()ed) after use: as torch, no .grad
                continue
            existing = leaf._grad
            if existing is None:
                if node in owned and grad.dtype == leaf._data.dtype:
                    leaf._grad = Tensor._wrap(grad)  # adopted: nothing else holds it
                else:  # copied: no two leaves may share one gradient array
                    leaf._grad = Tensor._wrap(grad.astype(leaf._data.dtype, copy=True))
            else:  # in place, like torch: a reference the user holds sees the sum
                np.add(existing._data, grad, out=existing._data, casting="unsafe")
            continue
        edges = node._edges
        if grad is None:
            grads_in = (None,) * len(edges)
        else:
            if node._pre_hooks is not None:
                grad = _apply_pre_hooks(node, grad)
            if node._retained is not None:
                _retain(node, grad)
            grads_in = node._backward(node, grad)
            if type(grads_in) is not tuple:
                grads_in = (grads_in,)
            if node._hooks is not None:
                grads_in = _apply_post_hooks(node, grads_in, grad)
            if not retain_graph and node._saved:
                node._saved = None  # free saved arrays (a second backward then raises)
        fresh = node._fresh
        for (child, _), g, shape in zip(edges, grads_in, node._shapes):  # noqa: B905
            if child is None:
                continue
            if g is not None:
                if g.shape != shape:
                    g = unbroadcast(g, shape)
                if child in buffers:
                    buffers[child] = buffers[child] + g  # a new array
                    owned.add(child)
                else:
                    buffers[child] = g
                    if fresh and g.base is None:
                        owned.add(child)
            remaining = dependencies[child] - 1
            dependencies[child] = remaining
            if remaining == 0:
                ready.append(child)


def _accumulate_leaf(node, grad) -> None:
    """AccumulateGrad with hooks: the leaf's hooks, `.grad += grad`, post-accumulate hooks."""
    leaf = node.variable
    if leaf._hooks:
        grad = _apply_pre_hooks(node, grad)
    _accumulate(leaf, grad)
    _post_accumulate(leaf)
    if node._hooks:
        _apply_post_hooks(node, (), grad)


def _post_accumulate(leaf) -> None:
    """Run the leaf's post-accumulate-grad hooks, which must return None (as torch)."""
    for hook in (leaf._post_accumulate_hooks or {}).values():
        result = hook(leaf)
        if result is not None:
            raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")


def _apply_pre_hooks(node, grad):
    hooks = node._pre_hooks
    if type(node) is AccumulateGrad:
        hooks = node.variable._hooks
    if hooks:
        for hook in list(hooks.values()):  # a hook may remove itself
            result = hook(grad)
            if result is not None:
                grad = result
    return grad


def _apply_post_hooks(node, grads_in: tuple, grad) -> tuple:
    """Run `hook(grad_inputs, grad_outputs)` for each node hook; a hook may return new
    grad_inputs. grad_inputs lines up with `next_functions`, None where no gradient flows."""
    wrap = Tensor._wrap
    positions = _listed_positions(node)
    edges = node._edges
    if grads_in:  # hooks see each gradient reduced to its input's shape, as torch's do
        grads_in = tuple(
            g if g is None or shape is None or g.shape == shape else unbroadcast(g, shape)
            for g, shape in zip(grads_in, node._shapes, strict=True)
        )
    gi = tuple(
        None if edges[i][0] is None or grads_in[i] is None else wrap(grads_in[i]) for i in positions
    )
    grads_in = list(grads_in)
    for hook in node._hooks.values():
        result = hook(gi, (wrap(grad),))
        if result is None:
            continue
        if not isinstance(result, tuple):
            raise TypeError(f"expected tuple, but hook returned '{type(result).__name__}'")
        if len(result) != len(gi):
            name = getattr(hook, "__name__", "<unknown>")
            raise RuntimeError(
                f"hook '{name}' has returned an incorrect number of values (got "
                f"{len(result)}, but expected {len(gi)})"
            )
        for old, new, i in zip(gi, result, positions, strict=True):
            if old is None and new is not None:
                raise RuntimeError("can't replace a None gradient with a non-None value")
            grads_in[i] = None if new is None else new._data
        gi = result
    return tuple(grads_in)


def _listed_positions(node) -> list:
    """Indices into `node._edges` of the entries `next_functions` shows."""
    if node._listed is None:
        return [i for i, e in enumerate(node._edges) if e is not _NO_EDGE]
    return [i for i in node._listed if i < len(node._edges)]


def _retain(node, grad) -> None:
    tensor = node._retained()
    if tensor is None:
        return
    grad = grad.astype(tensor._data.dtype, copy=False)
    if tensor._grad is None:
        tensor._grad = Tensor._wrap(grad.copy())
    else:
        tensor._grad = Tensor._wrap(tensor._grad._data + grad)


def _accumulate(leaf: Tensor, grad: np.ndarray) -> None:
    """Add into `leaf.grad`; the first gradient is copied so no two leaves share an array.
    Nothing for a leaf whose requires_grad was turned off after use (torch's AccumulateGrad)."""
    if not leaf._requires_grad:
        return
    if grad.dtype != leaf._data.dtype:
        grad = grad.astype(leaf._data.dtype)
    existing = leaf._grad
    if existing is None:
        leaf._grad = Tensor._wrap(np.array(grad, copy=True))
    else:
        # In place, like PyTorch: a reference the user holds to `.grad` sees the sum.
        np.add(existing._data, grad, out=existing._data)
