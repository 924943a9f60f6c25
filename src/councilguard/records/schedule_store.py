"""The retention schedule as the council has changed it, kept in the database beside the records it governs.

The packaged defaults (``retention_defaults.yaml``) are where every council starts. When the Clerk changes
how long a class of record is kept (the web app's Retention page), the whole schedule is saved as a new
version; the newest version is the one in force, and deletion runs without ``--schedule`` use it. Versions
are only ever added, so it can always be shown which schedule was in force when a record was deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import ValidationError
from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from councilguard.records.archive_errors import RetentionScheduleError
from councilguard.records.retention_schedule import RetentionClass, Schedule, load_schedule
from councilguard.records.schema import Base, UtcDateTime

__all__ = ["RetentionScheduleRow", "SavedSchedule", "add", "current", "with_period"]

IN_DATABASE = "the retention schedule"  # the "file" an error names when the schedule came from the database
CountedFrom = Literal["message-date", "end-of-year", "end-of-financial-year"]


class RetentionScheduleRow(Base):
    """One version of the council's schedule: the whole schedule as JSON, who saved it, and what changed."""

    __tablename__ = "retention_schedules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    saved_by: Mapped[str] = mapped_column(String(320))
    change: Mapped[str] = mapped_column(Text)  # one sentence, e.g. "complaints: 6 years -> 7 years"
    schedule: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class SavedSchedule:
    """The schedule in force; ``version`` is None while the council still uses the packaged defaults."""

    schedule: Schedule
    version: int | None = None
    saved_at: datetime | None = None
    saved_by: str | None = None
    change: str | None = None


def current(s: Session) -> SavedSchedule:
    """The newest saved schedule, or the packaged defaults when none has been saved."""
    row = s.scalar(select(RetentionScheduleRow).order_by(RetentionScheduleRow.id.desc()).limit(1))
    if row is None:
        return SavedSchedule(load_schedule().schedule)
    try:
        schedule = Schedule.model_validate(json.loads(row.schedule))
    except (ValueError, ValidationError) as exc:
        raise RetentionScheduleError(f"version {row.id} in the database cannot be read ({exc})",
                                     file=IN_DATABASE) from None
    return SavedSchedule(schedule, row.id, row.saved_at, row.saved_by, row.change)


def add(s: Session, schedule: Schedule, *, by: str, change: str, at: datetime) -> SavedSchedule:
    """Save ``schedule`` as the newest version in ``s`` (the caller's transaction, so an audit row can join it)."""
    row = RetentionScheduleRow(saved_at=at, saved_by=by, change=change,
                               schedule=json.dumps(schedule.model_dump(mode="json", by_alias=True), sort_keys=True))
    s.add(row)
    s.flush()
    return SavedSchedule(schedule, row.id, at, by, change)


def with_period(schedule: Schedule, name: str, *, years: int = 0, months: int = 0,
                counted_from: CountedFrom = "message-date", permanent: bool = False) -> Schedule:
    """``schedule`` with class ``name`` kept for a new period; its title, source and the rules stay.

    Raises RetentionScheduleError whose ``path`` names the class and field (``classes.complaints.months``).
    """
    if name not in schedule.classes:
        raise RetentionScheduleError(f"there is no class {name!r}; classes are: {', '.join(schedule.classes)}",
                                     file=IN_DATABASE, path="classes")
    old = schedule.classes[name]
    fields = {**old.model_dump(), "years": 0 if permanent else years, "months": 0 if permanent else months,
              "counted_from": counted_from, "permanent": permanent}
    try:
        new = RetentionClass.model_validate(fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "years"
        raise RetentionScheduleError(_problem(field, err), file=IN_DATABASE, path=f"classes.{name}.{field}") from None
    return schedule.model_copy(update={"classes": {**schedule.classes, name: new}})


_BOUNDS = {"years": (0, 200), "months": (0, 11)}


def _problem(field: str, err: dict) -> str:
    if field in _BOUNDS and err["type"] in ("greater_than_equal", "less_than_equal", "int_parsing", "int_type",
                                            "int_from_float"):
        low, high = _BOUNDS[field]
        hint = "; write 12 months or more as years and months" if field == "months" else ""
        return f"{field} must be a whole number from {low} to {high} (got {err.get('input')!r}){hint}"
    if field == "counted_from":
        return ("counted_from must be message-date, end-of-year or end-of-financial-year "
                f"(got {err.get('input')!r})")
    return str(err["msg"]).removeprefix("Value error, ")
