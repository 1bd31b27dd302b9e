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

from .case_files import case_files
from .cases import Case, CaseSchema, read_case_files
from .catalogue import Located
from .errors import InputError, Problems
from .inspection import (
    check_judgements, check_ready, load_inspection, profile_standards, read_info,
)
from .judgements import DIRECTIONS, Judgement, Judgements, Moderation, PanelDecision
from .names import name_problem
from .session import Session
from .standards import LABELS, Rating, Standard
from .store import COMPLETE, IN_PROGRESS, Store


def import_folder(store: Store, session: Session, folder: Path, name: str, who: str) -> int:
    """Create inspection ``name`` from an inspection folder; return the number of cases."""
    problems = Problems()
    info = read_info(folder, problems)
    problems.raise_if_any(f"inspection {folder} has problems")
    profile = session.profile(info.profile)
    inspection = load_inspection(folder, profile, session.catalogue, complete=False)
    store.create(name, inspection.info, list(inspection.cases), inspection.judgements, who,
                 source=f"folder {folder}")
    return len(inspection.cases)


@dataclass
class Fieldwork:
    """A stored inspection with the rules of its profile."""

    store: Store
    name: str
    session: Session

    def __post_init__(self) -> None:
        self.info = self.store.info(self.name)
        self.profile = self.session.profile(self.info.profile)
        self.standards: list[Standard] = profile_standards(self.profile, self.session.catalogue)
        self.schema = CaseSchema.build(self.standards, self.session.catalogue)

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
        case_id = case_id.strip()
        where = f"case {case_id}"
        if problem := name_problem(case_id):
            where = "case id"
            problems.add(where, problem)
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
        self.store.record_decision(self.name, kind, standard, values, who, reason)

    # ----------------------------------------------------------------------------------
    # Rating
    # ----------------------------------------------------------------------------------

    def rate(self, *, with_cases: bool = False):
        """Rate the stored inspection (answer counts aggregated by the database)."""
        from .rate import rate

        inspection = self.store.load(self.name, with_cases=with_cases)
        problems = Problems()
        check_ready(inspection.judgements, {s for s, n in inspection.tallies.samples.items() if n},
                    self.standards, self.profile, problems, f"inspection {self.name!r} (store)")
        problems.raise_if_any(f"inspection {self.name!r} cannot be rated yet")
        return self.profile, inspection, rate(inspection, self.profile, self.session.catalogue,
                                              self.session.pm)

    def others_comparator(self):
        """An "all providers" comparator pooled from the store's other inspections of this
        profile that can be rated, or None when there are none."""
        from .comparators import comparator_from_results

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

