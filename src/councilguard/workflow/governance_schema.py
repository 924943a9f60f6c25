"""Tables of the policy's life and of the governance evidence the Clerk attests.

Why it is shaped this way:
- ``workflow_policy_versions``: one row per version of a policy pack (pack id + the version as the pack
  names it, the same key acknowledgements use), with what the council resolved: draft or adopted, the
  date and minute of adoption, the next review date. The version installed is the pack's own; rows for
  earlier versions stay as its history.
- ``workflow_attestations``: what councilguard cannot check for itself (the website's accessibility, the
  publication scheme), as the Clerk attests it: a statement, a link to the evidence, the date. Rows are
  only added; the newest per topic is the one in force.
Both join the archive's declarative ``Base`` and are created by migration ``0007_incidents``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from councilguard.records.schema import Base, UtcDateTime

__all__ = ["AttestationRow", "PolicyVersionRow"]


class PolicyVersionRow(Base):
    """What the council resolved about one version of the policy."""

    __tablename__ = "workflow_policy_versions"
    __table_args__ = (UniqueConstraint("pack_id", "version", name="uq_workflow_policy_versions"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))  # draft | adopted
    adopted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    minute_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    review_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(320))


class AttestationRow(Base):
    """The Clerk's attestation on one topic councilguard cannot check, with the link that evidences it."""

    __tablename__ = "workflow_attestations"
    __table_args__ = (Index("ix_workflow_attestations_topic", "pack_id", "topic", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(64))
    statement: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(2000))
    attested_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(320))
