"""Drawing an inspection's case sample from its eligible population.

The method is the one the published report describes (seed 002, Thames Valley CRC, Annex 2
"Methodology"):

* **Eligibility** is a window on one date of the case, counted back from the fieldwork: the
  domain two cases "had been under community supervision for approximately six to seven
  months" (and seed 001: "the community sentence cases being inspected will be approximately
  six to seven months old"); unpaid work requirements "had begun at least three months
  previously"; Through the Gate cases were released "over a 4-week period, shortly before the
  inspection fieldwork"; court work is inspected where a report "has been prepared within the
  previous 12 months" (seed 001, CW 1). A profile states each as a :class:`.profiles.Window`.
* **Size**: "set to achieve a confidence level of 80 per cent (with a margin of error of 5)",
  corrected for the size of the eligible population (:func:`required_size`). Where the
  published data cannot support that (Through the Gate), a profile may fix the size instead.
* **Strata**: "we ensured that the ratios in relation to gender, type of disposal and risk of
  serious harm level matched those in the eligible population" (unpaid work: gender and RoSH).
  The size is allocated across the strata in proportion by the largest-remainder method
  (:func:`allocate`), so the parts sum to the size exactly; each stratum's cases are then
  drawn at random with a fixed seed, from the population sorted by case id, so the same
  file, fieldwork date and seed always give the same sample.

A profile's ``[sampling]`` table (read by :mod:`.profiles`) is a :class:`.profiles.SamplingPlan`;
:func:`read_population` checks an eligible-population CSV in one pass, :func:`draw_samples`
draws, :func:`summary_text` compares the sample's ratios with the population's and
:func:`write_selection` writes the selected cases atomically.
"""

from __future__ import annotations

import calendar
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Mapping

import structlog

from ..inspection.case_files import read_tables, write_tables
from ..errors import Problems
from ..profiles.reader import SampleRule, SamplingPlan, Window
from ..stats import sample_size

log = structlog.get_logger(__name__)

REQUIRED_COLUMNS = ("case_id", "sample")


# --------------------------------------------------------------------------------------
# Eligibility windows (a profile's records: :class:`.profiles.Window`)
# --------------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, or the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _back(window: Window, fieldwork: date, amount: int) -> date:
    if window.unit == "weeks":
        return fieldwork - timedelta(weeks=amount)
    return months_before(fieldwork, amount)


def window_bounds(window: Window, fieldwork: date) -> tuple[date | None, date | None]:
    """The earliest and latest eligible dates (None: open), both included."""
    earliest = None if window.at_most is None else _back(window, fieldwork, window.at_most)
    latest = None if window.at_least is None else _back(window, fieldwork, window.at_least)
    return earliest, latest


def outside_window(window: Window, value: date, fieldwork: date) -> str | None:
    """Why a case dated ``value`` is ineligible (which end of the window it misses), or None."""
    earliest, latest = window_bounds(window, fieldwork)
    unit = window.unit
    if earliest is not None and value < earliest:
        return f"{window.column} before {earliest}: more than {window.at_most} {unit} before fieldwork"
    if latest is not None and value > latest:
        return f"{window.column} after {latest}: less than {window.at_least} {unit} before fieldwork"
    return None


def describe_window(window: Window, fieldwork: date | None = None) -> str:
    """``start_date from 2019-02-16 to 2019-03-16 (6 to 7 months before fieldwork on …)``."""
    low, high, unit = window.at_least, window.at_most, window.unit
    if low is not None and high is not None:
        span = f"{low} to {high} {unit} before fieldwork"
    elif low is not None:
        span = f"at least {low} {unit} before fieldwork"
    else:
        span = f"at most {high} {unit} before fieldwork"
    if fieldwork is None:
        return f"{window.column} {span}"
    earliest, latest = window_bounds(window, fieldwork)
    dates = (f"from {earliest} to {latest}" if earliest and latest
             else f"on or before {latest}" if latest else f"on or after {earliest}")
    return f"{window.column} {dates} ({span} on {fieldwork})"


def check_samples(plan: SamplingPlan, known: set[str], where: str) -> Problems:
    """Each sample the plan names must be a sample of the profile's standards."""
    problems = Problems()
    for name in plan.samples:
        if name not in known:
            problems.add(f"{where} [sampling.samples.{name}]",
                         f"no standard of the profile is rated on a {name!r} sample; "
                         f"its samples: {', '.join(sorted(known)) or 'none'}")
    return problems


# --------------------------------------------------------------------------------------
# Size and allocation
# --------------------------------------------------------------------------------------


def required_size(eligible: int, confidence: float, margin: float) -> int:
    """Cases to inspect out of ``eligible`` for a confidence level (per cent) and margin of
    error (percentage points), finite-population corrected, never more than ``eligible``."""
    if eligible <= 0:
        return 0
    return min(eligible, sample_size(eligible, confidence=confidence / 100, margin=margin / 100).n)


def allocate(size: int, counts: Mapping[tuple[str, ...], int]) -> dict[tuple[str, ...], int]:
    """Share ``size`` across strata in proportion to their ``counts`` (largest remainder).

    Each stratum first gets the whole part of its quota ``size * count / total``; the cases
    left over go one each to the strata with the largest fractional parts (ties: the larger
    stratum, then the stratum's values in order), so the shares sum to ``size`` exactly and
    no share exceeds its stratum. Integer arithmetic throughout: no rounding error.
    """
    total = sum(counts.values())
    if size < 0 or size > total:
        raise ValueError(f"cannot allocate {size} cases across a population of {total}")
    if total == 0:
        return {key: 0 for key in counts}
    shares = {key: size * count // total for key, count in counts.items()}
    remainders = {key: size * count % total for key, count in counts.items()}
    left = size - sum(shares.values())
    for key in sorted(counts, key=lambda k: (-remainders[k], -counts[k], k))[:left]:
        shares[key] += 1
    return shares


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
        rule = plan.samples[sample]
        if rule.window is not None:
            needed.setdefault(rule.window.column, []).append(sample)
        for attribute in plan.strata_of(rule):
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
        for attribute, value in attributes.items():
            allowed = vocabularies.get(attribute, ())
            if not value and attribute in stratified:
                problems.add(f"{where}, column {attribute!r}",
                             f"missing: the {sample} sample is stratified on {attribute}")
                ok = False
            elif value and allowed and value not in allowed:
                problems.add(f"{where}, column {attribute!r}",
                             f"bad value {value!r}; expected one of {', '.join(allowed)}")
                ok = False
        if ok:
            cases.append(PopulationCase(case_id, sample, dates, attributes, where))
    log.debug("population read", rows=len(rows), cases=len(cases))
    return cases


def fieldwork_needed(plan: SamplingPlan, cases: list[PopulationCase]) -> list[str]:
    """The samples listed in ``cases`` whose eligibility is a window on a date."""
    listed = {case.sample for case in cases}
    return [name for name, rule in plan.samples.items() if name in listed and rule.window is not None]


# --------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleDraw:
    """One sample drawn: who was eligible, why others were not, who was selected and how."""

    rule: SampleRule
    strata: tuple[str, ...]
    listed: int
    eligible: tuple[PopulationCase, ...]
    ineligible: Mapping[str, int]           #: reason -> cases
    size: int
    size_basis: str                         #: how the size was set, for the summary
    allocation: Mapping[tuple[str, ...], int]
    selected: tuple[PopulationCase, ...]
    seed: int

    def distribution(self, attribute: str) -> list[tuple[str, int, int]]:
        """(value, eligible cases, selected cases) for each value of ``attribute``."""
        eligible = Counter(case.attributes.get(attribute, "") for case in self.eligible)
        selected = Counter(case.attributes.get(attribute, "") for case in self.selected)
        return [(value, eligible[value], selected[value]) for value in sorted(eligible)]


def _stratum(case: PopulationCase, strata: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(case.attributes.get(attribute, "") for attribute in strata)


def draw_sample(rule: SampleRule, plan: SamplingPlan, cases: list[PopulationCase],
                fieldwork: date | None, *, seed: int, confidence: float | None = None,
                margin: float | None = None) -> SampleDraw:
    """Draw one sample from its listed ``cases``.

    ``confidence`` and ``margin`` (from the command line) override the profile's, except
    where the profile fixes the sample's size. The random draw uses its own generator,
    seeded by ``seed`` and the sample's name, so one sample's draw does not depend on
    another's cases.
    """
    strata = plan.strata_of(rule)
    eligible: list[PopulationCase] = []
    ineligible: Counter[str] = Counter()
    for case in sorted(cases, key=lambda c: c.case_id):
        reason = None
        if rule.window is not None:
            if fieldwork is None:
                raise ValueError(f"sample {rule.name} has an eligibility window: a fieldwork date is needed")
            reason = outside_window(rule.window, case.dates[rule.window.column], fieldwork)
        if reason:
            ineligible[reason] += 1
        else:
            eligible.append(case)

    if rule.size is not None:
        size = min(rule.size, len(eligible))
        basis = f"fixed by the profile at {rule.size}"
    else:
        level = confidence if confidence is not None else rule.confidence if rule.confidence is not None \
            else plan.confidence
        error = margin if margin is not None else rule.margin if rule.margin is not None else plan.margin
        size = required_size(len(eligible), level, error)
        basis = (f"confidence {level:g}%, margin of error {error:g} points, "
                 f"corrected for the {len(eligible)} eligible")

    groups: dict[tuple[str, ...], list[PopulationCase]] = {}
    for case in eligible:
        groups.setdefault(_stratum(case, strata), []).append(case)
    shares = allocate(size, {key: len(members) for key, members in groups.items()})
    generator = random.Random(f"{seed}:{rule.name}")
    selected: list[PopulationCase] = []
    for key in sorted(groups):
        selected += generator.sample(groups[key], shares[key])
    selected.sort(key=lambda c: c.case_id)
    log.debug("sample drawn", sample=rule.name, listed=len(cases), eligible=len(eligible),
              strata=len(groups), selected=len(selected))
    return SampleDraw(rule, strata, len(cases), tuple(eligible), dict(ineligible), size, basis,
                      shares, tuple(selected), seed)


def draw_samples(plan: SamplingPlan, cases: list[PopulationCase], fieldwork: date | None, *,
                 seed: int | None = None, confidence: float | None = None,
                 margin: float | None = None) -> list[SampleDraw]:
    """Draw every sample of the plan that ``cases`` lists, in the plan's order."""
    seed = plan.seed if seed is None else seed
    by_sample: dict[str, list[PopulationCase]] = {}
    for case in cases:
        by_sample.setdefault(case.sample, []).append(case)
    return [draw_sample(rule, plan, by_sample[name], fieldwork, seed=seed, confidence=confidence,
                        margin=margin)
            for name, rule in plan.samples.items() if name in by_sample]


# --------------------------------------------------------------------------------------
# Reporting and writing
# --------------------------------------------------------------------------------------


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage with one decimal (``-`` of nothing)."""
    return f"{100 * part / whole:.1f}%" if whole else "-"


def summary_text(draws: list[SampleDraw], plan: SamplingPlan, fieldwork: date | None) -> str:
    """Per sample: eligibility, size and, per stratum attribute, the sample's ratios beside
    the eligible population's (counts and percentages)."""
    out: list[str] = []
    drawn = {draw.rule.name for draw in draws}
    for draw in draws:
        rule = draw.rule
        out.append(f"{rule.name}: {len(draw.selected)} of {len(draw.eligible)} eligible cases "
                   f"selected (seed {draw.seed})")
        out.append(f"  size: {draw.size_basis}")
        ineligible = sum(draw.ineligible.values())
        out.append(f"  listed {draw.listed}, eligible {len(draw.eligible)}, ineligible {ineligible}")
        if rule.window is not None:
            out.append(f"  window: {describe_window(rule.window, fieldwork)}")
        else:
            out.append("  window: none (every listed case is eligible)")
        for reason, count in sorted(draw.ineligible.items()):
            out.append(f"    {count} ineligible: {reason}")
        if draw.strata:
            used = sum(1 for share in draw.allocation.values() if share)
            out.append(f"  stratified on {', '.join(draw.strata)}: {len(draw.allocation)} strata, "
                       f"{used} with cases selected")
        else:
            out.append("  not stratified")
        for attribute in draw.strata:
            width = max([len(attribute)] + [len(value) for value, _, _ in draw.distribution(attribute)]) + 2
            out.append(f"    {attribute:<{width}}{'eligible':>16}{'sample':>16}")
            for value, eligible, selected in draw.distribution(attribute):
                out.append(f"    {value:<{width}}{eligible:>8}{percent(eligible, len(draw.eligible)):>8}"
                           f"{selected:>8}{percent(selected, len(draw.selected)):>8}")
    for name in plan.samples:
        if name not in drawn:
            out.append(f"{name}: no cases listed")
    total = sum(len(draw.selected) for draw in draws)
    out.append(f"total: {total} cases selected")
    return "\n".join(out) + "\n"


def selection_table(draws: list[SampleDraw], plan: SamplingPlan) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the selected cases: ``case_id``, ``sample``, the stratum attributes;
    in the plan's sample order, then by case id."""
    columns = list(plan.columns())
    header = list(REQUIRED_COLUMNS) + columns
    rows = [[case.case_id, case.sample] + [case.attributes.get(column, "") for column in columns]
            for draw in draws for case in draw.selected]
    return header, rows


def write_selection(target: Path, draws: list[SampleDraw], plan: SamplingPlan) -> None:
    """Write the selected cases as CSV through a temporary file beside ``target``."""
    write_tables(target, "csv", {"selection": selection_table(draws, plan)})
