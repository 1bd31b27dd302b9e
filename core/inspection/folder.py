"""An inspection's data: a folder holding ``inspection.toml``, ``cases/*.csv`` and
``judgements.toml``. This layout is a user-facing contract.

:func:`load_inspection` reads all of it against a profile and reports every problem in one
pass: bad TOML, unknown keys, unknown question columns, answers other than yes/no/empty,
duplicate case ids, questions answered where they do not apply, missing summary
judgements, judgements for standards the profile does not rate, missing domain-one
judgements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import structlog

from ..catalogue.index import Catalogue
from ..catalogue.records import RatedBy, Standard
from ..errors import InputError, Problems
from ..profiles.profile import Profile
from ..tomlfile import Table, read_toml
from .case_reading import iter_cases, read_cases
from .cases import Case
from .comparators import Comparator, read_comparators
from .judgements import Judgements, Moderation, PanelDecision, read_judgements
from .tally import Tallies

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class InspectionInfo:
    """The ``[inspection]`` table of ``inspection.toml``."""

    provider: str
    profile: str
    synthetic: bool = False
    fieldwork: str = ""
    notes: str = ""
    #: ``[[comparator]]`` tables: previous-inspection and all-provider figures per key
    #: question (:class:`~.comparators.Comparator`), for the report.
    comparators: tuple[Comparator, ...] = ()


@dataclass(frozen=True)
class Inspection:
    """An inspection's cases and judgements, from a folder or from the store.

    ``counts`` is given when the answer counts were aggregated elsewhere (the store);
    otherwise :attr:`tallies` counts ``cases``.
    """

    folder: Path | None
    info: InspectionInfo
    cases: Sequence[Case]           #: every case; from the store, read when first used
    judgements: Judgements
    counts: Tallies | None = None
    left_out: tuple[Case, ...] | None = None  #: excluded cases, when ``cases`` is not loaded

    @cached_property
    def tallies(self) -> Tallies:
        return self.counts if self.counts is not None else Tallies.from_cases(self.cases)

    @property
    def moderations(self) -> tuple[Moderation, ...]:
        return self.judgements.moderations

    @property
    def panel(self) -> tuple[PanelDecision, ...]:
        return self.judgements.panel

    def cases_in(self, sample: str | None) -> list[Case]:
        """The cases of ``sample``, without those excluded from it."""
        return [case for case in self.cases if case.sample == sample and not case.excluded]

    @property
    def excluded(self) -> list[Case]:
        """Cases left out of their sample by an exclusion rule, each with its reason."""
        if self.left_out is not None:
            return list(self.left_out)
        return [case for case in self.cases if case.excluded]


def read_info(folder: Path, problems: Problems) -> InspectionInfo | None:
    """Read ``inspection.toml``; None (with problems recorded) when it is unusable."""
    path = folder / "inspection.toml"
    data = read_toml(path, problems)
    if data is None:
        return None
    top = Table(data, path.name, problems)
    head = top.table("inspection")
    comparators = read_comparators(top)
    top.finish()
    if head is None:
        problems.add(path.name, "missing the [inspection] table (provider, profile)")
        return None
    info = InspectionInfo(
        provider=head.str("provider", required=True, default="", nonempty=True),
        profile=head.str("profile", required=True, default="", nonempty=True),
        synthetic=head.bool("synthetic"),
        fieldwork=head.str("fieldwork", default=""),
        notes=head.str("notes", default=""),
        comparators=comparators,
    )
    head.finish()
    return info


def check_judgements(judgements: Judgements, standards: list[Standard], profile: Profile,
                     samples: set[str], problems: Problems, *, complete: bool = True) -> None:
    """Judgements, moderations and panel decisions against the profile's standards.

    ``samples`` are those holding cases; ``complete=False`` accepts judgements still to come.
    """
    by_id = {s.id: s for s in standards if profile.role(s.id) != "reported"}
    not_rated = {s.id for s in by_id.values()
                 if s.not_rated_without_cases and s.sample not in samples}
    rated: dict[str, str] = {}
    for judgement in judgements.judgements:
        standard = by_id.get(judgement.standard)
        if standard is None:
            problems.add(judgement.where,
                         f"standard {judgement.standard!r} is not rated by this profile")
        elif standard.id in not_rated:
            problems.add(judgement.where,
                         f"standard {standard.id} is not rated: no case of the {standard.sample!r} "
                         "sample remains to illustrate it")
        elif standard.rated_by is not RatedBy.JUDGEMENT:
            problems.add(judgement.where,
                         f"standard {standard.id} is rated from its cases, not by judgement; "
                         "use [[panel]] for professional judgement")
        elif standard.id in rated:
            problems.add(judgement.where,
                         f"a second judgement for standard {standard.id} (first: {rated[standard.id]})")
        else:
            rated[standard.id] = judgement.where
    missing = [s.id for s in by_id.values()
               if s.rated_by is RatedBy.JUDGEMENT and s.id not in rated and s.id not in not_rated]
    if missing and complete:
        problems.add("judgements.toml", "missing judgement for standard(s) " + ", ".join(missing)
                     + ": each needs a [[judgement]] with standard, rating and evidence")
    entries: tuple[Moderation | PanelDecision, ...] = (*judgements.moderations, *judgements.panel)
    for entry in entries:
        standard = by_id.get(entry.standard)
        if standard is None:
            problems.add(entry.where,
                         f"standard {entry.standard!r} is not rated by this profile")
        elif standard.rated_by is not RatedBy.CASES:
            problems.add(entry.where,
                         f"standard {standard.id} is rated by judgement; only case-rated "
                         "standards can be adjusted")
    seen_panel: set[str] = set()
    for decision in judgements.panel:
        if decision.standard in seen_panel:
            problems.add(decision.where,
                         f"a second panel decision for standard {decision.standard}")
        seen_panel.add(decision.standard)


def profile_standards(profile: Profile, catalogue: Catalogue) -> list[Standard]:
    return [catalogue.profile_standard(profile.edition, sid) for sid in profile.all_standards]


def check_ready(judgements: Judgements, samples: set[str], standards: list[Standard],
                profile: Profile, problems: Problems, where: str) -> None:
    """What rating needs beyond valid data: every judgement, and cases in every rated sample."""
    check_judgements(judgements, standards, profile, samples, problems)
    unrated: dict[str, list[str]] = {}
    for standard in standards:
        if (standard.rated_by is RatedBy.CASES and standard.sample is not None
                and standard.sample not in samples
                and profile.role(standard.id) != "reported"):
            unrated.setdefault(standard.sample, []).append(standard.id)
    for sample, ids in unrated.items():
        problems.add(where, f"no cases in sample {sample!r}, so standard(s) "
                            f"{', '.join(ids)} cannot be rated")


def load_inspection(folder: Path, profile: Profile, catalogue: Catalogue, *,
                    complete: bool = True, keep_cases: bool = True) -> Inspection:
    """Read and check an inspection folder against ``profile``; raise InputError listing all problems.

    ``complete=False`` (importing fieldwork under way into the store) accepts an inspection
    without case files or with judgements still to come; everything present is checked.
    ``keep_cases=False`` checks every case as it is read and keeps none (the inspection has
    no cases): a big folder is checked in flat memory, then read again as it is stored.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"inspection folder {folder} not found")
    standards = profile_standards(profile, catalogue)
    problems = Problems()
    info = read_info(folder, problems)
    if keep_cases:
        cases = read_cases(folder, standards, catalogue, problems, required=complete)
        samples = {c.sample for c in cases if not c.excluded}
    else:
        cases, samples = [], set()
        for case in iter_cases(folder, standards, catalogue, problems, required=complete, stream=True):
            if not case.excluded:
                samples.add(case.sample)
    judgements = read_judgements(folder / "judgements.toml", problems)
    if complete:
        check_ready(judgements, samples, standards, profile, problems, str(folder / "cases"))
    else:
        check_judgements(judgements, standards, profile, samples, problems, complete=False)
    problems.raise_if_any(f"inspection {folder} has problems")
    assert info is not None  # read_info returns None only with a problem, which raised
    log.debug("inspection loaded", folder=str(folder), cases=len(cases))
    return Inspection(folder, info, tuple(cases), judgements)
