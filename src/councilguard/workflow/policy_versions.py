"""The policy's life: each version, what the council resolved about it, when it is next reviewed, and who
has acknowledged it.

A version is the policy pack's id plus its version as the pack names it (``pack.version`` in
policy.yaml), the key acknowledgements already use, so a new version installed is a new version to
acknowledge. The version installed is the current one; the register keeps what the council resolved
about it (draft, or adopted on a date by a minute, and the next review date) and about every earlier
version, so the history reads as it happened. Until the Clerk records anything, the pack's own status
stands.

Acknowledgements live with the web app's accounts; the service is handed a way to read them
(``AcknowledgedBy``) and the people asked to acknowledge, and says who has and who has not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.policy import Pack
from councilguard.records.db import write_session
from councilguard.workflow.audit import AuditWriter
from councilguard.workflow.desk_errors import InvalidValue
from councilguard.workflow.evidence import words
from councilguard.workflow.governance_schema import PolicyVersionRow

__all__ = ["STATUSES", "AcknowledgedBy", "Acknowledgements", "PolicyVersions", "Reader", "VersionRecord"]

STATUSES = ("draft", "adopted")
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/()-]{0,99}$")
AcknowledgedBy = Callable[[str, str], Mapping[int, datetime]]  # (pack id, version) -> {person id: when}


@dataclass(frozen=True)
class VersionRecord:
    """One version and what the council resolved about it; ``recorded_at`` is None until the Clerk records it."""

    pack_id: str
    version: str
    name: str
    status: str
    installed: bool  # the version the checker enforces now
    adopted_on: date | None = None
    minute_ref: str | None = None
    review_on: date | None = None
    note: str = ""
    recorded_at: datetime | None = None
    recorded_by: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    def review_overdue(self, today: date) -> bool:
        return self.review_on is not None and self.review_on < today


@dataclass(frozen=True)
class Reader:
    """Someone asked to read and acknowledge the policy (a councillor or a member of staff)."""

    id: int
    name: str
    role: str


@dataclass(frozen=True)
class Acknowledgements:
    version: VersionRecord
    acknowledged: tuple[tuple[Reader, datetime], ...]
    missing: tuple[Reader, ...]


class PolicyVersions:
    def __init__(self, factory: sessionmaker[Session], *, audit: AuditWriter, acknowledged_by: AcknowledgedBy):
        self._factory = factory
        self._audit = audit
        self._acknowledged_by = acknowledged_by

    def current(self, pack: Pack) -> VersionRecord:
        """The installed version, with what the council resolved about it (the pack's status until recorded)."""
        with self._factory() as s:
            row = s.scalar(select(PolicyVersionRow).where(PolicyVersionRow.pack_id == pack.id,
                                                          PolicyVersionRow.version == pack.policy.pack.version))
            return _record(row, pack) if row else _unrecorded(pack)

    def history(self, pack: Pack) -> list[VersionRecord]:
        """Every version of this pack the register knows, the installed one first, then newest adopted first."""
        with self._factory() as s:
            rows = list(s.scalars(select(PolicyVersionRow).where(PolicyVersionRow.pack_id == pack.id)))
        found = [_record(r, pack) for r in rows]
        if not any(v.installed for v in found):
            found.append(_unrecorded(pack))
        return sorted(found, key=lambda v: (not v.installed, -(v.adopted_on or date.min).toordinal(),
                                            -(v.recorded_at.timestamp() if v.recorded_at else 0)))

    def record(self, pack: Pack, actor: str, *, status: str, adopted_on: date | None, minute_ref: str | None,
               review_on: date | None, version: str | None = None, note: str = "", today: date | None = None,
               action: str = "policy-version-recorded") -> VersionRecord:
        """Record (or correct) what the council resolved about ``version`` (the installed one by default)."""
        today = today or date.today()
        version = (version or pack.policy.pack.version).strip()
        if not VERSION.match(version):
            raise InvalidValue(f"{version!r} is not a version name; use letters, digits, spaces, dots or dashes, "
                               "e.g. 2027.1 or 'Version 2'", where="version")
        minute = words(minute_ref, where="minute_ref", label="The minute reference", limit=200, required=False)
        note = words(note, where="note", label="The note", limit=5_000, required=False)
        _check(status, adopted_on, minute, review_on, today)
        if not (actor or "").strip():
            raise InvalidValue("say who is recording this", where="actor")
        now = datetime.now(timezone.utc)
        with write_session(self._factory) as s:
            row = s.scalar(select(PolicyVersionRow).where(PolicyVersionRow.pack_id == pack.id,
                                                          PolicyVersionRow.version == version))
            if row is None:
                row = PolicyVersionRow(pack_id=pack.id, version=version, recorded_at=now, recorded_by=actor)
                s.add(row)
            row.status, row.adopted_on, row.minute_ref, row.review_on = status, adopted_on, minute or None, review_on
            row.note, row.updated_at, row.updated_by = note, now, actor
            s.flush()
            self._audit(s, actor=actor, action=action, target_kind="policy", target_id=f"{pack.id} {version}",
                        version=version, status=status, adopted_on=adopted_on, minute_ref=minute or None,
                        next_review=review_on)
            return _record(row, pack)

    def acknowledgements(self, pack: Pack, people: Iterable[Reader], version: str | None = None) -> Acknowledgements:
        """Who of ``people`` has acknowledged ``version`` (the installed one by default), and who has not."""
        record = self.current(pack) if version is None else next(
            (v for v in self.history(pack) if v.version == version), None)
        if record is None:
            raise InvalidValue(f"the register has no version {version!r} of this policy", where="version")
        done = self._acknowledged_by(pack.id, record.version)
        people = list(people)
        return Acknowledgements(record, tuple((p, done[p.id]) for p in people if p.id in done),
                                tuple(p for p in people if p.id not in done))

    def acknowledged_count(self, pack: Pack, version: str) -> int:
        return len(self._acknowledged_by(pack.id, version))


def _check(status: str, adopted_on: date | None, minute: str, review_on: date | None, today: date) -> None:
    if status not in STATUSES:
        raise InvalidValue(f"the status {status!r} is not one of {', '.join(STATUSES)}", where="status")
    if status == "adopted" and adopted_on is None:
        raise InvalidValue("an adopted policy needs the date the council adopted it", where="adopted_on")
    if status == "adopted" and not minute:
        raise InvalidValue("an adopted policy needs the minute reference of the decision", where="minute_ref")
    if adopted_on is not None and adopted_on > today:
        raise InvalidValue(f"the adoption date {adopted_on} is in the future; record it once the council has "
                           "resolved", where="adopted_on")
    if adopted_on and review_on and review_on <= adopted_on:
        raise InvalidValue(f"the next review ({review_on}) must come after the adoption ({adopted_on})",
                           where="next_review")


def _record(row: PolicyVersionRow, pack: Pack) -> VersionRecord:
    installed = row.version == pack.policy.pack.version
    return VersionRecord(row.pack_id, row.version, pack.policy.pack.name, row.status, installed, row.adopted_on,
                         row.minute_ref, row.review_on, row.note, row.recorded_at, row.recorded_by, row.updated_at,
                         row.updated_by)


def _unrecorded(pack: Pack) -> VersionRecord:
    return VersionRecord(pack.id, pack.policy.pack.version, pack.policy.pack.name, pack.policy.pack.status, True)
