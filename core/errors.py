"""The two kinds of error the framework raises.

``InputError`` is for the people running an inspection: it carries every problem found in
one pass, each naming where it is (file, row, column or key) and what was expected.  The
CLI prints the problems and exits non-zero without a traceback.

``PluginError`` is for plugin authors: a plugin that cannot be loaded, or contributes
something the core refuses, is reported by name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what was expected."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class HmipError(Exception):
    """Base class of every error the framework raises on purpose."""


class InputError(HmipError):
    """Bad input from a user: one or more problems, all reported together."""

    def __init__(self, problems: list[Problem] | Problem | str, *, summary: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.summary = summary
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line for one problem (``summary: where: message``), else a head and a list."""
        if len(self.problems) == 1:
            return f"{self.summary}: {self.problems[0]}" if self.summary else str(self.problems[0])
        count = f"{len(self.problems)} problems"
        head = f"{self.summary} ({count})" if self.summary else count
        return "\n".join([head + ":"] + [f"  - {p}" for p in self.problems])


class PluginError(HmipError):
    """A plugin failed to load or contributed something the core refuses."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}")


def shown(value: str, limit: int = 40) -> str:
    """A value from the input as an error message may show it: quoted when it is short (a
    closed answer such as 'maybe'), else only its length. Free text and case answers are
    personal data: a message names where they are, it does not repeat them."""
    if len(value) <= limit:
        return repr(value)
    return f"of {len(value):,} characters"


class Problems:
    """Collects problems while a loader reads everything, then raises them together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(Problem(where, message))

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, summary: str = "") -> None:
        if self.items:
            raise InputError(self.items, summary=summary)
