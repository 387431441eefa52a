"""`RemovableHandle`: what every `register_*_hook` returns (torch.utils.hooks).

Hooks live in OrderedDicts (weak-referenceable, unlike dict) keyed by the handle's id, so
removing one is a dict deletion and registration order is kept. Tensors, graph nodes,
modules and optimizers all use it.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable

_next_id = itertools.count()


class RemovableHandle:
    """Removes one hook from the dicts it was registered in; usable as a context manager."""

    def __init__(self, hooks_dict: dict, *, extra_dict=None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(_next_id)
        if extra_dict is None:
            extra_dict = []
        elif isinstance(extra_dict, dict):
            extra_dict = [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extra_dict)

    @classmethod
    def add(cls, hooks: dict, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Register `hook` in `hooks` (first when `prepend`) and return its handle."""
        handle = cls(hooks)
        hooks[handle.id] = hook
        if prepend:
            rest = [(k, v) for k, v in hooks.items() if k != handle.id]
            hooks.clear()
            hooks[handle.id] = hook
            hooks.update(rest)
        return handle

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
