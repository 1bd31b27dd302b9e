"""The live rating table of an inspection in fieldwork (issue 13, "An inspection").

Once every case is complete and every decision due is in, this is the inspection's rating
(:meth:`.readiness.ReadinessService.rate`). Before that, each case-rated standard shows its
*indicative* figures on the cases completed so far: every key question's yes / applicable,
percentage and band, and the lowest band as the standard's indicative rating (the rating
rule of the framework, applied to partial figures and marked as such).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue.records import RatedBy
from ..errors import InputError
from ..inspection.tally import Tallies
from .database import COMPLETE


@dataclass
class KeyQuestionFigure:
    id: str
    yes: int
    applicable: int
    percent: int | None
    band: str


@dataclass
class StandardFigure:
    id: str
    title: str
    rating: str                     #: the rating (final) or the indicative band so far
    key_questions: list[KeyQuestionFigure] = field(default_factory=list)
    note: str = ""


@dataclass
class LiveRating:
    final: bool                     #: every case complete and every decision in: the rating
    overall: str
    standards: list[StandardFigure]
    complete_cases: int


def _figures(results) -> list[KeyQuestionFigure]:
    return [KeyQuestionFigure(kq.id, kq.yes, kq.applicable, kq.percent,
                              kq.band.label if kq.band is not None else "-") for kq in results]


def live_rating(fieldwork) -> LiveRating:
    from ..rating.rate import lowest_key_question, rate_key_question

    rows = fieldwork.store.cases_with_status(fieldwork.name)
    complete = [case for case, status in rows if status == COMPLETE]
    try:
        _, _, result = fieldwork.rate()
    except InputError:
        result = None
    if result is not None:
        return LiveRating(True, f"{result.rating.label} ({result.score}/{result.max_score})", [
            StandardFigure(s.id, s.title, s.rating_label, _figures(s.key_questions), s.note)
            for s in result.standards], len(complete))
    tallies = Tallies.from_cases(complete)
    out = []
    for standard in fieldwork.standards:
        if standard.rated_by is not RatedBy.CASES:
            continue
        results = [rate_key_question(kq, tallies, fieldwork.profile, standard.sample)
                   for kq in standard.key_questions]
        lowest = lowest_key_question(results)
        band = lowest.band.label if lowest is not None and lowest.band is not None else "-"
        out.append(StandardFigure(standard.id, standard.title, band, _figures(results),
                                  "indicative: cases still in fieldwork"))
    return LiveRating(False, "not yet: fieldwork in progress", out, len(complete))
