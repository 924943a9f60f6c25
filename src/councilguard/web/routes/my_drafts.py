"""My drafts: the drafts a councillor (or member of staff) chose to keep, as pages and as JSON.

Only the author reaches their drafts. The guard lets in councillors and staff alone, so the Proper
Officer and administrators have no route here at all (403 for every address, whether a draft exists or
not), and the service filters every query by the signed-in person, so someone else's draft answers 404
exactly as a missing one does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from councilguard.web import auth
from councilguard.web.drafts import DraftForm
from councilguard.web.kept_drafts import DRAFT_KEEPERS, MAX_TEXT, KeptDraft
from councilguard.web.roles import require
from councilguard.web.routes.api_common import Body, RowId, body_fields, pointed_at, text
from councilguard.web.routes.check import show_check
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
author = require(*DRAFT_KEEPERS)
VERDICTS = {"ok": "Nothing found", "advice": "Some advice", "warn": "May breach the policy",
            "block": "Would breach the policy"}


@router.get("/drafts", include_in_schema=False)
def my_drafts(request: Request, user: User = Depends(author)) -> Response:
    kept = request.app.state.kept_drafts
    return page(request, "my_drafts.html", title="My drafts", user=user, drafts=kept.mine(user),
                keeping=kept.choice(user), verdicts=VERDICTS, deleted=request.query_params.get("deleted") == "1")


@router.get("/drafts/{kept_id}", include_in_schema=False)
def open_draft(kept_id: RowId, request: Request, user: User = Depends(author)) -> Response:
    """The kept draft back in the check form, to edit and check again."""
    kept = request.app.state.kept_drafts.get(user, kept_id)
    return show_check(request, user, kept.draft, kept=kept)


@router.post("/drafts/{kept_id}/delete", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
def delete_draft(kept_id: RowId, request: Request, user: User = Depends(author)) -> Response:
    request.app.state.kept_drafts.delete(user, kept_id)
    return RedirectResponse("/drafts?deleted=1", 303)


# --- the JSON API ---------------------------------------------------------------------------------------

Kind = Literal["post", "comment", "reply", "review", "email"]
Account = Literal["personal", "councillor", "official"]


class KeptDraftIn(Body):
    text: str = text("The draft", limit=MAX_TEXT, example="Come to the meeting on Tuesday about the play area.")
    kind: Kind = Field("post", description="What it is")
    channel: str = Field("", description="Where it is going (Facebook, X, a local forum)",
                         json_schema_extra={"maxLength": 100}, examples=["facebook"])
    account: Account = Field("personal", description="From which account")
    in_reply_to: str = Field("", description="What it answers, if anything", json_schema_extra={"maxLength": MAX_TEXT})
    to: str = Field("", description="E-mail recipients, separated by commas", json_schema_extra={"maxLength": 2000})

    def draft(self) -> DraftForm:
        return DraftForm(**self.model_dump())


class KeptDraftOut(BaseModel):
    id: int = Field(examples=[4])
    text: str
    kind: Kind
    channel: str
    account: Account
    in_reply_to: str
    to: str
    verdict: Literal["ok", "advice", "warn", "block"] | None = Field(
        description="What the check found when it was kept")
    kept_at: datetime = Field(description="When it was first kept")
    saved_at: datetime = Field(description="When it was last kept: the council's period runs from here")
    deletes_at: datetime = Field(description="When it will be deleted")

    @classmethod
    def of(cls, k: KeptDraft) -> KeptDraftOut:
        return cls(id=k.id, **k.draft.__dict__, verdict=k.verdict, kept_at=k.kept_at, saved_at=k.saved_at,
                   deletes_at=k.deletes_at)


_WHERE = body_fields(KeptDraftIn, keep="body", draft="path.kept_id")


def _keep(request: Request, user: User, body: KeptDraftIn, replacing: int | None) -> KeptDraftOut:
    draft = body.draft()
    with pointed_at(_WHERE):
        if replacing is not None:
            request.app.state.kept_drafts.get(user, replacing)  # 404 before any checking if not yours
        report = request.app.state.drafts.check(user, draft.message(request.app.state.drafts.author(user)),
                                                count=False)
        kept = request.app.state.kept_drafts.keep(user, draft, verdict=report.verdict, replacing=replacing)
    return KeptDraftOut.of(kept)


@router.get("/api/drafts", response_model=list[KeptDraftOut], tags=["drafts"])
def list_drafts(request: Request, user: User = Depends(author)) -> list[KeptDraftOut]:
    """Your kept drafts, most recently kept first. Nobody else's are ever listed."""
    return [KeptDraftOut.of(k) for k in request.app.state.kept_drafts.mine(user)]


@router.post("/api/drafts", response_model=KeptDraftOut, status_code=status.HTTP_201_CREATED, tags=["drafts"],
             dependencies=[Depends(auth.verify_csrf)])
def keep_draft(body: KeptDraftIn, request: Request, user: User = Depends(author)) -> KeptDraftOut:
    """Keep a draft (it is checked, not counted, to record its verdict). Deleted after the council's period."""
    return _keep(request, user, body, None)


@router.get("/api/drafts/{kept_id}", response_model=KeptDraftOut, tags=["drafts"])
def get_draft(kept_id: RowId, request: Request, user: User = Depends(author)) -> KeptDraftOut:
    """One of your kept drafts; 404 if it is not yours, not there, or past its date."""
    with pointed_at(_WHERE):
        return KeptDraftOut.of(request.app.state.kept_drafts.get(user, kept_id))


@router.put("/api/drafts/{kept_id}", response_model=KeptDraftOut, tags=["drafts"],
            dependencies=[Depends(auth.verify_csrf)])
def save_draft(kept_id: RowId, body: KeptDraftIn, request: Request, user: User = Depends(author)) -> KeptDraftOut:
    """Save a new text over one of your kept drafts; its period starts again."""
    return _keep(request, user, body, kept_id)


@router.delete("/api/drafts/{kept_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               tags=["drafts"], dependencies=[Depends(auth.verify_csrf)])
def delete_draft_api(kept_id: RowId, request: Request, user: User = Depends(author)) -> Response:
    """Delete one of your kept drafts now."""
    with pointed_at(_WHERE):
        request.app.state.kept_drafts.delete(user, kept_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
