"""The delivery worker: sends spooled mail to the upstream server, and removes it only once accepted.

It runs in its own thread beside the SMTP server, or in a process of its own (:mod:`.delivery_process`),
oldest message first, over one reused connection.
Temporary trouble is retried with exponential backoff: when the upstream cannot be reached at all the
whole queue waits (so a down server is not hammered), and when it answers 4xx to one message only that
message waits. A permanent refusal (5xx) is recorded as a ``bounced`` event on the archived record and
the sender is sent a notice; a message still undeliverable after ``give_up_after`` is treated the same.

Delivery is at-least-once: the spool file is removed after the upstream's 250, so a crash between that
250 and the removal sends the message again on restart. Nothing accepted is ever dropped.
"""

from __future__ import annotations

import logging
import re
import smtplib
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Protocol

from councilguard.gateway.errors import SpoolError
from councilguard.gateway.notify import NoticeSender, failure_notice
from councilguard.gateway.spool import QUEUE, Envelope, Spool, SpoolEntry, new_id
from councilguard.records.archive import Archive

log = logging.getLogger(__name__)
_EOL = re.compile(rb"\r\n|\n|\r(?!\n)")


def _crlf(data: bytes) -> bytes:
    """``data`` with every line ending as CRLF, as SMTP requires (as received over SMTP it is so already,
    and three counts are much cheaper than a substitution over every line of a large message)."""
    pairs = data.count(b"\r\n")
    if data.count(b"\r") == pairs and data.count(b"\n") == pairs:
        return data
    return _EOL.sub(b"\r\n", data)


def _dot_stuffed(data: bytes) -> bytes:
    """``data`` with a dot added before every line that starts with one (RFC 5321 4.5.2): what smtplib's
    ``_quote_periods`` does with a regular expression, which for a 270 KB message took ~3 ms of the relay's
    busy process; a line starts after every LF, as its ``(?m)^`` did."""
    stuffed = data.replace(b"\n.", b"\n..")
    return b"." + stuffed if stuffed.startswith(b".") else stuffed


class _SMTP(smtplib.SMTP):
    """smtplib's client, with DATA's dot-stuffing done by :func:`_dot_stuffed` (otherwise its own DATA)."""

    def data(self, msg: bytes | str) -> tuple[int, bytes]:
        if isinstance(msg, str):  # the relay always sends bytes; anything else goes smtplib's own way
            return super().data(msg)
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        stuffed = _dot_stuffed(msg)
        self.send(stuffed + (b"." if stuffed.endswith(b"\r\n") else b"\r\n.") + b"\r\n")
        return self.getreply()


@dataclass(frozen=True)
class Upstream:
    """The server the relay hands mail to (the council's mail provider's smarthost)."""

    host: str
    port: int = 25
    timeout: float = 60.0
    local_hostname: str | None = None

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Backoff:
    """Retry delays: ``first`` seconds, multiplied by ``factor`` per try up to ``longest``; give up after."""

    first: float = 30.0
    factor: float = 2.0
    longest: float = 900.0
    give_up_after: float = 5 * 24 * 3600.0  # five days, as mail servers commonly do

    def delay(self, tries: int) -> float:
        return min(self.longest, self.first * self.factor ** max(tries - 1, 0))


class _Event(Protocol):
    """What the worker needs of an event: ``threading.Event`` and ``multiprocessing``'s both have it."""

    def set(self) -> None: ...
    def clear(self) -> None: ...
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


class _ConnectionTrouble(Exception):
    """The upstream could not be reached or dropped the connection: retry the queue later."""


@dataclass
class _Outcome:
    temporary: dict[str, str]  # recipient -> reply, to retry
    permanent: dict[str, str]  # recipient -> reply, bounced


def _reply_text(code: int, resp: bytes | str) -> str:
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return f"{code} {' '.join(text.split())}"


class DeliveryWorker(threading.Thread):
    """Empties the spool's queue into the upstream server. ``wake()`` after spooling; ``stop()`` to end."""

    def __init__(self, spool: Spool, upstream: Upstream, archive: Archive, notices: NoticeSender, *,
                 backoff: Backoff = Backoff(), poll: float = 2.0,
                 on_delivered: Callable[[SpoolEntry], None] | None = None,
                 events: tuple[_Event, _Event] | None = None):
        """``events`` (wake, stop): set from another process when the worker runs in one of its own
        (:mod:`.delivery_process`); by default, this process's own."""
        super().__init__(name="councilguard-delivery", daemon=True)
        self.spool, self.upstream, self.archive, self.notices = spool, upstream, archive, notices
        self.backoff, self.poll = backoff, poll
        self.on_delivered = on_delivered or (lambda entry: None)
        self.delivered = 0
        self.bounced = 0
        self._wake, self._stopping = events or (threading.Event(), threading.Event())
        self._tries: dict[str, int] = {}
        self._next_try: dict[str, float] = {}
        self._down_until = 0.0
        self._down_count = 0
        self._conn: smtplib.SMTP | None = None
        self._last_used = 0.0
        self.keepalive = 10.0  # seconds an idle upstream connection is kept open

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)

    # --- the loop ----------------------------------------------------------------------------------------
    def run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                waited = self._pass()
            except Exception:  # the worker must outlive any one bad message or disk hiccup
                log.exception("delivery pass failed; retrying shortly")
                waited = self.poll
            if waited > 0:
                self._wake.wait(min(waited, self.poll))
        self._hang_up()

    def _pass(self) -> float:
        """Try every due message once; how long to wait before the next pass (0: go again now)."""
        now = time.monotonic()
        if now < self._down_until:
            return self._down_until - now
        ids = self.spool.ids(QUEUE)
        due = [i for i in ids if self._next_try.get(i, 0.0) <= now]
        if not due:
            if now - self._last_used > self.keepalive:
                self._hang_up()
            waiting = [self._next_try[i] - now for i in ids if i in self._next_try]
            return min(waiting, default=self.poll)
        for ident in due:
            if self._stopping.is_set():
                break
            try:
                self._deliver(ident)
            except _ConnectionTrouble as exc:
                self._down_count += 1
                delay = self.backoff.delay(self._down_count)
                self._down_until = time.monotonic() + delay
                log.warning("upstream %s unavailable (%s); retrying in %.1f s", self.upstream, exc, delay)
                self._hang_up()
                return delay
            self._last_used = time.monotonic()
        return 0.0

    def _deliver(self, ident: str) -> None:
        try:
            entry, data = self.spool.read(ident, QUEUE)
        except FileNotFoundError:
            return
        except SpoolError as exc:
            log.error("%s; moved to the spool's bad folder", exc)
            self.spool.set_aside(ident, QUEUE)
            return
        outcome = self._send(entry, data)
        self._down_count = 0
        if outcome.temporary and self._expired(entry):
            days = self.backoff.give_up_after / 86400
            outcome.permanent.update({r: f"not delivered for {days:g} days; last answer: {why}"
                                      for r, why in outcome.temporary.items()})
            outcome.temporary = {}
        if len(outcome.temporary) + len(outcome.permanent) < len(entry.envelope.rcpt_tos):
            self.delivered += 1  # the upstream took it for at least one recipient
            self.on_delivered(entry)
        if outcome.permanent:
            self._bounce(entry, outcome.permanent)
        if outcome.temporary:
            self._retry_later(entry, data, outcome.temporary)
        else:
            self.spool.remove(ident, QUEUE)
            self._tries.pop(ident, None)
            self._next_try.pop(ident, None)

    def _retry_later(self, entry: SpoolEntry, data: bytes, temporary: dict[str, str]) -> None:
        tries = self._tries.get(entry.id, 0) + 1
        self._tries[entry.id] = tries
        self._next_try[entry.id] = time.monotonic() + self.backoff.delay(tries)
        remaining = tuple(r for r in entry.envelope.rcpt_tos if r in temporary)
        if remaining != entry.envelope.rcpt_tos:
            self.spool.rewrite(self.spool.with_envelope(entry, remaining), data)
        log.info("spool %s: temporary failure (%s); try %d again in %.1f s", entry.id,
                 "; ".join(temporary.values()), tries, self.backoff.delay(tries))

    def _expired(self, entry: SpoolEntry) -> bool:
        """Past ``give_up_after`` since it was accepted (or, for a held message, since it was released)."""
        since = entry.received_at
        if entry.extra.get("released_at"):
            since = datetime.fromisoformat(entry.extra["released_at"])
        age = (datetime.now(timezone.utc) - since).total_seconds()
        return age > self.backoff.give_up_after

    # --- SMTP --------------------------------------------------------------------------------------------
    def _connect(self) -> smtplib.SMTP:
        if self._conn is None:
            try:
                conn = _SMTP(self.upstream.host, self.upstream.port, timeout=self.upstream.timeout,
                              local_hostname=self.upstream.local_hostname)
                conn.ehlo_or_helo_if_needed()
            except (OSError, smtplib.SMTPException) as exc:
                raise _ConnectionTrouble(f"{type(exc).__name__}: {exc}") from None
            self._conn = conn
        return self._conn

    def _hang_up(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (OSError, smtplib.SMTPException):
                self._conn.close()
            self._conn = None

    def _send(self, entry: SpoolEntry, data: bytes) -> _Outcome:
        """One attempt; a dropped reused connection is retried once on a fresh one."""
        for fresh in (False, True):
            reused = self._conn is not None
            conn = self._connect()
            try:
                return self._transaction(conn, entry.envelope, data)
            except (smtplib.SMTPException, OSError) as exc:  # disconnected, HELO refused, timed out...
                self._conn = None
                conn.close()
                if fresh or not reused:
                    raise _ConnectionTrouble(f"{type(exc).__name__}: {exc}") from None
        raise AssertionError("unreachable")

    def _transaction(self, conn: smtplib.SMTP, env: Envelope, data: bytes) -> _Outcome:
        rcpts = list(env.rcpt_tos)
        options = []
        if "SMTPUTF8" in env.mail_options or not all(a.isascii() for a in (env.mail_from, *rcpts)):
            options.append("SMTPUTF8")
        if not data.isascii() and conn.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        try:
            refused = conn.sendmail(env.mail_from, rcpts, _crlf(data), mail_options=options)
        except smtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients
        except smtplib.SMTPNotSupportedError as exc:
            conn.rset()
            return _Outcome({}, {r: f"the upstream server cannot take this message: {exc}" for r in rcpts})
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            if exc.smtp_code == 421:
                raise smtplib.SMTPServerDisconnected(_reply_text(exc.smtp_code, exc.smtp_error)) from None
            why = _reply_text(exc.smtp_code, exc.smtp_error)
            kind = {r: why for r in rcpts}
            return _Outcome(kind, {}) if 400 <= exc.smtp_code < 500 else _Outcome({}, kind)
        temporary = {r: _reply_text(c, m) for r, (c, m) in refused.items() if 400 <= c < 500}
        permanent = {r: _reply_text(c, m) for r, (c, m) in refused.items() if not 400 <= c < 500}
        return _Outcome(temporary, permanent)

    # --- permanent failures ------------------------------------------------------------------------------
    def _bounce(self, entry: SpoolEntry, failed: dict[str, str]) -> None:
        """Record the failure on the archived record and tell the sender (never for the relay's own notices)."""
        self.bounced += 1
        log.warning("spool %s (record %s): delivery failed permanently: %s", entry.id, entry.record_id,
                    "; ".join(f"{r}: {why}" for r, why in failed.items()))
        if entry.kind != "message":
            return
        if entry.record_id is not None:
            self.archive.record_event(entry.record_id, "bounced", actor="relay",
                                      detail={"upstream": str(self.upstream), "recipients": failed})
        if entry.envelope.mail_from.strip():
            body = failure_notice(self.notices, recipient=entry.envelope.mail_from, subject=entry.subject,
                                  failed=failed, record_id=entry.record_id, received_at=entry.received_at)
            options = () if entry.envelope.mail_from.isascii() else ("SMTPUTF8",)
            notice = SpoolEntry(id=new_id(), envelope=Envelope("", (entry.envelope.mail_from,), options),
                                received_at=datetime.now(timezone.utc), kind="notice", record_id=entry.record_id,
                                subject=f"notice: record {entry.record_id} not delivered")
            self.spool.put(notice, body, folder=QUEUE)
