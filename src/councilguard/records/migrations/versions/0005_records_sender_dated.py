"""Records by sender, newest first, from the index alone (search by sender on a million messages).

Revision ID: 0005_records_sender_dated
Revises: 0004_desk
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Sequence, Union

from alembic import op

revision: str = "0005_records_sender_dated"
down_revision: Union[str, Sequence[str], None] = "0004_desk"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_records_sender_dated", "records", ["sender_address", "dated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_records_sender_dated", table_name="records")
