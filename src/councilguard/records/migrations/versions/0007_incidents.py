"""The incident register, Monitoring Officer referrals, sanction outcomes and policy versions.

Revision ID: 0007_incidents
Revises: 0006_authorities
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007_incidents"
down_revision: Union[str, Sequence[str], None] = "0006_authorities"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = sa.DateTime(timezone=True)


SOURCES = "source_kind IN ('published', 'remark-report', 'held-email')"  # never a private draft
STATUSES = "status IN ('open', 'referred', 'outcome-recorded', 'closed')"
EVIDENCE = "kind IN ('screenshot', 'link', 'text', 'email')"


def upgrade() -> None:
    op.create_table(
        "workflow_incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source_ref", sa.String(100), nullable=True),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(2000), nullable=True),
        sa.Column("platform", sa.String(100), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("councillor", sa.String(200), nullable=True),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opened_at", UTC, nullable=False),
        sa.Column("opened_by", sa.String(320), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("referred_by", sa.String(320), nullable=True),
        sa.Column("referral_ref", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(64), nullable=True),
        sa.Column("outcome_label", sa.Text(), nullable=True),
        sa.Column("outcome_decided_by", sa.Text(), nullable=True),
        sa.Column("outcome_legal_basis", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_ref", sa.String(200), nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("closed_by", sa.String(320), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint(SOURCES, name="ck_workflow_incidents_source"),
        sa.CheckConstraint(STATUSES, name="ck_workflow_incidents_status"),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_incidents"),
    )
    op.create_index("ix_workflow_incidents_status", "workflow_incidents", ["status"])
    op.create_table(
        "workflow_incident_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("link", sa.String(2000), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("media_type", sa.String(32), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("captured_on", sa.Date(), nullable=True),
        sa.Column("added_at", UTC, nullable=False),
        sa.Column("added_by", sa.String(320), nullable=False),
        sa.CheckConstraint(EVIDENCE, name="ck_workflow_incident_evidence_kind"),
        sa.ForeignKeyConstraint(["incident_id"], ["workflow_incidents.id"],
                                name="fk_workflow_incident_evidence_incident"),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_incident_evidence"),
    )
    op.create_index("ix_workflow_incident_evidence_incident", "workflow_incident_evidence", ["incident_id"])
    op.create_table(
        "workflow_incident_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["workflow_incidents.id"],
                                name="fk_workflow_incident_events_incident"),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_incident_events"),
    )
    op.create_index("ix_workflow_incident_events_incident", "workflow_incident_events", ["incident_id", "id"])
    op.create_table(
        "workflow_policy_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("minute_ref", sa.String(200), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.Column("recorded_by", sa.String(320), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("updated_by", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_policy_versions"),
        sa.UniqueConstraint("pack_id", "version", name="uq_workflow_policy_versions"),
    )
    op.create_table(
        "workflow_attestations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("link", sa.String(2000), nullable=False),
        sa.Column("attested_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.Column("recorded_by", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_attestations"),
    )
    op.create_index("ix_workflow_attestations_topic", "workflow_attestations", ["pack_id", "topic", "id"])


def downgrade() -> None:
    op.drop_index("ix_workflow_attestations_topic", table_name="workflow_attestations")
    op.drop_table("workflow_attestations")
    op.drop_table("workflow_policy_versions")
    op.drop_index("ix_workflow_incident_events_incident", table_name="workflow_incident_events")
    op.drop_table("workflow_incident_events")
    op.drop_index("ix_workflow_incident_evidence_incident", table_name="workflow_incident_evidence")
    op.drop_table("workflow_incident_evidence")
    op.drop_index("ix_workflow_incidents_status", table_name="workflow_incidents")
    op.drop_table("workflow_incidents")
