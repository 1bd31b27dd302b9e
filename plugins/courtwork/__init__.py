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

from hmip_inspect.core import Attribute, Case, Inspection, Question, ReportSection, hookimpl

ATTRIBUTES = (
    Attribute(
        name="court_report",
        description="Whether a pre-sentence report (of any format: oral, short or standard "
        "delivery) was prepared for the court in this case",
        values=("yes", "no"),
    ),
    Attribute(
        name="ogrs",
        description="The OGRS score the court report gives, in per cent (0-100); recorded where "
        "the report proposes a rehabilitation activity requirement, to compare with the guideline",
    ),
    Attribute(
        name="rar_days",
        description="The rehabilitation activity requirement days the court report proposed "
        "(0 where it proposed none)",
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


@hookimpl
def hmip_report_sections(inspection: Inspection) -> list[ReportSection] | None:
    """Court reports whose proposed RAR days fall outside the OGRS guideline (seed 001, CW 1.15:
    a guide, not a rule), counted over the cases that record both ``ogrs`` and ``rar_days``."""
    from .guideline import rar_days_for

    rows, unreadable, within = [], 0, 0
    for case in inspection.cases:
        ogrs, days = case.attributes.get("ogrs", ""), case.attributes.get("rar_days", "")
        if not ogrs or not days:
            continue
        try:
            band = rar_days_for(int(ogrs))
            proposed = int(days)
        except ValueError:
            unreadable += 1
            continue
        outside = (proposed > 0 if band.rar_days_min is None or band.rar_days_max is None
                   else not band.rar_days_min <= proposed <= band.rar_days_max)
        if outside:
            rows.append((case.case_id, f"{int(ogrs)}%", band.guideline, str(proposed)))
        else:
            within += 1
    if not rows and not within:
        return None                       # the inspection did not record OGRS and RAR days
    counted = len(rows) + within
    paragraphs = [f"{len(rows)} of {counted} court reports proposed rehabilitation activity requirement "
                  "days outside the OGRS guideline (CARaG CW 1.15). The guideline is a guide, not a rule: "
                  "a report may depart from it for reasons it gives."]
    if unreadable:
        paragraphs.append(f"{unreadable} case(s) recorded an OGRS score or RAR days that is not a whole "
                          "number in range, and are not counted.")
    return [ReportSection(id="rar-guideline", title="RAR days against the OGRS guideline",
                          paragraphs=tuple(paragraphs),
                          header=("Case", "OGRS", "Guideline", "Days proposed") if rows else (),
                          rows=tuple(rows))]


#: The questions the OGRS guideline informs: CARaG CW 1.15 (2021) and 2019 prompt 3.1.1.h.
GUIDED_QUESTIONS = ("CW 1.15", "3.1.1.h")


@hookimpl
def hmip_capture_guidance(question: Question, case: Case) -> list[str] | None:
    """At CW 1.15, the guideline's RAR days for the case's OGRS score, where it is recorded."""
    if question.id not in GUIDED_QUESTIONS and not set(question.aliases) & set(GUIDED_QUESTIONS):
        return None
    from .guideline import rar_days_for

    ogrs = case.attributes.get("ogrs", "")
    try:
        band = rar_days_for(int(ogrs))
    except ValueError:
        return [f"This case records no usable OGRS score ({ogrs or 'none'}): see the table above."]
    return [f"This case: OGRS {int(ogrs)}% - guideline {band.guideline} (a guide, not a rule)."]
