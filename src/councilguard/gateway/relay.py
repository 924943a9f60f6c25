"""The checking SMTP relay: the council's outbound smarthost, built on aiosmtpd.

The council's mail system hands every outgoing message here. The SMTP conversation stays on aiosmtpd's
event loop; each message's work (parse, check, archive, spool: see :mod:`.intake`) runs on a small thread
pool so one slow message never stalls the others, and the answer is given only when that work is done.
Parsing and checking can run in worker processes to use every core (:mod:`.checking`). The delivery
worker (:mod:`.delivery`) passes spooled mail on to the upstream server: from a thread, or, when checking
has processes of its own, from a process of its own too (:mod:`.delivery_process`).

On start the relay takes the spool's lock, clears half-written files and resumes delivering everything
left in the queue, so a restart after a crash carries on where it stopped.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, syntax

from councilguard.engine import Checker
from councilguard.gateway import replies
from councilguard.gateway.checking import InProcess, ProcessPool
from councilguard.gateway.config import RelayConfig, human_size
from councilguard.gateway.delivery import DeliveryWorker
from councilguard.gateway.delivery_process import DeliveryProcess
from councilguard.gateway.intake import Intake
from councilguard.gateway.notify import NoticeSender
from councilguard.gateway.smtp_data import NOMINAL, TOO_LONG, read_data
from councilguard.gateway.spool import Envelope, Spool
from councilguard.policy import Pack, RelaySettings
from councilguard.records.archive import Archive
from councilguard.records.db import sqlite_path
from councilguard.records.pg_index import BackgroundIndexer
from councilguard.records.wal_checkpoints import BackgroundCheckpoints
from councilguard.workflow.authorisations import SenderAuthorisations

log = logging.getLogger(__name__)
IDENT = "councilguard relay"


class RelayHandler:
    """aiosmtpd's handler: every recipient is accepted (a smarthost relays for its own mail system)."""

    def __init__(self, intake: Intake, executor: ThreadPoolExecutor):
        self.intake = intake
        self.executor = executor

    async def handle_EHLO(self, server: SMTP, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        """Offer PIPELINING (RFC 2920): a sending server then puts MAIL, the RCPTs and DATA in one packet
        and waits once, not once a command (the benchmark's SMTP exchange: 2.3-2.6 ms waiting for each reply,
        1.6-2.1 ms pipelined). aiosmtpd answers commands
        in order from its input buffer and never drops what is buffered, which is all the extension asks."""
        session.host_name = hostname  # what aiosmtpd does itself when no EHLO hook is given
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:
        mail_from = envelope.mail_from or ""
        mail_from = "" if mail_from.strip() in ("", "<>") else mail_from  # aiosmtpd keeps a null sender as "<>"
        env = Envelope(mail_from, tuple(envelope.rcpt_tos), tuple(envelope.mail_options))
        raw = envelope.original_content if envelope.original_content is not None else envelope.content
        raw = raw if isinstance(raw, bytes) else str(raw).encode("utf-8", "surrogateescape")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, self.intake.accept, env, raw)
        except Exception as exc:  # a bug must cost a retry, never the message
            log.exception("relay failed on a message from %s", env.mail_from)
            return str(replies.R451_LOCAL_ERROR.format(why=f"internal error {type(exc).__name__}"))


@functools.lru_cache(maxsize=4096)
def _address_of(arg: str, local_part_limit: int) -> tuple[str | None, str | None]:
    """aiosmtpd's own reading of a MAIL or RCPT address (``SMTP._getaddr``), remembered: it runs the e-mail
    package's full header grammar, ~35 us an address measured alone (more on a busy machine), and a council's mail system sends the same few
    hundred addresses over and over. It depends on nothing but its arguments. An address the grammar
    itself trips over (``<a@[1.2>`` raises AttributeError inside the ``email`` package) is malformed too,
    so the sender gets aiosmtpd's clear 553 rather than a 500 naming a Python error."""
    try:
        return SMTP._getaddr(SimpleNamespace(local_part_limit=local_part_limit), arg)  # type: ignore[arg-type]
    except Exception:
        return None, None


class RelaySMTP(SMTP):
    """aiosmtpd's SMTP with the relay's own clear text for its built-in size and line-length refusals, DATA
    read in large pieces (:mod:`.smtp_data`) rather than line by line, and addresses read once each."""

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        return _address_of(arg, self.local_part_limit)

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        if self._decode_data:  # the relay never decodes; anyone who does gets aiosmtpd's own reader
            return await super().smtp_DATA(arg)
        # aiosmtpd 1.4.6's DATA (pinned), with its line loop replaced by read_data
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        try:
            content, state = await read_data(self._reader, self.data_size_limit, self.line_length_limit)
        except asyncio.CancelledError:  # aiosmtpd cancels this when the connection drops
            log.info("connection lost during DATA")
            self._writer.close()
            raise
        except asyncio.IncompleteReadError:  # the end of the stream came first: nothing was accepted
            log.info("connection closed during DATA")
            self._writer.close()
            return
        if state != NOMINAL:
            await self.push("500 Line too long (see RFC5321 4.5.3.1.6)" if state == TOO_LONG
                            else "552 Error: Too much mail data")
            self._set_post_data_state()
            return
        self.envelope.content = self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)

    async def push(self, status: Any) -> None:
        if isinstance(status, str):
            if status.startswith("552 Error:"):  # too much data, or a SIZE= over the limit
                status = str(replies.R552_MESSAGE_TOO_BIG.format(limit=human_size(self.data_size_limit or 0)))
            elif status.startswith("500 Line too long"):
                status = str(replies.R500_LINE_TOO_LONG)
        await super().push(status)


class RelayController(Controller):
    """aiosmtpd's threaded controller serving :class:`RelaySMTP`; port 0 picks a free port."""

    def factory(self) -> SMTP:
        return RelaySMTP(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Relay:
    """The whole relay: spool, archive, checker, SMTP server and delivery worker. Start, then stop."""

    def __init__(self, config: RelayConfig, *, checker: Checker | None = None, archive: Archive | None = None,
                 settings: RelaySettings | None = None):
        self.config = config
        self._checker = checker
        self._archive = archive
        self._own_archive = archive is None
        self._checkpoints: BackgroundCheckpoints | None = None
        self._indexer: BackgroundIndexer | None = None
        self._settings = settings
        self.spool = Spool(config.spool)
        self.intake: Intake | None = None
        self.worker: DeliveryWorker | DeliveryProcess | None = None
        self._controller: RelayController | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._examine: InProcess | ProcessPool | None = None

    @property
    def address(self) -> tuple[str, int]:
        assert self._controller is not None, "the relay is not running"
        return self._controller.hostname, self._controller.port

    def start(self) -> Relay:
        self.spool.lock()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        left = self.spool.clear_tmp()
        if left:
            log.info("removed %d half-written spool file(s) left by an earlier stop", left)
        if self._archive is None:
            self._archive = Archive.open(self.config.db)
            self._checkpoints = BackgroundCheckpoints.start(self._archive.engine)  # SQLite: off the senders' path
        # PostgreSQL: each message's text is indexed just after its 250 (searches catch up first)
        self._indexer = BackgroundIndexer.start(self._archive.engine)
        pack = self._start_checking()
        settings = self._settings or pack.relay
        notices = NoticeSender.for_pack(pack, self.config.notice_from, settings)
        self.worker = self._delivery(notices)
        self.intake = Intake(pack, self._examine, self._archive, self.spool, settings=settings, notices=notices,
                             on_spooled=self.worker.wake, authorities=SenderAuthorisations(self._archive.engine),
                             index_later=self._indexer is not None)
        self.worker.start()  # resumes whatever an earlier run left in the queue
        threads = max(self.config.threads, self.config.check_processes)
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="councilguard-intake")
        self._controller = RelayController(
            RelayHandler(self.intake, self._executor), hostname=self.config.listen_host,
            port=self.config.listen_port, data_size_limit=self.config.max_message_bytes, enable_SMTPUTF8=True,
            decode_data=False, ident=IDENT, server_hostname=self.config.hostname)
        self._controller.start()
        queued = len(self.spool.ids())
        log.info("councilguard relay listening on %s:%d, delivering to %s (%d message(s) queued)",
                 *self.address, self.config.upstream, queued)

    def _delivery(self, notices: NoticeSender) -> DeliveryWorker | DeliveryProcess:
        """The delivery worker: a thread here, or a process of its own (see :mod:`.delivery_process`)."""
        url = self._archive.engine.url
        separate = self.config.delivery_process
        if separate is None:
            separate = self.config.check_processes > 0
        if separate and url.get_backend_name() == "sqlite" and sqlite_path(str(url)) is None:
            separate = False  # a database in this process's memory cannot be opened from another
        if separate:
            return DeliveryProcess(self.spool.root, self.config.upstream, url.render_as_string(hide_password=False),
                                   notices, backoff=self.config.backoff, poll=self.config.poll_seconds)
        return DeliveryWorker(self.spool, self.config.upstream, self._archive, notices,
                              backoff=self.config.backoff, poll=self.config.poll_seconds)

    def _start_checking(self) -> Pack:
        """The checker, in this process (given, or ``check_processes`` 0) or in worker processes."""
        if self._checker is not None or self.config.check_processes == 0:
            checker = self._checker or Checker.from_pack(self.config.policy)
            if self._checker is None:
                checker.warm_up()
            self._examine = InProcess(checker)
            return checker.pack
        pack = Checker(Pack.resolve(self.config.policy)).pack  # a broken pack fails here, clearly, not in a worker
        pool = ProcessPool(self.config.policy, self.config.check_processes)
        self._examine = pool
        pool.start()
        return pack

    def stop(self) -> None:
        """Stop taking mail, let messages being processed finish, stop delivery. The spool keeps the rest."""
        if self._controller is not None:
            self._controller.stop(no_assert=True)
            self._controller = None
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._examine is not None:
            self._examine.close()
            self._examine = None
        if self.intake is not None:
            self.intake.close()
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self._checkpoints is not None:
            self._checkpoints.stop()
            self._checkpoints = None
        if self._indexer is not None:
            self._indexer.stop()
            self._indexer = None
        if self._archive is not None and self._own_archive:
            self._archive.close()
            self._archive = None
        self.spool.unlock()

    def __enter__(self) -> Relay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(config: RelayConfig) -> None:
    """Run the relay until SIGTERM or SIGINT (Ctrl-C), then stop cleanly."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        relay = Relay(config).start()
        try:
            while not stop.wait(1.0):
                pass
        finally:
            log.info("stopping: no new mail is taken; the spool keeps anything not yet delivered")
            relay.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


__all__ = ["Relay", "RelayController", "RelayHandler", "RelaySMTP", "serve"]
