"""Court work: pre-sentence information and advice to court, in two framework editions.

* ``standards.toml`` (edition 2019, NPS inspections): domain three standard 3.1 Court reports
  and case allocation, key questions 3.1.1 and 3.1.2, rated from the court case sample
  (seed 003, Appendix A, Domain three). Prompts carry the 2021 CARaG code as an alias where
  the question is plainly the same.
* ``standards-2021.toml`` (edition 2021, Probation Service): domain two standard 2.1 Court
  work, key question 2.1.1 (CARaG CW 1) with its questions by CARaG code, rated from the
  domain-two sample but only on cases with a pre-sentence report (seed 001, 2.1 Court work).

The attribute ``court_report`` records whether a pre-sentence report was prepared, so that
2.1.1 is rated only where there was one. ``guideline.py`` holds the OGRS guideline for
rehabilitation activity requirement days that CARaG question CW 1.15 gives (data in
``rar_guideline.csv``).
"""

from pathlib import Path

from hmip_inspect.core import Attribute, hookimpl

ATTRIBUTES = (
    Attribute(
        name="court_report",
        description="Whether a pre-sentence report (of any format: oral, short or standard "
        "delivery) was prepared for the court in this case",
        values=("yes", "no"),
    ),
)


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [
        Path(__file__).with_name("standards.toml"),
        Path(__file__).with_name("standards-2021.toml"),
    ]


@hookimpl
def hmip_case_attributes() -> tuple[Attribute, ...]:
    return ATTRIBUTES
