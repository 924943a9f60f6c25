"""Authorisations with their source, official-account designations and the official accounts' posting queue.

Revision ID: 0006_authorities
Revises: 0005_records_sender_dated
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006_authorities"
down_revision: Union[str, Sequence[str], None] = "0005_records_sender_dated"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "workflow_authorisations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("holder_name", sa.String(200), nullable=False),
        sa.Column("holder_email", sa.String(320), nullable=False),
        sa.Column("holder_role", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source_kind", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(64), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("consent_request_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.Column("recorded_by", sa.String(320), nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.Column("revoked_by", sa.String(320), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["holder_id"], ["web_users.id"], name="fk_workflow_authorisations_holder"),
        sa.ForeignKeyConstraint(["consent_request_id"], ["web_consent_requests.id"],
                                name="fk_workflow_authorisations_consent"),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_authorisations"),
    )
    op.create_index("ix_workflow_authorisations_holder", "workflow_authorisations", ["holder_id"])
    op.create_index("ix_workflow_authorisations_email", "workflow_authorisations", ["holder_email"])
    op.create_table(
        "workflow_official_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("handle", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), nullable=False),
        sa.Column("drafted_by_name", sa.String(200), nullable=False),
        sa.Column("drafted_by_email", sa.String(320), nullable=False),
        sa.Column("drafted_at", UTC, nullable=False),
        sa.Column("designation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submitted_verdict", sa.String(8), nullable=False),
        sa.Column("submitted_findings", sa.Text(), nullable=False),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("decided_by", sa.String(320), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("approved_verdict", sa.String(8), nullable=True),
        sa.Column("approved_findings", sa.Text(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["web_users.id"], name="fk_workflow_official_posts_drafter"),
        sa.ForeignKeyConstraint(["designation_id"], ["workflow_authorisations.id"],
                                name="fk_workflow_official_posts_designation"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_workflow_official_posts_record"),
        sa.PrimaryKeyConstraint("id", name="pk_workflow_official_posts"),
    )
    op.create_index("ix_workflow_official_posts_status", "workflow_official_posts", ["status", "id"])
    _carry_over_granted_consents()


def _carry_over_granted_consents() -> None:
    """Personal e-mail consents granted before this revision become authorisations, so the checker and
    the relay honour them from the register like every later grant (``ConsentRequests.grant`` adds one)."""
    bind = op.get_bind()
    consents = sa.table("web_consent_requests", sa.column("id"), sa.column("councillor_id"), sa.column("address"),
                        sa.column("status"), sa.column("decided_at", UTC), sa.column("decided_by"),
                        sa.column("expires_on", sa.Date()), sa.column("source"))
    users = sa.table("web_users", sa.column("id"), sa.column("name"), sa.column("email"), sa.column("role"))
    granted = bind.execute(sa.select(consents, users.c.name, users.c.email, users.c.role)
                           .join(users, users.c.id == consents.c.councillor_id)
                           .where(consents.c.status == "granted")).mappings().all()
    if not granted:
        return
    register = sa.table("workflow_authorisations", *(sa.column(n) for n in (
        "holder_id", "holder_name", "holder_email", "holder_role", "kind", "source_kind", "reference", "scope",
        "consent_request_id", "recorded_by")), sa.column("decided_on", sa.Date()), sa.column("expires_on", sa.Date()),
        sa.column("recorded_at", UTC))
    bind.execute(register.insert(), [{
        "holder_id": c["councillor_id"], "holder_name": c["name"], "holder_email": c["email"].lower(),
        "holder_role": c["role"], "kind": "personal-email", "source_kind": "proper-officer-consent",
        "reference": (c["source"] or "Proper Officer's consent")[:200],
        "scope": f"Council business from or to {c['address']}", "consent_request_id": c["id"],
        "recorded_by": c["decided_by"] or "migration 0006", "decided_on": c["decided_at"].date(),
        "expires_on": c["expires_on"], "recorded_at": c["decided_at"]} for c in granted])


def downgrade() -> None:
    op.drop_index("ix_workflow_official_posts_status", table_name="workflow_official_posts")
    op.drop_table("workflow_official_posts")
    op.drop_index("ix_workflow_authorisations_email", table_name="workflow_authorisations")
    op.drop_index("ix_workflow_authorisations_holder", table_name="workflow_authorisations")
    op.drop_table("workflow_authorisations")
