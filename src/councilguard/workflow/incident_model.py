"""The incident register's records as the desk reads them: an incident, its evidence and its history.

Plain frozen values built from the rows, so pages, the API and the referral pack never hold a database
session (and never the screenshots' bytes, which are read only when a file is asked for).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from councilguard.workflow.incidents_schema import IncidentEventRow, IncidentEvidenceRow, IncidentRow

__all__ = ["SOURCE_LABELS", "STATUS_LABELS", "Event", "Evidence", "Incident", "RecordedOutcome"]

STATUS_LABELS = {"open": "Open", "referred": "Referred to the Monitoring Officer",
                 "outcome-recorded": "Outcome recorded", "closed": "Closed"}
SOURCE_LABELS = {"published": "Published material", "remark-report": "Reported remark", "held-email": "Held e-mail"}


@dataclass(frozen=True)
class Evidence:
    id: int
    kind: str
    description: str
    link: str | None
    text: str | None
    media_type: str | None
    sha256: str | None
    size: int | None
    captured_on: date | None
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    kind: str
    status: str
    note: str
    detail: dict


@dataclass(frozen=True)
class RecordedOutcome:
    id: str
    label: str
    decided_by: str
    legal_basis: str
    decided_on: date
    reference: str


@dataclass(frozen=True)
class Incident:
    id: int
    source_kind: str
    source_ref: str | None
    summary: str
    text: str
    link: str | None
    platform: str | None
    published_on: date | None
    councillor: str | None
    rules: tuple[str, ...]
    status: str
    opened_at: datetime
    opened_by: str
    referred_on: date | None
    referred_by: str | None
    referral_ref: str | None
    outcome: RecordedOutcome | None
    closed_at: datetime | None
    closed_by: str | None
    evidence: tuple[Evidence, ...] = ()
    events: tuple[Event, ...] = ()

    @property
    def reference(self) -> str:
        return f"INC-{self.id:04d}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source_kind]

    @property
    def notes(self) -> tuple[Event, ...]:
        """The Clerk's notes (and the words given with each step), oldest first."""
        return tuple(e for e in self.events if e.note)


def evidence(row: IncidentEvidenceRow, size: int | None) -> Evidence:
    return Evidence(row.id, row.kind, row.description, row.link, row.text, row.media_type, row.sha256, size,
                    row.captured_on, row.added_at, row.added_by)


def incident(row: IncidentRow, evidence: tuple[Evidence, ...] = (), events: tuple[Event, ...] = ()) -> Incident:
    outcome = None
    if row.outcome is not None and row.decided_on is not None:
        outcome = RecordedOutcome(row.outcome, row.outcome_label or "", row.outcome_decided_by or "",
                                  row.outcome_legal_basis or "", row.decided_on, row.decision_ref or "")
    return Incident(row.id, row.source_kind, row.source_ref, row.summary, row.text, row.link, row.platform,
                    row.published_on, row.councillor, tuple(json.loads(row.rules or "[]")), row.status,
                    row.opened_at, row.opened_by, row.referred_on, row.referred_by, row.referral_ref, outcome,
                    row.closed_at, row.closed_by, evidence, events)


def event(row: IncidentEventRow) -> Event:
    return Event(row.at, row.actor, row.kind, row.status, row.note, json.loads(row.detail or "{}"))
