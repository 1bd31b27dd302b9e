"""``judgements.toml``: what inspectors and the ratings panel decided, beside the cases.

* ``[[judgement]]`` — standard, rating, evidence: the lead inspector's rating of a
  judgement-rated standard (domain one) with its evidence summary.
* ``[[moderation]]`` — standard, direction (up|down), rationale, ratified: a qualitative
  moderation such as unpaid work's 4.1.3, applied only when the panel ratified it.
* ``[[panel]]`` — standard, direction, rationale: a professional-judgement decision of the
  ratings panel on a standard eligible for one.
* ``[[finding]]`` — text, kind (strength|improvement), domain (optional; without it the
  finding is the inspection's): the report's narrative, "Strengths" and "Areas for
  improvement" per domain as the published reports list them.
* ``[[recommendation]]`` — text, domain (optional): the report's recommendations.

An inspection imported into the store keeps its findings and recommendations (in its
details); they cannot yet be edited there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..catalogue.records import LABELS, Rating
from ..errors import Problems
from ..tomlfile import Table, read_toml

DIRECTIONS = {"up": 1, "down": -1}


@dataclass(frozen=True)
class Judgement:
    """The lead inspector's rating of a standard rated by judgement (domain one), with its evidence."""
    standard: str
    rating: Rating
    evidence: str
    where: str = ""


@dataclass(frozen=True)
class Moderation:
    """A one-band move of a standard on qualitative evidence (unpaid work's 4.1.3)."""
    standard: str
    direction: int  # +1 up, -1 down
    rationale: str
    ratified: bool
    where: str = ""


@dataclass(frozen=True)
class PanelDecision:
    """The ratings panel's one-band move of a standard near a band boundary."""
    standard: str
    direction: int
    rationale: str
    where: str = ""


@dataclass(frozen=True)
class Finding:
    """A strength or area for improvement the report states, for one domain or the whole inspection."""
    text: str
    kind: str = "strength"        #: strength | improvement
    domain: int | None = None     #: None: the inspection as a whole
    where: str = ""


@dataclass(frozen=True)
class Recommendation:
    """A recommendation the report makes, to one domain or the whole inspection."""
    text: str
    domain: int | None = None
    where: str = ""


FINDING_KINDS = ("strength", "improvement")


@dataclass(frozen=True)
class Judgements:
    """Everything decided rather than counted: judgements, moderations, panel decisions,
    findings and recommendations (an inspection's ``judgements.toml``)."""
    judgements: tuple[Judgement, ...] = ()
    moderations: tuple[Moderation, ...] = ()
    panel: tuple[PanelDecision, ...] = ()
    findings: tuple[Finding, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()


def _common(table: Table) -> tuple[str, int, str]:
    standard = table.str("standard", required=True, default="", nonempty=True)
    direction = table.str("direction", required=True, default="up", choices=tuple(DIRECTIONS))
    rationale = table.str("rationale", required=True, default="")
    if not rationale:
        table.problems.add(f"{table.where} rationale",
                           "a rationale is required: the published report footnotes every adjustment")
    return standard, DIRECTIONS.get(direction or "up", 1), rationale


#: The evidence text of the ``inspect init`` template, refused as evidence.
PLACEHOLDER_EVIDENCE = "Evidence summary."
PLACEHOLDER_PROBLEM = ("the template's placeholder text is not evidence: write the evidence summary "
                       "for this standard")


def is_placeholder(evidence: str) -> bool:
    """Whether ``evidence`` is the template's placeholder (whatever its case or full stop)."""
    return evidence.strip().rstrip(".").strip().lower() == PLACEHOLDER_EVIDENCE.rstrip(".").lower()


def read_judgements(path: Path, problems: Problems) -> Judgements:
    """Read ``judgements.toml``; a missing file means no judgements (checked later)."""
    if not path.exists():
        return Judgements()
    data = read_toml(path, problems)
    if data is None:
        return Judgements()
    top = Table(data, path.name, problems)
    judgements, moderations, panel = [], [], []
    for table in top.tables("judgement"):
        standard = table.str("standard", required=True, default="", nonempty=True)
        label = table.str("rating", required=True, default="")
        evidence = table.str("evidence", required=True, default="")
        if not evidence:
            problems.add(f"{table.where} evidence", "an evidence summary is required")
        elif is_placeholder(evidence):
            problems.add(f"{table.where} evidence", PLACEHOLDER_PROBLEM)
        try:
            rating = Rating.from_label(label) if label else None
        except ValueError:
            problems.add(f"{table.where} rating", f"expected one of {', '.join(LABELS)}, found {label!r}")
            rating = None
        table.finish()
        if rating is not None:
            judgements.append(Judgement(standard, rating, evidence, table.where))
    for table in top.tables("moderation"):
        standard, direction, rationale = _common(table)
        ratified = table.bool("ratified", required=True)
        table.finish()
        moderations.append(Moderation(standard, direction, rationale, ratified, table.where))
    for table in top.tables("panel"):
        standard, direction, rationale = _common(table)
        table.finish()
        panel.append(PanelDecision(standard, direction, rationale, table.where))
    findings, recommendations = [], []
    for table in top.tables("finding"):
        text = table.str("text", required=True, default="", nonempty=True) or ""
        kind = table.str("kind", default="strength", choices=FINDING_KINDS) or "strength"
        domain = table.int("domain", minimum=1, maximum=9)
        table.finish()
        if text:
            findings.append(Finding(text, kind, domain, table.where))
    for table in top.tables("recommendation"):
        text = table.str("text", required=True, default="", nonempty=True) or ""
        domain = table.int("domain", minimum=1, maximum=9)
        table.finish()
        if text:
            recommendations.append(Recommendation(text, domain, table.where))
    top.finish()
    return Judgements(tuple(judgements), tuple(moderations), tuple(panel), tuple(findings),
                      tuple(recommendations))
