"""An inspected case (:class:`Case`), and an inspection's cases read only when something looks
at them (:class:`LazyCases`).

Case files are read into cases by :mod:`.case_reading`; the rules a case is checked against
(which questions apply, the answers each takes) are :mod:`.case_schema`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, overload


@dataclass(frozen=True)
class Case:
    """One inspected case: its sample, attributes and answers by question id."""

    case_id: str
    sample: str
    attributes: Mapping[str, str]
    answers: Mapping[str, str]
    source: str = field(default="", compare=False)  # "cases/domain2.csv row 7"
    excluded: str = ""  #: why the case is left out of its sample; empty when it is in it

    def answer(self, question_id: str) -> str:
        return self.answers.get(question_id, "")


class LazyCases(Sequence[Case]):
    """An inspection's cases, read when a plugin or report first looks at them (the store's:
    rating itself needs only the answer counts the database aggregates)."""

    def __init__(self, load: Callable[[], Iterable[Case]]) -> None:
        self._load = load

    @cached_property
    def _all(self) -> tuple[Case, ...]:
        return tuple(self._load())

    @overload
    def __getitem__(self, index: int) -> Case: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Case, ...]: ...
    def __getitem__(self, index: int | slice) -> Case | tuple[Case, ...]:
        return self._all[index]

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[Case]:
        return iter(self._all)
