"""The web's side of the incident register, the policy's versions and the governance pack: the lookups
the workflow services are handed (reported remarks, acknowledgements, the people asked to acknowledge)
and their errors as the web's own.

The services sit below the web and cannot read its tables, so the web hands them what they need: a
reported remark by its number (only the Proper Officer's desk opens an incident, so the lookup needs no
viewer), and who acknowledged which version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.web.acknowledgements import Acknowledgements, PolicyVersion, asked_to_acknowledge
from councilguard.web.accounts_schema import WebUserRow
from councilguard.web.desk_schema import RemarkReportRow
from councilguard.web.errors import FormError, NotFoundHere, WebError
from councilguard.web.users import User
from councilguard.workflow.desk_errors import DeskError, NotFound, WrongState
from councilguard.workflow.incident_sources import ReportedRemark
from councilguard.workflow.policy_versions import AcknowledgedBy, Reader



class WrongStateError(WebError):
    """The incident's status does not allow this step (e.g. an outcome before the referral)."""

    status = 409
    code = "wrong-state"


def as_web_error(exc: DeskError) -> WebError:
    """The web error for a register error, keeping its words and the field it names."""
    if isinstance(exc, NotFound):
        return NotFoundHere(exc.message, where=exc.where)
    if isinstance(exc, WrongState):
        return WrongStateError(exc.message, where=exc.where)
    return FormError(exc.message, where=exc.where)


def remark_lookup(factory: sessionmaker[Session]):
    """A reported remark by its number, as the incident register takes it (None if there is none)."""

    def find(report_id: int) -> ReportedRemark | None:
        with factory() as s:
            found = s.execute(select(RemarkReportRow, WebUserRow.name)
                              .join(WebUserRow, WebUserRow.id == RemarkReportRow.reporter_id)
                              .where(RemarkReportRow.id == report_id)).first()
            if found is None:
                return None
            row, name = found
            return ReportedRemark(row.id, row.remark, row.link, row.platform, name, row.created_at, row.note,
                                  row.screenshot)

    return find


def acknowledged_by(acknowledgements: Acknowledgements) -> AcknowledgedBy:
    def of(pack_id: str, version: str) -> Mapping[int, datetime]:
        return acknowledgements.of(PolicyVersion(pack_id, version, ""))

    return of


def readers(users: Iterable[User]) -> list[Reader]:
    """The councillors and staff with accounts: those asked to acknowledge the policy."""
    return [Reader(u.id, u.name, u.role.label) for u in asked_to_acknowledge(users)]
