"""The inspection store: inspections, cases, answers and decisions in SQLite or PostgreSQL.

One interface over both databases (SQLAlchemy Core), the same schema, created and changed by
versioned migrations (Alembic, ``migrations/``) when a store is opened. SQLite is the
embedded default (a file); ``--db postgresql://user@host/db`` or ``HMIP_DB`` selects a
PostgreSQL server for a team.

Several processes may write to one inspection at once and nothing is lost: on SQLite every
transaction takes the write lock when it begins (``BEGIN IMMEDIATE``, with a busy timeout),
on PostgreSQL an edit locks its case's row, so reading the old value and writing the new one
(and its audit record) happen as one step. Every change is audited (who, when, old, new,
reason) in an append-only table. A signed-off inspection is locked: edits are refused until
it is unlocked, with a reason, which is itself audited.

The store keeps only what passed validation (:mod:`.cases`); importing is all or nothing.
"""

from __future__ import annotations

import functools
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

import structlog
from sqlalchemy import (
    Connection, and_, create_engine, delete, event, func, insert, select, update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from . import store_schema as t
from .cases import Case
from .errors import InputError, Problem
from .inspection import Inspection, InspectionInfo
from .judgements import Finding, Judgement, Judgements, Moderation, PanelDecision, Recommendation
from .standards import Rating
from .store_engine import (
    DB_ENV, DEFAULT_DB, StoreError, database_url, describe, migrate, probe_postgresql, probe_sqlite,
    shown, sqlite_begin, sqlite_connect, sqlite_path,
)
from .tally import Tallies

log = structlog.get_logger(__name__)

__all__ = ["DB_ENV", "DEFAULT_DB", "Store", "StoreError", "open_store", "database_url", "shown"]

COMPLETE, IN_PROGRESS = "complete", "in-progress"
F = TypeVar("F", bound=Callable[..., Any])


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def guarded(method: F) -> F:
    """Turn a database error inside a store method into one line (:func:`.store_engine.describe`)."""
    @functools.wraps(method)
    def wrapper(self: "Store", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise StoreError(describe(exc, self.url)) from exc
    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class AuditEntry:
    at: str
    who: str
    action: str
    case_id: str | None
    item: str | None
    old: str | None
    new: str | None
    reason: str


@dataclass(frozen=True)
class StoredSummary:
    name: str
    provider: str
    profile: str
    locked: bool
    cases: int


@dataclass(frozen=True)
class ProfileSnapshot:
    """The profile an inspection is rated with, as recorded when it was imported."""

    toml: str                      #: the resolved profile (after ``extends``), as TOML
    edition: str
    plugins: dict[str, str]        #: plugin -> version, for every plugin contributing a standard
    recorded_at: str = ""
    source: str = ""               #: the profile's name or path when it was recorded

    def to_dict(self) -> dict[str, Any]:
        return {"toml": self.toml, "edition": self.edition, "plugins": dict(self.plugins),
                "recorded_at": self.recorded_at, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "ProfileSnapshot | None":
        if not data:
            return None
        return cls(data["toml"], data["edition"], dict(data.get("plugins", {})),
                   data.get("recorded_at", ""), data.get("source", ""))


class Store:
    """An open store. Use :func:`open_store`; every method is one transaction.

    Close it (or use it as a context manager) when done: closing a SQLite store checkpoints
    its write-ahead log into the main file, so the ``.sqlite`` file alone holds everything.
    """

    def __init__(self, url: str | None = None, *, create: bool = False) -> None:
        self.url = database_url(url)
        self.path = sqlite_path(self.url)
        self.dialect = "sqlite" if self.url.startswith("sqlite") else "postgresql"
        version = probe_sqlite(self.path, create=create) if self.path is not None else None
        self.engine = create_engine(self.url, **self._engine_options())
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", sqlite_connect)
            event.listen(self.engine, "begin", sqlite_begin)
        try:
            if self.dialect == "postgresql":
                with self.engine.connect() as connection:
                    version = probe_postgresql(connection, shown(self.url), create=create)
            if version != t.SCHEMA_VERSION:
                migrate(self.engine)
                log.info("store migrated", version=t.SCHEMA_VERSION, was=version)
        except BaseException:
            self.engine.dispose()
            raise

    def _engine_options(self) -> dict[str, Any]:
        if self.dialect == "sqlite":
            return {"connect_args": {"timeout": 60}}
        return {"pool_pre_ping": True}

    def close(self) -> None:
        """Close every connection; on SQLite the last one out checkpoints the write-ahead log
        into the main file and removes it."""
        if self.dialect == "sqlite":
            raw = self.engine.raw_connection()   # outside any transaction: a checkpoint needs that
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:  # busy or read-only: the last connection to close checkpoints
                log.debug("checkpoint at close skipped", exc_info=True)
            finally:
                raw.close()
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A transaction that only reads (on SQLite it takes no write lock)."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(read_only=True)
            with connection.begin():
                yield connection

    @guarded
    def backup(self, target: Path) -> None:
        """Copy a SQLite store to ``target`` with SQLite's online backup API (a consistent copy
        even while others write); the copy is one self-contained file."""
        if self.path is None:
            raise StoreError(f"{shown(self.url)} is a PostgreSQL store: back it up with pg_dump "
                             "(see the README)")
        source = sqlite3.connect(self.path, timeout=60)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            [(check,)] = copy.execute("PRAGMA quick_check").fetchall()
            if check != "ok":
                raise StoreError(f"the backup of {shown(self.url)} failed its integrity check: {check}")
        finally:
            copy.close()
            source.close()

    # ----------------------------------------------------------------------------------
    # Reading
    # ----------------------------------------------------------------------------------

    @guarded
    def inspections(self) -> list[StoredSummary]:
        counts = (select(t.inspected_case.c.inspection_id, func.count().label("n"))
                  .group_by(t.inspected_case.c.inspection_id).subquery())
        query = (select(t.inspection, func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.inspection_id == t.inspection.c.id)
                 .order_by(t.inspection.c.name))
        with self._reading() as db:
            return [StoredSummary(r.name, r.provider, r.profile, r.locked, r[-1])
                    for r in db.execute(query)]

    @guarded
    def info(self, name: str) -> InspectionInfo:
        with self._reading() as db:
            return _info(self._inspection(db, name))

    @guarded
    def case_ids(self, name: str) -> dict[str, str]:
        """Case id -> sample, for every case of the inspection."""
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            rows = db.execute(select(t.inspected_case.c.case_id, t.inspected_case.c.sample)
                              .where(t.inspected_case.c.inspection_id == inspection_id))
            return {row.case_id: row.sample for row in rows}

    @guarded
    def case(self, name: str, case_id: str) -> tuple[Case, str]:
        """One case with its answers, and its capture status."""
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            row = self._case_row(db, inspection_id, case_id)
            answers = dict(db.execute(select(t.answer.c.question_id, t.answer.c.value)
                                      .where(t.answer.c.case_pk == row.id)).all())
        return _case(row, answers), row.status

    @guarded
    def cases(self, name: str) -> list[Case]:
        """Every case of the inspection with its answers, in the order they were added."""
        with self._reading() as db:
            return list(self._cases(db, self._inspection(db, name).id))

    @guarded
    def unfinished(self, name: str) -> dict[str, str]:
        """Case id -> sample, for the cases still being captured."""
        c = t.inspected_case
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            return dict(db.execute(select(c.c.case_id, c.c.sample).where(
                c.c.inspection_id == inspection_id, c.c.status != COMPLETE).order_by(c.c.case_id)).all())

    @guarded
    def load(self, name: str, *, with_cases: bool = True) -> Inspection:
        """The inspection, ready to rate: its judgements, answer counts and (optionally) cases.

        Answer counts are aggregated by the database. Cases still being captured are
        refused, each named, since the rating needs every summary judgement.
        """
        with self._reading() as db:
            row = self._inspection(db, name)
            [inspection] = self._ready(db, {row.id: row}).values()
            if with_cases:
                inspection = replace(inspection, cases=tuple(self._cases(db, row.id)), left_out=None)
        return inspection

    @guarded
    def load_all(self, names: Iterable[str] | None = None) -> dict[str, Inspection]:
        """Every inspection (or those named), ready to rate, without their cases: the answer
        counts of all of them come from one aggregate query. Cases in progress are refused."""
        wanted = set(names) if names is not None else None
        with self._reading() as db:
            rows = {row.id: row for row in db.execute(select(t.inspection))
                    if wanted is None or row.name in wanted}
            return self._ready(db, rows)

    def _ready(self, db: Connection, rows: dict[int, Any]) -> dict[str, Inspection]:
        """The inspections of ``rows`` (id -> inspection row) ready to rate, without cases:
        judgements, answer counts aggregated in one query, excluded cases."""
        c, a = t.inspected_case, t.answer
        mine = c.c.inspection_id.in_(list(rows))
        unfinished: dict[int, list[str]] = {}
        for inspection_id, case_id in db.execute(select(c.c.inspection_id, c.c.case_id)
                                                 .where(mine, c.c.status != COMPLETE)):
            unfinished.setdefault(inspection_id, []).append(case_id)
        if unfinished:
            raise InputError([Problem(f"inspection {rows[pk].name!r}",
                                      f"case(s) {', '.join(sorted(ids))} are still being captured "
                                      "(finish them with 'inspect case edit')")
                              for pk, ids in sorted(unfinished.items())],
                             summary="cannot be rated yet")
        counts: dict[int, list] = {}
        for inspection_id, question_id, value, number in db.execute(
                select(c.c.inspection_id, a.c.question_id, a.c.value, func.count())
                .join(c, c.c.id == a.c.case_pk).where(mine, c.c.excluded == "")
                .group_by(c.c.inspection_id, a.c.question_id, a.c.value)):
            counts.setdefault(inspection_id, []).append((question_id, value, number))
        samples: dict[int, dict[str, int]] = {}
        for inspection_id, sample, number in db.execute(
                select(c.c.inspection_id, c.c.sample, func.count()).where(mine, c.c.excluded == "")
                .group_by(c.c.inspection_id, c.c.sample)):
            samples.setdefault(inspection_id, {})[sample] = number
        left_out: dict[int, list[Case]] = {}
        for row in db.execute(select(c).where(mine, c.c.excluded != "").order_by(c.c.id)):
            left_out.setdefault(row.inspection_id, []).append(_case(row, {}))
        return {row.name: Inspection(None, _info(row), (), self._judgements(db, pk),
                                     counts=Tallies.from_rows(counts.get(pk, []), samples.get(pk, {})),
                                     left_out=tuple(left_out.get(pk, ())))
                for pk, row in rows.items()}

    def _cases(self, db: Connection, inspection_id: int) -> Iterator[Case]:
        c, a = t.inspected_case, t.answer
        answers: dict[int, dict[str, str]] = {}
        for case_pk, question_id, value in db.execute(
                select(a.c.case_pk, a.c.question_id, a.c.value).join(c, c.c.id == a.c.case_pk)
                .where(c.c.inspection_id == inspection_id)):
            answers.setdefault(case_pk, {})[question_id] = value
        for row in db.execute(select(c).where(c.c.inspection_id == inspection_id).order_by(c.c.id)):
            yield _case(row, answers.get(row.id, {}))

    @guarded
    def load_judgements(self, name: str) -> Judgements:
        """The inspection's judgements, moderations and panel decisions."""
        with self._reading() as db:
            return self._judgements(db, self._inspection(db, name).id)

    def _judgements(self, db: Connection, inspection_id: int) -> Judgements:
        where = "judgements (store)"
        return Judgements(
            tuple(Judgement(r.standard, Rating.from_label(r.rating), r.evidence, where)
                  for r in db.execute(select(t.judgement).where(t.judgement.c.inspection_id == inspection_id)
                                      .order_by(t.judgement.c.standard))),
            tuple(Moderation(r.standard, r.direction, r.rationale, r.ratified, f"moderation of {r.standard}")
                  for r in db.execute(select(t.moderation).where(t.moderation.c.inspection_id == inspection_id)
                                      .order_by(t.moderation.c.standard))),
            tuple(PanelDecision(r.standard, r.direction, r.rationale, f"panel decision on {r.standard}")
                  for r in db.execute(select(t.panel_decision)
                                      .where(t.panel_decision.c.inspection_id == inspection_id)
                                      .order_by(t.panel_decision.c.standard))),
            *_narrative(db.execute(select(t.inspection.c.details)
                                   .where(t.inspection.c.id == inspection_id)).scalar()),
        )

    @guarded
    def audit_trail(self, name: str, case_id: str | None = None) -> list[AuditEntry]:
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            query = select(t.audit).where(t.audit.c.inspection_id == inspection_id)
            if case_id is not None:
                query = query.where(t.audit.c.case_id == case_id)
            return [AuditEntry(r.at, r.who, r.action, r.case_id, r.item, r.old, r.new, r.reason)
                    for r in db.execute(query.order_by(t.audit.c.id))]

    # ----------------------------------------------------------------------------------
    # Writing
    # ----------------------------------------------------------------------------------

    @guarded
    def create(self, name: str, info: InspectionInfo, cases: list[Case], judgements: Judgements,
               who: str, source: str, snapshot: ProfileSnapshot | None = None) -> None:
        """Create an inspection with its (validated) cases and judgements, all or nothing,
        keeping ``snapshot``: the profile it is to be rated with."""
        try:
            with self.engine.begin() as db:
                inspection_id = db.execute(insert(t.inspection).values(
                    name=name, provider=info.provider, profile=info.profile, synthetic=info.synthetic,
                    fieldwork=info.fieldwork, notes=info.notes, locked=False, created_at=now(),
                    details={"comparators": [c.to_dict() for c in info.comparators],
                             **_narrative_details(judgements)},
                    profile_snapshot=snapshot.to_dict() if snapshot is not None else None,
                )).inserted_primary_key[0]
                self._insert_cases(db, inspection_id, cases)
                for j in judgements.judgements:
                    db.execute(insert(t.judgement).values(inspection_id=inspection_id, standard=j.standard,
                                                          rating=j.rating.label, evidence=j.evidence))
                for m in judgements.moderations:
                    db.execute(insert(t.moderation).values(
                        inspection_id=inspection_id, standard=m.standard, direction=m.direction,
                        rationale=m.rationale, ratified=m.ratified))
                for p in judgements.panel:
                    db.execute(insert(t.panel_decision).values(
                        inspection_id=inspection_id, standard=p.standard, direction=p.direction,
                        rationale=p.rationale))
                _audit(db, inspection_id, who, "import", new=f"{len(cases)} case(s)", reason=source)
        except IntegrityError as exc:
            if self._exists(name):
                raise InputError(f"inspection {name!r} already exists in {shown(self.url)}; "
                                 "import further case files into it with --into") from exc
            raise
        log.info("inspection imported", cases=len(cases))

    @guarded
    def add_cases(self, name: str, cases: list[Case], who: str, source: str) -> None:
        """Add validated cases to an inspection, all or nothing (refused once signed off)."""
        try:
            with self.engine.begin() as db:
                inspection_id = self._writable(db, name)
                self._insert_cases(db, inspection_id, cases)
                _audit(db, inspection_id, who, "import", new=f"{len(cases)} case(s)", reason=source)
        except IntegrityError as exc:
            raise InputError(f"inspection {name!r}: a case id is already in the store "
                             "(another process added it meanwhile); nothing was imported") from exc
        log.info("cases imported", cases=len(cases))

    def _insert_cases(self, db: Connection, inspection_id: int, cases: list[Case]) -> None:
        if not cases:
            return
        first = db.execute(select(func.coalesce(func.max(t.inspected_case.c.id), 0))).scalar_one()
        rows = [dict(inspection_id=inspection_id, case_id=case.case_id, sample=case.sample,
                     attributes=dict(case.attributes), status=COMPLETE, excluded=case.excluded)
                for case in cases]
        db.execute(insert(t.inspected_case), rows)
        ids = dict(db.execute(select(t.inspected_case.c.case_id, t.inspected_case.c.id).where(and_(
            t.inspected_case.c.inspection_id == inspection_id, t.inspected_case.c.id > first))).all())
        answers = [dict(case_pk=ids[case.case_id], question_id=qid, value=value)
                   for case in cases for qid, value in case.answers.items()]
        if answers:
            db.execute(insert(t.answer), answers)

    @guarded
    def start_case(self, name: str, case_id: str, sample: str, attributes: dict[str, str],
                   who: str) -> None:
        """A new case being captured (status in-progress)."""
        try:
            with self.engine.begin() as db:
                inspection_id = self._writable(db, name)
                db.execute(insert(t.inspected_case).values(
                    inspection_id=inspection_id, case_id=case_id, sample=sample,
                    attributes=dict(attributes), status=IN_PROGRESS, excluded=""))
                _audit(db, inspection_id, who, "case", case_id=case_id, item="sample", new=sample,
                       reason="case added")
        except IntegrityError as exc:
            raise InputError(f"case {case_id!r} already exists in inspection {name!r}; "
                             "use 'inspect case edit'") from exc

    @guarded
    def record_answer(self, name: str, case_id: str, question_id: str, value: str, who: str,
                      reason: str = "") -> str:
        """Set (or, with an empty value, clear) one answer; return the old value. Audited."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name)
            row = self._case_row(db, inspection_id, case_id, lock=True)
            key = and_(t.answer.c.case_pk == row.id, t.answer.c.question_id == question_id)
            old = db.execute(select(t.answer.c.value).where(key)).scalar_one_or_none() or ""
            if old == value:
                return old
            if old:
                db.execute(delete(t.answer).where(key))
            if value:
                db.execute(insert(t.answer).values(case_pk=row.id, question_id=question_id, value=value))
            _audit(db, inspection_id, who, "answer", case_id=case_id, item=question_id,
                   old=old, new=value, reason=reason)
        log.debug("answer recorded")
        return old

    @guarded
    def finish_case(self, name: str, case_id: str, status: str, excluded: str, who: str) -> None:
        """Record a case's capture status and exclusion reason. Audited when they change."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name)
            row = self._case_row(db, inspection_id, case_id, lock=True)
            if (row.status, row.excluded) == (status, excluded):
                return
            db.execute(update(t.inspected_case).where(t.inspected_case.c.id == row.id)
                       .values(status=status, excluded=excluded))
            _audit(db, inspection_id, who, "case", case_id=case_id, item="status",
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
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            key = and_(table.c.inspection_id == inspection_id, table.c.standard == standard)
            old = db.execute(select(table).where(key)).mappings().one_or_none()
            if old is not None:
                db.execute(update(table).where(key).values(**values))
            else:
                db.execute(insert(table).values(inspection_id=inspection_id, standard=standard, **values))
            _audit(db, inspection_id, who, kind, item=standard,
                   old=_describe(dict(old)) if old else None, new=_describe(values), reason=reason)

    @guarded
    def ensure_writable(self, name: str) -> None:
        """Refuse, before any work, when the inspection is signed off (and say by whom)."""
        with self._reading() as db:
            self._writable(db, name, lock=False)

    @guarded
    def version(self, name: str) -> int:
        """A number that grows with every change to the inspection (its newest audit entry)."""
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            return db.execute(select(func.coalesce(func.max(t.audit.c.id), 0))
                              .where(t.audit.c.inspection_id == inspection_id)).scalar_one()

    @guarded
    def sign_off(self, name: str, who: str, reason: str = "", *, checked_at: int | None = None) -> None:
        """Lock the inspection. ``checked_at`` is :meth:`version` when its readiness was
        checked: a change made since then refuses the sign-off (check again)."""
        with self.engine.begin() as db:
            row = self._inspection(db, name, lock=True)
            if row.locked:
                raise InputError(f"inspection {name!r} is already signed off")
            if checked_at is not None:
                latest = db.execute(select(func.coalesce(func.max(t.audit.c.id), 0))
                                    .where(t.audit.c.inspection_id == row.id)).scalar_one()
                if latest != checked_at:
                    raise InputError(f"inspection {name!r} changed while it was being checked for "
                                     "sign-off; nothing was signed off: sign off again")
            _audit(db, row.id, who, "sign-off", old="open", new="locked", reason=reason)
            db.execute(update(t.inspection).where(t.inspection.c.id == row.id).values(locked=True))

    @guarded
    def unlock(self, name: str, who: str, reason: str) -> None:
        if not reason.strip():
            raise InputError("unlocking a signed-off inspection needs a reason (--reason)")
        with self.engine.begin() as db:
            row = self._inspection(db, name, lock=True)
            if not row.locked:
                raise InputError(f"inspection {name!r} is not signed off")
            _audit(db, row.id, who, "unlock", old="locked", new="open", reason=reason)
            db.execute(update(t.inspection).where(t.inspection.c.id == row.id).values(locked=False))

    @guarded
    def snapshot(self, name: str) -> ProfileSnapshot | None:
        """The profile the inspection is rated with (None: imported before snapshots were kept)."""
        with self._reading() as db:
            return ProfileSnapshot.from_dict(self._inspection(db, name).profile_snapshot)

    @guarded
    def adopt_profile(self, name: str, snapshot: ProfileSnapshot, who: str, reason: str) -> None:
        """Rate the inspection with ``snapshot`` from now on. Audited; refused once signed off."""
        with self.engine.begin() as db:
            inspection_id = self._writable(db, name, exclusive=True)
            old = ProfileSnapshot.from_dict(self._inspection(db, name).profile_snapshot)
            db.execute(update(t.inspection).where(t.inspection.c.id == inspection_id)
                       .values(profile_snapshot=snapshot.to_dict()))
            _audit(db, inspection_id, who, "profile", item=snapshot.source,
                   old=_snapshot_line(old), new=_snapshot_line(snapshot), reason=reason)

    # ----------------------------------------------------------------------------------

    def _exists(self, name: str) -> bool:
        with self._reading() as db:
            return db.execute(select(t.inspection.c.id).where(t.inspection.c.name == name)).first() is not None

    def _inspection(self, db: Connection, name: str, *, lock: bool = False):
        query = select(t.inspection).where(t.inspection.c.name == name)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = db.execute(query).first()
        if row is None:
            known = db.execute(select(t.inspection.c.name).order_by(t.inspection.c.name)).scalars().all()
            raise InputError(f"no inspection {name!r} in {shown(self.url)}; "
                             f"it holds: {', '.join(known) or 'none'}")
        return row

    def _writable(self, db: Connection, name: str, *, exclusive: bool = False, lock: bool = True) -> int:
        """The inspection's id, refusing an edit once it is signed off. On PostgreSQL its row is
        locked for share (edits of different cases go on together; sign-off waits for them),
        or for update where the change is to the inspection itself (``exclusive``)."""
        query = select(t.inspection).where(t.inspection.c.name == name)
        if self.dialect == "postgresql" and lock:
            query = query.with_for_update(read=not exclusive)
        row = db.execute(query).first() or self._inspection(db, name)
        if row.locked:
            signed = db.execute(select(t.audit.c.who, t.audit.c.at).where(and_(
                t.audit.c.inspection_id == row.id, t.audit.c.action == "sign-off"))
                .order_by(t.audit.c.id.desc())).first()
            by = f" by {signed.who} at {signed.at}" if signed else ""
            raise InputError(f"inspection {name!r} was signed off{by} and is locked; "
                             "'inspect unlock' it with a reason before editing")
        return row.id

    def _case_row(self, db: Connection, inspection_id: int, case_id: str, *, lock: bool = False):
        query = select(t.inspected_case).where(and_(t.inspected_case.c.inspection_id == inspection_id,
                                                    t.inspected_case.c.case_id == case_id))
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = db.execute(query).first()
        if row is None:
            raise InputError(f"no case {case_id!r} in this inspection")
        return row


def open_store(url: str | None = None, *, create: bool = False) -> Store:
    """Open the store at ``url``, ``$HMIP_DB`` or ``inspections.sqlite``, migrating an older one.

    Only ``create=True`` (``inspect init`` and ``inspect import``) makes a new store where
    there is none; otherwise a missing store is an error and nothing is created.
    """
    try:
        return Store(url, create=create)
    except SQLAlchemyError as exc:
        raise StoreError(describe(exc, database_url(url))) from exc
    except ModuleNotFoundError as exc:
        raise StoreError(f"the store needs the {exc.name!r} package: install hmip-inspect[postgresql] "
                         "for PostgreSQL") from exc


def _info(row) -> InspectionInfo:
    from .comparators import Comparator
    comparators = tuple(Comparator.from_dict(c) for c in (row.details or {}).get("comparators", ()))
    return InspectionInfo(row.provider, row.profile, row.synthetic, row.fieldwork, row.notes,
                          comparators)


def _case(row, answers: dict[str, str]) -> Case:
    from types import MappingProxyType
    return Case(row.case_id, row.sample, MappingProxyType(dict(row.attributes)),
                MappingProxyType(answers), source=f"store case {row.case_id}", excluded=row.excluded)


def _describe(values: dict) -> str:
    return "; ".join(f"{key}={value}" for key, value in values.items()
                     if key not in ("inspection_id", "standard"))


def _snapshot_line(snapshot: ProfileSnapshot | None) -> str | None:
    """A profile snapshot in one line for the audit: its source, edition, digest and plugins."""
    if snapshot is None:
        return None
    import hashlib
    digest = hashlib.sha256(snapshot.toml.encode("utf-8")).hexdigest()[:12]
    plugins = ", ".join(f"{name} {version}" for name, version in sorted(snapshot.plugins.items()))
    return f"{snapshot.source} ({snapshot.edition} edition, sha256 {digest}; plugins {plugins})"


def _audit(db: Connection, inspection_id: int, who: str, action: str, *, case_id: str | None = None,
           item: str | None = None, old: str | None = None, new: str | None = None,
           reason: str = "") -> None:
    db.execute(insert(t.audit).values(inspection_id=inspection_id, at=now(), who=who, action=action,
                                      case_id=case_id, item=item, old=old, new=new, reason=reason))


def _narrative_details(judgements: Judgements) -> dict:
    """The report's findings and recommendations, kept in the inspection's details."""
    if not (judgements.findings or judgements.recommendations):
        return {}
    return {"narrative": {
        "findings": [{"text": f.text, "kind": f.kind, "domain": f.domain} for f in judgements.findings],
        "recommendations": [{"text": r.text, "domain": r.domain} for r in judgements.recommendations]}}


def _narrative(details: dict | None) -> tuple[tuple[Finding, ...], tuple[Recommendation, ...]]:
    narrative = (details or {}).get("narrative", {})
    return (tuple(Finding(f["text"], f.get("kind", "strength"), f.get("domain"), "finding (store)")
                  for f in narrative.get("findings", ())),
            tuple(Recommendation(r["text"], r.get("domain"), "recommendation (store)")
                  for r in narrative.get("recommendations", ())))
