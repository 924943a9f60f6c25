"""The web's side of the authorisations register and the official posts queue: who the signed-in person is
to those services, and their errors as the web's own (a page shows them beside the field; the API gives
the one error shape with the right status).
"""

from __future__ import annotations

from councilguard.web.errors import FormError, Forbidden, NotFoundHere, WebError
from councilguard.web.users import User
from councilguard.workflow.authorisations import Person
from councilguard.workflow.authority_errors import (
    AlreadyDecided,
    AuthorityError,
    InvalidEntry,
    NoSuchEntry,
    NotPermitted,
)


class AlreadyDecidedError(WebError):
    """The post or authorisation was decided already (by someone else, or a moment ago)."""

    status = 409
    code = "already-decided"


_AS = {InvalidEntry: FormError, NotPermitted: Forbidden, NoSuchEntry: NotFoundHere, AlreadyDecided: AlreadyDecidedError}


def person(user: User) -> Person:
    return Person(user.id, user.name, user.email, user.role.value)


def as_web_error(exc: AuthorityError) -> WebError:
    """The web error for a register or queue error, keeping its words and the field it names."""
    for kind, web in _AS.items():
        if isinstance(exc, kind):
            return web(exc.message, where=exc.where)
    return FormError(exc.message, where=exc.where)
