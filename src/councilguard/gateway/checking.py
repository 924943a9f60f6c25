"""Reading and checking a message: in the relay's own process, or in a pool of checker processes.

Parsing and checking are CPU work in Python, so threads take turns under the GIL and a two-core machine
checks one message at a time. A pool of worker processes, each with its own Checker, uses every core;
the relay's process keeps the SMTP conversations, the archive and the spool. A worker that dies (a
crash in a native model library, say) costs only the message it had: the pool is rebuilt and that
message goes the way the pack's ``on_checker_failure`` says, like any other checker failure.

Workers are started with ``spawn`` (never ``fork`` from a process with threads running) and exit on
their own when the relay's process disappears, even by ``kill -9``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Iterable

from councilguard.engine import Checker
from councilguard.gateway.archiving import blind_copies
from councilguard.gateway.spool import Envelope
from councilguard.model import Author, Message, Report
from councilguard.policy import Council
from councilguard.records.mail import ParsedMail, parse_mail, to_message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Examined:
    """A message read and checked: the report, or how the checker failed; and the time each step took."""

    parsed: ParsedMail
    report: Report | None
    failure: str | None
    parse_seconds: float
    check_seconds: float


def message_for(parsed: ParsedMail, envelope: Envelope, council: Council, held: Iterable[str] = ()) -> Message:
    """The checker's Message: the parsed mail, its author from the roster, the envelope's Bcc recipients, and
    ``held``, the authorisations the envelope's sender holds today, when the mail is from that sender (a
    From header naming someone else does not borrow the envelope sender's authorities)."""
    message = to_message(parsed)
    sender = message.from_ or envelope.mail_from or None
    member = council.member_by_email(sender) or council.member_by_email(envelope.mail_from)
    if member is not None:
        role = {"proper-officer": "proper-officer", "staff": "staff"}.get(member.kind, "councillor")
        author = Author(name=member.name, role=role, email=member.email)
    else:
        author = Author(email=sender)
    update: dict = {"author": author, "bcc": blind_copies(parsed, envelope)}
    if message.from_ is None and sender:
        update["from_"] = sender
    if held and sender and sender.strip().lower() == envelope.mail_from.strip().lower():
        update["authorisations"] = sorted(held)
    return message.model_copy(update=update)


def examine(checker: Checker, raw: bytes, envelope: Envelope, held: frozenset[str] = frozenset()) -> Examined:
    """Parse and check one message; a checker that raises is reported as a failure, never raised."""
    start = time.perf_counter()
    parsed = parse_mail(raw)
    mark = time.perf_counter()
    try:
        report, failure = checker.check(message_for(parsed, envelope, checker.pack.council, held)), None
    except Exception as exc:  # a checker failure must neither lose the message nor pass it silently
        log.exception("the checker failed on a message from %s", envelope.mail_from)
        report, failure = None, f"{type(exc).__name__}: {exc}"[:200]
    return Examined(parsed, report, failure, mark - start, time.perf_counter() - mark)


class InProcess:
    """Check in the calling thread with one shared Checker (tests, small councils, one core)."""

    def __init__(self, checker: Checker):
        self.checker = checker

    def __call__(self, raw: bytes, envelope: Envelope, held: frozenset[str] = frozenset()) -> Examined:
        return examine(self.checker, raw, envelope, held)

    def close(self) -> None:
        pass


# --- the process pool -------------------------------------------------------------------------------------

_child: Checker | None = None


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:  # the relay is gone (reparented): nothing will ever be asked of us
            os._exit(0)


def _child_start(policy: str | None, parent: int) -> None:
    global _child
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()
    _child = Checker.from_pack(policy)
    _child.warm_up()


def _child_examine(raw: bytes, envelope: Envelope, held: frozenset[str] = frozenset()) -> Examined:
    assert _child is not None, "the checker process was not started"
    return examine(_child, raw, envelope, held)


def _child_ready() -> int:
    time.sleep(0.3)  # long enough that each start-up task lands on a different worker
    return os.getpid()


class ProcessPool:
    """Check in ``processes`` worker processes, each loading the pack's Checker once."""

    def __init__(self, policy: str | None, processes: int):
        self.policy = policy
        self.processes = processes
        self._lock = threading.Lock()
        self._pool = self._make()

    def _make(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_child_start, initargs=(self.policy, os.getpid()))

    def start(self, timeout: float = 120.0) -> None:
        """Start every worker and wait until each has loaded its Checker."""
        futures = [self._pool.submit(_child_ready) for _ in range(self.processes)]
        for future in futures:
            future.result(timeout)

    def __call__(self, raw: bytes, envelope: Envelope, held: frozenset[str] = frozenset()) -> Examined:
        pool = self._pool
        try:
            return pool.submit(_child_examine, raw, envelope, held).result()
        except BrokenProcessPool as exc:
            log.error("a checker process died (%s); starting new ones", exc)
            with self._lock:
                if self._pool is pool:
                    self._pool = self._make()
            start = time.perf_counter()
            parsed = parse_mail(raw)
            return Examined(parsed, None, "the checker process died (BrokenProcessPool)",
                            time.perf_counter() - start, 0.0)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
