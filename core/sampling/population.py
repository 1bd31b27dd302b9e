"""The eligible-population file (CSV): read and checked in one pass, every problem by row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Mapping

import structlog

from ..errors import Problems
from ..inspection.case_files import read_tables
from ..inspection.case_reading import REQUIRED_COLUMNS
from ..profiles.profile import SamplingPlan

log = structlog.get_logger(__name__)


# --------------------------------------------------------------------------------------
# The population file
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationCase:
    """One row of the eligible-population file."""

    case_id: str
    sample: str
    dates: Mapping[str, date]
    attributes: Mapping[str, str]
    where: str = field(default="", compare=False)   #: "population.csv row 7"


def parse_date(text: str) -> date | None:
    """An ISO date ``YYYY-MM-DD``, or None."""
    text = text.strip()
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_population(path: Path, plan: SamplingPlan, vocabularies: Mapping[str, tuple[str, ...]],
                    problems: Problems) -> list[PopulationCase]:
    """Read and check an eligible-population file (CSV, or XLSX or JSON read as case files are);
    every problem is added to ``problems``.

    Columns: ``case_id``, ``sample`` (a sample of the plan), each date column a window of a
    listed sample names, each stratum attribute of a listed sample; others are ignored.
    ``vocabularies`` gives the allowed values of closed case attributes (``rosh`` …).
    """
    if not path.is_file():
        problems.add(str(path), "file not found")
        return []
    tables = read_tables(path, problems)
    if len(tables) != 1:
        if tables:
            problems.add(path.name, "expected one table of cases (an XLSX workbook with one sheet)")
        return []
    [(name, header, lines)] = tables
    header = [cell.strip() for cell in header]
    positions: dict[str, int] = {}
    for index, column in enumerate(header):
        if column in positions:
            problems.add(f"{name} column {index + 1}", f"duplicate column {column!r} "
                                                       f"(also column {positions[column] + 1})")
        elif column:
            positions[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            problems.add(name, f"missing required column {column!r}")

    rows = [(f"{name} {label}", row) for label, row in lines if any(cell.strip() for cell in row)]
    listed = {row[positions["sample"]].strip() for _, row in rows
              if "sample" in positions and len(row) == len(header)}
    needed: dict[str, list[str]] = {}       # column -> samples that need it
    for sample in sorted(listed & set(plan.samples)):
        sample_rule = plan.samples[sample]
        if sample_rule.window is not None:
            needed.setdefault(sample_rule.window.column, []).append(sample)
        for attribute in plan.strata_of(sample_rule):
            needed.setdefault(attribute, []).append(sample)
    for column, samples in needed.items():
        if column not in positions:
            problems.add(name, f"missing column {column!r}, needed by sample {', '.join(samples)}")

    cases: list[PopulationCase] = []
    first_seen: dict[str, str] = {}
    for where, row in rows:
        if len(row) != len(header):
            problems.add(where, f"has {len(row)} fields; the header has {len(header)}")
            continue
        cell = {column: row[index].strip() for column, index in positions.items()}
        case_id, sample = cell.get("case_id", ""), cell.get("sample", "")
        ok = True
        if "case_id" in positions and not case_id:
            problems.add(f"{where}, column 'case_id'", "missing case id")
            ok = False
        elif case_id in first_seen:
            problems.add(f"{where}, column 'case_id'",
                         f"duplicate case id {case_id!r} (first in {first_seen[case_id]})")
            ok = False
        elif case_id:
            first_seen[case_id] = where
        rule = plan.samples.get(sample)
        if "sample" in positions and rule is None:
            problems.add(f"{where}, column 'sample'",
                         f"unknown sample {sample!r}; the profile samples: {', '.join(plan.samples)}")
            continue
        if rule is None:
            continue
        dates: dict[str, date] = {}
        if rule.window is not None and rule.window.column in cell:
            column = rule.window.column
            value = parse_date(cell[column])
            if value is None:
                found = f"found {cell[column]!r}" if cell[column] else "the cell is empty"
                problems.add(f"{where}, column {column!r}", f"expected an ISO date YYYY-MM-DD "
                                                            f"(the {sample} window is on it); {found}")
                ok = False
            else:
                dates[column] = value
        attributes = {column: cell[column] for column in plan.columns() if column in cell}
        stratified = plan.strata_of(rule)
        for attribute, text in attributes.items():
            allowed = vocabularies.get(attribute, ())
            if not text and attribute in stratified:
                problems.add(f"{where}, column {attribute!r}",
                             f"missing: the {sample} sample is stratified on {attribute}")
                ok = False
            elif text and allowed and text not in allowed:
                problems.add(f"{where}, column {attribute!r}",
                             f"bad value {text!r}; expected one of {', '.join(allowed)}")
                ok = False
        if ok:
            cases.append(PopulationCase(case_id, sample, dates, attributes, where))
    log.debug("population read", rows=len(rows), cases=len(cases))
    return cases


def fieldwork_needed(plan: SamplingPlan, cases: list[PopulationCase]) -> list[str]:
    """The samples listed in ``cases`` whose eligibility is a window on a date."""
    listed = {case.sample for case in cases}
    return [name for name, rule in plan.samples.items() if name in listed and rule.window is not None]
