"""What the Proper Officer (or an administrator) may change about an account, each change audited.

A role, whether the account may sign in, and which member of the pack's roster it speaks as when it
checks a draft. The limits keep the council from locking itself out: nobody changes their own role or
switches off their own account, nobody is made Proper Officer here, and the Proper Officer's account
(made at set-up, the one that runs the desk) is not changed here. Switching an account off also ends
every session it has (``session_version``), so it is signed out on its next request, not at the end of
the day. Each change writes its audit row in the same transaction as the change itself.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.policy import Council
from councilguard.records.db import write_session
from councilguard.web import desk_audit
from councilguard.web.accounts_schema import WebUserRow
from councilguard.web.errors import FormError, NotFoundHere
from councilguard.web.roles import ASSIGNABLE, Role
from councilguard.web.users import User, as_user


class AccountChanges:
    def __init__(self, factory: sessionmaker[Session], council: Council):
        self._factory = factory
        self._council = council

    def change_role(self, account_id: int, role: str, by: User) -> User:
        """Give account ``account_id`` the role ``role`` (councillor, staff or administrator)."""
        if role not in {r.value for r in ASSIGNABLE}:
            raise FormError(f"{role!r} cannot be given here; choose one of "
                            f"{', '.join(r.label for r in ASSIGNABLE)}", where="role")
        with write_session(self._factory) as s:
            row = self._changeable(s, account_id, by, "role", "change your own role")
            if row.role != role:
                before, row.role = row.role, role
                desk_audit.write(s, actor=by.email, action="role-changed", target_kind="account",
                                 target_id=row.id, email=row.email, before=before, after=role)
            return as_user(row)

    def set_active(self, account_id: int, active: bool, by: User) -> User:
        """Switch an account on or off; switching off ends its sessions at once."""
        with write_session(self._factory) as s:
            row = self._changeable(s, account_id, by, "active", "switch off your own account")
            if row.active != active:
                row.active = active
                if not active:
                    row.session_version += 1
                desk_audit.write(s, actor=by.email, action="account-reactivated" if active else "account-deactivated",
                                 target_kind="account", target_id=row.id, email=row.email)
            return as_user(row)

    def link(self, account_id: int, member: str | None, by: User) -> User:
        """Link the account to roster member ``member`` (a name in council.yaml), or unlink it (None or "")."""
        name = " ".join((member or "").split())
        found = self._council.member_by_name(name) if name else None
        if name and found is None:
            raise FormError(f"{name!r} is not on the council's roster (council.yaml); choose a name from the "
                            "list", where="roster_member")
        with write_session(self._factory) as s:
            row = self._row(s, account_id)
            if found is not None:
                other = s.scalar(select(WebUserRow).where(WebUserRow.roster_member == found.name,
                                                          WebUserRow.id != row.id))
                if other is not None:
                    raise FormError(f"{found.name} is already linked to the account of {other.name} "
                                    f"({other.email}); unlink that first", where="roster_member")
            after = found.name if found is not None else None
            if row.roster_member != after:
                before, row.roster_member = row.roster_member, after
                desk_audit.write(s, actor=by.email, action="roster-linked" if after else "roster-unlinked",
                                 target_kind="account", target_id=row.id, email=row.email, before=before,
                                 after=after)
            return as_user(row)

    def _row(self, s: Session, account_id: int) -> WebUserRow:
        row = s.get(WebUserRow, account_id)
        if row is None:
            raise NotFoundHere(f"there is no account {account_id}", where="account")
        return row

    def _changeable(self, s: Session, account_id: int, by: User, field: str, own: str) -> WebUserRow:
        row = self._row(s, account_id)
        if row.id == by.id:
            raise FormError(f"you cannot {own}; ask the Proper Officer or another administrator", where=field)
        if row.role == Role.PROPER_OFFICER.value:
            raise FormError(f"{row.name} is the Proper Officer, whose account is not changed here", where=field)
        return row
