"""Migration 0005 (answers written in bulk, issue 16) upgrades a store of schema 0002 in place:
at 0005 the answer table is clustered (SQLite) or checked per statement (PostgreSQL) and an
answer still needs its case; upgraded on to the current schema, the store reads exactly what
the release that wrote it read (tests/migration_fixture.py)."""

from __future__ import annotations

import pytest
from hmip_inspect.core.store import schema as t
from hmip_inspect.core.store.database import open_store
from migration_fixture import migrate, reading, store_at, without_qa
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError


def test_a_0002_store_is_upgraded_in_place_and_reads_the_same(store_url, session):
    expected = store_at(store_url, "0002")
    engine = create_engine(store_url)
    try:
        migrate(engine, "0005")
        with engine.begin() as db:
            if engine.dialect.name == "sqlite":
                sql = db.execute(text("SELECT sql FROM sqlite_master WHERE name = 'answer'")).scalar_one()
                assert "WITHOUT ROWID" in sql
            else:
                assert db.execute(text("SELECT count(*) FROM pg_constraint WHERE "
                                       "conrelid = 'answer'::regclass AND contype = 'f'")).scalar_one() == 0
            case_pk, answers = db.execute(text("SELECT max(case_pk), count(*) FROM answer")).one()
        _an_answer_needs_its_case(engine, case_pk)
        with engine.begin() as db:
            assert db.execute(text("SELECT count(*) FROM answer")).scalar_one() == answers
    finally:
        engine.dispose()
    store = open_store(store_url)
    try:
        with store.engine.begin() as db:
            assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == t.SCHEMA_VERSION
        assert reading(store, session, qa=False) == without_qa(expected)
    finally:
        store.close()


def _an_answer_needs_its_case(engine, case_pk: int) -> None:
    """At schema 0005 and 0006: an answer refused without its case, a case refused removal
    under its answers (each refusal rolls back)."""
    with pytest.raises(IntegrityError):             # an answer to no case, among good ones
        with engine.begin() as db:
            _fks(db)
            db.execute(text("INSERT INTO answer (case_pk, question_id, value) "
                            "VALUES (:pk, 'x.1', 'yes'), (:missing, 'x.2', 'yes')"),
                       {"pk": case_pk, "missing": case_pk + 1000})
    with pytest.raises(IntegrityError):             # a case removed under its answers
        with engine.begin() as db:
            _fks(db)
            db.execute(text("DELETE FROM inspected_case WHERE id = :pk"), {"pk": case_pk})


def _fks(db) -> None:
    """SQLite checks foreign keys where the connection asks (the store's always do); before
    the first statement of the transaction (pysqlite begins at the first write)."""
    if db.dialect.name == "sqlite":
        db.exec_driver_sql("PRAGMA foreign_keys=ON")
