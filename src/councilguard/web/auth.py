"""Sessions, CSRF tokens and the sign-in limiter.

The session is Starlette's signed cookie (itsdangerous): it holds the user's id and a CSRF token, never
anything secret. Every state-changing request must echo the token, in the form field ``csrf_token`` or
the ``X-CSRF-Token`` header (the JSON API), so another site cannot post on a signed-in person's behalf.
Failed sign-ins are counted in memory per account and per address; after ``limit`` failures in
``window`` seconds the next attempts are refused with 429 until the oldest failure ages out.
"""

from __future__ import annotations

import hmac
import secrets
from collections import defaultdict, deque
from typing import Callable

from fastapi import Request

from councilguard.web.errors import CsrfError, NotSignedIn, TooManySignIns
from councilguard.web.users import User

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SAFE = {"GET", "HEAD", "OPTIONS"}


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def verify_csrf(request: Request) -> None:
    """Dependency of every POST route: refuse the request unless it carries the session's token."""
    if request.method in _SAFE:
        return
    expected = request.session.get("csrf", "")
    given = request.headers.get(CSRF_HEADER, "")
    if not given and "form" in request.headers.get("content-type", ""):
        given = str((await request.form()).get(CSRF_FIELD, ""))
    if not expected or not given or not hmac.compare_digest(expected, given):
        where = f"header {CSRF_HEADER}" if request.url.path.startswith("/api/") else f"form field {CSRF_FIELD}"
        raise CsrfError("this request did not carry the security token of your session; reload the page "
                        "and try again", where=where)


def current_user(request: Request) -> User:
    """The signed-in user, or NotSignedIn (also when their account no longer exists, has been switched off,
    or its sessions were ended after this one began)."""
    user_id = request.session.get("user")
    user = request.app.state.users.get(user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or request.session.get("version", 0) != user.session_version:
        raise NotSignedIn("please sign in first", where="session")
    return user


def optional_user(request: Request) -> User | None:
    try:
        return current_user(request)
    except NotSignedIn:
        return None


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for ``user`` (a new CSRF token too, so a planted one is useless)."""
    request.session.clear()
    request.session["user"] = user.id
    request.session["version"] = user.session_version
    csrf_token(request)


def sign_out(request: Request) -> None:
    request.session.clear()


class SignInLimiter:
    """At most ``limit`` failed sign-ins per key within ``window`` seconds (in memory, per process)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]):
        self.limit, self.window, self._clock = limit, window, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        times, cutoff = self._failures[key], self._clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        return times

    def check(self, *keys: str) -> None:
        """Raise TooManySignIns if any key has used up its failures."""
        for key in keys:
            times = self._recent(key)
            if len(times) >= self.limit:
                wait = max(1, int(times[0] + self.window - self._clock() + 59) // 60)
                what = "this account" if key.startswith("account:") else "your network address"
                raise TooManySignIns(f"too many failed sign-ins for {what}; please wait {wait} minute"
                                     f"{'s' if wait != 1 else ''} and try again", where="sign-in")

    def failed(self, *keys: str) -> None:
        now = self._clock()
        for key in keys:
            self._recent(key).append(now)

    def succeeded(self, account_key: str) -> None:
        self._failures.pop(account_key, None)


def limiter_keys(request: Request, email: str) -> tuple[str, str]:
    host = request.client.host if request.client else "unknown"
    return f"account:{email.strip().lower()}", f"ip:{host}"
