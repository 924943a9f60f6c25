"""Errors of the Clerk's registers (incidents, outcomes, policy versions, attestations), each naming what
was wrong and where.

    CouncilguardError
    └── DeskError            a value or request the registers cannot accept
        ├── InvalidValue     a value cannot be used (``where`` names the field)
        ├── NotFound         no such incident, evidence item or record
        └── WrongState       the incident is not in a state that allows this (e.g. an outcome before a referral)

They carry no HTTP status: the web maps each to its own (422, 404, 409), so these services stay free of
the web.
"""

from __future__ import annotations

from councilguard.errors import CouncilguardError


class DeskError(CouncilguardError):
    def __init__(self, message: str, *, where: str = ""):
        self.message = message
        self.where = where
        super().__init__(message)


class InvalidValue(DeskError):
    """A value that cannot be used; ``where`` is the field's name."""


class NotFound(DeskError):
    """No such incident, evidence item or record."""


class WrongState(DeskError):
    """The incident's status does not allow this step yet (or any more)."""
