"""The inspection report (:func:`~.report.build_report`) as one self-contained HTML file.

Inline CSS, the chart as inline SVG, no scripts and nothing fetched: the file can be mailed
or archived as it is. Every piece of inspection text is escaped with :func:`html.escape`; the
page is built from small string functions rather than a template engine, since its shape is
fixed and a dependency would buy nothing here.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .charts import Bar, key_question_chart
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

CSS = """
body { font-family: Arial, Helvetica, sans-serif; color: #1b1b1b; max-width: 64rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; }
h2 { border-bottom: 3px solid #2f4b6e; padding-bottom: .2rem; margin-top: 2.4rem; }
h3 { margin-top: 1.8rem; }
.subtitle { color: #444; margin-top: 0; }
.synthetic { background: #fff4ce; border-left: 5px solid #c99700; padding: .5rem .8rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #e9eef4; }
td.num { white-space: nowrap; }
tr.overall td { font-weight: bold; background: #f2f2f2; }
.rating { font-size: 1.1rem; }
.rating-Outstanding { color: #1d5e20; } .rating-Good { color: #2e7d32; }
.rating-Requires-improvement { color: #9a5b00; } .rating-Inadequate { color: #b3261e; }
.significant { font-weight: bold; }
.small { color: #9a5b00; }
blockquote { border-left: 4px solid #bbb; margin: .6rem 0; padding: .2rem .8rem; color: #333; }
.footnotes li { margin-bottom: .4rem; }
sup a { text-decoration: none; }
.chart { max-width: 100%; height: auto; }
nav ol { columns: 2; }
"""


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _fn(numbers: list[int]) -> str:
    """Footnote marks linking to the numbered notes at the end."""
    return "".join(f'<sup><a href="#fn-{n}">{n}</a></sup>' for n in numbers)


def _rating_class(label: str | None) -> str:
    return f"rating-{label.replace(' ', '-')}" if label else ""


def _table(header: list[str], rows: list[str], css: str = "") -> str:
    head = "".join(f"<th scope=\"col\">{h}</th>" for h in header)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _ratings(report: dict[str, Any]) -> str:
    rows = []
    for s in report["ratings"]:
        rating = _e(s["rating_label"]) + (" (not scored)" if s["role"] == "rated" else "")
        rows.append(f'<tr><td><a href="#standard-{_e(s["id"])}">{_e(s["id"])} {_e(s["title"])}</a></td>'
                    f'<td class="{_rating_class(s["rating"])}">{rating}{_fn(s["footnotes"])}</td></tr>')
    overall = report["overall"]
    rows.append(f'<tr class="overall"><td>Overall rating</td><td>{_e(overall["rating"])} '
                f'(score {overall["score"]}/{overall["max_score"]})</td></tr>')
    out = '<section id="ratings"><h2>Ratings</h2>' + _table(["Standard", "Rating"], rows, "ratings")
    bands = ", ".join(f"{_e(b['rating'])} {b['from']}-{b['to']}" for b in overall["bands"])
    out += f"<p>Overall bands: {bands}.</p>"
    if any(s["role"] != "scored" for s in report["ratings"]):
        out += "<p>The score counts the scored standards only; the others are rated or reported beside it.</p>"
    return out + "</section>"


def _key_questions(standard: dict[str, Any], report: dict[str, Any]) -> str:
    labels = comparator_labels(standard, report)
    header = ["Key question", "Current inspection",
              f"{report['report']['confidence']:.0%} interval", *map(_e, labels)]
    rows = []
    for kq in standard["key_questions"]:
        by_label = {c["label"]: c for c in kq["comparisons"]}
        cells = [f"<td>{_e(kq['id'])} {_e(kq['text'])}</td>",
                 f'<td class="num">{_e(key_question_cell(kq))}{_fn(kq["footnotes"])}</td>',
                 f'<td class="num">{_e(format_interval(kq["interval"]))}</td>']
        for label in labels:
            comparison = by_label.get(label)
            css = ' class="significant"' if comparison and comparison["significant"] else ""
            cells.append(f"<td{css}>{_e(format_comparison(comparison)) if comparison else ''}</td>")
        rows.append(f'<tr id="kq-{_e(kq["id"])}">{"".join(cells)}</tr>')
    return _table(header, rows, "key-questions")


def _standard(standard: dict[str, Any], report: dict[str, Any]) -> str:
    sid = _e(standard["id"])
    parts = [f'<section id="standard-{sid}"><h3>Standard {sid} {_e(standard["title"])}</h3>',
             f'<p class="rating {_rating_class(standard["rating"])}"><strong>'
             f'{_e(rating_heading(standard))}</strong>{_fn(standard["footnotes"])}</p>']
    if line := indicative_line(standard):
        parts.append(f"<p>{_e(line)}</p>")
    if standard["note"]:
        parts.append(f"<p>{_e(standard['note'][:1].upper() + standard['note'][1:])}.</p>")
    if standard["rated_by"] == "judgement":
        parts.append("<p>Rated by the lead inspector's judgement.</p>")
        if standard["evidence"]:
            parts.append(f"<blockquote>{_e(standard['evidence'])}</blockquote>")
    if standard["key_questions"]:
        cases = f" ({standard['cases']} cases)" if standard["cases"] else ""
        parts.append(f"<p>Key questions{_e(cases)}:</p>{_key_questions(standard, report)}")
    return "".join(parts) + "</section>"


def _chart(report: dict[str, Any]) -> str:
    bars = []
    for standard in report["standards"]:
        for kq in standard["key_questions"]:
            if kq["evidence"] != "cases" or kq["percent"] is None:
                continue
            interval = kq["interval"]
            bars.append(Bar(kq["id"], kq["exact_percent"], interval["low"] * 100, interval["high"] * 100,
                            f"{kq['percent']}% ({kq['yes']}/{kq['applicable']})",
                            f"{kq['id']} {kq['text']}: {kq['percent']}% of {kq['applicable']} cases, "
                            f"{report['report']['confidence']:.0%} interval {format_interval(interval)}"))
    if not bars:
        return ""
    boundaries = [(b["rating"], b["from"]) for b in report["key_question_bands"]]
    svg = key_question_chart(bars, boundaries, "Key questions against the rating bands")
    return ('<section id="chart"><h2>Key questions against the bands</h2>'
            "<p>Each bar is a key question's figure; the whisker is its "
            f"{report['report']['confidence']:.0%} interval; dashed lines mark the band boundaries.</p>"
            f"{svg}</section>")


def _breakdown(breakdown: dict[str, Any], report: dict[str, Any]) -> str:
    values = breakdown["values"]
    rows = []
    for kq in breakdown["key_questions"]:
        by_value = {g["value"]: g for g in kq["groups"]}
        cells = [f"<td>{_e(kq['id'])}</td>", f'<td class="num">{kq["percent"]}% ({kq["yes"]}/{kq["n"]})</td>']
        for value in values:
            group = by_value.get(value)
            if group is None:
                cells.append("<td></td>")
            elif group["small"]:
                cells.append(f'<td class="num small">{group["percent"]}% ({group["yes"]}/{group["n"]}, '
                             "small group)</td>")
            else:
                cells.append(f'<td class="num">{group["percent"]}% ({group["yes"]}/{group["n"]})</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    attribute = _e(breakdown["attribute"])
    out = (f'<section id="by-{attribute}"><h3>By {attribute}</h3>'
           + _table(["Key question", "All cases", *map(_e, values)], rows, "breakdown"))
    if warning := small_group_warning(breakdown, report["report"]["small_group"]):
        out += f'<p class="small">{_e(warning)}</p>'
    return out + "</section>"


def _prompts(report: dict[str, Any]) -> str:
    parts = ['<section id="annex-data"><h2>Annex: inspection data</h2>',
             "<p>The prompts behind each key question: the share of 'yes' answers over the cases "
             "where a prompt was answered, or an information question's count of each answer. The "
             "key question's judgement weighs them; it is not their sum.</p>"]
    for standard in report["standards"]:
        kqs = [kq for kq in standard["key_questions"] if kq["prompts"]]
        if not kqs:
            continue
        parts.append(f"<h3>Standard {_e(standard['id'])} {_e(standard['title'])}</h3>")
        for kq in kqs:
            rows = [f'<tr id="prompt-{_e(p["id"])}"><td>{_e(p["id"])} {_e(p["text"])}</td>'
                    f'<td class="num">{p["yes"] if p["percent"] is not None else ""}</td>'
                    f'<td class="num">{p["answered"]}</td><td>{_e(prompt_cell(p))}</td></tr>'
                    for p in kq["prompts"]]
            parts.append(f"<h4>{_e(kq['id'])} {_e(kq['text'])}</h4>"
                         + _table(["Prompt", "Yes", "Answered", "Result"], rows, "prompts"))
    return "".join(parts) + "</section>"


def render_html(report: dict[str, Any]) -> str:
    """The whole report as one HTML document."""
    title = f"Inspection report: {report['provider']}"
    subtitle = report["profile_title"] + (f", fieldwork {report['fieldwork']}" if report["fieldwork"] else "")
    body = [f"<header><h1>{_e(title)}</h1><p class=\"subtitle\">{_e(subtitle)}</p>"]
    if report["synthetic"]:
        body.append('<p class="synthetic">Synthetic example data: no real cases.</p>')
    body.append("</header>")
    body.append(_ratings(report))
    body.append(_chart(report))
    body.append('<section id="standards"><h2>Standards</h2>')
    body += [_standard(s, report) for s in report["standards"]]
    body.append("</section>")
    if report["breakdowns"]:
        body.append('<section id="sub-groups"><h2>Sub-groups</h2>')
        body += [_breakdown(b, report) for b in report["breakdowns"]]
        body.append("</section>")
    body.append(_prompts(report))
    if report["excluded_cases"]:
        rows = [f"<tr><td>{_e(c['case_id'])}</td><td>{_e(c['sample'])}</td><td>{_e(c['reason'])}</td></tr>"
                for c in report["excluded_cases"]]
        body.append('<section id="excluded"><h2>Excluded cases</h2>'
                    + _table(["Case", "Sample", "Reason"], rows, "excluded") + "</section>")
    body.append('<section id="method"><h2>About the figures</h2><ul>'
                + "".join(f"<li>{_e(n)}</li>" for n in report["methodology"]) + "</ul></section>")
    if report["footnotes"]:
        body.append('<section id="notes"><h2>Notes</h2><ol class="footnotes">'
                    + "".join(f'<li id="fn-{n["number"]}" value="{n["number"]}">{_e(n["text"])}</li>'
                              for n in report["footnotes"])
                    + "</ol></section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part) + "\n</body>\n</html>\n")
