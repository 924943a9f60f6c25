"""Checkpointing an SQLite archive's write-ahead log on a thread of its own, off the writers' path.

SQLite copies the log back into the database file (a checkpoint) inside whichever commit takes the log
past 1,000 pages, so one commit in every few dozen of the relay's takes 6-7 ms instead of ~1.5 ms, and
the sender waits for it. A long-running writer (the relay) turns that off for its own connections and
calls :meth:`BackgroundCheckpoints.start`, which runs a PASSIVE checkpoint every ``interval`` seconds
when the log has grown (PASSIVE waits for no reader or writer). Other processes that open the same file
(the web app, the CLI, the relay's delivery process) keep SQLite's default and may checkpoint too: the
log is shared, and any one of them may copy it back.
"""

from __future__ import annotations

import logging
import os
import threading

from sqlalchemy import Engine, event

from councilguard.records.db import sqlite_path

log = logging.getLogger(__name__)


class BackgroundCheckpoints:
    """Checkpoints for one file-backed SQLite engine (see the module's docstring); ``stop()`` to end."""

    def __init__(self, engine: Engine, path: str, interval: float):
        self.engine, self.interval = engine, interval
        self._wal = path + "-wal"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="councilguard-wal-checkpoints", daemon=True)
        self.checkpoints = 0  # checkpoints run (for tests and logs)

    @classmethod
    def start(cls, engine: Engine, interval: float = 0.5) -> BackgroundCheckpoints | None:
        """Take over ``engine``'s checkpoints; None (nothing changed) unless it is an SQLite file."""
        path = sqlite_path(str(engine.url)) if engine.url.get_backend_name() == "sqlite" else None
        if path is None:
            return None

        @event.listens_for(engine, "connect")
        def _no_autocheckpoint(dbapi_connection, _record) -> None:
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

        engine.dispose()  # connections made before the listener reconnect with it
        checkpoints = cls(engine, str(path), interval)
        checkpoints._thread.start()
        return checkpoints

    def _log_state(self) -> tuple[int, int]:
        """The log file's size and time of last change: after a checkpoint SQLite writes the log again from
        its start, so its size alone would stay the same while new commits go in."""
        try:
            stat = os.stat(self._wal)
        except OSError:  # no log yet, or it was just removed by a closing connection
            return 0, 0
        return stat.st_size, stat.st_mtime_ns

    def _run(self) -> None:
        seen = (0, 0)
        while not self._stopping.wait(self.interval):
            if self._log_state() != seen:
                self.checkpoint()
                seen = self._log_state()

    def checkpoint(self) -> None:
        """One PASSIVE checkpoint now; a failure is logged (the next one, or SQLite's own, catches up)."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()
            self.checkpoints += 1
        except Exception:
            log.exception("a background checkpoint of the archive's write-ahead log failed")

    def stop(self) -> None:
        """Stop the thread after one last checkpoint."""
        self._stopping.set()
        self._thread.join()
        self.checkpoint()
