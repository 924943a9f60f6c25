"""The archive's write path: bulk and one-at-a-time writing keep the same records and the same chain.

Every test runs on a real SQLite file and on a real PostgreSQL schema (see conftest.py).
"""

from __future__ import annotations

import base64
import itertools
import random
import zlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from councilguard.records import chain, db
from councilguard.records.archive import Archive
from councilguard.records.archive_write import SMALL, Ahead, Prepared, compress
from councilguard.records.schema import Base, ChainEntry, Content, RecordRow

from .conftest import attachment


@pytest.fixture
def steady_clock(monkeypatch):
    """Chain timestamps from a clock that ticks a millisecond per entry; calling it starts it again,
    so two runs that append the same entries hash alike."""
    start = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
    ticks = [itertools.count()]

    def restart() -> None:
        ticks[0] = itertools.count()

    monkeypatch.setattr(chain, "now", lambda: start + timedelta(milliseconds=next(ticks[0])))
    return restart


def _mixed_items(make_item) -> list:
    """Items with every kind of fact a record hashes, a repeat of the same bytes, and none of some."""
    return [
        make_item("Agenda", "Items for Monday.", cc=["Cllr Brown <brown@croxley.gov.uk>"], bcc=["x@example.org"],
                  attachments=[attachment("Item 1. Minutes"), attachment(None, "scan.pdf")],
                  findings=[{"rule": "personal-data", "severity": "warn", "clause": "P8-Email-2"}],
                  verdict="warn", disposition="held"),
        make_item("Hedge", "The hedge on New Road.", raw=b"Subject: Hedge\r\n\r\nsame bytes twice", to=()),
        make_item("Hedge again", "Same bytes, delivered again.", raw=b"Subject: Hedge\r\n\r\nsame bytes twice"),
        make_item("Override", "Sent anyway.", disposition="overridden", override_justification="Agreed by chair",
                  sent_at=None, message_id=None),
    ]


def test_bulk_and_one_at_a_time_make_the_same_chain(db_url, make_item, steady_clock):
    items = _mixed_items(make_item)
    bulk = Archive.open(db_url, migrate=False)
    try:
        written = bulk.add_many([(item, None) for item in items], actor="import")
        assert len(written) == 3  # the repeated bytes are kept once, with no event for the repeat
        bulk_head = bulk.verify()
        assert bulk_head.ok, bulk_head.problems
        bulk_entries = [(e.seq, e.kind, e.record_id, e.detail) for r in (1, 2, 3) for e in bulk.events(r)]
    finally:
        bulk.close()
    bulk_rows = _rows(db_url)

    _empty(db_url)
    steady_clock()
    one = Archive.open(db_url, migrate=False)
    try:
        for item in items:
            if item is items[2]:
                continue  # add_many skips a repeat silently; keep() would add a 'duplicate' event
            one.keep(item, actor="import")
        one_head = one.verify()
        assert one_head.ok, one_head.problems
        one_entries = [(e.seq, e.kind, e.record_id, e.detail) for r in (1, 2, 3) for e in one.events(r)]
    finally:
        one.close()
    assert one_entries == bulk_entries
    assert (one_head.head_seq, one_head.head_hash) == (bulk_head.head_seq, bulk_head.head_hash)
    # every stored row alike too (on PostgreSQL keep() writes its rows in one statement: see pg_rows)
    assert _rows(db_url) == bulk_rows


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every archive table but the chain (whose times differ), in key order."""
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return {table.name: sorted(tuple(row) for row in conn.execute(select(table)))
                    for table in Base.metadata.sorted_tables if table.name != "chain"}
    finally:
        engine.dispose()


def _empty(url: str) -> None:
    """Empty the archive at ``url`` and restart its ids, as a fresh one would have them."""
    engine = db.make_engine(url)
    try:
        with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('records', 'id'), 1, false)")
    finally:
        engine.dispose()


def test_every_entry_hashes_as_the_stored_rows_say(archive, make_item):
    """``verify`` recomputes each hash from the rows read back through the ORM: the bulk writer's
    hashes, worked out before the rows existed, must be the same."""
    archive.add_many([(item, {"problems": ["no Date header"], "position": i}) for i, item in
                      enumerate(_mixed_items(make_item))], actor="import")
    archive.keep(make_item("Later", "Relayed later."), actor="relay")
    with archive.session() as s:
        entries = list(s.scalars(select(ChainEntry).order_by(ChainEntry.seq)))
        assert [e.kind for e in entries] == ["archived", "import-problems"] * 3 + ["archived"]
        for entry in entries:
            record = s.get(RecordRow, entry.record_id)
            assert chain.hash_of(entry, record) == entry.record_hash
    assert archive.verify().ok


def test_keep_of_kept_bytes_is_a_duplicate_event_and_no_new_record(archive, make_item):
    raw = b"Subject: minutes\r\n\r\nThe same message."
    first = archive.keep(make_item(raw=raw))
    again = archive.keep(make_item(raw=raw, source="import:mbox", disposition="imported"), actor="clerk")
    assert again == first and archive.count() == 1
    events = archive.events(first)
    assert [e.kind for e in events] == ["archived", "duplicate"]
    assert events[1].detail["actor"] == "clerk" and events[1].detail["source"] == "import:mbox"
    assert archive.verify().ok


def test_ids_follow_on_between_bulk_and_single_writes(archive, make_item):
    first = archive.add_many([(make_item(f"Bulk {i}"), None) for i in range(3)])
    single = archive.keep(make_item("Single"))
    second = archive.add_many([(make_item(f"Bulk again {i}"), None) for i in range(2)])
    assert sorted(first.values()) == [1, 2, 3] and single == 4 and sorted(second.values()) == [5, 6]
    assert archive.get(4).subject == "Single" and archive.verify().ok


def test_a_batch_kept_before_is_skipped_whole(archive, make_item):
    items = [(make_item(f"Message {i}"), None) for i in range(4)]
    assert len(archive.add_many(items)) == 4
    assert archive.add_many(items) == {}
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(ChainEntry)) == 4
        assert s.scalar(select(func.count()).select_from(Content)) == 4


def _base64_of(data: bytes) -> bytes:
    return b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(data).replace(b"\n", b"\r\n")


@pytest.mark.parametrize(("raw", "at_most"), [
    (b"Subject: minutes\r\n\r\n" + b"The council resolved to approve the minutes. " * 4000, 0.05),  # text
    (_base64_of(random.Random(1).randbytes(200_000)), 1.01),  # a compressed attachment: stored as it is
    (_base64_of(bytes(range(256)) * 800), 0.1),  # an uncompressed attachment: compressed
])
def test_large_messages_are_compressed_when_it_repays_and_always_read_back(archive, make_item, raw, at_most):
    assert len(raw) > SMALL
    record = archive.add(make_item(raw=raw))
    with archive.session() as s:
        stored = s.get(Content, record.content_sha256)
    assert stored.compression == "zlib" and len(stored.data) <= at_most * len(raw)
    assert archive.raw(record.id) == raw == zlib.decompress(compress(raw))
    assert archive.verify().ok


def test_bulk_writing_in_steps_keeps_repeats_once_and_refuses_a_bad_item_before_writing(archive, make_item,
                                                                                         monkeypatch):
    from councilguard.records import archive as archive_module
    from councilguard.records.archive_errors import ArchiveItemError

    monkeypatch.setattr(archive_module, "PIPELINE", 2)  # several steps, prepared in the second thread
    items = [make_item(f"Message {i}") for i in range(5)]
    repeat = make_item("Repeat", raw=items[0].raw)
    written = archive.add_many([(item, None) for item in [*items, repeat]])
    assert sorted(written.values()) == [1, 2, 3, 4, 5] and archive.count() == 5
    with pytest.raises(ArchiveItemError):
        archive.add_many([(make_item("Fine"), None)] * 3 + [(make_item(sender=" "), None)])
    assert archive.count() == 5 and archive.verify().ok


def test_work_done_ahead_is_used_only_for_the_bytes_and_texts_it_was_done_for(make_item):
    item = make_item("Agenda", "Items for Monday.", attachments=[attachment("Item 1. Minutes")]).validated()
    texts = [a.text for a in item.attachments]
    plain = Prepared.of(item)
    assert Prepared.of(item, Ahead.of(item.raw, item.body_text, texts)) == plain
    other = Ahead.of(item.raw + b"x", item.body_text + " changed", texts)  # neither part matches: redone
    assert Prepared.of(item, other) == plain
    same_raw = Ahead.of(item.raw, "another body", texts)  # the bytes match, the texts do not
    assert (Prepared.of(item, same_raw).sha, Prepared.of(item, same_raw).text_sha) == (plain.sha, plain.text_sha)


def test_single_writes_of_new_and_kept_bytes_after_a_bulk_write_keep_the_chain(archive, make_item):
    archive.add_many([(make_item(f"Bulk {i}"), None) for i in range(2)])
    new = archive.keep(make_item("One more", raw=b"Subject: one more\r\n\r\nnew bytes"))
    again = archive.keep(make_item("Again", raw=b"Subject: one more\r\n\r\nnew bytes"))
    assert new == again == 3 and archive.count() == 3
    assert [e.kind for e in archive.events(new)] == ["archived", "duplicate"]
    assert archive.keep(make_item("Last")) == 4 and archive.verify().ok
