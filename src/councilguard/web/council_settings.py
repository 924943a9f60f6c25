"""The council's settings that the Clerk may change while the app runs, validated and audited.

Only settings that are safe to change at run time live here. The policy's rules and what the relay does
with held or refused mail stay in the policy pack: they are part of the policy the council adopted (and
the relay, a separate process, reads them from the pack), so changing them means adopting a new version
of the pack, not ticking a box. A setting not yet changed has its default and no row in the database.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.records.db import write_session
from councilguard.web import desk_audit
from councilguard.web.errors import FormError
from councilguard.web.kept_drafts_schema import CouncilSettingRow
from councilguard.web.users import User

log = logging.getLogger(__name__)
MAX_KEPT_DRAFT_DAYS = 90  # drafts may reveal political opinions: kept briefly, whatever a council chooses


class CouncilSettings(BaseModel):
    """The settings and their defaults. Field descriptions are the words the settings page shows."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # "30" or 1.5 is not a number of days

    drafts_may_be_kept: bool = Field(True, description="Councillors and staff may choose to keep a draft")
    kept_draft_days: int = Field(30, ge=1, le=MAX_KEPT_DRAFT_DAYS,
                                 description="How many days a kept draft lasts before it is deleted")


NAMES = tuple(CouncilSettings.model_fields)
LABELS = {"drafts_may_be_kept": "Whether drafts may be kept", "kept_draft_days": "How many days kept drafts last"}


@dataclass(frozen=True)
class SettingChange:
    name: str
    before: Any
    after: Any


def problem(name: str, value: Any, err: Mapping[str, Any] | None = None) -> str:
    """A plain sentence saying what is wrong with ``value`` for setting ``name``."""
    if name == "kept_draft_days":
        return (f"{LABELS[name]} must be a whole number of days from 1 to {MAX_KEPT_DRAFT_DAYS} "
                f"(you gave {value!r})")
    if name == "drafts_may_be_kept":
        return f"{LABELS[name]} must be yes or no (true or false; you gave {value!r})"
    return str((err or {}).get("msg", "this value cannot be used"))


class CouncilSettingsStore:
    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime] | None = None):
        self._factory = factory
        self._now = now or (lambda: datetime.now(timezone.utc))

    def get(self, s: Session | None = None) -> CouncilSettings:
        """The settings in force: each stored value over its default (unknown names and unusable values are
        ignored, so a hand-edited database cannot stop the app)."""
        if s is None:
            with self._factory() as own:
                return self.get(own)
        values = {}
        for row in s.scalars(select(CouncilSettingRow).where(CouncilSettingRow.name.in_(NAMES))):
            try:
                one = CouncilSettings.model_validate({row.name: json.loads(row.value)})
                values[row.name] = getattr(one, row.name)
            except (ValueError, ValidationError):  # edited by hand into nonsense: the default is safer than failing
                log.warning("ignoring the stored value of council setting %s: %r", row.name, row.value)
        return CouncilSettings.model_validate(values)

    def save(self, changes: Mapping[str, Any], by: User) -> tuple[CouncilSettings, list[SettingChange]]:
        """Change the named settings; each change is audited with its old and new value.

        Raises FormError naming the setting (``where`` is its name) when a name is unknown or a value
        cannot be used; then nothing is changed.
        """
        for name in changes:
            if name not in NAMES:
                raise FormError(f"{name!r} is not a setting that can be changed here; the settings are: "
                                f"{', '.join(NAMES)}", where=name)
        with write_session(self._factory) as s:
            before = self.get(s)
            try:
                after = CouncilSettings.model_validate({**before.model_dump(), **changes})
            except ValidationError as exc:
                err = exc.errors()[0]
                name = str(err["loc"][0]) if err["loc"] else next(iter(changes))
                raise FormError(problem(name, changes.get(name), err), where=name) from None
            done = [SettingChange(n, getattr(before, n), getattr(after, n)) for n in NAMES
                    if n in changes and getattr(before, n) != getattr(after, n)]
            now = self._now()
            for change in done:
                row = s.get(CouncilSettingRow, change.name) or CouncilSettingRow(name=change.name)
                row.value, row.updated_at, row.updated_by = json.dumps(change.after), now, by.email
                s.add(row)
                desk_audit.write(s, actor=by.email, action="setting-changed", target_kind="council-setting",
                                 target_id=change.name, before=change.before, after=change.after)
        return after, done
