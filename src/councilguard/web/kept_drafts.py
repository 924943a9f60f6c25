"""Drafts a person chose to keep: theirs alone, and deleted after the council's period.

By default a check keeps nothing. Ticking "Keep this draft" is the only way a draft is stored, and a draft
may reveal political opinions (special-category data), so privacy is enforced here rather than left to
the routes: every method that reads or changes a draft takes the person asking and filters by them in
the query itself. No method returns another person's draft; one that is someone else's, does not exist
or is past its date gives the same NotFoundHere, so its existence is not revealed. Only councillors and
staff keep drafts: the Proper Officer and administrators get Forbidden before any query runs.

A draft is deleted when its period ends: ``expires_at`` is fixed when it is kept, and a purge (at start-up
and then periodically) deletes it, and anything older than a period the council has since shortened.
Reads leave out whatever is due, so a draft is never shown after its date even before the purge runs.
Nothing about a kept draft goes into the audit log; the purge records only how many it deleted.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.records.db import write_session
from councilguard.web import desk_audit
from councilguard.web.council_settings import CouncilSettingsStore
from councilguard.web.drafts import ACCOUNTS, KINDS, DraftForm
from councilguard.web.errors import FormError, Forbidden, NotFoundHere
from councilguard.web.kept_drafts_schema import KeptDraftRow
from councilguard.web.roles import Role
from councilguard.web.users import User

DRAFT_KEEPERS = (Role.COUNCILLOR, Role.STAFF)  # never the Proper Officer or an administrator
MAX_KEPT = 100  # drafts per person
MAX_TEXT = 100_000  # characters of the draft, and of what it replies to
_LIMITS = {"channel": 100, "to": 2_000}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptDraft:
    id: int
    draft: DraftForm
    verdict: str | None  # of the check it was kept after (None when kept through the API unchecked)
    kept_at: datetime
    saved_at: datetime
    deletes_at: datetime

    @property
    def title(self) -> str:
        """The draft's first line, shortened: enough for its owner to tell their drafts apart."""
        first = next((line.strip() for line in self.draft.text.splitlines() if line.strip()), "(empty)")
        return first if len(first) <= 80 else first[:79].rstrip() + "…"


@dataclass(frozen=True)
class KeepChoice:
    """What the check page offers: the keep box, ticked or not, and how long a draft kept now lasts."""

    days: int
    until: datetime
    ticked: bool
    kept: KeptDraft | None = None  # the kept draft this form holds, if it is one
    just_kept: bool = False


def draft_id(value: object) -> int | None:
    """The kept draft a form names (its hidden ``draft`` field), None when blank; NotFoundHere if garbled."""
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise NotFoundHere("that kept draft was not found; it may have been deleted", where="draft")
    return int(text)


class KeptDrafts:
    def __init__(self, factory: sessionmaker[Session], settings: CouncilSettingsStore,
                 now: Callable[[], datetime] | None = None):
        self._factory = factory
        self._settings = settings
        self.now = now or (lambda: datetime.now(timezone.utc))

    # --- the owner's own drafts ----------------------------------------------------------------------

    def mine(self, owner: User) -> list[KeptDraft]:
        """The owner's live drafts, most recently kept first."""
        owner_id = _owner_id(owner)
        with self._factory() as s:
            days, now = self._days(s), self.now()
            rows = s.scalars(select(KeptDraftRow).where(KeptDraftRow.owner_id == owner_id, *_live(days, now))
                             .order_by(KeptDraftRow.saved_at.desc(), KeptDraftRow.id.desc()))
            return [_kept(r, days) for r in rows]

    def get(self, owner: User, kept_id: int) -> KeptDraft:
        """The owner's draft ``kept_id``; NotFoundHere when it is not theirs, not there, or past its date."""
        owner_id = _owner_id(owner)
        with self._factory() as s:
            days = self._days(s)
            return _kept(self._owned(s, owner_id, kept_id, days), days)

    def find(self, owner: User, kept_id: int | None) -> KeptDraft | None:
        """Like :meth:`get`, but None instead of NotFoundHere (and for people who cannot keep drafts)."""
        if kept_id is None or owner.role not in DRAFT_KEEPERS:
            return None
        try:
            return self.get(owner, kept_id)
        except NotFoundHere:
            return None

    def keep(self, owner: User, draft: DraftForm, *, verdict: str | None,
             replacing: int | None = None) -> KeptDraft:
        """Keep ``draft`` for the owner (or save it over their kept draft ``replacing``); the period
        starts again from now. Raises FormError naming the field, or NotFoundHere for ``replacing``."""
        owner_id = _owner_id(owner)
        _check(draft)
        with write_session(self._factory) as s:
            settings = self._settings.get(s)
            if not settings.drafts_may_be_kept:
                raise FormError("the council has switched off keeping drafts, so this one was not kept",
                                where="keep")
            now, days = self.now(), settings.kept_draft_days
            if replacing is not None:
                row = self._owned(s, owner_id, replacing, days)
            else:
                count = s.scalar(select(func.count()).select_from(KeptDraftRow)
                                 .where(KeptDraftRow.owner_id == owner_id, *_live(days, now))) or 0
                if count >= MAX_KEPT:
                    raise FormError(f"you already keep {count} drafts, the most allowed; delete some in "
                                    "My drafts first", where="keep")
                row = KeptDraftRow(owner_id=owner_id, kept_at=now)
                s.add(row)
            row.text, row.kind, row.channel, row.account = draft.text, draft.kind, draft.channel, draft.account
            row.in_reply_to, row.recipients, row.verdict = draft.in_reply_to, draft.to, verdict
            row.saved_at, row.expires_at = now, now + timedelta(days=days)
            s.flush()
            return _kept(row, days)

    def delete(self, owner: User, kept_id: int) -> None:
        """Delete the owner's draft now; NotFoundHere when it is not theirs or not there."""
        owner_id = _owner_id(owner)
        with write_session(self._factory) as s:
            row = self._owned(s, owner_id, kept_id, self._days(s))
            _erase_on_delete(s)
            s.delete(row)
        _checkpoint(self._factory)

    def choice(self, user: User, *, kept: KeptDraft | None = None, ticked: bool = False,
               just_kept: bool = False) -> KeepChoice | None:
        """The keep box for ``user``'s check page, or None when they cannot keep drafts (or the council
        has switched keeping off and the form is not one of their kept drafts)."""
        if user.role not in DRAFT_KEEPERS:
            return None
        settings = self._settings.get()
        if not settings.drafts_may_be_kept and kept is None:
            return None
        days = settings.kept_draft_days
        return KeepChoice(days, self.now() + timedelta(days=days), ticked or kept is not None, kept, just_kept)

    # --- deletion after the period -------------------------------------------------------------------

    def purge(self) -> int:
        """Delete every draft past its date (whoever's it is); returns how many. Audited as a count only.

        Looks first and takes the write lock only when something is due, so the periodic run costs one
        indexed read and never holds up the app's writes for nothing."""
        with self._factory() as s:
            if s.scalar(select(KeptDraftRow.id).where(self._due(s)).limit(1)) is None:
                return 0
        with write_session(self._factory) as s:
            days = self._days(s)
            _erase_on_delete(s)
            gone = s.execute(delete(KeptDraftRow).where(self._due(s)))
            count = gone.rowcount or 0
            if count:
                desk_audit.write(s, actor="councilguard", action="kept-drafts-deleted", target_kind="kept-drafts",
                                 target_id="past their date", count=count, period_days=days)
        if count:
            _checkpoint(self._factory)
        return count

    # --- helpers ---------------------------------------------------------------------------------------

    def _due(self, s: Session):
        """The condition of a draft due for deletion now: past its own date, or older than the current period."""
        now = self.now()
        return or_(KeptDraftRow.expires_at <= now, KeptDraftRow.saved_at <= now - timedelta(days=self._days(s)))

    def _days(self, s: Session) -> int:
        return self._settings.get(s).kept_draft_days

    def _owned(self, s: Session, owner_id: int, kept_id: int, days: int) -> KeptDraftRow:
        row = s.scalar(select(KeptDraftRow).where(KeptDraftRow.id == kept_id, KeptDraftRow.owner_id == owner_id,
                                                  *_live(days, self.now())))
        if row is None:
            raise NotFoundHere(f"you have no kept draft {kept_id}; it may have been deleted", where="draft")
        return row


def _owner_id(user: User) -> int:
    if user.role not in DRAFT_KEEPERS:
        raise Forbidden(f"kept drafts are their authors' alone; a {user.role.label} has none to see",
                        where="drafts")
    return user.id


def _live(days: int, now: datetime) -> tuple:
    """Conditions of a draft not yet due for deletion (its own date, and the council's current period)."""
    return KeptDraftRow.expires_at > now, KeptDraftRow.saved_at > now - timedelta(days=days)


def _kept(row: KeptDraftRow, days: int) -> KeptDraft:
    draft = DraftForm(text=row.text, kind=row.kind, channel=row.channel, account=row.account,
                      in_reply_to=row.in_reply_to, to=row.recipients)
    return KeptDraft(row.id, draft, row.verdict, row.kept_at, row.saved_at,
                     min(row.expires_at, row.saved_at + timedelta(days=days)))


def _check(draft: DraftForm) -> None:
    if not draft.text.strip():
        raise FormError("there is no draft to keep: write it in the box first", where="text")
    for name, label in (("text", "The draft"), ("in_reply_to", "What it replies to")):
        if len(getattr(draft, name)) > MAX_TEXT:
            raise FormError(f"{label} is {len(getattr(draft, name)):,} characters; a kept draft may have at "
                            f"most {MAX_TEXT:,}", where=name)
    for name, limit in _LIMITS.items():
        if len(getattr(draft, name)) > limit:
            raise FormError(f"{name} is {len(getattr(draft, name))} characters; the most is {limit}", where=name)
    if draft.kind not in KINDS:
        raise FormError(f"kind {draft.kind!r} is not one of {', '.join(KINDS)}", where="kind")
    if draft.account not in ACCOUNTS:
        raise FormError(f"account {draft.account!r} is not one of {', '.join(ACCOUNTS)}", where="account")


def _erase_on_delete(s: Session) -> None:
    """On SQLite, overwrite deleted text with zeros instead of leaving it in free pages of the file."""
    if s.get_bind().dialect.name == "sqlite":
        s.connection().exec_driver_sql("PRAGMA secure_delete=ON")


def _checkpoint(factory: sessionmaker[Session]) -> None:
    """On SQLite, copy the write-ahead log into the file and empty it, so deleted text leaves the log too.

    Best effort: with another reader active the log is emptied at a later checkpoint instead. On
    PostgreSQL deleted rows are cleared by autovacuum.
    """
    engine = factory.kw.get("bind")
    if engine is None or engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


async def purge_periodically(kept: KeptDrafts, every: float) -> None:
    """Run :meth:`KeptDrafts.purge` now and then every ``every`` seconds until cancelled (the app's lifespan)."""
    while True:
        try:
            gone = await asyncio.to_thread(kept.purge)
            if gone:
                log.info("deleted %d kept draft(s) past their date", gone)
        except Exception:  # noqa: BLE001 - a failed purge is retried next time; the app keeps serving
            log.exception("could not delete kept drafts past their date; will try again")
        await asyncio.sleep(every)


__all__ = ["DRAFT_KEEPERS", "KeepChoice", "KeptDraft", "KeptDrafts", "draft_id",
           "purge_periodically"]
