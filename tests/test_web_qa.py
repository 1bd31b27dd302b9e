"""Quality assurance in the web application (issue 15, "Workflow": the blind rule "in the CLI
and in the web application"; "Tests": "web: a second assessor's request for the first
assessment is refused"): the case page, its fragments and the audit trail keep the blind
rule; a blind second assessment captured and submitted in the browser; the inspection's
quality-assurance page, a draw and a reconciliation through it; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store.fieldwork import Fieldwork
from web_fixtures import csrf_of, make_web

HIDDEN = "(hidden: blind second assessment)"


@pytest.fixture
def web(store, example):
    return make_web(store, example)


def service(web) -> Fieldwork:
    return Fieldwork(web.store, "tv", Session(pm=build_plugin_manager()))


def flip(value: str) -> str:
    return {"yes": "no", "no": "yes"}[value]


@pytest.fixture
def drawn(web):
    """A domain-two case drawn for second assessment whose first assessor is "lead" (who
    changed its 2.1.1 after the import); its id and its first answers."""
    fieldwork = service(web)
    case_id = sorted(c for c in web.store.case_ids("tv") if c.startswith("D2"))[0]
    first = web.store.case("tv", case_id)[0].answer("2.1.1")
    fieldwork.answer(case_id, "2.1.1", flip(first), "lead", "re-read")
    fieldwork.store.qa_draw("tv", {case_id: "lead"}, 10, "3", "lead")
    return case_id, dict(web.store.case("tv", case_id)[0].answers)


def _url(case_id: str, tail: str = "") -> str:
    return f"/inspections/tv/cases/{case_id}{tail}"


def _hx(client, path: str, data: dict, csrf: str):
    return client.post(path, data={**data, "csrf": csrf}, headers={"HX-Request": "true"})


def _answers_shown(page: str) -> dict[str, str]:
    """Question id -> the answer a case page shows checked."""
    shown = {}
    for form in re.findall(r'<form id="q-[^"]*".*?</form>', page, flags=re.S):
        qid = re.search(r'data-question="([^"]+)"', form).group(1)
        checked = re.findall(r'value="([^"]+)" checked', form)
        if checked and checked != ["-"]:
            shown[qid] = ";".join(checked)
    return shown


def test_the_second_assessor_is_refused_the_first_assessment_on_every_web_path(web, drawn):
    case_id, first = drawn
    bob = web.client("inspector")
    csrf = csrf_of(bob)
    before = bob.get(_url(case_id))          # not started yet: the case page, linking to it
    assert before.status_code == 200 and f'href="{_url(case_id, "/second")}"' in before.text
    page = bob.get(_url(case_id, "/second"))
    assert page.status_code == 200 and 'id="start-second"' in page.text
    assert bob.post(_url(case_id, "/second/start"), data={}, follow_redirects=False).status_code == 403  # no CSRF
    started = bob.post(_url(case_id, "/second/start"), data={"csrf": csrf}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"] == _url(case_id, "/second")
    # the case page, its fragments and the API-like paths refuse the first assessment
    refused = bob.get(_url(case_id))
    assert refused.status_code == 403 and "hidden from its second assessor" in refused.text
    assert "2.1.1" not in refused.text
    for tail, data in (("/answer", {"question": "2.1.1", "value": "yes", "based_on": "1"}),
                       ("/attribute", {"attribute": "rosh", "value": "high"})):
        fragment = _hx(bob, _url(case_id, tail), data, csrf)
        assert fragment.status_code == 403 and "hidden from its second assessor" in fragment.text, tail
        assert 'data-question=' not in fragment.text
    assert web.store.case("tv", case_id)[0].answers == first          # nothing changed through them
    # the audit trail hides the first assessment's values from him, not from others
    audit = bob.get(f"/inspections/tv/audit?case={case_id}")
    assert audit.status_code == 200 and HIDDEN in audit.text
    assert f"<td>{first['2.1.1']}</td>" not in audit.text
    assert HIDDEN not in web.client("panel").get(f"/inspections/tv/audit?case={case_id}").text
    # his second assessment starts empty: nothing of the first shown
    blank = bob.get(_url(case_id, "/second"))
    assert blank.status_code == 200 and _answers_shown(blank.text) == {}
    assert "second assessment in progress" in blank.text


def test_the_first_assessor_and_others_cannot_see_the_second_before_submission(web, drawn):
    case_id, first = drawn
    lead = web.client("lead")
    refused_start = lead.post(_url(case_id, "/second/start"), data={"csrf": csrf_of(lead)})
    assert refused_start.status_code == 403 and "cannot assess it second" in refused_start.text
    bob = web.client("inspector")
    csrf = csrf_of(bob)
    bob.post(_url(case_id, "/second/start"), data={"csrf": csrf})
    saved = _hx(bob, _url(case_id, "/second/answer"), {"question": "2.1.1", "value": first["2.1.1"]}, csrf)
    assert saved.status_code == 200 and _answers_shown(saved.text) == {"2.1.1": first["2.1.1"]}
    for role in ("lead", "panel", "analyst"):
        other = web.client(role)
        page = other.get(_url(case_id, "/second"))
        assert page.status_code == 403 and "hidden until its assessor submits" in page.text, role
        audit = other.get(f"/inspections/tv/audit?case={case_id}").text
        row = next(r for r in audit.split("<tbody>")[1].split("<tr>") if "second answer" in r)
        assert HIDDEN in row and f"<td>{first['2.1.1']}</td>" not in row, role
    row = next(r for r in bob.get(f"/inspections/tv/audit?case={case_id}").text.split("<tbody>")[1].split("<tr>") if "second answer" in r)
    assert HIDDEN not in row and f"<td>{first['2.1.1']}</td>" in row      # his own answers
    # nor may anyone else take it over
    taken = web.client("lead").post(_url(case_id, "/second/answer"),
                                    data={"csrf": csrf_of(lead), "question": "2.1.1", "value": "yes"})
    assert taken.status_code == 403


def test_a_second_assessment_captured_and_submitted_in_the_browser(web, drawn):
    case_id, first = drawn
    bob = web.client("inspector")
    csrf = csrf_of(bob)
    bob.post(_url(case_id, "/second/start"), data={"csrf": csrf})
    bad = _hx(bob, _url(case_id, "/second/answer"), {"question": "2.1.1", "value": "maybe"}, csrf)
    assert bad.status_code == 422 and 'class="error" id="err-2-1-1"' in bad.text     # beside the question
    early = bob.post(_url(case_id, "/second/submit"), data={"csrf": csrf})
    assert early.status_code == 422 and 'id="submit-refused"' in early.text and "2.1.1" in early.text
    assert web.store.qa_cases("tv")[case_id].status != "submitted"
    for qid, value in first.items():
        response = _hx(bob, _url(case_id, "/second/answer"), {"question": qid, "value": value.split(";")}, csrf)
        assert response.status_code == 200, (qid, response.text[-500:])
    done = bob.post(_url(case_id, "/second/submit"), data={"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    qa = web.store.qa_cases("tv")[case_id]
    assert qa.status == "submitted" and qa.second_assessor == "inspector" and qa.second_answers == first
    # once submitted, both assessments are there for him, and the second for the first assessor
    assert bob.get(_url(case_id)).status_code == 200
    shown = web.client("lead").get(_url(case_id, "/second"))
    assert shown.status_code == 200 and "Submitted by inspector" in shown.text
    assert _answers_shown(shown.text)["2.1.1"] == first["2.1.1"]
    again = _hx(bob, _url(case_id, "/second/answer"), {"question": "2.1.1", "value": "yes"}, csrf)
    assert again.status_code == 409 and "already submitted" in again.text
    actions = [e.action for e in web.store.audit_trail("tv", case_id) if e.who == "inspector"]
    assert "second answer" in actions


def test_a_case_not_drawn_cannot_be_second_assessed(web):
    bob = web.client("inspector")
    page = bob.get(_url("D2-001", "/second"))
    assert page.status_code == 409 and "not drawn" in page.text
    assert bob.get(_url("NO-SUCH", "/second")).status_code == 404


def test_quality_assurance_page_draw_and_reconcile(web):
    lead = web.client("lead")
    csrf = csrf_of(lead)
    assert "No draw yet" in lead.get("/inspections/tv/qa").text
    bad = lead.post("/inspections/tv/qa/draw", data={"csrf": csrf, "share": "200"})
    assert bad.status_code == 422 and "at most 100" in bad.text
    assert lead.post("/inspections/tv/qa/draw", data={"share": "10"}).status_code == 403        # no CSRF
    drew = lead.post("/inspections/tv/qa/draw", data={"csrf": csrf, "share": "10", "seed": "3"},
                     follow_redirects=False)
    assert drew.status_code == 303
    [record] = web.store.qa_draws("tv")
    assert (record["seed"], record["who"]) == ("3", "lead")
    # a second assessment disagreeing on one key question, by the service (as an import would)
    fieldwork = service(web)
    case_id = sorted(c for c in web.store.qa_cases("tv") if c.startswith("D2"))[0]
    first = dict(web.store.case("tv", case_id)[0].answers)
    capture = fieldwork.second_capture(case_id, "inspector")
    for qid, value in {**first, "2.1.1": flip(first["2.1.1"])}.items():
        capture.answer(case_id, qid, value, "inspector")
    assert capture.finish(case_id, "inspector") == []
    before = fieldwork.agreement().to_dict()
    rated_before = lead.get("/api/inspections/tv/rating").json()
    page = lead.get("/inspections/tv/qa")
    assert page.status_code == 200
    kq = next(k for k in before["key_questions"] if k["pairs"])
    assert kq["id"] in page.text and kq["description"] in page.text and "Gwet" in page.text
    assert 'id="h-disagreements"' in page.text and f'value="{case_id}"' in page.text
    reader = web.client("inspector").get("/inspections/tv/qa")
    assert reader.status_code == 200 and 'id="qa-agreement"' in reader.text
    assert 'id="h-disagreements"' not in reader.text                 # the lead's alone
    form = {"case_id": case_id, "question": "2.1.1", "answer": flip(first["2.1.1"])}
    assert lead.post("/inspections/tv/qa/reconcile", data=form).status_code == 403             # no CSRF
    no_reason = lead.post("/inspections/tv/qa/reconcile", data={**form, "csrf": csrf, "reason": " "})
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text
    done = lead.post("/inspections/tv/qa/reconcile", data={**form, "csrf": csrf, "reason": "not reviewed"},
                     follow_redirects=False)
    assert done.status_code == 303
    assert web.store.case("tv", case_id)[0].answer("2.1.1") == flip(first["2.1.1"])
    rated_after = lead.get("/api/inspections/tv/rating").json()

    def yes(result):
        return next(k for s in result["standards"] for k in s["key_questions"] if k["id"] == "2.1.1")["yes"]
    assert yes(rated_after) == yes(rated_before) + (1 if first["2.1.1"] == "no" else -1)
    assert fieldwork.agreement().to_dict() == before                  # the pairs as submitted
    entry = [e for e in web.store.audit_trail("tv", case_id) if e.action == "reconcile"][-1]
    assert (entry.who, entry.reason) == ("lead", "not reviewed")
    assert "reconciled by lead" in lead.get("/inspections/tv/qa").text
    assert json.dumps(before)                                          # JSON-ready, as the CLI prints it
