"""Held mail is read from the archive: records whose latest disposition is "held"."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from councilguard.records.archive import Archive, ArchiveItem
from councilguard.records import db
from councilguard.web.held_mail import held_records

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)


def _item(n: int, disposition: str) -> ArchiveItem:
    return ArchiveItem(raw=f"Subject: message {n}\r\n\r\nbody {n}\r\n".encode(), sender="cllr@example.org",
                       received_at=WHEN, subject=f"message {n}", disposition=disposition, verdict="warn")


@pytest.fixture
def archive(db_path):
    made = Archive(db.make_engine(f"sqlite:///{db_path}"))
    yield made
    made.close()


# (dispositions archived, record numbers (1-based) released afterwards, expected held numbers)
CASES = [
    ([], [], []),
    (["relayed", "rejected"], [], []),
    (["held"], [], [1]),
    (["held", "relayed", "held"], [], [1, 3]),
    (["held", "held"], [1], [2]),
]


@pytest.mark.parametrize("dispositions, released, expected", CASES)
def test_held_records_follow_the_latest_disposition(archive, dispositions, released, expected):
    ids = [archive.add(_item(n, d)).id for n, d in enumerate(dispositions, 1)]
    for n in released:
        archive.record_event(ids[n - 1], "released", actor="Helen Marsh", disposition="relayed")
    count, records = held_records(archive)
    assert count == len(expected)
    assert [r.id for r in records] == [ids[n - 1] for n in expected]
    assert all(r.disposition == "held" for r in records)


def test_the_list_is_limited_but_the_count_is_not(archive):
    for n in range(1, 5):
        archive.add(_item(n, "held"))
    count, records = held_records(archive, limit=2)
    assert (count, [r.subject for r in records]) == (4, ["message 1", "message 2"])
