"""How a workflow service writes to the desk's audit log without knowing where the log lives.

The log's table belongs to the web app (``web_desk_audit``), which sits above the workflow layer, so a
service is handed the writer when it is built. It is called inside the service's own transaction, so the
log cannot miss an action that happened nor record one that was rolled back.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session


class AuditWriter(Protocol):
    def __call__(self, s: Session, *, actor: str, action: str, target_kind: str, target_id: object,
                 **detail: Any) -> None: ...
