"""The incident register as JSON, for the Proper Officer only: the same services and checks as the pages in
``routes.incidents``, with the answers as data.

There are three ways to open an incident, as on the pages, and none from a draft: ``POST /api/incidents``
(published material: its words, link and a base64 screenshot), ``POST /api/incidents/from-remark`` (a
reported remark's number) and ``POST /api/incidents/from-held-email`` (the archive record of mail the
relay held). Every change is written to the desk's audit log.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from councilguard.model import Report
from councilguard.web import auth, form_values
from councilguard.web.errors import FormError, WebError
from councilguard.web.incident_desk import as_web_error
from councilguard.web.routes.api_common import Body, ErrorOut, day, text as words
from councilguard.web.routes.desk import clerk
from councilguard.web.users import User
from councilguard.workflow.desk_errors import DeskError
from councilguard.workflow.evidence import MAX_SCREENSHOT
from councilguard.workflow.incident_model import Evidence, Incident
from councilguard.workflow.incidents import Published
from councilguard.workflow.referral import findings_on, referral_pack
from councilguard.workflow.sanctions import NOT_OURS

router = APIRouter(prefix="/api", tags=["incidents"])
MAX_ID = 2**31 - 1
_BASE64_LIMIT = (MAX_SCREENSHOT + 2) // 3 * 4
_CONFLICT = {409: {"model": ErrorOut, "description": "The incident's status does not allow this step yet (or any "
                                                     "more), or it was already opened from this source"}}
_MISSING = {404: {"model": ErrorOut, "description": "There is no such reported remark or archive record"}}
_PDF = {200: {"description": "The referral pack", "content": {"application/pdf": {
    "schema": {"type": "string", "format": "binary"}}}}}
_IMAGES = {200: {"description": "The screenshot as it was uploaded", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}}
    for kind in ("image/png", "image/jpeg", "image/gif", "image/webp")}}}
IncidentId = Path(ge=1, le=MAX_ID, description="The incident's number (INC-0007 is 7)")


def _councillor() -> str | None:
    return words("The councillor concerned, as named on the council's roster", limit=200, required=False,
                example="Priya Sharma")


def _rules() -> list[str]:
    return Field(default_factory=list, max_length=50, description="Rule ids of the policy it may breach "
                 "(GET /api/rules lists them)", examples=[["abuse-councillor"]])


class PublishedIn(Body):
    summary: str = words("A short summary of the incident", limit=300, example="Post calling the Vice-Chair a liar")
    text: str = words("The words as published, copied from the post", limit=20_000,
                     example="Tom Hargreaves is a liar and everyone knows it.")
    link: str = words("Where it was published, starting https://", limit=2_000,
                     example="https://www.facebook.com/groups/croxleygreen/posts/1234")
    platform: str | None = words("Where, in words", limit=100, required=False, example="Facebook")
    published_on: str | None = day("When it was published, if known", example="2026-11-20", required=False)
    screenshot_base64: str = Field(
        description=f"A screenshot of it (PNG, JPEG, GIF or WebP, at most {MAX_SCREENSHOT // 1024} KB), base64",
        json_schema_extra={"maxLength": _BASE64_LIMIT, "minLength": 1, "contentEncoding": "base64"})
    councillor: str | None = _councillor()
    rules: list[str] = _rules()


class FromRemarkIn(Body):
    report_id: int = Field(ge=1, le=MAX_ID, description="The reported remark's number", examples=[7])
    summary: str = words("A short summary of the incident", limit=300, example="Abusive reply to the play area post")
    councillor: str | None = _councillor()
    rules: list[str] = _rules()


class FromHeldEmailIn(Body):
    record_id: int = Field(ge=1, le=MAX_ID, description="The archive record number of the held message",
                           examples=[412])
    summary: str = words("A short summary of the incident", limit=300, example="E-mail naming a resident's illness")
    councillor: str | None = words("The councillor concerned; by default the sender, if a councillor", limit=200,
                                  required=False, example="Priya Sharma")
    rules: list[str] = _rules()


class NoteIn(Body):
    note: str = words("The note", limit=10_000, example="Spoke to the Chair; she asked for a referral.")


class EvidenceIn(Body):
    description: str = words("What the evidence shows", limit=2_000, example="A resident's e-mail complaining of it")
    link: str | None = words("A link (give one of link, text or screenshot)", limit=2_000, required=False,
                            example="https://x.com/someone/status/1")
    text: str | None = words("A text (give one of link, text or screenshot)", limit=20_000, required=False,
                            example="Dear Clerk, I was upset to read...")
    screenshot_base64: str | None = Field(
        None, description="A screenshot, base64 (give one of link, text or screenshot)",
        json_schema_extra={"maxLength": _BASE64_LIMIT, "contentEncoding": "base64"})
    captured_on: str | None = day("The evidence's date, if known", example="2026-11-21", required=False)


class DetailsIn(Body):
    councillor: str | None = _councillor()
    rules: list[str] = _rules()


class ReferIn(Body):
    referred_on: str = day("The date the referral was sent", example="2026-11-24")
    referral_ref: str | None = words("The Monitoring Officer's reference, if given", limit=200, required=False,
                                    example="MO/2026/031")
    note: str | None = words("A note", limit=10_000, required=False, example="Sent by e-mail with the pack.")


class OutcomeIn(Body):
    outcome: str = words("The outcome's id, one of those GET /api/sanctions lists", limit=64, example="no-breach")
    decided_on: str = day("The date it was decided", example="2027-01-15")
    decision_ref: str = words("The decision's reference (the decision notice or minute)", limit=200,
                             example="Standards Sub-Committee 15/01/27, item 4")
    note: str | None = words("A note", limit=10_000, required=False, example="Decision notice filed.")


class CloseIn(Body):
    reason: str = words("What was done, or why it is closed without a referral", limit=10_000,
                       example="Training completed on 3 February 2027.")


class IncidentSummaryOut(BaseModel):
    id: int = Field(examples=[7])
    reference: str = Field(examples=["INC-0007"])
    summary: str
    source: Literal["published", "remark-report", "held-email"]
    source_ref: str | None = Field(description="The report or archive record number it was opened from")
    councillor: str | None
    status: Literal["open", "referred", "outcome-recorded", "closed"]
    opened_at: datetime
    opened_by: str

    @classmethod
    def of(cls, i: Incident) -> IncidentSummaryOut:
        return cls(id=i.id, reference=i.reference, summary=i.summary, source=i.source_kind, source_ref=i.source_ref,
                   councillor=i.councillor, status=i.status, opened_at=i.opened_at, opened_by=i.opened_by)


class EvidenceOut(BaseModel):
    id: int
    kind: Literal["screenshot", "link", "text", "email"]
    description: str
    link: str | None
    text: str | None
    media_type: str | None
    sha256: str | None = Field(description="The screenshot's SHA-256, if it is one")
    size: int | None = Field(description="The screenshot's size in bytes, if it is one")
    captured_on: date | None
    added_at: datetime
    added_by: str
    file_url: str | None = Field(description="Where to fetch the screenshot, if it is one")

    @classmethod
    def of(cls, incident_id: int, e: Evidence) -> EvidenceOut:
        return cls(id=e.id, kind=e.kind, description=e.description, link=e.link, text=e.text,
                   media_type=e.media_type, sha256=e.sha256, size=e.size, captured_on=e.captured_on,
                   added_at=e.added_at, added_by=e.added_by,
                   file_url=f"/api/incidents/{incident_id}/evidence/{e.id}" if e.sha256 else None)


class EventOut(BaseModel):
    at: datetime
    actor: str
    kind: str = Field(examples=["referred"])
    status: str = Field(description="The incident's status after it")
    note: str


class OutcomeOut(BaseModel):
    id: str
    label: str
    decided_by: str
    legal_basis: str
    decided_on: date
    reference: str


class FindingOut(BaseModel):
    rule: str
    severity: Literal["advice", "warn", "block"]
    clause: str
    explanation: str
    words: list[str] = Field(description="The words the finding rests on")


class IncidentOut(IncidentSummaryOut):
    text: str
    link: str | None
    platform: str | None
    published_on: date | None
    rules: list[str]
    referred_on: date | None
    referred_by: str | None
    referral_ref: str | None
    outcome: OutcomeOut | None
    closed_at: datetime | None
    closed_by: str | None
    evidence: list[EvidenceOut]
    events: list[EventOut]
    findings: list[FindingOut] = Field(description="What the checker finds in the words today: an aid, not a "
                                                   "finding that the Code of Conduct was breached")
    referral_pack_url: str

    @classmethod
    def full(cls, i: Incident, report: Report) -> IncidentOut:
        o = i.outcome
        return cls(**IncidentSummaryOut.of(i).model_dump(), text=i.text, link=i.link, platform=i.platform,
                   published_on=i.published_on, rules=list(i.rules), referred_on=i.referred_on,
                   referred_by=i.referred_by, referral_ref=i.referral_ref,
                   outcome=OutcomeOut(id=o.id, label=o.label, decided_by=o.decided_by, legal_basis=o.legal_basis,
                                      decided_on=o.decided_on, reference=o.reference) if o else None,
                   closed_at=i.closed_at, closed_by=i.closed_by,
                   evidence=[EvidenceOut.of(i.id, e) for e in i.evidence],
                   events=[EventOut(at=e.at, actor=e.actor, kind=e.kind, status=e.status, note=e.note)
                           for e in i.events],
                   findings=[FindingOut(rule=f.rule, severity=f.severity.value, clause=f.clause,
                                        explanation=f.explanation, words=[e.text for e in f.evidence])
                             for f in report.findings],
                   referral_pack_url=f"/api/incidents/{i.id}/referral.pdf")


class SanctionOut(BaseModel):
    id: str = Field(examples=["no-breach"])
    label: str
    decided_by: str = Field(description="Who may decide it")
    legal_basis: str


class SanctionsOut(BaseModel):
    principal_authority: str | None = Field(description="Whose standards arrangements decide complaints")
    statement: str = Field(description="Why the parish council records outcomes but does not decide them")
    options: list[SanctionOut] = Field(description="The outcomes that can be recorded; empty if the pack lists none")


# --- helpers ----------------------------------------------------------------------------------------


def _call(action, renames: dict[str, str] | None = None):
    """Run a service call; its errors become web errors pointed at the request's part (``body.note``)."""
    try:
        return action()
    except (DeskError, FormError) as exc:
        error: WebError = as_web_error(exc) if isinstance(exc, DeskError) else exc
        where = (renames or {}).get(error.where) or (f"body.{error.where}" if error.where in _BODY else error.where)
        raise type(error)(error.message, where=where) from None


_BODY = {"summary", "text", "link", "platform", "published_on", "screenshot", "councillor", "rules", "note",
         "description", "captured_on", "referred_on", "referral_ref", "outcome", "decided_on", "decision_ref",
         "reason", "evidence"}
_PATH = {"incident": "path.incident_id", "status": "path.incident_id"}


def _screenshot(value: str | None) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise FormError("the screenshot is not valid base64 (letters, digits, + and /, padded with =)",
                        where="body.screenshot_base64") from None


def _full(request: Request, incident: Incident) -> IncidentOut:
    state = request.app.state
    return IncidentOut.full(incident, findings_on(state.checker, incident, state.archive))


# --- routes -----------------------------------------------------------------------------------------


Status = Literal["open", "referred", "outcome-recorded", "closed"]


@router.get("/incidents", response_model=list[IncidentSummaryOut])
def list_incidents(request: Request, user: User = Depends(clerk),
                   status_: Status | None = Query(None, alias="status", description="Only incidents with this status")
                   ) -> list[IncidentSummaryOut]:
    """The incident register, newest first."""
    return [IncidentSummaryOut.of(i) for i in request.app.state.incidents.list(status=status_)]


@router.post("/incidents", response_model=IncidentOut, status_code=status.HTTP_201_CREATED, responses=_CONFLICT,
             dependencies=[Depends(auth.verify_csrf)])
def open_published(body: PublishedIn, request: Request, user: User = Depends(clerk)) -> IncidentOut:
    """Open an incident from published material: its words, its link and a screenshot are all needed."""
    values = body.model_dump()
    shot = _screenshot(body.screenshot_base64)
    made = _call(lambda: request.app.state.incidents.open_published(
        user.email, Published(text=body.text, link=body.link, screenshot=shot, platform=body.platform or "",
                              published_on=form_values.day(values, "published_on", "The publication date",
                                                           required=False)),
        summary=body.summary, councillor=body.councillor, rules=body.rules, today=date.today()),
        {"screenshot": "body.screenshot_base64"})
    return _full(request, made)


@router.post("/incidents/from-remark", response_model=IncidentOut, status_code=status.HTTP_201_CREATED,
             responses={**_CONFLICT, **_MISSING}, dependencies=[Depends(auth.verify_csrf)])
def open_from_remark(body: FromRemarkIn, request: Request, user: User = Depends(clerk)) -> IncidentOut:
    """Open an incident from a remark a councillor reported; its words, link and screenshot become evidence."""
    made = _call(lambda: request.app.state.incidents.open_from_remark(
        user.email, body.report_id, summary=body.summary, councillor=body.councillor, rules=body.rules),
        {"report": "body.report_id", "source": "body.report_id"})
    return _full(request, made)


@router.post("/incidents/from-held-email", response_model=IncidentOut, status_code=status.HTTP_201_CREATED,
             responses={**_CONFLICT, **_MISSING}, dependencies=[Depends(auth.verify_csrf)])
def open_from_held_email(body: FromHeldEmailIn, request: Request, user: User = Depends(clerk)) -> IncidentOut:
    """Open an incident from mail the relay held, by its archive record number; the archived copy is evidence."""
    made = _call(lambda: request.app.state.incidents.open_from_held_email(
        user.email, body.record_id, summary=body.summary, councillor=body.councillor, rules=body.rules),
        {"record": "body.record_id", "source": "body.record_id"})
    return _full(request, made)


@router.get("/incidents/{incident_id}", response_model=IncidentOut)
def incident(request: Request, incident_id: int = IncidentId, user: User = Depends(clerk)) -> IncidentOut:
    """One incident with its evidence, history and what the checker finds in its words."""
    return _full(request, _call(lambda: request.app.state.incidents.get(incident_id), _PATH))


@router.get("/incidents/{incident_id}/evidence/{evidence_id}", response_class=Response, responses=_IMAGES)
def evidence_file(request: Request, incident_id: int = IncidentId,
                  evidence_id: int = Path(ge=1, le=MAX_ID, description="The evidence item's number"),
                  user: User = Depends(clerk)) -> Response:
    """A screenshot kept as evidence, exactly as it was uploaded."""
    data, kind = _call(lambda: request.app.state.incidents.evidence_file(incident_id, evidence_id),
                       {"evidence": "path.evidence_id"})
    return Response(data, media_type=kind)


@router.get("/incidents/{incident_id}/referral.pdf", response_class=Response, responses=_PDF)
def referral(request: Request, incident_id: int = IncidentId, user: User = Depends(clerk)) -> Response:
    """The referral pack for the Monitoring Officer (PDF). Preparing it is recorded on the incident."""
    state = request.app.state
    made = _call(lambda: referral_pack(state.incidents, incident_id, state.checker, prepared_by=user.email,
                                       archive=state.archive, today=date.today()), _PATH)
    return Response(made.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{made.filename}"'})


@router.post("/incidents/{incident_id}/notes", response_model=IncidentOut, responses=_CONFLICT,
             dependencies=[Depends(auth.verify_csrf)])
def add_note(body: NoteIn, request: Request, incident_id: int = IncidentId,
             user: User = Depends(clerk)) -> IncidentOut:
    """Add a note to an incident that is not closed."""
    return _full(request, _call(lambda: request.app.state.incidents.add_note(incident_id, user.email, body.note),
                                _PATH))


@router.post("/incidents/{incident_id}/evidence", response_model=IncidentOut, responses=_CONFLICT,
             dependencies=[Depends(auth.verify_csrf)])
def add_evidence(body: EvidenceIn, request: Request, incident_id: int = IncidentId,
                 user: User = Depends(clerk)) -> IncidentOut:
    """Add one piece of evidence: a link, a text or a screenshot."""
    values = body.model_dump()
    shot = _screenshot(body.screenshot_base64)
    return _full(request, _call(lambda: request.app.state.incidents.add_evidence(
        incident_id, user.email, description=body.description, link=body.link, text=body.text, screenshot=shot,
        captured_on=form_values.day(values, "captured_on", "The evidence's date", required=False),
        today=date.today()), {**_PATH, "screenshot": "body.screenshot_base64", "evidence": "body"}))


@router.put("/incidents/{incident_id}/details", response_model=IncidentOut, responses=_CONFLICT,
            dependencies=[Depends(auth.verify_csrf)])
def set_details(body: DetailsIn, request: Request, incident_id: int = IncidentId,
                user: User = Depends(clerk)) -> IncidentOut:
    """Name the councillor concerned and the clauses it may breach (while the incident is open)."""
    return _full(request, _call(lambda: request.app.state.incidents.set_details(
        incident_id, user.email, councillor=body.councillor, rules=body.rules), _PATH))


@router.post("/incidents/{incident_id}/refer", response_model=IncidentOut, responses=_CONFLICT,
             dependencies=[Depends(auth.verify_csrf)])
def refer(body: ReferIn, request: Request, incident_id: int = IncidentId, user: User = Depends(clerk)) -> IncidentOut:
    """Record that the incident was referred to the Monitoring Officer (the councillor must be named)."""
    values = body.model_dump()
    return _full(request, _call(lambda: request.app.state.incidents.refer(
        incident_id, user.email, referred_on=form_values.day(values, "referred_on", "The date of the referral"),
        referral_ref=body.referral_ref, note=body.note or "", today=date.today()), _PATH))


@router.post("/incidents/{incident_id}/outcome", response_model=IncidentOut, responses=_CONFLICT,
             dependencies=[Depends(auth.verify_csrf)])
def record_outcome(body: OutcomeIn, request: Request, incident_id: int = IncidentId,
                   user: User = Depends(clerk)) -> IncidentOut:
    """Record the outcome the principal authority decided; only an outcome GET /api/sanctions lists is taken."""
    values = body.model_dump()
    return _full(request, _call(lambda: request.app.state.incidents.record_outcome(
        incident_id, user.email, outcome=body.outcome,
        decided_on=form_values.day(values, "decided_on", "The date of the decision"),
        decision_ref=body.decision_ref, note=body.note or "", today=date.today()), _PATH))


@router.post("/incidents/{incident_id}/close", response_model=IncidentOut, responses=_CONFLICT,
             dependencies=[Depends(auth.verify_csrf)])
def close(body: CloseIn, request: Request, incident_id: int = IncidentId, user: User = Depends(clerk)) -> IncidentOut:
    """Close an incident whose outcome is recorded, or an open one that will not be referred."""
    return _full(request, _call(lambda: request.app.state.incidents.close(incident_id, user.email,
                                                                          reason=body.reason), _PATH))


@router.get("/sanctions", response_model=SanctionsOut)
def sanctions(request: Request, user: User = Depends(clerk)) -> SanctionsOut:
    """The outcomes of standards complaints the council's policy pack lists, and who decides each."""
    s = request.app.state.incidents.sanctions
    return SanctionsOut(principal_authority=s.principal_authority, statement=NOT_OURS,
                        options=[SanctionOut(id=o.id, label=o.label, decided_by=o.decided_by,
                                             legal_basis=o.legal_basis) for o in s.options])
