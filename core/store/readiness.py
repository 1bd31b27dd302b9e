"""Whether a stored inspection can be rated and signed off (every reason at once), its rating,
sign-off, and the comparator pooled from the store's other inspections.
"""

from __future__ import annotations

from ..errors import InputError, Problem, Problems
from ..inspection.folder import Inspection, check_ready
from .context import FieldworkContext


def stored_wording(problem: Problem, name: str) -> Problem:
    """A problem the folder checks word for judgements.toml, worded for a stored inspection:
    it names the command that records the decision."""
    where = f"inspection {name!r}" if problem.where == "judgements.toml" else problem.where
    message = (problem.message
               .replace("each needs a [[judgement]] with standard, rating and evidence",
                        f"record each with 'inspect judgement --name {name} --standard STANDARD "
                        "--rating RATING --evidence TEXT'")
               .replace("use [[panel]] for professional judgement",
                        f"record professional judgement with 'inspect panel --name {name}'"))
    return Problem(where, message)


class ReadinessService(FieldworkContext):
    def readiness(self) -> Problems:
        """Every reason the inspection cannot be rated yet (empty when it can)."""
        return self._readiness()[0]

    def _readiness(self) -> tuple[Problems, Inspection | None]:
        """:meth:`readiness`, with the inspection loaded on the way when every case is complete
        (so rating does not read it again)."""
        problems = Problems()
        unfinished: dict[str, list[str]] = {}
        for case_id, sample in self.store.unfinished(self.name).items():
            unfinished.setdefault(sample, []).append(case_id)
        for sample, ids in sorted(unfinished.items()):
            problems.add(f"sample {sample}", f"case(s) {', '.join(ids)} are still being captured "
                                             "(finish them with 'inspect case edit')")
        inspection = self.store.load(self.name, with_cases=False) if not unfinished else None
        complete = ({s for s, n in inspection.tallies.samples.items() if n} if inspection is not None
                    else {sample for sample in self.store.case_ids(self.name).values()})
        judgements = (inspection.judgements if inspection is not None
                      else self.store.load_judgements(self.name))
        check_ready(judgements, complete, self.standards, self.profile, problems,
                    f"inspection {self.name!r}")
        problems.items = [stored_wording(p, self.name) for p in problems.items]
        return problems, inspection

    def rate(self, *, with_cases: bool = False):
        """Rate the stored inspection (answer counts aggregated by the database); every reason
        it cannot be rated yet is reported at once."""
        from ..rating.rate import rate

        problems, inspection = self._readiness()
        problems.raise_if_any(f"inspection {self.name!r} cannot be rated yet")
        if inspection is None or with_cases:
            inspection = self.store.load(self.name, with_cases=with_cases)
        return self.profile, inspection, rate(inspection, self.profile, self.session.catalogue,
                                              self.session.pm)

    def sign_off(self, who: str, reason: str = "") -> None:
        """Lock the inspection once it can be rated: every reason it cannot is listed at once,
        and a change made while it was being checked refuses the sign-off."""
        checked_at = self.store.version(self.name)
        try:
            self.rate()
        except InputError as exc:
            raise InputError(exc.problems, summary=f"inspection {self.name!r} cannot be signed off yet") from None
        self.store.sign_off(self.name, who, reason, checked_at=checked_at)

    def others_comparator(self):
        """An "all providers" comparator pooled from the store's other inspections of this
        profile that can be rated, or None (:meth:`pooled_comparator` says why)."""
        return self.pooled_comparator()[0]

    def pooled_comparator(self):
        """(comparator, note): the store's other inspections of this profile that can be rated,
        pooled like with like (:func:`.pooling.pooled_comparator`: one aggregate query over
        their summary judgements, not a rating of each inspection read on its own)."""
        from .pooling import pooled_comparator

        return pooled_comparator(self.store, self.session, self.name, self.info)
