"""Persistence for information requests: sessions, loading by reference, the request log, and plain values.

Why separate: the request workflow (``requests``), redaction (``redaction``) and export (``bundle``) all
read and write the same rows and must record each step the same way: a row in ``request_events`` for the
request's own log and, for steps about one record, an entry on the archive's hash chain in the *same*
transaction (so a step is never half-recorded, and a legal hold placed for a request commits with it).
Callers get frozen dataclasses, never ORM rows.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Iterator

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from councilguard.records import chain, db
from councilguard.records.archive_errors import ArchiveError, RecordNotFoundError
from councilguard.records.clocks import (
    ClarificationReceived,
    ClarificationRequested,
    ExtensionNotice,
    FeeNoticeGiven,
    FeeReceived,
    IdentityReceived,
    IdentityRequested,
    RequestClock,
    RequestType,
)
from councilguard.records.request_schema import (
    RequestClockRow,
    RequestEventRow,
    RequestRecordRow,
    RequestRedactionRow,
    RequestRow,
)
from councilguard.records.schema import RecordRow
from councilguard.records.search import SearchCriteria
from councilguard.text.addresses import is_address

__all__ = ["CLOCK_EVENTS", "ClockEntry", "CollectedRecord", "DataSubject", "InfoRequest", "Redaction",
           "RedactionError", "RequestError", "RequestEvent", "RequestNotFoundError", "RequestSearch",
           "RequestStore", "Requester", "phone_forms", "phone_key", "required"]

CLOCK_EVENTS = {
    "clarification-asked": ClarificationRequested,
    "clarification-received": ClarificationReceived,
    "fee-notice": FeeNoticeGiven,
    "fee-received": FeeReceived,
    "identity-asked": IdentityRequested,
    "identity-received": IdentityReceived,
    "extension": ExtensionNotice,
}
_MAX_ACTOR = 200


class RequestError(ArchiveError):
    """An information request cannot be registered, changed or exported as asked."""


class RequestNotFoundError(RequestError, LookupError):
    def __init__(self, reference: str, known: list[str]):
        self.reference = reference
        hint = f"; requests are: {', '.join(known[:20])}" if known else "; no requests are registered yet"
        super().__init__(f"no request {reference!r}{hint}")


class RedactionError(RequestError):
    """A redaction cannot be proposed, decided or applied as asked."""


def required(what: str, value: str | None, *, limit: int | None = None) -> str:
    """``value`` stripped; a RequestError naming ``what`` when it is empty or too long."""
    cleaned = (value or "").strip()
    if not cleaned:
        raise RequestError(f"{what} is required")
    if limit is not None and len(cleaned) > limit:
        raise RequestError(f"{what} is {len(cleaned)} characters long; at most {limit} are kept")
    return cleaned


# --- plain values ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requester:
    name: str
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class DataSubject:
    """Whom a subject access request is about: every way the records may name or reach them."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("names", "emails", "phones", "addresses"):
            values = getattr(self, name)
            if isinstance(values, str):
                values = (values,)
            cleaned = tuple(dict.fromkeys(" ".join(v.split()) for v in values if v and v.strip()))
            object.__setattr__(self, name, cleaned)
        object.__setattr__(self, "emails", tuple(dict.fromkeys(e.lower() for e in self.emails)))
        for email in self.emails:
            if not is_address(email):
                raise RequestError(f"data subject: {email!r} is not an e-mail address")
        for phone in self.phones:
            if len(re.sub(r"\D", "", phone)) < 7:
                raise RequestError(f"data subject: {phone!r} is not a phone number (too few digits)")

    @property
    def empty(self) -> bool:
        return not (self.names or self.emails or self.phones)

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DataSubject:
        return cls(**{k: tuple(data.get(k, ())) for k in ("names", "emails", "phones", "addresses")})

    def describe(self) -> str:
        parts = [f"{k}: {', '.join(v)}" for k, v in asdict(self).items() if v]
        return "; ".join(parts) or "nobody named"


def phone_key(phone: str) -> str:
    """A phone number in one comparable form (E.164 when it parses as a UK or international number)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", phone)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_forms(phone: str) -> list[str]:
    """The ways a UK phone number is commonly written: as given, national, national digits, international."""
    import phonenumbers

    forms = [" ".join(phone.split())]
    try:
        parsed = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        return forms
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    forms += [national, national.replace(" ", ""), international, e164]
    return list(dict.fromkeys(forms))


@dataclass(frozen=True)
class ClockEntry:
    """A clock event as recorded: its kind (a key of CLOCK_EVENTS), date, and extension details."""

    id: int
    kind: str
    on: date
    grounds: tuple[str, ...] = ()
    reason: str | None = None
    new_due: date | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None

    def to_event(self):
        cls = CLOCK_EVENTS[self.kind]
        if cls is ExtensionNotice:
            return ExtensionNotice(self.on, frozenset(self.grounds), self.reason or "", self.new_due)
        return cls(self.on)


@dataclass(frozen=True)
class RequestSearch:
    position: int
    criteria: SearchCriteria
    hold_name: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class InfoRequest:
    """A request as registered, with its clock events and searches."""

    id: int
    reference: str
    kind: RequestType
    received: date
    requester: Requester
    wording: str
    subject: DataSubject | None
    nation: str
    created_at: datetime
    created_by: str
    closed_on: date | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    outcome: str | None = None
    outcome_note: str | None = None
    review_until: date | None = None
    holds_released_at: datetime | None = None
    clock_events: tuple[ClockEntry, ...] = ()
    searches: tuple[RequestSearch, ...] = ()

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def clock(self) -> RequestClock:
        """The request's legal clock (raises ClockError if its events are impossible)."""
        return RequestClock(self.kind, self.received, [e.to_event() for e in self.clock_events], nation=self.nation)


@dataclass(frozen=True)
class CollectedRecord:
    record_id: int
    found_by: str
    found_at: datetime
    scope: str  # pending | in | out
    withheld: str | None = None
    note: str | None = None
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None


@dataclass(frozen=True)
class Redaction:
    """One proposed redaction; ``outcome`` is the Clerk's decision, or the proposal while undecided."""

    id: int
    record_id: int
    start: int
    end: int
    text: str
    kind: str
    proposed: str  # redact | keep
    reason: str
    ground: str
    origin: str  # finder | clerk
    decision: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str | None = None

    @property
    def outcome(self) -> str:
        return self.decision or self.proposed


@dataclass(frozen=True)
class RequestEvent:
    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any]


# --- the store --------------------------------------------------------------------------------------------


class RequestStore:
    """Sessions on the archive's database, and the shared ways of loading and recording."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sessions = db.sessions(engine)

    def read(self) -> Session:
        return self.sessions()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction that may also append to the archive's chain (see ``db.write_session``)."""
        with db.write_session(self.sessions) as session:
            chain.lock(session)
            yield session

    def load(self, session: Session, reference: str) -> RequestRow:
        row = session.scalar(select(RequestRow).where(RequestRow.reference == (reference or "").strip())
                             .options(selectinload(RequestRow.clock_events), selectinload(RequestRow.searches)))
        if row is None:
            known = list(session.scalars(select(RequestRow.reference).order_by(RequestRow.received_on.desc())))
            raise RequestNotFoundError(reference, known)
        return row

    def load_open(self, session: Session, reference: str, doing: str) -> RequestRow:
        row = self.load(session, reference)
        if row.closed_at is not None:
            raise RequestError(f"request {row.reference} was closed on {row.closed_on} ({row.outcome}); "
                               f"cannot {doing}")
        return row

    def log(self, session: Session, row: RequestRow, actor: str, kind: str, /, **detail: Any) -> None:
        """Append a step to the request's own log."""
        session.add(RequestEventRow(request_id=row.id, at=chain.now(), actor=actor, kind=kind,
                                    detail=chain.canonical(detail)))

    def record_step(self, session: Session, record_id: int, kind: str, actor: str, /, **detail: Any) -> None:
        """Append a step about one record to the archive's chain (as ``Archive.record_event`` writes it)."""
        row = session.get(RecordRow, record_id)
        if row is None:
            raise RecordNotFoundError(record_id)
        chain.append(session, kind, record=row, detail={**detail, "actor": actor})

    def collected(self, session: Session, request_id: int, record_id: int) -> RequestRecordRow:
        row = session.get(RequestRecordRow, (request_id, record_id))
        if row is None:
            raise RequestError(f"record {record_id} was not collected for this request; add it first")
        return row


def actor_of(actor: str | None) -> str:
    return required("who is doing this (the actor)", actor, limit=_MAX_ACTOR)


def to_request(row: RequestRow) -> InfoRequest:
    return InfoRequest(
        id=row.id, reference=row.reference, kind=RequestType(row.kind), received=row.received_on,
        requester=Requester(row.requester_name, row.requester_email, row.requester_address), wording=row.wording,
        subject=None if row.data_subject is None else DataSubject.from_dict(json.loads(row.data_subject)),
        nation=row.nation, created_at=row.created_at, created_by=row.created_by, closed_on=row.closed_on,
        closed_at=row.closed_at, closed_by=row.closed_by, outcome=row.outcome, outcome_note=row.outcome_note,
        review_until=row.review_until, holds_released_at=row.holds_released_at,
        clock_events=tuple(to_clock_entry(e) for e in row.clock_events),
        searches=tuple(RequestSearch(s.position, SearchCriteria.from_dict(json.loads(s.criteria)), s.hold_name,
                                     s.added_at, s.added_by) for s in row.searches),
    )


def to_clock_entry(row: RequestClockRow) -> ClockEntry:
    grounds = tuple(g for g in (row.grounds or "").split(",") if g)
    return ClockEntry(row.id, row.kind, row.on_date, grounds, row.reason, row.new_due, row.recorded_at,
                      row.recorded_by)


def to_collected(row: RequestRecordRow) -> CollectedRecord:
    return CollectedRecord(row.record_id, row.found_by, row.found_at, row.scope, row.withheld, row.note,
                           row.reviewed_at, row.reviewed_by)


def to_redaction(row: RequestRedactionRow) -> Redaction:
    return Redaction(row.id, row.record_id, row.span_start, row.span_end, row.text, row.kind, row.proposed,
                     row.reason, row.ground, row.origin, row.decision, row.decided_by, row.decided_at, row.note)


def to_event(row: RequestEventRow) -> RequestEvent:
    return RequestEvent(row.at, row.actor, row.kind, json.loads(row.detail))
