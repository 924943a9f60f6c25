"""Which edition of the privacy notice each person last read, so a changed notice is shown again.

Accounts that had read the notice before editions existed read the first edition (2026-11-25).

Revision ID: 0010_privacy_edition
Revises: 0009_search_scale
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010_privacy_edition"
down_revision: Union[str, Sequence[str], None] = "0009_search_scale"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FIRST_EDITION = "2026-11-25"


def upgrade() -> None:
    op.add_column("web_users", sa.Column("privacy_edition", sa.String(20), nullable=True))
    op.execute(sa.text("UPDATE web_users SET privacy_edition = :first WHERE privacy_seen_at IS NOT NULL")
               .bindparams(first=FIRST_EDITION))


def downgrade() -> None:
    op.drop_column("web_users", "privacy_edition")
