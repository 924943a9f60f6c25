"""Tables for information requests (FOI, EIR, subject access), on the archive's declarative ``Base``.

Why it is shaped this way:
- ``info_requests`` holds the request as registered (who asked, what, when) and how it was closed. A
  subject access request's data subject (name variants, addresses, phones) is JSON beside it: it is
  read whole, never queried by part.
- The clock's dated events (clarification, fees, identity, extension) are rows of
  ``request_clock_events``; the due date is never stored, it is recomputed by ``RequestClock`` from them,
  so a corrected holiday calendar corrects every due date.
- ``request_searches`` are the Clerk's searches; each placed a legal hold by criteria, named here.
- ``request_records`` are the records collected for the request and the Clerk's scope decision on each.
- ``request_redactions`` are proposed and decided redactions: a span of the record's disclosure text
  (with the text it covered, so a span that no longer fits is noticed, never misapplied).
- ``request_events`` is the request's own log: who did what, when. Per-record steps also go on the chain.
These tables are created by migration ``0002_requests``; nothing in ``schema.py`` refers to them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councilguard.records.schema import Base, UtcDateTime

__all__ = ["RequestClockRow", "RequestEventRow", "RequestRecordRow", "RequestRedactionRow", "RequestRow",
           "RequestSearchRow"]


class RequestRow(Base):
    """One information request: FOI, EIR or subject access."""

    __tablename__ = "info_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(3))  # foi | eir | sar
    received_on: Mapped[date] = mapped_column(Date, index=True)
    requester_name: Mapped[str] = mapped_column(Text)
    requester_email: Mapped[str | None] = mapped_column(String(320))
    requester_address: Mapped[str | None] = mapped_column(Text)
    wording: Mapped[str] = mapped_column(Text)
    data_subject: Mapped[str | None] = mapped_column(Text)  # JSON: names, emails, phones, addresses
    nation: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    review_until: Mapped[date | None] = mapped_column(Date)
    holds_released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    clock_events: Mapped[list[RequestClockRow]] = relationship(order_by="RequestClockRow.id",
                                                               cascade="all, delete-orphan")
    searches: Mapped[list[RequestSearchRow]] = relationship(order_by="RequestSearchRow.position",
                                                            cascade="all, delete-orphan")


class RequestClockRow(Base):
    """A dated event of the request's legal clock (see ``councilguard.records.clocks``)."""

    __tablename__ = "request_clock_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"))
    kind: Mapped[str] = mapped_column(String(32))
    on_date: Mapped[date] = mapped_column(Date)
    grounds: Mapped[str | None] = mapped_column(String(200))  # extension: comma-separated ExtensionGround values
    reason: Mapped[str | None] = mapped_column(Text)
    new_due: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
    __table_args__ = (Index("ix_request_clock_events_request", "request_id", "id"),)


class RequestSearchRow(Base):
    """One of the Clerk's searches for a request, and the legal hold it placed."""

    __tablename__ = "request_searches"
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    criteria: Mapped[str] = mapped_column(Text)  # canonical JSON of SearchCriteria.to_dict()
    hold_name: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(String(200))


class RequestRecordRow(Base):
    """A record collected for a request, and the Clerk's review of it."""

    __tablename__ = "request_records"
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    found_by: Mapped[str] = mapped_column(String(64))  # "search 2" | "by hand (hold name)"
    found_at: Mapped[datetime] = mapped_column(UtcDateTime)
    scope: Mapped[str] = mapped_column(String(8))  # pending | in | out
    withheld: Mapped[str | None] = mapped_column(Text)  # the ground for withholding the whole record
    note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (Index("ix_request_records_record", "record_id"),)


class RequestRedactionRow(Base):
    """A proposed (and then decided) redaction of one span of a record's disclosure text."""

    __tablename__ = "request_redactions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))  # PERSON, UK_PHONE, EMAIL_ADDRESS... or CLERK
    proposed: Mapped[str] = mapped_column(String(8))  # redact | keep
    reason: Mapped[str] = mapped_column(Text)
    ground: Mapped[str] = mapped_column(String(80))
    origin: Mapped[str] = mapped_column(String(8))  # finder | clerk
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str | None] = mapped_column(String(8))  # redact | keep, None while undecided
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_request_redactions_request_record", "request_id", "record_id"),)


class RequestEventRow(Base):
    """One step taken on a request: who, when, what (details as JSON). Append-only."""

    __tablename__ = "request_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_request_events_request", "request_id", "id"),)
