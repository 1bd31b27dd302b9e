"""The report's annexes built from the case data and the profile: the sample's composition,
sub-group breakdowns and the methodology (rules, bands, window, scoring, assumptions)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..inspection.comparators import Comparator
from ..inspection.folder import Inspection
from ..inspection.tally import Tallies
from ..profiles.profile import Profile
from ..rating.results import InspectionResult
from .wording import interval_of, published_share

#: The value a case without the attribute is grouped under.
NOT_RECORDED = "(not recorded)"


def sample_composition(inspection: Inspection) -> list[dict[str, Any]]:
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


def method_annex(profile: Profile) -> dict[str, Any]:
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


def case_attributes(inspection: Inspection) -> list[str]:
    return sorted({name for case in inspection.cases for name in case.attributes})


def breakdown(attribute: str, result: InspectionResult, inspection: Inspection, *,
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
    rows: list[dict[str, Any]] = []
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
                              "percent": published_share(tally.yes, tally.answered),
                              "interval": interval_of(tally.yes, tally.answered, confidence),
                              "small": tally.answered < small})
            rows.append({"standard": standard.id, "id": kq.id, "text": kq.text, "yes": kq.yes,
                         "n": kq.applicable, "percent": kq.percent, "groups": cells})
    small_groups: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        cells_of_row: list[dict[str, Any]] = row["groups"]
        for cell in cells_of_row:
            if cell["small"]:
                small_groups.setdefault(cell["value"], []).append((row["id"], cell["n"]))
    return {"attribute": attribute, "values": list(tallies), "key_questions": rows,
            "small_groups": [{"value": value, "key_questions": [kq for kq, _ in found],
                              "smallest": min(n for _, n in found), "largest": max(n for _, n in found)}
                             for value, found in small_groups.items()]}



def method_notes(profile: Profile, comparators: tuple[Comparator, ...], confidence: float, alpha: float,
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
    notes += [f"Assumption (profile {profile.name}; not stated by the source documents): {a}"
              for a in profile.assumptions]
    return notes
