"""A case as the web application shows it and saves it, on the fieldwork services.

:func:`case_view` lays a case out as the CARaG asks it (issue 13, "A case"): its attributes,
then per standard and key question the prompts and then the summary judgement, each with its
CARaG codes, paraphrased guidance, current answer, version (:mod:`.answer_versions`) and any
problem the import's validation finds with it. Only the questions that apply to the case's
attributes are there; an answer a catalogue rule implies is filled and marked as such.

:func:`save_answer` records one answer through :meth:`.capture.CaptureService.answer` (the
same validation as an import, refused when stale), fills the answers rules now imply, and
updates the case's status (:meth:`.capture.CaptureService.finish`). :func:`change_attribute`
changes one attribute through :mod:`.corrections` (answers that no longer apply cleared).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError, Problems
from .capture import IMPLIED_REASON


@dataclass
class QuestionView:
    id: str
    text: str
    codes: tuple[str, ...]
    options: tuple[str, ...]
    multiple: bool
    free: bool
    summary: bool
    guidance: str
    value: str
    version: int
    implied_note: str = ""          #: set when a rule implies this answer: shown, not asked
    problems: list[str] = field(default_factory=list)

    @property
    def yes_no(self) -> bool:
        return self.options[:2] == ("yes", "no") and not self.multiple and not self.free


@dataclass
class KeyQuestionView:
    id: str
    text: str
    guidance: str
    questions: list[QuestionView]


@dataclass
class StandardView:
    id: str
    title: str
    key_questions: list[KeyQuestionView]


@dataclass
class AttributeView:
    name: str
    value: str
    options: tuple[str, ...]
    description: str


@dataclass
class CaseView:
    case_id: str
    sample: str
    status: str
    excluded: str
    attributes: list[AttributeView]
    standards: list[StandardView]
    missing: list[str]
    answered: int
    asked: int


def case_view(fieldwork, case_id: str, errors: dict[str, list[str]] | None = None) -> CaseView:
    """The case laid out for its page; ``errors``: problems of a save just refused, by question."""
    case, status = fieldwork.store.case(fieldwork.name, case_id)
    versions = fieldwork.store.answer_versions(fieldwork.name, case_id)
    schema = fieldwork.schema
    problems = Problems()
    schema.make_case(case.case_id, case.sample, dict(case.attributes), dict(case.answers),
                     f"case {case_id}", problems)
    by_question: dict[str, list[str]] = {}
    missing = []
    for problem in problems.items:
        qid = next((q for q in case.answers if f"column {q!r}" in problem.where), None)
        if qid is not None:
            by_question.setdefault(qid, []).append(problem.message)
        else:
            missing.append(str(problem))
    for qid, messages in (errors or {}).items():
        by_question.setdefault(qid, []).extend(messages)
    standards: dict[str, StandardView] = {}
    groups: dict[str, KeyQuestionView] = {}
    asked = answered = 0
    for located in fieldwork.capture_order(case):
        question, kq, standard = located.question, located.key_question, located.standard
        view = standards.setdefault(standard.id, StandardView(standard.id, standard.title, []))
        if kq.id not in groups:
            groups[kq.id] = KeyQuestionView(kq.id, kq.text, kq.guidance, [])
            view.key_questions.append(groups[kq.id])
        implied = (schema.implied_answer(question.id, case.attributes, case.answers)
                   if question.implied is not None else None)
        value = case.answer(question.id)
        asked += 1
        answered += bool(value)
        groups[kq.id].questions.append(QuestionView(
            question.id, question.text, tuple(question.aliases), tuple(question.answers),
            question.multiple, question.free or bool(question.per_factor_of), question.id == kq.id,
            question.guidance, value, versions.get(question.id, 0),
            implied_note=(question.implied.note or "implied by a rule of the catalogue")
            if implied is not None and question.implied is not None else "",
            problems=by_question.get(question.id, [])))
    catalogue = fieldwork.session.catalogue
    attributes = []
    for name in sorted(set(fieldwork.attributes_needed(case.sample)) | set(case.attributes)):
        declared = schema.attributes.get(name) or catalogue.attributes.get(name)
        attributes.append(AttributeView(name, case.attributes.get(name, ""),
                                        tuple(declared.values) if declared is not None else (),
                                        declared.description if declared is not None else ""))
    return CaseView(case.case_id, case.sample, status, case.excluded, attributes,
                    list(standards.values()), missing, answered, asked)


def save_answer(fieldwork, case_id: str, question_id: str, raw: str, based_on: int | None,
                who: str) -> str:
    """Check and record one answer as typed (``-`` or empty clears it) unless it is stale,
    then fill what rules now imply and update the case's status; the answer as stored."""
    if question_id not in fieldwork.schema.by_id:
        raise InputError(f"{question_id!r} is not a question of this inspection")
    text = raw.strip()
    value = "" if text in ("", "-") else fieldwork.interpret_answer(question_id, text)
    stored = fieldwork.answer(case_id, question_id, value, who, based_on=based_on)
    if fieldwork.schema.implied.get(fieldwork.schema.by_id[question_id].standard.sample):
        fill_implied(fieldwork, case_id, who)
    fieldwork.finish(case_id, who)
    return str(stored)


def fill_implied(fieldwork, case_id: str, who: str) -> None:
    """Record the answers the catalogue's rules imply, given the answers so far (as the
    terminal capture does when it reaches such a question)."""
    case, _ = fieldwork.store.case(fieldwork.name, case_id)
    for located in fieldwork.questions(case):
        implied = implied_to_record(fieldwork.schema, located.question, case)
        if implied is not None:
            fieldwork.store.record_answer(fieldwork.name, case_id, located.question.id, implied, who,
                                          reason=IMPLIED_REASON)


def implied_to_record(schema, question, case) -> str | None:
    """The answer a catalogue rule implies for ``question`` given ``case``'s answers so far,
    when the case does not already have it; None when there is nothing to record."""
    if question.implied is None:
        return None
    implied = schema.implied_answer(question.id, case.attributes, case.answers)
    return implied if implied is not None and case.answer(question.id) != implied else None


def change_attribute(fieldwork, case_id: str, name: str, raw: str, who: str) -> list[str]:
    """Change one attribute of the case: answers that no longer apply are cleared and implied
    answers worked out again (each audited); returns what is still missing."""
    case, _ = fieldwork.store.case(fieldwork.name, case_id)
    value = fieldwork.check_attribute(case.sample, name, raw)
    change = fieldwork.plan_attribute_change(case_id, {name: value})
    if not change.attributes:
        return []
    return list(fieldwork.change_attributes(change, who, "changed on the case page"))
