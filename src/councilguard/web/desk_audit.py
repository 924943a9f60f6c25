"""The desk's audit log: every action the Proper Officer takes at the desk leaves a row.

Written in the same transaction as the change it describes, so the log cannot miss an action that
happened nor record one that was rolled back. Rows are only ever added.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.web.desk_schema import DeskAuditRow


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target_kind: str
    target_id: str
    detail: dict[str, Any]
    id: int = 0


def write(s: Session, *, actor: str, action: str, target_kind: str, target_id: object, **detail: Any) -> None:
    """Add one audit row in ``s`` (the caller's transaction)."""
    s.add(DeskAuditRow(at=datetime.now(timezone.utc), actor=actor, action=action, target_kind=target_kind,
                       target_id=str(target_id), detail=json.dumps(detail, sort_keys=True, default=str)))


class DeskAudit:
    def __init__(self, factory: sessionmaker[Session]):
        self._factory = factory

    def latest(self, limit: int = 20, *, before: int | None = None) -> list[AuditEntry]:
        """The newest ``limit`` entries (older than entry ``before``, when given), newest first."""
        with self._factory() as s:
            query = select(DeskAuditRow).order_by(DeskAuditRow.id.desc()).limit(limit)
            if before is not None:
                query = query.where(DeskAuditRow.id < before)
            return [AuditEntry(r.at, r.actor, r.action, r.target_kind, r.target_id, json.loads(r.detail or "{}"),
                               r.id) for r in s.scalars(query)]
