"""Legal holds: records that must not be deleted while a request, complaint or claim is live.

Under FOIA s77 it is an offence to destroy information once it has been requested, and a complaint or a
claim freezes what bears on it. A hold names records outright (by id), or describes them (search criteria:
words, people, dates, a rule); a hold by criteria covers every matching record, including ones archived
after it was placed, for as long as it is active, because it is evaluated when a deletion is considered,
not when the hold is placed. Placing and releasing a hold are chain entries, so its history is tamper-evident.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from councilguard.records import chain
from councilguard.records.archive_errors import HoldError
from councilguard.records.schema import HoldRecord, HoldRow, RecordRow
from councilguard.records.search import SearchCriteria, matching_ids, parse_query


@dataclass(frozen=True)
class Hold:
    id: int
    name: str
    reason: str
    created_at: datetime
    created_by: str
    record_ids: tuple[int, ...]
    criteria: SearchCriteria | None
    released_at: datetime | None = None
    released_by: str | None = None
    release_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.released_at is None

    def describe(self) -> str:
        scope = []
        if self.record_ids:
            scope.append("records " + ", ".join(str(i) for i in self.record_ids))
        if self.criteria is not None:
            scope.append(f"matching {self.criteria.describe()}")
        return "; ".join(scope)


def _hold(row: HoldRow) -> Hold:
    criteria = SearchCriteria.from_dict(json.loads(row.criteria)) if row.criteria else None
    return Hold(id=row.id, name=row.name, reason=row.reason, created_at=row.created_at, created_by=row.created_by,
                record_ids=tuple(r.record_id for r in row.records), criteria=criteria, released_at=row.released_at,
                released_by=row.released_by, release_reason=row.release_reason)


def _required(what: str, value: str) -> str:
    if not (value or "").strip():
        raise HoldError(f"a hold needs {what}")
    return value.strip()


def place(session: Session, name: str, *, reason: str, actor: str, records: Iterable[int] = (),
          criteria: SearchCriteria | None = None) -> Hold:
    """Place a hold on ``records`` and/or everything matching ``criteria``. Needs a write session."""
    name, reason, actor = _required("a name", name), _required("a reason", reason), _required("who placed it", actor)
    ids = sorted(set(records))
    if criteria is not None and criteria.is_empty:
        raise HoldError(f"hold {name!r}: empty search criteria would hold every record; name what to hold")
    if not ids and criteria is None:
        raise HoldError(f"hold {name!r}: say what it holds: record ids, search criteria, or both")
    if criteria is not None:
        parse_query(criteria.query)  # a bad query is refused now, not at deletion time
    chain.lock(session)
    existing = session.scalar(select(HoldRow).where(HoldRow.name == name))
    if existing is not None:
        state = "released" if existing.released_at else "active"
        raise HoldError(f"a hold named {name!r} already exists ({state}, placed {existing.created_at:%Y-%m-%d}); "
                        "choose another name")
    found = set(session.scalars(select(RecordRow.id).where(RecordRow.id.in_(ids)))) if ids else set()
    missing = [i for i in ids if i not in found]
    if missing:
        raise HoldError(f"hold {name!r}: no record {', '.join(map(str, missing))} in the archive")
    row = HoldRow(name=name, reason=reason, created_at=chain.now(), created_by=actor,
                  criteria=None if criteria is None else chain.canonical(criteria.to_dict()),
                  records=[HoldRecord(record_id=i) for i in ids])
    session.add(row)
    session.flush()
    chain.append(session, "hold-placed", detail={"hold": name, "reason": reason, "actor": actor, "records": ids,
                                                 "criteria": None if criteria is None else criteria.to_dict()})
    return _hold(row)


def release(session: Session, name: str, *, actor: str, reason: str) -> Hold:
    """Release an active hold. Its records become deletable again (if no other hold covers them)."""
    actor, reason = _required("who released it", actor), _required("a reason for the release", reason)
    chain.lock(session)
    row = session.scalar(select(HoldRow).where(HoldRow.name == name).options(selectinload(HoldRow.records)))
    if row is None:
        known = ", ".join(repr(h.name) for h in list_holds(session)) or "none"
        raise HoldError(f"no hold named {name!r}; active holds: {known}")
    if row.released_at is not None:
        raise HoldError(f"hold {name!r} was already released on {row.released_at:%Y-%m-%d} by {row.released_by}")
    row.released_at, row.released_by, row.release_reason = chain.now(), actor, reason
    chain.append(session, "hold-released", detail={"hold": name, "reason": reason, "actor": actor})
    session.flush()
    return _hold(row)


def list_holds(session: Session, *, include_released: bool = False) -> list[Hold]:
    stmt = select(HoldRow).options(selectinload(HoldRow.records)).order_by(HoldRow.created_at, HoldRow.id)
    if not include_released:
        stmt = stmt.where(HoldRow.released_at.is_(None))
    return [_hold(row) for row in session.scalars(stmt)]


def covering(session: Session, record_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each of ``record_ids`` under at least one active hold, the names of those holds."""
    ids = sorted(set(record_ids))
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    for hold in list_holds(session):
        held = set(hold.record_ids).intersection(ids)
        if hold.criteria is not None:
            held |= matching_ids(session, hold.criteria, ids)
        for record_id in held:
            out.setdefault(record_id, []).append(hold.name)
    return out
