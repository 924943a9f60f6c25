"""The records archive: content, records, chain, tombstones, holds and the full-text index.

Revision ID: 0001_archive
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001_archive"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = sa.DateTime(timezone=True)
FTS_COLUMNS = "people, subject, body, attachments"

SQLITE_FTS = [
    # An external-content FTS5 table: the text lives once, in record_text; the index follows it by triggers.
    f"""CREATE VIRTUAL TABLE record_fts USING fts5({FTS_COLUMNS}, content='record_text',
        content_rowid='record_id', tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER record_text_ai AFTER INSERT ON record_text BEGIN
        INSERT INTO record_fts(rowid, {FTS_COLUMNS})
        VALUES (new.record_id, new.people, new.subject, new.body, new.attachments); END""",
    f"""CREATE TRIGGER record_text_ad AFTER DELETE ON record_text BEGIN
        INSERT INTO record_fts(record_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.record_id, old.people, old.subject, old.body, old.attachments); END""",
    f"""CREATE TRIGGER record_text_au AFTER UPDATE ON record_text BEGIN
        INSERT INTO record_fts(record_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.record_id, old.people, old.subject, old.body, old.attachments);
        INSERT INTO record_fts(rowid, {FTS_COLUMNS})
        VALUES (new.record_id, new.people, new.subject, new.body, new.attachments); END""",
]

# Subject weighs most, then the people, then the body, then attachments. Very long texts are cut for the
# index (a tsvector holds at most 1 MB); the stored text is never cut.
PG_TSV = """ALTER TABLE record_text ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(subject, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(people, '')), 'B') ||
    setweight(to_tsvector('english', left(coalesce(body, ''), 200000)), 'C') ||
    setweight(to_tsvector('english', left(coalesce(attachments, ''), 200000)), 'D')) STORED"""
PG_GIN = "CREATE INDEX ix_record_text_tsv ON record_text USING gin (tsv)"


def upgrade() -> None:
    op.create_table(
        "content",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("compression", sa.String(8), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_content"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(998), nullable=True),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("sender_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("received_at", UTC, nullable=False),
        sa.Column("dated_at", UTC, nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("override_justification", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.UniqueConstraint("content_sha256", name="uq_records_content_sha256"),
    )
    op.create_index("ix_records_message_id", "records", ["message_id"])
    op.create_index("ix_records_sender_address", "records", ["sender_address"])
    op.create_index("ix_records_dated_at", "records", ["dated_at"])
    op.create_table(
        "recipients",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("display", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_recipients_record_id_records"),
        sa.PrimaryKeyConstraint("record_id", "kind", "position", name="pk_recipients"),
    )
    op.create_index("ix_recipients_address_record", "recipients", ["address", "record_id"])
    op.create_table(
        "findings",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("clause", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_findings_record_id_records"),
        sa.PrimaryKeyConstraint("record_id", "position", name="pk_findings"),
    )
    op.create_index("ix_findings_rule_record", "findings", ["rule", "record_id"])
    op.create_table(
        "attachments",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text_chars", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_attachments_record_id_records"),
        sa.PrimaryKeyConstraint("record_id", "position", name="pk_attachments"),
    )
    op.create_table(
        "record_text",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attachments", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_record_text_record_id_records"),
        sa.PrimaryKeyConstraint("record_id", name="pk_record_text"),
    )
    op.create_table(
        "chain",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("disposition", sa.String(16), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_chain_record_id_records"),
        sa.PrimaryKeyConstraint("seq", name="pk_chain"),
    )
    op.create_index("ix_chain_record_seq", "chain", ["record_id", "seq"])
    op.create_table(
        "tombstones",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("deleted_at", UTC, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_tombstones_record_id_records"),
        sa.ForeignKeyConstraint(["seq"], ["chain.seq"], name="fk_tombstones_seq_chain"),
        sa.PrimaryKeyConstraint("record_id", name="pk_tombstones"),
    )
    op.create_table(
        "holds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("released_at", UTC, nullable=True),
        sa.Column("released_by", sa.String(200), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.Column("criteria", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_holds"),
        sa.UniqueConstraint("name", name="uq_holds_name"),
    )
    op.create_table(
        "hold_records",
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hold_id"], ["holds.id"], name="fk_hold_records_hold_id_holds"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_hold_records_record_id_records"),
        sa.PrimaryKeyConstraint("hold_id", "record_id", name="pk_hold_records"),
    )
    op.create_index("ix_hold_records_record", "hold_records", ["record_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(PG_TSV)
        op.execute(PG_GIN)
    else:  # pragma: no cover - guarded so a third database fails loudly, not silently unsearchable
        raise NotImplementedError(f"the archive supports SQLite and PostgreSQL, not {dialect}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("record_text_ai", "record_text_ad", "record_text_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS record_fts")
    for table in ("hold_records", "holds", "tombstones", "chain", "record_text", "attachments", "findings",
                  "recipients", "records", "content"):
        op.drop_table(table)
