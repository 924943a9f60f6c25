"""Real SMTP for the relay tests: an upstream server that collects what it is given, and a relay per test.

The upstream is aiosmtpd's own threaded Controller with a handler that keeps every message and can be
told to be slow, to answer 4xx or 5xx, or to refuse one recipient. The relay is the real
:class:`Relay` on a free loopback port, with a fresh spool folder and SQLite archive, sharing the
session's Checker (building one loads the models). Messages are sent with :mod:`smtplib`.
"""

from __future__ import annotations

import asyncio
import smtplib
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller

from councilguard.gateway.config import RelayConfig
from councilguard.gateway.delivery import Backoff, Upstream
from councilguard.gateway.relay import Relay
from councilguard.policy import RelaySettings

LOWE = "cllr.lowe@croxleygreen-pc.gov.uk"
CLERK = "clerk@croxleygreen-pc.gov.uk"
FAST = Backoff(first=0.05, factor=2.0, longest=0.3)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    options: list[str]

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


@dataclass
class Collector:
    """The upstream's handler: keeps each message; ``mode`` makes it slow or refuse."""

    received: list[Received] = field(default_factory=list)
    mode: str = "ok"  # ok | tempfail | reject
    delay: float = 0.0
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> RCPT reply
    changed: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.mode == "tempfail":
            return "451 4.3.0 try again later"
        if self.mode == "reject":
            return "554 5.7.1 refused by upstream policy"
        with self.changed:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                                          list(envelope.mail_options)))
            self.changed.notify_all()
        return "250 2.0.0 OK queued"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait until ``count`` messages arrived; fail the test with what did arrive if they do not."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"upstream got {len(self.received)} of {count} messages in {timeout} s: "
                                         f"{[r.rcpt_tos for r in self.received]}")
                self.changed.wait(left)
            return list(self.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


class UpstreamServer:
    """aiosmtpd's Controller on a fixed port (so it can be started after the relay, as if it came back up)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = Collector()
        self._controller: Controller | None = None

    def start(self) -> UpstreamServer:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def upstream() -> Iterator[UpstreamServer]:
    server = UpstreamServer().start()
    try:
        yield server
    finally:
        server.stop()


RelayFactory = Callable[..., Relay]


@pytest.fixture
def make_relay(tmp_path: Path, checker) -> Iterator[RelayFactory]:
    """Start a relay to ``upstream_port``; every relay started is stopped after the test."""
    started: list[Relay] = []

    def make(upstream_port: int, *, settings: RelaySettings | None = None, checker_=None, db: str | None = None,
             spool: Path | None = None, max_bytes: int | None = None) -> Relay:
        config = RelayConfig(upstream=Upstream("127.0.0.1", upstream_port, timeout=10),
                             spool=spool or tmp_path / "spool",
                             db=db or str(tmp_path / "archive.db"), listen_port=0, backoff=FAST, poll_seconds=0.2,
                             **({"max_message_bytes": max_bytes} if max_bytes else {}))
        relay = Relay(config, checker=checker_ or checker, settings=settings).start()
        started.append(relay)
        return relay

    yield make
    for relay in started:
        relay.stop()


def email(subject: str, body: str, *, frm: str = LOWE, to: str = CLERK, cc: str | None = None,
          headers: dict[str, str] | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = frm
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{abs(hash((subject, body))) % 10**12}.{time.monotonic_ns()}@croxleygreen-pc.gov.uk>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes(policy=SMTP)  # CRLF line ends, as mail goes over SMTP


# Council mail the bundled croxley-green pack judges: clean, a warning, a block.
CLEAN = ("Agenda", "Agenda for Thursday's planning committee attached. Kind regards, James")
PERSONAL_FORWARD = ("Fwd: Draft budget 2027/28", "Forwarding so I can read it at home.\n\n---------- Forwarded "
                    "message ---------\nFrom: Dev Patel\nDraft precept figures attached.")  # personal-email-account
PERSONAL_DATA = ("Complaint", "Mrs Jones at 14 High Street, Croxley Green has a criminal conviction for fraud; her "
                 "NI number is QQ123456C.")  # block: personal-data


def send(relay: Relay, raw: bytes, *, mail_from: str = LOWE, rcpts: list[str] | None = None,
         options: list[str] | None = None) -> tuple[int, str]:
    """One SMTP transaction; the DATA reply (or the first refusal) as (code, text)."""
    host, port = relay.address
    with smtplib.SMTP(host, port, timeout=30) as conn:
        conn.ehlo()
        code, resp = conn.mail(mail_from, options or [])
        if code != 250:
            return code, resp.decode()
        for rcpt in rcpts or [CLERK]:
            code, resp = conn.rcpt(rcpt)
            if code not in (250, 251):
                return code, resp.decode()
        code, resp = conn.data(raw)
        return code, resp.decode()


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
