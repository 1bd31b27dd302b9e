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


def test_several_answers_and_attributes_in_one_unit_keep_every_answer(tv):
    """A case's answers are one value in its row (migration 0007): writes one after another in
    one unit each start from the last one's answers, not from the case first read."""
    before = dict(tv.case("tv", "U-1")[0].answers)
    with tv.unit():
        tv.case("tv", "U-1")
        tv.record_answer("tv", "U-1", "zz.1", "one", "tester")
        tv.record_answer("tv", "U-1", "zz.2", "two", "tester")
        tv.set_attributes("tv", "U-1", {"gender": "female"}, "tester", answers={"zz.3": ("three", "rule")})
        tv.record_answer("tv", "U-1", "zz.4", "four", "tester")
        inside = dict(tv.case("tv", "U-1")[0].answers)
    expected = {**before, "zz.1": "one", "zz.2": "two", "zz.3": "three", "zz.4": "four"}
    assert inside == expected
    assert dict(tv.case("tv", "U-1")[0].answers) == expected


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_the_case_kept_after_an_answer_is_the_locked_rows(tv, store_url):
    """On PostgreSQL another session may change a case between a unit's first read and its
    write (on SQLite a unit holds the write lock from its start, so none can): the case the
    unit keeps after recording an answer is the locked row's, attributes and all, not the
    first read with the new answer put in."""
    from hmip_inspect.core.store.database import open_store
    other = open_store(store_url)
    try:
        with tv.unit():
            tv.case("tv", "U-1")                                       # read and kept, unlocked
            other.set_attributes("tv", "U-1", {"gender": "female"}, "someone else",
                                 answers={"zz.theirs": ("theirs", "rule")})
            tv.record_answer("tv", "U-1", "zz.mine", "mine", "tester")
            kept, _ = tv.case("tv", "U-1")
        assert kept.attributes["gender"] == "female"
        assert (kept.answer("zz.theirs"), kept.answer("zz.mine")) == ("theirs", "mine")
        assert kept == tv.case("tv", "U-1")[0]
    finally:
        other.close()
