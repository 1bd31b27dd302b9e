"""Turning an :class:`~.results.InspectionResult` into a table, Markdown or JSON."""

from __future__ import annotations

import json

from ..rating.results import InspectionResult, StandardResult

FORMATS = ("table", "json", "markdown")


ROLE_MARKS = {"scored": "", "rated": " (not scored)", "reported": ""}


def _rating_cell(standard: StandardResult) -> str:
    return standard.rating_label + ROLE_MARKS[standard.role]


def _kq_cell(standard: StandardResult) -> str:
    if standard.rated_by == "judgement":
        cell = "lead inspector's judgement"
        if standard.cases:
            cell += f", illustrated by {standard.cases} case(s)"
        return f"{cell}; {standard.note}" if standard.note else cell
    parts = []
    for kq in standard.key_questions:
        if kq.evidence == "information":
            continue
        if kq.percent is None:
            parts.append(f"{kq.id} {'qualitative' if kq.evidence == 'qualitative' else 'n/a'}")
        else:
            parts.append(f"{kq.id} {kq.percent}%")
    return ", ".join(parts)


def _notes(standard: StandardResult) -> list[str]:
    notes = []
    if standard.rating != standard.indicative_rating and standard.indicative_rating is not None:
        notes.append(f"indicative {standard.indicative_rating.label}")
    for adjustment in standard.adjustments:
        word = "up" if adjustment.direction > 0 else "down"
        state = "" if adjustment.applied else " (not applied)"
        notes.append(f"{adjustment.source} {word}{state}: {adjustment.rationale}")
    return notes


def _tail(result: InspectionResult) -> list[str]:
    lines = []
    if any(s.role != "scored" for s in result.standards):
        lines.append("The score counts the scored standards only; the others are rated or "
                     "reported beside it.")
    for case in result.excluded:
        lines.append(f"Excluded from the {case.sample!r} sample: case {case.case_id} ({case.reason})")
    unconfirmed = [s.id for s in result.standards if not s.wording_confirmed]
    unconfirmed += [kq.id for s in result.standards for kq in s.key_questions if not kq.wording_confirmed]
    if unconfirmed:
        lines.append("Wording not confirmed by a cited source: " + ", ".join(unconfirmed))
    lines += [f"Warning: {warning}" for warning in result.warnings]
    return lines


def render_table(result: InspectionResult) -> str:
    rows = [("Standard", "Rating", "Key questions")]
    for s in result.standards:
        rows.append((f"{s.id} {s.title}", _rating_cell(s), _kq_cell(s)))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{result.provider}: {result.profile_title}"]
    if result.synthetic:
        lines.append("(synthetic example data)")
    lines.append("")
    table = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in rows]
    lines += [table[0], "-" * max(map(len, table)), *table[1:]]
    lines.append("")
    lines.append(f"Overall: {result.rating.label} ({result.score}/{result.max_score})")
    footnotes = [(s.id, note) for s in result.standards for note in _notes(s)]
    if footnotes:
        lines.append("")
        lines.extend(f"[{sid}] {note}" for sid, note in footnotes)
    if tail := _tail(result):
        lines += ["", *tail]
    return "\n".join(lines) + "\n"


def render_markdown(result: InspectionResult) -> str:
    lines = [f"# {result.provider}", "", f"*{result.profile_title}*"]
    if result.synthetic:
        lines += ["", "> Synthetic example data: no real cases."]
    lines += ["", f"**Overall rating: {result.rating.label}** (score {result.score}/{result.max_score})",
              "", "| Standard | Rating | Key questions |", "| --- | --- | --- |"]
    notes = []
    for s in result.standards:
        marks = ""
        if standard_notes := _notes(s):
            notes.append("; ".join(standard_notes))
            marks = f"[^{len(notes)}]"
        lines.append(f"| {s.id} {s.title} | {_rating_cell(s)}{marks} | {_kq_cell(s)} |")
    if notes:
        lines.append("")
        lines += [f"[^{i}]: {note}" for i, note in enumerate(notes, start=1)]
    if tail := _tail(result):
        lines += ["", *tail]
    return "\n".join(lines) + "\n"


def render_json(result: InspectionResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render(result: InspectionResult, fmt: str) -> str:
    return {"table": render_table, "json": render_json, "markdown": render_markdown}[fmt](result)
