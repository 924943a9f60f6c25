"""The register of authorisations and the official posts queue as JSON.

The same services, guards and field checks as the pages in ``routes.official``: the Clerk records and
revokes authorisations and designations, anyone who checks drafts sees their own, staff and designated
people draft official posts and the Proper Officer approves or returns them. Every change is written to
the desk's audit log by the service, in the same transaction.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from typing import Iterator, Literal, Mapping

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from councilguard.web import auth
from councilguard.web.authorities import as_web_error, person
from councilguard.web.routes.api_common import Body, ErrorOut, body_fields, day, pointed_at, text
from councilguard.web.routes.official import clerk, holder, new_authorisation, queue_user
from councilguard.web.users import User
from councilguard.workflow.authorisations import KINDS, SOURCE_KINDS, Authorisation
from councilguard.workflow.authority_errors import AuthorityError
from councilguard.workflow.official_posts import CheckedFinding, Post

router = APIRouter(prefix="/api")
_AUTHORISATION = {"authorisation": "path.authorisation_id"}
_POST = {"post": "path.post_id", "drafted_by": "path.post_id"}
_DECIDED = {409: {"model": ErrorOut, "description": "It was already decided (revoked, approved or returned)"}}


@contextmanager
def _answering(renames: Mapping[str, str]) -> Iterator[None]:
    """Register and queue errors as the web's, pointed at the part of the request that was wrong."""
    with pointed_at(renames):
        try:
            yield
        except AuthorityError as exc:
            raise as_web_error(exc) from None


class AuthorisationIn(Body):
    holder_id: int = Field(description="The account of the person who holds it", examples=[4])
    kind: str = Field(description="What it allows", examples=["speak-for-council"], json_schema_extra={"enum": list(KINDS)})
    source_kind: str = Field(description="Where the authority comes from (an official-account designation comes "
                                         "from the Proper Officer, a personal e-mail consent from the consent "
                                         "requests)", examples=["resolution"],
                             json_schema_extra={"enum": list(SOURCE_KINDS)})
    reference: str = text("The minute of the resolution, or the paragraph of the scheme or regulations", limit=200,
                          example="Minute 26/045")
    decided_on: str = day("The date it was given; it is in force from then", example="2026-11-12")
    scope: str = text("What it covers", limit=2_000, example="Statements to the press on the Dickinson Square "
                                                            "consultation")
    expires_on: str | None = day("Its last day; none for no end date", example="2027-05-31", required=False)
    channel: str | None = Field(None, description="Official-account designations only: the account's channel; "
                                                  "none for every official account", examples=["facebook"])


class RevokeIn(Body):
    reason: str = text("Why it is revoked", limit=5_000, example="The working group has finished its work.")


class AuthorisationOut(BaseModel):
    id: int = Field(examples=[12])
    holder_id: int
    holder_name: str = Field(examples=["Priya Sharma"])
    holder_email: str
    kind: str = Field(examples=["speak-for-council"])
    source_kind: str = Field(examples=["resolution"])
    reference: str = Field(examples=["Minute 26/045"])
    decided_on: date
    scope: str
    channel: str | None = Field(description="For a designation: the one account it covers; null for all")
    address: str | None = Field(None, description="For a personal e-mail consent: the one personal account it "
                                                  "covers; null for any")
    expires_on: date | None
    state: Literal["current", "not-yet", "expired", "revoked"] = Field(description="Where it stands today")
    consent_request_id: int | None = Field(description="The personal e-mail consent request it came from, if any")
    recorded_at: datetime
    recorded_by: str
    revoked_at: datetime | None
    revoked_by: str | None
    revoked_reason: str | None

    @classmethod
    def of(cls, a: Authorisation, today: date) -> AuthorisationOut:
        return cls(id=a.id, holder_id=a.holder_id, holder_name=a.holder_name, holder_email=a.holder_email, kind=a.kind,
                   source_kind=a.source_kind, reference=a.reference, decided_on=a.decided_on, scope=a.scope,
                   channel=a.channel, address=a.address, expires_on=a.expires_on, state=a.state(today),
                   consent_request_id=a.consent_request_id, recorded_at=a.recorded_at, recorded_by=a.recorded_by,
                   revoked_at=a.revoked_at, revoked_by=a.revoked_by, revoked_reason=a.revoked_reason)


@router.get("/authorisations", response_model=list[AuthorisationOut], tags=["authorisations"])
def authorisations(request: Request, user: User = Depends(clerk),
                   holder_id: int | None = Query(None, description="Only this person's")) -> list[AuthorisationOut]:
    """The register: every authorisation, designation and consent ever recorded, with where each stands."""
    register = request.app.state.authorisations
    found = register.all() if holder_id is None else register.of_holder(holder_id)
    return [AuthorisationOut.of(a, date.today()) for a in found]


@router.get("/authorisations/mine", response_model=list[AuthorisationOut], tags=["authorisations"])
def my_authorisations(request: Request, user: User = Depends(queue_user)) -> list[AuthorisationOut]:
    """Your own authorisations, designations and consents, with their end dates: the checker honours them."""
    return [AuthorisationOut.of(a, date.today()) for a in request.app.state.authorisations.of_holder(user.id)]


@router.post("/authorisations", response_model=AuthorisationOut, status_code=201, tags=["authorisations"],
             dependencies=[Depends(auth.verify_csrf)])
def record_authorisation(body: AuthorisationIn, request: Request, user: User = Depends(clerk)) -> AuthorisationOut:
    """Record an authorisation or designation with its source. Written to the audit log."""
    values = body.model_dump()
    with _answering(body_fields(AuthorisationIn)):
        who = holder(request, body.holder_id)
        made = request.app.state.authorisations.record(
            person(who), new_authorisation(values, body.kind, body.source_kind), by=person(user))
    return AuthorisationOut.of(made, date.today())


@router.post("/authorisations/{authorisation_id}/revoke", response_model=AuthorisationOut, tags=["authorisations"],
             dependencies=[Depends(auth.verify_csrf)], responses=_DECIDED)
def revoke_authorisation(authorisation_id: int, body: RevokeIn, request: Request,
                         user: User = Depends(clerk)) -> AuthorisationOut:
    """Revoke it from today, with the reason. Written to the audit log."""
    with _answering(body_fields(RevokeIn, **_AUTHORISATION)):
        done = request.app.state.authorisations.revoke(authorisation_id, by=person(user), reason=body.reason)
    return AuthorisationOut.of(done, date.today())


# --- the queue -------------------------------------------------------------------------------------------


class PostIn(Body):
    channel: str = text("The official account's channel", limit=64, example="facebook")
    text: str = text("The post", limit=10_000, example="The play area on the Green reopens on Saturday at 10am.")


class ApproveIn(Body):
    note: str | None = text("A note; needed when the check still warns, saying why it may be published",
                            limit=5_000, example="Wording agreed with the Chair.", required=False)


class ReturnIn(Body):
    reason: str = text("Why it is returned, which the drafter will see", limit=5_000,
                       example="Please leave out the contractor's name until the contract is signed.")


class CheckedFindingOut(BaseModel):
    rule: str = Field(examples=["claims-council-view"])
    severity: Literal["advice", "warn", "block"]
    clause: str
    explanation: str

    @classmethod
    def of(cls, f: CheckedFinding) -> CheckedFindingOut:
        return cls(rule=f.rule, severity=f.severity, clause=f.clause, explanation=f.explanation)


class PostOut(BaseModel):
    id: int = Field(examples=[5])
    channel: str = Field(examples=["facebook"])
    handle: str = Field(examples=["CroxleyGreenParishCouncil"])
    text: str
    drafted_by_name: str
    drafted_by_email: str
    drafted_at: datetime
    designation_id: int | None = Field(description="The designation the drafter posted under (none for the "
                                                   "Proper Officer)")
    status: Literal["waiting", "approved", "returned"]
    submitted_verdict: Literal["ok", "advice", "warn", "block"] = Field(description="The check when it was drafted")
    submitted_findings: list[CheckedFindingOut]
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None = Field(description="The approval note, or the reason it was returned")
    approved_verdict: Literal["ok", "advice", "warn", "block"] | None = Field(
        description="The check when it was approved")
    approved_findings: list[CheckedFindingOut]
    record_id: int | None = Field(description="The archive record an approved post was kept as")

    @classmethod
    def of(cls, p: Post) -> PostOut:
        return cls(id=p.id, channel=p.channel, handle=p.handle, text=p.text, drafted_by_name=p.drafted_by_name,
                   drafted_by_email=p.drafted_by_email, drafted_at=p.drafted_at, designation_id=p.designation_id,
                   status=p.status, submitted_verdict=p.submitted_verdict,
                   submitted_findings=[CheckedFindingOut.of(f) for f in p.submitted_findings],
                   decided_at=p.decided_at, decided_by=p.decided_by, decision_note=p.decision_note,
                   approved_verdict=p.approved_verdict,
                   approved_findings=[CheckedFindingOut.of(f) for f in p.approved_findings], record_id=p.record_id)


@router.get("/official-posts", response_model=list[PostOut], tags=["official-posts"])
def official_posts(request: Request, user: User = Depends(clerk),
                   status: Literal["waiting", "decided"] = Query(
                       "waiting", description="waiting: oldest first; decided: the latest approved or returned")
                   ) -> list[PostOut]:
    """The queue for the Proper Officer."""
    posts = request.app.state.official_posts
    return [PostOut.of(p) for p in (posts.waiting() if status == "waiting" else posts.decided())]


@router.get("/official-posts/mine", response_model=list[PostOut], tags=["official-posts"])
def my_official_posts(request: Request, user: User = Depends(queue_user)) -> list[PostOut]:
    """The posts you drafted, newest first, with where each stands."""
    return [PostOut.of(p) for p in request.app.state.official_posts.drafted_by(user.id)]


@router.post("/official-posts", response_model=PostOut, status_code=201, tags=["official-posts"],
             dependencies=[Depends(auth.verify_csrf)])
def draft_official_post(body: PostIn, request: Request, user: User = Depends(queue_user)) -> PostOut:
    """Send a post for an official account to the Proper Officer. You must be the Proper Officer or hold a
    designation for that account (403 otherwise). It is checked first: a post that would breach the policy
    outright is refused (422, naming the rules). Written to the audit log."""
    with _answering(body_fields(PostIn)):
        made = request.app.state.official_posts.draft(person(user), channel=body.channel, text=body.text,
                                                      on=date.today())
    return PostOut.of(made)


@router.post("/official-posts/{post_id}/approve", response_model=PostOut, tags=["official-posts"],
             dependencies=[Depends(auth.verify_csrf)], responses=_DECIDED)
def approve_official_post(post_id: int, body: ApproveIn, request: Request, user: User = Depends(clerk)) -> PostOut:
    """Check the post again and approve it: it is kept as a record in the archive. Written to the audit log."""
    with _answering(body_fields(ApproveIn, **_POST)):
        done = request.app.state.official_posts.approve(post_id, by=person(user), note=body.note or "",
                                                        on=date.today())
    return PostOut.of(done)


@router.post("/official-posts/{post_id}/return", response_model=PostOut, tags=["official-posts"],
             dependencies=[Depends(auth.verify_csrf)], responses=_DECIDED)
def return_official_post(post_id: int, body: ReturnIn, request: Request, user: User = Depends(clerk)) -> PostOut:
    """Return the post to its drafter with a reason. Written to the audit log."""
    with _answering(body_fields(ReturnIn, **_POST)):
        done = request.app.state.official_posts.return_to_drafter(post_id, by=person(user), reason=body.reason)
    return PostOut.of(done)
