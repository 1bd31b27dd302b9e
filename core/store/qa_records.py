"""The store's quality-assurance records (issue 15): cases drawn for a blind second
assessment, the second assessment's answers, and reconciled answers. Every write is one
transaction, audited, and refused once the inspection is signed off; the blind rule is
checked again inside the transaction (:mod:`.qa` checks it first, with the messages)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from ..errors import InputError
from ..inspection.cases import Case
from . import schema as t
from .locks import LockPolicy
from .records import audit, guarded, now, with_answer

DRAWN, IN_PROGRESS, SUBMITTED = "drawn", "in-progress", "submitted"
HIDDEN = "(hidden: blind second assessment)"
#: Audit actions whose values are a case's first assessment.
FIRST_ASSESSMENT = ("answer", "replace", "delete", "attribute")


@dataclass(frozen=True)
class Reconciled:
    value: str
    first: str
    second: str
    reason: str
    who: str
    at: str


@dataclass(frozen=True)
class QACase:
    """A case drawn for (or given) a second assessment."""

    case_id: str
    sample: str
    first_assessor: str
    second_assessor: str | None
    status: str                                 #: drawn | in-progress | submitted
    drawn: bool                                 #: by ``inspect qa draw`` (else by an import)
    submitted_at: str | None = None
    first_answers: dict[str, str] | None = None  #: the first assessment when the second was submitted
    second_answers: dict[str, str] = field(default_factory=dict)
    reconciled: dict[str, Reconciled] = field(default_factory=dict)


class QARecords(LockPolicy):
    @guarded
    def qa_cases(self, name: str, case_id: str | None = None) -> dict[str, QACase]:
        """Case id -> its quality-assurance record, for every case drawn or assessed twice (or
        only ``case_id``'s, when given: a case page needs no other)."""
        c, q = t.inspected_case, t.qa_case
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            scope = [q.c.inspection_id == inspection_id]
            if case_id is not None:
                scope.append(q.c.case_pk.in_(select(c.c.id).where(
                    c.c.inspection_id == inspection_id, c.c.case_id == case_id).scalar_subquery()))
            second: dict[int, dict[str, str]] = {}
            for pk, qid, value in db.execute(
                    select(t.second_answer.c.case_pk, t.second_answer.c.question_id, t.second_answer.c.value)
                    .join(q, q.c.case_pk == t.second_answer.c.case_pk).where(*scope)):
                second.setdefault(pk, {})[qid] = value
            reconciled: dict[int, dict[str, Reconciled]] = {}
            r = t.reconciled_answer
            for row in db.execute(select(r).join(q, q.c.case_pk == r.c.case_pk).where(*scope)):
                reconciled.setdefault(row.case_pk, {})[row.question_id] = Reconciled(
                    row.value, row.first, row.second, row.reason, row.who, row.at)
            rows = db.execute(select(q, c.c.case_id, c.c.sample).join(c, c.c.id == q.c.case_pk)
                              .where(*scope).order_by(c.c.id))
            return {row.case_id: QACase(row.case_id, row.sample, row.first_assessor, row.second_assessor,
                                        row.status, row.draw_id is not None, row.submitted_at,
                                        dict(row.first_answers) if row.first_answers is not None else None,
                                        second.get(row.case_pk, {}), reconciled.get(row.case_pk, {}))
                    for row in rows}

    @guarded
    def second_assessment_state(self, name: str, case_id: str) -> tuple[str | None, str] | None:
        """The case's second assessor and the state of their assessment, or None when it is not
        drawn or assessed twice: one query, for the blind rule's check on every save."""
        c, q = t.inspected_case, t.qa_case
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            row = db.execute(select(q.c.second_assessor, q.c.status).join(c, c.c.id == q.c.case_pk)
                             .where(c.c.inspection_id == inspection_id, c.c.case_id == case_id)).first()
        return (row.second_assessor, row.status) if row is not None else None

    def blind_audit_trail(self, name: str, who: str, case_id: str | None = None) -> list:
        """The audit trail as ``who`` may see it (the blind rule, :mod:`.qa`): the values of
        a second assessment not yet submitted are hidden from all but its assessor, and the
        first assessment's from that assessor until they submit."""
        entries = self.audit_trail(name, case_id)  # type: ignore[attr-defined]  # StoreReads
        cases = self.qa_cases(name)
        shown = []
        for entry in entries:
            qa = cases.get(entry.case_id) if entry.case_id else None
            if qa is not None and qa.status != SUBMITTED and (
                    (entry.action == "second answer" and who != qa.second_assessor)
                    or (entry.action in FIRST_ASSESSMENT and who == qa.second_assessor)):
                entry = replace(entry, old=HIDDEN if entry.old else entry.old,
                                new=HIDDEN if entry.new else entry.new)
            shown.append(entry)
        return shown

    @guarded
    def qa_draws(self, name: str) -> list[dict[str, Any]]:
        """Every draw of the inspection: share, seed, who, when, the cases drawn."""
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            return [{"share": row.share, "seed": row.seed, "who": row.who, "at": row.at,
                     "cases": list(row.cases)}
                    for row in db.execute(select(t.qa_draw).where(t.qa_draw.c.inspection_id == inspection_id)
                                          .order_by(t.qa_draw.c.id))]

    @guarded
    def qa_draw(self, name: str, drawn: dict[str, str], share: float, seed: str, who: str) -> None:
        """Record a draw: ``drawn`` maps each case id to its first assessor. Audited with the
        share and the seed; refused where a case is already drawn (another draw meanwhile)."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            draw_id = db.execute(insert(t.qa_draw).values(
                inspection_id=inspection_id, share=share, seed=seed, who=who, at=now(),
                cases=list(drawn))).inserted_primary_key[0]  # type: ignore[index]
            for case_id, first in drawn.items():
                row = self._case_row(db, inspection_id, case_id, lock=True)
                if self._qa_row(db, row.id) is not None:
                    raise InputError(f"case {case_id!r} was drawn meanwhile; nothing was drawn: draw again")
                db.execute(insert(t.qa_case).values(case_pk=row.id, inspection_id=inspection_id,
                                                    draw_id=draw_id, first_assessor=first, status=DRAWN))
            audit(db, inspection_id, who, "qa draw", new=", ".join(drawn),
                  reason=f"{len(drawn)} case(s) for second assessment: share {share:g}% per sample, seed {seed}")

    def _qa_row(self, db: Connection, case_pk: int, *, lock: bool = False):
        query = select(t.qa_case).where(t.qa_case.c.case_pk == case_pk)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return db.execute(query).first()

    def _claim(self, db: Connection, inspection_id: int, case_id: str, who: str, *,
               first_assessor: str, drawn_only: bool):
        """The case's row and its QA row, the second assessment claimed by ``who``: refused
        where it is submitted, someone else's, or ``who`` assessed the case first."""
        row = self._case_row(db, inspection_id, case_id, lock=True)
        qa = self._qa_row(db, row.id, lock=True)
        if qa is None:
            if drawn_only:
                raise InputError(f"case {case_id!r} is not drawn for second assessment "
                                 "(inspect qa draw)")
            db.execute(insert(t.qa_case).values(case_pk=row.id, inspection_id=inspection_id, draw_id=None,
                                                first_assessor=first_assessor, status=DRAWN))
            qa = self._qa_row(db, row.id)
        if qa.status == SUBMITTED:
            raise InputError(f"the second assessment of case {case_id!r} is already submitted; "
                             "settle disagreements with 'inspect qa reconcile'")
        if qa.second_assessor not in (None, who):
            raise InputError(f"case {case_id!r} is being second-assessed by someone else")
        if qa.first_assessor == who:
            raise InputError(f"{who} assessed case {case_id!r} first and cannot assess it second")
        if qa.second_assessor is None:
            db.execute(update(t.qa_case).where(t.qa_case.c.case_pk == row.id)
                       .values(second_assessor=who, status=IN_PROGRESS))
            audit(db, inspection_id, who, "qa second", case_id=case_id, item="second assessor", new=who)
        return row, qa

    @guarded
    def claim_second(self, name: str, case_id: str, who: str) -> None:
        """``who`` starts the second assessment of a drawn case: from now on the first
        assessment is hidden from them until they submit. Audited."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name)
            self._claim(db, inspection_id, case_id, who, first_assessor="", drawn_only=True)

    @guarded
    def record_second_answer(self, name: str, case_id: str, question_id: str, value: str, who: str) -> None:
        """Set (or with an empty value clear) one answer of ``who``'s second assessment. Audited."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name)
            row, _ = self._claim(db, inspection_id, case_id, who, first_assessor="", drawn_only=True)
            key = and_(t.second_answer.c.case_pk == row.id, t.second_answer.c.question_id == question_id)
            old = db.execute(select(t.second_answer.c.value).where(key)).scalar_one_or_none() or ""
            if old == value:
                return
            db.execute(delete(t.second_answer).where(key))
            if value:
                db.execute(insert(t.second_answer).values(case_pk=row.id, question_id=question_id, value=value))
            audit(db, inspection_id, who, "second answer", case_id=case_id, item=question_id, old=old, new=value)

    def _submit(self, db: Connection, inspection_id: int, row, case_id: str, who: str) -> None:
        """Submit the second assessment of the case of ``row`` (its ``inspected_case`` row),
        keeping the first assessment as it stands now."""
        db.execute(update(t.qa_case).where(t.qa_case.c.case_pk == row.id)
                   .values(status=SUBMITTED, submitted_at=now(), first_answers=dict(row.answers)))
        audit(db, inspection_id, who, "qa submit", case_id=case_id, item="second assessment",
              old=IN_PROGRESS, new=SUBMITTED)

    @guarded
    def submit_second(self, name: str, case_id: str, who: str) -> None:
        """Submit ``who``'s second assessment: it is final, and the first assessment as it
        stands now is kept beside it as the pair the agreement figures use. Audited."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name)
            row, _ = self._claim(db, inspection_id, case_id, who, first_assessor="", drawn_only=True)
            self._submit(db, inspection_id, row, case_id, who)

    @guarded
    def import_second(self, name: str, cases: list[Case], first_assessors: dict[str, str], who: str,
                      source: str) -> None:
        """Store submitted second assessments of existing cases, all or nothing; a case not
        drawn yet is added to those assessed twice. Audited."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            for case in cases:
                row, _ = self._claim(db, inspection_id, case.case_id, who,
                                     first_assessor=first_assessors[case.case_id], drawn_only=False)
                db.execute(delete(t.second_answer).where(t.second_answer.c.case_pk == row.id))
                if case.answers:
                    db.execute(insert(t.second_answer), [
                        dict(case_pk=row.id, question_id=qid, value=value) for qid, value in case.answers.items()])
                self._submit(db, inspection_id, row, case.case_id, who)
            audit(db, inspection_id, who, "qa import", new=f"{len(cases)} second assessment(s)", reason=source)

    @guarded
    def reconcile(self, name: str, case_id: str, question_id: str, value: str, reason: str, who: str) -> str:
        """Record the lead inspector's answer to a question the two assessments answered
        differently, and make it the case's answer (what the rating counts); the pair stays
        as it was. Audited (the reconciliation, and the answer it changes). Returns the
        answer it replaced."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name)
            row = self._case_row(db, inspection_id, case_id, lock=True)
            qa = self._qa_row(db, row.id, lock=True)
            if qa is None or qa.status != SUBMITTED:
                raise InputError(f"case {case_id!r} has no submitted second assessment to reconcile")
            first = (qa.first_answers or {}).get(question_id, "")
            second = db.execute(select(t.second_answer.c.value).where(and_(
                t.second_answer.c.case_pk == row.id, t.second_answer.c.question_id == question_id))
            ).scalar_one_or_none() or ""
            if first == second:
                raise InputError(f"case {case_id!r}: the two assessments agree on {question_id}; "
                                 "there is nothing to reconcile")
            key = and_(t.reconciled_answer.c.case_pk == row.id, t.reconciled_answer.c.question_id == question_id)
            db.execute(delete(t.reconciled_answer).where(key))
            db.execute(insert(t.reconciled_answer).values(
                case_pk=row.id, question_id=question_id, value=value, first=first, second=second,
                reason=reason, who=who, at=now()))
            old = row.answers.get(question_id, "")
            audit(db, inspection_id, who, "reconcile", case_id=case_id, item=question_id,
                  old=f"first={first}; second={second}", new=value, reason=reason)
            if old != value:
                db.execute(update(t.inspected_case).where(t.inspected_case.c.id == row.id)
                           .values(answers=with_answer(row.answers, question_id, value)))
                audit(db, inspection_id, who, "answer", case_id=case_id, item=question_id, old=old, new=value,
                      reason=f"reconciled: {reason}")
            return old
