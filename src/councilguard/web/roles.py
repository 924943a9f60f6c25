"""Who may do what: the four roles, and the guard every route declares.

Every route of the app depends on exactly one guard: ``public`` (sign-in, first-run set-up, static
files) or ``require(...)`` naming the roles allowed. A test walks the app's routes and fails if any
route has neither, so a new page cannot be added unguarded by mistake.
"""

from __future__ import annotations

from enum import Enum
from typing import Callable

from fastapi import Request


class Role(str, Enum):
    COUNCILLOR = "councillor"
    PROPER_OFFICER = "proper-officer"
    STAFF = "staff"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Role.COUNCILLOR: "Councillor", Role.PROPER_OFFICER: "Proper Officer (Clerk)", Role.STAFF: "Staff",
           Role.ADMINISTRATOR: "Administrator"}
ROLES = tuple(r.value for r in Role)
CHECKERS = (Role.COUNCILLOR, Role.STAFF, Role.PROPER_OFFICER)  # who may check drafts
ACCOUNT_KEEPERS = (Role.PROPER_OFFICER, Role.ADMINISTRATOR)  # who may add accounts
ANYONE = tuple(Role)  # any signed-in person
ASSIGNABLE = (Role.COUNCILLOR, Role.STAFF, Role.ADMINISTRATOR)  # the Proper Officer is made at set-up


def public() -> None:
    """The guard of routes open to everyone (they still need a CSRF token to change anything)."""


def require(*roles: Role) -> Callable:
    """A FastAPI dependency that returns the signed-in user if their role is one of ``roles``."""
    from councilguard.web.auth import current_user
    from councilguard.web.errors import Forbidden, PrivacyNoticeUnseen

    def guard(request: Request):
        user = current_user(request)
        if user.role not in roles:
            allowed = ", ".join(r.label for r in roles)
            raise Forbidden(f"this page is for: {allowed}; you are signed in as {user.role.label}",
                            where=request.url.path)
        if not user.privacy_seen and not request.url.path.startswith("/api/"):
            raise PrivacyNoticeUnseen("please read what councilguard keeps first", where=request.url.path)
        return user

    guard.roles = roles  # type: ignore[attr-defined]  (read by the test that every route is guarded)
    return guard
