"""Figures an inspection is compared with: the provider's previous inspection and all providers.

A published report sets each key question's figure beside "Previous inspection" and "All
CRCs" (seed 002, the key-question tables of standards 2.1-2.4 and 4.2), and uses the word
"significant" only for a change that passes the Z-score test (Annex 2, "Comparative data").
The test needs each figure's number of cases, so a comparator carries, per key question, the
percentage and ``n`` (the "yes" count follows).

Comparators come from ``inspection.toml``::

    [[comparator]]
    name = "previous"                    # or "all-providers"
    label = "Previous inspection (2018)"
    [comparator.key_questions]
    "2.1.1" = { percent = 74, n = 100, n_assumed = true }
    [comparator.prompts]                 # optional: prompt figures (seed 002 Annex 4)
    "2.1.1.a" = { percent = 76 }

``n_assumed = true`` marks a sample size the source does not print. A comparator may also give
its rating per standard (the previous inspection's, shown beside each standard's rating)::

    [comparator.standards]
    "2.1" = "Requires improvement"

Or they are computed by
:func:`comparator_from_results` from other inspections of the same profile (the store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping

from ..catalogue.records import LABELS
from ..rating.results import InspectionResult
from ..rating.rules import percent_of, published_percent
from ..tomlfile import Table

#: The comparators a report knows: the provider's previous inspection, and all providers.
COMPARATOR_NAMES = ("previous", "all-providers")


@dataclass(frozen=True)
class ComparatorFigure:
    """One key question's comparator figure: a percentage over ``n`` cases.

    ``yes_count`` is known exactly when the figure was computed from results; from a
    published table it is derived from the (rounded) percentage.
    """

    percent: float
    n: int | None = None
    n_assumed: bool = False
    yes_count: int | None = None

    @property
    def yes(self) -> int | None:
        """The "yes" count behind the figure; None without ``n``."""
        if self.yes_count is not None:
            return self.yes_count
        if self.n is None:
            return None
        return min(self.n, max(0, round(self.percent * self.n / 100)))

    def to_dict(self) -> dict:
        return {"percent": self.percent, "n": self.n, "n_assumed": self.n_assumed, "yes": self.yes}


@dataclass(frozen=True)
class Comparator:
    """Figures per key question id, under a name (``previous`` / ``all-providers``) and a label."""

    name: str
    label: str
    key_questions: Mapping[str, ComparatorFigure] = field(default_factory=dict)
    source: str = ""  #: where it comes from: ``inspection.toml [[comparator]] #1`` …
    standards: Mapping[str, str] = field(default_factory=dict)  #: rating label per standard id
    inspections: tuple[str, ...] = ()  #: the stored inspections a pooled comparator sums
    #: prompt-level figures (``[comparator.prompts]``), as a report's Annex 4 prints them
    prompts: Mapping[str, ComparatorFigure] = field(default_factory=dict)

    def prompt_figure(self, prompt: str) -> ComparatorFigure | None:
        return self.prompts.get(prompt)

    def figure(self, key_question: str) -> ComparatorFigure | None:
        return self.key_questions.get(key_question)

    @property
    def any_assumed(self) -> bool:
        return any(f.n_assumed for f in self.key_questions.values())

    def to_dict(self) -> dict:
        out = {"name": self.name, "label": self.label, "source": self.source,
               "key_questions": {kq: f.to_dict() for kq, f in self.key_questions.items()}}
        if self.standards:
            out["standards"] = dict(self.standards)
        if self.prompts:
            out["prompts"] = {p: f.to_dict() for p, f in self.prompts.items()}
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Comparator:
        """The inverse of :meth:`to_dict` (how the store keeps comparators)."""
        def figures(key: str) -> MappingProxyType:
            return MappingProxyType({
                qid: ComparatorFigure(f["percent"], f.get("n"), f.get("n_assumed", False), f.get("yes"))
                for qid, f in data.get(key, {}).items()})
        return cls(data["name"], data["label"], figures("key_questions"), data.get("source", ""),
                   standards=MappingProxyType(dict(data.get("standards", {}))),
                   inspections=tuple(data.get("inspections", ())), prompts=figures("prompts"))


def comparator_from_results(results: Iterable[InspectionResult], label: str, *,
                            name: str = "all-providers") -> Comparator:
    """Pool other inspections' key questions: "yes" and applicable cases summed per key question.

    Every result must come from the same profile (key-question ids are only comparable
    within a framework edition); raise ValueError otherwise. Key questions rated from
    cases count; qualitative and information ones have no figure.
    """
    return comparator_from_figures([(r.profile, key_question_counts(r)) for r in results], label, name=name)


def key_question_counts(result: InspectionResult) -> dict[str, tuple[int, int]]:
    """What a rated inspection adds to a pooled comparator: ("yes", applicable) of each key
    question rated from cases that applies to any case, in framework order."""
    return {kq.id: (kq.yes, kq.applicable) for standard in result.standards
            for kq in standard.key_questions if kq.evidence == "cases" and kq.applicable}


def comparator_from_figures(inspections: Iterable[tuple[str, Mapping[str, tuple[int, int]]]], label: str,
                            *, name: str = "all-providers") -> Comparator:
    """:func:`comparator_from_results` from each inspection's profile name and
    :func:`key_question_counts` (as the store keeps them)."""
    inspections = list(inspections)
    if name not in COMPARATOR_NAMES:
        raise ValueError(f"comparator name must be one of {', '.join(COMPARATOR_NAMES)}, found {name!r}")
    profiles = sorted({profile for profile, _ in inspections})
    if len(profiles) > 1:
        raise ValueError("comparator results must share one profile; found " + ", ".join(profiles))
    pooled: dict[str, list[int]] = {}
    for _, counts in inspections:
        for kq_id, (yes, applicable) in counts.items():
            total = pooled.setdefault(kq_id, [0, 0])
            total[0] += yes
            total[1] += applicable
    figures = {kq: ComparatorFigure(published_percent(percent_of(yes, n)), n, False, yes)
               for kq, (yes, n) in pooled.items()}
    plural = "inspection" if len(inspections) == 1 else "inspections"
    return Comparator(name, label, MappingProxyType(figures),
                      f"computed from {len(inspections)} {plural}" + (f" ({profiles[0]})" if profiles else ""))


def _number(table: Table, key: str, minimum: float, maximum: float) -> float | None:
    table.seen.add(key)
    if key not in table.data:
        table.problems.add(table.where, f"missing key {key!r} (a number from {minimum:g} to {maximum:g})")
        return None
    value = table.data[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not minimum <= value <= maximum:
        table.problems.add(f"{table.where} {key}",
                           f"expected a number from {minimum:g} to {maximum:g}, found {value!r}")
        return None
    return value


def _figure(table: Table) -> ComparatorFigure | None:
    percent = _number(table, "percent", 0, 100)
    n = table.int("n", minimum=1, maximum=10_000_000)
    assumed = table.bool("n_assumed")
    table.finish()
    if assumed and n is None and "n" not in table.data:
        table.problems.add(f"{table.where} n_assumed",
                           "n_assumed = true needs the assumed n beside it")
    if percent is None:
        return None
    return ComparatorFigure(percent, n, assumed)


def _figures(table: Table, key: str) -> dict[str, ComparatorFigure]:
    """``"<id>" = { percent = ..., n = ... }`` entries of one figures table (``n`` optional)."""
    figures: dict[str, ComparatorFigure] = {}
    for qid, value in table.data.items():
        table.seen.add(qid)
        figure = _figure(Table(value, table.file, table.problems, f'{key}."{qid}"'))
        if figure is not None:
            figures[qid.strip()] = figure
    return figures


def read_comparators(top: Table) -> tuple[Comparator, ...]:
    """Read every ``[[comparator]]`` of ``inspection.toml``; problems name the key."""
    out = []
    names: dict[str, str] = {}
    for entry in top.tables("comparator"):
        name = entry.str("name", required=True, choices=COMPARATOR_NAMES)
        label = entry.str("label", required=True, nonempty=True) or ""
        figures_table = entry.table("key_questions")
        standards_table = entry.table("standards")
        prompts_table = entry.table("prompts")
        entry.finish()
        ratings: dict[str, str] = {}
        if standards_table is not None:
            for standard_id, rating in standards_table.data.items():
                standards_table.seen.add(standard_id)
                if rating not in LABELS:
                    entry.problems.add(f'{entry.where} standards."{standard_id}"',
                                       f"expected one of {', '.join(LABELS)}, found {rating!r}")
                else:
                    ratings[standard_id.strip()] = rating
        if figures_table is None:
            entry.problems.add(entry.where, "missing [comparator.key_questions]: "
                                            '"<key question>" = { percent = ..., n = ... }')
        if name in names:
            entry.problems.add(f"{entry.where} name",
                               f"a second {name!r} comparator (first: {names[name]})")
        elif name is not None:
            names[name] = entry.where
        figures: dict[str, ComparatorFigure] = {}
        if figures_table is not None:
            for kq_id, value in figures_table.data.items():
                figures_table.seen.add(kq_id)
                figure = _figure(Table(value, figures_table.file, figures_table.problems,
                                       f'key_questions."{kq_id}"'))
                if figure is not None:
                    figures[kq_id.strip()] = figure
        prompts = _figures(prompts_table, "prompts") if prompts_table is not None else {}
        if name is not None and label:
            out.append(Comparator(name, label, MappingProxyType(figures), entry.where,
                                  standards=MappingProxyType(ratings), prompts=MappingProxyType(prompts)))
    return tuple(out)
