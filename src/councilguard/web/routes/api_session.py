"""Who the API client is signed in as, and the session's CSRF token to send with every change.

A program signs in like a person does (``POST /sign-in``, a form) and keeps the session cookie; it then
reads its token here instead of scraping it from a page's ``csrf-token`` meta tag. Handing the token
out is safe: another site cannot read this answer (no CORS), only make the browser send requests.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from councilguard.web import auth
from councilguard.web.roles import ANYONE, require
from councilguard.web.users import User

router = APIRouter(prefix="/api", tags=["session"])


class SessionOut(BaseModel):
    id: int = Field(description="Your account's number", examples=[4])
    email: str = Field(examples=["cllr.ellis@croxleygreen-pc.gov.uk"])
    name: str = Field(examples=["Margaret Ellis"])
    role: str = Field(description="councillor, proper-officer, staff or administrator", examples=["councillor"])
    csrf_token: str = Field(description=f"Send this in the {auth.CSRF_HEADER} header of every POST and PUT")


@router.get("/me", response_model=SessionOut)
def me(request: Request, user: User = Depends(require(*ANYONE))) -> SessionOut:
    """Your account, and this session's CSRF token."""
    return SessionOut(id=user.id, email=user.email, name=user.name, role=user.role.value,
                      csrf_token=auth.csrf_token(request))
