"""Who may use which route: the one place authorisation is decided (issue 13, "Security").

Every route of the application is named in :data:`POLICY` with the roles allowed and whether
it belongs to an inspection (then the user also needs a grant on it). :func:`decide` is
called for every request by :mod:`.app` before any handler runs; a route missing here is
refused (the application will not start with one).

* no session: pages redirect to ``/login``, ``/api/`` answers 401;
* an inspection the user has no grant on, or that does not exist: 404 (its existence is not
  revealed);
* a role that may not use the route (on an inspection it is granted, or elsewhere): 403;
* a state-changing request without the session's CSRF token: 403.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "lead", "inspector", "panel", "analyst")
EVERYONE = ROLES
READ = ("lead", "inspector", "panel", "analyst")      # everyone granted the inspection
CAPTURE = ("lead", "inspector")
LEAD = ("lead",)
PANEL = ("lead", "panel")
EXPORT = ("lead", "analyst")
ADMIN = ("admin",)


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...]
    inspection: bool = False        #: the route's {name} is an inspection: a grant is needed


PUBLIC = frozenset({"login", "login_post", "static"})

POLICY: dict[str, Rule] = {
    "logout": Rule(EVERYONE),
    "logout_post": Rule(EVERYONE),
    "home": Rule(EVERYONE),
    "users": Rule(ADMIN),
    "user_grant": Rule(ADMIN),
    "user_revoke": Rule(ADMIN),
    "user_add": Rule(ADMIN),
    "user_disable": Rule(ADMIN),
    "inspection": Rule(READ, inspection=True),
    "rating_table": Rule(READ, inspection=True),
    "case_new": Rule(CAPTURE, inspection=True),
    "case": Rule(READ, inspection=True),
    "case_answer": Rule(CAPTURE, inspection=True),
    "case_attribute": Rule(CAPTURE, inspection=True),
    "decisions": Rule(READ, inspection=True),
    "judgement": Rule(LEAD, inspection=True),
    "moderation": Rule(LEAD, inspection=True),
    "panel": Rule(PANEL, inspection=True),
    "signoff": Rule(LEAD, inspection=True),
    "unlock": Rule(LEAD, inspection=True),
    "audit": Rule(READ, inspection=True),
    "report": Rule(READ, inspection=True),
    "export": Rule(EXPORT, inspection=True),
    "second": Rule(READ, inspection=True),       # before submission: its assessor only (core/store/qa.py)
    "second_start": Rule(CAPTURE, inspection=True),
    "second_answer": Rule(CAPTURE, inspection=True),
    "second_submit": Rule(CAPTURE, inspection=True),
    "qa": Rule(READ, inspection=True),
    "qa_draw": Rule(LEAD, inspection=True),
    "qa_reconcile": Rule(LEAD, inspection=True),
    "api_rating": Rule(READ, inspection=True),
    "api_status": Rule(READ, inspection=True),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int = 200               #: when refused: 303 (to /login), 401, 403 or 404


def decide(route: str, *, api: bool, role: str | None, granted: bool | None, post: bool,
           csrf_valid: bool) -> Decision:
    """Whether a request may go on. ``role`` None: no session; ``granted``: whether the user
    holds a grant on the route's inspection (None for a route without one)."""
    if route in PUBLIC:
        return Decision(True)
    rule = POLICY.get(route)
    if rule is None:
        return Decision(False, 403)
    if role is None:
        return Decision(False, 401 if api else 303)
    if rule.inspection and not granted:
        return Decision(False, 404)
    if role not in rule.roles:
        return Decision(False, 403)
    if post and not csrf_valid:
        return Decision(False, 403)
    return Decision(True)


def may(role: str, route: str) -> bool:
    """Whether ``role`` may use ``route`` (for showing or hiding a form; :func:`decide` enforces)."""
    rule = POLICY.get(route)
    return rule is not None and role in rule.roles
