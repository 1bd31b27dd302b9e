"""``judgements.toml``: what inspectors and the ratings panel decided, beside the cases.

* ``[[judgement]]`` — standard, rating, evidence: the lead inspector's rating of a
  judgement-rated standard (domain one) with its evidence summary.
* ``[[moderation]]`` — standard, direction (up|down), rationale, ratified: a qualitative
  moderation such as unpaid work's 4.1.3, applied only when the panel ratified it.
* ``[[panel]]`` — standard, direction, rationale: a professional-judgement decision of the
  ratings panel on a standard eligible for one.
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
    standard: str
    rating: Rating
    evidence: str
    where: str = ""


@dataclass(frozen=True)
class Moderation:
    standard: str
    direction: int  # +1 up, -1 down
    rationale: str
    ratified: bool
    where: str = ""


@dataclass(frozen=True)
class PanelDecision:
    standard: str
    direction: int
    rationale: str
    where: str = ""


@dataclass(frozen=True)
class Judgements:
    judgements: tuple[Judgement, ...] = ()
    moderations: tuple[Moderation, ...] = ()
    panel: tuple[PanelDecision, ...] = ()


def _common(table: Table) -> tuple[str, int, str]:
    standard = table.str("standard", required=True, default="", nonempty=True)
    direction = table.str("direction", required=True, default="up", choices=tuple(DIRECTIONS))
    rationale = table.str("rationale", required=True, default="")
    if not rationale:
        table.problems.add(f"{table.where} rationale",
                           "a rationale is required: the published report footnotes every adjustment")
    return standard, DIRECTIONS.get(direction or "up", 1), rationale


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
    top.finish()
    return Judgements(tuple(judgements), tuple(moderations), tuple(panel))
