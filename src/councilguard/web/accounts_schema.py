"""Tables of the web app: its user accounts and the anonymous count of checks.

Why it is shaped this way:
- ``web_users`` holds an account: e-mail (unique, stored lower case), name, role, the argon2 hash of the
  password (never the password) and when the person first saw the privacy notice; whether it may sign in
  (``active``; switching it off also bumps ``session_version``, which ends every session it had) and the
  roster member it speaks as, when the Clerk has linked one (migration ``0008_kept_drafts``).
- ``web_check_counts`` is the only trace a check leaves: how many checks ended in each verdict on each
  day. No text, no author, no time of day: drafts belong to their author (ARCHITECTURE principle 6).
Both join the archive's declarative ``Base`` and are created by migration ``0003_web_users``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from councilguard.records.schema import Base, UtcDateTime

__all__ = ["CheckCountRow", "WebUserRow"]


class WebUserRow(Base):
    """One person who can sign in to the web app."""

    __tablename__ = "web_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))  # councillor | proper-officer | staff | administrator
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    privacy_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    privacy_edition: Mapped[str | None] = mapped_column(String(20), nullable=True)  # the notice's edition last read
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    roster_member: Mapped[str | None] = mapped_column(String(200), nullable=True)  # a name in council.yaml


class CheckCountRow(Base):
    """How many checks on ``day`` ended in ``verdict``: the anonymous statistic, nothing else."""

    __tablename__ = "web_check_counts"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    verdict: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
