"""The Accounts page and API: the Proper Officer (or an administrator) adds councillors, staff and admins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from councilguard.web import auth
from councilguard.web.errors import AccountError
from councilguard.web.roles import ACCOUNT_KEEPERS, ASSIGNABLE, require
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
keeper = require(*ACCOUNT_KEEPERS)


def _create(request: Request, by: User, *, email: str, name: str, role: str, password: str) -> User:
    if role not in {r.value for r in ASSIGNABLE}:
        raise AccountError(f"{role!r} cannot be given here; choose one of {', '.join(r.value for r in ASSIGNABLE)}",
                           where="role")
    return request.app.state.users.create(email=email, name=name, role=role, password=password,
                                          created_by=by.email)


def _accounts_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    context.setdefault("values", {})
    context.setdefault("error", None)
    return page(request, "accounts.html", status, title="Accounts", user=user,
                accounts=request.app.state.users.list(), roles=ASSIGNABLE, **context)


@router.get("/accounts", include_in_schema=False)
def accounts(request: Request, user: User = Depends(keeper)) -> Response:
    added = request.query_params.get("added")
    return _accounts_page(request, user, added=added)


@router.post("/accounts", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def add_account(request: Request, user: User = Depends(keeper)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("email", "name", "role")}
    try:
        made = _create(request, user, password=str(form.get("password", "")), **values)
    except AccountError as exc:
        return _accounts_page(request, user, 422, values=values, error=exc)
    return RedirectResponse(f"/accounts?added={made.id}", 303)


class AccountIn(BaseModel):
    email: str
    name: str
    role: str
    password: str


class AccountOut(BaseModel):
    id: int
    email: str
    name: str
    role: str


def _out(u: User) -> AccountOut:
    return AccountOut(id=u.id, email=u.email, name=u.name, role=u.role.value)


@router.get("/api/accounts", response_model=list[AccountOut], tags=["accounts"])
def list_accounts(request: Request, user: User = Depends(keeper)) -> list[AccountOut]:
    """Every account (never a password hash)."""
    return [_out(u) for u in request.app.state.users.list()]


@router.post("/api/accounts", response_model=AccountOut, status_code=201, tags=["accounts"],
             dependencies=[Depends(auth.verify_csrf)])
def create_account(body: AccountIn, request: Request, user: User = Depends(keeper)) -> AccountOut:
    """Add a councillor, staff or administrator account. Needs the ``X-CSRF-Token`` header."""
    return _out(_create(request, user, **body.model_dump()))
