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

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable

from .. import stats
from ..errors import Problems
from ..inspection.comparators import Comparator
from ..inspection.folder import Inspection
from ..profiles.profile import Profile
from ..rating.results import (
    Adjustment,
    InspectionResult,
    KeyQuestionResult,
    StandardResult,
)
from .annexes import (
    breakdown,
    case_attributes,
    method_annex,
    method_notes,
    sample_composition,
)
from .wording import DRAFT, UNCONFIRMED, domain_title, interval_of, slug, status_line

#: The interval shown beside each key question's figure.
CONFIDENCE = 0.95
#: A sub-group with fewer cases than this is flagged.
SMALL_GROUP = 10
#: The value a case without the attribute is grouped under.
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
def _comparison(kq: KeyQuestionResult, comparator: Comparator, alpha: float) -> dict[str, Any] | None:
    figure = comparator.figure(kq.id)
    if figure is None:
        return None
    out: dict[str, Any] = {"name": comparator.name, "label": comparator.label,
                           **figure.to_dict(), "z": None, "p_value": None,
                           "significant": None, "direction": None, "wording": ""}
    if kq.percent is not None:
        current = kq.yes / kq.applicable
        other = (figure.yes_count / figure.n if figure.yes_count is not None and figure.n
                 else figure.percent / 100)
        out["direction"] = "higher" if current > other else "lower" if current < other else "same"
    if figure.n is None or figure.yes is None or not kq.applicable:
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
    if not kq.wording_confirmed:
        out["text"] += f" {UNCONFIRMED}"
    out["interval"] = (interval_of(kq.yes, kq.applicable, confidence)
                       if kq.evidence == "cases" else None)
    out["footnotes"] = footnotes
    out["comparisons"] = [c for c in (_comparison(kq, comparator, alpha) for comparator in comparators)
                          if c is not None] if kq.evidence == "cases" else []
    for prompt in out["prompts"]:
        given = [(c.label, c.prompt_figure(prompt["id"])) for c in comparators]
        if any(figure for _, figure in given):
            prompt["comparisons"] = [{"label": label, "percent": figure.percent}
                                     for label, figure in given if figure is not None]
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



def _check(result: InspectionResult, inspection: Inspection, profile: Profile,
           comparators: tuple[Comparator, ...], by: tuple[str, ...], small: int,
           confidence: float, alpha: float) -> None:
    problems = Problems()
    for name, value in (("confidence", confidence), ("significance level", alpha)):
        if not 0 < value < 1:
            problems.add(name, f"expected a number strictly between 0 and 1, found {value!r}")
    if small < 1:
        problems.add("--small-group", f"expected a whole number of at least 1, found {small}")
    attributes = case_attributes(inspection)
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



def build_report(result: InspectionResult, inspection: Inspection, profile: Profile,
                 comparators: Iterable[Comparator] | None = None, *, by: Iterable[str] = (),
                 small_group: int = SMALL_GROUP, confidence: float = CONFIDENCE,
                 alpha: float = stats.SIGNIFICANCE_LEVEL,
                 status: dict[str, Any] | None = None,
                 sections: Iterable[tuple[str, ReportSection]] = (),
                 quality: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report of ``result`` as plain, JSON-serialisable data.

    ``comparators`` default to those of ``inspection.toml``; ``by`` names case attributes
    to break key questions down by; groups under ``small_group`` cases are flagged. Bad
    options (an unknown attribute, a comparator naming a key question the profile does not
    rate from cases) raise InputError listing every problem. ``status`` is the sign-off
    (``signed_off``, ``signed_off_at``, ``signed_off_by``); without it the report is a draft.
    ``sections`` are what the profile's plugins add (``hmip_report_sections``), each with the
    plugin that made it. ``quality`` is the "Quality assurance" section
    (:func:`.quality.quality_section`), None without cases assessed twice.
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
        if s.get("wording_confirmed") is False:
            s["display_title"] += f" {UNCONFIRMED}"
    state = {**DRAFT, **(status or {})}
    state["draft"] = not state["signed_off"]
    state["line"] = status_line(state)
    domains: list[dict[str, Any]] = []
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
        "breakdowns": [breakdown(attribute, result, inspection, confidence=confidence,
                                  small=small_group) for attribute in by],
        "excluded_cases": [case.to_dict() for case in result.excluded],
        "methodology": method_notes(profile, comparators, confidence, alpha, by, small_group)
        + [f"Warning: {warning}" for warning in result.warnings],
        "narrative": {
            "findings": [{"domain": f.domain, "kind": f.kind, "text": f.text}
                         for f in getattr(inspection.judgements, "findings", ())],
            "recommendations": [{"domain": r.domain, "text": r.text}
                                for r in getattr(inspection.judgements, "recommendations", ())]},
        "sample": sample_composition(inspection),
        "method": method_annex(profile),
        "sections": [{"plugin": plugin, **section.to_dict(), "anchor": slug(f"{plugin}-{section.id}")}
                     for plugin, section in sections],
        "quality_assurance": quality,
    }
