"""Drafts a councillor chose to keep (private to them, deleted after the council's period), and what the
Clerk manages at run time: accounts that can be switched off or linked to a roster member, the council's
settings, and the retention schedule as the council has changed it.

Revision ID: 0008_kept_drafts
Revises: 0007_incidents
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008_kept_drafts"
down_revision: Union[str, Sequence[str], None] = "0007_incidents"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    # plain ADD COLUMN, not a batch copy: rebuilding web_users on SQLite would drop a table that rows of
    # other tables point at, and fail as soon as anyone has acknowledged the policy
    op.add_column("web_users", sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("web_users", sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))
    op.add_column("web_users", sa.Column("roster_member", sa.String(200), nullable=True))
    op.create_table(
        "web_kept_drafts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("account", sa.String(16), nullable=False),
        sa.Column("in_reply_to", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=True),
        sa.Column("kept_at", UTC, nullable=False),
        sa.Column("saved_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["web_users.id"], name="fk_web_kept_drafts_owner", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_web_kept_drafts"),
    )
    op.create_index("ix_web_kept_drafts_owner", "web_kept_drafts", ["owner_id", "id"])
    op.create_index("ix_web_kept_drafts_expires", "web_kept_drafts", ["expires_at"])
    op.create_table(
        "web_council_settings",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("updated_by", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_web_council_settings"),
    )
    op.create_table(
        "retention_schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("saved_at", UTC, nullable=False),
        sa.Column("saved_by", sa.String(320), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_retention_schedules"),
    )


def downgrade() -> None:
    op.drop_table("retention_schedules")
    op.drop_table("web_council_settings")
    op.drop_index("ix_web_kept_drafts_expires", table_name="web_kept_drafts")
    op.drop_index("ix_web_kept_drafts_owner", table_name="web_kept_drafts")
    op.drop_table("web_kept_drafts")
    for column in ("roster_member", "session_version", "active"):  # ALTER TABLE DROP COLUMN (SQLite >= 3.35)
        op.drop_column("web_users", column)
