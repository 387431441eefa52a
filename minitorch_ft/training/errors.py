"""The errors the training stack raises on purpose; the CLI maps them to exit codes.

User mistakes (config, usage, data files) exit with 2 and a message naming the file and key;
failures during a run exit with 1. None of them prints a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable


class Problem:
    """One user-facing problem: where it is (file, key path) and what is wrong."""

    __slots__ = ("source", "path", "message")

    def __init__(self, source: str | None, path: str | None, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message

    def __str__(self) -> str:
        where = [part for part in (self.source, self.path) if part]
        return ": ".join([*where, self.message])

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class ConfigError(Exception):
    """One or more problems in a config, its overrides or the files it names (exit code 2)."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        self.problems = list(problems)
        super().__init__(self.format())

    def format(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class UsageError(ConfigError):
    """A command-line mistake (bad `--set`, missing option); exit code 2."""


class DataError(ConfigError):
    """A data file that cannot be used (names the file, row and column); exit code 2."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__([Problem(source, None, message)])


class TrainingError(Exception):
    """A failure during a run, such as a frozen parameter that changed (exit code 1)."""

    exit_code = 1


class ProblemCollector:
    """Gathers problems so that several can be reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, source: str | None, path: str | None, message: str) -> None:
        self.problems.append(Problem(source, path, message))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ConfigError(self.problems)
