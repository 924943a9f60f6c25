"""Keeping one message on PostgreSQL in two round trips: the statement and its parameters.

That it stores exactly what the per-table path stores is shown in test_archive_write.py
(``test_bulk_and_one_at_a_time_make_the_same_chain`` compares every row, on a real PostgreSQL too), and
that concurrent writers keep one chain in test_archive.py.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from councilguard.records import pg_keep

RECORD = {"id": 7, "content_sha256": "a" * 64, "size": 10, "text_sha256": "b" * 64, "message_id": None,
          "sender": "clerk@croxley.gov.uk", "sender_address": "clerk@croxley.gov.uk", "subject": "Hall",
          "sent_at": None, "received_at": datetime(2026, 11, 27, 9, tzinfo=timezone.utc),
          "dated_at": datetime(2026, 11, 27, 9, tzinfo=timezone.utc), "verdict": "pass", "source": "relay",
          "override_justification": None}
TEXT = {"record_id": 7, "people": "clerk@croxley.gov.uk", "subject": "Hall", "body": "Booked.", "attachments": ""}


@pytest.mark.parametrize(("rows", "message"), [
    ({"records": [RECORD, RECORD]}, "records: at most one row expected, 2 given"),
    ({"records": [RECORD], "record_text": [TEXT], "content": [{}, {}]}, "content: at most one row expected, 2 given"),
])
def test_more_rows_than_a_message_has_are_refused_before_anything_is_sent(rows, message):
    with pytest.raises(ValueError, match=message):
        pg_keep.parameters(rows)


def test_absent_rows_are_not_selected_and_lists_are_empty():
    params = pg_keep.parameters({"records": [RECORD], "record_text": [TEXT]})
    assert params["records__present"] is True and params["content__present"] is False
    assert params["recipients__address"] == [] and params["chain__seq"] == []
    # times go through the column type's own processing (UTC, zone kept for PostgreSQL)
    assert params["records__received_at"] == datetime(2026, 11, 27, 9, tzinfo=timezone.utc)


def test_a_duplicate_delivery_sends_only_its_chain_entry():
    entry = {"seq": 3, "prev_hash": "c" * 64, "record_hash": "d" * 64, "kind": "duplicate", "record_id": 7,
             "disposition": None, "detail": "{}", "recorded_at": datetime(2026, 11, 27, tzinfo=timezone.utc)}
    params = pg_keep.parameters({"chain": [entry]})
    assert not any(params[f"{t}__present"] for t in ("records", "record_text", "content"))
    assert params["chain__kind"] == ["duplicate"]


def test_the_statement_text_is_fixed_so_the_server_plans_it_once():
    assert pg_keep.statement() is pg_keep.statement()
    assert pg_keep.statement().count("INSERT INTO") == len(pg_keep.TABLES)
    assert "%(content__data)b::BYTEA" in pg_keep.statement()  # the content's bytes go in binary


def test_without_libpq_pipelines_the_statements_go_one_after_another(archive, make_item, monkeypatch):
    """An older libpq (before 14) has no pipeline mode: keeping works the same, one round trip a statement."""
    import psycopg

    monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    first = archive.keep(make_item("Hall", "Booked."))
    assert archive.keep(make_item("Hedge", "Cut.")) == first + 1
    assert archive.verify().ok


def test_a_connection_lost_between_keeps_fails_one_keep_and_is_not_handed_out_again(archive, make_item):
    """The server ends the pooled connection (a restart, say) moments after a keep: the next keep fails
    (the relay answers 451 and the sender retries; a connection returned under a second ago is not pinged),
    nothing half-written stays, and the keep after that gets a new connection."""
    if archive.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL connection")
    from sqlalchemy import text

    from .conftest import _admin

    archive.keep(make_item("Hall", "Booked."))
    with archive.engine.connect() as conn:
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
    with _admin() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    time.sleep(0.1)
    with pytest.raises(Exception):
        archive.keep(make_item("Hedge", "Cut."))
    archive.keep(make_item("Pond", "Cleared."))
    with archive.engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_backend_pid()")) != pid
    assert archive.count() == 2 and archive.verify().ok
