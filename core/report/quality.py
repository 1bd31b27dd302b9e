"""The report's "Quality assurance" section (issue 15): how many cases were assessed twice,
agreement and kappa per key question, and a note where kappa is below the profile's
``[qa] kappa_warning``. Built from :class:`..qa.agreement.AgreementReport`; the renderers
only lay out what is here (``rows`` are the table's cells as text)."""

from __future__ import annotations

from typing import Any

from .. import stats
from ..qa.agreement import AgreementReport
from ..qa.text import row

HEADER = ["Key question", "Pairs", "Agreement", "Kappa (95% CI)", "AC1", "Landis & Koch"]


def _figures(result: stats.Agreement) -> dict[str, Any]:
    return {"pairs": result.pairs, "agreement": round(100 * result.agreement, 1), "kappa": result.kappa,
            "kappa_ci": list(result.kappa_ci) if result.kappa_ci is not None else None,
            "ac1": result.ac1, "description": result.description}


def quality_section(report: AgreementReport | None, kappa_warning: float, *,
                    reconciliation: tuple[int, int] | None = None) -> dict[str, Any] | None:
    """The section's data, or None where no second assessment has been submitted.
    ``reconciliation``: in the store, (disagreements the lead inspector has reconciled,
    disagreements); None for an inspection folder, which records no reconciliation (its
    ratings use the first assessment)."""
    if report is None or not report.cases:
        return None
    key_questions, rows, notes = [], [], []
    for item in report.key_questions:
        below = item.result.kappa is not None and item.result.kappa < kappa_warning
        key_questions.append({"id": item.question.id, "text": item.question.text,
                              **_figures(item.result), "below_warning": below})
        rows.append(list(row(f"{item.question.id}: {item.question.text}", item.result)))
        if below:
            notes.append(f"Key question {item.question.id}: inspectors agreed in "
                         f"{100 * item.result.agreement:.0f}% of {item.result.pairs} cases, kappa "
                         f"{item.result.kappa:.2f}, below the profile's {kappa_warning:.2f}: its "
                         "guidance may need sharpening and its figure reading with care.")
    if report.overall is not None:
        rows.append(list(row("All key questions", report.overall)))
    if any(item.result.kappa is None for item in report.key_questions):
        notes.append("Kappa is n/a where both assessors gave every case the same answer (chance "
                     "agreement is then certain); AC1 is shown for those.")
    return {
        "cases": report.cases,
        "kappa_warning": kappa_warning,
        "disagreements": ({"reconciled": reconciliation[0], "total": reconciliation[1]}
                          if reconciliation is not None else None),
        "paragraphs": [
            f"{report.cases} cases were assessed twice: a second inspector assessed each without "
            "seeing the first assessment. The figures compare the two assessments as submitted; "
            + _reconciled(reconciliation),
            "Kappa (Cohen 1960) is agreement beyond chance, with its 95% confidence interval; "
            "AC1 (Gwet 2008) is less misled when nearly every answer is the same; the "
            "description follows Landis & Koch (1977)."],
        "key_questions": key_questions,
        "overall": _figures(report.overall) if report.overall is not None else None,
        "header": list(HEADER),
        "rows": rows,
        "notes": notes,
    }


def _reconciled(reconciliation: tuple[int, int] | None) -> str:
    """What the ratings use, in words: how many disagreements the lead inspector reconciled."""
    if reconciliation is None:
        return "the ratings use the first assessment (the inspection folder records no reconciliation)."
    done, total = reconciliation
    if total == 0:
        return "the two assessments gave the same answers throughout, so there was nothing to reconcile."
    if done == total:
        return (f"the lead inspector reconciled all {total} disagreement(s), and the ratings use the "
                "reconciled answers.")
    return (f"the lead inspector has reconciled {done} of {total} disagreement(s); the ratings use "
            "the reconciled answers, and the first assessment where a disagreement is not yet reconciled.")
