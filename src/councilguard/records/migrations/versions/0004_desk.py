"""The Proper Officer's desk: reported remarks, consent requests, acknowledgements, policy review, audit.

Revision ID: 0004_desk
Revises: 0003_web_users
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004_desk"
down_revision: Union[str, Sequence[str], None] = "0003_web_users"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_remark_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("link", sa.String(2000), nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("screenshot", sa.LargeBinary(), nullable=True),
        sa.Column("screenshot_type", sa.String(32), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("handled_at", UTC, nullable=True),
        sa.Column("handled_by", sa.String(320), nullable=True),
        sa.Column("handled_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["reporter_id"], ["web_users.id"], name="fk_web_remark_reports_reporter"),
        sa.PrimaryKeyConstraint("id", name="pk_web_remark_reports"),
    )
    op.create_table(
        "web_consent_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("councillor_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("period", sa.String(200), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("decided_by", sa.String(320), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(300), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["councillor_id"], ["web_users.id"], name="fk_web_consent_requests_councillor"),
        sa.PrimaryKeyConstraint("id", name="pk_web_consent_requests"),
    )
    op.create_table(
        "web_acknowledgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("acknowledged_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["web_users.id"], name="fk_web_acknowledgements_user"),
        sa.PrimaryKeyConstraint("id", name="pk_web_acknowledgements"),
        sa.UniqueConstraint("user_id", "pack_id", "version", name="uq_web_acknowledgements"),
    )
    op.create_table(
        "web_policy_review",
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("minute_ref", sa.String(200), nullable=True),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("updated_by", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("pack_id", name="pk_web_policy_review"),
    )
    op.create_table(
        "web_desk_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_kind", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_web_desk_audit"),
    )


def downgrade() -> None:
    for name in ("web_desk_audit", "web_policy_review", "web_acknowledgements", "web_consent_requests",
                 "web_remark_reports"):
        op.drop_table(name)
