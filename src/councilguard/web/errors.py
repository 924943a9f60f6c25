"""Errors of the web app, each a plain sentence the page or the API can show as it is.

    CouncilguardError
    └── WebError             carries an HTTP status, a stable code and where the problem is
        ├── AccountError     an account cannot be created as asked (422)
        ├── NotSignedIn      no valid session (401; pages redirect to sign-in instead)
        ├── Forbidden        signed in, but the role may not do this (403)
        ├── CsrfError        a state-changing request without the form's or header's token (403)
        ├── TooManySignIns   too many failed sign-ins for the account or the address (429)
        ├── PrivacyNoticeUnseen  a page asked for before the person has read the privacy notice
        ├── FormError        a desk or councillor form value cannot be used (422), naming the field
        └── NotFoundHere     no such row, or not yours to see (404, the same answer for both)
"""

from __future__ import annotations

from councilguard.errors import CouncilguardError


class WebError(CouncilguardError):
    status = 400
    code = "bad-request"

    def __init__(self, message: str, *, where: str = ""):
        self.message = message
        self.where = where
        super().__init__(message)

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The one shape of every API error: ``{"error": {"code", "message", "where"}}``."""
        return {"error": {"code": self.code, "message": self.message, "where": self.where}}


class AccountError(WebError):
    status = 422
    code = "invalid-account"


class NotSignedIn(WebError):
    status = 401
    code = "not-signed-in"


class Forbidden(WebError):
    status = 403
    code = "forbidden"


class CsrfError(WebError):
    status = 403
    code = "csrf-token-missing"


class TooManySignIns(WebError):
    status = 429
    code = "too-many-sign-ins"


class PrivacyNoticeUnseen(WebError):
    """Pages send the person to /welcome first; the API is not held up by it."""

    status = 303
    code = "privacy-notice-unseen"


class FormError(WebError):
    """A desk or councillor form holds a value that cannot be used; ``where`` names the field."""

    status = 422
    code = "invalid-form"


class NotFoundHere(WebError):
    """The row does not exist, or is not the signed-in person's to see (the same answer for both)."""

    status = 404
    code = "not-found"
