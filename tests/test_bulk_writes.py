"""Cases and answers written in bulk (plain tuples: the driver's executemany on SQLite, COPY on
PostgreSQL; issue 16) are stored exactly, in the import's one transaction: all or nothing."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from conftest import EXAMPLE
from hmip_inspect.core.errors import InputError, Problems
from hmip_inspect.core.inspection.case_reading import read_cases
from hmip_inspect.core.inspection.cases import Case
from hmip_inspect.core.inspection.folder import profile_standards
from hmip_inspect.core.store.fieldwork import import_folder


def _folder_cases(session):
    standards = profile_standards(session.profile("crc"), session.catalogue)
    problems = Problems()
    cases = read_cases(EXAMPLE, standards, session.catalogue, problems)
    assert not problems
    return cases


def _key(case: Case):
    return (case.case_id, case.sample, dict(case.attributes), dict(case.answers), case.excluded)


def test_an_imported_folder_is_stored_exactly(store, session):
    import_folder(store, session, EXAMPLE, "tv", "importer")
    assert [_key(c) for c in store.cases("tv")] == [_key(c) for c in _folder_cases(session)]
    assert [e.action for e in store.audit_trail("tv")] == ["import"]


def test_odd_text_survives_the_bulk_path(store, session):
    import_folder(store, session, EXAMPLE, "tv", "importer")
    odd = Case("ODD-1", "domain2", MappingProxyType({"gender": "male", "team": 'Zoë\t"north"\\ ;,\n'}),
               MappingProxyType({"2.1.1": "yes", "9.9.free": "tab\there, quote \" and \\N and é"}))
    store.add_cases("tv", [odd], "importer", source="test")
    stored, status = store.case("tv", "ODD-1")
    assert _key(stored) == _key(odd) and status == "complete"


def test_a_bulk_insert_that_fails_leaves_nothing(store, session):
    import_folder(store, session, EXAMPLE, "tv", "importer")
    before = (len(store.cases("tv")), len(store.audit_trail("tv")))
    first = store.cases("tv")[0]
    new = Case("NEW-1", "domain2", MappingProxyType({"gender": "male"}), MappingProxyType({"2.1.1": "yes"}))
    with pytest.raises(InputError, match="already in the store"):
        store.add_cases("tv", [new, first], "importer", source="test")   # the second clashes
    assert (len(store.cases("tv")), len(store.audit_trail("tv"))) == before
    assert "NEW-1" not in store.case_ids("tv")


@pytest.fixture
def streamed(monkeypatch):
    """Every folder counts as big: checked in flat memory, then read again as it is stored,
    seven cases at a time."""
    from hmip_inspect.core.store import imports, writes
    monkeypatch.setattr(imports, "STREAM_BYTES", 0)
    monkeypatch.setattr(writes, "CHUNK", 7)


def test_a_big_folder_is_stored_as_a_small_one_is(store, session, streamed, monkeypatch):
    from hmip_inspect.core.store import writes
    from hmip_inspect.core.store.imports import prepare_folder
    prepared = prepare_folder(session, EXAMPLE)
    assert prepared.catalogue is not None and not prepared.inspection.cases     # nothing kept
    chunks: list[int] = []                      # the cases of each chunk written
    real = writes.StoreWrites._insert_chunk

    def counted(self, db, inspection_id, cases, in_progress):
        chunks.append(len(cases))
        real(self, db, inspection_id, cases, in_progress)
    monkeypatch.setattr(writes.StoreWrites, "_insert_chunk", counted)
    import_folder(store, session, EXAMPLE, "tv", "importer")
    total = len(_folder_cases(session))
    assert chunks == [7] * (total // 7) + ([total % 7] if total % 7 else [])    # seven at a time
    assert [_key(c) for c in store.cases("tv")] == [_key(c) for c in _folder_cases(session)]
    assert [(e.action, e.new) for e in store.audit_trail("tv")] == [
        ("import", f"{len(_folder_cases(session))} case(s)")]


def test_a_big_bad_folder_gives_the_same_problems_and_writes_nothing(store, session, tmp_path, monkeypatch):
    import shutil

    from hmip_inspect.core.store import imports
    from hmip_inspect.core.store.imports import prepare_folder
    folder = tmp_path / "bad"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "cases" / "upw.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",yes,", ",maybe,", 1)
    lines[5] = lines[5] + "\x07"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as small:
        prepare_folder(session, folder)
    monkeypatch.setattr(imports, "STREAM_BYTES", 0)
    with pytest.raises(InputError) as big:
        prepare_folder(session, folder)
    assert big.value.problems == small.value.problems and len(big.value.problems) >= 2
    assert store.inspections() == []


def test_a_big_folder_changed_between_check_and_store_writes_nothing(store, session, tmp_path, streamed):
    import shutil

    from hmip_inspect.core.store.imports import prepare_folder, store_folder
    folder = tmp_path / "changing"
    shutil.copytree(EXAMPLE, folder)
    prepared = prepare_folder(session, folder)
    path = folder / "cases" / "upw.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",yes,", ",maybe,", 1), encoding="utf-8")
    with pytest.raises(InputError, match="has problems"):
        store_folder(store, prepared, "tv", "importer")
    assert store.inspections() == []


def test_copy_text_escapes_only_what_needs_it():
    from hmip_inspect.core.store.bulk import copy_text
    assert copy_text([(1, "2.1.1", "yes"), (2, "None", "no")], 3) == "1\t2.1.1\tyes\n2\tNone\tno\n"
    assert copy_text([(1, "a\tb", "c\\N"), (2, None, "x\r\ny")], 3) == \
        "1\ta\\tb\tc\\\\N\n2\t\\N\tx\\r\\ny\n"
    assert copy_text([], 3) == ""
    with pytest.raises(ValueError, match="3 values"):
        copy_text([(1, "a", "b"), (2, "c")], 3)


def test_sqlite_rows_go_in_many_at_a_time_and_a_wrong_row_is_refused(tmp_path, monkeypatch):
    """More rows than one statement takes are split over statements; a row of the wrong width
    is refused before it could shift the values after it."""
    from hmip_inspect.core.store import bulk
    rows = [(i, f"q{i}", "yes" if i % 2 else None) for i in range(1_000)]     # 4 statements
    statements: list[int] = []                  # the rows of each statement
    real = bulk._execute_sqlite

    def counted(cursor, statement, width, values):
        statements.append(len(values) // width)
        real(cursor, statement, width, values)
    monkeypatch.setattr(bulk, "_execute_sqlite", counted)
    from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine
    table = Table("t", MetaData(), Column("a", Integer), Column("b", Text), Column("c", Text))
    engine = create_engine(f"sqlite:///{tmp_path / 't.sqlite'}")
    table.metadata.create_all(engine)
    with engine.begin() as db:
        bulk.insert_rows(db, table, ("a", "b", "c"), iter(rows))
    assert statements == [333, 333, 333, 1]     # 999 parameters a statement at most
    with engine.begin() as db:
        assert db.exec_driver_sql("SELECT a, b, c FROM t WHERE a < 1000 ORDER BY a").all() == rows
    with pytest.raises(ValueError, match="3 values"), engine.begin() as db:
        bulk.insert_rows(db, table, ("a", "b", "c"), [(1, "x", "y"), (2, "z")])
