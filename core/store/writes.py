"""Writing the store: every change is one transaction and is audited (who, when, old value,
new value, reason); imports are all or nothing; a signed-off inspection refuses edits."""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

import structlog
from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import InputError
from ..inspection.cases import Case
from ..inspection.folder import InspectionInfo
from ..inspection.judgements import Judgements
from . import schema as t
from .answer_versions import StaleAnswer, answer_version
from .bulk import insert_rows
from .engine import shown
from .locks import LockPolicy
from .records import (
    COMPLETE,
    IN_PROGRESS,
    ProfileSnapshot,
    answers_json,
    audit,
    case_of,
    describe_values,
    guarded,
    narrative_details,
    now,
    snapshot_line,
    with_answer,
)

log = structlog.get_logger(__name__)

#: Cases written at a time (with their answers) by an import.
CHUNK = 2_000


def _chunks(items: Iterable[Case], size: int) -> Iterator[list[Case]]:
    chunk: list[Case] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class StoreWrites(LockPolicy):
    @guarded
    def create(self, name: str, info: InspectionInfo, cases: Iterable[Case], judgements: Judgements,
               who: str, source: str, snapshot: ProfileSnapshot | None = None) -> int:
        """Create an inspection with its (validated) cases and judgements, all or nothing,
        keeping ``snapshot``: the profile it is to be rated with. The cases may come one at
        a time (written a chunk at a time; an error raised while they come writes nothing).
        Returns the number of cases."""
        try:
            with self._writing() as db:
                inspection_id = db.execute(insert(t.inspection).values(
                    name=name, provider=info.provider, profile=info.profile, synthetic=info.synthetic,
                    fieldwork=info.fieldwork, notes=info.notes, locked=False, created_at=now(),
                    details={"comparators": [c.to_dict() for c in info.comparators],
                             **narrative_details(judgements)},
                    profile_snapshot=snapshot.to_dict() if snapshot is not None else None,
                )).inserted_primary_key[0]  # type: ignore[index]  # an insert has its key
                count = self._insert_cases(db, inspection_id, cases)
                decisions = (
                    (t.judgement, [dict(inspection_id=inspection_id, standard=j.standard,
                                        rating=j.rating.label, evidence=j.evidence)
                                   for j in judgements.judgements]),
                    (t.moderation, [dict(inspection_id=inspection_id, standard=m.standard,
                                         direction=m.direction, rationale=m.rationale, ratified=m.ratified)
                                    for m in judgements.moderations]),
                    (t.panel_decision, [dict(inspection_id=inspection_id, standard=p.standard,
                                             direction=p.direction, rationale=p.rationale)
                                        for p in judgements.panel]))
                for table, rows in decisions:       # one statement per table
                    if rows:
                        db.execute(insert(table), rows)
                audit(db, inspection_id, who, "import", new=f"{count} case(s)", reason=source)
        except IntegrityError as exc:
            if self._exists(name):
                raise InputError(f"inspection {name!r} already exists in {shown(self.url)}; "
                                 "import further case files into it with --into") from exc
            raise
        log.info("inspection imported", cases=count)
        return count

    @guarded
    def add_cases(self, name: str, cases: list[Case], who: str, source: str,
                  in_progress: frozenset[str] = frozenset()) -> None:
        """Add validated cases to an inspection, all or nothing (refused once signed off);
        those named in ``in_progress`` are still being captured."""
        try:
            with self._writing() as db:
                inspection_id = self._writable(db, name)
                self._insert_cases(db, inspection_id, cases, in_progress)
                audit(db, inspection_id, who, "import", new=f"{len(cases)} case(s)", reason=source)
        except IntegrityError as exc:
            raise InputError(f"inspection {name!r}: a case id is already in the store "
                             "(another process added it meanwhile); nothing was imported") from exc
        log.info("cases imported", cases=len(cases))

    @guarded
    def add_selected(self, name: str, cases: list[Case], who: str, source: str,
                     sampling: dict[str, Any]) -> None:
        """Create the cases a sample draw selected, in progress, and keep the draw's record
        (seed, population digest, size per sample) with the inspection; one transaction."""
        try:
            with self._writing() as db:
                inspection_id = self._writable(db, name, exclusive=True)
                self._insert_cases(db, inspection_id, cases, frozenset(c.case_id for c in cases))
                details = dict(self._inspection(db, name).details or {})
                record = dict(details.get("sampling") or {})
                record.update(seed=sampling["seed"], population=sampling["population"],
                              sizes={**record.get("sizes", {}), **sampling["sizes"]})
                details["sampling"] = record
                db.execute(update(t.inspection).where(t.inspection.c.id == inspection_id)
                           .values(details=details))
                audit(db, inspection_id, who, "sample", new=f"{len(cases)} case(s) in progress",
                      reason=source)
        except IntegrityError as exc:
            raise InputError(f"inspection {name!r}: a selected case id is already in the store "
                             "(another process added it meanwhile); nothing was added") from exc

    def _insert_cases(self, db: Connection, inspection_id: int, cases: Iterable[Case],
                      in_progress: frozenset[str] = frozenset()) -> int:
        """Write the cases and their answers, a chunk of :data:`CHUNK` cases at a time; the
        number written."""
        count = 0
        for chunk in _chunks(cases, CHUNK):
            self._insert_chunk(db, inspection_id, chunk, in_progress)
            count += len(chunk)
        return count

    def _insert_chunk(self, db: Connection, inspection_id: int, cases: list[Case],
                      in_progress: frozenset[str]) -> None:
        if self.dialect == "postgresql" and "\x00" in "".join(
                value for case in cases for value in case.answers.values()):
            # a text column refused it before migration 0007; a json one keeps it as \u0000,
            # which every json_each_text (the rating's counts) then fails on
            raise InputError("a text holds a NUL character (0x00), which PostgreSQL cannot store; "
                             "nothing was written")
        insert_rows(db, t.inspected_case,
                    ("inspection_id", "case_id", "sample", "attributes", "answers", "excluded", "status"),
                    [(inspection_id, case.case_id, case.sample, json.dumps(dict(case.attributes)),
                      answers_json(case.answers), case.excluded,
                      IN_PROGRESS if case.case_id in in_progress else COMPLETE)
                     for case in cases])

    @guarded
    def start_case(self, name: str, case_id: str, sample: str, attributes: dict[str, str],
                   who: str) -> None:
        """A new case being captured (status in-progress)."""
        try:
            with self._writing() as db:
                inspection_id = self._writable(db, name)
                db.execute(insert(t.inspected_case).values(
                    inspection_id=inspection_id, case_id=case_id, sample=sample,
                    attributes=dict(attributes), status=IN_PROGRESS, excluded=""))
                audit(db, inspection_id, who, "case", case_id=case_id, item="sample", new=sample,
                       reason="case added")
        except IntegrityError as exc:
            raise InputError(f"case {case_id!r} already exists in inspection {name!r}; "
                             "use 'inspect case edit'") from exc

    @guarded
    def record_answer(self, name: str, case_id: str, question_id: str, value: str, who: str,
                      reason: str = "", based_on: int | None = None) -> str:
        """Set (or, with an empty value, clear) one answer; return the old value. Audited.
        ``based_on``: the answer's version the change was made from; a newer one refuses it
        (:class:`.answer_versions.StaleAnswer`)."""
        with self._writing() as db:
            inspection_id = self._writable(db, name)
            row = self._case_row(db, inspection_id, case_id, lock=True)
            old = row.answers.get(question_id, "")
            if based_on is not None:
                version = answer_version(db, inspection_id, case_id, question_id)
                if version != based_on and old != value:
                    raise StaleAnswer(question_id, old, version)
            if old == value:
                return old
            kept = self._kept_now()
            answers = with_answer(row.answers, question_id, value)
            db.execute(update(t.inspected_case).where(t.inspected_case.c.id == row.id).values(answers=answers))
            audit(db, inspection_id, who, "answer", case_id=case_id, item=question_id,
                   old=old, new=value, reason=reason)
            if kept is not None:        # in a unit of work: only this case's answers changed
                for lock in (False, True):
                    kept.pop(("case_row", inspection_id, case_id, lock), None)
                # the case as its locked row has it now: attributes and status fresh too
                kept[("case", name, case_id)] = (case_of(row, answers), row.status)
                self._keep_again(kept)
        log.debug("answer recorded")
        return old

    @guarded
    def finish_case(self, name: str, case_id: str, status: str, excluded: str, who: str) -> None:
        """Record a case's capture status and exclusion reason. Audited when they change."""
        with self._writing() as db:
            inspection_id = self._writable(db, name)
            row = self._case_row(db, inspection_id, case_id, lock=True)
            if (row.status, row.excluded) == (status, excluded):
                return
            db.execute(update(t.inspected_case).where(t.inspected_case.c.id == row.id)
                       .values(status=status, excluded=excluded))
            audit(db, inspection_id, who, "case", case_id=case_id, item="status",
                   old=row.status, new=status, reason=excluded and f"excluded: {excluded}")

    @guarded
    def record_decision(self, name: str, kind: str, standard: str, values: dict[str, Any], who: str,
                        reason: str) -> None:
        """Set a judgement, moderation or panel decision on a standard. Audited.

        Decisions on one inspection are made one at a time (PostgreSQL: the inspection's row is
        locked for update; SQLite: the write lock), so the audit's old value is always the
        value this change replaced, however many people decide at once.
        """
        table = {"judgement": t.judgement, "moderation": t.moderation, "panel": t.panel_decision}[kind]
        with self._writing() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            key = and_(table.c.inspection_id == inspection_id, table.c.standard == standard)
            old = db.execute(select(table).where(key)).mappings().one_or_none()
            if old is not None:
                db.execute(update(table).where(key).values(**values))
            else:
                db.execute(insert(table).values(inspection_id=inspection_id, standard=standard, **values))
            audit(db, inspection_id, who, kind, item=standard,
                   old=describe_values(dict(old)) if old else None, new=describe_values(values), reason=reason)

    @guarded
    def adopt_profile(self, name: str, snapshot: ProfileSnapshot, who: str, reason: str) -> None:
        """Rate the inspection with ``snapshot`` from now on. Audited; refused once signed off."""
        with self._writing() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            old = ProfileSnapshot.from_dict(self._inspection(db, name).profile_snapshot)
            db.execute(update(t.inspection).where(t.inspection.c.id == inspection_id)
                       .values(profile_snapshot=snapshot.to_dict()))
            audit(db, inspection_id, who, "profile", item=snapshot.source,
                   old=snapshot_line(old), new=snapshot_line(snapshot), reason=reason)

    # ----------------------------------------------------------------------------------
    # Undo and correction: every one audited with a reason, refused once signed off
    # ----------------------------------------------------------------------------------

    def _delete_case_row(self, db: Connection, inspection_id: int, row, who: str, action: str,
                         reason: str) -> None:
        """Delete a case and its answers; the audit keeps every deleted answer's value."""
        old = describe_values({"sample": row.sample, "status": row.status,
                               **{f"attribute {k}": v for k, v in sorted(row.attributes.items())},
                               **dict(sorted(row.answers.items()))})
        db.execute(delete(t.inspected_case).where(t.inspected_case.c.id == row.id))
        audit(db, inspection_id, who, action, case_id=row.case_id, item="case", old=old, reason=reason)

    @guarded
    def delete_case(self, name: str, case_id: str, who: str, reason: str) -> None:
        """Delete a case and its answers (audited with their values and a reason)."""
        if not reason.strip():
            raise InputError("deleting a case needs a reason (--reason)")
        with self._writing() as db:
            inspection_id = self._writable(db, name)
            row = self._case_row(db, inspection_id, case_id, lock=True)
            self._delete_case_row(db, inspection_id, row, who, "delete", reason)
        log.info("case deleted")

    @guarded
    def replace_cases(self, name: str, cases: list[Case], who: str, source: str,
                      in_progress: frozenset[str] = frozenset()) -> int:
        """Add validated cases, replacing those of the same id (each replacement audited with
        the old answers); all or nothing. Returns the number of cases replaced."""
        replaced = 0
        with self._writing() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            for case in cases:
                row = db.execute(select(t.inspected_case).where(and_(
                    t.inspected_case.c.inspection_id == inspection_id,
                    t.inspected_case.c.case_id == case.case_id))).first()
                if row is not None:
                    self._delete_case_row(db, inspection_id, row, who, "replace",
                                          f"replaced by an import from {source}")
                    replaced += 1
            self._insert_cases(db, inspection_id, cases, in_progress)
            audit(db, inspection_id, who, "import", new=f"{len(cases)} case(s), {replaced} replaced",
                  reason=source)
        log.info("cases imported", cases=len(cases), replaced=replaced)
        return replaced

    @guarded
    def set_attributes(self, name: str, case_id: str, attributes: dict[str, str], who: str,
                       reason: str = "", answers: dict[str, tuple[str, str]] | None = None) -> None:
        """Change a case's attributes and, in the same transaction, the ``answers`` that follow
        from them (question -> (value, reason); an empty value clears); each change audited."""
        with self._writing() as db:
            inspection_id = self._writable(db, name)
            row = self._case_row(db, inspection_id, case_id, lock=True)
            old = dict(row.attributes)
            new = {**old, **attributes}
            stored: dict[str, str] = dict(row.answers)
            changed: list[tuple[str, str, str, str]] = []
            for question_id, (value, why) in (answers or {}).items():
                was = stored.get(question_id, "")
                if was != value:
                    stored = with_answer(stored, question_id, value)
                    changed.append((question_id, was, value, why))
            if new != old or changed:
                db.execute(update(t.inspected_case).where(t.inspected_case.c.id == row.id)
                           .values(attributes=new, answers=stored))
            for key in sorted(attributes):
                if old.get(key) != new[key]:
                    audit(db, inspection_id, who, "attribute", case_id=case_id, item=key,
                          old=old.get(key), new=new[key], reason=reason)
            for question_id, was, value, why in changed:
                audit(db, inspection_id, who, "answer", case_id=case_id, item=question_id,
                      old=was, new=value, reason=why)

    @guarded
    def withdraw_decision(self, name: str, kind: str, standard: str, who: str, reason: str) -> None:
        """Withdraw a judgement, moderation or panel decision on a standard. Audited."""
        table = {"judgement": t.judgement, "moderation": t.moderation, "panel": t.panel_decision}[kind]
        with self._writing() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            key = and_(table.c.inspection_id == inspection_id, table.c.standard == standard)
            old = db.execute(select(table).where(key)).mappings().one_or_none()
            if old is None:
                raise InputError(f"inspection {name!r} has no {kind} on standard {standard}; "
                                 "nothing was withdrawn")
            db.execute(delete(table).where(key))
            audit(db, inspection_id, who, f"withdraw {kind}", item=standard,
                  old=describe_values(dict(old)), reason=reason)

    @guarded
    def edit_inspection(self, name: str, changes: dict[str, str], who: str, reason: str = "") -> list[str]:
        """Change the inspection's own facts (provider, fieldwork, notes); each change audited.
        Returns the fields that changed."""
        with self._writing() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            row = self._inspection(db, name)
            changed = [field for field, value in changes.items() if getattr(row, field) != value]
            if changed:
                db.execute(update(t.inspection).where(t.inspection.c.id == inspection_id)
                           .values({field: changes[field] for field in changed}))
            for field in changed:
                audit(db, inspection_id, who, "inspection", item=field, old=getattr(row, field),
                      new=changes[field], reason=reason)
        return changed
