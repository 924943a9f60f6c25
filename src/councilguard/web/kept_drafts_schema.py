"""Tables of migration 0008: drafts a person chose to keep, and the council's run-time settings.

Why it is shaped this way:
- ``web_kept_drafts`` holds a draft only because its author ticked "Keep this draft". Every row belongs
  to one account (``owner_id``) and is read only through ``KeptDrafts``, which always filters by owner.
  A draft may reveal political opinions (special-category data under UK GDPR Art. 9), so it lives no
  longer than the council's period: ``expires_at`` is set when it is kept, and the purge also deletes
  anything older than a period the council has since shortened. Nothing about a kept draft is copied
  into the audit log or anywhere else.
- ``web_council_settings`` holds the few settings the Clerk may change while the app runs (the first is
  how many days kept drafts last): one row per setting, the value as JSON, with who changed it last.
Both join the archive's declarative ``Base``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from councilguard.records.schema import Base, UtcDateTime

__all__ = ["CouncilSettingRow", "KeptDraftRow"]


class KeptDraftRow(Base):
    """One kept draft, as its author typed it into the check form."""

    __tablename__ = "web_kept_drafts"
    __table_args__ = (Index("ix_web_kept_drafts_owner", "owner_id", "id"),
                      Index("ix_web_kept_drafts_expires", "expires_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", name="fk_web_kept_drafts_owner",
                                                     ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(100))
    account: Mapped[str] = mapped_column(String(16))
    in_reply_to: Mapped[str] = mapped_column(Text)
    recipients: Mapped[str] = mapped_column(Text)  # the form's "To" field, as typed
    verdict: Mapped[str | None] = mapped_column(String(8), nullable=True)  # of the check it was kept from
    kept_at: Mapped[datetime] = mapped_column(UtcDateTime)  # first kept
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)  # last kept (the period runs from here)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CouncilSettingRow(Base):
    """One council setting changed from its default: the value as JSON, and who changed it when."""

    __tablename__ = "web_council_settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(320))
