"""The application's pages (GET): each reads through the core's services and renders a
template. Authorisation has been decided before a handler runs (:mod:`.policy`)."""

from __future__ import annotations

import hashlib
import base64
import re
import tempfile
from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..errors import InputError
from .sessions import LOGIN_COOKIE


def login(ctx: Any, error: str = "", status: int = 200) -> Response:
    token, cookie = ctx.web.sessions.login_token()
    response = ctx.render("login.html", status, login_token=token, error=error)
    response.set_cookie(LOGIN_COOKIE, cookie, httponly=True, samesite="lax", path="/login",
                        secure=ctx.request.url.scheme == "https")
    return response


def logout(ctx: Any) -> Response:
    return ctx.render("logout.html")


def _granted(ctx: Any) -> list[str]:
    user = ctx.web.store.user(ctx.user.name)
    return list(user.grants) if user is not None else []


def home(ctx: Any) -> Response:
    if ctx.user.role == "admin":
        return RedirectResponse("/admin/users", status_code=303)
    return ctx.render("home.html", inspections=[ctx.web.fieldwork(name).status() for name in _granted(ctx)])


def users(ctx: Any) -> Response:
    from ..store.accounts import MIN_PASSWORD, ROLES
    return ctx.render("users.html", users=ctx.web.store.users(),
                      inspections=[i.name for i in ctx.web.store.inspections()],
                      trail=ctx.web.store.user_audit_trail()[-50:], roles=ROLES, min_password=MIN_PASSWORD)


def _case_rows(ctx: Any, status_filter: str, who_filter: str, attribute: str) -> tuple[list[dict[str, Any]], list[str]]:
    fieldwork = ctx.fieldwork
    workers = fieldwork.store.case_workers(fieldwork.name)
    rows, assessors = [], set()
    for case, status in fieldwork.store.cases_with_status(fieldwork.name):
        who, at = workers.get(case.case_id, ("", ""))
        assessors.add(who)
        started = bool(case.answers) or status == "complete"
        state = status if started else "not started"
        attributes = ", ".join(f"{k}={v}" for k, v in sorted(case.attributes.items()))
        if status_filter and state != status_filter:
            continue
        if who_filter and who != who_filter:
            continue
        if attribute and attribute not in [f"{k}={v}" for k, v in case.attributes.items()]:
            continue
        rows.append({"id": case.case_id, "sample": case.sample, "state": state, "who": who, "at": at,
                     "attributes": attributes, "excluded": case.excluded})
    return rows, sorted(a for a in assessors if a)


def inspection(ctx: Any) -> Response:
    from ..store.live import live_rating
    fieldwork = ctx.fieldwork
    query = ctx.request.query_params
    filters = {"status": query.get("status", ""), "who": query.get("who", ""),
               "attribute": query.get("attribute", "")}
    cases, assessors = _case_rows(ctx, filters["status"], filters["who"], filters["attribute"])
    status = fieldwork.status()
    return ctx.render("inspection.html", name=fieldwork.name, status=status, cases=cases,
                      assessors=assessors, filters=filters, live=live_rating(fieldwork),
                      samples=sorted(fieldwork.schema.samples),
                      new_case_attributes={s: fieldwork.attributes_needed(s) for s in sorted(fieldwork.schema.samples)})


def rating_table(ctx: Any) -> Response:
    from ..store.live import live_rating
    return ctx.render("_rating.html", name=ctx.fieldwork.name, live=live_rating(ctx.fieldwork))


def case(ctx: Any) -> Response:
    from ..store.casepage import case_view
    case_id = ctx.params["case_id"]
    ctx.fieldwork.check_may_see_first(case_id, ctx.user.name)     # the blind rule (issue 15)
    view = case_view(ctx.fieldwork, case_id)
    locked = ctx.fieldwork.store.signed_off(ctx.fieldwork.name) is not None
    return ctx.render("case.html", name=ctx.fieldwork.name, view=view, locked=locked,
                      qa=ctx.fieldwork.qa_case(case_id))


def decisions(ctx: Any, errors: list[str] | None = None, status: int = 200) -> Response:
    fieldwork = ctx.fieldwork
    return ctx.render("decisions.html", status, name=fieldwork.name, progress=fieldwork.status(),
                      judgements=fieldwork.store.load_judgements(fieldwork.name),
                      signed=fieldwork.store.signed_off(fieldwork.name), errors=errors or [],
                      judged=[s for s in fieldwork.standards if s.rated_by.value == "judgement"],
                      moderated=[s for s in fieldwork.standards if s.rated_by.value == "cases"])


def audit(ctx: Any) -> Response:
    fieldwork = ctx.fieldwork
    query = ctx.request.query_params
    filters = {"case": query.get("case", ""), "who": query.get("who", ""), "action": query.get("action", "")}
    # the values a blind second assessment hides from this user are shown as hidden (issue 15)
    entries = fieldwork.store.blind_audit_trail(fieldwork.name, ctx.user.name, filters["case"] or None)
    people = sorted({e.who for e in entries})
    actions = sorted({e.action for e in entries})
    shown = [e for e in entries if (not filters["who"] or e.who == filters["who"])
             and (not filters["action"] or e.action == filters["action"])]
    return ctx.render("audit.html", name=fieldwork.name, entries=shown, filters=filters,
                      people=people, actions=actions)


def report(ctx: Any) -> Response:
    """The inspection's HTML report (as ``inspect report --name``); its one inline stylesheet is
    allowed by its hash, nothing else inline."""
    from ..report.html import render_html
    from ..store.reporting import stored_report
    try:
        model, _ = stored_report(ctx.fieldwork)
    except InputError as exc:
        return ctx.render("not_ready.html", 409, name=ctx.fieldwork.name, problems=exc.problems)
    html = render_html(model)
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                      for s in styles)
    from .app import CSP
    policy = CSP.replace("style-src 'self'", f"style-src 'self' {hashes}")
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


EXPORTS = {"csv": ("application/zip", "zip"), "xlsx": (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json")}


def export(ctx: Any) -> Response:
    """The cases as a download, written by the CLI's export (no cell a formula); CSV as a zip
    of one file per sample."""
    import zipfile

    from ..store.export import export_cases, file_name
    fmt = ctx.params["fmt"]
    if fmt not in EXPORTS:
        return Response("Not found", status_code=404, media_type="text/plain")
    media, suffix = EXPORTS[fmt]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        written = export_cases(ctx.fieldwork, base / ("cases" if fmt == "csv" else f"cases.{fmt}"), fmt)
        if fmt == "csv":
            archive = base / "cases.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
                for path in written:
                    zipped.write(path, path.name)
            body = archive.read_bytes()
        else:
            body = written[0].read_bytes()
    filename = f"{file_name(ctx.fieldwork.name)}.{suffix}"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
