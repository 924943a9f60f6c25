"""PostgreSQL: store message content as it comes, and compress the text columns with lz4.

``content.data`` is a zlib stream already (see ``archive_write.compress``). PostgreSQL compressed it a
second time on the way into its TOAST storage, with pglz, which for a message carrying a photograph's
base64 ran over the whole 280 KB to save next to nothing: 4.7 ms of a relayed message's 11.6 ms
(p50 over 200 such messages, this machine). EXTERNAL storage keeps it out of line, uncompressed.
The full-text columns (``record_text``'s texts and its ``tsvector``) are compressed with lz4 instead of
pglz where the server was built with it: ~0.15 ms less per message.

Both settings apply to rows written from now on; rows already kept read the same either way.

Revision ID: 0012_pg_toast
Revises: 0011_authorisation_address
Create Date: 2026-11-27
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0012_pg_toast"
down_revision: Union[str, Sequence[str], None] = "0011_authorisation_address"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TEXT_COLUMNS = ("people", "subject", "body", "attachments", "tsv")


def _has_lz4() -> bool:
    return bool(op.get_bind().scalar(sa.text(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE content ALTER COLUMN data SET STORAGE EXTERNAL")
    if _has_lz4():
        for column in TEXT_COLUMNS:
            op.execute(f"ALTER TABLE record_text ALTER COLUMN {column} SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE content ALTER COLUMN data SET STORAGE EXTENDED")
    for column in TEXT_COLUMNS:
        op.execute(f"ALTER TABLE record_text ALTER COLUMN {column} SET COMPRESSION pglz")
