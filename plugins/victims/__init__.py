"""Statutory victim work: contact with victims under the victim contact scheme, in two editions.

* ``standards.toml`` (edition 2019, NPS inspections): domain three standard 3.2 Statutory
  Victim Work, key questions 3.2.1-3.2.4, rated from the statutory victims case sample
  (seed 003, Appendix A, Domain three; para 4.6 on the sample). Prompts carry the 2021 CARaG
  code as an alias where the question is plainly the same.
* ``standards-2021.toml`` (edition 2021, Probation Service): domain two standard 2.7
  Statutory victim work, key questions 2.7.1-2.7.3 (CARaG V 1-V 3) with their questions by
  CARaG code (seed 001, 2.7 Statutory victim work).

The attribute ``victim_opted_in`` records whether the victim opted in to the statutory victim
contact scheme: seed 001 answers V 2 and V 3 only where they did, and the 2019 key questions
on continuing contact, information exchange and pre-release contact follow the same rule.
"""

from pathlib import Path

from hmip_inspect.core import Attribute, hookimpl

ATTRIBUTES = (
    Attribute(
        name="victim_opted_in",
        description="Whether the victim opted in to the statutory victim contact scheme",
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
