"""The archive's tables, as SQLAlchemy 2 declarative models (the migrations create exactly these).

Why it is shaped this way:
- ``content`` holds each message's raw bytes once, zlib-compressed and keyed by their SHA-256, so a message
  relayed twice or imported again is stored once.
- ``records`` holds what a record *is* (sender, subject, dates, verdict), with ``recipients``, ``findings``
  and ``attachments`` beside it so search can filter by person and rule through indexes.
- ``record_text`` holds what a lawful deletion removes (body and attachment text, and so the search
  index); ``content`` rows go too. The record row and the chain stay: they hold hashes, not content.
- ``chain`` is append-only: every archiving, disposition change, deletion and hold is a new entry whose
  hash covers the previous entry's hash. Nothing in it is ever updated.
- The full-text index itself is dialect-specific and made in the migrations: an FTS5 table on SQLite; on
  PostgreSQL a ``tsvector`` column filled by a trigger (or, for the relay's messages, just after: see
  ``pg_index``), with GIN indexes.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone, so UTC is the rule)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"{value!r} has no time zone; the archive stores UTC times")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Content(Base):
    """A message's raw bytes, once, compressed. Deleted (the whole row) by a lawful deletion."""

    __tablename__ = "content"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    compression: Mapped[str] = mapped_column(String(8), default="zlib")
    data: Mapped[bytes] = mapped_column(LargeBinary)


class RecordRow(Base):
    """One message kept as an official record. Never updated after it is written."""

    __tablename__ = "records"
    __table_args__ = (Index("ix_records_sender_dated", "sender_address", "dated_at", "id"),)  # by sender, newest first
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    text_sha256: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    sender: Mapped[str] = mapped_column(Text)
    sender_address: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    dated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    override_justification: Mapped[str | None] = mapped_column(Text)

    recipients: Mapped[list[RecipientRow]] = relationship(order_by="[RecipientRow.kind, RecipientRow.position]",
                                                          cascade="all, delete-orphan")
    findings: Mapped[list[FindingRow]] = relationship(order_by="FindingRow.position", cascade="all, delete-orphan")
    attachments: Mapped[list[AttachmentRow]] = relationship(order_by="AttachmentRow.position",
                                                            cascade="all, delete-orphan")


class RecipientRow(Base):
    __tablename__ = "recipients"
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(3), primary_key=True)  # to | cc | bcc
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(320))
    display: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_recipients_address_record", "address", "record_id"),)


class FindingRow(Base):
    __tablename__ = "findings"
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    clause: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_findings_rule_record", "rule", "record_id"),)


class AttachmentRow(Base):
    """An attachment's description; its text lives in ``record_text`` (``text_chars`` long, or None)."""

    __tablename__ = "attachments"
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    text_chars: Mapped[int | None] = mapped_column(Integer)


class RecordText(Base):
    """The searchable text of a record. ``attachments`` is the attachments' texts joined by blank lines."""

    __tablename__ = "record_text"
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    people: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[str] = mapped_column(Text)


class ChainEntry(Base):
    """One link of the tamper-evident chain. Append-only."""

    __tablename__ = "chain"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    disposition: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (Index("ix_chain_record_seq", "record_id", "seq"),)


class Tombstone(Base):
    """What remains of a lawfully deleted record's content: its hash, when, why, under which rule, by whom."""

    __tablename__ = "tombstones"
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(ForeignKey("chain.seq"))


class HoldRow(Base):
    """A legal hold: by record ids (``hold_records``), by search criteria (JSON), or both."""

    __tablename__ = "holds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    released_by: Mapped[str | None] = mapped_column(String(200))
    release_reason: Mapped[str | None] = mapped_column(Text)
    criteria: Mapped[str | None] = mapped_column(Text)

    records: Mapped[list[HoldRecord]] = relationship(order_by="HoldRecord.record_id", cascade="all, delete-orphan")


class HoldRecord(Base):
    __tablename__ = "hold_records"
    hold_id: Mapped[int] = mapped_column(ForeignKey("holds.id"), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    __table_args__ = (Index("ix_hold_records_record", "record_id"),)
