"""The inspection report (:func:`~.report.build_report`) as one self-contained HTML file.

Inline CSS, the chart as inline SVG, no scripts and nothing fetched: the file can be mailed
or archived as it is. Every piece of inspection text is escaped with :func:`html.escape` (and,
in the stylesheet's running header, with :func:`css_string`); the page is built from small
string functions rather than a template engine, since its shape is fixed and a dependency
would buy nothing here.

One file serves three media:

* a phone (390-420 px): nothing wider than the screen; wide tables scroll inside their own
  focusable region (``.table-wrap``), the chart scales to the width with legible text;
* print (A4): ``@page`` margins with a running header (provider and inspection), page numbers
  and "Draft" on every page until the inspection is signed off; no table row split across
  pages, no heading left at a page foot, table headers repeated on every page;
* PDF: the same HTML through WeasyPrint (:mod:`.pdf`), whose bookmarks follow the
  headings.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from typing import Any

from .charts import Bar, key_question_chart
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
    slug,
    small_group_warning,
)

#: The stylesheet, kept as a data file beside this module and inlined into every report.
CSS = (files(__package__) / "report.css").read_text(encoding="utf-8")


def css_string(text: Any) -> str:
    """``text`` as a quoted CSS string, safe inside ``<style>``: everything but letters,
    digits, spaces and plain punctuation as a hex escape (so ``</style>`` cannot end it)."""
    out = []
    for char in " ".join(str(text).split()):
        if (char.isalnum() and char.isascii()) or char in " .,:;()-_'/&+!?":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def page_css(report: dict[str, Any]) -> str:
    """The A4 page: running header (provider and inspection), page numbers, "Draft"."""
    head = f"{report['provider']} - {report['profile_title']}"
    if report["fieldwork"]:
        head += f", fieldwork {report['fieldwork']}"
    draft = report["status"]["draft"]
    return ("@page { size: A4; margin: 22mm 16mm 20mm 16mm; font-family: \"DejaVu Sans\", Arial, sans-serif;"
            f" @top-center {{ content: {css_string(head)}; font-size: 8pt; color: #444; }}"
            + (' @top-right { content: "DRAFT"; font-size: 10pt; font-weight: bold; color: #b3261e; }'
               ' @bottom-left { content: "Draft: not signed off"; font-size: 8pt; color: #b3261e; }'
               if draft else "")
            + ' @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }')


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _fn(numbers: list[int], anchor: bool = False) -> str:
    """Footnote marks linking to the numbered notes at the end; ``anchor`` gives each the id
    the note's back link returns to."""
    return "".join(f'<sup><a href="#fn-{n}"' + (f' id="fnref-{n}"' if anchor else "")
                   + f' aria-label="Note {n}">{n}</a></sup>' for n in numbers)


def _rating_class(label: str | None) -> str:
    return f"rating-{label.replace(' ', '-')}" if label else ""


def _table(header: list[str], rows: list[str], css: str, caption: str) -> str:
    """A table with its caption, in a region that scrolls sideways on a narrow screen."""
    head = "".join(f"<th scope=\"col\">{h}</th>" for h in header)
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{_e(caption)}">'
            f'<table class="{css}"><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _plugin_section(section: dict[str, Any]) -> str:
    """A section a plugin added: its text and table, every string escaped here."""
    anchor = _e(section["anchor"])
    parts = [f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">{_e(section["title"])}</h2>']
    parts += [f"<p>{_e(paragraph)}</p>" for paragraph in section["paragraphs"]]
    if section["header"]:
        rows = ["<tr>" + "".join((f'<th scope="row">{_e(cell)}</th>' if i == 0 else f"<td>{_e(cell)}</td>")
                                 for i, cell in enumerate(row)) + "</tr>" for row in section["rows"]]
        parts.append(_table([_e(h) for h in section["header"]], rows, "plugin-section", section["title"]))
    return "".join(parts) + "</section>"


def _quality(report: dict[str, Any]) -> str:
    """The "Quality assurance" section (issue 15): cases assessed twice, agreement and kappa
    per key question, and the notes where kappa is below the profile's threshold."""
    quality = report["quality_assurance"]
    if quality is None:
        return ""
    parts = ['<section id="quality-assurance" aria-labelledby="quality-assurance-h">'
             '<h2 id="quality-assurance-h">Quality assurance</h2>']
    parts += [f"<p>{_e(paragraph)}</p>" for paragraph in quality["paragraphs"]]
    rows = ["<tr>" + "".join((f'<th scope="row">{_e(cell)}</th>' if i == 0 else f"<td>{_e(cell)}</td>")
                             for i, cell in enumerate(row)) + "</tr>" for row in quality["rows"]]
    parts.append(_table([_e(h) for h in quality["header"]], rows, "quality",
                        "Agreement between first and second assessments"))
    if quality["notes"]:
        parts.append('<ul class="qa-notes">' + "".join(f"<li>{_e(n)}</li>" for n in quality["notes"]) + "</ul>")
    return "".join(parts) + "</section>"


def _ratings(report: dict[str, Any]) -> str:
    previous = any(s["previous_rating"] for s in report["ratings"])
    columns = 3 if previous else 2
    by_id = {s["id"]: s for s in report["ratings"]}
    rows = []
    for number, domain in enumerate(report["domains"], start=1):
        rows.append(f'<tr class="domain"><th scope="colgroup" colspan="{columns}">'
                    f'{number}. {_e(domain["title"])}</th></tr>')
        for sid in domain["standards"]:
            s = by_id[sid]
            rating = _e(s["rating_label"]) + (" (not scored)" if s["role"] == "rated" else "")
            cells = (f'<th scope="row"><a href="#{s["anchor"]}">{_e(s["id"])} {_e(s["display_title"])}</a></th>'
                     f'<td class="{_rating_class(s["rating"])}">{rating}{_fn(s["footnotes"])}</td>')
            if previous:
                cells += f"<td>{_e(s['previous_rating'] or '')}</td>"
            rows.append(f"<tr>{cells}</tr>")
    overall = report["overall"]
    rows.append(f'<tr class="overall"><th scope="row">Overall rating</th><td>{_e(overall["rating"])} '
                f'(score {overall["score"]}/{overall["max_score"]})</td>{"<td></td>" if previous else ""}</tr>')
    header = ["Standard", "Rating"] + (["Previous inspection"] if previous else [])
    out = ('<section id="ratings" aria-labelledby="ratings-h"><h2 id="ratings-h">Ratings</h2>'
           + _table(header, rows, "ratings", f"Ratings: {report['provider']}"))
    bands = ", ".join(f"{_e(b['rating'])} {b['from']}-{b['to']}" for b in overall["bands"])
    out += f"<p>Overall bands: {bands}.</p>"
    if any(s["role"] != "scored" for s in report["ratings"]):
        out += "<p>The score counts the scored standards only; the others are rated or reported beside it.</p>"
    return out + "</section>"


def _key_questions(standard: dict[str, Any], report: dict[str, Any]) -> str:
    labels = comparator_labels(standard, report)
    header = ["Key question", "Current inspection", "Band", "n",
              f"{report['report']['confidence']:g}% interval", *map(_e, labels)]
    rows = []
    for kq in standard["key_questions"]:
        by_label = {c["label"]: c for c in kq["comparisons"]}
        lowest = kq["id"] == standard["lowest_key_question"] and kq["evidence"] == "cases"
        band = _e(kq["band"] or "")
        if lowest:
            band += " <strong>(lowest: sets the rating)</strong>"
        n = kq["n"] if kq["evidence"] == "cases" else ""
        cells = [f'<th scope="row">{_e(kq["id"])} {_e(kq["text"])}</th>',
                 f'<td class="num">{_e(key_question_cell(kq))}{_fn(kq["footnotes"])}</td>',
                 f"<td>{band}</td>", f'<td class="num">{n}</td>',
                 f'<td class="num">{_e(format_interval(kq["interval"]))}</td>']
        for label in labels:
            comparison = by_label.get(label)
            css = ' class="significant"' if comparison and comparison["significant"] else ""
            cells.append(f"<td{css}>{_e(format_comparison(comparison)) if comparison else ''}</td>")
        lowest_class = ' class="lowest"' if lowest else ""
        rows.append(f'<tr id="kq-{slug(kq["id"])}"{lowest_class}>{"".join(cells)}</tr>')
    caption = f"Standard {standard['id']} {standard['display_title']}: key questions"
    out = _table(header, rows, "key-questions", caption)
    if labels:
        out += ('<p class="note">Bold comparator figures differ from the current one by the '
                f"two-proportion Z-score test at the {report['report']['significance_level'] / 100:g} level; "
                "a figure marked * rests on an assumed n.</p>")
    return out


def _standard(standard: dict[str, Any], report: dict[str, Any]) -> str:
    sid = _e(standard["id"])
    anchor = standard["anchor"]
    parts = [f'<section id="{anchor}" aria-labelledby="{anchor}-h">'
             f'<h3 id="{anchor}-h">Standard {sid} {_e(standard["display_title"])}</h3>',
             f'<p class="rating {_rating_class(standard["rating"])}"><strong>'
             f'{_e(rating_heading(standard))}</strong>{_fn(standard["footnotes"], anchor=True)}</p>']
    if standard["previous_rating"]:
        parts.append(f"<p>Previous inspection: {_e(standard['previous_rating'])}</p>")
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


def chart_bars(report: dict[str, Any]) -> list[Bar]:
    """A bar per key question with a figure; the lowest of a standard the panel moved is marked."""
    bars = []
    for standard in report["standards"]:
        moved = {n["number"]: n for n in report["footnotes"]
                 if n["standard"] == standard["id"] and n["applied"]}
        for kq in standard["key_questions"]:
            if kq["evidence"] != "cases" or kq["percent"] is None:
                continue
            interval = kq["interval"]
            mark = ""
            for number in kq["footnotes"]:
                if number in moved:
                    word = "raised" if moved[number]["direction"] == "up" else "lowered"
                    mark = f"{word} by the panel (note {number})"
            shown = f"{kq['percent']}% ({kq['yes']}/{kq['n']})"
            bars.append(Bar(kq["id"], kq["exact_percent"], interval["low"], interval["high"],
                            shown,
                            f"{kq['id']} {kq['text']}: {kq['percent']}% of {kq['n']} cases, "
                            f"{report['report']['confidence']:g}% interval {format_interval(interval)}"
                            + (f", {kq['band']}" if kq["band"] else "") + (f", {mark}" if mark else ""),
                            mark))
    return bars


def _chart(report: dict[str, Any]) -> str:
    bars = chart_bars(report)
    if not bars:
        return ""
    boundaries = [(b["rating"], b["from"]) for b in report["key_question_bands"]]
    svg = key_question_chart(bars, boundaries, "Key questions against the rating bands")
    return ('<section id="chart" aria-labelledby="chart-h"><h2 id="chart-h">Key questions against the bands</h2>'
            "<p>Each bar is a key question's figure; the whisker below it is its "
            f"{report['report']['confidence']:g}% interval; dashed lines mark the band boundaries. "
            "A thick end mark shows a standard whose rating the panel moved.</p>"
            f"<figure>{svg}</figure></section>")


def _breakdown(breakdown: dict[str, Any], report: dict[str, Any]) -> str:
    values = breakdown["values"]
    rows = []
    for kq in breakdown["key_questions"]:
        by_value = {g["value"]: g for g in kq["groups"]}
        cells = [f'<th scope="row">{_e(kq["id"])}</th>',
                 f'<td class="num">{kq["percent"]}% ({kq["yes"]}/{kq["n"]})</td>']
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
    attribute = breakdown["attribute"]
    anchor = f"by-{slug(attribute)}"
    out = (f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h3 id="{anchor}-h">By {_e(attribute)}</h3>'
           + _table(["Key question", "All cases", *map(_e, values)], rows, "breakdown",
                    f"Key questions by {attribute}"))
    if warning := small_group_warning(breakdown, report["report"]["small_group"]):
        out += f'<p class="small">{_e(warning)}</p>'
    return out + "</section>"


def _prompts(report: dict[str, Any]) -> str:
    parts = ['<section id="annex-data" aria-labelledby="annex-data-h">'
             '<h2 id="annex-data-h">Annex: inspection data</h2>',
             "<p>The prompts behind each key question: the share of 'yes' answers over the cases "
             "where a prompt was answered, or an information question's count of each answer. The "
             "key question's judgement weighs them; it is not their sum.</p>"]
    for standard in report["standards"]:
        kqs = [kq for kq in standard["key_questions"] if kq["prompts"]]
        if not kqs:
            continue
        parts.append(f"<h3>Standard {_e(standard['id'])} {_e(standard['display_title'])}</h3>")
        for kq in kqs:
            labels = prompt_comparator_labels(kq)
            rows = [f'<tr id="prompt-{slug(p["id"])}"><th scope="row">{_e(p["id"])} {_e(p["text"])}</th>'
                    f'<td class="num">{p["yes"] if p["percent"] is not None else ""}</td>'
                    f'<td class="num">{p["n"]}</td><td>{_e(prompt_cell(p))}</td>'
                    + "".join(f'<td class="num">{_e(prompt_comparison_cell(p, label))}</td>' for label in labels)
                    + "</tr>" for p in kq["prompts"]]
            parts.append(f"<h4>{_e(kq['id'])} {_e(kq['text'])}</h4>"
                         + _table(["Prompt", "Yes", "Answered", "Result", *map(_e, labels)], rows, "prompts",
                                  f"Prompts of key question {kq['id']}"))
    return "".join(parts) + "</section>"


def _sample(report: dict[str, Any]) -> str:
    if not report["sample"]:
        return ""
    parts = ['<section id="sample" aria-labelledby="sample-h"><h2 id="sample-h">Sample</h2>',
             "<p>The cases inspected, per sample, by disposal, risk of serious harm (RoSH) level and "
             "gender, as the case data records them.</p>"]
    names = {"disposal": "Disposal", "rosh": "RoSH", "gender": "Gender"}
    for sample in report["sample"]:
        rows = [f'<tr><th scope="row">All cases</th><td class="num">{sample["cases"]}</td></tr>']
        if sample["excluded"]:
            rows.append(f'<tr><th scope="row">Excluded</th><td class="num">{sample["excluded"]}</td></tr>')
        for attribute, counts in sample["by"].items():
            for value, count in counts.items():
                rows.append(f'<tr><th scope="row">{_e(names.get(attribute, attribute))}: {_e(value)}</th>'
                            f'<td class="num">{count}</td></tr>')
        parts.append(_table(["Cases", "Number"], rows, "sample", f"Sample {sample['sample']}"))
    return "".join(parts) + "</section>"


def _method(report: dict[str, Any]) -> str:
    method = report["method"]
    rows = [f'<tr><th scope="row">{_e(b["rating"])}</th><td>{b["from"]}-{b["to"]}%</td></tr>'
            for b in method["key_question_bands"]]
    scoring = method["scoring"]
    score_rows = [f'<tr><th scope="row">{_e(label)}</th><td class="num">{points}</td></tr>'
                  for label, points in scoring["points"].items()]
    overall_rows = [f'<tr><th scope="row">{_e(b["rating"])}</th><td>{b["from"]}-{b["to"]}</td></tr>'
                    for b in scoring["overall_bands"]]
    out = ['<section id="annex-method" aria-labelledby="annex-method-h">'
           '<h2 id="annex-method-h">Annex: methodology</h2>',
           "<h3>Rating rules</h3><ul>" + "".join(f"<li>{_e(rule)}</li>" for rule in method["rules"]) + "</ul>",
           _table(["Rating", "Key question figure"], rows, "bands", "Key-question bands"),
           _table(["Rating", "Points"], score_rows, "points", "Points per standard"),
           _table(["Overall rating", "Score"], overall_rows, "overall-bands",
                  f"Overall rating from the score (0-{scoring['max_score']})")]
    if method["rated_beside"]:
        out.append(f"<p>Rated but not scored: {_e(', '.join(method['rated_beside']))}.</p>")
    if method["reported"]:
        out.append(f"<p>Reported without a rating: {_e(', '.join(method['reported']))}.</p>")
    out.append("<h3>About the figures</h3><ul>"
               + "".join(f"<li>{_e(n)}</li>" for n in report["methodology"]) + "</ul>")
    return "".join(out) + "</section>"


def _narrative(report: dict[str, Any], domain: int | None, level: str) -> str:
    strengths, improvements, recommendations = narrative(report, domain)
    out = []
    for heading, items in (("Strengths", strengths), ("Areas for improvement", improvements),
                           ("Recommendations", recommendations)):
        if items:
            tag = "ol" if heading == "Recommendations" else "ul"
            out.append(f"<{level}>{heading}</{level}><{tag}>"
                       + "".join(f"<li>{_e(item)}</li>" for item in items) + f"</{tag}>")
    return "".join(out)


def _toc(report: dict[str, Any]) -> str:
    items = ['<li><a href="#ratings">Ratings</a></li>']
    if any(narrative(report, None)):
        items.append('<li><a href="#summary">Summary</a></li>')
    if chart_bars(report):
        items.append('<li><a href="#chart">Key questions against the bands</a></li>')
    items.append('<li><a href="#standards">Standards</a><ol>'
                 + "".join(f'<li><a href="#{s["anchor"]}">{_e(s["id"])} {_e(s["display_title"])}</a></li>'
                           for s in report["standards"]) + "</ol></li>")
    if report["breakdowns"]:
        items.append('<li><a href="#sub-groups">Sub-groups</a></li>')
    if report["quality_assurance"]:
        items.append('<li><a href="#quality-assurance">Quality assurance</a></li>')
    if report["sample"]:
        items.append('<li><a href="#sample">Sample</a></li>')
    items.append('<li><a href="#annex-data">Annex: inspection data</a></li>')
    if report["excluded_cases"]:
        items.append('<li><a href="#excluded">Excluded cases</a></li>')
    items.append('<li><a href="#annex-method">Annex: methodology</a></li>')
    if report["footnotes"]:
        items.append('<li><a href="#notes">Notes</a></li>')
    return f'<nav aria-label="Contents"><h2 id="contents">Contents</h2><ol>{"".join(items)}</ol></nav>'


def render_html(report: dict[str, Any]) -> str:
    """The whole report as one HTML document."""
    title = f"Inspection report: {report['provider']}"
    subtitle = report["profile_title"] + (f", fieldwork {report['fieldwork']}" if report["fieldwork"] else "")
    status = report["status"]["line"]
    head = [f"<header><h1>{_e(title)}</h1><p class=\"subtitle\">{_e(subtitle)}</p>"]
    if report["status"]["draft"]:
        head.append(f'<p class="draft">{_e(status)}</p>')
    if report["synthetic"]:
        head.append('<p class="synthetic">Synthetic example data: no real cases.</p>')
    if report["notes"]:
        head.append(f'<p class="note">{_e(report["notes"])}</p>')
    head.append("</header>")
    summary = _narrative(report, None, "h3")
    if summary:
        summary = ('<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
                   + summary + "</section>")
    body = [_ratings(report), summary, _chart(report),
            '<section id="standards" aria-label="Standards">']
    for domain in report["domains"]:
        anchor = f"domain-{domain['domain']}"
        body.append(f'<section id="{anchor}" aria-labelledby="{anchor}-h">'
                    f'<h2 id="{anchor}-h">{_e(domain["title"])}</h2>'
                    + _narrative(report, domain["domain"], "h3"))
        body += [_standard(s, report) for s in report["standards"] if s["domain"] == domain["domain"]]
        body.append("</section>")
    body.append("</section>")
    if report["breakdowns"]:
        body.append('<section id="sub-groups" aria-labelledby="sub-groups-h"><h2 id="sub-groups-h">Sub-groups</h2>')
        body += [_breakdown(b, report) for b in report["breakdowns"]]
        body.append("</section>")
    body += [_plugin_section(section) for section in report["sections"]]
    body.append(_quality(report))
    body.append(_sample(report))
    body.append(_prompts(report))
    if report["excluded_cases"]:
        rows = [f'<tr><th scope="row">{_e(c["case_id"])}</th><td>{_e(c["sample"])}</td><td>{_e(c["reason"])}</td></tr>'
                for c in report["excluded_cases"]]
        body.append('<section id="excluded" aria-labelledby="excluded-h"><h2 id="excluded-h">Excluded cases</h2>'
                    + _table(["Case", "Sample", "Reason"], rows, "excluded", "Excluded cases") + "</section>")
    body.append(_method(report))
    if report["footnotes"]:
        body.append('<section id="notes" aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2><ol class="footnotes">'
                    + "".join(f'<li id="fn-{n["number"]}" value="{n["number"]}">{_e(n["text"])} '
                              f'<a href="#fnref-{n["number"]}" aria-label="Back to the reference of note '
                              f'{n["number"]}">\u21a9</a></li>'
                              for n in report["footnotes"])
                    + "</ol></section>")
    footer = (f"<footer><p>{_e(status)} Report format {report['report']['format_version']}, "
              f"profile {_e(report['profile'])} ({_e(report['edition'])}).</p></footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<style>{CSS}{page_css(report)}</style>\n</head>\n<body>\n"
            + "\n".join(head) + "\n" + _toc(report) + "\n<main>\n"
            + "\n".join(part for part in body if part) + "\n</main>\n" + footer + "\n</body>\n</html>\n")
