"""PostgreSQL: the relay's messages may enter the full-text index just after their 250, not before.

Working out a message's ``tsvector`` and its phrase keys, and adding them to two GIN indexes, was the
largest part of the relay's write (~1 ms of a plain e-mail's, ~2 ms with a PDF's text). ``tsv`` stops
being a generated column and is filled by a trigger with the same expression (``cg_record_tsv``), at once,
unless the transaction has set ``councilguard.index_later`` (only the relay's write does): its row then
waits with ``tsv`` NULL, found through a small partial index, until ``pg_index.catch_up`` fills it, in
the relay's background or before any full-text search, whichever comes first. So no search ever misses a
record; see ``records/pg_index.py``.

Rows already kept keep their values (``DROP EXPRESSION`` leaves them in place).

Revision ID: 0013_pg_index_later
Revises: 0012_pg_toast
Create Date: 2026-11-27
"""

from __future__ import annotations

from typing import Sequence, Union

from alembic import op

revision: str = "0013_pg_index_later"
down_revision: Union[str, Sequence[str], None] = "0012_pg_toast"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The expression of 0001's generated column, unchanged: subject weighs most, then the people, the body,
# the attachments; very long texts are cut for the index (a tsvector holds at most 1 MB).
RECORD_TSV = """CREATE OR REPLACE FUNCTION cg_record_tsv(people text, subject text, body text, attachments text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english', coalesce(subject, '')), 'A') ||
           setweight(to_tsvector('english', coalesce(people, '')), 'B') ||
           setweight(to_tsvector('english', left(coalesce(body, ''), 200000)), 'C') ||
           setweight(to_tsvector('english', left(coalesce(attachments, ''), 200000)), 'D') $$"""
TRIGGER_FUNCTION = """CREATE OR REPLACE FUNCTION cg_record_text_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' AND coalesce(current_setting('councilguard.index_later', true), '') = 'on' THEN
            NEW.tsv := NULL;
        ELSE
            NEW.tsv := cg_record_tsv(NEW.people, NEW.subject, NEW.body, NEW.attachments);
        END IF;
        RETURN NEW;
    END $$"""
TRIGGER = """CREATE TRIGGER record_text_tsv BEFORE INSERT OR UPDATE OF people, subject, body, attachments
    ON record_text FOR EACH ROW EXECUTE FUNCTION cg_record_text_tsv()"""
PENDING = "CREATE INDEX ix_record_text_unindexed ON record_text (record_id) WHERE tsv IS NULL"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE record_text ALTER COLUMN tsv DROP EXPRESSION")
    op.execute(RECORD_TSV)
    op.execute(TRIGGER_FUNCTION)
    op.execute(TRIGGER)
    op.execute(PENDING)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("UPDATE record_text SET tsv = cg_record_tsv(people, subject, body, attachments) WHERE tsv IS NULL")
    op.execute("DROP INDEX IF EXISTS ix_record_text_unindexed")
    op.execute("DROP TRIGGER IF EXISTS record_text_tsv ON record_text")
    op.execute("DROP FUNCTION IF EXISTS cg_record_text_tsv()")
    # a column cannot become generated again in place: it is made anew (and the indexes on it with it)
    op.execute("DROP INDEX IF EXISTS ix_record_text_phrase_keys")
    op.execute("DROP INDEX IF EXISTS ix_record_text_tsv")
    op.execute("ALTER TABLE record_text DROP COLUMN tsv")
    op.execute("ALTER TABLE record_text ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
               "(cg_record_tsv(people, subject, body, attachments)) STORED")
    op.execute("CREATE INDEX ix_record_text_tsv ON record_text USING gin (tsv)")
    op.execute("CREATE INDEX ix_record_text_phrase_keys ON record_text USING gin (cg_phrase_keys(tsv))")
