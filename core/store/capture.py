"""Capturing a case question by question: the questions that apply to it, in framework order,
each answer checked (the same validation as an import) and saved as it is given, so a case can
be left and resumed; it is complete once every summary judgement it needs is in.
"""

from __future__ import annotations

from ..catalogue.index import Located
from ..errors import InputError, Problems
from ..inspection.cases import Case
from ..names import name_problem
from .context import FieldworkContext
from .database import COMPLETE, IN_PROGRESS


class CaptureService(FieldworkContext):
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
