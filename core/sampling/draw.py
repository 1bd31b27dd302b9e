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

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Mapping

import structlog

from ..inspection.case_files_write import write_tables
from ..profiles.profile import SampleRule, SamplingPlan
from ..stats import sample_size
from .population import REQUIRED_COLUMNS, PopulationCase
from .windows import describe_window, outside_window

log = structlog.get_logger(__name__)


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
