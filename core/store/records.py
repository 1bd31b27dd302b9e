"""The records the store hands out, and the helpers every part of it shares.

:func:`guarded` turns a database error inside a store method into one line
(:func:`.engine.describe`); :func:`audit` appends to the audit trail, the only way the
store writes it.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, TypeVar

from sqlalchemy import Connection, func, insert, select, true
from sqlalchemy.exc import SQLAlchemyError

from ..inspection.cases import Case
from ..inspection.folder import InspectionInfo
from ..catalogue.records import Rating
from ..inspection.judgements import (
    Finding,
    Judgement,
    Judgements,
    Moderation,
    PanelDecision,
    Recommendation,
)
from . import schema as t
from .engine import StoreError, describe

COMPLETE, IN_PROGRESS = "complete", "in-progress"
F = TypeVar("F", bound=Callable[..., Any])


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def guarded(method: F) -> F:
    """Turn a database error inside a store method into one line (:func:`.engine.describe`)."""
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise StoreError(describe(exc, self.url)) from exc
    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class AuditEntry:
    at: str
    who: str
    action: str
    case_id: str | None
    item: str | None
    old: str | None
    new: str | None
    reason: str


@dataclass(frozen=True)
class StoredSummary:
    name: str
    provider: str
    profile: str
    locked: bool
    cases: int


@dataclass(frozen=True)
class ProfileSnapshot:
    """The profile an inspection is rated with, as recorded when it was imported."""

    toml: str                      #: the resolved profile (after ``extends``), as TOML
    edition: str
    plugins: dict[str, str]        #: plugin -> version, for every plugin contributing a standard
    recorded_at: str = ""
    source: str = ""               #: the profile's name or path when it was recorded

    def to_dict(self) -> dict[str, Any]:
        return {"toml": self.toml, "edition": self.edition, "plugins": dict(self.plugins),
                "recorded_at": self.recorded_at, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ProfileSnapshot | None:
        if not data:
            return None
        return cls(data["toml"], data["edition"], dict(data.get("plugins", {})),
                   data.get("recorded_at", ""), data.get("source", ""))



def info_of(row) -> InspectionInfo:
    from ..inspection.comparators import Comparator
    comparators = tuple(Comparator.from_dict(c) for c in (row.details or {}).get("comparators", ()))
    return InspectionInfo(row.provider, row.profile, row.synthetic, row.fieldwork, row.notes,
                          comparators)


def case_of(row, answers: dict[str, str] | None = None) -> Case:
    """The case of an ``inspected_case`` row, with its own answers unless ``answers`` are given."""
    from types import MappingProxyType
    return Case(row.case_id, row.sample, MappingProxyType(dict(row.attributes)),
                MappingProxyType(dict(row.answers) if answers is None else answers),
                source=f"store case {row.case_id}", excluded=row.excluded)


def answer_items(db: Connection):
    """Each case's answers as rows ``(key: question id, value: answer)``, to join to
    ``inspected_case`` (``JOIN ... ON true``): SQLite's ``json_each``, PostgreSQL's
    ``json_each_text``, each over the row's ``answers`` object (migration 0007)."""
    each = func.json_each_text if db.dialect.name == "postgresql" else func.json_each
    return each(t.inspected_case.c.answers).table_valued("key", "value")


def answer_counts(db: Connection, inspection_ids: Iterable[int], question_ids: Iterable[str] | None = None
                  ) -> dict[int, list[tuple[str, str, int]]]:
    """Inspection id -> (question, answer, number of cases) for the given inspections (and,
    if given, only those questions), excluded cases left out: one aggregate query."""
    c, a = t.inspected_case, answer_items(db)
    query = (select(c.c.inspection_id, a.c.key, a.c.value, func.count()).select_from(c.join(a, true()))
             .where(c.c.inspection_id.in_(list(inspection_ids)), c.c.excluded == ""))
    if question_ids is not None:
        query = query.where(a.c.key.in_(sorted(set(question_ids))))
    out: dict[int, list[tuple[str, str, int]]] = {}
    for inspection_id, question_id, value, number in db.execute(
            query.group_by(c.c.inspection_id, a.c.key, a.c.value)):
        out.setdefault(inspection_id, []).append((question_id, value, number))
    return out


def excluded_cases(db: Connection, inspection_ids: Iterable[int] | None = None) -> dict[int, list[Case]]:
    """Inspection id -> its excluded cases (of every inspection, or those given) in the order
    they were added, without their answers (they are not counted)."""
    c = t.inspected_case
    query = select(*(col for col in c.c if col.name != "answers")).where(c.c.excluded != "")
    if inspection_ids is not None:
        query = query.where(c.c.inspection_id.in_(list(inspection_ids)))
    out: dict[int, list[Case]] = {}
    for row in db.execute(query.order_by(c.c.id)):
        out.setdefault(row.inspection_id, []).append(case_of(row, {}))
    return out


def judgement_of(r) -> Judgement:
    return Judgement(r.standard, Rating.from_label(r.rating), r.evidence, "judgements (store)")


def moderation_of(r) -> Moderation:
    return Moderation(r.standard, r.direction, r.rationale, r.ratified, f"moderation of {r.standard}")


def panel_decision_of(r) -> PanelDecision:
    return PanelDecision(r.standard, r.direction, r.rationale, f"panel decision on {r.standard}")


def with_answer(answers, question_id: str, value: str) -> dict[str, str]:
    """A case's answers with one set (or, with an empty ``value``, cleared): a new mapping in
    the same order (an answer changed keeps its place, a new one comes last)."""
    out = dict(answers)
    if value:
        out[question_id] = value        # an answer changed keeps its place
    else:
        out.pop(question_id, None)
    return out


#: One encoder for every case (``json.dumps`` with options makes a new one each call).
_ANSWERS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def answers_json(answers) -> str:
    """A case's answers as stored: one JSON object, in their order (bulk writes give the
    driver this text; an edit writes the mapping through SQLAlchemy's JSON type)."""
    return _ANSWERS.encode(dict(answers))


def describe_values(values: dict) -> str:
    return "; ".join(f"{key}={value}" for key, value in values.items()
                     if key not in ("inspection_id", "standard"))


def snapshot_line(snapshot: ProfileSnapshot | None) -> str | None:
    """A profile snapshot in one line for the audit: its source, edition, digest and plugins."""
    if snapshot is None:
        return None
    import hashlib
    digest = hashlib.sha256(snapshot.toml.encode("utf-8")).hexdigest()[:12]
    plugins = ", ".join(f"{name} {version}" for name, version in sorted(snapshot.plugins.items()))
    return f"{snapshot.source} ({snapshot.edition} edition, sha256 {digest}; plugins {plugins})"


def narrative_details(judgements: Judgements) -> dict[str, Any]:
    """The report's findings and recommendations, kept in the inspection's details."""
    if not (judgements.findings or judgements.recommendations):
        return {}
    return {"narrative": {
        "findings": [{"text": f.text, "kind": f.kind, "domain": f.domain} for f in judgements.findings],
        "recommendations": [{"text": r.text, "domain": r.domain} for r in judgements.recommendations]}}


def narrative_of(details: dict[str, Any] | None) -> tuple[tuple[Finding, ...], tuple[Recommendation, ...]]:
    narrative = (details or {}).get("narrative", {})
    return (tuple(Finding(f["text"], f.get("kind", "strength"), f.get("domain"), "finding (store)")
                  for f in narrative.get("findings", ())),
            tuple(Recommendation(r["text"], r.get("domain"), "recommendation (store)")
                  for r in narrative.get("recommendations", ())))


def audit(db: Connection, inspection_id: int, who: str, action: str, *, case_id: str | None = None,
           item: str | None = None, old: str | None = None, new: str | None = None,
           reason: str = "") -> None:
    db.execute(insert(t.audit).values(inspection_id=inspection_id, at=now(), who=who, action=action,
                                      case_id=case_id, item=item, old=old, new=new, reason=reason))
