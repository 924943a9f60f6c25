"""The database engine: PostgreSQL connections are tested only after idling, and a dead one is replaced.

Runs against the real PostgreSQL of conftest.py; a backend is killed on the server with
pg_terminate_backend, as a server restart or a dropped connection would leave it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from councilguard.records import db

from .conftest import _admin


@pytest.fixture
def pg_engine(pg_database):
    engine = db.make_engine(pg_database)
    db.ping_when_idle(engine, after=0.0)  # a second listener, testing every connection that was used before
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


def test_a_connection_killed_while_idle_is_replaced_not_handed_out(pg_engine):
    first = _backend_pid(pg_engine)
    with _admin() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone()[0]
    second = _backend_pid(pg_engine)  # the pooled connection fails its ping: a new one, no error
    assert second != first


def test_a_connection_returned_moments_ago_is_handed_out_without_a_ping(pg_database, monkeypatch):
    engine = db.make_engine(pg_database)  # the default: ping after a second's idling
    try:
        pings = []
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or True)
        for _ in range(5):
            _backend_pid(engine)
        assert pings == []
    finally:
        engine.dispose()


def test_a_connection_idle_for_longer_is_pinged(pg_database, monkeypatch):
    engine = db.make_engine(pg_database)
    try:
        pings = []
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or True)
        _backend_pid(engine)
        clock = db.time.monotonic() + db.IDLE_PING_SECONDS + 1
        monkeypatch.setattr(db.time, "monotonic", lambda: clock)
        _backend_pid(engine)
        assert len(pings) == 1
    finally:
        engine.dispose()
