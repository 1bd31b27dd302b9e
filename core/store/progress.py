"""Progress and readiness of a stored inspection, for ``inspect status`` and ``inspect
inspections`` (and the web application later): per sample, how many cases are complete, in
progress or not started; which summary judgements are missing in which cases; which
decisions are still due; which standards the ratings panel may move and why; whether it can
be rated and signed off, with every reason at once; key questions resting on few cases.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..catalogue.records import RatedBy
from ..inspection.tally import Tallies
from .qa import QAService
from .database import COMPLETE

IN_FIELDWORK, READY, SIGNED_OFF = "in fieldwork", "ready", "signed off"


@dataclass(frozen=True)
class SampleProgress:
    sample: str
    size: int                    #: the sample's size: as drawn (inspect sample), else the cases created
    complete: int
    in_progress: int
    not_started: int             #: created, nothing answered yet
    missing: dict[str, list[str]] = field(default_factory=dict)  #: case -> key questions unanswered


@dataclass(frozen=True)
class StandardEligibility:
    standard: str
    state: str                   #: eligible, not eligible, waiting (cases still in progress)
    up: bool = False
    down: bool = False
    lowest_key_question: str | None = None
    percent: int | None = None
    reasons: list[str] = field(default_factory=list)
    decided: str = ""            #: the panel's decision already recorded (up/down), if any


@dataclass(frozen=True)
class Status:
    name: str
    provider: str
    profile: str
    state: str
    samples: list[SampleProgress]
    due: list[str]
    eligibility: list[StandardEligibility]
    can_sign_off: bool
    reasons: list[str]           #: every reason it cannot be rated and signed off yet
    warnings: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ProgressService(QAService):
    def status(self) -> Status:
        """Where the fieldwork stands, every part of it at once."""
        locked = any(s.locked for s in self.store.inspections() if s.name == self.name)
        rows = self.store.cases_with_status(self.name)
        judgements = self.store.load_judgements(self.name)
        samples = self._samples(rows)
        eligibility = self._eligibility(rows, judgements)
        reasons = [str(p) for p in self.readiness().items]
        state = SIGNED_OFF if locked else (IN_FIELDWORK if reasons else READY)
        return Status(self.name, self.info.provider, self.info.profile, state, samples,
                      self._due(rows, judgements, eligibility), eligibility,
                      not locked and not reasons, reasons, self._small_samples(rows))

    def _samples(self, rows) -> list[SampleProgress]:
        planned = self.store.sampling_record(self.name).get("sizes", {})
        by_sample: dict[str, list] = {sample: [] for sample in sorted(self.schema.samples)}
        for case, status in rows:
            by_sample.setdefault(case.sample, []).append((case, status))
        out = []
        for sample, cases in by_sample.items():
            complete = sum(status == COMPLETE for _, status in cases)
            not_started = sum(status != COMPLETE and not case.answers for case, status in cases)
            missing = {}
            for case, status in cases:
                if status == COMPLETE or case.excluded:
                    continue
                gaps = [kq.id for kq in self.schema.rated.get(sample, ())
                        if kq.applies(case.attributes) and not case.answer(kq.id)]
                if gaps:
                    missing[case.case_id] = gaps
            in_progress = len(cases) - complete - not_started
            size = max(int(planned.get(sample, 0)), len(cases))
            out.append(SampleProgress(sample, size, complete, in_progress,
                                      size - complete - in_progress, missing))
        return out

    def _final_tallies(self, rows, sample: str) -> Tallies | None:
        """The answer counts of ``sample`` once every one of its cases is complete."""
        cases = [(case, status) for case, status in rows if case.sample == sample]
        if not cases or any(status != COMPLETE for _, status in cases):
            return None
        return Tallies.from_cases(case for case, _ in cases)

    def _eligibility(self, rows, judgements) -> list[StandardEligibility]:
        from ..rating.rate import standard_eligibility

        decided = {p.standard: "up" if p.direction > 0 else "down" for p in judgements.panel}
        out = []
        for standard in self.standards:
            if standard.rated_by is not RatedBy.CASES or self.profile.role(standard.id) == "reported":
                continue
            tallies = self._final_tallies(rows, standard.sample or "")
            if tallies is None:
                out.append(StandardEligibility(standard.id, "waiting", reasons=[
                    f"the {standard.sample!r} sample has cases still being captured (or none yet)"],
                    decided=decided.get(standard.id, "")))
                continue
            eligibility, lowest = standard_eligibility(standard, tallies, self.profile)
            if eligibility is None or lowest is None:
                out.append(StandardEligibility(standard.id, "not eligible",
                                               reasons=["no key question has a figure"]))
                continue
            reasons = list(eligibility.reasons) or [
                f"its lowest key question {lowest.id} at {lowest.percent}% is more than "
                f"{self.profile.judgement_window} points from a band boundary and no single case "
                "would change its band"]
            out.append(StandardEligibility(
                standard.id, "eligible" if eligibility.eligible else "not eligible", eligibility.up,
                eligibility.down, lowest.id, lowest.percent, reasons, decided.get(standard.id, "")))
        return out

    def _due(self, rows, judgements, eligibility) -> list[str]:
        with_cases = {case.sample for case, _ in rows if not case.excluded}
        judged = {j.standard for j in judgements.judgements}
        due = []
        for standard in self.standards:
            if (standard.rated_by is RatedBy.JUDGEMENT and self.profile.role(standard.id) != "reported"
                    and standard.id not in judged
                    and not (standard.not_rated_without_cases and standard.sample not in with_cases)):
                due.append(f"judgement on standard {standard.id}: 'inspect judgement --name "
                           f"{self.name} --standard {standard.id} --rating ... --evidence ...'")
        for moderation in judgements.moderations:
            if not moderation.ratified:
                due.append(f"moderation of standard {moderation.standard} is not ratified yet "
                           "(it applies only once ratified)")
        for item in eligibility:
            if item.state == "eligible" and not item.decided:
                ways = " or ".join(w for w, ok in (("up", item.up), ("down", item.down)) if ok)
                due.append(f"panel: standard {item.standard} is eligible for professional judgement "
                           f"({ways}); record a decision with 'inspect panel' if the panel moves it")
        return due + self.qa_open_work()

    def _small_samples(self, rows) -> list[str]:
        """Key questions whose figure so far rests on fewer cases than ``[rating] small_sample``."""
        from ..rating.rate import rate_key_question

        threshold = self.profile.small_sample
        tallies = Tallies.from_cases(case for case, status in rows if status == COMPLETE)
        warnings = []
        for standard in self.standards:
            if standard.rated_by is not RatedBy.CASES or self.profile.role(standard.id) == "reported":
                continue
            for kq in standard.key_questions:
                result = rate_key_question(kq, tallies, self.profile, standard.sample)
                if result.band is not None and result.applicable < threshold:
                    warnings.append(f"key question {kq.id} (standard {standard.id}) rests on "
                                    f"{result.applicable} complete case(s), fewer than {threshold}: "
                                    "its band may turn on a single case")
        return warnings


def inspections_overview(store, session) -> list[dict[str, Any]]:
    """Every stored inspection: profile, provider, cases complete of all, state, last change;
    whether each can be rated worked out from the store read once (:mod:`.pooling`)."""
    from .pooling import ready_inspections

    return ready_inspections(store, session)
