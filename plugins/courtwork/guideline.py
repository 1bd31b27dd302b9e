"""The OGRS guideline for rehabilitation activity requirement (RAR) days proposed to court.

Source: HMI Probation, Domain two case assessment rules and guidance (CARaG), September 2021,
section "2.1 Court work", question CW 1.15 "Is an appropriate proposal made to court?"
(seed ``001_fef14ebe9a882ab3.txt``). The table itself is data, in ``rar_guideline.csv`` beside
this module: one row per band of the Offender Group Reconviction Scale (OGRS) score, in per
cent, with the guideline range of RAR days, or none where a RAR is not recommended.

How the seed qualifies it (paraphrased): this is a guide, not a rule. There is no maximum
number of RAR days; where a RAR is proposed the report should explain which rehabilitative
needs it would cover and how many days that needs, and the OGRS score (which rests on age,
gender and criminal history) should be the main guide to that number, because the score is
clearly linked to how many rehabilitative needs a person has. Inspectors still judge the
proposal as a whole: whether it lets the factors related to offending and harm be addressed,
not whether the days fall inside a band. The bands are reproduced as published, so 15 and 25
days each end one band and start the next.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GUIDELINE_FILE = Path(__file__).with_name("rar_guideline.csv")

_COLUMNS = ("ogrs_min", "ogrs_max", "rar_days_min", "rar_days_max", "guideline")


@dataclass(frozen=True)
class Band:
    """One band of the guideline: OGRS scores ``ogrs_min``-``ogrs_max`` (per cent, inclusive).

    ``rar_days_min`` and ``rar_days_max`` are the guideline range of RAR days, both ``None``
    where the guideline does not recommend a RAR; ``guideline`` is the wording as published.
    """

    ogrs_min: int
    ogrs_max: int
    rar_days_min: int | None
    rar_days_max: int | None
    guideline: str

    @property
    def recommended(self) -> bool:
        """Whether the guideline recommends a RAR for scores in this band."""
        return self.rar_days_min is not None

    def covers(self, ogrs: int) -> bool:
        return self.ogrs_min <= ogrs <= self.ogrs_max


def _optional_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


@cache
def load_guideline() -> tuple[Band, ...]:
    """Read the bands from ``rar_guideline.csv``, lowest OGRS band first.

    Raises ``ValueError`` if the file's columns are not the expected ones or the bands do not
    follow one another without gap or overlap.
    """
    with GUIDELINE_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise ValueError(
                f"{GUIDELINE_FILE.name}: expected columns {', '.join(_COLUMNS)}, "
                f"found {', '.join(reader.fieldnames or ())}"
            )
        bands = tuple(
            Band(
                ogrs_min=int(row["ogrs_min"]),
                ogrs_max=int(row["ogrs_max"]),
                rar_days_min=_optional_int(row["rar_days_min"]),
                rar_days_max=_optional_int(row["rar_days_max"]),
                guideline=row["guideline"].strip(),
            )
            for row in reader
        )
    if not bands:
        raise ValueError(f"{GUIDELINE_FILE.name}: no bands")
    for previous, band in zip(bands, bands[1:]):
        if band.ogrs_min != previous.ogrs_max + 1:
            raise ValueError(
                f"{GUIDELINE_FILE.name}: band {band.ogrs_min}-{band.ogrs_max} does not follow "
                f"band {previous.ogrs_min}-{previous.ogrs_max}"
            )
    return bands


def rar_days_for(ogrs: int) -> Band:
    """Return the guideline band for an OGRS score in per cent (e.g. 62 for 62%).

    Raises ``TypeError`` for a score that is not a whole number and ``ValueError`` naming the
    valid range for a score outside it.
    """
    if isinstance(ogrs, bool) or not isinstance(ogrs, int):
        raise TypeError(f"OGRS score must be a whole number of per cent, not {ogrs!r}")
    bands = load_guideline()
    for band in bands:
        if band.covers(ogrs):
            return band
    raise ValueError(
        f"OGRS score {ogrs} is outside the guideline's range "
        f"{bands[0].ogrs_min}-{bands[-1].ogrs_max}"
    )
