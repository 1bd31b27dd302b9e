"""Eligibility windows: a date of the case counted back from the first day of fieldwork (seed 002 Annex 2 "Methodology"; seed 001 CW 1)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import structlog

from ..errors import Problems
from ..profiles.profile import SamplingPlan, Window

log = structlog.get_logger(__name__)


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
