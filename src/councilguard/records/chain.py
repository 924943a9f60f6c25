"""The hash chain that makes the archive tamper-evident, and the dated receipt of its head.

Every entry's hash is SHA-256 over a canonical JSON encoding of: its sequence number, the previous entry's
hash, what kind of entry it is, when it was recorded, the disposition it sets, its details (who, why) and
the facts of the record it is about: the content's *hash* (never the content), sender, recipients, subject,
dates, verdict, findings and attachment hashes. So:

- changing any archived fact, deleting an entry or reordering entries breaks a link that ``verify`` finds;
- lawfully deleting content leaves every hash intact (the chain holds the content's hash, and the deletion
  itself is a new entry);
- rewriting the whole chain consistently is caught by a receipt: the head's (seq, hash) printed on a date
  and minuted by the council, which a rewritten chain no longer contains.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from councilguard.records.archive_errors import ReceiptError
from councilguard.records.schema import ChainEntry, RecordRow

GENESIS = "0" * 64
HASH_VERSION = 1
RECEIPT_FORMAT = "councilguard-archive-receipt/1"
LOCK_KEY = 0x636771  # PostgreSQL advisory lock id for appends ("cgq")


def canonical(value: Any) -> str:
    """The one encoding hashed: JSON, keys sorted, no spaces, Unicode kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stamp(value: datetime | None) -> str | None:
    """A datetime as fixed-width UTC text (microseconds), the form it is hashed in."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now() -> datetime:
    return datetime.now(timezone.utc)


def record_facts(row: RecordRow, *, full: bool) -> dict[str, Any]:
    """The facts of a record that an entry's hash covers: all of them for its archiving, else id and hash."""
    if not full:
        return {"id": row.id, "content": row.content_sha256}
    people: dict[str, list[str]] = {"to": [], "cc": [], "bcc": []}
    for r in sorted(row.recipients, key=lambda r: (r.kind, r.position)):
        people[r.kind].append(r.display)
    return archived_facts(
        record_id=row.id, content=row.content_sha256, size=row.size, text=row.text_sha256,
        message_id=row.message_id, sender=row.sender, **people, subject=row.subject, sent_at=row.sent_at,
        received_at=row.received_at, verdict=row.verdict, source=row.source,
        override_justification=row.override_justification,
        findings=[(f.rule, f.severity, f.clause) for f in sorted(row.findings, key=lambda f: f.position)],
        attachments=[(a.filename, a.content_type, a.size, a.sha256, a.text_chars)
                     for a in sorted(row.attachments, key=lambda a: a.position)])


def archived_facts(*, record_id: int, content: str, size: int, text: str, message_id: str | None, sender: str,
                   to: list[str], cc: list[str], bcc: list[str], subject: str, sent_at: datetime | None,
                   received_at: datetime, verdict: str, source: str, override_justification: str | None,
                   findings: list[tuple[str, str, str]],
                   attachments: list[tuple[str | None, str | None, int, str, int | None]]) -> dict[str, Any]:
    """The facts an 'archived' entry's hash covers, from plain values: what :func:`record_facts` reads from
    the stored rows, so the bulk writer can hash a record before (and without) loading it back."""
    return {
        "id": record_id, "content": content, "size": size, "text": text, "message_id": message_id,
        "sender": sender, "to": list(to), "cc": list(cc), "bcc": list(bcc), "subject": subject,
        "sent_at": stamp(sent_at), "received_at": stamp(received_at), "verdict": verdict, "source": source,
        "override_justification": override_justification, "findings": [list(f) for f in findings],
        "attachments": [list(a) for a in attachments],
    }


def entry_hash(*, seq: int, prev: str, kind: str, recorded_at: datetime, disposition: str | None,
               detail: str, facts: dict[str, Any] | None) -> str:
    payload = {
        "v": HASH_VERSION, "seq": seq, "prev": prev, "kind": kind, "at": stamp(recorded_at),
        "disposition": disposition, "detail": json.loads(detail), "record": facts,
    }
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def hash_of(entry: ChainEntry, record: RecordRow | None) -> str:
    """Recompute ``entry``'s hash from its stored fields and its record's stored facts."""
    facts = None if record is None else record_facts(record, full=entry.kind == "archived")
    return entry_hash(seq=entry.seq, prev=entry.prev_hash, kind=entry.kind, recorded_at=entry.recorded_at,
                      disposition=entry.disposition, detail=entry.detail, facts=facts)


def lock(session: Session) -> None:
    """Serialise appends: PostgreSQL takes an advisory lock; SQLite already holds its write lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def head(session: Session) -> tuple[int, str]:
    """The last entry's (seq, hash), or (0, GENESIS) for an empty chain."""
    row = session.execute(select(ChainEntry.seq, ChainEntry.record_hash).order_by(ChainEntry.seq.desc())
                          .limit(1)).first()
    return (row.seq, row.record_hash) if row else (0, GENESIS)


def link(*, seq: int, prev: str, kind: str, record_id: int | None, facts: dict[str, Any] | None,
         disposition: str | None = None, detail: dict[str, Any] | None = None,
         recorded_at: datetime | None = None) -> dict[str, Any]:
    """The column values of entry ``seq`` after the entry whose hash is ``prev`` (nothing is written)."""
    recorded_at = recorded_at or now()
    detail_text = canonical(detail or {})
    return {"seq": seq, "prev_hash": prev, "kind": kind, "record_id": record_id, "disposition": disposition,
            "detail": detail_text, "recorded_at": recorded_at,
            "record_hash": entry_hash(seq=seq, prev=prev, kind=kind, recorded_at=recorded_at,
                                      disposition=disposition, detail=detail_text, facts=facts)}


def append(session: Session, kind: str, *, record: RecordRow | None = None, disposition: str | None = None,
           detail: dict[str, Any] | None = None) -> ChainEntry:
    """Add one entry after the head. The caller's transaction must come from ``db.write_session``."""
    lock(session)
    seq, prev = head(session)
    facts = None if record is None else record_facts(record, full=kind == "archived")
    entry = ChainEntry(**link(seq=seq + 1, prev=prev, kind=kind, record_id=None if record is None else record.id,
                              facts=facts, disposition=disposition, detail=detail))
    session.add(entry)
    session.flush()
    return entry


# --- receipts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """The chain's head on a date, small enough to minute or send to the internal auditor."""

    council: str
    seq: int
    head: str
    records: int
    issued_at: str
    format: str = RECEIPT_FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        return (f"{self.council}: e-mail records archive receipt\n"
                f"Issued:       {self.issued_at}\n"
                f"Chain entry:  {self.seq}\n"
                f"Head hash:    {self.head}\n"
                f"Records held: {self.records}\n"
                "Keep this with the minutes. `councilguard archive verify --receipt FILE` proves the archive\n"
                "still contains this entry unchanged.\n")

    @classmethod
    def from_json(cls, text_: str, source: str = "<receipt>") -> Receipt:
        try:
            data = json.loads(text_)
        except json.JSONDecodeError as exc:
            raise ReceiptError(source, f"not JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, dict) or data.get("format") != RECEIPT_FORMAT:
            raise ReceiptError(source, f"expected \"format\": \"{RECEIPT_FORMAT}\"")
        problems = [k for k, t in (("council", str), ("seq", int), ("head", str), ("records", int),
                                   ("issued_at", str)) if not isinstance(data.get(k), t)]
        if problems:
            raise ReceiptError(source, f"missing or malformed {', '.join(problems)}")
        return cls(**{k: data[k] for k in ("council", "seq", "head", "records", "issued_at", "format")})

    @classmethod
    def load(cls, path: str | Path) -> Receipt:
        try:
            return cls.from_json(Path(path).read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise ReceiptError(str(path), f"cannot be read ({exc})") from None


def make_receipt(session: Session, council: str) -> Receipt:
    seq, head_hash = head(session)
    records = session.scalar(select(func.count()).select_from(RecordRow)) or 0
    return Receipt(council=council, seq=seq, head=head_hash, records=records,
                   issued_at=now().replace(microsecond=0).isoformat())
