"""How much database work one answer saved over HTTP costs: transactions and statements per
save, counted with SQLAlchemy's event hooks (issue 13, "Tests and benchmark": the serve
benchmark's target rests on these staying few). A behaviour test, not a timed one: each bound
is what the save path reaches now, so a change that adds round trips fails here."""

from __future__ import annotations

import contextlib
import re

import pytest
from sqlalchemy import event
from web_fixtures import csrf_of, make_web

PATH = "/inspections/tv/cases/NEW-1"


@contextlib.contextmanager
def counted(engine):
    counts = {"transactions": 0, "statements": 0}

    def begin(_conn):
        counts["transactions"] += 1

    def statement(_conn, _cursor, sql, *_args):
        if sql.split()[0].upper() != "BEGIN":        # SQLite's BEGIN (IMMEDIATE): counted as a transaction
            counts["statements"] += 1

    event.listen(engine, "begin", begin)
    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield counts
    finally:
        event.remove(engine, "begin", begin)
        event.remove(engine, "before_cursor_execute", statement)


def _version(page: str, question: str) -> str:
    form = page[page.index(f'data-question="{question}"'):]
    return re.search(r'name="based_on" value="(\d+)"', form).group(1)


@pytest.fixture
def capture(store, example):
    web = make_web(store, example)
    client = web.client("inspector")
    csrf = csrf_of(client)
    added = client.post("/inspections/tv/cases", data={"csrf": csrf, "sample": "upw", "case_id": "NEW-1"},
                        follow_redirects=False)
    assert added.status_code == 303, added.text
    page = client.get(PATH).text
    return web, client, csrf, page


def _save(client, csrf, page, question, value):
    return client.post(PATH + "/answer", data={"question": question, "value": value, "csrf": csrf,
                                               "based_on": _version(page, question)},
                       headers={"HX-Request": "true"})


def test_one_save_costs_two_transactions_and_few_statements(capture):
    """Before (issue 13's first version): 11 transactions and 27 statements per save. Now one
    read for the session, its user and the grant, and one write transaction for the rest,
    including the blind rule's look at the case's second assessment."""
    web, client, csrf, page = capture
    question = re.search(r'data-question="([^"]+)"', page).group(1)
    _save(client, csrf, page, question, "yes")                 # warm: the profile's rules are built once
    page = client.get(PATH).text
    with counted(web.store.engine) as counts:
        saved = _save(client, csrf, page, question, "no")
    assert saved.status_code == 200 and "Saved" in saved.text and 'id="case"' in saved.text
    assert counts["transactions"] <= 2
    assert counts["statements"] <= 12          # 11, and one for the blind rule (issue 15)
    trail = [(e.who, e.item, e.old, e.new) for e in web.store.audit_trail("tv", "NEW-1") if e.action == "answer"]
    assert trail[-2:] == [("inspector", question, "", "yes"), ("inspector", question, "yes", "no")]
    assert web.store.case("tv", "NEW-1")[0].answer(question) == "no"


def test_a_stale_save_costs_no_write_and_is_refused(capture):
    web, client, csrf, page = capture
    question = re.search(r'data-question="([^"]+)"', page).group(1)
    assert _save(client, csrf, page, question, "yes").status_code == 200
    before = len(web.store.audit_trail("tv", "NEW-1"))
    stale = _save(client, csrf, page, question, "no")           # the version the old page showed
    assert stale.status_code == 409 and "someone else changed this answer" in stale.text
    assert len(web.store.audit_trail("tv", "NEW-1")) == before
    assert web.store.case("tv", "NEW-1")[0].answer(question) == "yes"


def test_a_refused_request_reads_once_and_writes_nothing(capture):
    """The gate's one query decides a request without a grant (404) before anything else runs."""
    web, client, csrf, _ = capture
    with counted(web.store.engine) as counts:
        refused = client.post("/inspections/other/cases/X/answer", data={"question": "q", "value": "yes",
                                                                          "csrf": csrf}, headers={"HX-Request": "true"})
    assert refused.status_code == 404
    assert counts == {"transactions": 1, "statements": 1}
