"""Roster and roles: the Proper Officer (or an administrator) changes an account's role, switches it off or
on, and links it to a member of the pack's roster; every change is audited (see ``web.account_changes``).

The page also shows the roster itself (council.yaml) and which account speaks as whom, because that is
what the checker uses: a draft by a linked account is checked as that councillor's or officer's own.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from councilguard.policy import Member
from councilguard.web import auth
from councilguard.web.drafts import roster_match
from councilguard.web.errors import FormError
from councilguard.web.roles import ACCOUNT_KEEPERS, ASSIGNABLE, Role, require
from councilguard.web.routes.api_common import Body, RowId, pointed_at
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
keeper = require(*ACCOUNT_KEEPERS)
KINDS = {"councillor": "Councillor", "staff": "Staff", "proper-officer": "Proper Officer"}
_DONE = {"role": "The role was changed.", "off": "The account was switched off; its sessions have ended.",
         "on": "The account was switched on again.", "linked": "The roster link was saved."}


def _rows(request: Request, user: User) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(accounts with whom they speak as and whether this person may change them, roster members with their account)."""
    council = request.app.state.checker.pack.council
    accounts, speaking = [], {}
    for a in request.app.state.users.list():
        member, how = roster_match(a, council)
        if member is not None:
            speaking.setdefault(member.name, a)
        accounts.append({"account": a, "member": member, "how": how,
                         "changeable": a.id != user.id and a.role is not Role.PROPER_OFFICER})
    members = [{"member": m, "kind": KINDS.get(m.kind, m.kind), "account": speaking.get(m.name)}
               for m in council.members]
    return accounts, members


def _roster_page(request: Request, user: User, status: int = 200, error: FormError | None = None) -> Response:
    accounts, members = _rows(request, user)
    return page(request, "roster.html", status, title="Roster and roles", user=user, accounts=accounts,
                members=members, roles=ASSIGNABLE, error=error, kinds=KINDS,
                pack_name=request.app.state.checker.pack.council.name,
                done=_DONE.get(request.query_params.get("done", "")))


@router.get("/roster", include_in_schema=False)
def roster(request: Request, user: User = Depends(keeper)) -> Response:
    return _roster_page(request, user)


def _at(exc: FormError, account_id: int) -> FormError:
    """The error pointed at the field of the account's own row on the page."""
    field = {"role": "role", "active": "active", "roster_member": "member"}.get(exc.where)
    return FormError(exc.message, where=f"{field}-{account_id}") if field else exc


@router.post("/roster/{account_id}/role", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def change_role(account_id: RowId, request: Request, user: User = Depends(keeper)) -> Response:
    form = await request.form()
    try:
        request.app.state.account_changes.change_role(account_id, str(form.get("role") or ""), user)
    except FormError as exc:
        return _roster_page(request, user, exc.status, _at(exc, account_id))
    return RedirectResponse("/roster?done=role", 303)


@router.post("/roster/{account_id}/active", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def switch(account_id: RowId, request: Request, user: User = Depends(keeper)) -> Response:
    form = await request.form()
    on = form.get("active") == "yes"
    try:
        request.app.state.account_changes.set_active(account_id, on, user)
    except FormError as exc:
        return _roster_page(request, user, exc.status, _at(exc, account_id))
    return RedirectResponse(f"/roster?done={'on' if on else 'off'}", 303)


@router.post("/roster/{account_id}/member", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def link_member(account_id: RowId, request: Request, user: User = Depends(keeper)) -> Response:
    form = await request.form()
    try:
        request.app.state.account_changes.link(account_id, str(form.get("roster_member") or ""), user)
    except FormError as exc:
        return _roster_page(request, user, exc.status, _at(exc, account_id))
    return RedirectResponse("/roster?done=linked", 303)


# --- the JSON API ---------------------------------------------------------------------------------------


class RosterAccountOut(BaseModel):
    id: int = Field(examples=[5])
    email: str = Field(examples=["cllr.ellis@croxleygreen-pc.gov.uk"])
    name: str = Field(examples=["Margaret Ellis"])
    role: str = Field(examples=["councillor"])
    active: bool = Field(description="Whether the account may sign in")
    roster_member: str | None = Field(description="The roster member the Clerk linked it to, if any")
    speaks_as: str | None = Field(description="The roster member its drafts are checked as, if any")
    matched_by: Literal["linked", "same e-mail", "same name"] | None = Field(
        description="How it was matched to that member")


class RosterMemberOut(BaseModel):
    name: str = Field(examples=["Margaret Ellis"])
    kind: Literal["councillor", "staff", "proper-officer"]
    role: str | None = Field(description="Their role in council.yaml", examples=["Chair"])
    email: str | None
    account_id: int | None = Field(description="The account that speaks as them, if any")


class RosterOut(BaseModel):
    accounts: list[RosterAccountOut]
    members: list[RosterMemberOut] = Field(description="The policy pack's roster (council.yaml)")


def _account_out(a: User, member: Member | None, how: str) -> RosterAccountOut:
    return RosterAccountOut(id=a.id, email=a.email, name=a.name, role=a.role.value, active=a.active,
                            roster_member=a.roster_member, speaks_as=member.name if member else None,
                            matched_by=how or None)  # type: ignore[arg-type]


def _account(request: Request, account: User) -> RosterAccountOut:
    return _account_out(account, *roster_match(account, request.app.state.checker.pack.council))


@router.get("/api/roster", response_model=RosterOut, tags=["roster"])
def roster_api(request: Request, user: User = Depends(keeper)) -> RosterOut:
    """Every account with whom it speaks as, and the pack's roster with the account that speaks for each."""
    accounts, members = _rows(request, user)
    return RosterOut(
        accounts=[_account_out(r["account"], r["member"], r["how"]) for r in accounts],
        members=[RosterMemberOut(name=r["member"].name, kind=r["member"].kind, role=r["member"].role,
                                 email=r["member"].email, account_id=r["account"].id if r["account"] else None)
                 for r in members])


class RoleIn(Body):
    role: str = Field(description="councillor, staff or administrator (nobody is made Proper Officer here)",
                      examples=["staff"])


class ActiveIn(Body):
    active: bool = Field(strict=True, description="false switches the account off and ends its sessions; "
                                                  "true switches it on")


class MemberIn(Body):
    roster_member: str | None = Field(description="A name on the roster (council.yaml), or null to unlink",
                                      examples=["Margaret Ellis"])


_WHERE = {"role": "body.role", "active": "body.active", "roster_member": "body.roster_member",
          "account": "path.account_id"}


@router.put("/api/accounts/{account_id}/role", response_model=RosterAccountOut, tags=["roster"],
            dependencies=[Depends(auth.verify_csrf)])
def change_role_api(account_id: RowId, body: RoleIn, request: Request,
                    user: User = Depends(keeper)) -> RosterAccountOut:
    """Change an account's role. Not your own, not the Proper Officer's; audited."""
    with pointed_at(_WHERE):
        return _account(request, request.app.state.account_changes.change_role(account_id, body.role, user))


@router.put("/api/accounts/{account_id}/active", response_model=RosterAccountOut, tags=["roster"],
            dependencies=[Depends(auth.verify_csrf)])
def switch_api(account_id: RowId, body: ActiveIn, request: Request, user: User = Depends(keeper)) -> RosterAccountOut:
    """Switch an account off (it cannot sign in; its sessions end) or on again. Audited."""
    with pointed_at(_WHERE):
        return _account(request, request.app.state.account_changes.set_active(account_id, body.active, user))


@router.put("/api/accounts/{account_id}/roster-member", response_model=RosterAccountOut, tags=["roster"],
            dependencies=[Depends(auth.verify_csrf)])
def link_api(account_id: RowId, body: MemberIn, request: Request, user: User = Depends(keeper)) -> RosterAccountOut:
    """Link an account to a roster member, so its drafts are checked as theirs (or null to unlink). Audited."""
    with pointed_at(_WHERE):
        return _account(request, request.app.state.account_changes.link(account_id, body.roster_member, user))
