"""Quality assurance of case judgements (issue 15): drawing cases for a blind second
assessment, capturing or importing it, agreement, and reconciliation.

**The blind rule** lives here, so the CLI and the web application enforce it alike:

* the second assessor of a case cannot see its first assessment (:meth:`first_assessment`)
  until they have submitted theirs;
* nobody but its assessor sees a second assessment before it is submitted
  (:meth:`second_assessment`), the first assessor included;
* whoever assessed a case first cannot assess it second (capture and import).

Who is acting is the caller's to say: the CLI names the user as every audited write does
(``--user``, else ``$HMIP_USER``, else the login name); the web application passes its
signed-in user. The first assessor of a case is the person whose answers the audit records
most often for it, else whoever imported or drew it into the store (an assumption: a case
file does not name its assessor).

The agreement figures use the pairs as they stood when each second assessment was
submitted; reconciliation changes the case's answer (and so the rating), never the pair.
"""

from __future__ import annotations

import secrets
from collections import Counter
from pathlib import Path

from ..errors import InputError, Problems, shown
from .imports import gather_case_files
from ..inspection.case_reading import read_case_files
from ..inspection.cases import Case
from ..qa.agreement import AgreementReport, AssessedTwice, Question, measure
from ..qa.folder import check_second, qa_questions
from .capture import IMPLIED_REASON
from .context import FieldworkContext
from .qa_records import SUBMITTED, QACase, Reconciled

#: Audit actions that say who assessed a case (its answers, its creation at the terminal).
ASSESSING = ("answer", "case")
#: Audit actions that bring cases into the store in bulk.
BULK = ("import", "sample")


class BlindRuleError(InputError):
    """A request the blind rule refuses: one assessment shown to the other's assessor."""


class QAService(FieldworkContext):
    # ----------------------------------------------------------------------------------
    # Who assessed what, and what each may see
    # ----------------------------------------------------------------------------------

    def first_assessors(self) -> dict[str, str]:
        """Case id -> its first assessor, from the audit (see the module's docstring)."""
        trail = self.store.audit_trail(self.name)
        answered: dict[str, Counter] = {}
        bulk = next((entry.who for entry in trail if entry.action in BULK), "")
        for entry in trail:
            if entry.case_id and entry.action in ASSESSING and entry.reason != IMPLIED_REASON:
                answered.setdefault(entry.case_id, Counter())[entry.who] += 1
        return {case_id: (answered[case_id].most_common(1)[0][0] if case_id in answered else bulk)
                for case_id in self.store.case_ids(self.name)}

    def qa_case(self, case_id: str) -> QACase | None:
        return self.store.qa_cases(self.name, case_id).get(case_id)

    def check_may_see_first(self, case_id: str, who: str) -> None:
        """Refuse (:class:`BlindRuleError`) when ``who`` is the case's second assessor and has
        not submitted yet."""
        state = self.store.second_assessment_state(self.name, case_id)
        if state is not None and state[0] == who and state[1] != SUBMITTED:
            raise BlindRuleError(f"case {case_id!r}: the first assessment is hidden from its second "
                                 f"assessor ({who}) until the second assessment is submitted")

    def first_assessment(self, case_id: str, who: str) -> tuple[Case, str]:
        """The case as first assessed, with its status; refused to its second assessor until
        they submit (the blind rule)."""
        self.check_may_see_first(case_id, who)
        return self.store.case(self.name, case_id)

    def second_assessment(self, case_id: str, who: str) -> Case:
        """The case as second assessed; before it is submitted, only its assessor sees it."""
        case, _ = self.store.case(self.name, case_id)
        qa = self.qa_case(case_id)
        if qa is None or qa.second_assessor is None:
            raise InputError(f"case {case_id!r} has no second assessment")
        if qa.status != SUBMITTED and qa.second_assessor != who:
            raise BlindRuleError(f"case {case_id!r}: the second assessment is hidden until its "
                                 "assessor submits it")
        return Case(case.case_id, case.sample, case.attributes, dict(qa.second_answers),
                    source=f"second assessment of {case_id}")

    # ----------------------------------------------------------------------------------
    # Drawing cases
    # ----------------------------------------------------------------------------------

    def draw_for_qa(self, share: float, who: str, seed: int | None = None) -> dict[str, list[str]]:
        """Draw ``share`` per cent of each sample's complete cases not drawn yet (at least
        one per sample that has one), with a seeded random generator; recorded and audited
        with the seed. Returns sample -> the case ids drawn."""
        import random

        if not 0 < share <= 100:
            raise InputError(f"--share: expected a percentage above 0 and at most 100, found {share:g}")
        seed = secrets.randbelow(2**31) if seed is None else seed
        drawn_before = self.store.qa_cases(self.name)
        eligible: dict[str, list[str]] = {}
        for case, status in self.store.cases_with_status(self.name):
            if status == "complete" and not case.excluded and case.case_id not in drawn_before:
                eligible.setdefault(case.sample, []).append(case.case_id)
        if not eligible:
            raise InputError(f"inspection {self.name!r} has no complete case left to draw "
                             "for second assessment")
        generator = random.Random(seed)
        drawn = {}
        for sample in sorted(eligible):
            ids = sorted(eligible[sample])
            size = min(len(ids), max(1, round(len(ids) * share / 100)))
            drawn[sample] = sorted(generator.sample(ids, size))
        first = self.first_assessors()
        self.store.qa_draw(self.name, {case_id: first.get(case_id, "") for ids in drawn.values()
                                       for case_id in ids}, share, str(seed), who)
        return drawn

    # ----------------------------------------------------------------------------------
    # Capturing and importing a second assessment
    # ----------------------------------------------------------------------------------

    def second_capture(self, case_id: str, who: str) -> SecondCapture:
        """The terminal's view of ``who``'s second assessment of a drawn case (the first
        assessment stays out of it). Refused where the blind rule or the draw says no."""
        self.store.ensure_writable(self.name)
        qa = self.qa_case(case_id)
        if qa is None:
            raise InputError(f"case {case_id!r} is not drawn for second assessment "
                             f"('inspect qa draw --name {self.name}')")
        if qa.status == SUBMITTED:
            raise InputError(f"the second assessment of case {case_id!r} is already submitted; "
                             "settle disagreements with 'inspect qa reconcile'")
        if qa.second_assessor not in (None, who):
            raise BlindRuleError(f"case {case_id!r} is being second-assessed by someone else")
        if qa.first_assessor == who:
            raise BlindRuleError(f"{who} assessed case {case_id!r} first and cannot assess it second")
        if qa.second_assessor is None:
            self.store.claim_second(self.name, case_id, who)
        return SecondCapture(self, case_id)

    def import_second_assessment(self, paths: list[Path], who: str) -> int:
        """Import second assessments from case files (CSV, XLSX, JSON; the same checks as any
        import): only of cases in the store, with their sample and attributes, none submitted
        already or assessed first by ``who``; all or nothing. Returns the number imported."""
        problems = Problems()
        files = gather_case_files(paths, problems)
        self.store.ensure_writable(self.name)
        cases = read_case_files(files, self.schema, problems, {}, complete=True)
        stored = {case.case_id: case for case in self.store.cases(self.name)}
        qa_cases = self.store.qa_cases(self.name)
        first = self.first_assessors()
        check_second(cases, stored, self.name, problems)
        for case in cases:
            where = case.source or f"case {case.case_id}"
            qa = qa_cases.get(case.case_id)
            if qa is not None and qa.status == SUBMITTED:
                problems.add(where, f"the second assessment of case {case.case_id} is already submitted")
            elif qa is not None and qa.second_assessor not in (None, who):
                problems.add(where, f"case {case.case_id} is being second-assessed by someone else")
            if (qa.first_assessor if qa is not None else first.get(case.case_id)) == who:
                problems.add(where, f"{who} assessed case {case.case_id} first and cannot assess it second")
        problems.raise_if_any(f"no second assessment was imported into {self.name!r}")
        self.store.import_second(self.name, cases, {c.case_id: first.get(c.case_id, "") for c in cases},
                                 who, source=", ".join(str(f) for f in files))
        return len(cases)

    # ----------------------------------------------------------------------------------
    # Agreement and reconciliation
    # ----------------------------------------------------------------------------------

    def qa_questions(self) -> list[Question]:
        """The questions agreement is computed for (:func:`..qa.folder.qa_questions`)."""
        return qa_questions(self.schema)

    def assessed_twice(self, records: dict[str, QACase] | None = None) -> list[AssessedTwice]:
        """The submitted pairs of this inspection (of ``records``, its QA records read once
        by the caller, when given)."""
        records = self.store.qa_cases(self.name) if records is None else records
        return [AssessedTwice(self.name, qa.case_id, qa.sample, qa.first_assessor, qa.second_assessor or "",
                              dict(qa.first_answers or {}), dict(qa.second_answers))
                for qa in records.values() if qa.status == SUBMITTED]

    def agreement(self) -> AgreementReport:
        """Agreement of this inspection's cases assessed twice."""
        return measure(self.assessed_twice(), self.qa_questions())

    def disagreements(self, records: dict[str, QACase] | None = None) -> list[dict[str, str | None]]:
        """Every question the two assessments of a submitted case answered differently, with
        the reconciled answer where there is one (of ``records`` when given, as
        :meth:`assessed_twice`)."""
        records = self.store.qa_cases(self.name) if records is None else records
        out: list[dict[str, str | None]] = []
        questions = {q.id: q for q in self.qa_questions()}
        for pair in self.assessed_twice(records):
            for qid in questions:
                first, second = pair.first.get(qid, ""), pair.second.get(qid, "")
                if first != second:
                    out.append({"case_id": pair.case_id, "sample": pair.sample, "question": qid,
                                "kind": questions[qid].kind, "first": first, "second": second,
                                "first_assessor": pair.first_assessor,
                                "second_assessor": pair.second_assessor})
        settled: dict[tuple[str | None, str | None], Reconciled] = {
            (case_id, qid): r for case_id, qa in records.items() for qid, r in qa.reconciled.items()}
        for item in out:
            r = settled.get((item["case_id"], item["question"]))
            item.update(reconciled=r.value if r else None, reason=r.reason if r else None,
                        reconciled_by=r.who if r else None)
        return out

    def qa_open_work(self) -> list[str]:
        """Quality-assurance work not finished: second assessments drawn but not submitted, and
        disagreements the lead inspector has not reconciled. Shown as still due; sign-off does
        not wait for them (an assumption: the seeds leave it to the lead inspector)."""
        from shlex import quote
        out = []
        records = self.store.qa_cases(self.name)      # read once: a status reads it on every page
        pending = sorted(case_id for case_id, qa in records.items() if qa.status != SUBMITTED)
        if pending:
            named = ", ".join(pending[:10]) + (f" and {len(pending) - 10} more" if len(pending) > 10 else "")
            out.append(f"quality assurance: {len(pending)} second assessment(s) not submitted "
                       f"({named}): 'inspect case edit CASE --second'")
        items = self.disagreements(records)
        open_items = sum(1 for item in items if item["reconciled"] is None)
        if open_items:
            out.append(f"quality assurance: {open_items} of {len(items)} disagreement(s) not reconciled: "
                       f"'inspect qa disagreements --name {quote(self.name)}', then 'inspect qa reconcile'")
        return out

    def reconcile(self, case_id: str, question: str, raw: str, reason: str, who: str) -> str:
        """Record the lead inspector's answer to a disagreement (with a reason, audited); it
        becomes the case's answer, so the rating uses it. Returns the answer as stored."""
        if not reason.strip():
            raise InputError("reconciling an answer needs a reason (--reason)")
        located = self.schema.index.get(question)
        if located is None:
            raise InputError(f"--question: unknown question {shown(question)}")
        qid = located.question.id
        case, _ = self.store.case(self.name, case_id)
        value = raw.strip()
        if not (located.question.free or located.question.per_factor_of) and value not in ("", "-"):
            from .capture import interpret
            value = interpret(value, tuple(located.question.answers), multiple=located.question.multiple)
        value = "" if value == "-" else value
        answers = {**case.answers, qid: value}
        if not value:
            answers.pop(qid)
        problems = Problems()
        checked = self.schema.make_case(case.case_id, case.sample, dict(case.attributes), answers,
                                        f"case {case_id}", problems)
        mine = [p for p in problems.items if f"column {qid!r}" in p.where]
        if mine:
            raise InputError(mine, summary=f"reconciled answer to {qid} not recorded")
        stored = checked.answer(qid)
        self.store.reconcile(self.name, case_id, qid, stored, reason, who)
        return stored


class SecondCapture:
    """A second assessment as the terminal's question walk sees it: the same questions,
    checks and guidance as a first assessment, answers kept apart (``second_answer``), and
    finishing submits it. Offers what the walk uses of :class:`.fieldwork.Fieldwork`."""

    resume_flags = " --second"

    def __init__(self, fieldwork: QAService, case_id: str) -> None:
        self.fieldwork = fieldwork
        self.name = fieldwork.name
        self.schema = fieldwork.schema
        self.store = _SecondView(self)

    def current(self, case_id: str) -> Case:
        case, _ = self.fieldwork.store.case(self.name, case_id)
        qa = self.fieldwork.store.qa_cases(self.name, case_id)[case_id]
        return Case(case.case_id, case.sample, case.attributes, dict(qa.second_answers),
                    source=f"second assessment of {case_id}")

    def capture_order(self, case: Case):
        return self.fieldwork.capture_order(case)  # type: ignore[attr-defined]

    def interpret_answer(self, question_id: str, raw: str) -> str:
        return self.fieldwork.interpret_answer(question_id, raw)  # type: ignore[attr-defined]

    def guidance(self, case_id: str, question_id: str) -> str:
        located = self.schema.by_id[question_id]
        return located.question.guidance or located.key_question.guidance or "No guidance for this question."

    def answer(self, case_id: str, question_id: str, value: str, who: str, reason: str = "") -> str:
        case = self.current(case_id)
        answers = {**case.answers, question_id: value}
        if not value.strip():
            answers.pop(question_id)
        problems = Problems()
        checked = self.schema.make_case(case.case_id, case.sample, dict(case.attributes), answers,
                                        f"case {case_id}", problems, complete=False)
        mine = [p for p in problems.items if f"column {question_id!r}" in p.where]
        if mine:
            raise InputError(mine, summary=f"answer to {question_id} not recorded")
        stored = checked.answer(question_id)
        self.fieldwork.store.record_second_answer(self.name, case_id, question_id, stored, who)
        return stored

    def finish(self, case_id: str, who: str) -> list[str]:
        """Submit the second assessment once it has every summary judgement it needs (answers
        a rule implies recorded then); else keep it in progress. Returns what is missing."""
        case = self.current(case_id)
        problems = Problems()
        checked = self.schema.make_case(case.case_id, case.sample, dict(case.attributes), dict(case.answers),
                                        f"case {case_id}", problems)
        missing = [str(p) for p in problems.items]
        if missing:
            return missing
        for question_id, value in checked.answers.items():
            if case.answer(question_id) != value:
                self.fieldwork.store.record_second_answer(self.name, case_id, question_id, value, who)
        self.fieldwork.store.submit_second(self.name, case_id, who)
        return []


class _SecondView:
    """What the question walk reads through ``.store``: the case with its second answers."""

    def __init__(self, capture: SecondCapture) -> None:
        self.capture = capture

    def case(self, name: str, case_id: str) -> tuple[Case, str]:
        return self.capture.current(case_id), "second assessment"

    def ensure_writable(self, name: str) -> None:
        self.capture.fieldwork.store.ensure_writable(name)


def pooled_agreement(store, session, profile: str | None = None) -> tuple[str, AgreementReport]:
    """Agreement pooled over every inspection in the store (or those of ``profile``), by key
    question and prompt (within a framework edition: ids are unique only there), and per
    assessor pair with at least the profile's ``[qa] pair_minimum`` cases (the largest of
    the inspections' profiles without ``profile``)."""
    from .fieldwork import Fieldwork

    cases: list[AssessedTwice] = []
    questions: dict[tuple[str, str], Question] = {}
    minimum = session.profile(profile).pair_minimum if profile is not None else 0
    editions = set()
    for summary in store.inspections():
        if profile is not None and summary.profile != session.profile(profile).name:
            continue
        fieldwork = Fieldwork(store, summary.name, session)
        pairs = fieldwork.assessed_twice()
        if not pairs:
            continue
        edition = fieldwork.profile.edition
        editions.add(edition)
        if profile is None:
            minimum = max(minimum, fieldwork.profile.pair_minimum)
        for question in fieldwork.qa_questions():
            questions.setdefault((edition, question.id), question)
        cases += pairs
    if len(editions) > 1:
        raise InputError(f"the store's second assessments rate {len(editions)} framework editions "
                         f"({', '.join(sorted(editions))}), whose key question ids differ: "
                         "pool one with --profile")
    scope = f"every inspection of profile {profile}" if profile else "every inspection in the store"
    return scope, measure(cases, list(questions.values()), pair_minimum=minimum or None)
