"""The web application over HTTP (Starlette's TestClient): logging in, sessions, CSRF,
security headers, the JSON API against the CLI, case capture (autosave, validation,
optimistic concurrency, applicability, implied answers), decisions, sign-off, the audit,
reports and exports; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile

import pytest
from web_fixtures import PASSWORD, csrf_of, login, make_web


@pytest.fixture
def web(store, example):
    return make_web(store, example)


def _hx(client, path: str, data: dict, csrf: str):
    return client.post(path, data={**data, "csrf": csrf}, headers={"HX-Request": "true"})


def _version(page: str, question: str) -> str:
    form = page[page.index(f'data-question="{question}"'):]
    return re.search(r'name="based_on" value="(\d+)"', form).group(1)


# --------------------------------------------------------------------------------------
# Logging in, sessions, CSRF, headers
# --------------------------------------------------------------------------------------


def test_login_unknown_user_and_wrong_password_answer_alike(web):
    client = web.client()
    wrong = login(client, "lead", "not the password")
    unknown = login(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda text: re.sub(r'value="[^"]+"', "", text)      # noqa: E731  (the form's token differs)
    assert strip(wrong.text) == strip(unknown.text)
    assert "Wrong user name or password." in wrong.text
    assert "hmip_session" not in wrong.headers.get("set-cookie", "")


def test_login_throttled_per_user_and_per_address(web):
    from hmip_inspect.core.store.accounts import THROTTLE_USER
    client = web.client()
    for _ in range(THROTTLE_USER):
        assert login(client, "inspector", "wrong").status_code == 401
    throttled = login(client, "inspector", PASSWORD)            # even the right password now
    assert throttled.status_code == 429 and "Too many failed logins" in throttled.text
    assert login(client, "lead", PASSWORD).status_code == 303  # another user from the same address
    web.store.record_login_failure(["address:testclient"] * 20, 4e9)
    assert login(web.client(), "panel", PASSWORD).status_code == 429


def test_a_very_long_user_name_is_just_a_failed_login(web):
    assert login(web.client(), "x" * 5000, "wrong").status_code == 401


def test_case_data_is_escaped_in_pages(web):
    client = web.client("lead")
    assert _new_case(client, csrf_of(client), case_id="<b>bold</b>", sample="upw").status_code == 303
    page = client.get("/inspections/tv").text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_login_form_needs_its_token(web):
    client = web.client()
    client.get("/login")
    assert client.post("/login", data={"username": "lead", "password": PASSWORD}).status_code == 403


def test_session_cookie_flags_rotation_logout_and_expiry(web, monkeypatch):
    client = web.client()
    first = login(client, "lead")
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Secure" not in cookie
    assert "Secure" in login(web.client(https=True), "analyst").headers["set-cookie"]
    old = client.cookies.get("hmip_session")
    login(client, "lead")                                        # logging in again: a new session id
    new = client.cookies.get("hmip_session")
    assert new != old
    stale = web.client()
    stale.cookies.set("hmip_session", old)
    assert stale.get("/", follow_redirects=False).status_code == 303       # the old id ended
    tampered = web.client()
    tampered.cookies.set("hmip_session", new[:-2] + ("00" if not new.endswith("00") else "11"))
    assert tampered.get("/", follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200
    from hmip_inspect.core.web import sessions
    real = sessions.time.time
    monkeypatch.setattr(sessions.time, "time", lambda: real() + sessions.IDLE_SECONDS + 5)
    assert client.get("/", follow_redirects=False).status_code == 303      # idle too long
    monkeypatch.undo()
    other = web.client("inspector")
    kept = other.cookies.get("hmip_session")
    assert other.post("/logout", data={"csrf": csrf_of(other)}, follow_redirects=False).status_code == 303
    replay = web.client()
    replay.cookies.set("hmip_session", kept)
    assert replay.get("/", follow_redirects=False).status_code == 303      # ended server-side


def test_disabled_user_is_logged_out(web):
    from hmip_inspect.core.store.accounts import Accounts
    client = web.client("inspector")
    Accounts(web.store).disable("inspector", "admin")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_security_headers_and_no_inline_script(web):
    client = web.client("lead")
    for path in ("/login", "/", "/inspections/tv", "/inspections/tv/cases/D2-001",
                 "/inspections/tv/decisions", "/inspections/tv/audit", "/inspections/tv/report"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), path      # no inline script
        assert not re.search(r"<[^>]+\son[a-z]+=", response.text), path             # no inline handlers
    static = client.get("/static/htmx.min.js")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")


# --------------------------------------------------------------------------------------
# Pages and the JSON API
# --------------------------------------------------------------------------------------


def test_api_rating_is_what_inspect_run_prints(web, store_url, inspect_cli):
    client = web.client("analyst")
    cli = inspect_cli("run", "--name", "tv", "--format", "json", "--db", store_url)
    assert cli.exit_code == 0, cli.output
    response = client.get("/api/inspections/tv/rating")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.text == cli.stdout
    status = client.get("/api/inspections/tv/status").json()
    cli_status = json.loads(inspect_cli("status", "--name", "tv", "--format", "json", "--db", store_url).stdout)
    assert status == cli_status


def test_inspections_page_shows_progress_per_sample_and_state(web):
    page = web.client("inspector").get("/").text
    assert "/inspections/tv" in page and "/inspections/other" not in page
    assert "domain2:" in page and "complete" in page and 'class="bar"' in page
    assert "ready" in page


def test_inspection_page_filters_cases(web):
    client = web.client("lead")
    everything = client.get("/inspections/tv").text
    assert "Professional judgement" in everything and "Due before sign-off" in everything
    high = client.get("/inspections/tv", params={"attribute": "rosh=high"}).text
    assert high.count("/cases/") < everything.count("/cases/")
    none = client.get("/inspections/tv", params={"status": "in-progress"}).text
    assert "/inspections/tv/cases/" not in none.split('id="cases"')[1].split("</table>")[0]


# --------------------------------------------------------------------------------------
# Capturing a case
# --------------------------------------------------------------------------------------


def _new_case(client, csrf, case_id="NEW-1", sample="domain2", **attributes):
    data = {"case_id": case_id, "sample": sample, "csrf": csrf}
    data.update({f"attr_{k}": v for k, v in attributes.items()})
    return client.post("/inspections/tv/cases", data=data, follow_redirects=False)


def test_capture_autosave_validation_staleness_and_audit(web):
    client = web.client("inspector")
    csrf = csrf_of(client)
    added = _new_case(client, csrf, disposal="community", rosh="high")
    assert added.status_code == 303, added.text
    path = "/inspections/tv/cases/NEW-1"
    page = client.get(path).text
    assert "in-progress" in page and "2.1.3" in page and "A 3 S" in page
    saved = _hx(client, path + "/answer", {"question": "2.1.1.a", "value": "yes", "based_on": _version(page, "2.1.1.a")}, csrf)
    assert saved.status_code == 200 and 'id="case"' in saved.text and "Saved" in saved.text
    assert "<html" not in saved.text                             # a fragment for htmx
    bad = _hx(client, path + "/answer", {"question": "2.1.1.b", "value": "maybe", "based_on": "0"}, csrf)
    assert bad.status_code == 422 and "is not allowed" in bad.text and 'id="err-2-1-1-b"' in bad.text
    # someone else changes 2.1.1.a; a save based on the version shown before is refused
    shown = _version(saved.text, "2.1.1.a")
    lead = web.client("lead")
    assert _hx(lead, path + "/answer", {"question": "2.1.1.a", "value": "no", "based_on": shown}, csrf_of(lead)).status_code == 200
    stale = _hx(client, path + "/answer", {"question": "2.1.1.a", "value": "-", "based_on": shown}, csrf)
    assert stale.status_code == 409 and "someone else changed this answer" in stale.text and "&#39;no&#39;" in stale.text
    assert web.store.case("tv", "NEW-1")[0].answer("2.1.1.a") == "no"
    trail = [(e.who, e.item, e.new) for e in web.store.audit_trail("tv", "NEW-1") if e.action == "answer"]
    assert trail == [("inspector", "2.1.1.a", "yes"), ("lead", "2.1.1.a", "no")]
    # without JavaScript: the plain form posts and the page comes back
    plain = client.post(path + "/answer", data={"question": "2.1.1.b", "value": "yes", "csrf": csrf,
                                                "based_on": "0"}, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"].startswith(path)


def test_question_disappears_when_an_attribute_changes(web):
    client = web.client("lead")
    csrf = csrf_of(client)
    _new_case(client, csrf, case_id="NEW-2", disposal="community", rosh="high")
    path = "/inspections/tv/cases/NEW-2"
    page = client.get(path).text
    _hx(client, path + "/answer", {"question": "2.1.3.a", "value": "yes", "based_on": _version(page, "2.1.3.a")}, csrf)
    changed = _hx(client, path + "/attribute", {"attribute": "rosh", "value": "low"}, csrf)
    assert changed.status_code == 200
    assert 'data-question="2.1.3.a"' not in changed.text and 'data-question="2.1.1.a"' in changed.text
    assert web.store.case("tv", "NEW-2")[0].answer("2.1.3.a") == ""       # cleared, audited
    refused = _hx(client, path + "/attribute", {"attribute": "rosh", "value": "purple"}, csrf)
    assert refused.status_code == 422 and "bad value" in refused.text


def test_implied_answer_is_filled_and_shown_as_such(web):
    client = web.client("lead")
    csrf = csrf_of(client)
    assert _new_case(client, csrf, case_id="TTG-9", sample="ttg").status_code == 303
    path = "/inspections/tv/cases/TTG-9"
    _hx(client, path + "/answer", {"question": "T 1.6", "value": "none", "based_on": "0"}, csrf)
    page = _hx(client, path + "/answer", {"question": "T 1.7", "value": "yes", "based_on": "0"}, csrf).text
    assert web.store.case("tv", "TTG-9")[0].answer("4.2.1.a") == "yes"
    form = page[page.index('data-question="4.2.1.a"'):].split("</form>")[0]
    assert "implied" in form and "<fieldset disabled" in form.replace("  ", " ")
    page = _hx(client, path + "/answer", {"question": "T 1.7", "value": "no", "based_on": _version(page, "T 1.7")}, csrf).text
    assert web.store.case("tv", "TTG-9")[0].answer("4.2.1.a") == ""       # the rule no longer holds


def test_whole_case_completes_and_the_rating_counts_it(web):
    from hmip_inspect.core.store.casepage import case_view
    client = web.client("inspector")
    csrf = csrf_of(client)
    _new_case(client, csrf, case_id="UPW-9", sample="upw")
    path = "/inspections/tv/cases/UPW-9"
    before = client.get("/inspections/tv/rating-table").text
    fieldwork = web.app.state.web.fieldwork("tv")
    for standard in case_view(fieldwork, "UPW-9").standards:
        for kq in standard.key_questions:
            for q in kq.questions:
                _hx(client, path + "/answer", {"question": q.id, "value": q.options[0], "based_on": "0"}, csrf)
    assert web.store.case("tv", "UPW-9")[1] == "complete"
    after = client.get("/inspections/tv/rating-table").text
    assert before != after


def test_signed_off_case_is_read_only(web):
    client = web.client("lead")
    csrf = csrf_of(client)
    assert client.post("/inspections/tv/signoff", data={"csrf": csrf, "reason": "panel met"}).status_code == 200
    assert web.store.signed_off("tv")[0] == "lead"
    page = client.get("/inspections/tv/cases/D2-001").text
    assert "signed off: read only" in page and "hx-post" not in page.split('id="questions"')[1]
    refused = _hx(client, "/inspections/tv/cases/D2-001/answer", {"question": "2.1.1.a", "value": "no"}, csrf)
    assert refused.status_code == 422 and "signed off" in refused.text
    unlocked = client.post("/inspections/tv/unlock", data={"csrf": csrf, "reason": ""})
    assert unlocked.status_code == 422 and "needs a reason" in unlocked.text
    client.post("/inspections/tv/unlock", data={"csrf": csrf, "reason": "a late correction"})
    assert web.store.signed_off("tv") is None
    actions = [e.action for e in web.store.audit_trail("tv")]
    assert actions[-2:] == ["sign-off", "unlock"]


# --------------------------------------------------------------------------------------
# Decisions, audit, report, exports
# --------------------------------------------------------------------------------------


def test_decisions_checked_by_the_core_and_audited(web):
    lead = web.client("lead")
    csrf = csrf_of(lead)
    refused = lead.post("/inspections/tv/judgement", data={"csrf": csrf, "standard": "1.1", "rating": "Good", "evidence": ""})
    assert refused.status_code == 422 and "evidence summary is required" in refused.text
    done = lead.post("/inspections/tv/judgement", data={"csrf": csrf, "standard": "1.1", "rating": "Outstanding",
                                                        "evidence": "Strong leadership seen throughout."},
                     follow_redirects=False)
    assert done.status_code == 303
    panel = web.client("panel")
    page = panel.get("/inspections/tv/decisions").text
    assert "Record a panel decision (eligible standards only)" in page
    ineligible = panel.post("/inspections/tv/panel", data={"csrf": csrf_of(panel), "standard": "2.1",
                                                           "direction": "up", "rationale": "because"})
    assert ineligible.status_code == 422 and "not eligible for professional judgement" in ineligible.text
    entry = [e for e in web.store.audit_trail("tv") if e.action == "judgement"][-1]
    assert (entry.who, entry.item) == ("lead", "1.1")
    audit = lead.get("/inspections/tv/audit", params={"who": "lead"}).text
    assert "judgement" in audit and "importer" not in audit.split('id="audit"')[1]


def test_report_and_exports(web):
    analyst = web.client("analyst")
    report = analyst.get("/inspections/tv/report")
    assert report.status_code == 200 and "<h1" in report.text
    assert "style-src 'self' 'sha256-" in report.headers["content-security-policy"]
    xlsx = analyst.get("/inspections/tv/export/xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert xlsx.headers["content-disposition"] == 'attachment; filename="tv.xlsx"'
    lead = web.client("lead")
    _new_case(lead, csrf_of(lead), case_id="=HYPERLINK(1)", sample="upw")
    zipped = zipfile.ZipFile(io.BytesIO(analyst.get("/inspections/tv/export/csv").content))
    assert sorted(zipped.namelist()) == ["domain2.csv", "ttg.csv", "upw.csv"]
    upw = zipped.read("upw.csv").decode()
    assert "'=HYPERLINK(1)" in upw and "\n=HYPERLINK" not in upw           # no cell a formula
    assert json.loads(analyst.get("/inspections/tv/export/json").content)
    assert analyst.get("/inspections/tv/export/exe").status_code == 404


def test_admin_grants_and_revokes(web):
    admin = web.client("admin")
    assert "/admin/users" in admin.get("/", follow_redirects=False).headers["location"]
    csrf = csrf_of(admin)
    assert admin.post("/admin/users/grant", data={"csrf": csrf, "user": "analyst", "inspection": "other"},
                      follow_redirects=False).status_code == 303
    assert web.client("analyst").get("/inspections/other").status_code == 200
    admin.post("/admin/users/revoke", data={"csrf": csrf, "user": "analyst", "inspection": "other"})
    assert web.client("analyst").get("/inspections/other").status_code == 404
    assert [e.who for e in web.store.user_audit_trail()][-2:] == ["admin", "admin"]


def test_admin_adds_and_disables_users(web):
    """The admin page adds a user (a first password typed twice, checked as ``inspect user add``
    checks it, never shown back) and disables one, whose session ends at once; each audited."""
    from web_fixtures import login
    admin = web.client("admin")
    csrf = csrf_of(admin)
    page = admin.get("/admin/users").text
    assert 'action="/admin/users/add"' in page and 'type="password"' in page
    secret = "a first password"

    def add(**fields):
        return admin.post("/admin/users/add", data={"csrf": csrf, "user": "nadia", "role": "inspector",
                                                    "password": secret, "password_again": secret, **fields},
                          follow_redirects=False)
    differ = add(password_again="something else")
    assert differ.status_code == 422 and "differ" in differ.text and secret not in differ.text
    short = add(password="q7#x", password_again="q7#x")
    assert short.status_code == 422 and "too short" in short.text and "q7#x" not in short.text
    bad_role = add(role="superuser")
    assert bad_role.status_code == 422 and "expected one of" in bad_role.text
    assert web.store.user("nadia") is None                        # none of those added anyone
    assert add().status_code == 303
    assert web.store.user("nadia").role == "inspector"
    assert add().status_code == 422                               # already there
    nadia = web.client()
    assert login(nadia, "nadia", secret).status_code == 303
    assert nadia.get("/", follow_redirects=False).status_code == 200
    me = admin.post("/admin/users/disable", data={"csrf": csrf, "user": "admin"}, follow_redirects=False)
    assert me.status_code == 422 and "yourself" in me.text
    assert admin.post("/admin/users/disable", data={"csrf": csrf, "user": "nadia"},
                      follow_redirects=False).status_code == 303
    assert nadia.get("/", follow_redirects=False).status_code == 303             # session ended
    assert login(web.client(), "nadia", secret).status_code != 303              # and no new one
    trail = [(e.who, e.action, e.user_name) for e in web.store.user_audit_trail()][-2:]
    assert trail == [("admin", "user add", "nadia"), ("admin", "user disable", "nadia")]


# --------------------------------------------------------------------------------------
# The command and the start-up of the others
# --------------------------------------------------------------------------------------


def test_inspect_run_does_not_import_the_web_stack(tmp_path):
    script = ("import sys\nfrom hmip_inspect.core.cli.app import main\nsys.argv = ['inspect', 'run']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'jinja2', 'uvicorn', "
              "'fastapi', 'argon2', 'multipart'}))\n"
              "print(any(m.startswith('hmip_inspect.core.web') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-2:] == ["[]", "False"], done.stderr


def test_serve_refuses_workers_on_sqlite(inspect_cli, tmp_path, example):
    store = tmp_path / "store.sqlite"
    inspect_cli("import", example, "--name", "tv", "--db", store)
    result = inspect_cli("serve", "--db", store, "--workers", "2")
    assert result.exit_code == 1
    assert "several worker processes need a PostgreSQL store" in result.stderr
    missing = inspect_cli("serve", "--db", tmp_path / "nothing.sqlite")
    assert missing.exit_code == 1 and "no inspection store" in missing.stderr


# --------------------------------------------------------------------------------------
# Accessibility: labels, legends, contrast
# --------------------------------------------------------------------------------------


def test_every_control_has_a_label_and_every_question_a_legend(web):
    from html.parser import HTMLParser

    class Controls(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.controls: list[dict] = []
            self.labels_for: set[str] = set()
            self.label_depth = 0
            self.fieldsets = self.legends = 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "label":
                self.label_depth += 1
                if attrs.get("for"):
                    self.labels_for.add(attrs["for"])
            elif tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
                self.controls.append({**attrs, "_wrapped": self.label_depth > 0})
            elif tag == "fieldset":
                self.fieldsets += 1
            elif tag == "legend":
                self.legends += 1

        def handle_endtag(self, tag):
            if tag == "label":
                self.label_depth -= 1

    client = web.client("lead")
    csrf = csrf_of(client)
    _new_case(client, csrf, case_id="A11Y", disposal="community", rosh="high")
    for path in ("/login", "/inspections/tv", "/inspections/tv/cases/A11Y", "/inspections/tv/decisions",
                 "/inspections/tv/audit"):
        parsed = Controls()
        parsed.feed(client.get(path).text)
        unlabelled = [c for c in parsed.controls if not c["_wrapped"] and c.get("id") not in parsed.labels_for
                      and not c.get("aria-label")]
        assert not unlabelled, (path, unlabelled[:3])
        assert parsed.fieldsets == parsed.legends, path


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_stylesheet_colours_meet_wcag_aa_contrast():
    """WCAG 2.2 AA: 4.5:1 for text, 3:1 for focus outlines and control borders (1.4.3, 1.4.11)."""
    from pathlib import Path

    import hmip_inspect.core.web as web_package
    css = (Path(web_package.__file__).parent / "static" / "app.css").read_text()
    text_pairs = [("#1b1b1b", "#ffffff"), ("#0b4f8a", "#ffffff"), ("#ffffff", "#0b4f8a"),
                  ("#8a1c1c", "#fdf0f0"), ("#595959", "#ffffff"), ("#1d6b35", "#ffffff"), ("#333333", "#ffffff")]
    for foreground, background in text_pairs:
        assert foreground[1:] in css.replace("#333;", "#333333;") or foreground == "#ffffff"
        assert _contrast(foreground, background) >= 4.5, (foreground, background)
    for outline in ("#b35900", "#595959", "#767676"):        # focus ring, input borders, bar border
        assert outline in css and _contrast(outline, "#ffffff") >= 3, outline
