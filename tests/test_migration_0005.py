"""Migration 0005 (answers written in bulk, issue 16) upgrades a store of schema 0002 in place:
at 0005 the answer table is clustered (SQLite) or checked per statement (PostgreSQL) and an
answer still needs its case; upgraded on to the current schema, the store reads exactly what
the release that wrote it read (tests/migration_fixture.py)."""

from __future__ import annotations

from hmip_inspect.core.store import schema as t
from hmip_inspect.core.store.database import open_store
from migration_fixture import an_answer_needs_its_case, reading, upgraded, without_qa
from sqlalchemy import text


def test_a_0002_store_is_upgraded_in_place_and_reads_the_same(store_url, session):
    with upgraded(store_url, "0002", "0005") as (engine, expected):
        with engine.begin() as db:
            if engine.dialect.name == "sqlite":
                sql = db.execute(text("SELECT sql FROM sqlite_master WHERE name = 'answer'")).scalar_one()
                assert "WITHOUT ROWID" in sql
            else:
                assert db.execute(text("SELECT count(*) FROM pg_constraint WHERE "
                                       "conrelid = 'answer'::regclass AND contype = 'f'")).scalar_one() == 0
            case_pk, answers = db.execute(text("SELECT max(case_pk), count(*) FROM answer")).one()
        an_answer_needs_its_case(engine, case_pk)
        with engine.begin() as db:
            assert db.execute(text("SELECT count(*) FROM answer")).scalar_one() == answers
    store = open_store(store_url)
    try:
        with store.engine.begin() as db:
            assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == t.SCHEMA_VERSION
        assert reading(store, session, qa=False) == without_qa(expected)
    finally:
        store.close()
