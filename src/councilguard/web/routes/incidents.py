"""The incident register at the Proper Officer's desk: open an incident from published material, a
reported remark or held mail; add notes and evidence; refer it to the Monitoring Officer with the
referral pack (PDF); record the outcome the principal authority decided; close it.

There is no route that takes a draft: the three ways in are the only ones (``workflow.incident_sources``).
Only the Proper Officer may use these pages; every action is in the desk's audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from councilguard.web import auth, form_values
from councilguard.web.errors import FormError, WebError
from councilguard.web.incident_desk import as_web_error
from councilguard.web.routes.desk import clerk
from councilguard.web.templating import page
from councilguard.web.users import User
from councilguard.workflow.desk_errors import DeskError
from councilguard.workflow.evidence import MAX_SCREENSHOT
from councilguard.workflow.incident_model import STATUS_LABELS
from councilguard.workflow.incidents import Published
from councilguard.workflow.referral import findings_on, referral_pack

router = APIRouter()
PLATFORMS = ("Facebook", "X (Twitter)", "Instagram", "Nextdoor", "WhatsApp", "A local forum", "A website",
             "Other")
_ELSEWHERE = {"councillor": "details-councillor", "rules": "details-rules"}
_DONE = {"opened": "The incident was opened.", "note": "The note was added.", "evidence": "The evidence was added.",
         "details": "The councillor and clauses were saved.", "referred": "The referral was recorded.",
         "outcome": "The outcome was recorded.", "closed": "The incident was closed."}


def _register(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    state = request.app.state
    wanted = request.query_params.get("status") or None
    context.setdefault("values", {})
    context.setdefault("error", None)
    incidents = state.incidents.list(status=wanted) if wanted in STATUS_LABELS else state.incidents.list()
    return page(request, "incidents.html", status, title="Incidents", user=user, incidents=incidents,
                statuses=STATUS_LABELS, wanted=wanted if wanted in STATUS_LABELS else None, platforms=PLATFORMS,
                **_choices(request), max_kb=MAX_SCREENSHOT // 1024, today=date.today(), **context)


def _choices(request: Request) -> dict[str, Any]:
    pack = request.app.state.checker.pack
    return {"councillors": [m.name for m in pack.council.of_kind("councillor")], "rules": pack.rules}


@router.get("/desk/incidents", include_in_schema=False)
def register(request: Request, user: User = Depends(clerk)) -> Response:
    return _register(request, user)


@router.post("/desk/incidents", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def open_published(request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("summary", "text", "link", "platform", "published_on",
                                                   "councillor")}
    values["rules"] = form.getlist("rules")
    upload = form.get("screenshot")
    try:
        shot = await upload.read(MAX_SCREENSHOT + 1) if isinstance(upload, UploadFile) else b""
        material = Published(text=values["text"], link=values["link"], screenshot=shot or None,
                             platform=values["platform"],
                             published_on=form_values.day(form, "published_on", "The date it was published",
                                                          required=False))
        made = request.app.state.incidents.open_published(
            user.email, material, summary=values["summary"], councillor=values["councillor"] or None,
            rules=values["rules"], today=date.today())
    except (DeskError, FormError) as exc:
        return _register(request, user, _web(exc).status, values=values, error=_web(exc))
    return RedirectResponse(f"/desk/incidents/{made.id}?done=opened", 303)


@router.post("/desk/incidents/from-remark/{report_id}", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def open_from_remark(report_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    summary = await _summary(request, f"Remark reported to the Clerk (report {report_id})")
    return _opened(lambda: request.app.state.incidents.open_from_remark(user.email, report_id, summary=summary))


@router.post("/desk/incidents/from-held/{record_id}", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def open_from_held(record_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    summary = await _summary(request, f"E-mail held by the relay (record {record_id})")
    return _opened(lambda: request.app.state.incidents.open_from_held_email(user.email, record_id, summary=summary))


async def _summary(request: Request, default: str) -> str:
    """The summary the Clerk typed, or ``default`` naming the source."""
    form = await request.form()
    return str(form.get("summary") or "").strip() or default


def _opened(open_incident: Callable[[], Any]) -> Response:
    """Open the incident and show it; a desk error (no such source, wrong state) answers as the web error."""
    try:
        made = open_incident()
    except DeskError as exc:
        raise as_web_error(exc) from None
    return RedirectResponse(f"/desk/incidents/{made.id}?done=opened", 303)


def _incident_page(request: Request, user: User, incident_id: int, status: int = 200, **context: Any) -> Response:
    state = request.app.state
    try:
        incident = state.incidents.get(incident_id)
    except DeskError as exc:
        raise as_web_error(exc) from None
    context.setdefault("error", None)
    return page(request, "incident.html", status, title=f"Incident {incident.reference}", user=user,
                incident=incident, report=findings_on(state.checker, incident, state.archive),
                sanctions=state.incidents.sanctions, today=date.today(), **_choices(request),
                done=_DONE.get(request.query_params.get("done", "")), **context)


@router.get("/desk/incidents/{incident_id}", include_in_schema=False)
def incident(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    return _incident_page(request, user, incident_id)


@router.get("/desk/incidents/{incident_id}/evidence/{evidence_id}", include_in_schema=False)
def evidence_file(incident_id: int, evidence_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    try:
        data, kind = request.app.state.incidents.evidence_file(incident_id, evidence_id)
    except DeskError as exc:
        raise as_web_error(exc) from None
    return Response(data, media_type=kind, headers={
        "Content-Disposition": f'inline; filename="incident-{incident_id}-evidence-{evidence_id}"'})


@router.get("/desk/incidents/{incident_id}/referral.pdf", include_in_schema=False)
def referral(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    state = request.app.state
    try:
        made = referral_pack(state.incidents, incident_id, state.checker, prepared_by=user.email,
                             archive=state.archive, today=date.today())
    except DeskError as exc:
        raise as_web_error(exc) from None
    return Response(made.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{made.filename}"'})


async def _act(request: Request, user: User, incident_id: int, name: str, done: str, action) -> Response:
    """Run one form's action; on a problem show the page again with the error pointed at that form's field
    (several forms share field names, so each form's ids are prefixed with its name)."""
    form = await request.form()
    try:
        await action(form)
    except (DeskError, FormError) as exc:
        error = _web(exc)
        if error.where in _ELSEWHERE:  # a field of another form (e.g. name the councillor before referring)
            error = type(error)(error.message, where=_ELSEWHERE[error.where])
        elif error.where and error.where not in ("incident", "status", "evidence"):
            error = type(error)(error.message, where=f"{name}-{error.where.replace('_', '-')}")
        return _incident_page(request, user, incident_id, error.status, error=error)
    return RedirectResponse(f"/desk/incidents/{incident_id}?done={done}#{name}", 303)


@router.post("/desk/incidents/{incident_id}/notes", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def add_note(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    async def act(form):
        request.app.state.incidents.add_note(incident_id, user.email, str(form.get("note") or ""))
    return await _act(request, user, incident_id, "note", "note", act)


@router.post("/desk/incidents/{incident_id}/evidence", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def add_evidence(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    async def act(form):
        upload = form.get("screenshot")
        shot = await upload.read(MAX_SCREENSHOT + 1) if isinstance(upload, UploadFile) else b""
        request.app.state.incidents.add_evidence(
            incident_id, user.email, description=str(form.get("description") or ""),
            link=str(form.get("evidence_link") or "") or None, text=str(form.get("evidence_text") or "") or None,
            screenshot=shot or None,
            captured_on=form_values.day(form, "captured_on", "The date of the evidence", required=False),
            today=date.today())
    return await _act(request, user, incident_id, "evidence", "evidence", act)


@router.post("/desk/incidents/{incident_id}/details", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def set_details(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    async def act(form):
        request.app.state.incidents.set_details(incident_id, user.email,
                                                councillor=str(form.get("councillor") or "") or None,
                                                rules=[str(r) for r in form.getlist("rules")])
    return await _act(request, user, incident_id, "details", "details", act)


@router.post("/desk/incidents/{incident_id}/refer", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def refer(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    async def act(form):
        request.app.state.incidents.refer(
            incident_id, user.email,
            referred_on=form_values.day(form, "referred_on", "The date of the referral"),
            referral_ref=str(form.get("referral_ref") or ""), note=str(form.get("note") or ""), today=date.today())
    return await _act(request, user, incident_id, "refer", "referred", act)


@router.post("/desk/incidents/{incident_id}/outcome", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def record_outcome(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    async def act(form):
        request.app.state.incidents.record_outcome(
            incident_id, user.email, outcome=str(form.get("outcome") or ""),
            decided_on=form_values.day(form, "decided_on", "The date of the decision"),
            decision_ref=str(form.get("decision_ref") or ""), note=str(form.get("note") or ""), today=date.today())
    return await _act(request, user, incident_id, "outcome", "outcome", act)


@router.post("/desk/incidents/{incident_id}/close", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def close(incident_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    async def act(form):
        request.app.state.incidents.close(incident_id, user.email, reason=str(form.get("reason") or ""))
    return await _act(request, user, incident_id, "close", "closed", act)


def _web(exc: DeskError | FormError) -> WebError:
    return as_web_error(exc) if isinstance(exc, DeskError) else exc
