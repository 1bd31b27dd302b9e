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

The store keeps only what passed validation (:mod:`..inspection.case_schema`); importing is all or nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from . import schema as t
from .answer_versions import FieldworkReads
from .engine import (
    DB_ENV,
    DEFAULT_DB,
    StoreError,
    database_url,
    describe,
    migrate,
    probe_postgresql,
    probe_sqlite,
    shown,
    sqlite_begin,
    sqlite_connect,
    sqlite_path,
)
from .pooling import StoreBulkReads
from .qa_records import QARecords
from .reads import StoreReads
from .records import (
    COMPLETE,
    IN_PROGRESS,
    AuditEntry,
    ProfileSnapshot,
    StoredSummary,
    guarded,
    now,
)
from .users import UserStore
from .writes import StoreWrites

log = structlog.get_logger(__name__)

__all__ = ["COMPLETE", "DB_ENV", "DEFAULT_DB", "IN_PROGRESS", "AuditEntry", "ProfileSnapshot", "Store",
           "StoreError", "StoredSummary", "database_url", "now", "open_store", "shown"]


class Store(StoreReads, StoreBulkReads, StoreWrites, QARecords, UserStore, FieldworkReads):
    """An open store. Use :func:`open_store`; every method is one transaction, or joins the
    thread's unit of work (:meth:`.base.StoreBase.unit`) when one is open.

    Close it (or use it as a context manager) when done: closing a SQLite store checkpoints
    its write-ahead log into the main file, so the ``.sqlite`` file alone holds everything.
    """

    def __init__(self, url: str | None = None, *, create: bool = False, pool_size: int | None = None) -> None:
        self.url = database_url(url)
        self.pool_size = pool_size
        self.path = sqlite_path(self.url)
        self.dialect = "sqlite" if self.url.startswith("sqlite") else "postgresql"
        self._units = threading.local()
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
        """``pool_size``: connections kept open (a server that runs that many request threads
        never has one wait for a connection), and a quarter more for a moment's need; None:
        SQLAlchemy's defaults. PostgreSQL's settings are the server's: ``synchronous_commit``
        stays on (no durability traded for speed)."""
        pool = {"pool_size": self.pool_size, "max_overflow": self.pool_size // 4} if self.pool_size else {}
        if self.dialect == "sqlite":
            return {"connect_args": {"timeout": 60}, **pool}
        return {"pool_pre_ping": True, **pool}

    def close(self) -> None:
        """Close every connection; on SQLite the last one out checkpoints the write-ahead log
        into the main file and removes it."""
        if self.dialect == "sqlite":
            raw = self.engine.raw_connection()   # outside any transaction: a checkpoint needs that
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
            except sqlite3.Error:  # busy or read-only: the last connection to close checkpoints
                log.debug("checkpoint at close skipped", exc_info=True)
            finally:
                raw.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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


def open_store(url: str | None = None, *, create: bool = False, pool_size: int | None = None) -> Store:
    """Open the store at ``url``, ``$HMIP_DB`` or ``inspections.sqlite``, migrating an older one.

    Only ``create=True`` (``inspect init`` and ``inspect import``) makes a new store where
    there is none; otherwise a missing store is an error and nothing is created.
    """
    try:
        return Store(url, create=create, pool_size=pool_size)
    except SQLAlchemyError as exc:
        raise StoreError(describe(exc, database_url(url))) from exc
    except ModuleNotFoundError as exc:
        raise StoreError(f"the store needs the {exc.name!r} package: install hmip-inspect[postgresql] "
                         "for PostgreSQL") from exc
