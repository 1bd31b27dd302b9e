"""Answer counts: what the rating rules need from an inspection's cases.

A key question's figure is its "yes" summary judgements over the cases it applies to. Case
files and the store only hold a summary where its key question applies (the validators
refuse one elsewhere, and require it where it applies), so counting the answers given is
counting the applicable cases. :class:`Tallies` holds those counts per question, so rating
works the same whether the counts come from cases in memory
(:meth:`Tallies.from_cases`) or from an aggregate query in the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..catalogue.records import ANSWER_SEPARATOR


@dataclass(frozen=True)
class Tally:
    """One question over the cases that answered it."""

    yes: int = 0
    answered: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)  # each answer (several: each part)


NO_ANSWERS = Tally()


@dataclass(frozen=True)
class Tallies:
    """Counts per question id, and the number of cases (not excluded) per sample."""

    questions: Mapping[str, Tally]
    samples: Mapping[str, int]

    def __getitem__(self, question_id: str) -> Tally:
        return self.questions.get(question_id, NO_ANSWERS)

    def cases_in(self, sample: str | None) -> int:
        return self.samples.get(sample or "", 0)

    @classmethod
    def from_cases(cls, cases: Iterable) -> Tallies:
        """Count the answers of ``cases`` (excluded cases are left out)."""
        included = [case for case in cases if not case.excluded]
        pairs = Counter(pair for case in included for pair in case.answers.items())
        rows = ((qid, answer, number) for (qid, answer), number in pairs.items())
        return cls.from_rows(rows, Counter(case.sample for case in included))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, int]], samples: Mapping[str, int]) -> Tallies:
        """From ``(question_id, answer, number of cases)`` rows, as a store aggregates them;
        an answer of several parts (``a;b``) counts once for each part."""
        counts: dict[str, Counter] = {}
        for question_id, answer, number in rows:
            counter = counts.get(question_id)
            if counter is None:
                counter = counts[question_id] = Counter()
            counter[""] += number
            for part in answer.split(ANSWER_SEPARATOR):
                counter[part] += number
        return cls({qid: _tally(counter) for qid, counter in counts.items()}, dict(samples))


def _tally(counter: Counter) -> Tally:
    answered = counter.pop("")
    return Tally(yes=counter.get("yes", 0), answered=answered, counts=dict(counter))
