"""The only thing a check leaves behind: one more in today's count for its verdict.

Drafts belong to their author, so the web app never stores a draft's text, its author or even the time
of the check; the Clerk can still see how much the tool is used and how often it stops something.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from councilguard.records.db import write_session
from councilguard.web.accounts_schema import CheckCountRow


class CheckCounts:
    def __init__(self, factory: sessionmaker[Session]):
        self._factory = factory

    def add(self, verdict: str, day: date | None = None) -> None:
        day = day or date.today()
        with write_session(self._factory) as s:  # takes the write lock first: no lost increments
            done = s.execute(update(CheckCountRow)
                             .where(CheckCountRow.day == day, CheckCountRow.verdict == verdict)
                             .values(count=CheckCountRow.count + 1))
            if not done.rowcount:
                s.add(CheckCountRow(day=day, verdict=verdict, count=1))

    def on(self, day: date) -> dict[str, int]:
        with self._factory() as s:
            rows = s.scalars(select(CheckCountRow).where(CheckCountRow.day == day))
            return {r.verdict: r.count for r in rows}
