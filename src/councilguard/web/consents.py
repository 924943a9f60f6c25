"""Consent to use a personal e-mail account for council business, asked for and decided.

The policy expects council business on council accounts; a councillor who needs to use a personal one
asks the Proper Officer, who grants it until a date (naming the source of the decision, e.g. "Clerk's
decision 2026-11-25" or a minute) or refuses it with a reason. A grant past its date counts as expired.
A grant is entered in the register of authorisations as well (``workflow.authorisations``): that register
is what the checker and the relay honour, and where the Clerk can revoke it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.records.db import write_session
from councilguard.web import desk_audit
from councilguard.web.accounts_schema import WebUserRow
from councilguard.web.desk_schema import ConsentRequestRow
from councilguard.web.errors import FormError, NotFoundHere
from councilguard.web.users import User
from councilguard.workflow.authorisations import NewAuthorisation, Person, record_in


@dataclass(frozen=True)
class Consent:
    id: int
    councillor_id: int
    councillor_name: str
    address: str
    reason: str
    period: str
    created_at: datetime
    status: str  # pending | granted | refused
    decided_at: datetime | None
    decided_by: str | None
    expires_on: date | None
    source: str | None
    refusal_reason: str | None

    def state(self, today: date) -> str:
        """pending, granted, expired (granted, past its date) or refused."""
        if self.status == "granted" and self.expires_on is not None and self.expires_on < today:
            return "expired"
        return self.status


def _consent(row: ConsentRequestRow, name: str) -> Consent:
    return Consent(row.id, row.councillor_id, name, row.address, row.reason, row.period, row.created_at,
                   row.status, row.decided_at, row.decided_by, row.expires_on, row.source, row.refusal_reason)


class ConsentRequests:
    def __init__(self, factory: sessionmaker[Session]):
        self._factory = factory

    def ask(self, by: User, *, address: str, reason: str, period: str) -> Consent:
        row = ConsentRequestRow(councillor_id=by.id, address=address, reason=reason, period=period,
                                created_at=datetime.now(timezone.utc), status="pending")
        with write_session(self._factory) as s:
            s.add(row)
            s.flush()
            return _consent(row, by.name)

    def _list(self, *where) -> list[Consent]:
        with self._factory() as s:
            rows = s.execute(select(ConsentRequestRow, WebUserRow.name)
                             .join(WebUserRow, WebUserRow.id == ConsentRequestRow.councillor_id)
                             .where(*where).order_by(ConsentRequestRow.created_at, ConsentRequestRow.id))
            return [_consent(r, name) for r, name in rows]

    def mine(self, user_id: int) -> list[Consent]:
        return self._list(ConsentRequestRow.councillor_id == user_id)

    def pending(self) -> list[Consent]:
        return self._list(ConsentRequestRow.status == "pending")

    def granted(self) -> list[Consent]:
        return self._list(ConsentRequestRow.status == "granted")

    def _pending_row(self, s: Session, consent_id: int) -> ConsentRequestRow:
        row = s.get(ConsentRequestRow, consent_id)
        if row is None:
            raise NotFoundHere(f"there is no consent request {consent_id}", where="consent")
        if row.status != "pending":
            raise FormError(f"consent request {consent_id} was already {row.status} by {row.decided_by}",
                            where="consents")
        return row

    def grant(self, consent_id: int, by: User, *, expires_on: date, source: str, today: date) -> None:
        """Grant until ``expires_on`` (after ``today``), naming the decision's ``source``; audited."""
        if expires_on <= today:
            raise FormError(f"the consent would end on {expires_on}, which is not after today ({today})",
                            where="expires_on")
        with write_session(self._factory) as s:
            row = self._pending_row(s, consent_id)
            row.status, row.decided_at, row.decided_by = "granted", datetime.now(timezone.utc), by.email
            row.expires_on, row.source = expires_on, source
            _register(s, row, by, today)
            desk_audit.write(s, actor=by.email, action="consent-granted", target_kind="consent-request",
                             target_id=consent_id, expires_on=expires_on.isoformat(), source=source)

    def refuse(self, consent_id: int, by: User, *, reason: str) -> None:
        with write_session(self._factory) as s:
            row = self._pending_row(s, consent_id)
            row.status, row.decided_at, row.decided_by = "refused", datetime.now(timezone.utc), by.email
            row.refusal_reason = reason
            desk_audit.write(s, actor=by.email, action="consent-refused", target_kind="consent-request",
                             target_id=consent_id, reason=reason)


def _register(s: Session, row: ConsentRequestRow, by: User, today: date) -> None:
    """A grant is entered in the register of authorisations too, which is what the checker and the relay
    honour (as "personal-email:<the address asked for>", for that account only, until the consent's last day)."""
    holder = s.get(WebUserRow, row.councillor_id)
    new = NewAuthorisation(kind="personal-email", source_kind="proper-officer-consent", reference=row.source or "",
                           decided_on=today, scope=f"Council business from or to {row.address}",
                           expires_on=row.expires_on, address=row.address.strip().lower())
    record_in(s, Person(holder.id, holder.name, holder.email, holder.role), new, by=by.email,
              consent_request_id=row.id)
