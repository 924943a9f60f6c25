"""The web app's accounts and its anonymous daily count of checks per verdict.

Revision ID: 0003_web_users
Revises: 0002_requests
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_web_users"
down_revision: Union[str, Sequence[str], None] = "0002_requests"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("privacy_seen_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_web_users"),
        sa.UniqueConstraint("email", name="uq_web_users_email"),
    )
    op.create_table(
        "web_check_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "verdict", name="pk_web_check_counts"),
    )


def downgrade() -> None:
    op.drop_table("web_check_counts")
    op.drop_table("web_users")
