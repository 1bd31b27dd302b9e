"""The inspection report as plain data, which the HTML, Markdown and JSON renderers share.

:func:`build_report` takes a rated inspection (:class:`~.results.InspectionResult`), its
cases (:class:`~.inspection.Inspection`), the profile and the comparators, and returns
nested dicts and lists of strings, numbers, booleans and None (JSON as it stands). It holds
what a published report shows (seed 002, the Thames Valley CRC report):

* the ratings table and the overall rating with its score;
* per standard, the lead inspector's rating and evidence (domain one), or each key
  question's percentage with its number of cases, its Wilson score interval, and the
  comparators' figures, with the word "significant" only where the Z-score test passes
  at the 0.1 level (Annex 2, "Comparative data");
* a numbered footnote for every panel decision and moderation, with its rationale (as
  the report's footnotes 28 and 44 explain its two uplifts);
* the prompts behind each key question (Annex 4) and information questions' answer counts;
* sub-group figures by case attributes (the report compares men and women, community and
  licence cases, PO and PSO cases), flagging small groups: "the margin of error for the
  sub-sample findings may be higher" (Annex 2);
* excluded cases and standards that are not rated or only reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections import defaultdict
from typing import Any, Iterable

from .. import stats
from ..errors import Problems
from ..inspection.comparators import Comparator
from ..inspection.folder import Inspection
from ..inspection.tally import Tallies
from ..profiles.profile import Profile
from ..rating.results import (
    Adjustment,
    InspectionResult,
    KeyQuestionResult,
    StandardResult,
)
from ..rating.rules import exact_percent, published_percent

#: The interval shown beside each key question's figure.
CONFIDENCE = 0.95
#: A sub-group with fewer cases than this is flagged.
SMALL_GROUP = 10
#: The value a case without the attribute is grouped under.
NOT_RECORDED = "(not recorded)"
#: 2: counts are ``yes`` and ``n`` everywhere (``n``: the cases a figure is over, was
#: ``applicable`` / ``answered``); percentages, intervals, the confidence and significance
#: levels are percent (0-100); status, domains, previous ratings, sample, method, narrative.
if TYPE_CHECKING:
    from ..plugin.types import ReportSection

FORMAT_VERSION = 2

#: The JSON Schema (draft 2020-12) of the report's JSON, shipped with the package.
SCHEMA_FILE = "schema.json"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`build_report`'s output (``inspect report --format json``)."""
    import json
    from pathlib import Path
    return json.loads((Path(__file__).with_name(SCHEMA_FILE)).read_text(encoding="utf-8"))


#: Domain titles as the reports print them; a profile's own titles override the defaults.
DOMAIN_TITLES = {1: "Organisational delivery", 2: "Case supervision"}
PROFILE_DOMAIN_TITLES = {
    "crc": {3: "CRC-specific work"},
    "nps": {3: "NPS-specific work"},
    "yot": {2: "Court disposals", 3: "Out-of-court disposals", 4: "Resettlement"},
}

#: The report's status when nobody signed the inspection off: a draft.
DRAFT = {"signed_off": False, "signed_off_at": None, "signed_off_by": None}


def domain_title(profile: str, domain: int) -> str:
    """"Case supervision", or "Domain 5" for a domain no report names."""
    return PROFILE_DOMAIN_TITLES.get(profile, {}).get(domain) or DOMAIN_TITLES.get(domain) or f"Domain {domain}"


def slug(text: str) -> str:
    """An HTML id from ``text``: lower case, runs of anything but letters and digits as ``-``."""
    import re
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def _interval(yes: int, n: int, confidence: float) -> dict[str, float] | None:
    """The Wilson score interval in percent (0-100), with its confidence level in percent."""
    if not n:
        return None
    interval = stats.wilson(yes, n, confidence)
    return {"low": interval.low * 100, "high": interval.high * 100, "confidence": confidence * 100}


def _percent(yes: int, n: int) -> int | None:
    return published_percent(exact_percent(yes, n)) if n else None


def _comparison(kq: KeyQuestionResult, comparator: Comparator, alpha: float) -> dict[str, Any] | None:
    figure = comparator.figure(kq.id)
    if figure is None:
        return None
    out: dict[str, Any] = {"name": comparator.name, "label": comparator.label,
                           **figure.to_dict(), "z": None, "p_value": None,
                           "significant": None, "direction": None, "wording": ""}
    if kq.percent is not None:
        current = kq.yes / kq.applicable
        other = figure.percent / 100 if figure.yes_count is None else figure.yes_count / figure.n
        out["direction"] = "higher" if current > other else "lower" if current < other else "same"
    if figure.n is None or not kq.applicable:
        return out  # nothing to test against
    test = stats.two_proportion_z_test(kq.yes, kq.applicable, figure.yes, figure.n)
    out.update(z=test.z, p_value=test.p_value, significant=test.significant(alpha))
    if out["significant"]:
        word = "higher" if test.z > 0 else "lower"
        out["direction"] = word
        out["wording"] = f"significantly {word} than {_against(comparator)}"
    return out


def _against(comparator: Comparator) -> str:
    """What a significant difference is phrased against: "the previous inspection", "all CRCs"."""
    if comparator.name == "previous":
        return "the previous inspection"
    label = comparator.label
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _footnote_text(standard: StandardResult, adjustment: Adjustment) -> str:
    word = "up" if adjustment.direction > 0 else "down"
    lowest = next((kq for kq in standard.key_questions if kq.id == standard.lowest_key_question), None)
    indicative = standard.indicative_rating.label if standard.indicative_rating is not None else ""
    score = (f"this {lowest.percent} per cent score ({lowest.id})" if lowest is not None
             and lowest.percent is not None else "the lowest key question's score")
    rationale = f" Rationale: {adjustment.rationale.strip()}" if adjustment.rationale.strip() else ""
    if adjustment.applied:
        return (f"Although {score} would normally lead to a rating of '{indicative}' on this "
                f"standard, {adjustment.source} moved the rating {word} to "
                f"'{standard.rating_label}'.{rationale}")
    return (f"{adjustment.source[:1].upper()}{adjustment.source[1:]} proposed moving the rating "
            f"{word} from '{indicative}'; it was not applied, and the rating stays "
            f"'{standard.rating_label}'.{rationale}")


def _key_question(kq: KeyQuestionResult, comparators: tuple[Comparator, ...], confidence: float,
                  alpha: float, footnotes: list[int]) -> dict[str, Any]:
    out = kq.to_dict()
    out["n"] = out.pop("applicable")
    for prompt in out["prompts"]:
        prompt["n"] = prompt.pop("answered")
    out["interval"] = (_interval(kq.yes, kq.applicable, confidence)
                       if kq.evidence == "cases" else None)
    out["footnotes"] = footnotes
    out["comparisons"] = [c for c in (_comparison(kq, comparator, alpha) for comparator in comparators)
                          if c is not None] if kq.evidence == "cases" else []
    return out


def _standard(standard: StandardResult, comparators: tuple[Comparator, ...], confidence: float,
              alpha: float, notes: list[dict[str, Any]]) -> dict[str, Any]:
    marks = []
    for adjustment in standard.adjustments:
        number = len(notes) + 1
        notes.append({"number": number, "standard": standard.id,
                      "key_question": standard.lowest_key_question, **adjustment.to_dict(),
                      "text": _footnote_text(standard, adjustment)})
        marks.append(number)
    out = {key: value for key, value in standard.to_dict().items() if key != "key_questions"}
    out["rating_label"] = standard.rating_label
    out["footnotes"] = marks
    out["previous_rating"] = next((c.standards[standard.id] for c in comparators
                                   if c.name == "previous" and standard.id in c.standards), None)
    out["key_questions"] = [
        _key_question(kq, comparators, confidence, alpha,
                      marks if kq.id == standard.lowest_key_question else [])
        for kq in standard.key_questions]
    return out


def _sample(inspection: Inspection) -> list[dict[str, Any]]:
    """Per sample: its cases, and their count by disposal, RoSH level and gender (where given)."""
    out = []
    samples: dict[str, list] = defaultdict(list)
    for case in inspection.cases:
        samples[case.sample].append(case)
    for name in sorted(samples):
        cases = samples[name]
        profile = {}
        for attribute in ("disposal", "rosh", "gender"):
            counts: dict[str, int] = defaultdict(int)
            for case in cases:
                counts[case.attributes.get(attribute, "").strip() or NOT_RECORDED] += 1
            if set(counts) != {NOT_RECORDED}:
                profile[attribute] = dict(sorted(counts.items(), key=lambda kv: (kv[0] == NOT_RECORDED, kv[0])))
        out.append({"sample": name, "cases": len(cases),
                    "excluded": sum(1 for case in cases if case.excluded), "by": profile})
    return out


def _method_annex(profile: Profile) -> dict[str, Any]:
    """How the ratings are made, from the profile: bands, rules, the judgement window, scoring."""
    bands = profile.key_question_bands
    overall = profile.overall_bands
    return {
        "key_question_bands": [
            {"rating": "Inadequate", "from": 0, "to": bands.requires_improvement - 1},
            {"rating": "Requires improvement", "from": bands.requires_improvement, "to": bands.good - 1},
            {"rating": "Good", "from": bands.good, "to": bands.outstanding - 1},
            {"rating": "Outstanding", "from": bands.outstanding, "to": 100}],
        "rules": [
            "A standard rated from its cases takes the band of its lowest key question "
            "(the indicative rating).",
            f"Where that key question's figure lies within {profile.judgement_window} percentage "
            "points of a band boundary, or one case would change its band, the ratings panel may "
            "use professional judgement to move the rating up or down one band; every such "
            "decision is footnoted with its rationale.",
            "A qualitative key question moderates the indicative rating only when the panel ratifies it.",
            "Domain one standards are rated by the lead inspector's judgement on the evidence.",
            f"Percentages are rounded {profile.rounding.replace('-', ' ')} to whole numbers before banding.",
        ],
        "judgement_window": profile.judgement_window,
        "rounding": profile.rounding,
        "scoring": {"points": {"Inadequate": 0, "Requires improvement": 1, "Good": 2, "Outstanding": 3},
                    "max_score": overall.max_score,
                    "overall_bands": [{"rating": rating.label, "from": low, "to": high}
                                      for rating, low, high in overall.ranges]},
        "rated_beside": list(profile.rated_beside),
        "reported": list(profile.reported),
    }


def _case_attributes(inspection: Inspection) -> list[str]:
    return sorted({name for case in inspection.cases for name in case.attributes})


def _breakdown(attribute: str, result: InspectionResult, inspection: Inspection, *,
               confidence: float, small: int) -> dict[str, Any]:
    """Each key question's figure per value of ``attribute`` over the cases it applies to.

    The groups of a key question partition its cases (a case without the attribute is
    counted under "(not recorded)"), so their numbers add up to the key question's.
    """
    groups: dict[str, list] = defaultdict(list)
    for case in inspection.cases:
        groups[case.attributes.get(attribute, "").strip() or NOT_RECORDED].append(case)
    order = sorted(groups, key=lambda value: (value == NOT_RECORDED, value))
    tallies = {value: Tallies.from_cases(groups[value]) for value in order}
    rows = []
    for standard in result.standards:
        for kq in standard.key_questions:
            if kq.evidence != "cases" or not kq.applicable:
                continue
            cells = []
            for value, counted in tallies.items():
                tally = counted[kq.id]
                if not tally.answered:
                    continue
                cells.append({"value": value, "yes": tally.yes, "n": tally.answered,
                              "percent": _percent(tally.yes, tally.answered),
                              "interval": _interval(tally.yes, tally.answered, confidence),
                              "small": tally.answered < small})
            rows.append({"standard": standard.id, "id": kq.id, "text": kq.text, "yes": kq.yes,
                         "n": kq.applicable, "percent": kq.percent, "groups": cells})
    small_groups: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        for cell in row["groups"]:
            if cell["small"]:
                small_groups.setdefault(cell["value"], []).append((row["id"], cell["n"]))
    return {"attribute": attribute, "values": list(tallies), "key_questions": rows,
            "small_groups": [{"value": value, "key_questions": [kq for kq, _ in found],
                              "smallest": min(n for _, n in found), "largest": max(n for _, n in found)}
                             for value, found in small_groups.items()]}


def small_group_warning(breakdown: dict[str, Any], small: int) -> str:
    """One sentence naming each group with fewer than ``small`` cases somewhere."""
    if not breakdown["small_groups"]:
        return ""
    parts = []
    for group in breakdown["small_groups"]:
        count = len(group["key_questions"])
        cases = (f"{group['smallest']}" if group["smallest"] == group["largest"]
                 else f"{group['smallest']} to {group['largest']}")
        where = (group["key_questions"][0] if count == 1 else f"{count} key questions")
        parts.append(f"{group['value']}: {cases} case{'s' if group['largest'] != 1 else ''} in {where}")
    return (f"Warning: fewer than {small} cases in a group give unreliable figures; "
            + "; ".join(parts) + ".")


def _notes(profile: Profile, comparators: tuple[Comparator, ...], confidence: float, alpha: float,
           by: tuple[str, ...], small: int) -> list[str]:
    bands = profile.key_question_bands
    notes = [
        "A key question's figure is the share of 'yes' summary judgements over the cases it "
        f"applies to (n). The range beside it is its {confidence:.0%} Wilson score interval.",
        f"Bands: under {bands.requires_improvement}% Inadequate, {bands.requires_improvement}-"
        f"{bands.good - 1}% Requires improvement, {bands.good}-{bands.outstanding - 1}% Good, "
        f"{bands.outstanding}% and over Outstanding. A standard rated from its cases takes the "
        "band of its lowest key question, unless a footnote says otherwise.",
    ]
    if comparators:
        note = ("Comparisons use the Z-score test of two proportions at a significance level of "
                f"{alpha:g}, the inspectorate's test for changes in its data; 'significant' "
                "marks only a difference that passes it.")
        if any(c.any_assumed for c in comparators):
            note += " A comparator's n marked * is assumed: its source does not print it."
        notes.append(note)
    if by:
        notes.append("Sub-group figures rest on fewer cases, so their margins of error are "
                     f"wider; a group of fewer than {small} cases is flagged.")
    return notes


def _check(result: InspectionResult, inspection: Inspection, profile: Profile,
           comparators: tuple[Comparator, ...], by: tuple[str, ...], small: int,
           confidence: float, alpha: float) -> None:
    problems = Problems()
    for name, value in (("confidence", confidence), ("significance level", alpha)):
        if not 0 < value < 1:
            problems.add(name, f"expected a number strictly between 0 and 1, found {value!r}")
    if small < 1:
        problems.add("--small-group", f"expected a whole number of at least 1, found {small}")
    attributes = _case_attributes(inspection)
    for attribute in by:
        if not inspection.cases:
            problems.add(f"--by {attribute}", "sub-groups need the inspection's cases; "
                                              "this inspection holds answer counts only")
        elif attribute not in attributes:
            problems.add(f"--by {attribute}", "no case has this attribute; the cases have: "
                         + ", ".join(attributes))
    domains = sorted({s.domain for s in result.standards})
    judgements = inspection.judgements
    for entry in (*getattr(judgements, "findings", ()), *getattr(judgements, "recommendations", ())):
        if entry.domain is not None and entry.domain not in domains:
            problems.add(f"{entry.where} domain", f"the profile's standards are in domains "
                         f"{', '.join(map(str, domains))}, found {entry.domain}")
    rated = {kq.id for s in result.standards for kq in s.key_questions if kq.evidence == "cases"}
    for comparator in comparators:
        for kq_id in comparator.key_questions:
            if kq_id not in rated:
                problems.add(f'{comparator.source} [key_questions."{kq_id}"]',
                             f"key question {kq_id} is not rated from cases in profile "
                             f"{profile.name!r}; expected one of {', '.join(sorted(rated))}")
    problems.raise_if_any("the report cannot be made")


def status_line(status: dict[str, Any]) -> str:
    """The report's status in one sentence, as every renderer prints it."""
    if not status["signed_off"]:
        return "Draft: this inspection has not been signed off."
    who = f" by {status['signed_off_by']}" if status["signed_off_by"] else ""
    when = f" on {status['signed_off_at']}" if status["signed_off_at"] else ""
    return f"Signed off{who}{when}."


def build_report(result: InspectionResult, inspection: Inspection, profile: Profile,
                 comparators: Iterable[Comparator] | None = None, *, by: Iterable[str] = (),
                 small_group: int = SMALL_GROUP, confidence: float = CONFIDENCE,
                 alpha: float = stats.SIGNIFICANCE_LEVEL,
                 status: dict[str, Any] | None = None,
                 sections: Iterable[tuple[str, ReportSection]] = ()) -> dict[str, Any]:
    """The report of ``result`` as plain, JSON-serialisable data.

    ``comparators`` default to those of ``inspection.toml``; ``by`` names case attributes
    to break key questions down by; groups under ``small_group`` cases are flagged. Bad
    options (an unknown attribute, a comparator naming a key question the profile does not
    rate from cases) raise InputError listing every problem. ``status`` is the sign-off
    (``signed_off``, ``signed_off_at``, ``signed_off_by``); without it the report is a draft.
    ``sections`` are what the profile's plugins add (``hmip_report_sections``), each with the
    plugin that made it.
    """
    comparators = tuple(inspection.info.comparators if comparators is None else comparators)
    by = tuple(dict.fromkeys(by))
    _check(result, inspection, profile, comparators, by, small_group, confidence, alpha)
    footnotes: list[dict[str, Any]] = []
    standards = [_standard(s, comparators, confidence, alpha, footnotes) for s in result.standards]
    bands = profile.key_question_bands
    info = inspection.info
    for s in standards:
        s["domain_title"] = domain_title(profile.name, s["domain"])
        s["anchor"] = "standard-" + slug(s["id"])
        s["display_title"] = s["title"]
    titles = defaultdict(set)
    for s in standards:
        titles[s["title"]].add(s["domain"])
    for s in standards:
        if len(titles[s["title"]]) > 1:  # youth 2.1 and 3.1 "Assessment"
            s["display_title"] = f"{s['title']} ({s['domain_title']})"
    state = {**DRAFT, **(status or {})}
    state["draft"] = not state["signed_off"]
    state["line"] = status_line(state)
    domains = []
    for s in standards:
        if not domains or domains[-1]["domain"] != s["domain"]:
            domains.append({"domain": s["domain"], "title": s["domain_title"], "standards": []})
        domains[-1]["standards"].append(s["id"])
    return {
        "report": {"format_version": FORMAT_VERSION, "confidence": confidence * 100,
                   "significance_level": alpha * 100, "small_group": small_group, "by": list(by)},
        "provider": result.provider,
        "profile": result.profile,
        "profile_title": result.profile_title,
        "edition": profile.edition,
        "synthetic": result.synthetic,
        "fieldwork": info.fieldwork,
        "notes": info.notes,
        "status": state,
        "domains": domains,
        "overall": result.to_dict()["overall"],
        "key_question_bands": [{"rating": rating.label, "from": lowest}
                               for lowest, rating in bands.boundaries()],
        "comparators": [{"name": c.name, "label": c.label, "source": c.source,
                         "n_assumed": c.any_assumed, "inspections": list(c.inspections)}
                        for c in comparators],
        "ratings": [{"id": s["id"], "title": s["title"], "display_title": s["display_title"],
                     "domain": s["domain"], "domain_title": s["domain_title"], "role": s["role"],
                     "previous_rating": s["previous_rating"], "anchor": s["anchor"],
                     "rating": s["rating"], "rating_label": s["rating_label"], "score": s["score"],
                     "indicative_rating": s["indicative_rating"], "footnotes": s["footnotes"]}
                    for s in standards],
        "standards": standards,
        "footnotes": footnotes,
        "breakdowns": [_breakdown(attribute, result, inspection, confidence=confidence,
                                  small=small_group) for attribute in by],
        "excluded_cases": [case.to_dict() for case in result.excluded],
        "methodology": _notes(profile, comparators, confidence, alpha, by, small_group)
        + [f"Warning: {warning}" for warning in result.warnings],
        "narrative": {
            "findings": [{"domain": f.domain, "kind": f.kind, "text": f.text}
                         for f in getattr(inspection.judgements, "findings", ())],
            "recommendations": [{"domain": r.domain, "text": r.text}
                                for r in getattr(inspection.judgements, "recommendations", ())]},
        "sample": _sample(inspection),
        "method": _method_annex(profile),
        "sections": [{"plugin": plugin, **section.to_dict(), "anchor": slug(f"{plugin}-{section.id}")}
                     for plugin, section in sections],
    }


# ------------------------------------------------------------------------------------
# Formatting shared by the renderers.
# ------------------------------------------------------------------------------------


def narrative(report: dict[str, Any], domain: int | None) -> tuple[list[str], list[str], list[str]]:
    """The strengths, areas for improvement and recommendations of ``domain`` (None: the
    inspection's own)."""
    findings = [f for f in report["narrative"]["findings"] if f["domain"] == domain]
    return ([f["text"] for f in findings if f["kind"] == "strength"],
            [f["text"] for f in findings if f["kind"] == "improvement"],
            [r["text"] for r in report["narrative"]["recommendations"] if r["domain"] == domain])


def format_interval(interval: dict[str, float] | None) -> str:
    """``55-74%`` (whole percentages), or empty."""
    if not interval:
        return ""
    return f"{interval['low']:.0f}-{interval['high']:.0f}%"


def format_comparison(comparison: dict[str, Any]) -> str:
    """``74% (n=100*) significantly lower``: the figure, its n (* assumed), the wording."""
    percent = comparison["percent"]
    text = f"{percent:g}%"
    if comparison["n"] is not None:
        text += f" (n={comparison['n']}{'*' if comparison['n_assumed'] else ''})"
    if comparison["wording"]:
        text += f" {comparison['wording']}"
    return text


def rating_heading(standard: dict[str, Any]) -> str:
    """``Rating: Good`` as the report prints it, with the role where it is not scored."""
    if standard["rating"] is None:
        return standard["rating_label"]
    tail = " (rated, not scored)" if standard["role"] == "rated" else ""
    return f"Rating: {standard['rating_label']}{tail}"


def indicative_line(standard: dict[str, Any]) -> str:
    """``Indicative rating from the cases: Requires improvement`` where the rating moved."""
    if standard["rated_by"] == "cases" and standard["indicative_rating"] not in (None, standard["rating"]):
        applied = [a for a in standard["adjustments"] if a["applied"]]
        moved = ""
        if applied:
            notes = ", ".join(str(n) for n in standard["footnotes"])
            word = "up" if applied[-1]["direction"] == "up" else "down"
            moved = f"; moved {word} by {applied[-1]['source']} (note {notes})"
        return f"Indicative rating from the cases: {standard['indicative_rating']}{moved}"
    return ""


def key_question_cell(kq: dict[str, Any]) -> str:
    """``65% (65/100)``, or what a key question without a figure holds."""
    if kq["evidence"] == "qualitative":
        return "qualitative evidence only (moderates the indicative rating)"
    if kq["evidence"] == "information":
        return f"information only ({kq['n']} cases)"
    if kq["percent"] is None:
        return "no case it applies to"
    return f"{kq['percent']}% ({kq['yes']}/{kq['n']})"


def prompt_cell(prompt: dict[str, Any]) -> str:
    """A prompt's share of "yes", or an information question's count of each answer."""
    if not prompt["n"]:
        return "not answered"
    if prompt.get("counts"):
        return "; ".join(f"{answer}: {count}" for answer, count in prompt["counts"].items())
    if prompt["percent"] is None:
        return "free answers"
    return f"{prompt['percent']}%"


def comparator_labels(standard: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """The comparators with a figure for any of ``standard``'s key questions, in report order."""
    given = {c["label"] for kq in standard["key_questions"] for c in kq["comparisons"]}
    return [c["label"] for c in report["comparators"] if c["label"] in given]
