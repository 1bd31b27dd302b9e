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
``rar_guideline.csv``); ``inspect rar-guideline --ogrs N`` shows it (``hmip_register_commands``).
"""

from pathlib import Path
from typing import Any

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


@hookimpl
def hmip_register_commands(app: Any) -> None:
    """``inspect rar-guideline --ogrs N``: the guideline's RAR days for an OGRS score, for an
    inspector checking a court report's proposal (seed 001, CW 1.15)."""
    import typer

    @app.command("rar-guideline")  # type: ignore[untyped-decorator]
    def rar_guideline(ogrs: int = typer.Option(..., "--ogrs", min=0, max=100,
                                               help="The OGRS score in per cent (0-100).")) -> None:
        """Rehabilitation activity requirement days the OGRS guideline suggests (a guide, not a
        rule: seed 001, CW 1.15)."""
        from .guideline import rar_days_for

        band = rar_days_for(ogrs)
        typer.echo(f"OGRS {ogrs}% ({band.ogrs_min}-{band.ogrs_max}%): {band.guideline}. A guide, "
                   "not a rule: the author's proposal may differ for reasons the report gives.")
