"""The delivery worker in a process of its own, so passing mail on never takes turns with taking it in.

In the relay's process the worker's SMTP client shares Python's lock with the SMTP server, the intake
threads and the archive's writes: each message taken in while the one before it was being passed on
cost ~2-3 ms more (``benchmarks/relay_throughput.py``). In a process of its own it costs the relay one
event to set per message; and since setting a ``multiprocessing`` event waits until the process waiting
on it has woken (its Condition's ``notify`` does), a thread of the relay's sets it, not the intake thread
the sender is waiting on (py-spy: ~1% of the intake's wall time, ~0.3 ms a message on two busy cores).

The worker reads everything it needs from the spool folder, as it does in a thread, so nothing passes
between the processes but "wake up" and "stop". The process is started with ``spawn``, exits when the
relay's process goes, even by ``kill -9`` (:mod:`.orphans`), finishes the message it is sending on
SIGTERM, and delivers only while it holds the spool's delivery lock, so a relay restarted at once never
has two deliverers sending the same file.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import signal
import threading
from pathlib import Path

from councilguard.gateway.config import LOG_FORMAT
from councilguard.gateway.delivery import Backoff, DeliveryWorker, Upstream
from councilguard.gateway.notify import NoticeSender
from councilguard.gateway.orphans import exit_with_parent
from councilguard.gateway.spool import Spool
from councilguard.records.archive import Archive

log = logging.getLogger(__name__)
LOCK = "delivery.lock"


class DeliveryProcess:
    """A :class:`DeliveryWorker` run in a child process: ``start()``, ``wake()`` after spooling, ``stop()``.

    ``db_url`` must name a database the child can open itself (a file or a server, not SQLite in memory).
    """

    def __init__(self, spool: Path, upstream: Upstream, db_url: str, notices: NoticeSender, *,
                 backoff: Backoff = Backoff(), poll: float = 2.0):
        context = multiprocessing.get_context("spawn")  # never fork a process with threads running
        self._wake, self._stop = context.Event(), context.Event()
        level = logging.getLogger().getEffectiveLevel()
        self.process = context.Process(
            target=_child_main, name="councilguard-delivery", daemon=True,
            args=(Path(spool), upstream, db_url, notices, backoff, poll, self._wake, self._stop, os.getpid(), level))
        self._asked = threading.Event()  # wake() was called: the waker thread passes it on
        self._closing = False
        self._waker = threading.Thread(target=self._pass_wakes, name="councilguard-delivery-waker", daemon=True)

    def start(self) -> DeliveryProcess:
        self.process.start()
        self._waker.start()
        return self

    def wake(self) -> None:
        """Ask the process to look at the queue; returns at once (see the module's docstring)."""
        self._asked.set()

    def _pass_wakes(self) -> None:
        while True:
            self._asked.wait()
            self._asked.clear()
            if self._closing:
                return
            self._wake.set()

    def is_alive(self) -> bool:
        return self.process.is_alive()

    def stop(self, timeout: float = 30.0) -> None:
        """Let the message being sent finish, then end the process (killed if it takes over ``timeout``)."""
        self._closing = True
        self._asked.set()
        if self._waker.is_alive():
            self._waker.join(timeout)
        self._stop.set()
        self._wake.set()
        if self.process.pid is None:  # never started
            return
        self.process.join(timeout)
        if self.process.is_alive():
            log.warning("the delivery process did not stop within %.0f s; killing it (the spool keeps its mail)",
                        timeout)
            self.process.kill()
            self.process.join(timeout)


def _child_main(spool_root: Path, upstream: Upstream, db_url: str, notices: NoticeSender, backoff: Backoff,
                poll: float, wake, stop, parent: int, level: int) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the relay, which then stops us
    signal.signal(signal.SIGTERM, lambda *_: (stop.set(), wake.set()))  # finish the message in hand
    exit_with_parent(parent)
    spool = Spool(spool_root)
    with open(spool.root / LOCK, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # an earlier relay's deliverer may be finishing its last message
        archive = Archive.open(db_url, migrate=False)
        try:
            DeliveryWorker(spool, upstream, archive, notices, backoff=backoff, poll=poll,
                           events=(wake, stop)).run()
        finally:
            archive.close()


__all__ = ["DeliveryProcess"]
