"""Writing records quickly: one path for the relay's single message and an import's thousands.

The ORM's unit of work cost more than the database itself for rows that are written once and never
changed (~8 ms a message, ~100 messages a second in bulk). So here an item becomes plain rows first,
outside any transaction (validated, hashed, compressed, its chain facts worked out), and each table gets
one multi-row INSERT per batch. The chain is extended in the same transaction from the head read under
the append lock, hashing through ``chain.archived_facts`` and ``chain.link`` exactly as ``chain.append``
does, so ``verify`` (which recomputes every hash from the stored rows) cannot tell the two paths apart.

What stays the same as one-at-a-time writing: content is kept once per SHA-256 of the raw bytes, record
ids come from the database's own sequence (PostgreSQL) or follow the largest id (SQLite, which holds its
write lock from BEGIN), and the full-text index is filled by the database as the text rows go in (the
FTS5 trigger on SQLite, the ``tsv`` trigger on PostgreSQL). The relay's single message on PostgreSQL
takes its own, quicker way to the same rows: :mod:`.pg_keep`.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from councilguard.records import chain
from councilguard.records.items import ArchiveItem, address_of
from councilguard.records.schema import (
    AttachmentRow,
    ChainEntry,
    Content,
    FindingRow,
    RecipientRow,
    RecordRow,
    RecordText,
)
from councilguard.records.texts import join_attachment_texts, text_hash

# Raw messages up to this size are compressed thoroughly: it costs well under a millisecond.
SMALL = 64 * 1024
# Bigger ones are mostly base64-encoded attachments. A PDF, a photo or an Office file is compressed
# already, and base64 of compressed bytes shrinks by only the quarter base64 added; deflate spends ~10 ms
# per 200 KB finding that out (Huffman coding alone ~4 ms). So three samples are tried first: if they
# shrink by less than this, the message is stored as it is (still a zlib stream, so every reader and
# `archive verify` read it unchanged); if more, it is compressed at deflate's quickest level.
COMPRESSIBLE = 0.7
_SAMPLE = 4096
_CHUNK = 500  # values in one IN (...) list


def compress(raw: bytes) -> bytes:
    """``raw`` as a zlib stream, compressed as far as repays the time (see SMALL and COMPRESSIBLE)."""
    if len(raw) <= SMALL:
        return zlib.compress(raw, 6)
    samples = [raw[at:at + _SAMPLE] for at in (len(raw) // 4, len(raw) // 2, 3 * len(raw) // 4)]
    shrunk = sum(len(zlib.compress(s, 1)) for s in samples) / sum(len(s) for s in samples)
    return zlib.compress(raw, 1 if shrunk < COMPRESSIBLE else 0)


@dataclass(frozen=True)
class Ahead:
    """A message's raw bytes hashed and compressed, and its texts hashed, before its archive item exists.

    The relay works these out while a checker process checks the message (they do not depend on the
    decision), so once the decision is made only the rows remain to be written. :meth:`Prepared.of` uses
    each part only if the item holds exactly the bytes and texts it was worked out from.
    """

    raw: bytes
    sha: str
    data: bytes  # the raw bytes, compressed
    body: str
    texts: tuple[str | None, ...]
    text_sha: str

    @classmethod
    def of(cls, raw: bytes, body: str, texts: Iterable[str | None]) -> Ahead:
        texts = tuple(texts)
        return cls(raw, hashlib.sha256(raw).hexdigest(), compress(raw), body, texts, text_hash(body, texts))


@dataclass(frozen=True)
class Prepared:
    """An item turned into what will be written, before any database is involved."""

    item: ArchiveItem  # validated
    sha: str
    text_sha: str
    data: bytes  # the raw bytes, compressed

    @classmethod
    def of(cls, item: ArchiveItem, ahead: Ahead | None = None) -> Prepared:
        """``item`` (already validated) hashed and compressed: the CPU work, done outside the write lock
        (what ``ahead`` already worked out for the same bytes and texts is taken from it)."""
        if ahead is not None and (ahead.raw is item.raw or ahead.raw == item.raw):
            sha, data = ahead.sha, ahead.data
        else:
            sha, data = hashlib.sha256(item.raw).hexdigest(), compress(item.raw)
        texts = tuple(a.text for a in item.attachments)
        if ahead is not None and ahead.body == item.body_text and ahead.texts == texts:
            text_sha = ahead.text_sha
        else:
            text_sha = text_hash(item.body_text, texts)
        return cls(item, sha, text_sha, data)


class _Chain:
    """The chain's head, extended in memory and written in one statement at the end."""

    def __init__(self, seq: int, prev: str):
        self.seq, self.prev = seq, prev
        self.rows: list[dict[str, Any]] = []

    def add(self, kind: str, record_id: int, facts: dict[str, Any], *, disposition: str | None = None,
            detail: dict[str, Any] | None = None) -> None:
        row = chain.link(seq=self.seq + 1, prev=self.prev, kind=kind, record_id=record_id, facts=facts,
                         disposition=disposition, detail=detail)
        self.seq, self.prev = row["seq"], row["record_hash"]
        self.rows.append(row)


class _Rows:
    """The rows of every table for a batch of new records, in the order their foreign keys need."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.recipients: list[dict[str, Any]] = []
        self.findings: list[dict[str, Any]] = []
        self.attachments: list[dict[str, Any]] = []
        self.texts: list[dict[str, Any]] = []
        self.contents: list[dict[str, Any]] = []

    def add(self, record_id: int, p: Prepared, store_content: bool) -> dict[str, Any]:
        """Add the rows of one record; return the facts its 'archived' entry hashes."""
        item = p.item
        self.records.append({
            "id": record_id, "content_sha256": p.sha, "size": len(item.raw), "text_sha256": p.text_sha,
            "message_id": item.message_id, "sender": item.sender, "sender_address": address_of(item.sender),
            "subject": item.subject, "sent_at": item.sent_at, "received_at": item.received_at,
            "dated_at": item.sent_at or item.received_at, "verdict": item.verdict, "source": item.source,
            "override_justification": item.override_justification})
        for kind in ("to", "cc", "bcc"):
            self.recipients.extend({"record_id": record_id, "kind": kind, "position": i, "address": address_of(v),
                                    "display": v} for i, v in enumerate(getattr(item, kind)))
        self.findings.extend({"record_id": record_id, "position": i, "rule": f.rule, "severity": f.severity,
                              "clause": f.clause} for i, f in enumerate(item.findings))
        described = [(a.filename, a.content_type, a.size, a.sha256, None if a.text is None else len(a.text))
                     for a in item.attachments]
        self.attachments.extend({"record_id": record_id, "position": i, "filename": d[0], "content_type": d[1],
                                 "size": d[2], "sha256": d[3], "text_chars": d[4]} for i, d in enumerate(described))
        self.texts.append({"record_id": record_id, "people": " ".join([item.sender, *item.to, *item.cc, *item.bcc]),
                           "subject": item.subject, "body": item.body_text,
                           "attachments": join_attachment_texts(a.text for a in item.attachments)})
        if store_content:
            self.contents.append({"sha256": p.sha, "size": len(item.raw), "compression": "zlib", "data": p.data})
        return chain.archived_facts(
            record_id=record_id, content=p.sha, size=len(item.raw), text=p.text_sha, message_id=item.message_id,
            sender=item.sender, to=item.to, cc=item.cc, bcc=item.bcc, subject=item.subject, sent_at=item.sent_at,
            received_at=item.received_at, verdict=item.verdict, source=item.source,
            override_justification=item.override_justification,
            findings=[(f.rule, f.severity, f.clause) for f in item.findings], attachments=described)

    def by_table(self, links: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """{table name: rows}, the chain entries ``links`` last, in the order the foreign keys need."""
        return {RecordRow.__tablename__: self.records, RecipientRow.__tablename__: self.recipients,
                FindingRow.__tablename__: self.findings, AttachmentRow.__tablename__: self.attachments,
                RecordText.__tablename__: self.texts, Content.__tablename__: self.contents,
                ChainEntry.__tablename__: links}

    def write(self, session: Session, links: list[dict[str, Any]]) -> None:
        """Insert the rows, then the chain entries ``links``: one multi-row INSERT a table."""
        connection = session.connection()
        tables = {model.__tablename__: model.__table__
                  for model in (RecordRow, RecipientRow, FindingRow, AttachmentRow, RecordText, Content, ChainEntry)}
        for name, rows in self.by_table(links).items():
            if rows:
                connection.execute(tables[name].insert(), rows)


def existing_records(session: Session, shas: Iterable[str]) -> dict[str, int]:
    """{content sha256: record id} for those of ``shas`` already kept."""
    found: dict[str, int] = {}
    wanted = list(shas)
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(select(RecordRow.content_sha256, RecordRow.id)
                               .where(RecordRow.content_sha256.in_(wanted[start:start + _CHUNK])))
        found.update((sha, record_id) for sha, record_id in rows)
    return found


def _stored_contents(session: Session, shas: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(shas), _CHUNK):
        found.update(session.scalars(select(Content.sha256).where(Content.sha256.in_(shas[start:start + _CHUNK]))))
    return found


def _new_ids(session: Session, n: int) -> list[int]:
    """``n`` unused record ids, ascending. The caller holds the append lock."""
    if session.get_bind().dialect.name == "postgresql":
        return sorted(session.scalars(text("SELECT nextval(pg_get_serial_sequence('records', 'id')) "
                                           "FROM generate_series(1, :n)"), {"n": n}))
    top = session.scalar(select(func.max(RecordRow.id))) or 0
    return list(range(top + 1, top + n + 1))


# One message's look-ups (is it kept already, is its content, the next record id, the chain's head) as a
# single statement: as four ORM queries they cost the relay ~1.5 ms a message, mostly in SQLAlchemy.
# PostgreSQL evaluates CASE lazily, so a message kept already takes no id from the sequence.
LOOK_UP_ONE = {
    dialect: (
        "SELECT r.id, (SELECT count(*) FROM content WHERE sha256 = {sha}), "
        + next_id + ", h.seq, h.record_hash "
        "FROM (SELECT 1) AS one "
        "LEFT JOIN records AS r ON r.content_sha256 = {sha} "
        "LEFT JOIN (SELECT seq, record_hash FROM chain ORDER BY seq DESC LIMIT 1) AS h ON 1 = 1")
    for dialect, next_id in (
        ("postgresql", "CASE WHEN r.id IS NULL THEN nextval(pg_get_serial_sequence('records', 'id')) END"),
        ("sqlite", "(SELECT coalesce(max(id), 0) + 1 FROM records)"))
}
_ONE = {dialect: text(sql.format(sha=":sha")) for dialect, sql in LOOK_UP_ONE.items()}


@dataclass(frozen=True)
class LookedUp:
    """What writing a batch needs to know from the database, asked under the append lock."""

    known: dict[str, int]  # content sha256 -> id of the record keeping it already
    ids: dict[str, int]  # content sha256 -> id for a new record
    stored: set[str]  # shas whose content row exists already (kept for a record since deleted, say)
    head: tuple[int, str]  # the chain's head: (seq, hash)

    @classmethod
    def of_one(cls, sha: str, row: tuple[Any, ...]) -> LookedUp:
        """From a row of :data:`LOOK_UP_ONE` for ``sha``."""
        found, contents, next_id, seq, prev = row
        head = (seq or 0, prev or chain.GENESIS)
        if found is not None:
            return cls({sha: found}, {}, set(), head)
        return cls({}, {sha: next_id}, {sha} if contents else set(), head)


def _look_up(session: Session, batch: list[tuple[Prepared, dict[str, Any] | None]]) -> LookedUp:
    connection = session.connection()
    one = _ONE.get(connection.dialect.name)
    if len(batch) == 1 and one is not None:  # the relay's one message: all it needs in one round trip
        sha = batch[0][0].sha
        return LookedUp.of_one(sha, tuple(connection.execute(one, {"sha": sha}).one()))
    known = existing_records(session, {p.sha for p, _ in batch})
    new_shas = list(dict.fromkeys(p.sha for p, _ in batch if p.sha not in known))
    ids = dict(zip(new_shas, _new_ids(session, len(new_shas)))) if new_shas else {}
    stored = _stored_contents(session, new_shas) if new_shas else set()
    return LookedUp(known, ids, stored, chain.head(session))


@dataclass
class Plan:
    """A batch's rows and chain entries, ready to insert, and what :func:`write` returns for it."""

    rows: _Rows
    links: list[dict[str, Any]]
    kept: list[tuple[int, bool]]  # (record id, new?) for each item


def plan(batch: list[tuple[Prepared, dict[str, Any] | None]], looked_up: LookedUp, *, actor: str,
         duplicate: bool) -> Plan:
    """The rows and chain entries for ``batch`` given what the database said (no database involved).

    An item whose raw bytes are kept already (or appear earlier in ``batch``) gets the existing record's
    id and, when ``duplicate``, a 'duplicate' chain entry saying who delivered it again and how. A new
    record gets its 'archived' entry, then, if its pair holds one, an 'import-problems' entry.
    """
    known, ids, stored = looked_up.known, looked_up.ids, looked_up.stored
    rows, links = _Rows(), _Chain(*looked_up.head)
    out: list[tuple[int, bool]] = []
    written: set[str] = set()
    for p, extra in batch:
        if p.sha in known or p.sha in written:
            record_id = known.get(p.sha) or ids[p.sha]
            out.append((record_id, False))
            if duplicate:
                item = p.item
                links.add("duplicate", record_id, {"id": record_id, "content": p.sha}, detail={
                    "actor": actor, "source": item.source, "disposition": item.disposition,
                    "received_at": chain.stamp(item.received_at)})
            continue
        record_id = ids[p.sha]
        written.add(p.sha)
        facts = rows.add(record_id, p, p.sha not in stored)
        links.add("archived", record_id, facts, disposition=p.item.disposition, detail={"actor": actor})
        if extra:
            links.add("import-problems", record_id, {"id": record_id, "content": p.sha},
                      detail={"actor": actor, **extra})
        out.append((record_id, True))
    return Plan(rows, links.rows, out)


def write(session: Session, batch: list[tuple[Prepared, dict[str, Any] | None]], *, actor: str,
          duplicate: bool) -> list[tuple[int, bool]]:
    """Keep every prepared item not already kept, in the caller's write transaction; (record id, new?) each
    (see :func:`plan` for what is written)."""
    chain.lock(session)
    planned = plan(batch, _look_up(session, batch), actor=actor, duplicate=duplicate)
    planned.rows.write(session, planned.links)
    return planned.kept
