"""Errors of the authorisations register and the official posts queue, each naming the field or row at fault.

    CouncilguardError
    └── AuthorityError        a value or request the register or the queue cannot accept
        ├── InvalidEntry      a value cannot be used (``where`` names the field)
        │   └── PostBlocked   the check found a breach the policy does not allow to be published
        ├── NotPermitted      the person may not do this (e.g. draft for an account they are not designated to)
        ├── NoSuchEntry       there is no such authorisation or post
        └── AlreadyDecided    the post or authorisation was already decided (approved, returned, revoked)

They carry no HTTP status: the web maps each to its own error (422, 403, 404, 409) so these services stay
free of the web.
"""

from __future__ import annotations

from typing import Any

from councilguard.errors import CouncilguardError


class AuthorityError(CouncilguardError):
    def __init__(self, message: str, *, where: str = ""):
        self.message = message
        self.where = where
        super().__init__(message)


class InvalidEntry(AuthorityError):
    """A value that cannot be used; ``where`` is the field's name."""


class PostBlocked(InvalidEntry):
    """The check says the text would breach the policy at ``block`` severity; ``report`` says why."""

    def __init__(self, message: str, *, report: Any, where: str = "text"):
        super().__init__(message, where=where)
        self.report = report


class NotPermitted(AuthorityError):
    """The person's role or designation does not allow this."""


class NoSuchEntry(AuthorityError):
    """No such authorisation or post."""


class AlreadyDecided(AuthorityError):
    """The post or authorisation has already been decided, so it cannot be decided again."""
