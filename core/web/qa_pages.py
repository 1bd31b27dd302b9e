"""Quality assurance in the browser (issue 15): a blind second assessment of a drawn case,
and the inspection's quality-assurance page (the draw, agreement, disagreements and their
reconciliation). Handlers only call the services (:mod:`..store.qa`, :mod:`..store.qa_page`),
which keep the blind rule; a request the rule refuses answers 403 (:mod:`.app`)."""

from __future__ import annotations

import functools
from typing import Any, Callable
from urllib.parse import quote

from starlette.responses import RedirectResponse, Response

from ..errors import InputError
from ..store.qa import BlindRuleError
from .actions import typed_answer
from .policy import may


def _not_drawn(handler: Callable[..., Response]) -> Callable[..., Response]:
    """A case that is there but cannot be second-assessed now (not drawn, already submitted):
    409 with the service's reason. The blind rule's refusals (403) and a case that is not there
    (404) are answered by :mod:`.app`."""

    @functools.wraps(handler)
    def handle(ctx: Any, *args: Any, **kwargs: Any) -> Response:
        try:
            return handler(ctx, *args, **kwargs)
        except BlindRuleError:
            raise
        except InputError as exc:
            if ctx.params["case_id"] not in ctx.fieldwork.store.case_ids(ctx.fieldwork.name):
                raise
            return ctx.render("refused.html", 409, message=str(exc))
    return handle


def _second_url(ctx: Any) -> str:
    return (f"/inspections/{quote(ctx.fieldwork.name, safe='')}/cases/"
            f"{quote(ctx.params['case_id'], safe='')}/second")


@_not_drawn
def second(ctx: Any, errors: dict[str, list[str]] | None = None, status: int = 200,
           saved: str = "", missing: list[str] | None = None) -> Response:
    """The second assessment of a drawn case: to start (a capture role, not its first
    assessor), to capture blind (its assessor), or as submitted."""
    from ..store.qa_page import OPEN, second_page
    page = second_page(ctx.fieldwork, ctx.params["case_id"], ctx.user.name, errors)
    locked = ctx.fieldwork.store.signed_off(ctx.fieldwork.name) is not None
    context = dict(name=ctx.fieldwork.name, case_id=ctx.params["case_id"], page=page, view=page.view,
                   second=True, second_open=page.state == OPEN, locked=locked, saved=saved,
                   errors=errors or {}, missing=missing or [])
    if ctx.htmx and page.view is not None:
        return ctx.render("_case.html", status, **context)
    return ctx.render("second.html", status, **context)


@_not_drawn
def second_start(ctx: Any) -> Response:
    from ..store.qa_page import start_second
    start_second(ctx.fieldwork, ctx.params["case_id"], ctx.user.name)
    return RedirectResponse(_second_url(ctx), status_code=303)


@_not_drawn
def second_answer(ctx: Any) -> Response:
    """Save one answer of the user's second assessment (autosave; the import's validation,
    problems shown beside the question, 422)."""
    from ..store.qa_page import NotOpen, save_second_answer
    question = ctx.field("question")
    try:
        save_second_answer(ctx.fieldwork, ctx.params["case_id"], question, typed_answer(ctx), ctx.user.name)
    except InputError as exc:
        if isinstance(exc, (BlindRuleError, NotOpen)):
            raise
        return second(ctx, {question: [p.message for p in exc.problems]}, 422)
    if not ctx.htmx:
        return RedirectResponse(_second_url(ctx), status_code=303)
    return second(ctx, saved=question)


@_not_drawn
def second_submit(ctx: Any) -> Response:
    """Submit the user's second assessment; refused (422) with what is missing until it has
    every summary judgement it needs."""
    from ..store.qa_page import submit_second
    missing = submit_second(ctx.fieldwork, ctx.params["case_id"], ctx.user.name)
    if missing:
        return second(ctx, status=422, missing=missing)
    return RedirectResponse(_second_url(ctx), status_code=303)


def qa(ctx: Any, errors: list[str] | None = None, status: int = 200) -> Response:
    """The inspection's quality assurance: the draws, the cases drawn or assessed twice, the
    agreement (the figures of ``inspect qa agreement``); for the lead, the disagreements."""
    fieldwork = ctx.fieldwork
    lead = may(ctx.user.role, "qa_reconcile")
    return ctx.render("qa.html", status, name=fieldwork.name, draws=fieldwork.store.qa_draws(fieldwork.name),
                      cases=sorted(fieldwork.store.qa_cases(fieldwork.name).values(), key=lambda q: q.case_id),
                      report=fieldwork.agreement(), errors=errors or [],
                      disagreements=fieldwork.disagreements() if lead else [])


def _qa_url(ctx: Any) -> str:
    return f"/inspections/{quote(ctx.fieldwork.name, safe='')}/qa"


def qa_draw(ctx: Any) -> Response:
    share, seed = ctx.field("share").strip(), ctx.field("seed").strip()
    try:
        number = float(share)
    except ValueError:
        return qa(ctx, [f"share: expected a percentage above 0 and at most 100, found {share!r}"], 422)
    if seed and not seed.isdigit():
        return qa(ctx, [f"seed: expected a whole number, found {seed!r}"], 422)
    try:
        ctx.fieldwork.draw_for_qa(number, ctx.user.name, int(seed) if seed else None)
    except InputError as exc:
        return qa(ctx, [str(p) for p in exc.problems] or [str(exc)], 422)
    return RedirectResponse(_qa_url(ctx), status_code=303)


def qa_reconcile(ctx: Any) -> Response:
    """The lead's reconciled answer to a disagreement, with its reason (audited by the service)."""
    try:
        ctx.fieldwork.reconcile(ctx.field("case_id"), ctx.field("question"), ctx.field("answer"),
                                ctx.field("reason"), ctx.user.name)
    except InputError as exc:
        return qa(ctx, [str(p) for p in exc.problems] or [str(exc)], 422)
    return RedirectResponse(_qa_url(ctx), status_code=303)
