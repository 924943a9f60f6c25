"""Deletion runs: delete what the retention schedule says is past keeping, and nothing else.

``plan(today)`` lists every record past its retention period, with its class, why it has that class, the
last day it had to be kept, and whether a legal hold keeps it anyway. ``apply(today, actor)`` carries out
the same plan: each record's content is deleted, leaving a tombstone and a chain entry that say when, why,
under which class and by whom. A record under legal hold is never touched; a hold placed between the plan
and the deletion is still honoured, because the archive checks holds again as it deletes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from councilguard.records import holds
from councilguard.records.archive import Archive
from councilguard.records.archive_errors import ContentDeletedError, LegalHoldError
from councilguard.records.items import TombstoneInfo
from councilguard.records.retention_schedule import Schedule, add_months, load_schedule
from councilguard.records.schema import RecipientRow, RecordRow, Tombstone

_BATCH = 500


@dataclass(frozen=True)
class PlanItem:
    record_id: int
    dated: date
    sender: str
    subject: str
    retention_class: str
    why: str
    keep_until: date
    held_by: tuple[str, ...] = ()

    @property
    def action(self) -> str:
        return "keep (legal hold: " + ", ".join(self.held_by) + ")" if self.held_by else "delete"

    def reason(self, schedule: Schedule) -> str:
        cls = schedule.classes[self.retention_class]
        return (f"retention: {cls.title} ({self.retention_class}) is kept {cls.describe()}; "
                f"kept until {self.keep_until.isoformat()}")


@dataclass(frozen=True)
class RetentionPlan:
    today: date
    schedule: Schedule
    items: tuple[PlanItem, ...]

    @property
    def to_delete(self) -> list[PlanItem]:
        return [i for i in self.items if not i.held_by]

    @property
    def held(self) -> list[PlanItem]:
        return [i for i in self.items if i.held_by]


@dataclass
class RetentionRun:
    plan: RetentionPlan
    deleted: list[tuple[PlanItem, TombstoneInfo]] = field(default_factory=list)
    skipped: list[tuple[PlanItem, str]] = field(default_factory=list)  # held since the plan, or gone already


def _oldest_possible(schedule: Schedule, today: date) -> datetime:
    """Records dated on or after this cannot be past retention on ``today`` under any class (a fast first cut).

    Every class keeps a record at least its period from the message's date, so only records older than
    ``today`` less the shortest period can be due; two days' margin covers month-end rounding.
    """
    periods = [c.years * 12 + c.months for c in schedule.classes.values() if not c.permanent]
    if not periods:
        return datetime.min.replace(tzinfo=timezone.utc)
    latest = add_months(today, -min(periods)) + timedelta(days=2)
    return datetime.combine(latest, time.min, tzinfo=timezone.utc)


def _candidates(session: Session, cutoff: datetime) -> Iterator[list[RecordRow]]:
    tombstoned = select(Tombstone.record_id)
    last = 0
    while True:
        rows = list(session.scalars(select(RecordRow).where(RecordRow.id > last, RecordRow.dated_at < cutoff,
                                                            RecordRow.id.not_in(tombstoned))
                                    .order_by(RecordRow.id).limit(_BATCH)))
        if not rows:
            return
        yield rows
        last = rows[-1].id


def plan(archive: Archive, today: date, schedule: Schedule | None = None) -> RetentionPlan:
    """What a deletion run on ``today`` would delete, and what legal holds keep."""
    schedule = schedule or load_schedule().schedule
    items: list[PlanItem] = []
    with archive.session() as s:
        for rows in _candidates(s, _oldest_possible(schedule, today)):
            people: dict[int, list[str]] = {}
            for r in s.execute(select(RecipientRow.record_id, RecipientRow.address)
                               .where(RecipientRow.record_id.in_([row.id for row in rows]))):
                people.setdefault(r.record_id, []).append(r.address)
            due = []
            for row in rows:
                name, why = schedule.classify(row.sender_address, people.get(row.id, []), row.subject)
                dated = row.dated_at.date()
                keep_until = schedule.classes[name].keep_until(dated)
                if keep_until is not None and today > keep_until:
                    due.append(PlanItem(row.id, dated, row.sender, row.subject, name, why, keep_until))
            held = holds.covering(s, [i.record_id for i in due])
            items.extend(PlanItem(**{**i.__dict__, "held_by": tuple(held.get(i.record_id, ()))}) for i in due)
    return RetentionPlan(today=today, schedule=schedule, items=tuple(items))


def apply(archive: Archive, today: date, actor: str, schedule: Schedule | None = None) -> RetentionRun:
    """Carry out :func:`plan`: delete each due record's content, leaving a tombstone; skip anything held."""
    run = RetentionRun(plan(archive, today, schedule))
    for item in run.plan.to_delete:
        try:
            tomb = archive.delete_content(item.record_id, reason=item.reason(run.plan.schedule),
                                          rule=item.retention_class, actor=actor)
        except LegalHoldError as exc:
            run.skipped.append((item, f"kept: legal hold {', '.join(exc.holds)} placed since the plan"))
            continue
        except ContentDeletedError:
            run.skipped.append((item, "already deleted by another run"))
            continue
        run.deleted.append((item, tomb))
    return run
