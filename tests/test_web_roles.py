"""Every route of the web application as every role, without a session, without a grant
and without a CSRF token (issue 13, "Security": authorisation in one place, tested on every
route as every role); on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from web_fixtures import ROLES, csrf_of, make_web

READ = {"lead", "inspector", "panel", "analyst"}
EVERYONE = set(ROLES)
#: Written out here, independently of core/web/policy.py: who may use each route.
ALLOWED = {
    "home": EVERYONE, "logout": EVERYONE, "logout_post": EVERYONE,
    "users": {"admin"}, "user_grant": {"admin"}, "user_revoke": {"admin"}, "user_add": {"admin"},
    "user_disable": {"admin"},
    "inspection": READ, "rating_table": READ, "case": READ, "decisions": READ, "audit": READ,
    "report": READ, "api_rating": READ, "api_status": READ,
    "case_new": {"lead", "inspector"}, "case_answer": {"lead", "inspector"},
    "case_attribute": {"lead", "inspector"},
    "judgement": {"lead"}, "moderation": {"lead"}, "signoff": {"lead"}, "unlock": {"lead"},
    "panel": {"lead", "panel"}, "export": {"lead", "analyst"},
    "second": READ, "second_start": {"lead", "inspector"}, "second_answer": {"lead", "inspector"},
    "second_submit": {"lead", "inspector"}, "qa": READ, "qa_draw": {"lead"}, "qa_reconcile": {"lead"},
}
PATHS = {
    "home": "/", "logout": "/logout", "logout_post": "/logout", "users": "/admin/users",
    "user_grant": "/admin/users/grant", "user_revoke": "/admin/users/revoke",
    "user_add": "/admin/users/add", "user_disable": "/admin/users/disable",
    "inspection": "/inspections/{i}", "rating_table": "/inspections/{i}/rating-table",
    "case": "/inspections/{i}/cases/D2-001", "decisions": "/inspections/{i}/decisions",
    "audit": "/inspections/{i}/audit", "report": "/inspections/{i}/report",
    "api_rating": "/api/inspections/{i}/rating", "api_status": "/api/inspections/{i}/status",
    "case_new": "/inspections/{i}/cases", "case_answer": "/inspections/{i}/cases/D2-001/answer",
    "case_attribute": "/inspections/{i}/cases/D2-001/attribute",
    "judgement": "/inspections/{i}/judgement", "moderation": "/inspections/{i}/moderation",
    "signoff": "/inspections/{i}/signoff", "unlock": "/inspections/{i}/unlock",
    "panel": "/inspections/{i}/panel", "export": "/inspections/{i}/export/json",
    "second": "/inspections/{i}/cases/D2-001/second", "second_start": "/inspections/{i}/cases/D2-001/second/start",
    "second_answer": "/inspections/{i}/cases/D2-001/second/answer",
    "second_submit": "/inspections/{i}/cases/D2-001/second/submit",
    "qa": "/inspections/{i}/qa", "qa_draw": "/inspections/{i}/qa/draw", "qa_reconcile": "/inspections/{i}/qa/reconcile",
}
#: Harmless forms: each is refused by the service (422) or changes nothing lasting.
FORMS = {"case_answer": {"question": "2.1.1.a", "value": "maybe"},
         "case_attribute": {"attribute": "rosh", "value": "purple"},
         "case_new": {"case_id": "", "sample": "upw"}, "judgement": {"standard": "1.1", "rating": "Great"},
         "moderation": {"standard": "4.1", "direction": "sideways"}, "panel": {"standard": "2.2", "direction": "x"},
         "signoff": {"reason": "x"}, "unlock": {"reason": ""},
         "second_start": {}, "second_answer": {"question": "2.1.1.a", "value": "yes"}, "second_submit": {},
         "qa_draw": {"share": "0"}, "qa_reconcile": {"case_id": "D2-001", "question": "2.1.1", "answer": "no"},
         "user_grant": {"user": "nobody", "inspection": "tv"}, "user_revoke": {"user": "nobody", "inspection": "tv"},
         "user_add": {"user": "newcomer", "role": "analyst", "password": "long enough 1",
                      "password_again": "not the same"},
         "user_disable": {"user": "nobody"}}
GATE = {401, 403, 404}


@pytest.fixture
def web(store, example):
    return make_web(store, example)


def _method(route: str) -> str:
    return "POST" if route in FORMS or route == "logout_post" else "GET"


def test_the_table_covers_every_route():
    from hmip_inspect.core.web.app import ROUTES
    from hmip_inspect.core.web.policy import PUBLIC
    names = {name for name, *_ in ROUTES} - PUBLIC
    assert names == set(ALLOWED) == set(PATHS)


def _request(client, route: str, inspection: str = "tv", csrf: str | None = None):
    path = PATHS[route].format(i=inspection)
    if _method(route) == "GET":
        return client.get(path, follow_redirects=False)
    data = dict(FORMS.get(route, {}))
    if csrf is not None:
        data["csrf"] = csrf
    return client.post(path, data=data, follow_redirects=False)


def test_no_session_redirects_pages_and_401s_the_api(web):
    client = web.client()
    for route in ALLOWED:
        response = _request(client, route)
        if route.startswith("api_"):
            assert response.status_code == 401, route
            assert response.json() == {"error": "Not logged in"}
        else:
            assert response.status_code == 303 and response.headers["location"] == "/login", route


def test_every_route_as_every_role(web):
    signoff_last = sorted(ALLOWED, key=lambda r: (r == "logout_post", r in ("signoff", "unlock")))
    for role in ROLES:
        client = web.client(role)
        csrf = csrf_of(client)
        for route in signoff_last:
            granted_inspection = route not in ("home", "logout", "logout_post", "users", "user_grant", "user_revoke",
                                               "user_add", "user_disable")
            if granted_inspection:     # an inspection never granted: not found, whoever asks
                refused = _request(client, route, "other", csrf)
                assert refused.status_code == 404, (role, route)
                assert "other" not in refused.text
                assert _request(client, route, "no-such", csrf).status_code == 404, (role, route)
            if _method(route) == "POST" and role in ALLOWED[route]:
                assert _request(client, route, "tv", csrf=None).status_code == 403, (role, route)
                assert _request(client, route, "tv", csrf="forged").status_code == 403, (role, route)
            response = _request(client, route, "tv", csrf)
            if role in ALLOWED[route]:
                assert response.status_code not in GATE, (role, route, response.status_code, response.text[:300])
            elif role == "admin" and granted_inspection:
                assert response.status_code == 404, (role, route)      # no grant: not revealed
            else:
                assert response.status_code == 403, (role, route, response.status_code)
        assert client.get("/", follow_redirects=False).status_code == 303      # logged out at the end
