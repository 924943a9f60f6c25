"""Held mail as the Clerk handles it: list, release (recorded, then queued), discard (recorded, then removed)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from councilguard.gateway import quarantine
from councilguard.gateway.errors import HeldNotFoundError, RelayError
from councilguard.gateway.spool import HELD, QUEUE, Envelope, Spool, SpoolEntry, new_id
from councilguard.records.archive import Archive, ArchiveItem

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def setup(tmp_path):
    archive = Archive.open(str(tmp_path / "a.db"))
    spool = Spool(tmp_path / "spool")
    ids = []
    for n in range(2):
        raw = f"From: cllr.lowe@croxleygreen-pc.gov.uk\r\nSubject: held {n}\r\n\r\nbody {n}\r\n".encode()
        record = archive.add(ArchiveItem(raw=raw, sender="cllr.lowe@croxleygreen-pc.gov.uk", received_at=NOW,
                                         subject=f"held {n}", verdict="warn", disposition="held"))
        entry = SpoolEntry(id=new_id(), envelope=Envelope("cllr.lowe@croxleygreen-pc.gov.uk", ("x@gmail.com",)),
                           received_at=NOW, record_id=record.id, subject=f"held {n}", reasons=("r: why",))
        spool.put(entry, raw, folder=HELD)
        ids.append((record.id, entry.id))
    spool.put(SpoolEntry(id=new_id(), envelope=Envelope("", ("a@b.example",)), received_at=NOW, kind="notice"),
              b"notice", folder=QUEUE)
    yield spool, archive, ids
    archive.close()


def test_held_lists_messages_oldest_first(setup):
    spool, _, ids = setup
    assert [(e.record_id, e.subject) for e in quarantine.held(spool)] == [(ids[0][0], "held 0"), (ids[1][0], "held 1")]


@pytest.mark.parametrize("by_spool_id", [False, True])
def test_release_records_who_then_queues_the_message(setup, by_spool_id):
    spool, archive, ids = setup
    record_id, spool_id = ids[1]
    done = quarantine.release(spool, archive, spool_id if by_spool_id else str(record_id), by=" Helen Marsh ",
                              reason="consent given")
    assert [e.id for e in done] == [spool_id]
    assert spool.ids(HELD) == [ids[0][1]] and spool_id in spool.ids(QUEUE)
    queued, data = spool.read(spool_id, QUEUE)
    assert data.endswith(b"body 1\r\n") and queued.extra["released_by"] == "Helen Marsh"
    event = archive.events(record_id)[-1]
    assert (event.kind, event.disposition, event.detail["actor"], event.detail["reason"], event.detail["spool"]) == (
        "released", "relayed", "Helen Marsh", "consent given", spool_id)
    assert archive.get(record_id).disposition == "relayed"


def test_discard_records_why_and_keeps_the_archived_copy(setup):
    spool, archive, ids = setup
    record_id, _ = ids[0]
    quarantine.discard(spool, archive, str(record_id), by="Helen Marsh", reason="sent again without the data")
    assert [e.record_id for e in quarantine.held(spool)] == [ids[1][0]]
    event = archive.events(record_id)[-1]
    assert (event.kind, event.detail["reason"]) == ("discarded", "sent again without the data")
    assert archive.raw(record_id).endswith(b"body 0\r\n")


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda s, a: quarantine.release(s, a, "999", by="Helen"), HeldNotFoundError,
     r"no held message '999'; held messages are: \d+, \d+"),
    (lambda s, a: quarantine.release(s, a, "1", by="  "), RelayError, "say who is doing this"),
    (lambda s, a: quarantine.discard(s, a, "1", by="Helen", reason=""), RelayError, "give the reason"),
])
def test_mistakes_get_a_clear_error_and_change_nothing(setup, call, error, match):
    spool, archive, ids = setup
    with pytest.raises(error, match=match):
        call(spool, archive)
    assert len(spool.ids(HELD)) == 2 and all(len(archive.events(r)) == 1 for r, _ in ids)
