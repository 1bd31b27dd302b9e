"""The web application in a real browser (Debian's Chromium through Playwright) against a
real ``inspect serve`` on a free loopback port, on SQLite and PostgreSQL (issue 13, "Tests"):
log in, be refused an inspection without a grant, sign off (and unlock), add a case and
capture all of it by keyboard, see the rating change, see a prompt disappear when an
attribute changes, and no horizontal scroll at 390 px."""

from __future__ import annotations

import pytest
from web_fixtures import add_users, capture_by_keyboard, log_in, start_server, stop_server


@pytest.fixture
def served(store, example):
    from hmip_inspect.core.plugin.manager import build_plugin_manager
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
    session = Session(pm=build_plugin_manager())
    import_folder(store, session, example, "tv", "importer")
    import_folder(store, session, example, "other", "importer")
    add_users(store)
    Fieldwork(store, "tv", session).start("D2-NEW", "domain2", {"disposal": "community", "rosh": "high"}, "setup")
    server, base = start_server(store.url)
    try:
        yield base
    finally:
        stop_server(server)


def _rating_row(page, base: str, standard: str) -> str:
    page.goto(f"{base}/inspections/tv")
    return page.locator(f'[id="standard-{standard}"]').inner_text()


def test_a_team_works_in_the_browser(served, chromium, store):
    base = served
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))          # a script failing
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)

    # log in; an inspection without a grant is not found
    log_in(page, base, "lead")
    assert "tv" in page.locator("main").inner_text()
    refused = page.goto(f"{base}/inspections/other")
    assert refused is not None and refused.status == 404

    # sign off needs every case complete: D2-NEW is in progress, so it is refused, with why
    page.goto(f"{base}/inspections/tv/decisions")
    page.get_by_role("button", name="Sign off and lock").click()
    assert "D2-NEW" in page.locator("#decision-errors").inner_text()
    assert store.signed_off("tv") is None

    # the attribute: rosh low, and the risk of serious harm questions disappear
    page.goto(f"{base}/inspections/tv/cases/D2-NEW")
    assert page.locator('form[data-question="2.1.3.a"]').count() == 1
    page.get_by_label("rosh").select_option("low")
    page.locator('form[data-question="2.1.3.a"]').wait_for(state="detached")
    assert page.locator('form[data-question="2.1.1.a"]').count() == 1
    assert store.case("tv", "D2-NEW")[0].attributes["rosh"] == "low"

    # at a phone's width the case page has no horizontal scroll
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    # add an unpaid work case in the page, then capture all of it by keyboard
    before = _rating_row(page, base, "4.1")
    page.get_by_label("Case id", exact=True).fill("UPW-NEW")
    page.get_by_label("Sample", exact=True).select_option("upw")
    page.get_by_role("button", name="Add the case").click()
    page.wait_for_url(f"{base}/inspections/tv/cases/UPW-NEW")
    forms = capture_by_keyboard(page)
    page.wait_for_function("() => document.querySelector('#case-status').textContent.includes('complete')"
                           " && !document.querySelector('#case-status').textContent.includes('in-progress')")
    case, status = store.case("tv", "UPW-NEW")
    assert status == "complete" and len(case.answers) == len(forms)
    assert "complete" in page.locator("#case-status").inner_text()

    # the rating counts the new case
    after = _rating_row(page, base, "4.1")
    assert after != before

    # sign off: on the other inspection (complete), granted to the lead now
    store.grant("lead", "other", "setup")
    page.goto(f"{base}/inspections/other/decisions")
    page.get_by_role("button", name="Sign off and lock").click()
    assert "Signed off by lead" in page.locator("#signoff-state").inner_text()
    assert store.signed_off("other")[0] == "lead"
    page.get_by_label("Reason for unlocking (required)").fill("a late correction")
    page.get_by_role("button", name="Unlock").click()
    assert store.signed_off("other") is None
    assert not errors, errors
    context.close()
