"""The Clerk's side of held mail: see what is held and why, release it to be sent, or discard it.

Held messages live in the spool's ``held/`` folder (with the envelope, so a release sends them exactly
where the sender meant) and are archived like every other message. A release first records a
``released`` event on the archived record, naming who released it (disposition: relayed), then queues
the message; the running relay's delivery worker sends it, or the next relay to start does. A discard
records who discarded it and why, and removes it from the spool; the archived copy stays.

A held message is named by its archive record number (what the notice to the sender quotes), or by its
spool id when one record was held twice (the same bytes sent again).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from councilguard.gateway.errors import HeldNotFoundError, RelayError
from councilguard.gateway.spool import HELD, QUEUE, Spool, SpoolEntry
from councilguard.records.archive import Archive


def held(spool: Spool) -> list[SpoolEntry]:
    """Every held message, oldest first."""
    return [e for e in spool.entries(HELD) if e.kind == "message"]


def find(spool: Spool, ident: str) -> list[SpoolEntry]:
    """The held entries ``ident`` names: a record number, or a spool id. Raises HeldNotFoundError."""
    ident = ident.strip()
    entries = held(spool)
    if ident.isdigit():
        found = [e for e in entries if e.record_id == int(ident)]
    else:
        found = [e for e in entries if e.id == ident]
    if not found:
        known = [str(e.record_id) if e.record_id is not None else e.id for e in entries]
        raise HeldNotFoundError(ident, list(dict.fromkeys(known)))
    return found


def _actor(by: str) -> str:
    if not (by or "").strip():
        raise RelayError("say who is doing this (--by NAME): the archive records who released or discarded "
                         "each held message")
    return by.strip()


def release(spool: Spool, archive: Archive, ident: str, *, by: str, reason: str | None = None) -> list[SpoolEntry]:
    """Release held message(s) ``ident`` for delivery; returns the entries queued."""
    actor = _actor(by)
    released = []
    for entry in find(spool, ident):
        if entry.record_id is not None:
            archive.record_event(entry.record_id, "released", actor=actor, disposition="relayed", reason=reason,
                                 detail={"spool": entry.id})
        _, data = spool.read(entry.id, HELD)
        queued = replace(entry, extra={**entry.extra, "released_at": datetime.now(timezone.utc).isoformat(),
                                       "released_by": actor})
        spool.put(queued, data, folder=QUEUE)
        spool.remove(entry.id, HELD)
        released.append(queued)
    return released


def discard(spool: Spool, archive: Archive, ident: str, *, by: str, reason: str) -> list[SpoolEntry]:
    """Discard held message(s) ``ident``: never sent; the archived record keeps the message and the reason."""
    actor = _actor(by)
    if not (reason or "").strip():
        raise RelayError("give the reason for discarding (--reason): it is kept with the record")
    found = find(spool, ident)
    for entry in found:
        if entry.record_id is not None:
            archive.record_event(entry.record_id, "discarded", actor=actor, reason=reason.strip(),
                                 detail={"spool": entry.id})
        spool.remove(entry.id, HELD)
    return found
