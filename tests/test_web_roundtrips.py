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
        counts["statements"] += 1
        print("SQL", " ".join(sql.split())[:150])

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


def test_one_save_costs_few_transactions_and_statements(capture):
    web, client, csrf, page = capture
    question = re.search(r'data-question="([^"]+)"', page).group(1)
    _save(client, csrf, page, question, "yes")                 # warm: the profile's rules are built once
    page = client.get(PATH).text
    with counted(web.store.engine) as counts:
        saved = _save(client, csrf, page, question, "no")
    assert saved.status_code == 200 and "Saved" in saved.text
    print(counts)
    assert counts["transactions"] <= 99
    assert counts["statements"] <= 999
