"""What rating an inspection produces: plain records that the renderers turn into text or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalogue.records import Rating
from .rules import Eligibility


@dataclass(frozen=True)
class Adjustment:
    """A one-band move of a standard's indicative rating, with its rationale.

    Plugins return these from ``hmip_rating_adjustments``; the core makes them for panel
    decisions. ``applied=False`` records a proposal that was not applied (e.g. a moderation
    the ratings panel did not ratify). ``basis`` names the record it comes from
    (``judgements.toml [[moderation]] #1``) so the core can tell every entry was handled.
    """

    direction: int
    rationale: str
    source: str
    applied: bool = True
    basis: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "direction": "up" if self.direction > 0 else "down",
                "applied": self.applied, "rationale": self.rationale}


@dataclass(frozen=True)
class PromptResult:
    """A prompt or information question over the cases it was answered in.

    ``counts`` tallies each answer of a question with answers other than yes/no (an answer
    of a question taking several counts once per case); free answers are not tallied.
    """

    id: str
    text: str
    kind: str
    yes: int
    answered: int
    percent: int | None
    counts: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "text": self.text, "kind": self.kind, "yes": self.yes,
               "answered": self.answered, "percent": self.percent}
        if self.counts:
            out["counts"] = dict(self.counts)
        return out


@dataclass(frozen=True)
class KeyQuestionResult:
    """A key question's figures across the cases it applies to, and its band."""
    id: str
    text: str
    evidence: str
    yes: int = 0
    applicable: int = 0
    percent: int | None = None          # whole percentage as published (half-up)
    exact_percent: float | None = None
    band: Rating | None = None
    prompts: tuple[PromptResult, ...] = ()
    wording_confirmed: bool = True     #: False: no cited source confirms the wording

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "text": self.text, "evidence": self.evidence, "yes": self.yes,
               "applicable": self.applicable, "percent": self.percent,
               "exact_percent": self.exact_percent,
               "band": self.band.label if self.band is not None else None,
               "prompts": [p.to_dict() for p in self.prompts]}
        if not self.wording_confirmed:
            out["wording_confirmed"] = False
        return out


@dataclass(frozen=True)
class ExcludedCase:
    """A case left out of a sample's figures, and why."""
    case_id: str
    sample: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "sample": self.sample, "reason": self.reason}


@dataclass(frozen=True)
class StandardResult:
    """A standard's outcome. ``role`` is how the profile uses it: ``scored`` (counted in the
    overall score), ``rated`` (rated beside the score) or ``reported`` (figures, no rating).
    ``rating`` is None for a reported standard and for one that is not rated (``note``).
    """

    id: str
    title: str
    domain: int
    rated_by: str
    plugin: str
    rating: Rating | None
    indicative_rating: Rating | None
    key_questions: tuple[KeyQuestionResult, ...] = ()
    lowest_key_question: str | None = None
    eligibility: Eligibility = field(default_factory=Eligibility)
    adjustments: tuple[Adjustment, ...] = ()
    evidence: str = ""
    role: str = "scored"
    note: str = ""
    cases: int = 0
    wording_confirmed: bool = True     #: False: no cited source confirms the title or statement

    @property
    def score(self) -> int | None:
        return int(self.rating) if self.rating is not None and self.role == "scored" else None

    @property
    def rating_label(self) -> str:
        if self.rating is not None:
            return self.rating.label
        return "Reported, not rated" if self.role == "reported" else "Not rated"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "domain": self.domain, "rated_by": self.rated_by,
            "plugin": self.plugin, "role": self.role,
            "rating": self.rating.label if self.rating is not None else None,
            "note": self.note, "score": self.score, "cases": self.cases,
            "indicative_rating": (self.indicative_rating.label
                                  if self.indicative_rating is not None else None),
            "lowest_key_question": self.lowest_key_question,
            "judgement_eligibility": {"eligible": self.eligibility.eligible,
                                      "up": self.eligibility.up, "down": self.eligibility.down,
                                      "reasons": list(self.eligibility.reasons)},
            "adjustments": [a.to_dict() for a in self.adjustments],
            "evidence": self.evidence,
            "key_questions": [kq.to_dict() for kq in self.key_questions],
            **({} if self.wording_confirmed else {"wording_confirmed": False}),
        }


@dataclass(frozen=True)
class InspectionResult:
    """A rated inspection: every standard's result, the total score and the overall rating."""
    provider: str
    profile: str
    profile_title: str
    synthetic: bool
    standards: tuple[StandardResult, ...]
    score: int
    max_score: int
    rating: Rating
    bands: tuple[tuple[Rating, int, int], ...]
    excluded: tuple[ExcludedCase, ...] = ()
    #: what a reader must know about the figures, e.g. a key question resting on few cases
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "profile": self.profile,
            "profile_title": self.profile_title,
            "synthetic": self.synthetic,
            "overall": {"score": self.score, "max_score": self.max_score,
                        "rating": self.rating.label,
                        "bands": [{"rating": r.label, "from": lo, "to": hi}
                                  for r, lo, hi in self.bands]},
            "standards": [s.to_dict() for s in self.standards],
            "excluded_cases": [e.to_dict() for e in self.excluded],
            "warnings": list(self.warnings),
        }
