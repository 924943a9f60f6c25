"""Tables of the incident register: incidents, their evidence, and every change made to them.

Why it is shaped this way:
- ``workflow_incidents``: one incident, opened only from something already published, reported or sent
  (``source_kind`` is published, remark-report or held-email, and the database refuses any other, so no
  private draft can ever become an incident). It keeps the words complained of, the councillor
  concerned (a name on the council's roster), the policy rules the Clerk links, and the steps of its life:
  referral to the Monitoring Officer, the outcome the principal authority decided (copied as it read in
  the pack that day, so a later change to the pack does not rewrite history), and closing.
- ``workflow_incident_evidence``: screenshots (kept in the database so the evidence goes wherever the
  database goes, with their SHA-256), links, texts and archived e-mails, each with who added it and when.
- ``workflow_incident_events``: one row per change (opened, note, evidence, councillor named, referred,
  outcome, closed): who, when, the status after it, and what was said. Rows are only ever added.
All join the archive's declarative ``Base`` and are created by migration ``0007_incidents``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from councilguard.records.schema import Base, UtcDateTime

__all__ = ["EVIDENCE_KINDS", "SOURCE_KINDS", "STATUSES", "IncidentEventRow", "IncidentEvidenceRow", "IncidentRow"]

SOURCE_KINDS = ("published", "remark-report", "held-email")
STATUSES = ("open", "referred", "outcome-recorded", "closed")
EVIDENCE_KINDS = ("screenshot", "link", "text", "email")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class IncidentRow(Base):
    """One incident; ``status`` moves open -> referred -> outcome-recorded -> closed (or open -> closed)."""

    __tablename__ = "workflow_incidents"
    __table_args__ = (CheckConstraint(_one_of("source_kind", SOURCE_KINDS), name="ck_workflow_incidents_source"),
                      CheckConstraint(_one_of("status", STATUSES), name="ck_workflow_incidents_status"),
                      Index("ix_workflow_incidents_status", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[str] = mapped_column(String(100))
    source_kind: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(String(100), nullable=True)  # report or archive record number
    summary: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)  # the words as published, reported or sent
    link: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    platform: Mapped[str | None] = mapped_column(String(100), nullable=True)
    published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    councillor: Mapped[str | None] = mapped_column(String(200), nullable=True)  # a name on the roster
    rules: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of rule ids the Clerk linked
    status: Mapped[str] = mapped_column(String(20), default="open")
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    opened_by: Mapped[str] = mapped_column(String(320))
    referred_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    referred_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    referral_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the Monitoring Officer's
    outcome: Mapped[str | None] = mapped_column(String(64), nullable=True)  # a sanctions option id
    outcome_label: Mapped[str | None] = mapped_column(Text, nullable=True)
    outcome_decided_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    outcome_legal_basis: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IncidentEvidenceRow(Base):
    """One piece of evidence: a screenshot (bytes and hash), a link, a text, or an archived e-mail."""

    __tablename__ = "workflow_incident_evidence"
    __table_args__ = (CheckConstraint(_one_of("kind", EVIDENCE_KINDS), name="ck_workflow_incident_evidence_kind"),
                      Index("ix_workflow_incident_evidence_incident", "incident_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("workflow_incidents.id",
                                                        name="fk_workflow_incident_evidence_incident"))
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    captured_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(String(320))


class IncidentEventRow(Base):
    """One change to an incident: who, when, what kind, the status after it, and the words recorded."""

    __tablename__ = "workflow_incident_events"
    __table_args__ = (Index("ix_workflow_incident_events_incident", "incident_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("workflow_incidents.id",
                                                        name="fk_workflow_incident_events_incident"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
