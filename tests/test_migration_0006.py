"""Migration 0006 (the answer-to-case reference checked in one pass on PostgreSQL, issue 16)
upgrades a store of schema 0005 in place: every read gives what it gave before, and an answer
still needs its case (the checks of tests/test_migration_0005.py run on every new store)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE
from hmip_inspect.core.store import database
from hmip_inspect.core.store import schema as t
from hmip_inspect.core.store.database import open_store
from hmip_inspect.core.store.fieldwork import import_folder
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from test_migration_0005 import _everything


def _migrate_to_0005(engine):
    from pathlib import Path

    from alembic import command
    from alembic.config import Config
    from hmip_inspect.core.store import engine as store_engine
    config = Config()
    config.set_main_option("script_location", str(Path(store_engine.__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")


@pytest.fixture
def store_0005(store_url, session, monkeypatch):
    """A store of schema 0005 holding two inspections, one with edits."""
    with monkeypatch.context() as patch:
        patch.setattr(t, "SCHEMA_VERSION", "0005")
        patch.setattr(database, "migrate", _migrate_to_0005)
        store = open_store(store_url, create=True)
        import_folder(store, session, EXAMPLE, "tv", "importer")
        import_folder(store, session, EXAMPLE, "other", "importer")
        first = store.cases("other")[0].case_id
        store.record_answer("other", first, "2.1.1", "no", "inspector", reason="second look")
        store.start_case("other", "NEW-1", "domain2", {"gender": "male"}, "inspector")
        before = _everything(store, session)
        store.close()
    return store_url, before


def test_a_0005_store_is_upgraded_in_place_and_keeps_its_rules(store_0005, session):
    store_url, before = store_0005
    store = open_store(store_url)
    try:
        with store.engine.begin() as db:
            assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0006"
            if store.dialect == "postgresql":
                source = db.execute(text("SELECT prosrc FROM pg_proc WHERE proname = "
                                         "'hmip_answer_case_exists'")).scalar_one()
                assert "ANY (named)" in source
        assert _everything(store, session) == before
        with store.engine.begin() as db:
            case_pk = db.execute(text("SELECT max(id) FROM inspected_case")).scalar_one()
        with pytest.raises(IntegrityError):        # an answer to no case, among good ones
            with store.engine.begin() as db:
                db.execute(text("INSERT INTO answer (case_pk, question_id, value) "
                                "VALUES (:pk, 'x.1', 'yes'), (:missing, 'x.2', 'yes')"),
                           {"pk": case_pk, "missing": case_pk + 1000})
        assert _everything(store, session) == before
        import_folder(store, session, EXAMPLE, "third", "importer")      # still writable
        assert len(store.cases("third")) == len(store.cases("tv"))
    finally:
        store.close()
