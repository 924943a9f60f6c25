"""Mail the relay holds for the Clerk, as the records archive knows it (read-only).

The web app may not reach into the relay's spool (the gateway sits beside it, not below), but every
held message is archived and its disposition is on the archive's hash chain: a record is held while
its latest disposition is "held". Releasing or discarding is done at the relay (``councilguard held``),
which records a new disposition, so the message leaves this list.
"""

from __future__ import annotations

from councilguard.records.archive import Archive, Record


def held_records(archive: Archive, *, limit: int = 50) -> tuple[int, list[Record]]:
    """How many records' latest disposition is "held", and the oldest ``limit`` of them."""
    return archive.with_disposition("held", limit=limit)
