"""Migration 0007 (answers kept with their case, issue 16) upgrades a store made by the release
before it (schema 0006, tests/data/store_0006.json.gz) in place: every answer moves into its
case's row, the answer table and its PostgreSQL triggers go, and the store reads exactly what
that release read (cases, audit, rating, quality assurance), then works as a new one does."""

from __future__ import annotations

from conftest import EXAMPLE
from hmip_inspect.core.store import schema as t
from hmip_inspect.core.store.database import open_store
from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
from migration_fixture import fixture, reading, store_at
from sqlalchemy import inspect as schema_of
from sqlalchemy import text


def test_a_0006_store_is_upgraded_in_place_and_reads_the_same(store_url, session):
    expected = store_at(store_url, "0006")
    answer_rows = len(fixture()["rows"]["answer"])
    store = open_store(store_url)
    try:
        with store.engine.begin() as db:
            assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == t.SCHEMA_VERSION
            tables = schema_of(db).get_table_names()
            assert "answer" not in tables
            assert "answers" in {c["name"] for c in schema_of(db).get_columns("inspected_case")}
            if store.dialect == "postgresql":
                assert db.execute(text("SELECT count(*) FROM pg_proc WHERE proname IN "
                                       "('hmip_answer_case_exists', 'hmip_case_without_answers')")).scalar_one() == 0
                assert db.execute(text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'case_answers_kept%'")
                                  ).scalar_one() == 0
        assert reading(store, session) == expected
        moved = sum(len(case["answers"]) for part in expected.values() for case in part["cases"])
        assert moved == answer_rows                     # every stored answer, none made up

        case = store.cases("tv")[0]
        flipped = "no" if case.answer("2.1.1") == "yes" else "yes"
        store.record_answer("tv", case.case_id, "2.1.1", flipped, "inspector")     # still writable
        assert store.case("tv", case.case_id)[0].answer("2.1.1") == flipped
        assert [(e.action, e.item, e.new) for e in store.audit_trail("tv")][-1] == ("answer", "2.1.1", flipped)
        store.delete_case("other", "NEW-1", "inspector", reason="started by mistake")
        assert "NEW-1" not in {c.case_id for c in store.cases("other")}
        import_folder(store, session, EXAMPLE, "third", "importer")     # a new inspection as ever
        assert Fieldwork(store, "third", session).rate()[2].to_dict() == \
            session.run("crc", EXAMPLE)[2].to_dict()
    finally:
        store.close()
