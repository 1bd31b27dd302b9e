"""Stores as an older release left them, for the migration tests: the rows of
``tests/data/store_0006.json.gz`` (written by the release of schema 0006 with
``tools/make_store_fixture.py``) loaded into a database brought to an older revision, so a test
can upgrade it in place and compare what the store reads with what that release read.

Each migration test starts from the same rows: the tables a revision has are filled from them
(``inspection``, ``inspected_case`` and ``answer`` have had the same columns from 0001 to 0006;
the quality-assurance tables exist from 0004).
"""

from __future__ import annotations

import gzip
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, MetaData, create_engine, insert, text

FIXTURE = Path(__file__).with_name("data") / "store_0006.json.gz"
#: The tables the fixture keeps, each after those it refers to (on PostgreSQL from 0005 the
#: answers' reference to their case is a trigger, which reflection does not see).
TABLES = ("inspection", "inspected_case", "answer", "judgement", "moderation", "panel_decision",
          "qa_draw", "qa_case", "second_answer", "reconciled_answer", "audit")
#: The tables only the quality-assurance revisions (0004 on) have.
QA_TABLES = ("qa_draw", "qa_case", "second_answer", "reconciled_answer")


def fixture() -> dict:
    return json.loads(gzip.decompress(FIXTURE.read_bytes()))


def migrate(engine, revision: str) -> None:
    """Bring the database of ``engine`` to ``revision`` with the store's own migrations."""
    from alembic import command
    from alembic.config import Config
    from hmip_inspect.core.store import engine as store_engine
    config = Config()
    config.set_main_option("script_location", str(Path(store_engine.__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def store_at(url: str, revision: str) -> dict:
    """Make the empty database at ``url`` a store of schema ``revision`` holding the fixture's
    rows (the QA rows only where the revision has their tables); return what the release of
    schema 0006 read from it (:func:`reading`'s output)."""
    data = fixture()
    engine = create_engine(url)
    try:
        migrate(engine, revision)
        tables = MetaData()
        with engine.begin() as db:
            tables.reflect(db)
            for name in TABLES:
                rows = data["rows"][name]
                if not rows or name not in tables.tables:
                    continue
                table = tables.tables[name]
                db.execute(insert(table), [dict(zip(data["columns"][name], row)) for row in rows])
                if engine.dialect.name == "postgresql" and "id" in table.c:
                    db.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                    f"(SELECT max(id) FROM {name}))"))
            missing = {name for name, rows in data["rows"].items() if rows} - set(tables.tables) - set(QA_TABLES)
            assert not missing, f"revision {revision} has no table for {missing}"
    finally:
        engine.dispose()
    return data["reading"]


@contextmanager
def upgraded(url: str, start: str, revision: str) -> Iterator[tuple[Engine, dict]]:
    """A store of schema ``start`` holding the fixture's rows (:func:`store_at`), brought to
    ``revision`` (checked in ``alembic_version``): its engine, and what the release of schema
    0006 read from it."""
    expected = store_at(url, start)
    engine = create_engine(url)
    try:
        migrate(engine, revision)
        with engine.begin() as db:
            assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == revision
        yield engine, expected
    finally:
        engine.dispose()


def an_answer_needs_its_case(engine, case_pk: int) -> None:
    """At schema 0005 and 0006: an answer refused without its case, a case refused removal
    under its answers (each refusal rolls back)."""
    import pytest           # here: tools/make_store_fixture.py imports this module without it
    from sqlalchemy.exc import IntegrityError
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


def reading(store, session, *, qa: bool = True) -> dict:
    """What the store gives of the fixture's inspections, as JSON: every case with its status,
    the audit trail, the rating of ``tv`` and, with ``qa``, its cases assessed twice and the
    disagreements (with what was reconciled)."""
    from hmip_inspect.core.store.fieldwork import Fieldwork
    out = {}
    for name in ("tv", "other"):
        cases = [{"case_id": case.case_id, "sample": case.sample, "attributes": dict(case.attributes),
                  "answers": dict(case.answers), "excluded": case.excluded, "status": status}
                 for case, status in store.cases_with_status(name)]
        audit = [[e.action, e.case_id, e.item, e.old, e.new] for e in store.audit_trail(name)]
        fieldwork = Fieldwork(store, name, session)
        out[name] = {"cases": cases, "audit": audit,
                     "rating": fieldwork.rate()[2].to_dict() if name == "tv" else None}
        if qa:
            out[name]["qa"] = [[p.case_id, p.first_assessor, p.second_assessor, dict(p.first), dict(p.second)]
                               for p in fieldwork.assessed_twice()]
            out[name]["disagreements"] = fieldwork.disagreements()
    return json.loads(json.dumps(out))


def without_qa(expected: dict) -> dict:
    """``expected`` as a store without the QA tables reads it."""
    return {name: {k: v for k, v in part.items() if k not in ("qa", "disagreements")}
            for name, part in expected.items()}
