"""The archive of council e-mail as official records: add once, read, record events, delete lawfully.

This is the API the SMTP relay and the importers use. It keeps each message once (by the SHA-256 of its
raw bytes), appends every change as a new chain entry instead of editing old rows, and refuses to delete
anything under legal hold. A lawful deletion removes the content (raw bytes, body and attachment text,
search index) and leaves a tombstone; the chain still verifies because it holds the content's hash.
"""

from __future__ import annotations

import json
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from councilguard.records import archive_write, chain, db, holds, pg_keep
from councilguard.records.archive_errors import (
    ArchiveError,
    ArchiveSchemaError,
    ContentDeletedError,
    LegalHoldError,
    RecordNotFoundError,
)
from councilguard.records.archive_write import Ahead, Prepared
from councilguard.records.chain import Receipt
from councilguard.records.holds import Hold
from councilguard.records.items import (
    DISPOSITIONS,
    ArchivedAttachment,
    ArchivedFinding,
    ArchiveItem,
    Event,
    Record,
    TombstoneInfo,
)
from councilguard.records.schema import (
    AttachmentRow,
    ChainEntry,
    Content,
    RecordRow,
    RecordText,
    Tombstone,
)
from councilguard.records.search import SearchCriteria, SearchPage, search
from councilguard.records.texts import split_attachment_texts
from councilguard.records.verify import Verification, verify_chain

__all__ = ["Ahead", "ArchivedAttachment", "ArchivedFinding", "Archive", "ArchiveItem", "Event", "Record",
           "TombstoneInfo"]

PIPELINE = 250  # items hashed and compressed while the previous ones are written (see add_many)
_RESERVED = {"archived", "deleted", "hold-placed", "hold-released"}
_EVENT_KIND = re.compile(r"[a-z][a-z0-9-]{1,31}")


class Archive:
    """The records archive in one database. Thread-safe; one per process is enough."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = db.sessions(engine)

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Archive:
        """Open the archive at ``url`` (see ``db.resolve_url``), creating or upgrading its tables."""
        engine = db.make_engine(url)
        if db.current_revision(engine) != db.head_revision():
            if not migrate:
                engine.dispose()
                raise ArchiveSchemaError(f"{db.resolve_url(url)} holds no archive, or an older one; open it "
                                         "with migrate=True to create or upgrade it")
            db.upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- adding ----------------------------------------------------------------------------------------

    def add(self, item: ArchiveItem, *, actor: str = "system") -> Record:
        """Keep ``item``; if its raw bytes are already kept, add a 'duplicate' event and return that record."""
        record_id = self.keep(item, actor=actor)
        with self._sessions() as s:
            return self._record(s, record_id)

    def keep(self, item: ArchiveItem, *, actor: str = "system",
             before_commit: Callable[[int], None] | None = None, ahead: Ahead | None = None,
             index_later: bool = False) -> int:
        """What :meth:`add` does, returning only the record's id (no read-back: the relay's hot path).

        ``before_commit(record_id)``, if given, is called once the record's id is known and before the
        commit (if it raises, nothing is kept): the relay starts its spool write there, so that write
        and the commit's flush to disk overlap. ``ahead``: the item's hashing and compression, done
        earlier (see :class:`Ahead`); used only where it matches the item. On PostgreSQL this takes two
        round trips to the server (see :mod:`.pg_keep`), and ``index_later`` leaves the record's text to be
        indexed just after (see :mod:`.pg_index`; searches always catch up first).
        """
        prepared = Prepared.of(item.validated(), ahead)
        if self.engine.dialect.name == "postgresql":
            return pg_keep.keep(self.engine, prepared, actor=actor, before_commit=before_commit,
                                index_later=index_later)
        with db.write_session(self._sessions) as s:
            [(record_id, _)] = archive_write.write(s, [(prepared, None)], actor=actor, duplicate=True)
            if before_commit is not None:
                before_commit(record_id)
            return record_id

    def add_many(self, items: list[tuple[ArchiveItem, dict | None]], *, actor: str = "system") -> dict[str, int]:
        """Keep many items in one transaction (bulk import): {raw sha256: new record id}.

        Items whose raw bytes are already kept are skipped without an event (a re-import is not a new
        delivery). Each pair's second element, when given, is appended to the chain as an
        ``import-problems`` entry for that record (e.g. {"source": ..., "position": ..., "problems": [...]}).
        Every item is validated before anything is written. Hashing and compressing the next
        ``PIPELINE`` items goes on in a second thread while the database writes the last ones (both let
        go of Python's lock while they work), so on two cores the two overlap.
        """
        validated = [(item.validated(), extra) for item, extra in items]
        steps = [validated[i:i + PIPELINE] for i in range(0, len(validated), PIPELINE)]
        written: dict[str, int] = {}
        if not steps:
            return written
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-prepare") if len(steps) > 1 else None
        try:
            prepared = pool.map(_prepare, steps) if pool else map(_prepare, steps)
            with db.write_session(self._sessions) as s:
                for step in prepared:
                    kept = archive_write.write(s, step, actor=actor, duplicate=False)
                    written.update((p.sha, record_id) for (p, _), (record_id, new) in zip(step, kept) if new)
        finally:
            if pool:
                pool.shutdown(wait=True, cancel_futures=True)
        return written

    # --- reading ---------------------------------------------------------------------------------------

    def get(self, record_id: int) -> Record:
        with self._sessions() as s:
            return self._record(s, record_id)

    def find(self, content_sha256: str) -> Record | None:
        """The record whose raw bytes hash to ``content_sha256``, if any."""
        with self._sessions() as s:
            found = s.scalar(select(RecordRow.id).where(RecordRow.content_sha256 == content_sha256))
            return None if found is None else self._record(s, found)

    def raw(self, record_id: int) -> bytes:
        """The message's raw bytes, exactly as received."""
        with self._sessions() as s:
            row = s.get(RecordRow, record_id)
            if row is None:
                raise RecordNotFoundError(record_id)
            tomb = s.get(Tombstone, record_id)
            if tomb is not None:
                raise ContentDeletedError(record_id, f"{tomb.deleted_at:%Y-%m-%d}", tomb.reason)
            content = s.get(Content, row.content_sha256)
            if content is None:
                raise ArchiveError(f"record {record_id}: its content is missing; run `councilguard archive verify`")
            return zlib.decompress(content.data)

    def _record(self, s: Session, record_id: int) -> Record:
        row = s.scalar(select(RecordRow).where(RecordRow.id == record_id).options(
            selectinload(RecordRow.recipients), selectinload(RecordRow.findings),
            selectinload(RecordRow.attachments)))
        if row is None:
            raise RecordNotFoundError(record_id)
        seq = s.scalar(select(ChainEntry.seq).where(ChainEntry.record_id == record_id,
                                                    ChainEntry.kind == "archived"))
        disposition = s.scalar(select(ChainEntry.disposition).where(
            ChainEntry.record_id == record_id, ChainEntry.disposition.is_not(None))
            .order_by(ChainEntry.seq.desc()).limit(1))
        text_row = s.get(RecordText, record_id)
        tomb = s.get(Tombstone, record_id)
        attachments = _attachments(row.attachments, None if text_row is None else text_row.attachments)
        people = {k: tuple(r.display for r in row.recipients if r.kind == k) for k in ("to", "cc", "bcc")}
        return Record(
            id=row.id, seq=seq or 0, content_sha256=row.content_sha256, size=row.size, message_id=row.message_id,
            sender=row.sender, **people, subject=row.subject, sent_at=row.sent_at,
            received_at=row.received_at, verdict=row.verdict, source=row.source,
            override_justification=row.override_justification,
            findings=tuple(ArchivedFinding(f.rule, f.severity, f.clause) for f in row.findings),
            attachments=attachments, body_text=None if text_row is None else text_row.body,
            disposition=disposition or "unknown",
            tombstone=None if tomb is None else TombstoneInfo(tomb.content_sha256, tomb.deleted_at, tomb.reason,
                                                              tomb.rule, tomb.actor, tomb.seq),
        )

    # --- events ----------------------------------------------------------------------------------------

    def record_event(self, record_id: int, kind: str, *, actor: str, disposition: str | None = None,
                     reason: str | None = None, detail: dict[str, Any] | None = None) -> Event:
        """Append an event about a record (e.g. 'released' with disposition 'relayed', or 'overridden')."""
        if not _EVENT_KIND.fullmatch(kind or "") or kind in _RESERVED:
            raise ArchiveError(f"event kind {kind!r}: use a short lower-case word like 'released' "
                               f"(not one of {', '.join(sorted(_RESERVED))}, which the archive writes itself)")
        if disposition is not None and disposition not in DISPOSITIONS:
            raise ArchiveError(f"disposition {disposition!r} is not one of {', '.join(DISPOSITIONS)}")
        if disposition == "overridden" and not (reason or "").strip():
            raise ArchiveError("an override needs its justification as the reason")
        if not (actor or "").strip():
            raise ArchiveError("an event needs the actor who caused it")
        with db.write_session(self._sessions) as s:
            row = s.get(RecordRow, record_id)
            if row is None:
                raise RecordNotFoundError(record_id)
            payload = {**(detail or {}), "actor": actor}
            if reason:
                payload["reason"] = reason
            entry = chain.append(s, kind, record=row, disposition=disposition, detail=payload)
            return _event(entry)

    def events(self, record_id: int) -> list[Event]:
        """Every chain entry about the record, oldest first (its archiving included)."""
        with self._sessions() as s:
            if s.get(RecordRow, record_id) is None:
                raise RecordNotFoundError(record_id)
            return [_event(e) for e in s.scalars(select(ChainEntry).where(ChainEntry.record_id == record_id)
                                                 .order_by(ChainEntry.seq))]

    # --- lawful deletion -------------------------------------------------------------------------------

    def delete_content(self, record_id: int, *, reason: str, rule: str, actor: str) -> TombstoneInfo:
        """Delete a record's content, leaving a tombstone; refused (LegalHoldError) under legal hold."""
        for what, value in (("reason", reason), ("rule", rule), ("actor", actor)):
            if not (value or "").strip():
                raise ArchiveError(f"a deletion needs its {what}")
        with db.write_session(self._sessions) as s:
            chain.lock(s)
            row = s.get(RecordRow, record_id)
            if row is None:
                raise RecordNotFoundError(record_id)
            tomb = s.get(Tombstone, record_id)
            if tomb is not None:
                raise ContentDeletedError(record_id, f"{tomb.deleted_at:%Y-%m-%d}", tomb.reason)
            held = holds.covering(s, [record_id]).get(record_id)
            if held:
                raise LegalHoldError(record_id, held)
            entry = chain.append(s, "deleted", record=row, detail={"reason": reason, "rule": rule, "actor": actor})
            tomb = Tombstone(record_id=record_id, content_sha256=row.content_sha256, deleted_at=entry.recorded_at,
                             reason=reason, rule=rule, actor=actor, seq=entry.seq)
            s.add(tomb)
            text_row = s.get(RecordText, record_id)
            if text_row is not None:
                s.delete(text_row)
            content = s.get(Content, row.content_sha256)
            if content is not None:
                s.delete(content)
            s.flush()
            return TombstoneInfo(tomb.content_sha256, tomb.deleted_at, reason, rule, actor, entry.seq)

    # --- holds, search, verification -------------------------------------------------------------------

    def place_hold(self, name: str, *, reason: str, actor: str, records: Iterable[int] = (),
                   criteria: SearchCriteria | None = None) -> Hold:
        with db.write_session(self._sessions) as s:
            return holds.place(s, name, reason=reason, actor=actor, records=records, criteria=criteria)

    def release_hold(self, name: str, *, actor: str, reason: str) -> Hold:
        with db.write_session(self._sessions) as s:
            return holds.release(s, name, actor=actor, reason=reason)

    def holds(self, *, include_released: bool = False) -> list[Hold]:
        with self._sessions() as s:
            return holds.list_holds(s, include_released=include_released)

    def holds_on(self, record_id: int) -> list[str]:
        """Names of the active holds that cover the record."""
        with self._sessions() as s:
            return holds.covering(s, [record_id]).get(record_id, [])

    def search(self, criteria: SearchCriteria | str = "", *, limit: int = 20, offset: int = 0) -> SearchPage:
        if isinstance(criteria, str):
            criteria = SearchCriteria(query=criteria)
        with self._sessions() as s:
            return search(s, criteria, limit=limit, offset=offset)

    def verify(self, *, receipt: Receipt | None = None, content: bool = True) -> Verification:
        with self._sessions() as s:
            return verify_chain(s, receipt=receipt, content=content)

    def receipt(self, council: str) -> Receipt:
        with self._sessions() as s:
            return chain.make_receipt(s, council)

    def with_disposition(self, disposition: str, *, limit: int = 50) -> tuple[int, list[Record]]:
        """Records whose *latest* disposition is ``disposition`` (e.g. mail still held for the Clerk):
        how many, and the oldest ``limit`` of them. Dispositions live on the chain, never as updates."""
        latest = (select(ChainEntry.record_id, func.max(ChainEntry.seq).label("seq"))
                  .where(ChainEntry.record_id.is_not(None), ChainEntry.disposition.is_not(None))
                  .group_by(ChainEntry.record_id).subquery())
        stmt = (select(ChainEntry.record_id)
                .join(latest, (latest.c.record_id == ChainEntry.record_id) & (latest.c.seq == ChainEntry.seq))
                .where(ChainEntry.disposition == disposition).order_by(ChainEntry.record_id))
        with self._sessions() as s:
            ids = list(s.scalars(stmt))
            return len(ids), [self._record(s, i) for i in ids[:limit]]

    def count(self) -> int:
        with self._sessions() as s:
            return s.scalar(select(func.count()).select_from(RecordRow)) or 0

    def session(self) -> Session:
        """A read session, for the retention planner and reports that need queries of their own."""
        return self._sessions()


def _prepare(step: list[tuple[ArchiveItem, dict | None]]) -> list[tuple[Prepared, dict | None]]:
    return [(Prepared.of(item), extra) for item, extra in step]


def _attachments(rows: list[AttachmentRow], joined: str | None) -> tuple[ArchivedAttachment, ...]:
    """Attachment descriptions with their texts cut back out of the joined text (None once deleted)."""
    texts = split_attachment_texts([a.text_chars for a in rows], joined) if joined is not None else [None] * len(rows)
    return tuple(ArchivedAttachment(a.filename, a.content_type, a.size, a.sha256, t) for a, t in zip(rows, texts))


def _event(entry: ChainEntry) -> Event:
    return Event(seq=entry.seq, kind=entry.kind, record_id=entry.record_id, disposition=entry.disposition,
                 detail=json.loads(entry.detail), recorded_at=entry.recorded_at)
