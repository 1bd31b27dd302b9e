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
from sqlalchemy import create_engine, select, true
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
        moved = sum(len(case.answers) for name in ("tv", "other") for case in store.cases(name))
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


#: Answers no catalogue question takes, but a free-text one could, and keys a plugin's could be:
#: what the JSON the migration builds must carry exactly.
ODD = {
    "q.quote": 'he said "no"',
    "q.backslash": "C:\\path\\x \\n is not a line break",
    "q.tab": "a\tb",
    "q.lines": "one\ntwo\r\nthree",
    "q.unicode": "é ✓ 😀 \u2028 \u2029 Ω",
    "q.json": '{"a": [1, 2]}',
    "q.number": "123",
    "q.true": "true",
    "q.null": "null",
    "q.escape": "\\u0041",
    "q.long": "x" * 100_000,
    'q.\\key"': "an odd key",
}


def test_odd_text_moves_into_the_case_exactly(store_url, session):
    """Quotes, backslashes, tabs, line breaks, characters beyond the BMP, text that looks like
    JSON or a JSON escape, and very long text: each answer reads back as it was, through the
    case and through the rating's aggregate (json_each / json_each_text)."""
    from hmip_inspect.core.store.records import answer_items
    store_at(store_url, "0006")
    odd = dict(ODD)
    if store_url.startswith("sqlite"):
        odd["q.nul"] = "before\x00after"      # PostgreSQL's text never held one
    engine = create_engine(store_url)
    try:
        with engine.begin() as db:
            pk = db.execute(text("SELECT id FROM inspected_case WHERE case_id = 'NEW-1'")).scalar_one()
            db.execute(text("INSERT INTO answer (case_pk, question_id, value) VALUES (:pk, :q, :v)"),
                       [{"pk": pk, "q": q, "v": v} for q, v in odd.items()])
    finally:
        engine.dispose()
    store = open_store(store_url)
    try:
        assert dict(store.case("other", "NEW-1")[0].answers) == odd
        with store.engine.begin() as db:
            items = answer_items(db)
            counted = dict(db.execute(select(items.c.key, items.c.value)
                                      .select_from(t.inspected_case.join(items, true()))
                                      .where(t.inspected_case.c.id == pk)).all())
        # SQLite's json_each ends a text at a NUL: only a free-text answer could hold one (case
        # files refuse it), and those are never counted; the case itself reads it whole (above)
        assert {q: v for q, v in counted.items() if q != "q.nul"} == ODD
    finally:
        store.close()
