"""Agreement between the first and the second assessment of the cases assessed twice.

Pure: it takes the pairs (:class:`AssessedTwice`: a case's two sets of answers, as they stood
when the second assessment was submitted) and the questions, and returns, per key question
(its summary judgement), per prompt and overall (every key question's pairs pooled), the
number of pairs, raw agreement, Cohen's kappa with its 95% interval, Gwet's AC1, the Landis &
Koch description and the k×k table (:func:`..stats.agreement`).

Rules (assumptions, the issue leaves them open): a question counts for a case where either
assessor answered it; an unanswered question ("not applicable") is then the category
``n/a``, so a disagreement over whether a question applies counts as one. Free-text questions
are left out. The categories of a table are the answers the question allows (so that AC1
counts every category a judgement could take), then ``n/a`` and any other answer met.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import stats

NOT_APPLICABLE = "n/a"
KEY_QUESTION, PROMPT = "key question", "prompt"


@dataclass(frozen=True)
class AssessedTwice:
    """One case assessed twice: the first assessment as it stood when the second was
    submitted, and the second."""

    inspection: str
    case_id: str
    sample: str
    first_assessor: str
    second_assessor: str
    first: Mapping[str, str]
    second: Mapping[str, str]


@dataclass(frozen=True)
class Question:
    """A question agreement is computed for: its id, kind (key question or prompt), wording and
    the answers it allows."""

    id: str
    kind: str
    text: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class QuestionAgreement:
    question: Question
    result: stats.Agreement

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.question.id, "kind": self.question.kind, "text": self.question.text,
                **result_dict(self.result)}


def result_dict(result: stats.Agreement) -> dict[str, Any]:
    """The figures of one table, JSON-ready (issue 15 pins ``pairs``, ``agreement``, ``kappa``,
    ``kappa_ci`` and ``ac1``)."""
    return {"pairs": result.pairs, "agreement": result.agreement, "kappa": result.kappa,
            "kappa_ci": list(result.kappa_ci) if result.kappa_ci is not None else None,
            "kappa_se": result.kappa_se, "ac1": result.ac1, "description": result.description,
            "categories": list(result.categories), "table": [list(row) for row in result.table]}


@dataclass(frozen=True)
class AgreementReport:
    """Agreement over a set of cases assessed twice."""

    cases: int
    key_questions: tuple[QuestionAgreement, ...]
    prompts: tuple[QuestionAgreement, ...]
    overall: stats.Agreement | None
    assessor_pairs: tuple[tuple[str, str, int, stats.Agreement | None], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "overall": result_dict(self.overall) if self.overall is not None else None,
            "key_questions": [q.to_dict() for q in self.key_questions],
            "prompts": [q.to_dict() for q in self.prompts],
            "assessor_pairs": [{"first": first, "second": second, "cases": cases,
                                **(result_dict(result) if result is not None else {})}
                               for first, second, cases, result in self.assessor_pairs],
        }


def pairs_of(question: Question, cases: Iterable[AssessedTwice]) -> list[tuple[str, str]]:
    """(first answer, second answer) of every case where either assessor answered."""
    out = []
    for case in cases:
        first = case.first.get(question.id) or NOT_APPLICABLE
        second = case.second.get(question.id) or NOT_APPLICABLE
        if first != NOT_APPLICABLE or second != NOT_APPLICABLE:
            out.append((first, second))
    return out


def _agreement(pairs: Sequence[tuple[str, str]], answers: Sequence[str]) -> stats.Agreement | None:
    return stats.agreement(pairs, answers) if pairs else None


def measure(cases: Sequence[AssessedTwice], questions: Sequence[Question],
            pair_minimum: int | None = None) -> AgreementReport:
    """Agreement per key question, per prompt and overall (the key questions' pairs pooled);
    with ``pair_minimum``, also per assessor pair with at least that many cases together."""
    per: dict[str, list[QuestionAgreement]] = {KEY_QUESTION: [], PROMPT: []}
    pooled: list[tuple[str, str]] = []
    answers: list[str] = []
    for question in questions:
        pairs = pairs_of(question, cases)
        result = _agreement(pairs, question.answers)
        if result is None:
            continue
        per[question.kind].append(QuestionAgreement(question, result))
        if question.kind == KEY_QUESTION:
            pooled += pairs
            answers += [a for a in question.answers if a not in answers]
    by_pair: list[tuple[str, str, int, stats.Agreement | None]] = []
    if pair_minimum is not None:
        groups: dict[tuple[str, str], list[AssessedTwice]] = {}
        for case in cases:
            groups.setdefault((case.first_assessor, case.second_assessor), []).append(case)
        key_questions = [q for q in questions if q.kind == KEY_QUESTION]
        for (first, second), group in sorted(groups.items()):
            if len(group) >= pair_minimum:
                pairs = [p for q in key_questions for p in pairs_of(q, group)]
                by_pair.append((first, second, len(group), _agreement(pairs, answers)))
    return AgreementReport(len(cases), tuple(per[KEY_QUESTION]), tuple(per[PROMPT]),
                           _agreement(pooled, answers), tuple(by_pair))
