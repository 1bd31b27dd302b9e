"""The inspection report (:func:`~.report.build_report`) as Markdown.

Headings follow the published reports ("Standard 2.1 Assessment", "Rating: Good"); the panel's
decisions are numbered footnotes (``[^1]``) placed on the lowest key question's figure and on
the rating, as the report's footnotes 28 and 44 are.
"""

from __future__ import annotations

from typing import Any

from .model import (
    comparator_labels,
    format_comparison,
    format_interval,
    indicative_line,
    key_question_cell,
    prompt_cell,
    rating_heading,
    small_group_warning,
)


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    return [_row(header), "| " + " | ".join("---" for _ in header) + " |", *(_row(r) for r in rows)]


def _marks(numbers: list[int]) -> str:
    return "".join(f"[^{n}]" for n in numbers)


def _ratings(report: dict[str, Any]) -> list[str]:
    rows = []
    for s in report["ratings"]:
        rating = s["rating_label"] + (" (not scored)" if s["role"] == "rated" else "")
        rows.append([f"{s['id']} {s['title']}", rating + _marks(s["footnotes"])])
    overall = report["overall"]
    rows.append(["**Overall rating**",
                 f"**{overall['rating']}** (score {overall['score']}/{overall['max_score']})"])
    lines = ["## Ratings", "", *_table(["Standard", "Rating"], rows)]
    if any(s["role"] != "scored" for s in report["ratings"]):
        lines += ["", "The score counts the scored standards only; the others are rated or "
                      "reported beside it."]
    return lines


def _key_questions(standard: dict[str, Any], report: dict[str, Any]) -> list[str]:
    labels = comparator_labels(standard, report)
    header = ["Key question", "Current inspection", f"{report['report']['confidence']:.0%} interval",
              *labels]
    rows = []
    for kq in standard["key_questions"]:
        by_name = {c["label"]: c for c in kq["comparisons"]}
        rows.append([f"{kq['id']} {kq['text']}", key_question_cell(kq) + _marks(kq["footnotes"]),
                     format_interval(kq["interval"]),
                     *(format_comparison(by_name[label]) if label in by_name else "" for label in labels)])
    return _table(header, rows)


def _standard(standard: dict[str, Any], report: dict[str, Any]) -> list[str]:
    lines = [f"### Standard {standard['id']} {standard['title']}", "",
             rating_heading(standard) + _marks(standard["footnotes"])]
    if line := indicative_line(standard):
        lines += ["", line]
    if standard["note"]:
        lines += ["", standard["note"][:1].upper() + standard["note"][1:] + "."]
    if standard["rated_by"] == "judgement":
        lines += ["", "Rated by the lead inspector's judgement."]
        if standard["evidence"]:
            lines += ["", "> " + " ".join(standard["evidence"].split())]
    if standard["key_questions"]:
        cases = f" ({standard['cases']} cases)" if standard["cases"] else ""
        lines += ["", f"Key questions{cases}:", "", *_key_questions(standard, report)]
    return lines


def _breakdown(breakdown: dict[str, Any], report: dict[str, Any]) -> list[str]:
    values = breakdown["values"]
    rows = []
    for kq in breakdown["key_questions"]:
        by_value = {g["value"]: g for g in kq["groups"]}
        cells = []
        for value in values:
            group = by_value.get(value)
            if group is None:
                cells.append("")
                continue
            small = ", small group" if group["small"] else ""
            cells.append(f"{group['percent']}% ({group['yes']}/{group['n']}{small})")
        rows.append([f"{kq['id']}", f"{kq['percent']}% ({kq['yes']}/{kq['n']})", *cells])
    lines = [f"### By {breakdown['attribute']}", "", *_table(["Key question", "All cases", *values], rows)]
    if warning := small_group_warning(breakdown, report["report"]["small_group"]):
        lines += ["", warning]
    return lines


def _prompts(report: dict[str, Any]) -> list[str]:
    lines = ["## Annex: inspection data", "",
             "The prompts behind each key question: the share of 'yes' answers over the cases "
             "where a prompt was answered, or an information question's count of each answer. "
             "The key question's judgement weighs them; it is not their sum."]
    for standard in report["standards"]:
        kqs = [kq for kq in standard["key_questions"] if kq["prompts"]]
        if not kqs:
            continue
        lines += ["", f"### Standard {standard['id']} {standard['title']}"]
        for kq in kqs:
            rows = [[f"{p['id']} {p['text']}", p["yes"] if p["percent"] is not None else "",
                     p["answered"], prompt_cell(p)] for p in kq["prompts"]]
            lines += ["", f"#### {kq['id']} {kq['text']}", "",
                      *_table(["Prompt", "Yes", "Answered", "Result"], rows)]
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    """The whole report as one Markdown document."""
    subtitle = report["profile_title"]
    if report["fieldwork"]:
        subtitle += f", fieldwork {report['fieldwork']}"
    lines = [f"# Inspection report: {report['provider']}", "", f"*{subtitle}*"]
    if report["synthetic"]:
        lines += ["", "> Synthetic example data: no real cases."]
    lines += ["", *_ratings(report), "", "## Standards"]
    for standard in report["standards"]:
        lines += ["", *_standard(standard, report)]
    if report["breakdowns"]:
        lines += ["", "## Sub-groups"]
        for breakdown in report["breakdowns"]:
            lines += ["", *_breakdown(breakdown, report)]
    lines += ["", *_prompts(report)]
    if report["excluded_cases"]:
        lines += ["", "## Excluded cases", "",
                  *_table(["Case", "Sample", "Reason"],
                          [[c["case_id"], c["sample"], c["reason"]] for c in report["excluded_cases"]])]
    lines += ["", "## About the figures", "", *(f"- {note}" for note in report["methodology"])]
    if report["footnotes"]:
        lines += ["", "## Notes", ""]
        lines += [f"[^{note['number']}]: {' '.join(note['text'].split())}" for note in report["footnotes"]]
    return "\n".join(lines) + "\n"
