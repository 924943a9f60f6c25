"""The policy's versions, the Clerk's attestations and the governance evidence pack as JSON, for the Proper
Officer only: the same services and checks as the pages in ``routes.governance``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from councilguard.web import auth, form_values
from councilguard.web.errors import FormError, WebError
from councilguard.web.incident_desk import as_web_error, readers
from councilguard.web.routes.api_common import Body, day, text
from councilguard.web.routes.desk import clerk
from councilguard.web.routes.governance import Year
from councilguard.web.users import User
from councilguard.workflow.attestations import TOPICS, Attestation
from councilguard.workflow.desk_errors import DeskError
from councilguard.workflow.governance_pack import attested_lines, shown_lines
from councilguard.workflow.policy_versions import STATUSES, VersionRecord

router = APIRouter(prefix="/api", tags=["governance"])
_PDF = {200: {"description": "The evidence pack", "content": {"application/pdf": {
    "schema": {"type": "string", "format": "binary"}}}}}
_ZIP = {200: {"description": "The evidence pack with one CSV per table", "content": {"application/zip": {
    "schema": {"type": "string", "format": "binary"}}}}}


class VersionIn(Body):
    version: str | None = text("The version, as the policy pack names it; the one in use if left out", limit=100,
                               required=False, example="2026.1")
    status: str = Field(description="What the council resolved", examples=["adopted"],
                        json_schema_extra={"enum": list(STATUSES)})
    adopted_on: str | None = day("When the council adopted it (needed once adopted)", example="2026-05-12",
                                 required=False)
    minute_ref: str | None = text("The minute reference of the decision (needed once adopted)", limit=200,
                                  example="Min 26/045", required=False)
    next_review: str | None = day("When it is next due for review; after the adoption date", example="2027-05-12",
                                  required=False)
    note: str | None = text("A note", limit=5_000, required=False, example="Adopted with the amendment to 7.2")


class VersionOut(BaseModel):
    version: str = Field(examples=["2026.1"])
    in_use: bool = Field(description="The version the checker enforces now")
    status: Literal["draft", "adopted"]
    adopted_on: date | None
    minute_ref: str | None
    next_review: date | None
    review_overdue: bool
    note: str
    acknowledged: int = Field(description="How many people have acknowledged this version")
    recorded_at: datetime | None = Field(description="When the Clerk first recorded it; null if never")
    updated_at: datetime | None
    updated_by: str | None


class ReaderOut(BaseModel):
    id: int
    name: str
    role: str


class AcknowledgedOut(ReaderOut):
    acknowledged_at: datetime


class VersionsOut(BaseModel):
    current: VersionOut
    versions: list[VersionOut] = Field(description="Every version, the one in use first")
    acknowledged: list[AcknowledgedOut] = Field(description="Who has acknowledged the version in use")
    not_acknowledged: list[ReaderOut] = Field(description="Councillors and staff with accounts who have not yet")


class AttestationIn(Body):
    topic: str = Field(description="What is attested", json_schema_extra={"enum": list(TOPICS)},
                       examples=["website-accessibility"])
    link: str = text("A link to the evidence, starting https://", limit=2_000,
                     example="https://croxleygreen-pc.gov.uk/accessibility")
    attested_on: str = day("The date you checked it", example="2026-04-02")
    statement: str | None = text("What you attest, if not the standard wording", limit=2_000, required=False,
                                 example="The website meets WCAG 2.2 AA; the statement was reviewed in April.")


class AttestationOut(BaseModel):
    id: int
    topic: str
    label: str
    statement: str
    link: str
    attested_on: date
    recorded_at: datetime
    recorded_by: str

    @classmethod
    def of(cls, a: Attestation) -> AttestationOut:
        return cls(id=a.id, topic=a.topic.id, label=a.topic.label, statement=a.statement, link=a.link,
                   attested_on=a.attested_on, recorded_at=a.recorded_at, recorded_by=a.recorded_by)


class TopicOut(BaseModel):
    topic: str
    label: str
    standard_statement: str
    link_to: str = Field(description="What the link should point at")
    current: AttestationOut | None = Field(description="The attestation in force, or null if none")


class GovernanceOut(BaseModel):
    year: str = Field(examples=["2025-26"])
    period_start: date
    period_end: date
    shown: list[str] = Field(description="What councilguard shows from the council's records, one line each")
    attested: list[str] = Field(description="What the Clerk attests, one line each")
    pdf_url: str
    zip_url: str


def _call(action, where: dict[str, str]):
    try:
        return action()
    except (DeskError, FormError) as exc:
        error: WebError = as_web_error(exc) if isinstance(exc, DeskError) else exc
        raise type(error)(error.message, where=where.get(error.where, error.where)) from None


def _version(v: VersionRecord, acknowledged: int, today: date) -> VersionOut:
    return VersionOut(version=v.version, in_use=v.installed, status=v.status, adopted_on=v.adopted_on,
                      minute_ref=v.minute_ref, next_review=v.review_on, review_overdue=v.review_overdue(today),
                      note=v.note, acknowledged=acknowledged, recorded_at=v.recorded_at, updated_at=v.updated_at,
                      updated_by=v.updated_by)


def _versions(request: Request) -> VersionsOut:
    state, pack, today = request.app.state, request.app.state.checker.pack, date.today()
    versions = state.policy_versions
    acks = versions.acknowledgements(pack, readers(state.users.list()))
    listed = [_version(v, versions.acknowledged_count(pack, v.version), today) for v in versions.history(pack)]
    return VersionsOut(current=next(v for v in listed if v.in_use), versions=listed,
                       acknowledged=[AcknowledgedOut(id=r.id, name=r.name, role=r.role, acknowledged_at=at)
                                     for r, at in acks.acknowledged],
                       not_acknowledged=[ReaderOut(id=r.id, name=r.name, role=r.role) for r in acks.missing])


@router.get("/policy-versions", response_model=VersionsOut)
def policy_versions(request: Request, user: User = Depends(clerk)) -> VersionsOut:
    """Every version of the policy, what the council resolved about it, and who has acknowledged the one in use."""
    return _versions(request)


@router.post("/policy-versions", response_model=VersionsOut, dependencies=[Depends(auth.verify_csrf)])
def record_version(body: VersionIn, request: Request, user: User = Depends(clerk)) -> VersionsOut:
    """Record (or correct) what the council resolved about a version. Written to the audit log."""
    values = body.model_dump()
    fields = {k: f"body.{k}" for k in VersionIn.model_fields}
    _call(lambda: request.app.state.policy_versions.record(
        request.app.state.checker.pack, user.email, version=body.version, status=body.status,
        adopted_on=form_values.day(values, "adopted_on", "The adoption date", required=False),
        minute_ref=body.minute_ref, review_on=form_values.day(values, "next_review", "The next review date",
                                                              required=False),
        note=body.note or "", today=date.today()), fields)
    return _versions(request)


@router.get("/attestations", response_model=list[TopicOut])
def attestations(request: Request, user: User = Depends(clerk)) -> list[TopicOut]:
    """What the Clerk attests for the governance return, and the attestation in force on each."""
    latest = request.app.state.attestations.latest(request.app.state.checker.pack)
    return [TopicOut(topic=t.id, label=t.label, standard_statement=t.statement, link_to=t.link_hint,
                     current=AttestationOut.of(latest[t.id]) if latest[t.id] else None) for t in TOPICS.values()]


@router.post("/attestations", response_model=AttestationOut, status_code=status.HTTP_201_CREATED,
             dependencies=[Depends(auth.verify_csrf)])
def attest(body: AttestationIn, request: Request, user: User = Depends(clerk)) -> AttestationOut:
    """Record an attestation with the link that evidences it. Written to the audit log."""
    values = body.model_dump()
    fields = {k: f"body.{k}" for k in AttestationIn.model_fields}
    return AttestationOut.of(_call(lambda: request.app.state.attestations.record(
        request.app.state.checker.pack, user.email, topic=body.topic, link=body.link,
        attested_on=form_values.day(values, "attested_on", "The date you checked it"), statement=body.statement,
        today=date.today()), fields))


@router.get("/governance/{year}", response_model=GovernanceOut)
def governance(request: Request, year: int = Year, user: User = Depends(clerk)) -> GovernanceOut:
    """The evidence for the digital and data compliance assertion, for the financial year ending in ``year``."""
    state = request.app.state
    e = _call(lambda: state.governance.gather(state.checker.pack, readers(state.users.list()), year_end=year,
                                              prepared_by=user.email, today=date.today()), {"year": "path.year"})
    return GovernanceOut(year=e.year.short, period_start=e.year.start, period_end=e.year.end, shown=shown_lines(e),
                         attested=attested_lines(e), pdf_url=f"/api/governance/{year}/evidence.pdf",
                         zip_url=f"/api/governance/{year}/evidence.zip")


def _export(request: Request, user: User, year: int):
    state = request.app.state
    return _call(lambda: state.governance.export(state.checker.pack, user.email, readers(state.users.list()),
                                                 year_end=year, today=date.today()), {"year": "path.year"})


@router.get("/governance/{year}/evidence.pdf", response_class=Response, responses=_PDF)
def evidence_pdf(request: Request, year: int = Year, user: User = Depends(clerk)) -> Response:
    """The evidence pack as a PDF. The export is written to the audit log with its SHA-256."""
    made = _export(request, user, year)
    return Response(made.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{made.name}.pdf"'})


@router.get("/governance/{year}/evidence.zip", response_class=Response, responses=_ZIP)
def evidence_zip(request: Request, year: int = Year, user: User = Depends(clerk)) -> Response:
    """The evidence pack as a zip: the PDF and one CSV per table. The export is written to the audit log."""
    made = _export(request, user, year)
    return Response(made.zip, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{made.name}.zip"'})
