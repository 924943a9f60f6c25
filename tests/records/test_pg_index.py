"""PostgreSQL's full-text index filled after the relay's answer: no search, hold or request misses a record.

Runs on both backends: on SQLite every step is a no-op and every record is searchable at once, which is
what the PostgreSQL side must look like from outside.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from councilguard.records import pg_index
from councilguard.records.pg_index import BackgroundIndexer
from councilguard.records.search import SearchCriteria


def _unindexed(archive) -> int:
    return pg_index.pending(archive.engine)


def test_a_message_kept_to_be_indexed_later_waits_only_on_postgresql(archive, make_item):
    archive.keep(make_item("Allotment rents", "The allotment rents rise in April."), index_later=True)
    archive.keep(make_item("Hall", "Booked for Saturday."))  # indexed at once, as every other writer does
    assert _unindexed(archive) == (1 if archive.engine.dialect.name == "postgresql" else 0)


@pytest.mark.parametrize("query", ["allotment", '"rents rise"', "allotment -hall"])
def test_a_search_finds_a_message_not_yet_indexed(archive, make_item, query):
    record_id = archive.keep(make_item("Allotment rents", "The allotment rents rise in April."), index_later=True)
    page = archive.search(SearchCriteria(query=query))
    assert [h.record_id for h in page.hits] == [record_id]
    assert _unindexed(archive) == 0


def test_a_criteria_hold_covers_a_message_not_yet_indexed(archive, make_item):
    record_id = archive.keep(make_item("Planning", "Objection to the barn conversion."), index_later=True)
    hold = archive.place_hold("FOI-2026-001", reason="FOI request", actor="clerk",
                              criteria=SearchCriteria(query="barn conversion"))
    assert archive.holds_on(record_id) == [hold.name]


def test_the_background_indexer_fills_the_index_and_indexes_the_rest_on_stop(archive, make_item):
    indexer = BackgroundIndexer.start(archive.engine, interval=0.05)
    if archive.engine.dialect.name != "postgresql":
        assert indexer is None
        return
    try:
        for i in range(5):
            archive.keep(make_item(f"Message {i}", f"Body {i} about the pavilion."), index_later=True)
        deadline = time.monotonic() + 10
        while _unindexed(archive) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _unindexed(archive) == 0 and indexer.indexed == 5
        archive.keep(make_item("Last", "Kept just before the stop."), index_later=True)
    finally:
        indexer.stop()
    assert _unindexed(archive) == 0 and indexer.indexed == 6


def test_a_search_waits_for_rows_another_indexer_holds_rather_than_missing_them(archive, make_item):
    if archive.engine.dialect.name != "postgresql":
        pytest.skip("row locks of PostgreSQL's indexers")
    record_id = archive.keep(make_item("Bonfire", "The bonfire night licence."), index_later=True)
    with archive.engine.connect() as holder:  # an indexer midway: the row locked, not yet committed
        holder.execute(text("SELECT record_id FROM record_text WHERE tsv IS NULL FOR UPDATE"))
        found: list[int] = []
        searcher = threading.Thread(target=lambda: found.extend(
            h.record_id for h in archive.search(SearchCriteria(query="bonfire")).hits))
        searcher.start()
        time.sleep(0.3)
        assert searcher.is_alive()  # waiting for the lock, not answering without the record
        holder.rollback()
    searcher.join(10)
    assert found == [record_id]


def test_indexed_text_is_what_the_generated_column_gave(archive, make_item):
    """The trigger's tsvector equals the expression of migration 0001, for rows indexed now and later."""
    if archive.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's tsvector")
    now = archive.keep(make_item("Parish Footpaths", "Stiles repaired on footpath 12."))
    later = archive.keep(make_item("Parish Footpaths", "Stiles repaired on footpath 12."), index_later=True)
    pg_index.catch_up(archive.engine)
    with archive.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT tsv = (setweight(to_tsvector('english', coalesce(subject, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(people, '')), 'B') || "
            "setweight(to_tsvector('english', left(coalesce(body, ''), 200000)), 'C') || "
            "setweight(to_tsvector('english', left(coalesce(attachments, ''), 200000)), 'D')) "
            "FROM record_text WHERE record_id IN (:a, :b)"), {"a": now, "b": later}).scalars().all()
    assert rows == [True, True]


def test_an_indexer_that_cannot_reach_the_database_says_so_once_and_recovers(archive, make_item, caplog, monkeypatch):
    if archive.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's indexer")
    indexer = BackgroundIndexer(archive.engine, interval=60)  # not started: rounds run by hand
    broken = {"on": True}
    real = pg_index.catch_up

    def flaky(*args, **kwargs):
        if broken["on"]:
            raise OSError("connection refused")
        return real(*args, **kwargs)

    monkeypatch.setattr(pg_index, "catch_up", flaky)
    archive.keep(make_item("Hall", "Booked."), index_later=True)
    with caplog.at_level("INFO", logger="councilguard.records.pg_index"):
        for _ in range(3):
            indexer._round()
        broken["on"] = False
        indexer._round()
    messages = [r.getMessage() for r in caplog.records]
    assert sum("failed" in m for m in messages) == 1 and any("works again" in m for m in messages)
    assert indexer.indexed == 1 and _unindexed(archive) == 0
