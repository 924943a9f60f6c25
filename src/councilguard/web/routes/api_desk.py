"""The Proper Officer's desk as JSON, for the Proper Officer only.

Everything ``routes.desk`` shows and does, through the same services: reported remarks (mark handled),
consent requests (grant until a date, or refuse), the policy's adoption and review record, who has
acknowledged the current policy, mail the relay holds (read-only: releasing is done at the relay),
information requests by due date, and the desk's audit log. Every action is written to the audit log in
the same transaction as the change, by the service, exactly as from the page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from councilguard.web import auth, form_values
from councilguard.web.acknowledgements import PolicyVersion, asked_to_acknowledge
from councilguard.web.held_mail import held_records
from councilguard.web.policy_review import STATUSES, Review
from councilguard.web.routes.api_common import Body, RowId, body_fields, day, pointed_at, text
from councilguard.web.routes.api_councillor import ConsentOut, PolicyVersionOut, RemarkOut
from councilguard.web.routes.desk import clerk
from councilguard.web.users import User

router = APIRouter(prefix="/api/desk", tags=["desk"])
_REPORT = {"report": "path.report_id", "reports": "path.report_id"}
_CONSENT = {"consent": "path.consent_id", "consents": "path.consent_id"}


class SummaryOut(BaseModel):
    open_reports: int = Field(description="Reported remarks not yet handled")
    pending_consents: int = Field(description="Consent requests waiting for a decision")
    held_mail: int = Field(description="Messages the relay holds for the Clerk")
    open_requests: int = Field(description="Information requests not yet closed")
    policy_status: Literal["draft", "adopted"]
    review_overdue: bool = Field(description="The policy's next review date has passed")
    not_acknowledged: int = Field(description="Councillors and staff who have not acknowledged the current policy")
    official_waiting: int = Field(description="Posts for the official accounts waiting for approval")
    open_incidents: int = Field(description="Incidents in the register not yet closed")


class HandledIn(Body):
    note: str = text("A note of what was done", limit=5_000,
                     example="Reported to Facebook; replied to the resident by letter.")


class HandledOut(BaseModel):
    id: int = Field(description="The report's number", examples=[7])
    status: Literal["handled"]
    handled_by: str = Field(description="Your e-mail address, as the audit log records it")
    handled_note: str


class GrantIn(Body):
    expires_on: str = day("The last day the consent covers; it must be after today", example="2027-05-31")
    source: str = text("The source of the decision: the Clerk's own, or a minute", limit=300,
                       example="Clerk's decision 2026-11-25")


class RefuseIn(Body):
    reason: str = text("The reason for refusing, which the councillor will see", limit=5_000,
                       example="Council e-mail works on your phone: please use it.")


class DecisionOut(BaseModel):
    id: int = Field(description="The consent request's number", examples=[3])
    status: Literal["granted", "refused"]
    decided_by: str = Field(description="Your e-mail address, as the audit log records it")
    expires_on: date | None = Field(None, description="For a grant: its last day")
    source: str | None = Field(None, description="For a grant: the source of the decision")
    refusal_reason: str | None = Field(None, description="For a refusal: the reason given")


class ReviewIn(Body):
    status: str = Field(description="What the council has resolved", examples=["adopted"],
                        json_schema_extra={"enum": list(STATUSES)})
    adopted_on: str | None = day("When the council adopted it (needed once adopted)", example="2026-05-12",
                                 required=False)
    minute_ref: str | None = text("The minute reference of the decision (needed once adopted)", limit=200,
                                  example="Min 26/045", required=False)
    next_review: str | None = day("When it is next due for review; after the adoption date",
                                  example="2027-05-12", required=False)


class ReviewOut(BaseModel):
    policy: PolicyVersionOut
    status: Literal["draft", "adopted"]
    adopted_on: date | None
    minute_ref: str | None
    next_review: date | None
    overdue: bool = Field(description="The next review date has passed")
    updated_at: datetime | None = Field(description="When the Clerk last saved the record; null if never")
    updated_by: str | None

    @classmethod
    def of(cls, r: Review, version: PolicyVersion, today: date) -> ReviewOut:
        return cls(policy=PolicyVersionOut.of(version), status=r.status, adopted_on=r.adopted_on,
                   minute_ref=r.minute_ref, next_review=r.next_review, overdue=r.overdue(today),
                   updated_at=r.updated_at, updated_by=r.updated_by)


class PersonOut(BaseModel):
    id: int
    name: str = Field(examples=["Margaret Ellis"])
    role: str = Field(examples=["councillor"])


class AcknowledgedOut(PersonOut):
    acknowledged_at: datetime


class AcknowledgementsOut(BaseModel):
    policy: PolicyVersionOut
    acknowledged: list[AcknowledgedOut] = Field(description="Councillors and staff who have, by name")
    not_acknowledged: list[PersonOut] = Field(description="Councillors and staff who have not yet, by name")


class HeldMessageOut(BaseModel):
    id: int = Field(description="The archive's record number")
    received_at: datetime
    sender: str
    subject: str
    verdict: str = Field(examples=["warn"])
    rules: list[str] = Field(description="The rules the message may breach", examples=[["personal-data"]])


class HeldMailOut(BaseModel):
    count: int = Field(description="How many messages are held in all")
    messages: list[HeldMessageOut] = Field(description="The oldest of them, up to the limit asked for")


class InfoRequestOut(BaseModel):
    reference: str = Field(examples=["FOI-2026-004"])
    kind: Literal["foi", "eir", "sar"]
    requester: str = Field(description="The requester's name")
    received: date
    due: date | None = Field(description="The legal due date; null while the clock is stopped")
    state: str = Field(description="open, due-today, overdue, awaiting-fee, paused-awaiting-clarification, ...",
                       examples=["open"])
    problem: str | None = Field(description="Why the clock cannot be read, if it cannot")


class AuditEntryOut(BaseModel):
    at: datetime
    actor: str = Field(description="Who acted (their e-mail address)")
    action: str = Field(examples=["consent-granted"])
    target_kind: str = Field(examples=["consent-request"])
    target_id: str = Field(examples=["3"])
    detail: dict[str, Any]


def _version(request: Request) -> PolicyVersion:
    return PolicyVersion.of(request.app.state.checker.pack)


def _people(request: Request) -> list[User]:
    return asked_to_acknowledge(request.app.state.users.list())


@router.get("", response_model=SummaryOut)
def summary(request: Request, user: User = Depends(clerk)) -> SummaryOut:
    """What needs the Clerk's attention, in numbers (the top of the desk page)."""
    state, today = request.app.state, date.today()
    acknowledged = state.acknowledgements.of(_version(request))
    review = state.policy_review.get(state.checker.pack)
    return SummaryOut(open_reports=len(state.remarks.open()), pending_consents=len(state.consents.pending()),
                      held_mail=held_records(state.archive, limit=0)[0],
                      open_requests=len(state.requests.list_requests(today=today)), policy_status=review.status,
                      review_overdue=review.overdue(today),
                      not_acknowledged=sum(u.id not in acknowledged for u in _people(request)),
                      official_waiting=len(state.official_posts.waiting()), open_incidents=state.incidents.open_count())


@router.get("/remarks", response_model=list[RemarkOut])
def open_remarks(request: Request, user: User = Depends(clerk)) -> list[RemarkOut]:
    """Reported remarks not yet handled, oldest first."""
    return [RemarkOut.of(r) for r in request.app.state.remarks.open()]


@router.post("/remarks/{report_id}/handled", response_model=HandledOut, dependencies=[Depends(auth.verify_csrf)])
def handle_remark(report_id: RowId, body: HandledIn, request: Request, user: User = Depends(clerk)) -> HandledOut:
    """Mark a reported remark handled, with a note of what was done. Written to the audit log."""
    with pointed_at(body_fields(HandledIn, **_REPORT)):
        note = form_values.text(body.model_dump(), "note", "A note of what was done", limit=5_000)
        request.app.state.remarks.handle(report_id, user, note)
    return HandledOut(id=report_id, status="handled", handled_by=user.email, handled_note=note)


@router.get("/consents", response_model=list[ConsentOut])
def consents(request: Request, user: User = Depends(clerk),
             status: Literal["pending", "granted"] = Query(
                 "pending", description="pending: waiting for a decision; granted: given (some may have expired)")
             ) -> list[ConsentOut]:
    """Consent requests waiting for a decision, or the consents given, oldest first."""
    found = request.app.state.consents.pending() if status == "pending" else request.app.state.consents.granted()
    today = date.today()
    return [ConsentOut.of(c, today) for c in found]


@router.post("/consents/{consent_id}/grant", response_model=DecisionOut, dependencies=[Depends(auth.verify_csrf)])
def grant_consent(consent_id: RowId, body: GrantIn, request: Request, user: User = Depends(clerk)) -> DecisionOut:
    """Grant a consent request until a date, naming the source of the decision. Written to the audit log."""
    values = body.model_dump()
    with pointed_at(body_fields(GrantIn, **_CONSENT)):
        expires_on = form_values.day(values, "expires_on", "The date the consent ends")
        source = form_values.text(values, "source", "The source of the decision", limit=300)
        request.app.state.consents.grant(consent_id, user, expires_on=expires_on, source=source, today=date.today())
    return DecisionOut(id=consent_id, status="granted", decided_by=user.email, expires_on=expires_on, source=source)


@router.post("/consents/{consent_id}/refuse", response_model=DecisionOut, dependencies=[Depends(auth.verify_csrf)])
def refuse_consent(consent_id: RowId, body: RefuseIn, request: Request, user: User = Depends(clerk)) -> DecisionOut:
    """Refuse a consent request with a reason the councillor will see. Written to the audit log."""
    with pointed_at(body_fields(RefuseIn, **_CONSENT)):
        reason = form_values.text(body.model_dump(), "reason", "The reason for refusing", limit=5_000)
        request.app.state.consents.refuse(consent_id, user, reason=reason)
    return DecisionOut(id=consent_id, status="refused", decided_by=user.email, refusal_reason=reason)


@router.get("/policy-review", response_model=ReviewOut)
def policy_review(request: Request, user: User = Depends(clerk)) -> ReviewOut:
    """The policy's adoption and review record (the pack's own status until the Clerk saves one)."""
    review = request.app.state.policy_review.get(request.app.state.checker.pack)
    return ReviewOut.of(review, _version(request), date.today())


@router.put("/policy-review", response_model=ReviewOut, dependencies=[Depends(auth.verify_csrf)])
def save_policy_review(body: ReviewIn, request: Request, user: User = Depends(clerk)) -> ReviewOut:
    """Record what the council resolved and when the policy is next due for review. Written to the audit log."""
    values = body.model_dump()
    with pointed_at(body_fields(ReviewIn)):
        review = request.app.state.policy_review.save(
            request.app.state.checker.pack, user, status=body.status,
            adopted_on=form_values.day(values, "adopted_on", "The adoption date", required=False),
            minute_ref=form_values.text(values, "minute_ref", "The minute reference", limit=200, required=False),
            next_review=form_values.day(values, "next_review", "The next review date", required=False))
    return ReviewOut.of(review, _version(request), date.today())


@router.get("/acknowledgements", response_model=AcknowledgementsOut)
def acknowledgements(request: Request, user: User = Depends(clerk)) -> AcknowledgementsOut:
    """Who has, and who has not, acknowledged the current policy version."""
    version = _version(request)
    done = request.app.state.acknowledgements.of(version)
    people = _people(request)
    return AcknowledgementsOut(
        policy=PolicyVersionOut.of(version),
        acknowledged=[AcknowledgedOut(id=u.id, name=u.name, role=u.role.value, acknowledged_at=done[u.id])
                      for u in people if u.id in done],
        not_acknowledged=[PersonOut(id=u.id, name=u.name, role=u.role.value) for u in people if u.id not in done])


@router.get("/held-mail", response_model=HeldMailOut)
def held_mail(request: Request, user: User = Depends(clerk),
              limit: int = Query(50, ge=1, le=500, description="At most this many messages, oldest first")
              ) -> HeldMailOut:
    """Mail the relay holds for the Clerk. Release or discard it at the relay (``councilguard held``)."""
    count, held = held_records(request.app.state.archive, limit=limit)
    return HeldMailOut(count=count, messages=[
        HeldMessageOut(id=m.id, received_at=m.received_at, sender=m.sender, subject=m.subject, verdict=m.verdict,
                       rules=[f.rule for f in m.findings]) for m in held])


@router.get("/requests", response_model=list[InfoRequestOut])
def info_requests(request: Request, user: User = Depends(clerk)) -> list[InfoRequestOut]:
    """Open information requests (FOI, EIR, subject access), soonest due first."""
    return [InfoRequestOut(reference=st.request.reference, kind=st.request.kind.value,
                           requester=st.request.requester.name, received=st.request.received, due=st.due,
                           state=st.state, problem=st.problem)
            for st in request.app.state.requests.list_requests(today=date.today())]


@router.get("/audit", response_model=list[AuditEntryOut])
def audit(request: Request, user: User = Depends(clerk),
          limit: int = Query(20, ge=1, le=500, description="At most this many entries, newest first")
          ) -> list[AuditEntryOut]:
    """The desk's audit log: every action taken at the desk, newest first."""
    return [AuditEntryOut(at=a.at, actor=a.actor, action=a.action, target_kind=a.target_kind,
                          target_id=a.target_id, detail=a.detail)
            for a in request.app.state.desk_audit.latest(limit)]
