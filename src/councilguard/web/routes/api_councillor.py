"""The councillor's side of the desk as JSON: report a remark, ask for consent, acknowledge the policy.

The same services, guards and field checks as the pages in ``routes.councillor``; only the shape of the
answer differs. Every list is the signed-in person's own. A screenshot travels as base64 in the JSON body
(at most 2 MB once decoded) so a report is one request.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from councilguard.web import auth, form_values
from councilguard.web.acknowledgements import PolicyVersion
from councilguard.web.consents import Consent
from councilguard.web.errors import FormError
from councilguard.web.remarks import MAX_SCREENSHOT, RemarkReport
from councilguard.web.routes.api_common import Body, RowId, body_fields, pointed_at, text
from councilguard.web.routes.councillor import PLATFORMS, councillor, reader, reporter_or_clerk
from councilguard.web.users import User

router = APIRouter(prefix="/api")
_BASE64_LIMIT = (MAX_SCREENSHOT + 2) // 3 * 4


class RemarkIn(Body):
    remark: str = text("The remark, copied word for word", limit=10_000,
                       example="You lot on the council are all crooks and everyone knows it.")
    link: str = Field(description="The web address of the remark where it was posted, starting https://",
                      examples=["https://www.facebook.com/groups/croxleygreen/posts/1234"],
                      json_schema_extra={"maxLength": 2000, "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/]+\.\S+$"})
    platform: str = text(f"Where it was posted, in words (for example {', '.join(PLATFORMS[:4])})", limit=100,
                         example="Facebook")
    note: str | None = text("Anything the Clerk should know", limit=5_000, required=False,
                            example="Posted under my notice about the play area.")
    screenshot_base64: str | None = Field(
        None, description=f"A screenshot (PNG, JPEG, GIF or WebP, at most {MAX_SCREENSHOT // 1024} KB), "
                          "base64-encoded", examples=[None],
        json_schema_extra={"contentEncoding": "base64"})  # no maxLength: a test would build a 2.8 MB string


class RemarkOut(BaseModel):
    id: int = Field(description="The report's number", examples=[7])
    reporter_name: str = Field(description="Who reported it", examples=["Margaret Ellis"])
    remark: str = Field(description="The remark, as reported")
    link: str = Field(description="Where it was posted")
    platform: str = Field(examples=["Facebook"])
    note: str = Field(description="The reporter's note (may be empty)")
    has_screenshot: bool
    screenshot_url: str | None = Field(description="Where to fetch the screenshot, if there is one",
                                       examples=["/api/remarks/7/screenshot"])
    created_at: datetime
    status: Literal["open", "handled"]
    handled_at: datetime | None
    handled_by: str | None = Field(description="The e-mail address of the Clerk who handled it")
    handled_note: str | None = Field(description="What the Clerk did")

    @classmethod
    def of(cls, r: RemarkReport) -> RemarkOut:
        return cls(id=r.id, reporter_name=r.reporter_name, remark=r.remark, link=r.link, platform=r.platform,
                   note=r.note, has_screenshot=r.has_screenshot,
                   screenshot_url=f"/api/remarks/{r.id}/screenshot" if r.has_screenshot else None,
                   created_at=r.created_at, status=r.status, handled_at=r.handled_at, handled_by=r.handled_by,
                   handled_note=r.handled_note)


class ConsentIn(Body):
    address: str = text("The personal e-mail address you want to use for council business", limit=320,
                        example="margaret.ellis@gmail.com")
    reason: str = text("Why you need it", limit=5_000, example="My council laptop is being repaired.")
    period: str = text("For how long", limit=200, example="Until the end of March")


class ConsentOut(BaseModel):
    id: int = Field(examples=[3])
    councillor_name: str = Field(examples=["Margaret Ellis"])
    address: str = Field(examples=["margaret.ellis@gmail.com"])
    reason: str
    period: str
    created_at: datetime
    status: Literal["pending", "granted", "refused"] = Field(description="The decision as recorded")
    state: Literal["pending", "granted", "expired", "refused"] = Field(
        description="Where it stands today: a grant past its end date has expired")
    decided_at: datetime | None
    decided_by: str | None = Field(description="The e-mail address of the Clerk who decided")
    expires_on: date | None = Field(description="The last day a grant covers")
    source: str | None = Field(description="The source of a grant, e.g. a minute reference",
                               examples=["Clerk's decision 2026-11-25"])
    refusal_reason: str | None

    @classmethod
    def of(cls, c: Consent, today: date) -> ConsentOut:
        return cls(id=c.id, councillor_name=c.councillor_name, address=c.address, reason=c.reason, period=c.period,
                   created_at=c.created_at, status=c.status, state=c.state(today), decided_at=c.decided_at,
                   decided_by=c.decided_by, expires_on=c.expires_on, source=c.source, refusal_reason=c.refusal_reason)


class PolicyVersionOut(BaseModel):
    pack_id: str = Field(description="The policy pack's id", examples=["croxley-green-pc"])
    version: str = Field(description="The policy's version: a new version must be acknowledged again",
                         examples=["2026.1"])
    name: str = Field(examples=["Social media and e-mail policy"])

    @classmethod
    def of(cls, v: PolicyVersion) -> PolicyVersionOut:
        return cls(pack_id=v.pack_id, version=v.version, name=v.name)


class PolicyOut(BaseModel):
    policy: PolicyVersionOut
    notice: str = Field(description="The plain-words notice about council e-mail that everyone acknowledges")
    acknowledged_at: datetime | None = Field(description="When you acknowledged this version; null if not yet")


def _screenshot(encoded: str | None) -> bytes | None:
    if not encoded:
        return None
    if len(encoded) > _BASE64_LIMIT:
        raise FormError(f"the screenshot is more than {MAX_SCREENSHOT // 1024} KB; a smaller or cropped one "
                        "will do", where="screenshot")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise FormError("the screenshot is not valid base64 (letters, digits, + and /, padded with =)",
                        where="screenshot") from None


@router.get("/remarks", response_model=list[RemarkOut], tags=["remarks"])
def my_remarks(request: Request, user: User = Depends(councillor)) -> list[RemarkOut]:
    """The negative remarks you have reported, oldest first."""
    return [RemarkOut.of(r) for r in request.app.state.remarks.mine(user.id)]


@router.post("/remarks", response_model=RemarkOut, status_code=status.HTTP_201_CREATED, tags=["remarks"],
             dependencies=[Depends(auth.verify_csrf)])
def report_remark(body: RemarkIn, request: Request, user: User = Depends(councillor)) -> RemarkOut:
    """Pass a hostile remark to the Clerk instead of replying to it."""
    values = body.model_dump()
    with pointed_at(body_fields(RemarkIn, screenshot="body.screenshot_base64")):
        made = request.app.state.remarks.file(
            user, remark=form_values.text(values, "remark", "The remark", limit=10_000),
            link=form_values.link(values, "link", "The link to the remark"),
            platform=form_values.text(values, "platform", "The platform", limit=100),
            note=form_values.text(values, "note", "Your note", limit=5_000, required=False),
            screenshot=_screenshot(body.screenshot_base64))
    return RemarkOut.of(made)


_IMAGES = {kind: {"schema": {"type": "string", "format": "binary"}}
           for kind in ("image/png", "image/jpeg", "image/gif", "image/webp")}


@router.get("/remarks/{report_id}/screenshot", response_class=Response, tags=["remarks"],
            responses={200: {"description": "The screenshot as it was uploaded", "content": _IMAGES}})
def remark_screenshot(report_id: RowId, request: Request, user: User = Depends(reporter_or_clerk)) -> Response:
    """A report's screenshot, for the councillor who reported it and the Clerk only."""
    with pointed_at({"report": "path.report_id"}):
        data, kind = request.app.state.remarks.screenshot(report_id, user)
    return Response(data, media_type=kind, headers={"Content-Disposition": f'inline; filename="remark-{report_id}"'})


@router.get("/consents", response_model=list[ConsentOut], tags=["consents"])
def my_consents(request: Request, user: User = Depends(councillor)) -> list[ConsentOut]:
    """Your requests to use a personal e-mail address for council business, and their decisions."""
    today = date.today()
    return [ConsentOut.of(c, today) for c in request.app.state.consents.mine(user.id)]


@router.post("/consents", response_model=ConsentOut, status_code=status.HTTP_201_CREATED, tags=["consents"],
             dependencies=[Depends(auth.verify_csrf)])
def ask_consent(body: ConsentIn, request: Request, user: User = Depends(councillor)) -> ConsentOut:
    """Ask the Clerk for consent to use a personal e-mail address for council business."""
    values = body.model_dump()
    with pointed_at(body_fields(ConsentIn)):
        made = request.app.state.consents.ask(
            user, address=form_values.email(values, "address", "The personal e-mail address"),
            reason=form_values.text(values, "reason", "Why you need it", limit=5_000),
            period=form_values.text(values, "period", "For how long", limit=200))
    return ConsentOut.of(made, date.today())


def _policy(request: Request, user: User) -> PolicyOut:
    pack = request.app.state.checker.pack
    version = PolicyVersion.of(pack)
    return PolicyOut(policy=PolicyVersionOut.of(version), notice=pack.relay.notice,
                     acknowledged_at=request.app.state.acknowledgements.of(version).get(user.id))


@router.get("/policy", response_model=PolicyOut, tags=["policy"])
def policy(request: Request, user: User = Depends(reader)) -> PolicyOut:
    """The current policy version and e-mail notice, and whether you have acknowledged them."""
    return _policy(request, user)


@router.post("/policy/acknowledge", response_model=PolicyOut, tags=["policy"],
             dependencies=[Depends(auth.verify_csrf)])
def acknowledge(request: Request, user: User = Depends(reader)) -> PolicyOut:
    """Acknowledge the current policy version and notice (again is harmless: the first time is kept)."""
    pack = request.app.state.checker.pack
    request.app.state.acknowledgements.acknowledge(user.id, PolicyVersion.of(pack))
    return _policy(request, user)
