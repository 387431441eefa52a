"""One global random generator, seeded by `manual_seed`, as PyTorch's default generator."""

from __future__ import annotations

import numpy as np


class Generator:
    """A seeded numpy PCG64 stream with `manual_seed`, `get_state` and `set_state`."""

    def __init__(self, seed: int = 0) -> None:
        self.manual_seed(seed)

    def manual_seed(self, seed: int) -> Generator:
        self._seed = int(seed)
        self.rng = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def seed(self) -> int:
        return self.manual_seed(int(np.random.SeedSequence().entropy % (2**63))).initial_seed()

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> dict:
        """The generator state as plain JSON-able data (for checkpoints; nothing is pickled)."""
        state = self.rng.bit_generator.state
        return {
            "bit_generator": state["bit_generator"],
            "state": {k: int(v) for k, v in state["state"].items()},
            "has_uint32": int(state["has_uint32"]),
            "uinteger": int(state["uinteger"]),
        }

    def set_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state


default_generator = Generator(0)


def manual_seed(seed: int) -> Generator:
    """Seed the global generator, so a seeded program is reproducible."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    return default_generator.initial_seed()


def seed() -> int:
    return default_generator.seed()


def get_rng_state() -> dict:
    return default_generator.get_state()


def set_rng_state(state: dict) -> None:
    default_generator.set_state(state)


def rng(generator: Generator | None = None) -> np.random.Generator:
    """The numpy generator to draw from: the given one or the global one."""
    return (generator or default_generator).rng
