"""The application's state-changing requests (POST): each calls one of the core's services
with the logged-in user as the audit's ``who``; the CSRF token and the user's role and grant
have been checked before a handler runs (:mod:`.policy`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import RedirectResponse, Response

from ..errors import InputError
from . import pages
from .sessions import COOKIE, LOGIN_COOKIE


def _address(ctx: Any) -> str:
    client = ctx.request.client
    return client.host if client is not None else "unknown"


def login(ctx: Any) -> Response:
    """Log in: throttled per user name and per address (429); an unknown user and a wrong
    password get the same answer after the same work; a new session id every time."""
    from ..store.accounts import Accounts
    sessions = ctx.web.sessions
    if not sessions.login_token_ok(ctx.field("csrf"), ctx.request.cookies.get(LOGIN_COOKIE)):
        return Response("Forbidden: the login form expired; reload it", status_code=403, media_type="text/plain")
    name, password = ctx.field("username").strip(), ctx.field("password")
    accounts = Accounts(ctx.web.store)
    if accounts.throttled(name, _address(ctx)):
        return pages.login(ctx, error="Too many failed logins: wait a few minutes and try again.", status=429)
    user = accounts.authenticate(name, password, _address(ctx))
    if user is None:
        return pages.login(ctx, error="Wrong user name or password.", status=401)
    cookie = sessions.start(user, ctx.request.cookies.get(COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="lax", path="/",
                        secure=ctx.request.url.scheme == "https")
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


def logout(ctx: Any) -> Response:
    ctx.web.sessions.end(ctx.request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _not_done(problem: Any) -> Response:
    """An administrator's change refused: 422 with the reason, as plain text."""
    return Response(f"Not done: {problem}", status_code=422, media_type="text/plain")


def _admin_change(ctx: Any, change: str) -> Response:
    from ..store.accounts import Accounts
    accounts = Accounts(ctx.web.store)
    try:
        getattr(accounts, change)(ctx.field("user"), ctx.field("inspection"), ctx.user.name)
    except InputError as exc:
        return _not_done(exc)
    return RedirectResponse("/admin/users", status_code=303)


def user_grant(ctx: Any) -> Response:
    return _admin_change(ctx, "grant")


def user_revoke(ctx: Any) -> Response:
    return _admin_change(ctx, "revoke")


def user_add(ctx: Any) -> Response:
    """Add a user with a first password typed twice (never echoed back nor logged); the same
    checks as ``inspect user add``."""
    from ..store.accounts import Accounts
    password = ctx.field("password")
    if password != ctx.field("password_again"):
        return _not_done("the two passwords differ; type the same password twice")
    try:
        Accounts(ctx.web.store).add(ctx.field("user"), ctx.field("role"), password, ctx.user.name)
    except InputError as exc:
        return _not_done(exc)
    return RedirectResponse("/admin/users", status_code=303)


def user_disable(ctx: Any) -> Response:
    """Disable a user: they can no longer log in, and their sessions end at once."""
    from ..store.accounts import Accounts
    try:
        Accounts(ctx.web.store).disable(ctx.field("user"), ctx.user.name)
    except InputError as exc:
        return _not_done(exc)
    return RedirectResponse("/admin/users", status_code=303)


def _inspection_url(ctx: Any, tail: str = "") -> str:
    return f"/inspections/{quote(ctx.fieldwork.name, safe='')}{tail}"


def case_new(ctx: Any) -> Response:
    fieldwork = ctx.fieldwork
    sample = ctx.field("sample")
    case_id = ctx.field("case_id").strip()
    needed = fieldwork.attributes_needed(sample)
    attributes = {key[len("attr_"):]: value for key, value in (ctx.form or {}).items()
                  if key.startswith("attr_") and key[len("attr_"):] in needed
                  and isinstance(value, str) and value.strip()}
    try:
        checked = {k: fieldwork.check_attribute(sample, k, v) for k, v in attributes.items()}
        fieldwork.start(case_id, sample, checked, ctx.user.name)
    except InputError as exc:
        return Response(f"The case was not added: {exc}", status_code=422, media_type="text/plain")
    return RedirectResponse(_inspection_url(ctx, f"/cases/{quote(case_id, safe='')}"), status_code=303)


def _case_response(ctx: Any, status: int = 200, errors: dict[str, list[str]] | None = None,
                   saved: str = "", view: Any = None) -> Response:
    """The case after a save: its questions re-rendered for htmx (from ``view`` when the save
    read it already), or a redirect to its page."""
    from ..store.casepage import case_view
    case_id = ctx.params["case_id"]
    if not ctx.htmx and status == 200:
        return RedirectResponse(_inspection_url(ctx, f"/cases/{quote(case_id, safe='')}#q-{saved}"), status_code=303)
    if view is None:
        view = case_view(ctx.fieldwork, case_id, errors)
    locked = status != 200 and ctx.fieldwork.store.signed_off(ctx.fieldwork.name) is not None
    template = "_case.html" if ctx.htmx else "case.html"
    return ctx.render(template, status, name=ctx.fieldwork.name, view=view, locked=locked, saved=saved,
                      errors=errors or {})


def typed_answer(ctx: Any) -> str:
    """The answer as the form sent it: its non-blank values joined by ';' (as typed at the terminal)."""
    values = ctx.form.getlist("value") if ctx.form is not None else []
    return ";".join(v for v in values if isinstance(v, str) and v.strip())


def case_answer(ctx: Any) -> Response:
    """Save one answer (autosave): refused with the current value shown when someone changed
    it since the page showed it (409), or with the validation's problems beside it (422)."""
    from ..store.answer_versions import StaleAnswer
    from ..store.casepage import case_view, save_answer
    from ..store.qa import BlindRuleError
    question = ctx.field("question")
    raw = typed_answer(ctx)
    based_on = ctx.field("based_on")
    view = None
    try:
        # One transaction (issue 13, bench/README.md "serve.py"): the inspection, the case read
        # once, the version check, the write and its audit, the status, and the case read back
        # to show it; rendered after the commit.
        with ctx.web.store.unit():
            ctx.fieldwork.check_may_see_first(ctx.params["case_id"], ctx.user.name)   # the blind rule (issue 15)
            save_answer(ctx.fieldwork, ctx.params["case_id"], question, raw,
                        int(based_on) if based_on.isdigit() else None, ctx.user.name)
            if ctx.htmx:
                view = case_view(ctx.fieldwork, ctx.params["case_id"])
    except BlindRuleError:
        raise               # a refusal of the whole request (403), not a problem with the answer
    except StaleAnswer as exc:
        return _case_response(ctx, 409, {question: [
            f"Not saved: someone else changed this answer meanwhile; it is now "
            f"{exc.current or 'unanswered'!r}. Check it, then give your answer again if it is still right."]})
    except InputError as exc:
        if not ctx.fieldwork.store.case_ids(ctx.fieldwork.name).get(ctx.params["case_id"]):
            raise
        return _case_response(ctx, 422, {question: [p.message for p in exc.problems]})
    return _case_response(ctx, saved=question, view=view)


def case_attribute(ctx: Any) -> Response:
    from ..store.casepage import change_attribute
    ctx.fieldwork.check_may_see_first(ctx.params["case_id"], ctx.user.name)   # the blind rule (issue 15)
    name = ctx.field("attribute")
    try:
        change_attribute(ctx.fieldwork, ctx.params["case_id"], name, ctx.field("value"), ctx.user.name)
    except InputError as exc:
        return _case_response(ctx, 422, {f"attribute:{name}": [p.message for p in exc.problems]})
    return _case_response(ctx, saved=f"attribute-{name}")


def _decided(ctx: Any, action: Any) -> Response:
    try:
        action()
    except InputError as exc:
        return pages.decisions(ctx, errors=[str(p) for p in exc.problems] or [str(exc)], status=422)
    return RedirectResponse(_inspection_url(ctx, "/decisions"), status_code=303)


def judgement(ctx: Any) -> Response:
    return _decided(ctx, lambda: ctx.fieldwork.decide(
        "judgement", ctx.field("standard"), ctx.user.name, ctx.field("reason"),
        rating=ctx.field("rating"), evidence=ctx.field("evidence")))


def moderation(ctx: Any) -> Response:
    return _decided(ctx, lambda: ctx.fieldwork.decide(
        "moderation", ctx.field("standard"), ctx.user.name, ctx.field("reason"),
        direction=ctx.field("direction"), rationale=ctx.field("rationale"),
        ratified=ctx.field("ratified") == "yes"))


def panel(ctx: Any) -> Response:
    return _decided(ctx, lambda: ctx.fieldwork.decide(
        "panel", ctx.field("standard"), ctx.user.name, ctx.field("reason"),
        direction=ctx.field("direction"), rationale=ctx.field("rationale")))


def signoff(ctx: Any) -> Response:
    return _decided(ctx, lambda: ctx.fieldwork.sign_off(ctx.user.name, ctx.field("reason")))


def unlock(ctx: Any) -> Response:
    return _decided(ctx, lambda: ctx.fieldwork.store.unlock(ctx.fieldwork.name, ctx.user.name, ctx.field("reason")))
