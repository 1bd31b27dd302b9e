"""Whether a stored inspection can be rated and signed off (every reason at once), its rating,
sign-off, and the comparator pooled from the store's other inspections.
"""

from __future__ import annotations

from ..errors import InputError, Problems
from ..inspection.folder import (
    check_ready,
)
from .context import FieldworkContext


class ReadinessService(FieldworkContext):
    def readiness(self) -> Problems:
        """Every reason the inspection cannot be rated yet (empty when it can)."""
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
        return problems

    def rate(self, *, with_cases: bool = False):
        """Rate the stored inspection (answer counts aggregated by the database); every reason
        it cannot be rated yet is reported at once."""
        from ..rating.rate import rate

        problems = self.readiness()
        problems.raise_if_any(f"inspection {self.name!r} cannot be rated yet")
        inspection = self.store.load(self.name, with_cases=with_cases)
        return self.profile, inspection, rate(inspection, self.profile, self.session.catalogue,
                                              self.session.pm)

    def sign_off(self, who: str, reason: str = "") -> None:
        """Lock the inspection once it can be rated: every reason it cannot is listed at once,
        and a change made while it was being checked refuses the sign-off."""
        checked_at = self.store.version(self.name)
        problems = self.readiness()
        problems.raise_if_any(f"inspection {self.name!r} cannot be signed off yet")
        try:
            self.rate()
        except InputError as exc:
            raise InputError(exc.problems, summary=f"inspection {self.name!r} cannot be signed off yet") from None
        self.store.sign_off(self.name, who, reason, checked_at=checked_at)

    def others_comparator(self):
        """An "all providers" comparator pooled from the store's other inspections of this
        profile that can be rated, or None when there are none."""
        from ..inspection.comparators import comparator_from_results

        results = []
        for other in self.store.inspections():
            if other.name == self.name or other.profile != self.info.profile:
                continue
            try:
                results.append(type(self)(self.store, other.name, self.session).rate()[2])  # type: ignore[call-arg]
            except InputError:      # still in fieldwork: not a finished figure to compare with
                continue
        if not results:
            return None
        return comparator_from_results(results, f"All providers in the store ({len(results)} "
                                                f"{'inspection' if len(results) == 1 else 'inspections'})")
