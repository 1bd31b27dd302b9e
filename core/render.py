"""Turning an :class:`~.results.InspectionResult` into a table, Markdown or JSON."""

from __future__ import annotations

import json

from .results import InspectionResult, StandardResult

FORMATS = ("table", "json", "markdown")


def _kq_cell(standard: StandardResult) -> str:
    parts = []
    for kq in standard.key_questions:
        if kq.percent is None:
            parts.append(f"{kq.id} {'qualitative' if kq.evidence == 'qualitative' else 'n/a'}")
        else:
            parts.append(f"{kq.id} {kq.percent}%")
    return ", ".join(parts)


def _notes(standard: StandardResult) -> list[str]:
    notes = []
    if standard.rating != standard.indicative_rating:
        notes.append(f"indicative {standard.indicative_rating.label}")
    for adjustment in standard.adjustments:
        word = "up" if adjustment.direction > 0 else "down"
        state = "" if adjustment.applied else " (not applied)"
        notes.append(f"{adjustment.source} {word}{state}: {adjustment.rationale}")
    return notes


def render_table(result: InspectionResult) -> str:
    rows = [("Standard", "Rating", "Key questions")]
    for s in result.standards:
        rows.append((f"{s.id} {s.title}", s.rating.label,
                     "lead inspector's judgement" if s.rated_by == "judgement" else _kq_cell(s)))
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
        cell = "lead inspector's judgement" if s.rated_by == "judgement" else _kq_cell(s)
        lines.append(f"| {s.id} {s.title} | {s.rating.label}{marks} | {cell} |")
    if notes:
        lines.append("")
        lines += [f"[^{i}]: {note}" for i, note in enumerate(notes, start=1)]
    return "\n".join(lines) + "\n"


def render_json(result: InspectionResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render(result: InspectionResult, fmt: str) -> str:
    return {"table": render_table, "json": render_json, "markdown": render_markdown}[fmt](result)
