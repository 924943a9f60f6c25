"""Information requests: the requests, their clock events, searches, collected records, redactions, log.

Revision ID: 0002_requests
Revises: 0001_archive
Create Date: 2025-02-01
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_requests"
down_revision: Union[str, Sequence[str], None] = "0001_archive"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = sa.DateTime(timezone=True)


def _request_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["request_id"], ["info_requests.id"], name=f"fk_{table}_request_id_info_requests")


def _record_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["record_id"], ["records.id"], name=f"fk_{table}_record_id_records")


def upgrade() -> None:
    op.create_table(
        "info_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(3), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("requester_name", sa.Text(), nullable=False),
        sa.Column("requester_email", sa.String(320), nullable=True),
        sa.Column("requester_address", sa.Text(), nullable=True),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("data_subject", sa.Text(), nullable=True),
        sa.Column("nation", sa.String(16), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("closed_by", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("review_until", sa.Date(), nullable=True),
        sa.Column("holds_released_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_info_requests"),
        sa.UniqueConstraint("reference", name="uq_info_requests_reference"),
    )
    op.create_index("ix_info_requests_received_on", "info_requests", ["received_on"])
    op.create_table(
        "request_clock_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("grounds", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("new_due", sa.Date(), nullable=True),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        _request_fk("request_clock_events"),
        sa.PrimaryKeyConstraint("id", name="pk_request_clock_events"),
    )
    op.create_index("ix_request_clock_events_request", "request_clock_events", ["request_id", "id"])
    op.create_table(
        "request_searches",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("hold_name", sa.String(200), nullable=False),
        sa.Column("added_at", UTC, nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        _request_fk("request_searches"),
        sa.PrimaryKeyConstraint("request_id", "position", name="pk_request_searches"),
    )
    op.create_table(
        "request_records",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("found_by", sa.String(64), nullable=False),
        sa.Column("found_at", UTC, nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("withheld", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewed_at", UTC, nullable=True),
        sa.Column("reviewed_by", sa.String(200), nullable=True),
        _request_fk("request_records"),
        _record_fk("request_records"),
        sa.PrimaryKeyConstraint("request_id", "record_id", name="pk_request_records"),
    )
    op.create_index("ix_request_records_record", "request_records", ["record_id"])
    op.create_table(
        "request_redactions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("proposed", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ground", sa.String(80), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(8), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _request_fk("request_redactions"),
        _record_fk("request_redactions"),
        sa.PrimaryKeyConstraint("id", name="pk_request_redactions"),
    )
    op.create_index("ix_request_redactions_request_record", "request_redactions", ["request_id", "record_id"])
    op.create_table(
        "request_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _request_fk("request_events"),
        sa.PrimaryKeyConstraint("id", name="pk_request_events"),
    )
    op.create_index("ix_request_events_request", "request_events", ["request_id", "id"])


def downgrade() -> None:
    for table in ("request_events", "request_redactions", "request_records", "request_searches",
                  "request_clock_events", "info_requests"):
        op.drop_table(table)
