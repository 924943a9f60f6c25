"""PostgreSQL: find a quoted phrase among a million messages through an index of adjacent word pairs.

PostgreSQL's full-text index knows which messages hold each word, not where, so a phrase of common words
("members council") made it read and check the stored positions of every message holding all its words:
tens of thousands at a million messages, seconds per search. This indexes each message's adjacent pairs
of index words (lexemes, as stemmed for the ``tsv`` column), as 32-bit hashes: a phrase's pairs then find
its few candidate messages directly, which search still checks against ``tsv`` (so a hash collision can
cost a check, never a result). SQLite needs none of this: its FTS5 index keeps word positions.

The function is exact about which pairs exist (positions are joined, not assumed unique), costs a
millisecond or two per message on insert, and is IMMUTABLE, as an index expression must be.

Revision ID: 0009_search_scale
Revises: 0008_kept_drafts
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence, Union

from alembic import op

revision: str = "0009_search_scale"
down_revision: Union[str, Sequence[str], None] = "0008_kept_drafts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PHRASE_KEYS = """CREATE FUNCTION cg_phrase_keys(doc tsvector) RETURNS int4[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH at AS MATERIALIZED (SELECT u.lexeme, p FROM unnest(doc) u, unnest(u.positions) p)
    SELECT coalesce(array_agg(hashtext(a.lexeme || ' ' || b.lexeme)), '{}')
    FROM at a JOIN at b ON b.p = a.p + 1 $$"""
PHRASE_INDEX = "CREATE INDEX ix_record_text_phrase_keys ON record_text USING gin (cg_phrase_keys(tsv))"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PHRASE_KEYS)
    op.execute(PHRASE_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_record_text_phrase_keys")
    op.execute("DROP FUNCTION IF EXISTS cg_phrase_keys(tsvector)")
