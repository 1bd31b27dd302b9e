"""Agreement figures as terminal or Markdown tables (``inspect qa agreement``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .. import stats
from .agreement import AgreementReport, QuestionAgreement

HEADER = ("Question", "Pairs", "Agreement", "Kappa (95% CI)", "AC1", "Landis & Koch")


def number(value: float | None, places: int = 2) -> str:
    """``value`` to ``places`` decimals (never "-0.00"), or ``n/a``."""
    return "n/a" if value is None else f"{round(value, places) + 0.0:.{places}f}"


def kappa_text(result: stats.Agreement) -> str:
    """``0.62 (0.31 to 0.93)``, or ``n/a`` where kappa is undefined. The interval is the
    asymptotic one statsmodels reports, not clipped to [-1, 1]."""
    if result.kappa is None or result.kappa_ci is None:
        return "n/a"
    low, high = result.kappa_ci
    return f"{number(result.kappa)} ({number(low)} to {number(high)})"


def row(label: str, result: stats.Agreement) -> tuple[str, ...]:
    return (label, str(result.pairs), f"{100 * result.agreement:.0f}%", kappa_text(result),
            number(result.ac1), result.description)


def _table(rows: Sequence[tuple[str, ...]], markdown: bool) -> Iterator[str]:
    if markdown:
        yield "| " + " | ".join(HEADER) + " |"
        yield "|" + "|".join(" --- " for _ in HEADER) + "|"
        for cells in rows:
            yield "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        return
    widths = [max(len(r[i]) for r in (HEADER, *rows)) for i in range(len(HEADER))]
    for cells in (HEADER, *rows):
        yield "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()


def crosstab(item: QuestionAgreement, markdown: bool) -> Iterator[str]:
    """The k×k table: rows the first assessment's answers, columns the second's."""
    result = item.result
    head = (f"{item.question.id}: first \\ second", *result.categories)
    rows = [(category, *map(str, counts)) for category, counts in zip(result.categories, result.table)]
    if markdown:
        yield "| " + " | ".join(head) + " |"
        yield "|" + "|".join(" --- " for _ in head) + "|"
        yield from ("| " + " | ".join(cells) + " |" for cells in rows)
        yield ""
        return
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for cells in (head, *rows):
        yield "  " + "  ".join(cell.rjust(width) if i else cell.ljust(width)
                               for i, (cell, width) in enumerate(zip(cells, widths)))


def agreement_lines(title: str, report: AgreementReport, *, markdown: bool = False) -> Iterator[str]:
    """The whole of ``inspect qa agreement`` for ``table`` or ``markdown``."""
    heading = "## " if markdown else ""
    yield f"{'# ' if markdown else ''}Agreement between first and second assessments: {title}"
    yield ""
    yield f"Cases assessed twice: {report.cases}"
    if not report.cases:
        yield "No second assessment has been submitted yet (inspect qa draw, then inspect case edit --second)."
        return
    yield ""
    yield f"{heading}Key questions (summary judgements)"
    if markdown:
        yield ""
    rows = [row(item.question.id, item.result) for item in report.key_questions]
    if report.overall is not None:
        rows.append(row("Overall", report.overall))
    yield from _table(rows, markdown)
    if report.assessor_pairs:
        yield ""
        yield f"{heading}Assessor pairs (key questions pooled)"
        if markdown:
            yield ""
        yield from _table([row(f"{first} / {second} ({cases} cases)", result)
                           for first, second, cases, result in report.assessor_pairs if result is not None],
                          markdown)
    if report.prompts:
        yield ""
        yield f"{heading}Prompts"
        if markdown:
            yield ""
        yield from _table([row(item.question.id, item.result) for item in report.prompts], markdown)
    yield ""
    yield f"{heading}Tables of answers (rows: first assessment, columns: second)"
    yield ""
    for item in report.key_questions:
        yield from crosstab(item, markdown)
    yield ""
    yield ("Kappa: Cohen (1960), 95% interval from its asymptotic standard error; AC1: Gwet (2008); "
           "description: Landis & Koch (1977). Kappa is n/a where every answer is the same.")
