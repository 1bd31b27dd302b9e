"""Rating an inspection: the core applies the rules of :mod:`.rules` to every standard.

Order, per case-rated standard: band each key question over the cases it applies to; take
the lowest band (the indicative rating); ask plugins for adjustments
(``hmip_rating_adjustments``); apply the ratings panel's decisions where the standard is
eligible; refuse more than one band of movement in all (an ASSUMPTION, see :mod:`.rules`). Judgement-rated standards take the
lead inspector's rating. Then the scores are summed and banded by the profile.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

import structlog

from ..catalogue.index import Catalogue
from ..catalogue.records import (
    YES_NO,
    Evidence,
    KeyQuestion,
    Question,
    RatedBy,
    Rating,
    Standard,
)
from ..errors import Problems
from ..inspection.folder import Inspection
from ..inspection.tally import Tallies
from ..plugin.manager import PluginManager
from ..profiles.profile import Profile
from .results import (
    Adjustment,
    ExcludedCase,
    InspectionResult,
    KeyQuestionResult,
    PromptResult,
    StandardResult,
)
from .rules import (
    Eligibility,
    banding_value,
    combined_move,
    exact_percent,
    percent_of,
    judgement_eligibility,
    overall_score,
    published_percent,
)

log = structlog.get_logger(__name__)

PANEL = "professional judgement (ratings panel)"


def _percent(yes: int, n: int) -> tuple[int | None, float | None]:
    exact = exact_percent(yes, n)
    return (None, None) if exact is None else (published_percent(exact), round(float(exact), 2))


def prompt_result(question: Question, tallies: Tallies) -> PromptResult:
    """A prompt's share of "yes", or an information question's count of each answer."""
    counted = tallies[question.id]
    if question.per_factor_of:
        return _per_factor_result(question, counted)
    counts: tuple[tuple[str, int], ...] = ()
    if question.answers and question.answers != YES_NO:
        counts = tuple((option, counted.counts.get(option, 0)) for option in question.answers)
    answered = counted.answered
    if question.not_counted:
        # answers left out of the denominator (e.g. T 2.2 "No, there were no resettlement needs")
        answered -= sum(counted.counts.get(option, 0) for option in question.not_counted)
    percent = _percent(counted.yes, answered)[0] if question.counted_answers == YES_NO else None
    return PromptResult(question.id, question.text, question.kind.value, counted.yes,
                        answered, percent, counts)


def _per_factor_result(question: Question, counted) -> PromptResult:
    """A per-factor question: each ``factor=answer`` counted; its percentage is the "yes"
    share of every factor answered (ASSUMPTION: no seed shows how such answers are reported)."""
    counts = tuple(sorted(counted.counts.items()))
    yes = sum(n for key, n in counts if key.endswith("=yes"))
    instances = sum(n for _, n in counts)
    return PromptResult(question.id, question.text, question.kind.value, yes, instances,
                        _percent(yes, instances)[0], counts)


def rate_key_question(kq: KeyQuestion, tallies: Tallies, profile: Profile,
                      sample: str | None = None) -> KeyQuestionResult:
    """Band one key question over the cases it applies to; tally its prompts.

    The cases a key question applies to are those holding its summary judgement (the
    validators require one there and refuse one elsewhere).
    """
    result = _rate_key_question(kq, tallies, profile, sample)
    return result if kq.wording_confirmed else replace(result, wording_confirmed=False)


def _rate_key_question(kq: KeyQuestion, tallies: Tallies, profile: Profile,
                       sample: str | None) -> KeyQuestionResult:
    if kq.evidence is Evidence.QUALITATIVE:
        return KeyQuestionResult(kq.id, kq.text, kq.evidence.value)
    prompts = tuple(prompt_result(prompt, tallies) for prompt in kq.prompts)
    if kq.evidence is Evidence.INFORMATION:
        return KeyQuestionResult(kq.id, kq.text, kq.evidence.value,
                                 applicable=tallies.cases_in(sample), prompts=prompts)
    summary = tallies[kq.id]
    yes, applicable = summary.yes, summary.answered
    percent, exact = _percent(yes, applicable)
    band = None
    if applicable:
        band = profile.key_question_bands.band(
            banding_value(percent_of(yes, applicable), profile.rounding))
    return KeyQuestionResult(kq.id, kq.text, kq.evidence.value, yes, applicable, percent,
                             exact, band, prompts)


def _plugin_adjustments(pm: PluginManager, profile: Profile, standard: Standard, indicative: Rating,
                        inspection: Inspection, handled: set[str], problems: Problems) -> list[Adjustment]:
    """What the profile's plugins propose (only the plugins the profile lists are asked)."""
    out = []
    for _, adjustment in pm.rating_adjustments(profile.plugins, standard=standard, indicative=indicative,
                                               inspection=inspection, settings=profile.plugin_settings):
        if adjustment.applied and not adjustment.rationale.strip():
            problems.add(adjustment.basis or standard.id,
                         f"{adjustment.source} of standard {standard.id} needs a rationale")
        handled.add(adjustment.basis)
        out.append(adjustment)
    return out


def _panel_adjustments(standard: Standard, inspection: Inspection, eligibility: Eligibility,
                       lowest: KeyQuestionResult, profile: Profile, problems: Problems) -> list[Adjustment]:
    out = []
    for decision in inspection.panel:
        if decision.standard != standard.id:
            continue
        if not eligibility.allows(decision.direction):
            word = "up" if decision.direction > 0 else "down"
            problems.add(
                decision.where,
                f"standard {standard.id} is not eligible for professional judgement {word}: its "
                f"lowest key question {lowest.id} is at {lowest.percent}% ({lowest.yes}/"
                f"{lowest.applicable}); the panel may move a standard only where that is within "
                f"{profile.judgement_window} points of a band boundary or one case would change its band",
            )
            continue
        out.append(Adjustment(decision.direction, decision.rationale, PANEL, True, decision.where))
    return out


def lowest_key_question(results: Iterable[KeyQuestionResult]) -> KeyQuestionResult | None:
    """The key question that sets a standard's indicative rating: the lowest band, and within
    it the lowest share of "yes" (seed 002 Annex 2: "aligned to the lowest banding at the key
    question level")."""
    banded = [r for r in results if r.band is not None]
    return min(banded, key=lambda r: (r.band, r.yes / r.applicable)) if banded else None


def eligibility_of(lowest: KeyQuestionResult, profile: Profile) -> Eligibility:
    return judgement_eligibility(
        key_question=lowest.id, yes=lowest.yes, applicable=lowest.applicable,
        rounding=profile.rounding, bands=profile.key_question_bands,
        window=profile.judgement_window)


def standard_eligibility(standard: Standard, tallies: Tallies, profile: Profile
                         ) -> tuple[Eligibility | None, KeyQuestionResult | None]:
    """Whether the ratings panel may move a case-rated standard, from its answer counts."""
    results = [rate_key_question(kq, tallies, profile, standard.sample) for kq in standard.key_questions]
    lowest = lowest_key_question(results)
    return (eligibility_of(lowest, profile) if lowest is not None else None), lowest


def rate_standard(standard: Standard, inspection: Inspection, profile: Profile,
                  pm: PluginManager, handled: set[str], problems: Problems) -> StandardResult | None:
    role = profile.role(standard.id)
    tallies = inspection.tallies
    cases = tallies.cases_in(standard.sample) if standard.sample else 0
    common: dict[str, Any] = dict(id=standard.id, title=standard.title, domain=standard.domain,
                  rated_by=standard.rated_by.value, plugin=standard.plugin, role=role,
                  cases=cases, wording_confirmed=standard.wording_confirmed)
    results = tuple(rate_key_question(kq, tallies, profile, standard.sample)
                    for kq in standard.key_questions) if standard.sample else ()
    if standard.rated_by is RatedBy.JUDGEMENT:
        if standard.not_rated_without_cases and not cases:
            return StandardResult(**common, rating=None, indicative_rating=None,
                                  key_questions=results,
                                  note=f"not rated: no relevant case in the {standard.sample!r} sample")
        judgement = next(j for j in inspection.judgements.judgements if j.standard == standard.id)
        return StandardResult(**common, rating=judgement.rating, indicative_rating=judgement.rating,
                              evidence=judgement.evidence, key_questions=results)
    if role == "reported":
        return StandardResult(**common, rating=None, indicative_rating=None, key_questions=results,
                              note="reported, not rated")

    lowest = lowest_key_question(results)
    if lowest is None:
        problems.add(standard.id, f"no key question of standard {standard.id} applies to any "
                                  f"case of the {standard.sample!r} sample")
        return None
    indicative = lowest.band
    assert indicative is not None  # lowest_key_question picks a banded key question
    eligibility = eligibility_of(lowest, profile)
    adjustments = _plugin_adjustments(pm, profile, standard, indicative, inspection, handled, problems)
    adjustments += _panel_adjustments(standard, inspection, eligibility, lowest, profile, problems)
    move = combined_move([a.direction for a in adjustments if a.applied])
    rating = indicative
    if move:
        moved = int(indicative) + move
        if Rating.INADEQUATE <= moved <= Rating.OUTSTANDING:
            rating = Rating(moved)
        else:
            problems.add(standard.id, f"cannot move standard {standard.id} "
                                      f"{'up' if move > 0 else 'down'} from {indicative.label}")
    return StandardResult(**common, rating=rating, indicative_rating=indicative,
                          key_questions=results, lowest_key_question=lowest.id,
                          eligibility=eligibility, adjustments=tuple(adjustments))


def small_sample_warnings(standards: Iterable[StandardResult], threshold: int) -> list[str]:
    """A warning for every rated key question whose figure rests on fewer than ``threshold``
    cases (the profile's ``[rating] small_sample``): its band, and the standard's, could turn
    on one or two cases."""
    warnings = []
    for standard in standards:
        if standard.rating is None and standard.indicative_rating is None:
            continue
        for kq in standard.key_questions:
            if kq.band is not None and kq.applicable < threshold:
                warnings.append(
                    f"key question {kq.id} (standard {standard.id}) rests on {kq.applicable} "
                    f"case{'' if kq.applicable == 1 else 's'}, fewer than {threshold}: its figure "
                    f"and the standard's rating ({standard.rating_label}) may turn on a single case")
    return warnings


def rate(inspection: Inspection, profile: Profile, catalogue: Catalogue, pm: PluginManager) -> InspectionResult:
    """Rate every standard of ``profile`` and the overall rating; raise InputError on refused decisions."""
    problems = Problems()
    handled: set[str] = set()
    standards = []
    for standard_id in profile.all_standards:
        standard = catalogue.profile_standard(profile.edition, standard_id)
        result = rate_standard(standard, inspection, profile, pm, handled, problems)
        if result is not None:
            standards.append(result)
            if result.role == "scored" and result.rating is None:
                problems.add(standard_id, f"standard {standard_id} counts in the score but is "
                                          f"{result.note}; rate it beside the scored standards "
                                          "(rated_beside) instead")
    for moderation in inspection.moderations:
        if moderation.where not in handled:
            problems.add(moderation.where,
                         f"no plugin moderates standard {moderation.standard}: moderation applies "
                         "to a standard with a qualitative key question, such as unpaid work's 4.1.3")
    problems.raise_if_any("the rating cannot be completed")
    score = overall_score([s.rating for s in standards if s.role == "scored" and s.rating is not None])
    log.info("inspection rated", profile=profile.name, standards=len(standards), score=score)
    return InspectionResult(
        provider=inspection.info.provider,
        profile=profile.name,
        profile_title=profile.title,
        synthetic=inspection.info.synthetic,
        standards=tuple(standards),
        score=score,
        max_score=profile.overall_bands.max_score,
        rating=profile.overall_bands.band(score),
        bands=profile.overall_bands.ranges,
        excluded=tuple(ExcludedCase(c.case_id, c.sample, c.excluded) for c in inspection.excluded),
        warnings=tuple(small_sample_warnings(standards, profile.small_sample)),
    )

