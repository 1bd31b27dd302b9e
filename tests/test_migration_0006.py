"""Migration 0006 (the answer-to-case reference checked in one pass on PostgreSQL, issue 16)
upgrades a store of schema 0005 in place: the check's new function is in place and an answer
still needs its case; upgraded on to the current schema, the store reads exactly what the
release that wrote it read (tests/migration_fixture.py)."""

from __future__ import annotations

from hmip_inspect.core.store.database import open_store
from migration_fixture import an_answer_needs_its_case, reading, upgraded
from sqlalchemy import text


def test_a_0005_store_is_upgraded_in_place_and_keeps_its_rules(store_url, session):
    with upgraded(store_url, "0005", "0006") as (engine, expected):     # its version checked: 0006
        with engine.begin() as db:
            if engine.dialect.name == "postgresql":
                source = db.execute(text("SELECT prosrc FROM pg_proc WHERE proname = "
                                         "'hmip_answer_case_exists'")).scalar_one()
                assert "ANY (named)" in source
            case_pk = db.execute(text("SELECT max(case_pk) FROM answer")).scalar_one()
        an_answer_needs_its_case(engine, case_pk)
    store = open_store(store_url)
    try:
        assert reading(store, session) == expected
    finally:
        store.close()
