"""The Clerk changes how long a class of record is kept: validated by the records layer, saved as a new
version of the schedule, and audited in the same transaction.

Shortening a period matters: the next deletion run deletes whatever the new period has passed (never
anything under legal hold), so the page says so before the Clerk saves.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from councilguard.records import schedule_store
from councilguard.records.archive_errors import RetentionScheduleError
from councilguard.records.db import write_session
from councilguard.records.schedule_store import SavedSchedule
from councilguard.web import desk_audit
from councilguard.web.errors import FormError
from councilguard.web.users import User

COUNTED_FROM = {"message-date": "the message's date", "end-of-year": "the end of its calendar year",
                "end-of-financial-year": "the end of its financial year (31 March)"}


class RetentionChanges:
    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime] | None = None):
        self._factory = factory
        self._now = now or (lambda: datetime.now(timezone.utc))

    def current(self) -> SavedSchedule:
        with self._factory() as s:
            return schedule_store.current(s)

    def set_period(self, name: str, *, years: object, months: object, counted_from: str, permanent: bool,
                   by: User) -> SavedSchedule:
        """Keep class ``name`` for a new period. Raises FormError whose ``where`` is the field at fault
        (``years``, ``months``, ``counted_from``) or ``class`` when there is no such class."""
        whole_years = 0 if permanent else _whole(years, "years")
        whole_months = 0 if permanent else _whole(months, "months")
        if counted_from not in COUNTED_FROM:
            raise FormError(f"counted_from must be one of {', '.join(COUNTED_FROM)} (got {counted_from!r})",
                            where="counted_from")
        with write_session(self._factory) as s:
            current = schedule_store.current(s)
            try:
                schedule = schedule_store.with_period(
                    current.schedule, name, years=whole_years, months=whole_months,
                    counted_from=counted_from, permanent=permanent)  # type: ignore[arg-type]  (checked above)
            except RetentionScheduleError as exc:
                field = exc.path.rsplit(".", 1)[-1] if "." in exc.path else "class"  # classes.<name>.<field>
                raise FormError(exc.problem, where=field) from None
            before, after = current.schedule.classes[name], schedule.classes[name]
            if before == after:
                return current
            change = f"{name}: {before.describe()} -> {after.describe()}"
            saved = schedule_store.add(s, schedule, by=by.email, change=change, at=self._now())
            desk_audit.write(s, actor=by.email, action="retention-changed", target_kind="retention-class",
                             target_id=name, before=before.describe(), after=after.describe(),
                             schedule_version=saved.version)
            return saved


def _whole(value: object, field: str) -> int:
    """A form's or body's whole number (blank is 0), else FormError naming ``field``."""
    if isinstance(value, bool):
        raise FormError(f"{field} must be a whole number (got {value!r})", where=field)
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise FormError(f"{field} must be a whole number (got {text!r})", where=field)
    return int(text)
