"""The store's unit of work (:meth:`StoreBase.unit`): every store method called inside it is
one transaction, committed together or rolled back together; a case read inside it is read
once and read again after any write. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from hmip_inspect.core.errors import InputError
from hmip_inspect.core.store.fieldwork import import_folder


@pytest.fixture
def tv(store, example, session):
    import_folder(store, session, example, "tv", "importer")
    store.start_case("tv", "U-1", "upw", {}, "tester")
    return store


def test_everything_in_a_unit_commits_together(tv):
    begins = []

    def began(connection):
        begins.append(connection)
    event.listen(tv.engine, "begin", began)
    try:
        with tv.unit():
            tv.record_answer("tv", "U-1", "q-one", "yes", "tester")
            tv.record_answer("tv", "U-1", "q-two", "no", "tester")
            assert tv.case("tv", "U-1")[0].answers == {"q-one": "yes", "q-two": "no"}
    finally:
        event.remove(tv.engine, "begin", began)
    assert len(begins) == 1
    assert dict(tv.case("tv", "U-1")[0].answers) == {"q-one": "yes", "q-two": "no"}
    assert [e.item for e in tv.audit_trail("tv", "U-1") if e.action == "answer"] == ["q-one", "q-two"]


def test_an_error_in_a_unit_rolls_everything_back(tv):
    with pytest.raises(InputError):
        with tv.unit():
            tv.record_answer("tv", "U-1", "q-one", "yes", "tester")
            tv.record_answer("tv", "NO-SUCH-CASE", "q-one", "yes", "tester")
    assert dict(tv.case("tv", "U-1")[0].answers) == {}
    assert [e for e in tv.audit_trail("tv", "U-1") if e.action == "answer"] == []


def test_a_case_read_in_a_unit_is_read_again_after_a_write(tv):
    with tv.unit():
        assert tv.case("tv", "U-1")[1] == "in-progress"
        assert tv.case("tv", "U-1") is tv.case("tv", "U-1")           # read once
        tv.finish_case("tv", "U-1", "complete", "", "tester")          # any write forgets it
        assert tv.case("tv", "U-1")[1] == "complete"
        tv.record_answer("tv", "U-1", "q-one", "yes", "tester")        # the answer written is kept
        assert tv.case("tv", "U-1")[0].answer("q-one") == "yes"
        tv.record_answer("tv", "U-1", "q-one", "", "tester")           # and cleared
        assert "q-one" not in tv.case("tv", "U-1")[0].answers
    assert tv.case("tv", "U-1")[1] == "complete"


def test_outside_a_unit_every_read_is_its_own(tv):
    first = tv.case("tv", "U-1")
    assert tv.case("tv", "U-1") is not first
