"""The relay's archive checkpoints its write-ahead log on a thread of its own, never inside a writer's commit."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine

from councilguard.records.archive import Archive
from councilguard.records.wal_checkpoints import BackgroundCheckpoints


def frames(archive: Archive) -> tuple[int, int]:
    """(frames in the log, frames of it already copied into the database), as SQLite reports them."""
    with archive.engine.connect() as connection:
        busy, logged, copied = connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    return logged, copied


def test_writers_leave_the_log_to_the_thread_which_copies_it_back(tmp_path, make_item):
    archive = Archive.open(f"sqlite:///{tmp_path / 'archive.db'}")
    checkpoints = BackgroundCheckpoints.start(archive.engine, interval=0.05)
    try:
        assert checkpoints is not None
        with archive.engine.connect() as connection:  # every connection of the engine: SQLite's own is off
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        for i in range(40):
            archive.keep(make_item(subject=f"Minutes {i}", body="Draft minutes of the meeting. " * 200))
        deadline = time.monotonic() + 10
        while checkpoints.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert checkpoints.checkpoints >= 1
    finally:
        checkpoints.stop()
    logged, copied = frames(archive)
    assert logged == copied  # stop() copied the rest back
    assert archive.count() == 40
    archive.close()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "postgresql+psycopg://nobody@127.0.0.1/none"])
def test_only_a_sqlite_file_is_taken_over(url):
    assert BackgroundCheckpoints.start(create_engine(url)) is None
