"""The inspection report (:func:`~.report.build_report`) as Markdown.

Headings follow the published reports ("Standard 2.1 Assessment", "Rating: Good"); the panel's
decisions are numbered footnotes (``[^1]``) placed on the lowest key question's figure and on
the rating, as the report's footnotes 28 and 44 are.

Every piece of inspection text goes through :func:`md`: ``&``, ``<`` and ``>`` become entities
(a Markdown renderer passes raw HTML through, so ``<script>`` in evidence would otherwise run),
and ``[``, ``]``, backslashes and backticks are escaped, so text cannot make a link
(``[x](javascript:...)``) or code; table cells also escape ``|``. The chart becomes a text
table: each key question's figure, interval and band.
"""

from __future__ import annotations

from typing import Any

from .wording import (
    comparator_labels,
    format_comparison,
    format_interval,
    indicative_line,
    key_question_cell,
    narrative,
    prompt_cell,
    prompt_comparator_labels,
    prompt_comparison_cell,
    rating_heading,
    small_group_warning,
)


def md(text: Any) -> str:
    """Inspection text made inert in Markdown: no raw HTML, links, code or footnote marks."""
    text = str(text)
    for old, new in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"),
                     ("[", "\\["), ("]", "\\]"), ("`", "\\`")):
        text = text.replace(old, new)
    return text


def _cell(text: Any) -> str:
    """A table cell, its parts already escaped with :func:`md`: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    return [_row(header), "| " + " | ".join("---" for _ in header) + " |", *(_row(r) for r in rows)]


def _marks(numbers: list[int]) -> str:
    return "".join(f"[^{n}]" for n in numbers)


def _ratings(report: dict[str, Any]) -> list[str]:
    previous = any(s["previous_rating"] for s in report["ratings"])
    by_id = {s["id"]: s for s in report["ratings"]}
    rows = []
    for number, domain in enumerate(report["domains"], start=1):
        rows.append([f"**{number}. {md(domain['title'])}**", ""] + ([""] if previous else []))
        for sid in domain["standards"]:
            s = by_id[sid]
            rating = md(s["rating_label"]) + (" (not scored)" if s["role"] == "rated" else "")
            rows.append([f"{md(s['id'])} {md(s['display_title'])}", rating + _marks(s["footnotes"])]
                        + ([md(s["previous_rating"] or "")] if previous else []))
    overall = report["overall"]
    rows.append(["**Overall rating**",
                 f"**{md(overall['rating'])}** (score {overall['score']}/{overall['max_score']})"]
                + ([""] if previous else []))
    lines = ["## Ratings", "", *_table(["Standard", "Rating"] + (["Previous inspection"] if previous else []), rows)]
    bands = ", ".join(f"{md(b['rating'])} {b['from']}-{b['to']}" for b in overall["bands"])
    lines += ["", f"Overall bands: {bands}."]
    if any(s["role"] != "scored" for s in report["ratings"]):
        lines += ["", "The score counts the scored standards only; the others are rated or "
                      "reported beside it."]
    return lines


def _chart(report: dict[str, Any]) -> list[str]:
    """The chart as a text table: figure, interval and band of each key question."""
    from .html import chart_bars
    bars = chart_bars(report)
    if not bars:
        return []
    bands = {kq["id"]: kq["band"] for s in report["standards"] for kq in s["key_questions"]}
    intervals = {kq["id"]: kq["interval"] for s in report["standards"] for kq in s["key_questions"]}
    rows = [[f"KQ {md(bar.label)}", md(bar.shown), format_interval(intervals[bar.label]), md(bands[bar.label] or ""),
             md(bar.mark)] for bar in bars]
    boundaries = ", ".join(f"{md(b['rating'])} from {b['from']}%" for b in report["key_question_bands"])
    return ["## Key questions against the bands", "",
            f"Band boundaries: {boundaries}.", "",
            *_table(["Key question", "Figure", f"{report['report']['confidence']:g}% interval", "Band",
                     "Panel"], rows)]


def _key_questions(standard: dict[str, Any], report: dict[str, Any]) -> list[str]:
    labels = comparator_labels(standard, report)
    header = ["Key question", "Current inspection", "Band", "n",
              f"{report['report']['confidence']:g}% interval", *map(md, labels)]
    rows = []
    for kq in standard["key_questions"]:
        by_name = {c["label"]: c for c in kq["comparisons"]}
        band = md(kq["band"] or "")
        if kq["id"] == standard["lowest_key_question"] and kq["evidence"] == "cases":
            band += " **(lowest: sets the rating)**"
        rows.append([f"{md(kq['id'])} {md(kq['text'])}", md(key_question_cell(kq)) + _marks(kq["footnotes"]),
                     band, kq["n"] if kq["evidence"] == "cases" else "",
                     format_interval(kq["interval"]),
                     *(md(format_comparison(by_name[label])) if label in by_name else "" for label in labels)])
    lines = _table(header, rows)
    if labels:
        lines += ["", "Comparator differences are tested with the two-proportion Z-score test at the "
                      f"{report['report']['significance_level'] / 100:g} level; an n marked * is assumed."]
    return lines


def _standard(standard: dict[str, Any], report: dict[str, Any]) -> list[str]:
    lines = [f"### Standard {md(standard['id'])} {md(standard['display_title'])}", "",
             md(rating_heading(standard)) + _marks(standard["footnotes"])]
    if standard["previous_rating"]:
        lines += ["", f"Previous inspection: {md(standard['previous_rating'])}"]
    if line := indicative_line(standard):
        lines += ["", md(line)]
    if standard["note"]:
        lines += ["", md(standard["note"][:1].upper() + standard["note"][1:]) + "."]
    if standard["rated_by"] == "judgement":
        lines += ["", "Rated by the lead inspector's judgement."]
        if standard["evidence"]:
            lines += ["", "> " + md(" ".join(standard["evidence"].split()))]
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
        rows.append([md(kq["id"]), f"{kq['percent']}% ({kq['yes']}/{kq['n']})", *cells])
    lines = [f"### By {md(breakdown['attribute'])}", "",
             *_table(["Key question", "All cases", *map(md, values)], rows)]
    if warning := small_group_warning(breakdown, report["report"]["small_group"]):
        lines += ["", md(warning)]
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
        lines += ["", f"### Standard {md(standard['id'])} {md(standard['display_title'])}"]
        for kq in kqs:
            labels = prompt_comparator_labels(kq)
            rows = [[f"{md(p['id'])} {md(p['text'])}", p["yes"] if p["percent"] is not None else "",
                     p["n"], md(prompt_cell(p)), *(prompt_comparison_cell(p, label) for label in labels)]
                    for p in kq["prompts"]]
            lines += ["", f"#### {md(kq['id'])} {md(kq['text'])}", "",
                      *_table(["Prompt", "Yes", "Answered", "Result", *map(md, labels)], rows)]
    return lines


def _sample(report: dict[str, Any]) -> list[str]:
    if not report["sample"]:
        return []
    names = {"disposal": "Disposal", "rosh": "RoSH", "gender": "Gender"}
    lines = ["## Sample"]
    for sample in report["sample"]:
        rows = [["All cases", sample["cases"]]]
        if sample["excluded"]:
            rows.append(["Excluded", sample["excluded"]])
        rows += [[f"{md(names.get(attribute, attribute))}: {md(value)}", count]
                 for attribute, counts in sample["by"].items() for value, count in counts.items()]
        lines += ["", f"### Sample {md(sample['sample'])}", "", *_table(["Cases", "Number"], rows)]
    return lines


def _method(report: dict[str, Any]) -> list[str]:
    method = report["method"]
    scoring = method["scoring"]
    lines = ["## Annex: methodology", "", "### Rating rules", "", *(f"- {md(rule)}" for rule in method["rules"]),
             "", *_table(["Rating", "Key question figure"],
                         [[md(b["rating"]), f"{b['from']}-{b['to']}%"] for b in method["key_question_bands"]]),
             "", *_table(["Rating", "Points"], [[md(label), points] for label, points in scoring["points"].items()]),
             "", *_table(["Overall rating", "Score"],
                         [[md(b["rating"]), f"{b['from']}-{b['to']}"] for b in scoring["overall_bands"]])]
    if method["rated_beside"]:
        lines += ["", f"Rated but not scored: {md(', '.join(method['rated_beside']))}."]
    if method["reported"]:
        lines += ["", f"Reported without a rating: {md(', '.join(method['reported']))}."]
    lines += ["", "## About the figures", "", *(f"- {md(note)}" for note in report["methodology"])]
    return lines


def _narrative(report: dict[str, Any], domain: int | None, level: str) -> list[str]:
    strengths, improvements, recommendations = narrative(report, domain)
    lines: list[str] = []
    for heading, items in (("Strengths", strengths), ("Areas for improvement", improvements),
                           ("Recommendations", recommendations)):
        if items:
            marker = (lambda i: f"{i}.") if heading == "Recommendations" else (lambda i: "-")
            lines += ["", f"{level} {heading}", "",
                      *(f"{marker(i)} {md(' '.join(item.split()))}" for i, item in enumerate(items, start=1))]
    return lines


def _status(report: dict[str, Any]) -> str:
    line = md(report["status"]["line"])
    return "**Draft**" + line[len("Draft"):] if report["status"]["draft"] else line


def render_markdown(report: dict[str, Any]) -> str:
    """The whole report as one Markdown document."""
    subtitle = md(report["profile_title"])
    if report["fieldwork"]:
        subtitle += f", fieldwork {md(report['fieldwork'])}"
    lines = [f"# Inspection report: {md(report['provider'])}", "", f"*{subtitle}*", "", "> " + _status(report)]
    if report["synthetic"]:
        lines += ["", "> Synthetic example data: no real cases."]
    if report["notes"]:
        lines += ["", md(" ".join(report["notes"].split()))]
    lines += ["", *_ratings(report)]
    if summary := _narrative(report, None, "###"):
        lines += ["", "## Summary", *summary]
    if chart := _chart(report):
        lines += ["", *chart]
    for domain in report["domains"]:
        lines += ["", f"## {md(domain['title'])}", *_narrative(report, domain["domain"], "###")]
        for standard in report["standards"]:
            if standard["domain"] == domain["domain"]:
                lines += ["", *_standard(standard, report)]
    if report["breakdowns"]:
        lines += ["", "## Sub-groups"]
        for breakdown in report["breakdowns"]:
            lines += ["", *_breakdown(breakdown, report)]
    for section in report["sections"]:
        lines += ["", f"## {md(section['title'])}", *("\n" + md(p) for p in section["paragraphs"])]
        if section["header"]:
            lines += ["", *_table([md(h) for h in section["header"]],
                                  [[md(c) for c in row] for row in section["rows"]])]
    if quality := report["quality_assurance"]:
        lines += ["", "## Quality assurance", *("\n" + md(p) for p in quality["paragraphs"]), "",
                  *_table([md(h) for h in quality["header"]], [[md(c) for c in row] for row in quality["rows"]])]
        lines += ["", *(f"- {md(note)}" for note in quality["notes"])] if quality["notes"] else []
    if sample := _sample(report):
        lines += ["", *sample]
    lines += ["", *_prompts(report)]
    if report["excluded_cases"]:
        lines += ["", "## Excluded cases", "",
                  *_table(["Case", "Sample", "Reason"],
                          [[md(c["case_id"]), md(c["sample"]), md(c["reason"])] for c in report["excluded_cases"]])]
    lines += ["", *_method(report)]
    if report["footnotes"]:
        lines += ["", "## Notes", ""]
        lines += [f"[^{note['number']}]: {md(' '.join(note['text'].split()))}" for note in report["footnotes"]]
    lines += ["", "---", "", _status(report) + f" Report format {report['report']['format_version']}."]
    return "\n".join(lines) + "\n"
