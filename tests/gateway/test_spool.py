"""The spool on a real folder: durable entries, arrival order, one relay at a time, unreadable files kept."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from councilguard.gateway.errors import SpoolError
from councilguard.gateway.spool import BAD, HELD, QUEUE, TMP, Envelope, Spool, SpoolEntry, new_id

WHEN = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)


def entry(**kw) -> SpoolEntry:
    base = dict(id=new_id(), envelope=Envelope("a@b.example", ("c@d.example", "zoë@ü.example"), ("SMTPUTF8",)),
                received_at=WHEN, record_id=7, sender="A <a@b.example>", subject="Café", rules=("r1",),
                reasons=("r1: why",), raw_sha256="0" * 64, extra={"disposition": "held"})
    return SpoolEntry(**{**base, **kw})


def test_put_then_read_gives_back_the_envelope_details_and_bytes(tmp_path):
    spool = Spool(tmp_path)
    e = entry()
    data = b"From: a@b.example\r\n\r\n\xff binary \x00 bytes\r\n"
    spool.put(e, data, folder=HELD)
    assert spool.read(e.id, HELD) == (e, data)
    assert spool.entry(e.id, HELD) == e
    assert spool.ids(HELD) == [e.id] and spool.ids(QUEUE) == [] and list((tmp_path / TMP).iterdir()) == []


def test_ids_are_in_arrival_order(tmp_path):
    spool = Spool(tmp_path)
    made = [spool.put(entry(), b"x").id for _ in range(20)]
    assert spool.ids() == made


def test_move_rewrite_remove(tmp_path):
    spool = Spool(tmp_path)
    e = spool.put(entry(), b"data", folder=HELD)
    spool.move(e.id, HELD, QUEUE)
    assert spool.ids(HELD) == [] and spool.ids(QUEUE) == [e.id]
    fewer = spool.with_envelope(e, ("c@d.example",))
    spool.rewrite(fewer, b"data")
    assert spool.entry(e.id).envelope.rcpt_tos == ("c@d.example",)
    spool.remove(e.id)
    spool.remove(e.id)  # removing twice is harmless
    assert spool.ids() == []


def test_half_written_files_are_cleared_and_unreadable_ones_set_aside(tmp_path):
    spool = Spool(tmp_path)
    (tmp_path / TMP / "half").write_bytes(b"CGSPOOL1 {")
    assert spool.clear_tmp() == 1
    good = spool.put(entry(), b"x")
    (tmp_path / QUEUE / "0000-garbage").write_bytes(b"not a spool file\n")
    (tmp_path / QUEUE / "0001-badjson").write_bytes(b"CGSPOOL1 {not json\n")
    assert [e.id for e in spool.entries(QUEUE)] == [good.id]
    assert sorted(p.name for p in (tmp_path / BAD).iterdir()) == ["0000-garbage", "0001-badjson"]
    with pytest.raises(SpoolError, match="not a councilguard spool file"):
        spool.entry("0000-garbage", BAD)


def test_only_one_relay_may_hold_the_spool(tmp_path):
    first, second = Spool(tmp_path), Spool(tmp_path)
    first.lock()
    with pytest.raises(SpoolError, match="in use by a running relay"):
        second.lock()
    first.unlock()
    second.lock()
    second.unlock()


def test_unknown_kind_is_refused(tmp_path):
    with pytest.raises(SpoolError, match="kind 'bounce'"):
        Spool(tmp_path).put(entry(kind="bounce"), b"x")


def test_a_spool_that_cannot_be_created_says_where(tmp_path):
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(SpoolError, match="cannot create its folders"):
        Spool(tmp_path / "file" / "spool")
