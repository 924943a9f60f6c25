"""The audit log: every action taken at the desk and in managing the council's accounts and settings,
newest first, for the Proper Officer and administrators. It never holds a draft: kept drafts are their
authors' alone, and their clear-out is logged only as a count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from councilguard.web.roles import ACCOUNT_KEEPERS, require
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
keeper = require(*ACCOUNT_KEEPERS)
PAGE = 50
LAST_ID = 2**63 - 1  # the largest id a database can hold: a larger one is refused before it is looked up


@router.get("/audit", include_in_schema=False)
def audit(request: Request, before: int | None = Query(None, ge=1, le=LAST_ID),
          user: User = Depends(keeper)) -> Response:
    entries = request.app.state.desk_audit.latest(PAGE + 1, before=before)
    return page(request, "audit.html", title="Audit log", user=user, entries=entries[:PAGE],
                older=entries[PAGE - 1].id if len(entries) > PAGE else None)


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description="Who did it (an e-mail address; councilguard for its own clear-outs)")
    action: str = Field(examples=["role-changed"])
    target_kind: str = Field(examples=["account"])
    target_id: str
    detail: dict[str, Any] = Field(description="What changed, e.g. before and after")


@router.get("/api/audit", response_model=list[AuditEntryOut], tags=["audit"])
def audit_api(request: Request,
              before: int | None = Query(None, ge=1, le=LAST_ID, description="Only entries older than this id"),
              limit: int = Query(PAGE, ge=1, le=500), user: User = Depends(keeper)) -> list[AuditEntryOut]:
    """The audit log, newest first."""
    return [AuditEntryOut(**e.__dict__) for e in request.app.state.desk_audit.latest(limit, before=before)]
