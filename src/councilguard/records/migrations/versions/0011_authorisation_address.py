"""The personal address a consent to use personal e-mail was given for, so it covers that account only.

A consent the Proper Officer granted on a councillor's request names one address; the register now
keeps it, and the checker and the relay honour the consent for that address ("personal-email:<address>").
Consents granted before this revision get the address their request named.

Revision ID: 0011_authorisation_address
Revises: 0010_privacy_edition
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011_authorisation_address"
down_revision: Union[str, Sequence[str], None] = "0010_privacy_edition"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("workflow_authorisations", sa.Column("address", sa.String(320), nullable=True))
    op.execute(sa.text(
        "UPDATE workflow_authorisations SET address = (SELECT lower(trim(r.address)) FROM web_consent_requests r "
        "WHERE r.id = workflow_authorisations.consent_request_id) "
        "WHERE kind = 'personal-email' AND consent_request_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_column("workflow_authorisations", "address")
