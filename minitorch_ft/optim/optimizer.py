"""The Optimizer base: parameter groups, per-parameter state, zero_grad and state_dict.

Matches `torch.optim.Optimizer` (2.x): same checks and error texts, same state_dict layout
(state keyed by parameter index, groups holding indices), named parameters, step hooks.
"""

from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from ..autograd.grad_mode import enable_grad, no_grad
from ..autograd.hooks import RemovableHandle
from ..autograd.tensor import Tensor, typename


class _RequiredParameter:
    """Marks a default that every param group must give itself (torch.optim.optimizer.required)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()

CHUNK_BYTES = 256 * 1024  # a slice of each array per pass: 6 of them fit a 2 MB L2


class Optimizer:
    """Base class of all optimizers; subclasses implement `step`.

    `state` maps each parameter (the Tensor itself) to a dict of its buffers, created lazily
    on the first step that sees a gradient, as in PyTorch.
    """

    # (key, value) filled into loaded groups that lack them, in torch's __setstate__ order
    _load_defaults: tuple[tuple[str, Any], ...] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        # Every subclass's step gets the hook machinery once, like torch's profile_hook_step.
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_hooked", False):
            cls.step = _hooked_step(step)

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._optimizer_step_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_step_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: OrderedDict = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got " + typename(params)
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        self._scratch_buffers: dict[tuple[str, int], np.ndarray] = {}
        self._scratch_views: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    # ----- parameter groups -------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (e.g. an unfrozen backbone)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        tensors, names = [], []
        for entry in params:
            if isinstance(entry, tuple):  # (name, tensor) pairs, as from named_parameters()
                names.append(entry[0])
                tensors.append(entry[1])
            else:
                tensors.append(entry)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = names
        for p in tensors:
            if not isinstance(p, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is " + typename(p)
                )
            if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization parameter "
                    f"{name}"
                )
            param_group.setdefault(name, default)
        if len(tensors) != len({id(p) for p in tensors}):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this "
                "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information",
                stacklevel=3,
            )
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. cannot add param "
                    f"group {which} to the optimizer"
                )
        if not seen.isdisjoint(id(p) for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ----- gradients and stepping -------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drop every gradient (default) or zero it in place, like `Optimizer.zero_grad`."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    grad.grad_fn = None
                    grad._requires_grad = False
                    grad._data[...] = 0
                    grad._version_counter.value += 1

    def step(self, closure: Callable[[], Any] | None = None):
        """Update the parameters once; subclasses implement the rule."""
        raise NotImplementedError

    def _update_each(self, closure: Callable[[], Any] | None):
        """The shared step loop: `self._update(p, group)` under no_grad for every parameter
        that has a gradient (a parameter without one is skipped entirely, as in torch)."""
        loss = self._closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p._grad is not None:
                        self._update(p, group)
        return loss

    @staticmethod
    def _closure_loss(closure: Callable[[], Any] | None):
        """Run the closure (re-evaluating the loss) with grad enabled, as torch's steps do."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def _apply(self, kernel: Callable, arrays: list, *scalars) -> None:
        """Run `kernel(*arrays, s1, s2, *scalars)` in place, slice by cache-sized slice.

        `arrays[0]` is the parameter; None entries pass through. Contiguous arrays are cut
        into CHUNK_BYTES slices so all of a rule's passes run in cache (about 1.8x faster
        than whole-array passes for Adam at 1M params); s1, s2 are reused work arrays.
        """
        param = arrays[0]
        n = param.size
        step = CHUNK_BYTES // param.itemsize
        if n <= step or not all(a is None or a.flags.c_contiguous for a in arrays):
            kernel(*arrays, *self._scratch_like(param), *scalars)
            return
        flat = [None if a is None else a.reshape(-1) for a in arrays]
        s1, s2 = self._scratch(param.dtype, step)
        for start in range(0, n, step):
            stop = min(start + step, n)
            kernel(
                *[None if f is None else f[start:stop] for f in flat],
                s1[: stop - start],
                s2[: stop - start],
                *scalars,
            )

    def _scratch_like(self, param: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two work arrays shaped like `param`, cached by (dtype, shape): a small step's
        bookkeeping is one dict lookup."""
        key = (param.dtype, param.shape)
        pair = self._scratch_views.get(key)
        if pair is None:
            pair = self._scratch_views[key] = tuple(
                buf.reshape(param.shape) for buf in self._scratch(param.dtype, param.size)
            )
        return pair

    def _scratch(self, dtype: np.dtype, size: int) -> list[np.ndarray]:
        """Two reusable flat work arrays of at least `size`, so steps allocate nothing per
        parameter."""
        out = []
        for slot in (0, 1):
            key = (dtype.str, slot)
            buf = self._scratch_buffers.get(key)
            if buf is None or buf.size < size:
                buf = self._scratch_buffers[key] = np.empty(size, dtype=dtype)
                self._scratch_views.clear()  # views of the old buffers are stale
            out.append(buf[:size])
        return out

    # ----- state_dict -------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """`{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}` (torch's layout).

        Like torch, the state entries are the live buffers (not copies): save or copy them
        before stepping again if you need a snapshot.
        """
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        index: dict[int, int] = {}
        start = 0
        packed_groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                index.setdefault(id(p), i)
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            packed_groups.append(packed)
        packed_state = {
            (index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()
        }
        state_dict = {"state": packed_state, "param_groups": packed_groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load `state_dict()` output; groups must match in number and size, as in torch.

        Tensors are copied (torch may alias them); numpy arrays are accepted as tensors, a
        plain-number `step` becomes a float32 tensor, and digit-string keys (JSON) become ints.
        """
        state_dict = dict(state_dict)
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = _copy_plain(list(state_dict["param_groups"]))
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(
            len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups, strict=True)
        ):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        id_map = dict(
            zip(
                chain.from_iterable(s["params"] for s in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
                strict=True,
            )
        )
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if isinstance(key, str) and key.isdigit():
                key = int(key)
            if key in id_map:
                param = id_map[key]
                state[param] = {k: _cast_state(param, k, v) for k, v in value.items()}
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups, strict=True):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state = state
        self.param_groups = saved_groups
        for group in saved_groups:  # keys an older checkpoint lacks (torch's __setstate__)
            for key, value in self._load_defaults:
                group.setdefault(key, value)
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)

    # ----- hooks ------------------------------------------------------------------------
    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """`hook(optimizer, args, kwargs)` before each step; may return new (args, kwargs)."""
        return RemovableHandle.add(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """`hook(optimizer, args, kwargs)` after each step."""
        return RemovableHandle.add(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False):
        return RemovableHandle.add(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False):
        return RemovableHandle.add(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False):
        return RemovableHandle.add(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False):
        return RemovableHandle.add(self._optimizer_load_state_dict_post_hooks, hook, prepend)


def _hooked_step(step: Callable) -> Callable:
    """Wrap a subclass's step: run step hooks and note the call (for the scheduler's warning)."""

    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        if getattr(self, "_in_step", False):  # a subclass calling super().step()
            return step(self, *args, **kwargs)
        if not (self._optimizer_step_pre_hooks or self._optimizer_step_post_hooks):
            self._opt_called = True  # the common case: no hooks to run
            self._in_step = True
            try:
                return step(self, *args, **kwargs)
            finally:
                self._in_step = False
        args = (self, *args)  # torch's hooks see the optimizer as args[0] too
        for hook in list(self._optimizer_step_pre_hooks.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        f"{step} must return None or a tuple of (new_args, new_kwargs), but got "
                        f"{result}."
                    )
                args, kwargs = result
        self._opt_called = True
        self._in_step = True
        try:
            out = step(*args, **kwargs)
        finally:
            self._in_step = False
        for hook in list(self._optimizer_step_post_hooks.values()):
            hook(self, args, kwargs)
        return out

    wrapper._hooked = True
    return wrapper


def _copy_plain(value, memo: dict | None = None):
    """Copy dicts, lists and tuples, cloning tensors (numpy arrays become tensors);
    copy.deepcopy cannot (tensors refuse to be serialised).

    Like deepcopy, one tensor shared by several groups (a tensor lr given as the default)
    stays shared in the copy, so schedulers keep scaling it the way torch does.
    """
    if memo is None:
        memo = {}
    if isinstance(value, dict):
        return {k: _copy_plain(v, memo) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy_plain(v, memo) for v in value)
    if isinstance(value, (Tensor, np.ndarray)):
        if id(value) not in memo:
            array = value._data if isinstance(value, Tensor) else value
            memo[id(value)] = Tensor._wrap(array.copy())
        return memo[id(value)]
    return value


def _cast_state(param: Tensor, key, value):
    """A loaded state entry as a fresh tensor: in the param's float dtype, `step` kept float."""
    if key == "step" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Tensor._wrap(np.array(value, dtype=np.float32))
    if isinstance(value, np.ndarray):
        value = Tensor._wrap(value)
    if isinstance(value, Tensor):
        array = value._data
        if key != "step" and param._data.dtype.kind == "f":
            return Tensor._wrap(array.astype(param._data.dtype, copy=True))
        return Tensor._wrap(array.copy())
    if isinstance(value, dict):
        return {k: _cast_state(param, k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, None, v) for v in value)
    return value
