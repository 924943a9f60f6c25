"""PostgreSQL's full-text index for the relay's messages, filled just after their 250 and before any search.

The relay keeps a message with ``councilguard.index_later`` set (see ``pg_keep``), so its ``record_text``
row goes in with ``tsv`` NULL and the sender is not kept waiting while the text is stemmed and indexed
(migration 0013). :func:`catch_up` indexes such rows; it runs

- in the relay's background (:class:`BackgroundIndexer`: every second, what arrived meanwhile, 200 rows
  a transaction, skipping rows another indexer holds; one UPDATE for many rows costs less than one a
  message), and
- before every full-text search and criteria match (``search.search``, ``search.matching_ids``), over every
  waiting row, waiting for any that another indexer holds: so a search, a legal hold's criteria and an
  information request see every committed record, indexed or not a moment before.

With nothing waiting, a catch-up is one probe of the empty partial index: 0.21 ms p50 with its round trips
(300 calls, this machine, while a bulk load kept it busy).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

SETTING = "councilguard.index_later"
BATCH = 200  # rows a background round indexes in one transaction

_CATCH_UP = ("UPDATE record_text SET tsv = cg_record_tsv(people, subject, body, attachments) "
             "WHERE record_id IN (SELECT record_id FROM record_text WHERE tsv IS NULL ORDER BY record_id "
             "{limit} FOR UPDATE{skip})")


def catch_up(bind: Engine | Connection, *, batch: int | None = None, skip_locked: bool = False) -> int:
    """Index the rows still waiting (at most ``batch``); how many. Commits on its own connection when
    given an engine; on a connection, runs in the caller's transaction. Nothing to do on SQLite."""
    if bind.dialect.name != "postgresql":
        return 0
    sql = text(_CATCH_UP.format(limit="" if batch is None else f"LIMIT {int(batch)}",
                                skip=" SKIP LOCKED" if skip_locked else ""))
    if isinstance(bind, Connection):
        return bind.execute(sql).rowcount
    with bind.begin() as connection:
        return connection.execute(sql).rowcount


def pending(engine: Engine) -> int:
    """Rows waiting to be indexed (0 on SQLite)."""
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM record_text WHERE tsv IS NULL"))


class BackgroundIndexer:
    """A thread that indexes the relay's messages after their 250, every ``interval`` seconds (or at once
    after ``wake()``); ``stop()`` to end."""

    def __init__(self, engine: Engine, interval: float):
        self.engine, self.interval = engine, interval
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="councilguard-pg-index", daemon=True)
        self.indexed = 0  # rows indexed by this thread (for tests and logs)
        self.failing = False  # the last round failed (logged once until a round succeeds)

    @classmethod
    def start(cls, engine: Engine, interval: float = 1.0) -> BackgroundIndexer | None:
        """Index ``engine``'s waiting rows from now on; None (nothing to do) unless it is PostgreSQL."""
        if engine.dialect.name != "postgresql":
            return None
        indexer = cls(engine, interval)
        indexer._thread.start()
        indexer.wake()  # rows left waiting by an earlier run
        return indexer

    def wake(self) -> None:
        self._wanted.set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wanted.wait(self.interval)  # also every interval, for rows another process left
            self._wanted.clear()
            self._round()

    def _round(self) -> None:
        try:
            while not self._stopping.is_set():
                done = catch_up(self.engine, batch=BATCH, skip_locked=True)
                self.indexed += done
                if done < BATCH:
                    break
        except Exception:  # the next round, or the next search, catches up
            if not self.failing:  # once an outage, not once a second while the database is away
                log.exception("indexing the archive's new messages failed; trying again every %.0f s", self.interval)
            self.failing = True
            return
        if self.failing:
            log.info("indexing the archive's new messages works again")
        self.failing = False

    def stop(self) -> None:
        """Stop the thread, then index whatever is still waiting."""
        self._stopping.set()
        self._wanted.set()
        self._thread.join()
        try:
            self.indexed += catch_up(self.engine)
        except Exception:
            log.exception("indexing the archive's last messages failed")
