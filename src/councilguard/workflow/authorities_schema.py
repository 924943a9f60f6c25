"""Tables of the authorisations register and the official accounts' posting queue.

Why it is shaped this way:
- ``workflow_authorisations``: one authority a person holds (to speak for the council, to spend, to post
  on an official account, to use a personal e-mail account), with its true source (a resolution and its
  minute, the scheme of delegation, the financial regulations, the Proper Officer's designation or
  consent), the date it was given, its scope and expiry. The holder's name and e-mail are kept as they
  were when it was recorded, so the register reads as it was decided and the relay can find a sender's
  authorities by address without knowing the web's tables. Revoking fills the ``revoked_*`` columns;
  rows are never deleted, so the register shows what was in force on any past day.
- ``workflow_official_posts``: a post drafted for one of the council's official accounts, the check
  found at submission and again at approval (rule, severity, clause as JSON), the Proper Officer's
  decision, and the archive record an approved post became.
Both join the archive's declarative ``Base`` and are created by migration ``0006_authorities``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from councilguard.records.schema import Base, UtcDateTime

__all__ = ["AuthorisationRow", "OfficialPostRow"]


class AuthorisationRow(Base):
    """One authority held by ``holder_id`` from ``decided_on`` until ``expires_on`` (if any), unless revoked."""

    __tablename__ = "workflow_authorisations"
    __table_args__ = (Index("ix_workflow_authorisations_holder", "holder_id"),
                      Index("ix_workflow_authorisations_email", "holder_email"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", name="fk_workflow_authorisations_holder"))
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_email: Mapped[str] = mapped_column(String(320))  # lower case: the relay looks senders up by it
    holder_role: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))  # speak-for-council | purchase | official-account | personal-email
    source_kind: Mapped[str] = mapped_column(String(40))  # resolution | scheme-of-delegation | ...
    reference: Mapped[str] = mapped_column(String(200))  # the minute, paragraph or decision it rests on
    decided_on: Mapped[date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(64), nullable=True)  # official-account: one account, or all
    address: Mapped[str | None] = mapped_column(String(320), nullable=True)  # personal-email: one account, or any
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    consent_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("web_consent_requests.id", name="fk_workflow_authorisations_consent"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(320))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class OfficialPostRow(Base):
    """A post for an official account: ``status`` waiting | approved | returned."""

    __tablename__ = "workflow_official_posts"
    __table_args__ = (Index("ix_workflow_official_posts_status", "status", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(64))
    handle: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", name="fk_workflow_official_posts_drafter"))
    drafted_by_name: Mapped[str] = mapped_column(String(200))
    drafted_by_email: Mapped[str] = mapped_column(String(320))
    drafted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    designation_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_authorisations.id", name="fk_workflow_official_posts_designation"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    submitted_verdict: Mapped[str] = mapped_column(String(8))
    submitted_findings: Mapped[str] = mapped_column(Text)  # JSON list of {rule, severity, clause, explanation}
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)  # the approval note or return reason
    approved_verdict: Mapped[str | None] = mapped_column(String(8), nullable=True)
    approved_findings: Mapped[str | None] = mapped_column(Text, nullable=True)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", name="fk_workflow_official_posts_record"), nullable=True)
