"""A blind second assessment in a real browser (Debian's Chromium through Playwright) against
a real ``inspect serve``, on SQLite and PostgreSQL (issue 15, "Workflow": "in the CLI and in
the web application, they cannot see the first assessment until they submit theirs"): start
it, be refused the case's first assessment, capture every question by keyboard, submit."""

from __future__ import annotations

import pytest
from web_fixtures import add_users, capture_by_keyboard, log_in, start_server, stop_server


@pytest.fixture
def served(store, example):
    from hmip_inspect.core.plugin.manager import build_plugin_manager
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.fieldwork import import_folder
    session = Session(pm=build_plugin_manager())
    import_folder(store, session, example, "tv", "importer")
    add_users(store)
    case_id = sorted(c for c in store.case_ids("tv") if c.startswith("UPW"))[0]
    store.qa_draw("tv", {case_id: "importer"}, 10, "1", "lead")
    server, base = start_server(store.url)
    try:
        yield base, case_id
    finally:
        stop_server(server)


def test_a_blind_second_assessment_by_keyboard(served, chromium, store):
    base, case_id = served
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "inspector")
    page.goto(f"{base}/inspections/tv/cases/{case_id}/second")
    page.get_by_role("button", name="Start my blind second assessment").click()
    page.wait_for_url(f"{base}/inspections/tv/cases/{case_id}/second")
    refused = page.goto(f"{base}/inspections/tv/cases/{case_id}")          # the first assessment
    assert refused is not None and refused.status == 403
    assert "hidden from its second assessor" in page.locator("main").inner_text()
    page.goto(f"{base}/inspections/tv/cases/{case_id}/second")
    assert page.locator("input[type=radio]:checked:not([value='-'])").count() == 0     # blind: empty
    forms = capture_by_keyboard(page)
    qa = store.qa_cases("tv")[case_id]
    assert qa.second_assessor == "inspector" and len(qa.second_answers) == len(forms)
    page.get_by_role("button", name="Submit my second assessment").click()
    page.wait_for_url(f"{base}/inspections/tv/cases/{case_id}/second")
    assert "Submitted by inspector" in page.locator("main").inner_text()
    assert store.qa_cases("tv")[case_id].status == "submitted"
    shown = page.goto(f"{base}/inspections/tv/cases/{case_id}")            # now both are his to see
    assert shown is not None and shown.status == 200
    assert not errors, errors
    context.close()
