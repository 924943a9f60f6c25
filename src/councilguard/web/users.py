"""User accounts: create, look up, authenticate. Passwords are kept only as argon2 hashes.

An unknown e-mail address costs the same hashing work as a wrong password, so the time a sign-in
takes does not tell an attacker which addresses have accounts. A hash made with weaker parameters
than today's is replaced on the next successful sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from councilguard.text.addresses import is_address
from councilguard.web.accounts_schema import WebUserRow
from councilguard.web.errors import AccountError
from councilguard.web.privacy_notice import NOTICE_EDITION
from councilguard.web.roles import ROLES, Role

MIN_PASSWORD = 12


@dataclass(frozen=True)
class User:
    """A signed-in person as the routes see them (never with the password hash)."""

    id: int
    email: str
    name: str
    role: Role
    privacy_seen: bool
    active: bool = True  # a switched-off account cannot sign in, and its sessions end
    roster_member: str | None = None  # the council.yaml name the Clerk linked this account to, if any
    session_version: int = 0  # a session made under an older version has ended


def as_user(row: WebUserRow) -> User:
    """The ``User`` a row describes (for services that change accounts in their own transaction)."""
    return _user(row)


def _user(row: WebUserRow) -> User:
    return User(row.id, row.email, row.name, Role(row.role), row.privacy_edition == NOTICE_EDITION, row.active,
                row.roster_member, row.session_version)


class UserStore:
    """The ``web_users`` table behind a small API; one per app, safe to share between requests."""

    def __init__(self, factory: sessionmaker[Session], hasher: PasswordHasher | None = None):
        self._factory = factory
        self._hasher = hasher or PasswordHasher()
        self._dummy: str | None = None  # hashed on first need: an unknown address costs a real verify

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self._hasher.hash("not a password anyone has")
        return self._dummy

    def count(self) -> int:
        with self._factory() as s:
            return s.scalar(select(func.count()).select_from(WebUserRow)) or 0

    def list(self) -> list[User]:
        with self._factory() as s:
            return [_user(r) for r in s.scalars(select(WebUserRow).order_by(WebUserRow.name, WebUserRow.id))]

    def get(self, user_id: int) -> User | None:
        with self._factory() as s:
            row = s.get(WebUserRow, user_id)
            return _user(row) if row else None

    def create(self, *, email: str, name: str, role: str, password: str, created_by: str) -> User:
        """Add an account; raises AccountError naming the field that is wrong."""
        email, name = email.strip().lower(), " ".join(name.split())
        if not is_address(email):
            raise AccountError(f"{email or 'an empty value'!r} is not an e-mail address", where="email")
        if not name:
            raise AccountError("a name is needed, as it should appear to colleagues", where="name")
        if role not in ROLES:
            raise AccountError(f"{role!r} is not a role; expected one of {', '.join(ROLES)}", where="role")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"the password is {len(password)} characters; use at least {MIN_PASSWORD}",
                               where="password")
        row = WebUserRow(email=email, name=name, role=role, password_hash=self._hasher.hash(password),
                         created_at=datetime.now(timezone.utc), created_by=created_by)
        with self._factory() as s:
            s.add(row)
            try:
                s.commit()
            except IntegrityError:
                raise AccountError(f"there is already an account for {email}", where="email") from None
            return _user(row)

    def authenticate(self, email: str, password: str) -> User | None:
        """The user whose e-mail and password these are, or None (same work either way; None too when the
        account is switched off)."""
        with self._factory() as s:
            row = s.scalar(select(WebUserRow).where(WebUserRow.email == email.strip().lower()))
            stored = row.password_hash if row else self._dummy_hash()
            try:
                self._hasher.verify(stored, password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None or not row.active:
                return None
            if self._hasher.check_needs_rehash(stored):
                row.password_hash = self._hasher.hash(password)
                s.commit()
            return _user(row)

    def mark_privacy_seen(self, user_id: int) -> None:
        """Record that the person has read the current edition of what councilguard stores, and when."""
        with self._factory() as s:
            row = s.get(WebUserRow, user_id)
            if row is not None and row.privacy_edition != NOTICE_EDITION:
                row.privacy_seen_at, row.privacy_edition = datetime.now(timezone.utc), NOTICE_EDITION
                s.commit()
