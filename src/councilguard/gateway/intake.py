"""One message in, one SMTP answer out: parse, check, decide, archive, spool, and only then say 250.

This is the relay's core, kept apart from aiosmtpd so it reads as the steps it takes. The order is what
makes "nothing lost" true: the archive record and the durable spool file both exist before the sender is
told the message was accepted. If either cannot be written, the answer is a temporary 451 and the
sender's server keeps the message and tries again; a message the checker could not check is never
dropped, it goes the way the pack's ``on_checker_failure`` says. What the envelope sender is authorised to
do today (a personal e-mail consent, an authority to spend: the register in ``workflow.authorisations``)
goes to the checker with the message, so mail those cover is not held.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from councilguard.gateway import replies
from councilguard.gateway.archiving import ahead_of, archive_item, keep, minimal_item
from councilguard.gateway.checking import Examined
from councilguard.gateway.decide import HOLD, RELAY, Decision, decide
from councilguard.gateway.notify import HeldMessage, NoticeSender, held_notice
from councilguard.gateway.override import find_override, strip_override
from councilguard.gateway.spool import HELD, QUEUE, Envelope, Spool, SpoolEntry, new_id
from councilguard.model import Report, Severity
from councilguard.policy import Pack, RelaySettings
from councilguard.records.archive import Ahead, Archive
from councilguard.records.mail import ParsedMail

log = logging.getLogger(__name__)
PHASES = ("parse", "check", "archive", "spool", "total")


@dataclass
class IntakeStats:
    """Counts by disposition and the time spent in each phase (seconds, summed), for logs and benchmarks."""

    messages: int = 0
    dispositions: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, disposition: str, timings: dict[str, float]) -> None:
        with self._lock:
            self.messages += 1
            self.dispositions[disposition] += 1
            for phase, spent in timings.items():
                self.seconds[phase] = self.seconds.get(phase, 0.0) + spent


class _Staged:
    """One message's spool file, written to tmp/ on a helper thread (see :meth:`Intake.accept`)."""

    def __init__(self, spool: Spool, stager: ThreadPoolExecutor):
        self.spool, self.stager = spool, stager
        self.future: Future[Path] | None = None

    def start(self, entry: SpoolEntry, data: bytes) -> None:
        self.drop()  # an attempt the archive rolled back (it then keeps the minimal record) leaves nothing
        self.future = self.stager.submit(self.spool.stage, entry, data)

    def path(self) -> Path:
        """The staged file, once written (raises what the write raised)."""
        if self.future is None:
            raise RuntimeError("the spool file was never staged")
        return self.future.result()

    def drop(self) -> None:
        """Remove the staged file, if there is one, once its write has finished."""
        future, self.future = self.future, None
        if future is not None:
            try:
                self.spool.discard(future.result())
            except Exception:  # it was never written, or tmp/ is cleared on the next start anyway
                pass


class Intake:
    """Takes each message the SMTP server received to its decision; thread-safe."""

    def __init__(self, pack: Pack, examine: Callable[..., Examined], archive: Archive,
                 spool: Spool, *, settings: RelaySettings | None = None, notices: NoticeSender | None = None,
                 on_spooled: Callable[[], None] | None = None,
                 authorities: Callable[[str], frozenset[str]] | None = None, index_later: bool = False):
        self.pack = pack
        self.examine = examine  # (raw, envelope, held, on_parsed): parse + check, here or in checker processes
        self.archive = archive
        self.spool = spool
        self.settings = settings or pack.relay
        self.notices = notices or NoticeSender.for_pack(pack, settings=self.settings)
        self.on_spooled = on_spooled or (lambda: None)
        self.authorities = authorities  # what a sender address holds today (the register of authorisations)
        self.index_later = index_later  # a background indexer fills the full-text index (PostgreSQL)
        self.stats = IntakeStats()
        self._stager = ThreadPoolExecutor(4, thread_name_prefix="councilguard-stage")

    def close(self) -> None:
        self._stager.shutdown(wait=True)

    def accept(self, envelope: Envelope, raw: bytes) -> str:
        """The SMTP reply for one received message (after archiving and spooling it when accepted)."""
        if not raw.strip():
            return str(replies.R554_EMPTY_MESSAGE)
        received_at = datetime.now(timezone.utc)
        start = time.perf_counter()
        # the sender's authorisations are looked up when the checker asks: in a pool, while it parses; and
        # the archive record's hashing and compression are done as soon as the mail is parsed: in a pool,
        # while it is checked
        ahead: list[Ahead] = []
        examined = self.examine(raw, envelope, lambda: self._held_by(envelope.mail_from),
                                lambda parsed: ahead.append(ahead_of(raw, parsed)))
        parsed, report = examined.parsed, examined.report
        timings = {"parse": examined.parse_seconds, "check": examined.check_seconds}
        decision = decide(report, self.settings, failure=examined.failure,
                          justification=find_override(raw, self.settings.override_header),
                          suspect_headers=parsed.headers_suspect)
        # An accepted message's spool file is written (to tmp/) while the archive commits, once the record
        # id is known; it goes into its folder only after the commit. So a crash at any point before the
        # 250 leaves it archived or not, and never spooled without its record.
        staged = _Staged(self.spool, self._stager)
        outgoing = strip_override(raw, self.settings.override_header) if decision.accepted else b""

        def stage(record_id: int) -> None:
            if decision.accepted:
                staged.start(self._entry(parsed, envelope, decision, record_id, received_at), outgoing)

        mark = time.perf_counter()
        try:
            record_id = keep(self.archive, archive_item(raw, parsed, envelope, report, decision, received_at),
                             minimal_item(raw, envelope, report, decision, received_at), before_commit=stage,
                             ahead=ahead[0] if ahead else None, index_later=self.index_later)
        except Exception as exc:
            staged.drop()
            log.exception("could not archive a message from %s", envelope.mail_from)
            return str(replies.R451_LOCAL_ERROR.format(why=f"the archive could not be written: {type(exc).__name__}"))
        timings["archive"] = time.perf_counter() - mark
        mark = time.perf_counter()
        if decision.accepted:
            try:
                self.spool.publish(staged.path(), QUEUE if decision.action == RELAY else HELD)
                if decision.action == HOLD and envelope.mail_from.strip():
                    self._notify(parsed, envelope, report, decision, record_id, received_at)
            except OSError as exc:
                staged.drop()
                log.exception("could not spool record %s", record_id)
                return str(replies.R451_LOCAL_ERROR.format(why=f"the spool could not be written: {exc.strerror}"))
            self.on_spooled()
        timings["spool"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - start
        self.stats.add(decision.disposition, timings)
        log.info("record %s from %s: %s (%s)", record_id, envelope.mail_from or "<>", decision.disposition,
                 ", ".join(decision.rules) or "no findings")
        return self._reply(decision, record_id)

    # --- the steps ---------------------------------------------------------------------------------------
    def _held_by(self, sender: str) -> frozenset[str]:
        """The sender's authorisations; none if they cannot be read (a stricter check, never a lost message)."""
        if self.authorities is None or not sender.strip():
            return frozenset()
        try:
            return self.authorities(sender)
        except Exception:
            log.exception("could not read the authorisations of %s; checking without them", sender)
            return frozenset()

    def _entry(self, parsed: ParsedMail, envelope: Envelope, decision: Decision, record_id: int,
               received_at: datetime) -> SpoolEntry:
        return SpoolEntry(id=new_id(), envelope=envelope, received_at=received_at, record_id=record_id,
                          sender=str(parsed.from_) if parsed.from_ else envelope.mail_from,
                          subject=parsed.subject or "", rules=decision.rules, reasons=decision.reasons,
                          raw_sha256=parsed.raw_sha256, extra={"disposition": decision.disposition})

    def _notify(self, parsed: ParsedMail, envelope: Envelope, report: Report | None, decision: Decision,
                record_id: int, received_at: datetime) -> None:
        overridable = report is not None and bool(report.findings) and all(
            f.severity is not Severity.BLOCK for f in report.findings)
        held = HeldMessage(record_id=record_id, recipient=envelope.mail_from, subject=parsed.subject or "",
                           recipients=envelope.rcpt_tos, received_at=received_at, notes=decision.notes,
                           findings=report.findings if report is not None else (),
                           overridable=overridable, message_id=parsed.message_id,
                           override_refused=decision.override_refused)
        options = () if envelope.mail_from.isascii() else ("SMTPUTF8",)
        notice = SpoolEntry(id=new_id(), envelope=Envelope("", (envelope.mail_from,), options), received_at=received_at,
                            kind="notice", record_id=record_id, subject=f"notice: record {record_id} held")
        self.spool.put(notice, held_notice(self.notices, held), folder=QUEUE)

    def _reply(self, decision: Decision, record_id: int) -> str:
        reply = decision.reply.format(record=record_id, rules=", ".join(decision.rules) or "see the notice")
        if decision.action == "reject":
            clerk = self.notices.clerk_name + (f" ({self.notices.clerk_address})" if self.notices.clerk_address else "")
            return reply.with_lines(*decision.reasons, f"If you think this is wrong, ask {clerk}.")
        return str(reply)
