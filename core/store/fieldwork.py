"""Fieldwork on a stored inspection: import, case capture and decisions, each checked first.

:class:`Fieldwork` ties a stored inspection to its profile's rules (:class:`.cases.CaseSchema`)
so that every change is validated before the store records it:

* importing a folder or case files (CSV, XLSX, JSON): all of it is checked, every problem
  reported, and nothing is written unless all of it is valid;
* capturing a case question by question (``inspect case add`` / ``edit``): the questions
  that apply to the case, in framework order, each answer saved as it is given, so a case
  can be left and resumed; the case is complete once every summary judgement it needs is in;
* judgements, moderations and panel decisions, checked as ``judgements.toml`` entries are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from shlex import quote

from ..inspection.case_files import case_files
from ..inspection.cases import Case, CaseSchema, read_case_files
from ..catalogue.reader import Located
from ..errors import InputError, Problems
from ..inspection.folder import (
    check_judgements, check_ready, load_inspection, profile_standards, read_info,
)
from ..inspection.judgements import DIRECTIONS, Judgement, Judgements, Moderation, PanelDecision
from ..session import Session
from ..catalogue.records import LABELS, Rating, Standard
from ..profiles.reader import Profile, profile_to_toml
from .database import COMPLETE, IN_PROGRESS, ProfileSnapshot, Store, now, shown


def import_folder(store: Store, session: Session, folder: Path, name: str, who: str) -> int:
    """Create inspection ``name`` from an inspection folder; return the number of cases.

    The profile is resolved now and kept with the inspection (:func:`take_snapshot`), so its
    rating does not change when the profile file or a plugin changes later.
    """
    problems = Problems()
    info = read_info(folder, problems)
    problems.raise_if_any(f"inspection {folder} has problems")
    profile_ref = info.profile
    if not Path(profile_ref).is_absolute() and profile_ref.endswith(".toml"):
        profile_ref = str(folder / profile_ref)
    profile = session.profile(profile_ref)
    inspection = load_inspection(folder, profile, session.catalogue, complete=False)
    store.create(name, inspection.info, list(inspection.cases), inspection.judgements, who,
                 source=f"folder {folder}", snapshot=take_snapshot(session, profile, profile_ref))
    return len(inspection.cases)


def plugin_versions(session: Session, profile: Profile) -> dict[str, str]:
    """The version of every plugin that contributes a standard to ``profile`` (a built-in
    plugin has hmip-inspect's version)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        own = version("hmip-inspect")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        own = "unknown"
    plugins = {session.catalogue.standard(profile.edition, sid).plugin for sid in profile.all_standards}
    return {name: (session.pm.seen[name].version or own) if name in session.pm.seen else "unknown"
            for name in sorted(plugins)}


def take_snapshot(session: Session, profile: Profile, source: str) -> ProfileSnapshot:
    """What an inspection is rated with: the resolved profile, its edition, plugin versions."""
    return ProfileSnapshot(profile_to_toml(profile), profile.edition, plugin_versions(session, profile),
                           recorded_at=now(), source=source)


@dataclass
class Fieldwork:
    """A stored inspection with the rules of its profile."""

    store: Store
    name: str
    session: Session

    def __post_init__(self) -> None:
        self.info = self.store.info(self.name)
        self.snapshot = self.store.snapshot(self.name)
        if self.snapshot is not None:
            self.profile = self.session.profile_from_text(
                self.snapshot.toml, f"the profile of inspection {self.name!r} as recorded")
        else:  # imported before profiles were recorded: the current one, until adopted
            self.profile = self.session.profile(self.info.profile)
        self.standards: list[Standard] = profile_standards(self.profile, self.session.catalogue)
        self.schema = CaseSchema.build(self.standards, self.session.catalogue)

    # ----------------------------------------------------------------------------------
    # The recorded profile
    # ----------------------------------------------------------------------------------

    def _current_profile(self) -> Profile:
        return self.session.profile(self.snapshot.source if self.snapshot else self.info.profile)

    def profile_changes(self) -> list[str]:
        """How the profile and its plugins differ now from what the inspection records."""
        if self.snapshot is None:
            return [f"no profile was recorded when it was imported: it is rated with profile "
                    f"{self.info.profile!r} as it is now"]
        try:
            current = self._current_profile()
        except InputError:
            return [f"profile {self.snapshot.source!r} can no longer be loaded"]
        changes = []
        if profile_to_toml(current) != self.snapshot.toml:
            changes.append(f"profile {self.snapshot.source!r} has changed")
        now_versions = plugin_versions(self.session, current)
        for plugin, recorded in sorted(self.snapshot.plugins.items()):
            if now_versions.get(plugin, "not installed") != recorded:
                changes.append(f"plugin {plugin!r} was {recorded}, now "
                               f"{now_versions.get(plugin, 'not installed')}")
        return changes

    def change_note(self) -> str:
        """One line for ``run --name`` and ``report --name`` when the profile or a plugin has
        changed since the inspection recorded them; empty otherwise."""
        changes = self.profile_changes()
        if not changes:
            return ""
        recorded = f" (recorded {self.snapshot.recorded_at})" if self.snapshot else ""
        return (f"note: {'; '.join(changes)} since inspection {self.name!r} was imported; it is rated "
                f"with the profile it recorded{recorded}. To rate it with the current one: "
                f"inspect inspection adopt-profile --name {quote(self.name)} --db "
                f"{quote(shown(self.store.url))} --reason ...")

    def adopt_profile(self, who: str, reason: str) -> ProfileSnapshot:
        """Rate the inspection with its profile as it is now; audited, refused once signed off
        or where the stored cases do not satisfy the current profile."""
        if not reason.strip():
            raise InputError("adopting the current profile needs a reason (--reason)")
        current = self._current_profile()
        standards = profile_standards(current, self.session.catalogue)
        schema = CaseSchema.build(standards, self.session.catalogue)
        problems = Problems()
        for case in self.store.cases(self.name):
            if case.sample not in schema.samples:
                problems.add(f"case {case.case_id}", f"its sample {case.sample!r} is not one of the "
                                                     "current profile's")
                continue
            schema.make_case(case.case_id, case.sample, dict(case.attributes), dict(case.answers),
                             f"case {case.case_id}", problems, complete=False)
        if not problems and not self.readiness():   # rated now: it must still rate afterwards
            from ..rating.rate import rate
            try:
                rate(self.store.load(self.name, with_cases=False), current, self.session.catalogue,
                     self.session.pm)
            except InputError as exc:
                problems.extend(exc.problems)
        problems.raise_if_any(f"the current profile {current.name!r} does not fit inspection "
                              f"{self.name!r}; nothing was changed")
        snapshot = take_snapshot(self.session, current,
                                 self.snapshot.source if self.snapshot else self.info.profile)
        self.store.adopt_profile(self.name, snapshot, who, reason)
        return snapshot

    # ----------------------------------------------------------------------------------
    # Import
    # ----------------------------------------------------------------------------------

    def import_files(self, paths: list[Path], who: str) -> int:
        """Add the cases of case files; all or nothing. Returns the number of cases added."""
        files: list[Path] = []
        for path in paths:
            files += case_files(path) if path.is_dir() else [path]
        problems = Problems()
        if not files:
            problems.add(", ".join(map(str, paths)), "no case files (*.csv, *.xlsx, *.json)")
        first_seen = {case_id: f"the store ({sample} sample)"
                      for case_id, sample in self.store.case_ids(self.name).items()}
        cases = read_case_files(files, self.schema, problems, first_seen)
        problems.raise_if_any(f"nothing was imported into {self.name!r}")
        self.store.add_cases(self.name, cases, who, source=", ".join(str(f) for f in files))
        return len(cases)

    # ----------------------------------------------------------------------------------
    # Case capture
    # ----------------------------------------------------------------------------------

    def attributes_needed(self, sample: str) -> list[str]:
        """The attributes a new case of ``sample`` is asked for: those its rules read."""
        return self.schema.attributes_of(sample)

    def start(self, case_id: str, sample: str, attributes: dict[str, str], who: str) -> None:
        problems = Problems()
        where = f"case {case_id}"
        if not case_id.strip():
            problems.add(where, "a case id is required")
        if sample not in self.schema.samples:
            problems.add(where, f"unknown sample {sample!r}; this profile's samples: "
                                f"{', '.join(sorted(self.schema.samples))}")
        else:
            self.schema.make_case(case_id, sample, attributes, {}, where, problems, complete=False)
        problems.raise_if_any("the case cannot be added")
        self.store.start_case(self.name, case_id, sample, attributes, who)

    def questions(self, case: Case) -> list[Located]:
        """The questions that apply to ``case``, in framework order."""
        return [located for located in self.schema.questions_of(case.sample)
                if located.key_question.applies(case.attributes)
                and located.question.applies(case.attributes)]

    def answer(self, case_id: str, question_id: str, value: str, who: str, reason: str = "") -> str:
        """Check and record one answer (empty clears it); return the answer as stored."""
        case, _ = self.store.case(self.name, case_id)
        answers = dict(case.answers)
        answers[question_id] = value
        if not value.strip():
            answers.pop(question_id)
        problems = Problems()
        checked = self.schema.make_case(case.case_id, case.sample, dict(case.attributes), answers,
                                        f"case {case_id}", problems, complete=False)
        mine = [p for p in problems.items if f"column {question_id!r}" in p.where]
        if mine:
            raise InputError(mine, summary=f"answer to {question_id} not recorded")
        stored = checked.answer(question_id)
        self.store.record_answer(self.name, case_id, question_id, stored, who, reason)
        return stored

    def finish(self, case_id: str, who: str) -> list[str]:
        """Mark the case complete if it is; else keep it in progress. Returns what is missing.

        Answers implied by a rule (and not given) are recorded as such on completion.
        """
        case, _ = self.store.case(self.name, case_id)
        problems = Problems()
        checked = self.schema.make_case(case.case_id, case.sample, dict(case.attributes),
                                        dict(case.answers), f"case {case_id}", problems)
        for question_id, value in checked.answers.items():
            if case.answer(question_id) != value:
                self.store.record_answer(self.name, case_id, question_id, value, who,
                                         reason="implied by a rule of the catalogue")
        missing = [str(p) for p in problems.items]
        self.store.finish_case(self.name, case_id, IN_PROGRESS if missing else COMPLETE,
                               checked.excluded, who)
        return missing

    # ----------------------------------------------------------------------------------
    # Decisions
    # ----------------------------------------------------------------------------------

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
            entry = Judgement(standard, value, evidence, where)
            values = {"rating": value.label, "evidence": evidence}
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

    # ----------------------------------------------------------------------------------
    # Rating and sign-off
    # ----------------------------------------------------------------------------------

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
                results.append(Fieldwork(self.store, other.name, self.session).rate()[2])
            except InputError:      # still in fieldwork: not a finished figure to compare with
                continue
        if not results:
            return None
        return comparator_from_results(results, f"All providers in the store ({len(results)} "
                                                f"{'inspection' if len(results) == 1 else 'inspections'})")

