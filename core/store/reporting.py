"""A stored inspection's report and rating, assembled once for the CLI and the web app.

``inspect report --name`` and the web application's report page call :func:`stored_report`;
``inspect run --name --format json`` and ``GET /api/inspections/{name}/rating`` both print
:func:`rating_text` of the same rating, so they answer byte for byte alike.
"""

from __future__ import annotations

from typing import Any, Iterable


def stored_report(fieldwork, *, by: Iterable[str] = (), small_group: int = 10) -> tuple[dict[str, Any], list[str]]:
    """(report model, notes): the rating with its cases, the inspection's comparators (or one
    pooled from the store's other inspections of its profile), its sign-off status, the
    quality-assurance section (second assessments' agreement) and the plugins' sections. The notes (a changed profile, how the comparator was found) are for
    the person reading, beside the report."""
    from ..report.model import build_report

    notes = []
    if note := fieldwork.change_note():
        notes.append(note)
    chosen, loaded, result = fieldwork.rate(with_cases=True)
    from ..report.quality import quality_section
    disagreements = fieldwork.disagreements()
    quality = quality_section(fieldwork.agreement(), chosen.kappa_warning, reconciliation=(
        sum(1 for item in disagreements if item["reconciled"] is not None), len(disagreements)))
    status = None
    signed = fieldwork.store.signed_off(fieldwork.name)
    if signed is not None:
        status = {"signed_off": True, "signed_off_by": signed[0], "signed_off_at": signed[1]}
    comparators = list(loaded.info.comparators)
    if not any(c.name == "all-providers" for c in comparators):
        pooled, note = fieldwork.pooled_comparator()
        notes.append(note)
        comparators += [pooled] if pooled is not None else []
    model = build_report(result, loaded, chosen, comparators, by=tuple(by), small_group=small_group,
                         status=status, sections=fieldwork.session.report_sections(chosen, loaded, result),
                         quality=quality)
    return model, notes


def rating_text(fieldwork, fmt: str = "json") -> str:
    """The rating as ``inspect run --name NAME --format FMT`` prints it."""
    from ..report.text import render
    return render(fieldwork.rate()[2], fmt)
