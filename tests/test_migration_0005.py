"""Migration 0005 (answers written in bulk, issue 16) upgrades a store of schema 0002 in place:
every read gives what it gave before, and an answer still needs its case."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE
from hmip_inspect.core.store import database
from hmip_inspect.core.store import schema as t
from hmip_inspect.core.store.database import open_store
from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError


def _migrate_to_0002(engine):
    from pathlib import Path

    from alembic import command
    from alembic.config import Config
    from hmip_inspect.core.store import engine as store_engine
    config = Config()
    config.set_main_option("script_location", str(Path(store_engine.__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")


def _everything(store, session):
    """What the store gives of its inspections: cases, statuses, audit, ratings, tallies."""
    out = {}
    for name in ("tv", "other"):
        out[name] = (store.cases_with_status(name),
                     [(e.action, e.case_id, e.item, e.old, e.new) for e in store.audit_trail(name)],
                     Fieldwork(store, name, session).rate()[2].to_dict() if name == "tv" else None,
                     store.load(name, with_cases=False).tallies if name == "tv" else None)
    return out


@pytest.fixture
def old_store(store_url, session, monkeypatch):
    """A store of schema 0002 holding two inspections, one with edits, written by this code
    with the migrations stopped at 0002."""
    with monkeypatch.context() as patch:
        patch.setattr(t, "SCHEMA_VERSION", "0002")
        patch.setattr(database, "migrate", _migrate_to_0002)
        store = open_store(store_url, create=True)
        with store.engine.begin() as db:
            assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
        import_folder(store, session, EXAMPLE, "tv", "importer")
        import_folder(store, session, EXAMPLE, "other", "importer")
        first = store.cases("other")[0].case_id
        store.record_answer("other", first, "2.1.1", "no", "inspector", reason="second look")
        store.start_case("other", "NEW-1", "domain2", {"gender": "male"}, "inspector")
        before = _everything(store, session)
        store.close()
    return store_url, before


def test_a_0002_store_is_upgraded_in_place_and_reads_the_same(old_store, session):
    store_url, before = old_store
    store = open_store(store_url)
    try:
        with store.engine.begin() as db:
            assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == t.SCHEMA_VERSION
            if store.dialect == "sqlite":
                sql = db.execute(text("SELECT sql FROM sqlite_master WHERE name = 'answer'")).scalar_one()
                assert "WITHOUT ROWID" in sql
            else:
                assert db.execute(text("SELECT count(*) FROM pg_constraint WHERE "
                                       "conrelid = 'answer'::regclass AND contype = 'f'")).scalar_one() == 0
        assert _everything(store, session) == before
        case = store.cases("tv")[0]
        flipped = "no" if case.answer("2.1.1") == "yes" else "yes"
        store.record_answer("tv", case.case_id, "2.1.1", flipped, "inspector")  # still writable
        assert store.case("tv", case.case_id)[0].answer("2.1.1") == flipped
        assert [e.action for e in store.audit_trail("tv")][-1] == "answer"
    finally:
        store.close()


def test_an_answer_still_needs_its_case(store, session):
    import_folder(store, session, EXAMPLE, "tv", "importer")
    case_pk = max(r for (r,) in _rows(store, "SELECT id FROM inspected_case"))
    with pytest.raises(IntegrityError):            # an answer to no case
        with store.engine.begin() as db:
            db.execute(text("INSERT INTO answer (case_pk, question_id, value) VALUES (:pk, 'x', 'yes')"),
                       {"pk": case_pk + 1000})
    with pytest.raises(IntegrityError):            # a case removed under its answers
        with store.engine.begin() as db:
            db.execute(text("DELETE FROM inspected_case WHERE id = :pk"), {"pk": case_pk})
    with pytest.raises(IntegrityError):            # an answer moved to no case
        with store.engine.begin() as db:
            db.execute(text("UPDATE answer SET case_pk = :to WHERE case_pk = :pk"),
                       {"pk": case_pk, "to": case_pk + 1000})
    if store.dialect == "postgresql":
        # every case at once, under their answers: the answer table's trigger refuses it
        with pytest.raises(IntegrityError):
            with store.engine.begin() as db:
                # with the tables that reference it by foreign key (the QA tables): PostgreSQL
                # refuses to truncate a referenced table alone, whatever it holds
                db.execute(text("TRUNCATE inspected_case, qa_case, second_answer, reconciled_answer"))
    with store.engine.begin() as db:               # a case without answers may go
        db.execute(text("DELETE FROM answer WHERE case_pk = :pk"), {"pk": case_pk})
        db.execute(text("DELETE FROM inspected_case WHERE id = :pk"), {"pk": case_pk})
    assert len(store.cases("tv")) == len(_rows(store, "SELECT id FROM inspected_case"))


def _rows(store, sql):
    with store.engine.begin() as db:
        return db.execute(text(sql)).all()
