"""The councillor's side of the desk: report a negative remark, ask for personal e-mail consent, see
one's own consents, and read and acknowledge the current policy and the relay notice.

Every list here is the signed-in person's own: a councillor never sees another councillor's reports or
consents (a screenshot of someone else's report answers 404, as if it did not exist).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from councilguard.web import auth, form_values
from councilguard.web.acknowledgements import PolicyVersion
from councilguard.web.errors import FormError
from councilguard.web.remarks import MAX_SCREENSHOT
from councilguard.web.roles import CHECKERS, Role, require
from councilguard.web.routes.api_common import RowId
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
councillor = require(Role.COUNCILLOR)
reporter_or_clerk = require(Role.COUNCILLOR, Role.PROPER_OFFICER)
reader = require(*CHECKERS)
PLATFORMS = ("Facebook", "X (Twitter)", "Instagram", "Nextdoor", "WhatsApp", "A local forum", "E-mail", "Other")


def _remarks_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    context.setdefault("values", {})
    context.setdefault("error", None)
    return page(request, "remarks.html", status, title="Report a negative remark", user=user,
                reports=request.app.state.remarks.mine(user.id), platforms=PLATFORMS,
                max_kb=MAX_SCREENSHOT // 1024, filed=request.query_params.get("filed"), **context)


@router.get("/remarks", include_in_schema=False)
def remarks(request: Request, user: User = Depends(councillor)) -> Response:
    return _remarks_page(request, user)


@router.post("/remarks", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def report_remark(request: Request, user: User = Depends(councillor)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("remark", "link", "platform", "note")}
    upload = form.get("screenshot")
    try:
        shot = await upload.read(MAX_SCREENSHOT + 1) if isinstance(upload, UploadFile) else b""
        made = request.app.state.remarks.file(
            user, remark=form_values.text(form, "remark", "The remark", limit=10_000),
            link=form_values.link(form, "link", "The link to the remark"),
            platform=form_values.text(form, "platform", "The platform", limit=100),
            note=form_values.text(form, "note", "Your note", limit=5_000, required=False), screenshot=shot or None)
    except FormError as exc:
        return _remarks_page(request, user, exc.status, values=values, error=exc)
    return RedirectResponse(f"/remarks?filed={made.id}", 303)


@router.get("/remarks/{report_id}/screenshot", include_in_schema=False)
def screenshot(report_id: RowId, request: Request, user: User = Depends(reporter_or_clerk)) -> Response:
    data, kind = request.app.state.remarks.screenshot(report_id, user)
    return Response(data, media_type=kind, headers={"Content-Disposition": f'inline; filename="remark-{report_id}"'})


def _consents_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    context.setdefault("values", {})
    context.setdefault("error", None)
    held = request.app.state.authorisations.of_holder(user.id)  # what the checker and the relay honour
    return page(request, "consents.html", status, title="Personal e-mail consent", user=user,
                consents=request.app.state.consents.mine(user.id), today=date.today(), held=held,
                revoked={a.consent_request_id: a for a in held if a.consent_request_id and a.revoked_at},
                asked=request.query_params.get("asked"), **context)


@router.get("/consents", include_in_schema=False)
def consents(request: Request, user: User = Depends(councillor)) -> Response:
    return _consents_page(request, user)


@router.post("/consents", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def ask_consent(request: Request, user: User = Depends(councillor)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("address", "reason", "period")}
    try:
        made = request.app.state.consents.ask(
            user, address=form_values.email(form, "address", "The personal e-mail address"),
            reason=form_values.text(form, "reason", "Why you need it", limit=5_000),
            period=form_values.text(form, "period", "For how long", limit=200))
    except FormError as exc:
        return _consents_page(request, user, exc.status, values=values, error=exc)
    return RedirectResponse(f"/consents?asked={made.id}", 303)


def _version(request: Request) -> PolicyVersion:
    return PolicyVersion.of(request.app.state.checker.pack)


@router.get("/policy", include_in_schema=False)
def policy(request: Request, user: User = Depends(reader)) -> Response:
    version = _version(request)
    return page(request, "policy.html", title="The policy and the e-mail notice", user=user, version=version,
                notice=request.app.state.checker.pack.relay.notice,
                acknowledged_at=request.app.state.acknowledgements.of(version).get(user.id))


@router.post("/policy/acknowledge", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
def acknowledge(request: Request, user: User = Depends(reader)) -> Response:
    request.app.state.acknowledgements.acknowledge(user.id, _version(request))
    return RedirectResponse("/policy", 303)
