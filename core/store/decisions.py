"""Judgements, moderations and panel decisions, checked as ``judgements.toml`` entries are and,
for the panel, against the standard's eligibility for professional judgement when recorded.
"""

from __future__ import annotations

from ..catalogue.records import LABELS, Rating
from ..errors import InputError, Problems
from ..inspection.folder import (
    check_judgements,
)
from ..inspection.judgements import (
    DIRECTIONS,
    Judgement,
    Judgements,
    Moderation,
    PLACEHOLDER_PROBLEM,
    PanelDecision,
    is_placeholder,
)
from .context import FieldworkContext
from .readiness import stored_wording


class DecisionService(FieldworkContext):
    def decide(self, kind: str, standard: str, who: str, reason: str, *, rating: str = "",
               evidence: str = "", direction: str = "", rationale: str = "",
               ratified: bool = False) -> None:
        """Record a judgement, moderation or panel decision after the checks judgements.toml gets."""
        self.store.ensure_writable(self.name)
        problems = Problems()
        where = f"{kind} on {standard}"
        entry: Judgement | Moderation | PanelDecision
        if kind == "judgement":
            try:
                value = Rating.from_label(rating)
            except ValueError:
                raise InputError(f"--rating: expected one of {', '.join(LABELS)}, found {rating!r}") from None
            if not evidence.strip():
                problems.add(where, "an evidence summary is required (--evidence)")
            elif is_placeholder(evidence):
                problems.add(where, f"--evidence: {PLACEHOLDER_PROBLEM}")
            entry = Judgement(standard, value, evidence, where)
            values: dict[str, object] = {"rating": value.label, "evidence": evidence}
            judgements = Judgements(judgements=(entry,))
        else:
            if direction not in DIRECTIONS:
                problems.add(where, f"--direction: expected up or down, found {direction!r}")
            if not rationale.strip():
                problems.add(where, "a rationale is required: the published report footnotes every adjustment")
            step = DIRECTIONS.get(direction, 1)
            values = {"direction": step, "rationale": rationale}
            if kind == "moderation":
                values["ratified"] = ratified
                judgements = Judgements(moderations=(Moderation(standard, step, rationale, ratified, where),))
            else:
                judgements = Judgements(panel=(PanelDecision(standard, step, rationale, where),))
        samples = set(self.store.case_ids(self.name).values())
        check_judgements(judgements, self.standards, self.profile, samples, problems, complete=False)
        problems.items = [stored_wording(p, self.name) for p in problems.items]
        problems.raise_if_any(f"the {kind} was not recorded")
        if kind == "panel":
            self._check_panel(standard, DIRECTIONS[direction])
        self.store.record_decision(self.name, kind, standard, values, who, reason)

    def _check_panel(self, standard_id: str, direction: int) -> None:
        """A panel decision is recorded only on a standard eligible for it, in that direction,
        on the final figures (every case of its sample complete)."""
        from ..rating.rate import standard_eligibility

        standard = next(s for s in self.standards if s.id == standard_id)
        unfinished = sorted(case_id for case_id, sample in self.store.unfinished(self.name).items()
                            if sample == standard.sample)
        where = f"panel decision on {standard_id}"
        if unfinished:
            raise InputError(f"{where}: case(s) {', '.join(unfinished)} of the {standard.sample!r} "
                             "sample are still being captured; the panel decides on the final figures")
        inspection = self.store.load(self.name, with_cases=False)
        eligibility, lowest = standard_eligibility(standard, inspection.tallies, self.profile)
        if eligibility is None or lowest is None:
            raise InputError(f"{where}: standard {standard_id} has no key-question figure yet")
        if not eligibility.allows(direction):
            word = "up" if direction > 0 else "down"
            raise InputError(
                f"{where}: standard {standard_id} is not eligible for professional judgement {word}: "
                f"its lowest key question {lowest.id} is at {lowest.percent}% ({lowest.yes}/"
                f"{lowest.applicable}); the panel may move a standard only where that is within "
                f"{self.profile.judgement_window} points of a band boundary or one case would "
                "change its band" + (f" ({'; '.join(eligibility.reasons)})" if eligibility.reasons else ""))
