"""The Proper Officer's desk: one page of everything that needs the Clerk, with the actions beside it.

Open reports of negative remarks (mark handled with a note), consent requests (grant until a date, or
refuse with a reason), mail the relay holds, information requests by due date, the policy's adoption
and review record, and who has (and has not) acknowledged the current policy version. Every action is
written to the desk's audit log in the same transaction as the change. Only the Proper Officer may use it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from councilguard.web import auth, form_values
from councilguard.web.acknowledgements import PolicyVersion, asked_to_acknowledge
from councilguard.web.errors import FormError
from councilguard.web.held_mail import held_records
from councilguard.web.policy_review import STATUSES
from councilguard.web.roles import Role, require
from councilguard.web.routes.api_common import RowId
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
clerk = require(Role.PROPER_OFFICER)


def _desk(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    state, today = request.app.state, date.today()
    pack = state.checker.pack
    version = PolicyVersion.of(pack)
    acknowledged = state.acknowledgements.of(version)
    people = asked_to_acknowledge(state.users.list())
    held_count, held = held_records(state.archive)
    requests = state.requests.list_requests(today=today)
    context.setdefault("error", None)
    return page(request, "desk.html", status, title="The Proper Officer's desk", user=user, today=today,
                reports=state.remarks.open(), pending=state.consents.pending(), granted=state.consents.granted(),
                held=held, held_count=held_count, requests=requests, review=state.policy_review.get(pack),
                statuses=STATUSES, version=version, official_waiting=len(state.official_posts.waiting()),
                open_incidents=state.incidents.open_count(),
                acknowledged=[(u, acknowledged[u.id]) for u in people if u.id in acknowledged],
                not_acknowledged=[u for u in people if u.id not in acknowledged],
                audit=state.desk_audit.latest(10), done=_DONE.get(request.query_params.get("done", "")), **context)


@router.get("/desk", include_in_schema=False)
def desk(request: Request, user: User = Depends(clerk)) -> Response:
    return _desk(request, user)


_DONE = {"handled": "The report was marked handled.", "granted": "The consent was granted.",
         "refused": "The consent was refused.", "review": "The policy's record was saved."}


def _done(what: str, anchor: str) -> Response:
    return RedirectResponse(f"/desk?done={what}#{anchor}", 303)


@router.post("/desk/remarks/{report_id}/handled", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def handle_remark(report_id: RowId, request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    try:
        note = form_values.text(form, "note", "A note of what was done", limit=5_000)
        request.app.state.remarks.handle(report_id, user, note)
    except FormError as exc:
        return _desk(request, user, exc.status, error=_at(exc, f"note-{report_id}"))
    return _done("handled", "reports")


@router.post("/desk/consents/{consent_id}/grant", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def grant_consent(consent_id: RowId, request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    try:
        expires_on = form_values.day(form, "expires_on", "The date the consent ends")
        source = form_values.text(form, "source", "The source of the decision", limit=300)
        request.app.state.consents.grant(consent_id, user, expires_on=expires_on, source=source, today=date.today())
    except FormError as exc:
        return _desk(request, user, exc.status, error=_at(exc, f"expires-{consent_id}"))
    return _done("granted", "consents")


@router.post("/desk/consents/{consent_id}/refuse", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def refuse_consent(consent_id: RowId, request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    try:
        reason = form_values.text(form, "reason", "The reason for refusing", limit=5_000)
        request.app.state.consents.refuse(consent_id, user, reason=reason)
    except FormError as exc:
        return _desk(request, user, exc.status, error=_at(exc, f"reason-{consent_id}"))
    return _done("refused", "consents")


@router.post("/desk/policy-review", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def save_review(request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    try:
        request.app.state.policy_review.save(
            request.app.state.checker.pack, user, status=str(form.get("status") or ""),
            adopted_on=form_values.day(form, "adopted_on", "The adoption date", required=False),
            minute_ref=form_values.text(form, "minute_ref", "The minute reference", limit=200, required=False),
            next_review=form_values.day(form, "next_review", "The next review date", required=False))
    except FormError as exc:
        return _desk(request, user, exc.status, error=exc)
    return _done("review", "policy")


def _at(exc: FormError, field: str) -> FormError:
    """The error pointed at the field of the row's own form (the desk shows one form per row)."""
    if exc.where in ("note", "expires_on", "source", "reason"):
        suffix = field.rsplit("-", 1)[1]
        return FormError(exc.message, where=f"{exc.where.replace('_', '-')}-{suffix}")
    return exc
