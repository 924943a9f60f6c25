"""Reading and checking a message: in the relay's own process, or in a pool of checker processes.

Parsing and checking are CPU work in Python, so threads take turns under the GIL and a two-core machine
checks one message at a time. A pool of worker processes, each with its own Checker, uses every core;
the relay's process keeps the SMTP conversations, the archive and the spool. A worker that dies (a
crash in a native model library, say) costs only the message it had: that worker is replaced and the
message goes the way the pack's ``on_checker_failure`` says, like any other checker failure.

Workers are started with ``spawn`` (never ``fork`` from a process with threads running) and exit on
their own when the relay's process disappears, even by ``kill -9``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Callable, Iterable

from councilguard.engine import Checker
from councilguard.gateway.archiving import blind_copies
from councilguard.gateway.orphans import exit_with_parent
from councilguard.gateway.spool import Envelope
from councilguard.model import Author, Message, Report
from councilguard.policy import Council
from councilguard.records.mail import MailLimits, ParsedMail, parse_mail, to_message

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


Held = frozenset[str] | Callable[[], frozenset[str]]
OnParsed = Callable[[ParsedMail], None] | None


def _resolve(held: Held) -> frozenset[str]:
    return held() if callable(held) else held


def _parsed(on_parsed: OnParsed, parsed: ParsedMail) -> None:
    """Hand the parsed mail to ``on_parsed``: work done early to save time later, so its failure is only logged."""
    if on_parsed is not None:
        try:
            on_parsed(parsed)
        except Exception:
            log.exception("preparing a parsed message early failed; it is prepared after the check instead")


def examine(checker: Checker, raw: bytes, envelope: Envelope, held: Held = frozenset(),
            on_parsed: OnParsed = None) -> Examined:
    """Parse and check one message; a checker that raises is reported as a failure, never raised.

    ``held`` may be a function: it is called after parsing, so a pool can look it up meanwhile.
    ``on_parsed(parsed)`` is called before the check (in a pool, while the worker checks).
    """
    start = time.perf_counter()
    parsed = parse_mail(raw)
    mark = time.perf_counter()
    _parsed(on_parsed, parsed)
    return _check(checker, parsed, envelope, _resolve(held), mark - start)


def _check(checker: Checker, parsed: ParsedMail, envelope: Envelope, held: frozenset[str],
           parse_seconds: float) -> Examined:
    mark = time.perf_counter()
    try:
        report, failure = checker.check(message_for(parsed, envelope, checker.pack.council, held)), None
    except Exception as exc:  # a checker failure must neither lose the message nor pass it silently
        log.exception("the checker failed on a message from %s", envelope.mail_from)
        report, failure = None, f"{type(exc).__name__}: {exc}"[:200]
    return Examined(parsed, report, failure, parse_seconds, time.perf_counter() - mark)


class InProcess:
    """Check in the calling thread with one shared Checker (tests, small councils, one core)."""

    def __init__(self, checker: Checker):
        self.checker = checker

    def __call__(self, raw: bytes, envelope: Envelope, held: Held = frozenset(),
                 on_parsed: OnParsed = None) -> Examined:
        return examine(self.checker, raw, envelope, held, on_parsed)

    def close(self) -> None:
        pass


# --- the process pool -------------------------------------------------------------------------------------
#
# Each worker has its own pipe, used by one relay thread at a time: the raw bytes go down it once, as bytes
# (not pickled), and the answer comes back. No queue-feeding or result-collecting threads stand between
# them (as in concurrent.futures' pool), so a message costs no extra thread switches in the relay's busy
# process. The exchange is: raw bytes, envelope, then the sender's authorisations, which the relay looks
# up while the worker parses; the worker sends the parsed mail as soon as it has it, then checks and
# sends the report, so the relay can prepare the archive record while the check runs.

DIED = "the checker process died (BrokenProcessPool)"
_WITHOUT_ATTACHMENT_TEXT = MailLimits(read_attachment_text=False)
_READY = "ready"


def _child_main(conn: Connection, policy: str | None, parent: int) -> None:
    """A worker: load the Checker, say so, then examine what the pipe brings until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the relay, which then closes our pipe
    exit_with_parent(parent)
    try:
        checker = Checker.from_pack(policy)
        checker.warm_up()
    except BaseException as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"[:500]))
        raise
    conn.send((_READY, os.getpid()))
    while True:
        try:
            raw = conn.recv_bytes()
        except (EOFError, OSError):  # the relay closed the pipe: stop
            return
        envelope = conn.recv()
        start = time.perf_counter()
        parsed = parse_mail(raw)
        parse_seconds = time.perf_counter() - start
        conn.send((parsed, parse_seconds))
        held = conn.recv()
        examined = _check(checker, parsed, envelope, held, parse_seconds)
        conn.send((examined.report, examined.failure, examined.check_seconds))


class _Died(Exception):
    """The worker process is gone (or never came up)."""


class _Worker:
    """One checker process and the relay's end of its pipe."""

    def __init__(self, policy: str | None):
        context = multiprocessing.get_context("spawn")  # never fork a process with threads running
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_child_main, args=(child, policy, os.getpid()), daemon=True,
                                       name="councilguard-checker")
        self.process.start()
        child.close()  # so a dead worker reads as end-of-file here
        self.pid: int | None = None

    def ready(self, timeout: float | None) -> None:
        """Wait until the worker has loaded its Checker; _Died if it failed or exited."""
        if self.pid is not None:
            return
        try:
            if not self.conn.poll(timeout):
                raise _Died(f"the checker process did not start within {timeout:.0f} s")
            what, detail = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise _Died(f"the checker process exited while starting ({type(exc).__name__})") from None
        if what != _READY:
            raise _Died(f"the checker process could not load the policy pack ({detail})")
        self.pid = detail

    def examine(self, raw: bytes, envelope: Envelope, held: Held, on_parsed: OnParsed = None) -> Examined:
        try:
            self.conn.send_bytes(raw)
            self.conn.send(envelope)
            chosen = _resolve(held)
            self.conn.send(chosen)
            parsed, parse_seconds = self.conn.recv()
            _parsed(on_parsed, parsed)  # while the worker checks
            report, failure, check_seconds = self.conn.recv()
            return Examined(parsed, report, failure, parse_seconds, check_seconds)
        except (EOFError, OSError) as exc:
            raise _Died(type(exc).__name__) from None

    def stop(self, timeout: float = 10.0) -> None:
        self.conn.close()  # the worker reads end-of-file and exits
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout)


class ProcessPool:
    """Check in ``processes`` worker processes, each loading the pack's Checker once."""

    START_TIMEOUT = 300.0  # a worker restarted mid-run loads its models while its message waits

    def __init__(self, policy: str | None, processes: int):
        self.policy = policy
        self.processes = processes
        self._workers = [_Worker(policy) for _ in range(processes)]
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        for worker in self._workers:
            self._idle.put(worker)

    def start(self, timeout: float = 120.0) -> None:
        """Wait until every worker has loaded its Checker (RuntimeError if one cannot)."""
        for worker in self._workers:
            try:
                worker.ready(timeout)
            except _Died as exc:
                raise RuntimeError(str(exc)) from None

    def __call__(self, raw: bytes, envelope: Envelope, held: Held = frozenset(),
                 on_parsed: OnParsed = None) -> Examined:
        worker = self._idle.get()
        try:
            worker.ready(self.START_TIMEOUT)
            return worker.examine(raw, envelope, held, on_parsed)
        except _Died as exc:
            log.error("a checker process died (%s); starting a new one", exc)
            worker = self._replace(worker)
            start = time.perf_counter()
            parsed = parse_mail(raw, limits=_WITHOUT_ATTACHMENT_TEXT)  # what killed it must not kill the relay
            return Examined(parsed, None, DIED, time.perf_counter() - start, 0.0)
        except BaseException:  # the exchange broke off half-way: the pipe cannot be trusted again
            worker = self._replace(worker)
            raise
        finally:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop(timeout=1.0)
        fresh = _Worker(self.policy)
        self._workers = [fresh if w is worker else w for w in self._workers]
        return fresh

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
