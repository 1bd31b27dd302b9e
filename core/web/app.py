"""The web application: routes, the one authorisation gate, security headers.

:func:`create_app` builds it over a store; ``inspect serve`` runs :func:`app_from_environment`
(the store named by ``$HMIP_DB``) in each uvicorn worker. Every route is declared in
:data:`ROUTES` with its name; :func:`_gate` runs before every handler: the session, the grant
and role (:func:`.policy.decide`), the CSRF token of a POST. Handlers (:mod:`.pages`,
:mod:`.actions`, :mod:`.api`) are synchronous and run in Starlette's thread pool.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import threading
from pathlib import Path
from typing import Any, Callable

import structlog
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import InputError
from ..store.qa import BlindRuleError
from . import actions, api, pages, qa_pages
from .policy import POLICY, PUBLIC, decide, may
from .sessions import COOKIE, Sessions, csrf_ok

log = structlog.get_logger(__name__)
HERE = Path(__file__).parent

#: (name, path, methods, handler): every route of the application; its rule is in .policy.
ROUTES: list[tuple[str, str, tuple[str, ...], Callable[..., Response]]] = [
    ("login", "/login", ("GET",), pages.login),
    ("login_post", "/login", ("POST",), actions.login),
    ("logout", "/logout", ("GET",), pages.logout),
    ("logout_post", "/logout", ("POST",), actions.logout),
    ("home", "/", ("GET",), pages.home),
    ("users", "/admin/users", ("GET",), pages.users),
    ("user_grant", "/admin/users/grant", ("POST",), actions.user_grant),
    ("user_revoke", "/admin/users/revoke", ("POST",), actions.user_revoke),
    ("user_add", "/admin/users/add", ("POST",), actions.user_add),
    ("user_disable", "/admin/users/disable", ("POST",), actions.user_disable),
    ("inspection", "/inspections/{name}", ("GET",), pages.inspection),
    ("rating_table", "/inspections/{name}/rating-table", ("GET",), pages.rating_table),
    ("case_new", "/inspections/{name}/cases", ("POST",), actions.case_new),
    ("case", "/inspections/{name}/cases/{case_id}", ("GET",), pages.case),
    ("case_answer", "/inspections/{name}/cases/{case_id}/answer", ("POST",), actions.case_answer),
    ("case_attribute", "/inspections/{name}/cases/{case_id}/attribute", ("POST",), actions.case_attribute),
    ("decisions", "/inspections/{name}/decisions", ("GET",), pages.decisions),
    ("judgement", "/inspections/{name}/judgement", ("POST",), actions.judgement),
    ("moderation", "/inspections/{name}/moderation", ("POST",), actions.moderation),
    ("panel", "/inspections/{name}/panel", ("POST",), actions.panel),
    ("signoff", "/inspections/{name}/signoff", ("POST",), actions.signoff),
    ("unlock", "/inspections/{name}/unlock", ("POST",), actions.unlock),
    ("audit", "/inspections/{name}/audit", ("GET",), pages.audit),
    ("report", "/inspections/{name}/report", ("GET",), pages.report),
    ("export", "/inspections/{name}/export/{fmt}", ("GET",), pages.export),
    ("second", "/inspections/{name}/cases/{case_id}/second", ("GET",), qa_pages.second),
    ("second_start", "/inspections/{name}/cases/{case_id}/second/start", ("POST",), qa_pages.second_start),
    ("second_answer", "/inspections/{name}/cases/{case_id}/second/answer", ("POST",), qa_pages.second_answer),
    ("second_submit", "/inspections/{name}/cases/{case_id}/second/submit", ("POST",), qa_pages.second_submit),
    ("qa", "/inspections/{name}/qa", ("GET",), qa_pages.qa),
    ("qa_draw", "/inspections/{name}/qa/draw", ("POST",), qa_pages.qa_draw),
    ("qa_reconcile", "/inspections/{name}/qa/reconcile", ("POST",), qa_pages.qa_reconcile),
    ("api_rating", "/api/inspections/{name}/rating", ("GET",), api.rating),
    ("api_status", "/api/inspections/{name}/status", ("GET",), api.status),
]

#: Request threads per worker process, and the store's connections: one each, so no request
#: waits for a connection (assumption: 16 keep two cores busy; more only queue for the CPU).
THREADS = 16

#: Content-Security-Policy: scripts and styles from the application's own static files only.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def slug(value: str) -> str:
    """A question id or attribute name as an HTML id: letters, digits and '-'."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(value)).strip("-")


class Web:
    """What every request shares: the store, the core's session, templates, sessions."""

    def __init__(self, store: Any, session: Any) -> None:
        self.store = store
        self.session = session
        self.sessions = Sessions(store)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.globals["may"] = may
        self.templates.env.filters["slug"] = slug
        self._lock = threading.Lock()
        self._fieldwork: dict[str, tuple[Any, Any]] = {}
        #: On SQLite, this process's writes queue here, in order, rather than in SQLite's busy
        #: handler (which sleeps between retries: long tails under load). Other processes'
        #: writes (the CLI) still meet the busy handler. PostgreSQL needs none: rows are locked.
        self.write_lock: Any = threading.Lock() if store.dialect == "sqlite" else contextlib.nullcontext()

    def fieldwork(self, name: str) -> Any:
        """The inspection's fieldwork services; its profile and case rules are built once per
        profile snapshot (the inspection's own facts are read afresh)."""
        from ..store.fieldwork import Fieldwork
        snapshot, info = self.store.snapshot_and_info(name)
        key = snapshot.toml if snapshot is not None else None
        with self._lock:
            cached = self._fieldwork.get(name)
            if cached is not None and cached[0] == key:
                fieldwork = copy.copy(cached[1])
                fieldwork.info = info
                return fieldwork
            fieldwork = Fieldwork(self.store, name, self.session)
            self._fieldwork[name] = (key, fieldwork)
            return fieldwork


class Ctx:
    """One request as a handler sees it: who, the form, the inspection's services, rendering."""

    def __init__(self, web: Web, request: Request, form: Any, record: Any) -> None:
        self.web, self.request, self.form, self.record = web, request, form, record
        self.user = record.user if record is not None else None
        self.params = request.path_params
        self._fieldwork: Any = None

    @property
    def fieldwork(self) -> Any:
        if self._fieldwork is None:
            self._fieldwork = self.web.fieldwork(self.params["name"])
        return self._fieldwork

    @property
    def htmx(self) -> bool:
        return self.request.headers.get("HX-Request") == "true"

    def field(self, key: str, default: str = "") -> str:
        value = self.form.get(key, default) if self.form is not None else default
        return value if isinstance(value, str) else default

    def render(self, template: str, code: int = 200, **context: Any) -> Response:
        context.setdefault("user", self.user)
        context.setdefault("csrf", self.record.csrf if self.record is not None else "")
        response = self.web.templates.TemplateResponse(self.request, template, context, status_code=code)
        return response


def _gate(web: Web, route: str, handler: Callable[[Ctx], Response]) -> Callable[[Request], Any]:
    """The endpoint for ``route``: authorisation first (:func:`.policy.decide`), then the handler."""
    api_route = route.startswith("api_")

    async def endpoint(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        return await run_in_threadpool(_run, request, form)

    def _run(request: Request, form: Any) -> Response:
        inspection = request.path_params["name"] if route in POLICY and POLICY[route].inspection else None
        record, grant = (None, False) if route in PUBLIC else web.sessions.check(request.cookies.get(COOKIE), inspection)
        granted = grant if record is not None and inspection is not None else None
        given = (form.get("csrf") if form is not None else None) or request.headers.get("X-CSRF-Token")
        decision = decide(route, api=api_route, role=record.user.role if record else None, granted=granted,
                          post=request.method == "POST",
                          csrf_valid=record is not None and csrf_ok(record, given if isinstance(given, str) else None))
        if not decision.allowed:
            return _refusal(decision.status, api_route, request)
        try:
            if request.method == "POST" and route != "login_post":   # a login's Argon2 need not queue
                with web.write_lock:
                    return handler(Ctx(web, request, form, record))
            return handler(Ctx(web, request, form, record))
        except BlindRuleError as exc:     # the blind rule (issue 15): refused, never shown
            log.debug("refused by the blind rule", route=route)
            if api_route:
                return JSONResponse({"error": str(exc)}, status_code=403)
            return Ctx(web, request, form, record).render("refused.html", 403, message=str(exc))
        except InputError as exc:     # a lookup that failed (no such case): not found
            log.debug("refused", route=route, exc_info=True)
            if api_route:
                return JSONResponse({"error": str(exc)}, status_code=404)
            return PlainTextResponse("Not found", status_code=404)

    return endpoint


def _refusal(status: int, api_route: bool, request: Request) -> Response:
    if status == 303:
        return RedirectResponse("/login", status_code=303)
    text = {401: "Not logged in", 403: "Forbidden", 404: "Not found"}[status]
    if api_route:
        return JSONResponse({"error": text}, status_code=status)
    return PlainTextResponse(text, status_code=status)


class SecurityHeaders:
    """Strict CSP (no inline script), no framing, no sniffing; nothing but static files cached."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin")]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


def create_app(store: Any, session: Any = None) -> Starlette:
    """The application over an open ``store`` (and the core's :class:`..session.Session`)."""
    from ..session import Session
    missing = [name for name, *_ in ROUTES if name not in POLICY and name not in PUBLIC]
    if missing:
        raise RuntimeError(f"routes without an authorisation rule: {', '.join(missing)}")
    web = Web(store, session or Session())
    routes: list[Any] = [Route(path, _gate(web, name, handler), methods=list(methods), name=name)
                         for name, path, methods, handler in ROUTES]
    routes.append(Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"))
    app = Starlette(routes=routes, lifespan=_lifespan)
    app.state.web = web
    app.add_middleware(SecurityHeaders)
    return app


@contextlib.asynccontextmanager
async def _lifespan(_app: Any) -> Any:
    """The handlers' thread pool sized to :data:`THREADS` (the store's pool is as large)."""
    import anyio.to_thread
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


def app_from_environment() -> Starlette:
    """The application over the store ``inspect serve`` named in ``$HMIP_DB`` (one per worker)."""
    from ..logconfig import configure
    from ..store.database import DB_ENV, open_store
    configure(verbose=False)
    return create_app(open_store(os.environ[DB_ENV], pool_size=THREADS))
