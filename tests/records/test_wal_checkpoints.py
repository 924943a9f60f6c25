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
        wait_for(lambda: checkpoints.checkpoints >= 1, "a first checkpoint")
        first = settled(checkpoints)  # the thread has copied back everything written so far
        # SQLite now writes the log again from its start, so the file does not grow: still noticed
        archive.keep(make_item(subject="Agenda", body="Agenda for Tuesday."))
        wait_for(lambda: checkpoints.checkpoints > first, "a checkpoint of the new record")
    finally:
        checkpoints.stop()
    assert done(archive)  # and stop() copied any rest back
    assert archive.count() == 41
    archive.close()


def settled(checkpoints: BackgroundCheckpoints) -> int:
    """The number of checkpoints once it has stayed the same for several intervals."""
    while True:
        count = checkpoints.checkpoints
        time.sleep(checkpoints.interval * 5)
        if checkpoints.checkpoints == count:
            return count


def done(archive: Archive) -> bool:
    """Every frame of the log copied back (asking runs a PASSIVE checkpoint itself, so ask only at the end)."""
    logged, copied = frames(archive)
    return logged == copied


def wait_for(condition, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "postgresql+psycopg://nobody@127.0.0.1/none"])
def test_only_a_sqlite_file_is_taken_over(url):
    assert BackgroundCheckpoints.start(create_engine(url)) is None
