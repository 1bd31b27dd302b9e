"""A blind second assessment as the web application shows and saves it (issue 15, "Workflow":
"in the CLI and in the web application, they cannot see the first assessment until they
submit theirs; the first assessor cannot see the second").

Every rule stays in :mod:`.qa`: the page reads the second assessment through
:meth:`.qa.QAService.second_capture` (its assessor, before submission) or
:meth:`.qa.QAService.second_assessment` (anyone the blind rule allows, after submission),
and lays it out with the case page's own :func:`.casepage.case_view` over the second answers,
so the questions, applicability, implied answers and checks are the first assessment's.
Saving goes through :meth:`.qa.SecondCapture.answer` (the import's validation), submitting
through :meth:`.qa.SecondCapture.finish` (refused, with what is missing, until every summary
judgement it needs is there).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..inspection.cases import Case
from .casepage import CaseView, case_view, implied_to_record
from .qa import BlindRuleError
from .qa_records import SUBMITTED

class NotOpen(InputError):
    """The second assessment cannot take answers now (not drawn, submitted, signed off)."""


#: The states of a second assessment as its page shows it.
NOT_STARTED, OPEN, DONE = "not started", "in progress", "submitted"


@dataclass
class SecondPage:
    state: str                  #: NOT_STARTED (may be started), OPEN (its assessor's) or DONE
    view: CaseView | None       #: the second assessment laid out (None when not started)
    second_assessor: str | None


class _Reads:
    """What :func:`.casepage.case_view` reads through ``.store``: the second assessment."""

    def __init__(self, case: Case, status: str) -> None:
        self._case, self._status = case, status

    def case(self, name: str, case_id: str) -> tuple[Case, str]:
        return self._case, self._status

    def answer_versions(self, name: str, case_id: str) -> dict[str, int]:
        return {}                # one assessor per second assessment: nothing to be stale against


class _SecondLayout:
    """The fieldwork services :func:`.casepage.case_view` uses, over a second assessment."""

    def __init__(self, fieldwork, case: Case, status: str) -> None:
        self.name, self.schema, self.session = fieldwork.name, fieldwork.schema, fieldwork.session
        self.store = _Reads(case, status)
        self.capture_order = fieldwork.capture_order
        self.attributes_needed = fieldwork.attributes_needed


def second_page(fieldwork, case_id: str, who: str, errors: dict[str, list[str]] | None = None) -> SecondPage:
    """The second assessment of a drawn case as ``who`` may see it; refused
    (:class:`.qa.BlindRuleError`) to anyone but its assessor before it is submitted, and to
    the case's first assessor, who may not assess it second."""
    qa = fieldwork.qa_case(case_id)
    if qa is None:
        raise InputError(f"case {case_id!r} is not drawn for second assessment")
    if qa.status == SUBMITTED:
        case = fieldwork.second_assessment(case_id, who)
        return SecondPage(DONE, case_view(_SecondLayout(fieldwork, case, "second assessment submitted"), case_id),
                          qa.second_assessor)
    if qa.second_assessor is None and qa.first_assessor != who:
        return SecondPage(NOT_STARTED, None, None)
    if qa.second_assessor not in (None, who):
        fieldwork.second_assessment(case_id, who)         # refused: hidden until it is submitted
    capture = fieldwork.second_capture(case_id, who)     # refuses the first assessor
    case = capture.current(case_id)
    return SecondPage(OPEN, case_view(_SecondLayout(fieldwork, case, "second assessment in progress"),
                                      case_id, errors), who)


def start_second(fieldwork, case_id: str, who: str) -> None:
    """Open ``who``'s blind second assessment of a drawn case (:meth:`.qa.QAService.second_capture`)."""
    fieldwork.second_capture(case_id, who)


def save_second_answer(fieldwork, case_id: str, question_id: str, raw: str, who: str) -> str:
    """Check and record one answer of ``who``'s second assessment as typed (``-`` or empty
    clears it), then the answers the catalogue's rules now imply; the answer as stored."""
    if question_id not in fieldwork.schema.by_id:
        raise InputError(f"{question_id!r} is not a question of this inspection")
    try:
        capture = fieldwork.second_capture(case_id, who)
    except BlindRuleError:
        raise
    except InputError as exc:       # not drawn, already submitted, signed off
        raise NotOpen(exc.problems, summary=exc.summary) from exc
    text = raw.strip()
    value = "" if text in ("", "-") else capture.interpret_answer(question_id, text)
    stored = capture.answer(case_id, question_id, value, who)
    case = capture.current(case_id)
    for located in capture.capture_order(case):
        implied = implied_to_record(fieldwork.schema, located.question, case)
        if implied is not None:
            capture.answer(case_id, located.question.id, implied, who)
            case = capture.current(case_id)
    return str(stored)


def submit_second(fieldwork, case_id: str, who: str) -> list[str]:
    """Submit ``who``'s second assessment; what is still missing when it cannot be (then it
    stays in progress)."""
    return fieldwork.second_capture(case_id, who).finish(case_id, who)
