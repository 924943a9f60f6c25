"""Tables behind the Proper Officer's desk and the councillor forms that feed it.

- ``web_remark_reports``: a negative remark a councillor reported to the Clerk instead of replying to
  it (the policy asks them not to engage), with an optional screenshot kept in the database so the
  evidence stays with the report and goes wherever the database goes (backups, PostgreSQL).
- ``web_consent_requests``: a councillor asks the Proper Officer for consent to use a personal e-mail
  account for council business; the decision (granted until a date, with its source, or refused with a
  reason) is kept on the same row.
- ``web_acknowledgements``: who read and acknowledged which policy version (pack id + pack version).
- ``web_policy_review``: the policy's adoption and review dates, as the Clerk records them.
- ``web_desk_audit``: one row per desk action (who, when, what, on which row): append-only in use.
All join the archive's declarative ``Base`` and are created by migration ``0004_desk``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from councilguard.records.schema import Base, UtcDateTime

__all__ = ["AcknowledgementRow", "ConsentRequestRow", "DeskAuditRow", "PolicyReviewRow", "RemarkReportRow"]


class RemarkReportRow(Base):
    """A negative remark reported to the Clerk; ``status`` is open until the Clerk marks it handled."""

    __tablename__ = "web_remark_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", name="fk_web_remark_reports_reporter"))
    remark: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(2000))
    platform: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    screenshot: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    screenshot_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | handled
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    handled_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    handled_note: Mapped[str | None] = mapped_column(Text, nullable=True)


class ConsentRequestRow(Base):
    """A request to use a personal e-mail account; ``status`` pending | granted | refused."""

    __tablename__ = "web_consent_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    councillor_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", name="fk_web_consent_requests_councillor"))
    address: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(200))  # "for how long", in the councillor's words
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)  # e.g. "Clerk's decision 2026-11-25"
    refusal_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class AcknowledgementRow(Base):
    """``user_id`` read and acknowledged policy ``pack_id`` at ``version`` (and the relay notice)."""

    __tablename__ = "web_acknowledgements"
    __table_args__ = (UniqueConstraint("user_id", "pack_id", "version", name="uq_web_acknowledgements"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", name="fk_web_acknowledgements_user"))
    pack_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(100))
    acknowledged_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PolicyReviewRow(Base):
    """The adoption and review record of one policy pack, as the Proper Officer keeps it."""

    __tablename__ = "web_policy_review"
    pack_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # draft | adopted
    adopted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    minute_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    next_review: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(320))


class DeskAuditRow(Base):
    """One action taken at the desk: who (e-mail), when, what, and the row it was about."""

    __tablename__ = "web_desk_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target_kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")
