"""The hash chain catches tampering, names the first bad record, and a receipt catches a full rewrite.

Each tampering is done the way an insider would: raw SQL on the real database, behind the archive's back.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from councilguard.records import chain
from councilguard.records.archive_errors import ReceiptError
from councilguard.records.chain import Receipt
from councilguard.records.schema import ChainEntry, RecordRow

from .conftest import attachment


@pytest.fixture
def filled(archive, make_item):
    """seq 1-3: records 1-3 archived; 4: record 2 released; 5: record 4 archived; 6: record 1 deleted."""
    r1 = archive.add(make_item("Parking on the green", "Cars on the green again"))
    r2 = archive.add(make_item("Complaint about Cllr X", "Cllr X was rude", disposition="held", verdict="warn",
                               findings=[{"rule": "abuse-councillor", "severity": "warn", "clause": "P8-6"}]))
    r3 = archive.add(make_item("Grass cutting quote", "Quote attached", attachments=[attachment("GBP 400")]))
    archive.record_event(r2.id, "released", actor="clerk", disposition="relayed", reason="checked")
    r4 = archive.add(make_item("Litter pick", "Volunteers wanted on Sunday"))
    archive.delete_content(r1.id, reason="past retention", rule="correspondence", actor="clerk")
    assert archive.verify().ok
    return archive, {1: r1, 2: r2, 3: r3, 4: r4}


def _sql(archive, *statements: str, **params) -> None:
    with archive.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


TAMPERING = [
    ("edit a subject", ["UPDATE records SET subject = 'Nothing to see' WHERE id = 2"], 2, "archived entry altered"),
    ("change a recipient", ["UPDATE recipients SET display = 'x@evil.example' WHERE record_id = 2"], 2,
     "archived entry altered"),
    ("hide a finding", ["DELETE FROM findings WHERE record_id = 2"], 2, "archived entry altered"),
    ("backdate a message", ["UPDATE records SET received_at = sent_at WHERE id = 3"], 3, "archived entry altered"),
    ("delete an entry", ["DELETE FROM chain WHERE seq = 3"], 3, "entry missing: 3 gone"),
    ("reorder entries", ["UPDATE chain SET seq = -1 WHERE seq = 2", "UPDATE chain SET seq = 2 WHERE seq = 3",
                         "UPDATE chain SET seq = 3 WHERE seq = -1"], 2, "broken link"),
    ("alter an event", ["UPDATE chain SET disposition = 'rejected' WHERE seq = 4"], 4, "released entry altered"),
    ("reword an event", ["UPDATE chain SET detail = '{\"actor\":\"chair\"}' WHERE seq = 4"], 4,
     "released entry altered"),
    ("alter raw content", ["UPDATE content SET data = :other WHERE sha256 = (SELECT content_sha256 FROM records "
                           "WHERE id = 3)"], 3, "content hash mismatch"),
    ("alter body text", ["UPDATE record_text SET body = 'Quote: GBP 4,000' WHERE record_id = 3"], 3,
     "text altered"),
    ("delete content quietly", ["DELETE FROM content WHERE sha256 = (SELECT content_sha256 FROM records "
                                "WHERE id = 4)"], 5, "content missing"),
    ("remove a tombstone", ["DELETE FROM tombstones WHERE record_id = 1"], 1, "its tombstone is gone"),
]


@pytest.mark.parametrize(("name", "statements", "first_seq", "what"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_tampering_is_caught_and_the_first_bad_record_named(filled, name, statements, first_seq, what):
    archive, _ = filled
    _sql(archive, *statements, other=zlib.compress(b"Subject: forged\r\n\r\nforged"))
    result = archive.verify()
    assert not result.ok
    assert result.first.seq == first_seq, result.problems
    assert what in result.first.what, result.problems
    assert str(result.first).startswith(f"seq {first_seq}")


def test_a_record_slipped_in_outside_the_chain_is_caught(filled):
    archive, records = filled
    _sql(archive, "INSERT INTO records (id, content_sha256, size, text_sha256, sender, sender_address, subject, "
                  "received_at, dated_at, verdict, source) SELECT 99, :forged, size, "
                  "text_sha256, sender, sender_address, 'forged', received_at, dated_at, verdict, source "
                  "FROM records WHERE id = 4", forged="e" * 64)
    problems = archive.verify().problems
    assert [(p.seq, p.record_id) for p in problems if "not in the chain" in p.what] == [(None, 99)]


def test_content_check_can_be_skipped_but_links_are_still_checked(filled):
    archive, _ = filled
    _sql(archive, "UPDATE record_text SET body = 'changed' WHERE record_id = 3")
    assert archive.verify(content=False).ok
    _sql(archive, "UPDATE records SET subject = 'changed' WHERE id = 3")
    assert not archive.verify(content=False).ok


def _rewrite_from(archive, seq: int) -> None:
    """Recompute every hash from ``seq`` on, as a forger with the code would."""
    with archive.session() as s, s.begin():
        prev = s.scalar(select(ChainEntry.record_hash).where(ChainEntry.seq == seq - 1))
        for entry in s.scalars(select(ChainEntry).where(ChainEntry.seq >= seq).order_by(ChainEntry.seq)):
            record = None
            if entry.record_id is not None:
                record = s.scalar(select(RecordRow).where(RecordRow.id == entry.record_id).options(
                    selectinload(RecordRow.recipients), selectinload(RecordRow.findings),
                    selectinload(RecordRow.attachments)))
            entry.prev_hash = prev
            entry.record_hash = chain.hash_of(entry, record)
            prev = entry.record_hash


def test_a_consistent_rewrite_is_caught_only_with_the_receipt(filled, tmp_path):
    archive, _ = filled
    receipt = archive.receipt("Croxley Green Parish Council")
    path = tmp_path / "receipt.json"
    path.write_text(receipt.to_json(), encoding="utf-8")
    _sql(archive, "UPDATE records SET subject = 'Nothing to see' WHERE id = 2")
    _rewrite_from(archive, 2)
    assert archive.verify().ok  # the forgery is self-consistent...
    result = archive.verify(receipt=Receipt.load(path))  # ...but not with what the council minuted
    assert not result.ok
    assert result.first.seq == receipt.seq == 6
    assert "chain rewritten" in result.first.what and receipt.issued_at[:10] in result.first.what


def test_a_receipt_still_verifies_after_more_entries_are_appended(filled, make_item):
    archive, _ = filled
    receipt = archive.receipt("Croxley Green Parish Council")
    archive.add(make_item("Later message"))
    result = archive.verify(receipt=receipt)
    assert result.ok and result.head_seq == receipt.seq + 1


def test_a_receipt_beyond_the_end_of_the_chain_means_entries_were_removed(filled):
    archive, _ = filled
    receipt = archive.receipt("Croxley Green Parish Council")
    later = Receipt(**{**receipt.__dict__, "seq": receipt.seq + 3})
    result = archive.verify(receipt=later)
    assert "the chain ends at 6: entries were removed" in result.first.what


def test_receipt_says_what_the_clerk_minutes(filled):
    archive, _ = filled
    receipt = archive.receipt("Croxley Green Parish Council")
    assert (receipt.seq, receipt.records, receipt.council) == (6, 4, "Croxley Green Parish Council")
    assert receipt.head == archive.verify().head_hash
    data = json.loads(receipt.to_json())
    assert data["format"] == "councilguard-archive-receipt/1"
    assert Receipt.from_json(receipt.to_json()) == receipt
    assert receipt.head in receipt.to_text() and "Chain entry:  6" in receipt.to_text()


@pytest.mark.parametrize(("content", "problem"), [
    ("not json", "not JSON"),
    ("[1, 2]", '"format"'),
    ('{"format": "councilguard-archive-receipt/1", "seq": "6"}', "missing or malformed council, seq, head"),
])
def test_a_bad_receipt_file_is_a_clear_error(tmp_path, content, problem):
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReceiptError, match=problem) as info:
        Receipt.load(path)
    assert str(info.value).startswith(f"{path}: not a chain receipt")
    with pytest.raises(ReceiptError, match="cannot be read"):
        Receipt.load(tmp_path / "missing.json")


BASE = dict(seq=5, prev="a" * 64, kind="archived", recorded_at=datetime(2024, 1, 2, 3, 4, 5, 6, timezone.utc),
            disposition="held", detail='{"actor":"clerk"}', facts={"id": 1, "content": "b" * 64, "subject": "x"})


@pytest.mark.parametrize(("field", "value"), [
    ("seq", 6), ("prev", "c" * 64), ("kind", "duplicate"),
    ("recorded_at", datetime(2024, 1, 2, 3, 4, 5, 7, timezone.utc)), ("disposition", "relayed"),
    ("detail", '{"actor":"chair"}'), ("facts", {"id": 1, "content": "d" * 64, "subject": "x"}),
    ("facts", {"id": 1, "content": "b" * 64, "subject": "y"}),
])
def test_every_hashed_field_changes_the_hash(field, value):
    assert chain.entry_hash(**{**BASE, field: value}) != chain.entry_hash(**BASE)


def test_the_hash_is_the_documented_encoding():
    import hashlib

    payload = {"v": 1, "seq": 5, "prev": "a" * 64, "kind": "archived", "at": "2024-01-02T03:04:05.000006Z",
               "disposition": "held", "detail": {"actor": "clerk"}, "record": BASE["facts"]}
    expected = hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert chain.entry_hash(**BASE) == expected
