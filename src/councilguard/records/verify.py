"""Proving the archive is intact: recompute every link of the chain and check every record against it.

``verify`` walks the chain in order and reports, for the first bad entry and any after it, its sequence
number and what is wrong: an entry missing, a broken link (entries removed, reordered or inserted), an entry
altered (a fact of its record, its disposition or its details changed), a record outside the chain, content
missing or not matching its hash, a tombstone with no deletion entry. With a receipt it also proves the
chain still holds the head the council minuted, which catches a chain rewritten consistently from scratch.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from councilguard.records import chain
from councilguard.records.chain import Receipt
from councilguard.records.schema import AttachmentRow, ChainEntry, Content, RecordRow, RecordText, Tombstone
from councilguard.records.texts import split_attachment_texts, text_hash


@dataclass(frozen=True)
class Problem:
    seq: int | None
    record_id: int | None
    what: str

    def __str__(self) -> str:
        where = [f"seq {self.seq}"] if self.seq is not None else []
        if self.record_id is not None:
            where.append(f"record {self.record_id}")
        return f"{', '.join(where) or 'archive'}: {self.what}"


@dataclass(frozen=True)
class Verification:
    entries: int
    records: int
    head_seq: int
    head_hash: str
    problems: tuple[Problem, ...]
    receipt: Receipt | None
    content_checked: bool

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


class _Walk:
    """The state of one pass along the chain."""

    def __init__(self, receipt: Receipt | None):
        self.receipt = receipt
        self.problems: list[Problem] = []
        self.expected, self.prev = 1, chain.GENESIS
        self.archived: dict[int, int] = {}  # record id -> seq of its archiving
        self.deleted: set[int] = set()
        self.receipt_hash: str | None = None
        self.receipt_record: int | None = None

    def entry(self, e: ChainEntry, record: RecordRow | None) -> None:
        if e.seq != self.expected:
            gone = str(self.expected) if e.seq == self.expected + 1 else f"{self.expected} to {e.seq - 1}"
            self.problems.append(Problem(self.expected, None, f"entry missing: {gone} gone from the chain "
                                                              f"(it jumps from {self.expected - 1} to {e.seq})"))
        elif e.prev_hash != self.prev:
            self.problems.append(Problem(e.seq, e.record_id, f"broken link: it does not follow entry {e.seq - 1} "
                                                             "(entries were removed, reordered or inserted)"))
        if e.record_id is not None and record is None:
            self.problems.append(Problem(e.seq, e.record_id, "its record is missing from the records table"))
        elif chain.hash_of(e, record) != e.record_hash:
            self.problems.append(Problem(e.seq, e.record_id, f"{e.kind} entry altered: its hash does not match "
                                         "what is stored (sender, recipients, subject, dates, disposition or "
                                         "details changed)"))
        if e.kind == "archived" and e.record_id is not None:
            if e.record_id in self.archived:
                self.problems.append(Problem(e.seq, e.record_id, f"archived twice (first at seq "
                                                                 f"{self.archived[e.record_id]})"))
            self.archived.setdefault(e.record_id, e.seq)
        elif e.kind == "deleted" and e.record_id is not None:
            self.deleted.add(e.record_id)
        if self.receipt is not None and e.seq == self.receipt.seq:
            self.receipt_hash, self.receipt_record = e.record_hash, e.record_id
        self.expected, self.prev = e.seq + 1, e.record_hash


def _entries(session: Session, batch: int) -> Iterator[tuple[ChainEntry, RecordRow | None]]:
    last = 0
    while True:
        entries = list(session.scalars(select(ChainEntry).where(ChainEntry.seq > last)
                                       .order_by(ChainEntry.seq).limit(batch)))
        if not entries:
            return
        ids = {e.record_id for e in entries if e.record_id is not None}
        records = {r.id: r for r in session.scalars(select(RecordRow).where(RecordRow.id.in_(ids)).options(
            selectinload(RecordRow.recipients), selectinload(RecordRow.findings),
            selectinload(RecordRow.attachments)))} if ids else {}
        for e in entries:
            yield e, records.get(e.record_id) if e.record_id is not None else None
        last = entries[-1].seq
        session.expunge_all()  # keep memory flat on a long chain


def _check_content(session: Session, walk: _Walk, batch: int) -> None:
    """Every kept record's raw bytes and texts still hash to what its archiving entry vouched for."""
    last = 0
    while True:
        rows = session.execute(
            select(RecordRow.id, RecordRow.content_sha256, RecordRow.text_sha256, Content.data,
                   RecordText.body, RecordText.attachments)
            .outerjoin(Content, Content.sha256 == RecordRow.content_sha256)
            .outerjoin(RecordText, RecordText.record_id == RecordRow.id)
            .where(RecordRow.id > last).order_by(RecordRow.id).limit(batch)).all()
        if not rows:
            return
        lengths: dict[int, list[int | None]] = {}
        for a in session.execute(select(AttachmentRow.record_id, AttachmentRow.text_chars).where(
                AttachmentRow.record_id.in_([r.id for r in rows])).order_by(AttachmentRow.record_id,
                                                                             AttachmentRow.position)):
            lengths.setdefault(a.record_id, []).append(a.text_chars)
        for r in rows:
            seq = walk.archived.get(r.id)
            if r.id in walk.deleted:
                if r.data is not None or r.body is not None:
                    walk.problems.append(Problem(seq, r.id, "content still present after its lawful deletion"))
                continue
            if r.data is None:
                walk.problems.append(Problem(seq, r.id, "content missing: removed with no deletion in the chain"))
            else:
                try:
                    actual = hashlib.sha256(zlib.decompress(r.data)).hexdigest()
                except zlib.error:
                    actual = "unreadable (not zlib data)"
                if actual != r.content_sha256:
                    walk.problems.append(Problem(seq, r.id, f"content hash mismatch: the stored message hashes "
                                                            f"to {actual[:16]}…, the chain holds "
                                                            f"{r.content_sha256[:16]}…"))
            if r.body is None:
                walk.problems.append(Problem(seq, r.id, "text missing: removed with no deletion in the chain"))
            elif text_hash(r.body, split_attachment_texts(lengths.get(r.id, []), r.attachments)) != r.text_sha256:
                walk.problems.append(Problem(seq, r.id, "text altered: the body or attachment text differs from "
                                                        "what was archived"))
        last = rows[-1].id


def verify_chain(session: Session, *, receipt: Receipt | None = None, content: bool = True,
                 batch: int = 1000) -> Verification:
    """Check the whole archive in one consistent snapshot; see the module docstring for what is checked."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    walk = _Walk(receipt)
    for entry, record in _entries(session, batch):
        walk.entry(entry, record)
    head_seq, head_hash = walk.expected - 1, walk.prev
    record_ids = list(session.scalars(select(RecordRow.id).order_by(RecordRow.id)))
    for rid in record_ids:
        if rid not in walk.archived:
            walk.problems.append(Problem(None, rid, "record is not in the chain (added outside the archive)"))
    tombstones = set(session.scalars(select(Tombstone.record_id)))
    for rid in sorted(tombstones - walk.deleted):
        walk.problems.append(Problem(walk.archived.get(rid), rid, "tombstone with no deletion entry in the chain"))
    for rid in sorted(walk.deleted - tombstones):
        walk.problems.append(Problem(walk.archived.get(rid), rid, "deleted in the chain but its tombstone is gone"))
    if content:
        _check_content(session, walk, max(1, batch // 5))
    if receipt is not None:
        _check_receipt(walk, receipt, head_seq)
    problems = sorted(walk.problems, key=lambda p: (p.seq is None, p.seq or 0))
    return Verification(entries=head_seq, records=len(record_ids), head_seq=head_seq, head_hash=head_hash,
                        problems=tuple(problems), receipt=receipt, content_checked=content)


def _check_receipt(walk: _Walk, receipt: Receipt, head_seq: int) -> None:
    issued = receipt.issued_at[:10]
    if receipt.seq > head_seq:
        walk.problems.append(Problem(receipt.seq, None, f"the receipt of {issued} names entry {receipt.seq}, but "
                                                        f"the chain ends at {head_seq}: entries were removed"))
    elif walk.receipt_hash is None:
        walk.problems.append(Problem(receipt.seq, None, f"entry {receipt.seq}, named by the receipt of {issued}, "
                                                        "is not in the chain"))
    elif walk.receipt_hash != receipt.head:
        walk.problems.append(Problem(receipt.seq, walk.receipt_record, f"chain rewritten: entry {receipt.seq} "
                                     f"hashes to {walk.receipt_hash[:16]}… but the receipt of {issued} says "
                                     f"{receipt.head[:16]}…"))
