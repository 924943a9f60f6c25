#!/usr/bin/env python3
"""Throughput of the checking SMTP relay over loopback, with checking and archiving, to a real upstream.

N council e-mails (default 300) of ~3,000 characters, one in five with a 200 KB PDF (three pages of text
and a photograph, written here byte by byte), are sent by several SMTP clients at once through the relay
(parse, check with the Croxley Green pack, archive, spool, 250; delivery from a process of its own when the
checking has processes) to an aiosmtpd upstream that counts them.
Prints messages per second (accepted, and delivered upstream) and where the time per message goes:
the check itself, measured inside the relay and again on its own, and everything beyond it (parsing,
archiving, spooling, SMTP). Targets (issue): >= 30 msg/s, <= 10 ms per message beyond the check.

The clients pipeline their commands (RFC 2920), as sending servers do where the relay offers it;
``--no-pipelining`` waits for each reply instead. The SMTP clients and the upstream server stand for other machines (the council's mail system, its mail
provider), so by default each runs in a process of its own: in the relay's process, or in one process
together, they would take turns for Python's lock, and their work would be counted as the relay's. They
still share the machine's two cores with it. ``--same-process`` puts them back in the relay's process.

    .venv/bin/python benchmarks/relay_throughput.py [-n 300] [--clients 4] [--threads 2] [--processes 2]
                                                    [--policy PACK] [--same-process]
                                                    [--db postgresql+psycopg://user@host/database]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import smtplib
import socket
import statistics
from collections import Counter
import sys
import tempfile
import threading
import time
import zlib
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import email_3000, pdf_file  # noqa: E402
from timing import percentile  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402

from councilguard.engine import Checker  # noqa: E402
from councilguard.gateway.config import RelayConfig  # noqa: E402
from councilguard.gateway.delivery import Upstream  # noqa: E402
from councilguard.gateway.checking import message_for  # noqa: E402
from councilguard.gateway.relay import Relay  # noqa: E402
from councilguard.gateway.spool import QUEUE, Envelope  # noqa: E402
from councilguard.records.mail import parse_mail  # noqa: E402

SENDER = "cllr.lowe@croxleygreen-pc.gov.uk"
RCPTS = ["planning@croxleygreen-pc.gov.uk", "j.smith@example.org"]


# --- a real PDF, by hand ------------------------------------------------------------------------------------


def make_pdf(rng: random.Random, pages_text: list[str], image_side: int = 256) -> bytes:
    """A valid PDF: one page of text per entry and, on the first page, a photograph-like RGB image
    (random pixels, so it does not compress: ``image_side``**2 * 3 bytes, 196 KB at 256)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    pixels = zlib.compress(rng.randbytes(image_side * image_side * 3), 1)
    image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                % (image_side, image_side, len(pixels), pixels))
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objects) + 2 * len(pages_text) + 1
    kids = []
    for n, text in enumerate(pages_text):
        lines = [text[i:i + 90] for i in range(0, len(text), 90)]
        ops = [b"BT /F1 10 Tf 50 780 Td 12 TL"]
        for line in lines:
            safe = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            ops.append(b"(" + safe + b") '")
        ops.append(b"ET")
        if n == 0:
            ops.append(b"q 200 0 0 200 200 100 cm /Im1 Do Q")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (pages_id, content, font, image)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) \
        == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    return pdf_file(objects, catalog)


def make_messages(n: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = email_3000(rng)["text"]
        msg = EmailMessage()
        msg["From"] = f"James Lowe <{SENDER}>"
        msg["To"] = ", ".join(RCPTS)
        msg["Subject"] = f"Planning committee notes {i}"
        msg["Message-ID"] = f"<bench-{i}-{rng.getrandbits(32):08x}@croxleygreen-pc.gov.uk>"
        msg.set_content(body)
        if i % 5 == 4:
            pdf = make_pdf(rng, [email_3000(rng)["text"][:1500] for _ in range(3)])
            msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"report-{i}.pdf")
        out.append(msg.as_bytes(policy=SMTP))
    return out


# --- the run ------------------------------------------------------------------------------------------------


class Counting:
    """The upstream's handler: counts what it is given."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def drained(relay: Relay, timeout: float = 300.0) -> None:
    """Wait until the relay's queue is empty: everything accepted (and every notice) went upstream."""
    deadline = time.monotonic() + timeout
    while relay.spool.ids(QUEUE):
        if time.monotonic() > deadline:
            raise SystemExit(f"the queue did not empty within {timeout:.0f} s")
        time.sleep(0.01)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def on_the_wire(message: bytes) -> bytes:
    """The DATA section as sent: dots doubled at line starts and the final "." line, as smtplib.SMTP.data makes
    it. That takes smtplib ~0.9 ms a message of this corpus (regular expressions over every line), which is
    the sending server's work, so the clients do it before they start the clock."""
    quoted = re.sub(rb"(?m)^\.", b"..", message)
    return quoted + (b"" if quoted.endswith(b"\r\n") else b"\r\n") + b".\r\n"


def send_data(conn: smtplib.SMTP, wire: bytes) -> tuple[int, bytes]:
    """smtplib.SMTP.data with the message already in its wire form (see :func:`on_the_wire`)."""
    conn.putcmd("data")
    code, reply = conn.getreply()
    if code != 354:
        return code, reply
    conn.send(wire)
    return conn.getreply()


def send_all(address: tuple[str, int], messages: list[bytes], clients: int, pipelining: bool = True
             ) -> tuple[list[float], list[int]]:
    """Send every message, ``clients`` connections at once; per-message latency (s) and reply codes.

    Where the server offers PIPELINING (RFC 2920), MAIL, the RCPTs and DATA go in one packet, as Postfix
    and Exchange send them; ``pipelining=False`` waits for each reply, as smtplib does."""
    latencies: list[float] = [0.0] * len(messages)
    codes: list[int] = [0] * len(messages)
    group = f"MAIL FROM:<{SENDER}>\r\n" + "".join(f"RCPT TO:<{r}>\r\n" for r in RCPTS) + "DATA\r\n"

    def client(k: int) -> None:
        with smtplib.SMTP(*address, timeout=60) as conn:
            conn.ehlo()
            pipelined = pipelining and conn.has_extn("pipelining")
            for i in range(k, len(messages), clients):
                wire = on_the_wire(messages[i])  # the sending server's work, before the clock starts
                start = time.perf_counter()
                if pipelined:
                    conn.send(group)
                    replies = [conn.getreply()[0] for _ in range(len(RCPTS) + 2)]
                    code = replies[-1]
                    if code == 354:
                        conn.send(wire)
                        code = conn.getreply()[0]
                    else:
                        code = next(c for c in replies if c >= 400)
                else:
                    conn.mail(SENDER)
                    for r in RCPTS:
                        conn.rcpt(r)
                    code, _ = send_data(conn, wire)
                latencies[i] = time.perf_counter() - start
                codes[i] = code

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, codes


class Peers:
    """The SMTP clients and the counting upstream: in this process, or each in a process of its own (``remote``).

    The clients stand for the council's mail system and the upstream for its mail provider: two other
    machines. In one process they would take turns for Python's lock, so a client would wait while the
    upstream reads the message delivered before (aiosmtpd reads DATA line by line, ~15 ms for one with a
    PDF), and that wait would be counted as the relay's."""

    def __init__(self, n: int, remote: bool, pipelining: bool = True):
        self.remote, self.pipelining = remote, pipelining
        if remote:
            context = multiprocessing.get_context("spawn")
            self.upstream_conn, child = context.Pipe()
            self.upstream_process = context.Process(target=_upstream_main, args=(child,), daemon=True)
            self.upstream_process.start()
            child.close()
            self.upstream_port = self.upstream_conn.recv()
            self.clients_conn, child = context.Pipe()
            self.clients_process = context.Process(target=_clients_main, args=(child, n), daemon=True)
            self.clients_process.start()
            child.close()
        else:
            self.messages = {"main": make_messages(n), "warm": make_messages(5, seed=99)}
            self.counting = Counting()
            self.upstream = Controller(self.counting, hostname="127.0.0.1", port=free_port())
            self.upstream.start()
            self.upstream_port = self.upstream.port

    def send(self, address: tuple[str, int], which: str, stop: int, clients: int
             ) -> tuple[list[float], list[int], float]:
        """Send messages[:stop] of ``which``; per-message latency (s), reply codes, seconds for them all."""
        if self.remote:
            self.clients_conn.send((address, which, stop, clients, self.pipelining))
            return self.clients_conn.recv()
        return _timed_send(address, self.messages[which][:stop], clients, self.pipelining)

    def delivered(self, reset: bool = False) -> int:
        if self.remote:
            self.upstream_conn.send(reset)
            return self.upstream_conn.recv()
        count = self.counting.count
        if reset:
            self.counting.count = 0
        return count

    def stop(self) -> None:
        if self.remote:
            for conn, process in ((self.clients_conn, self.clients_process),
                                  (self.upstream_conn, self.upstream_process)):
                conn.send(None)
                process.join(30)
        else:
            self.upstream.stop()


def _timed_send(address, messages, clients, pipelining):
    start = time.perf_counter()
    latencies, codes = send_all(address, messages, clients, pipelining)
    return latencies, codes, time.perf_counter() - start


def _clients_main(conn, n: int) -> None:
    """The clients' process: the same messages (same seeds), sent on request; ``None`` ends it."""
    messages = {"main": make_messages(n), "warm": make_messages(5, seed=99)}
    while (request := conn.recv()) is not None:
        address, which, stop, clients, pipelining = request
        conn.send(_timed_send(address, messages[which][:stop], clients, pipelining))


def _upstream_main(conn) -> None:
    """The upstream's process: counts what it is given; each request (reset or not) gets the count, ``None``
    ends it."""
    counting = Counting()
    upstream = Controller(counting, hostname="127.0.0.1", port=free_port())
    upstream.start()
    conn.send(upstream.port)
    try:
        while (reset := conn.recv()) is not None:
            conn.send(counting.count)
            if reset:
                counting.count = 0
    finally:
        upstream.stop()


def check_alone(checker: Checker, messages: list[bytes]) -> tuple[float, float]:
    """Mean ms per message of parse_mail and of the check, measured outside the relay, one at a time."""
    parse_s = check_s = 0.0
    env = Envelope(SENDER, tuple(RCPTS))
    for raw in messages:
        start = time.perf_counter()
        parsed = parse_mail(raw)
        mid = time.perf_counter()
        checker.check(message_for(parsed, env, checker.pack.council))
        end = time.perf_counter()
        parse_s += mid - start
        check_s += end - mid
    return parse_s / len(messages) * 1000, check_s / len(messages) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=300, help="messages to send (default 300)")
    ap.add_argument("--clients", type=int, default=4, help="SMTP connections sending at once (default 4)")
    ap.add_argument("--threads", type=int, default=2, help="messages the relay takes in at once (default 2)")
    ap.add_argument("--processes", type=int, default=2,
                    help="checker processes (default 2, one per core; 0: check in the relay's own process)")
    ap.add_argument("--db", default=None, help="archive database URL (default: a new SQLite file)")
    ap.add_argument("--policy", default=None, help="policy pack name or folder (default croxley-green)")
    ap.add_argument("--no-pipelining", action="store_true",
                    help="clients wait for each command's reply (smtplib's way) though the relay offers PIPELINING")
    ap.add_argument("--same-process", action="store_true",
                    help="run the SMTP clients and the upstream in the relay's process")
    args = ap.parse_args()

    messages = make_messages(args.n)
    with_pdf = sum(1 for i in range(args.n) if i % 5 == 4)
    sizes = [len(m) for m in messages]
    print(f"{args.n} messages ({with_pdf} with a PDF), {statistics.mean(sizes) / 1024:.0f} KB mean, "
          f"{sum(sizes) / 2**20:.1f} MB in all; {args.clients} SMTP clients, {args.threads} relay threads, "
          f"{args.processes} checker processes; clients and upstream in "
          f"{'the relay' + chr(39) + 's process' if args.same_process else 'processes of their own'}; clients "
          f"{'wait for each reply' if args.no_pipelining else 'pipeline MAIL, RCPT and DATA (RFC 2920)'}")

    checker = Checker.from_pack(args.policy)
    checker.warm_up()
    peers = Peers(args.n, remote=not args.same_process, pipelining=not args.no_pipelining)
    work = Path(tempfile.mkdtemp(prefix="cg-relay-bench-"))
    db = args.db or str(work / "archive.db")
    config = RelayConfig(upstream=Upstream("127.0.0.1", peers.upstream_port), spool=work / "spool", db=db,
                         listen_port=0, threads=args.threads, check_processes=args.processes, policy=args.policy)
    relay = Relay(config, checker=None if args.processes else checker).start()
    try:
        peers.send(relay.address, "warm", 5, 1)  # warm the path (first archive writes, pools)
        drained(relay)
        # 1. one message at a time: where the time of one message goes, with nothing else running
        alone = messages[:min(len(messages), 100)]
        before = snapshot(relay)
        cpu = time.process_time()
        latencies, _, _ = peers.send(relay.address, "main", len(alone), 1)
        drained(relay)
        cpu = (time.process_time() - cpu) / len(alone) * 1000
        per = phases(relay, before)
        # 2. all of them, several clients at once: throughput
        peers.delivered(reset=True)
        start = time.perf_counter()
        _, codes, answered_s = peers.send(relay.address, "main", len(messages), args.clients)
        drained(relay)
        delivered_s = time.perf_counter() - start
        delivered = peers.delivered()
    finally:
        relay.stop()
        peers.stop()

    refused = Counter(c for c in codes if c != 250)
    parse_alone, check_only = check_alone(checker, alone)
    latency_ms = [x * 1000 for x in latencies]
    beyond = statistics.mean(latency_ms) - per["check"]
    rate = args.n / answered_s
    print(f"database: {'SQLite' if not args.db else args.db.split('@')[-1]}")
    print(f"\n1. one message at a time ({len(alone)} messages):")
    print(f"   SMTP round trip per message: mean {statistics.mean(latency_ms):.1f} ms, p50 "
          f"{percentile(latency_ms, 0.5):.1f}, p95 {percentile(latency_ms, 0.95):.1f}")
    print("   inside the relay, mean ms: " + ", ".join(f"{k} {v:.1f}" for k, v in per.items()))
    print(f"   the check alone, outside the relay: {check_only:.1f} ms (parse_mail {parse_alone:.1f} ms)")
    print(f"   beyond the check: {beyond:.1f} ms per message = parse {per['parse']:.1f} + archive {per['archive']:.1f} "
          f"(the spool file is written meanwhile) + spool {per['spool']:.1f} (into its folder, and any notice) "
          f"+ SMTP, checker process hand-off and the rest "
          f"{beyond - per['parse'] - per['archive'] - per['spool']:.1f}")
    # the same rest, split where the relay's own clock can split it: around its intake (the SMTP exchange,
    # including sending the message, and the hops to and from the intake thread) and inside it
    handoff = per["total"] - per["parse"] - per["check"] - per["archive"] - per["spool"]
    print(f"     (that rest = SMTP exchange and thread hops {statistics.mean(latency_ms) - per['total']:.1f} "
          f"+ checker process hand-off, decision and the like {handoff:.1f})")
    kept_out = "not the checker or delivery processes" if args.processes else "delivery included"
    print(f"   CPU time of the relay's process: {cpu:.1f} ms per message (receiving, hand-off, archive, spool; "
          f"{kept_out}" + (", but the SMTP clients and upstream too)" if args.same_process
                           else ")") + " - steadier than wall time on a busy machine")
    print(f"\n2. {args.n} messages, {args.clients} clients at once:")
    print(f"   answered {args.n} in {answered_s:.2f} s = {rate:.1f} msg/s ({args.n - sum(refused.values())} accepted "
          f"with 250" + "".join(f", {n} refused {c}" for c, n in refused.items()) + ")")
    print(f"   {delivered} delivered upstream (notices included) by {delivered_s:.2f} s = "
          f"{delivered / delivered_s:.1f} msg/s")
    print(f"\ntargets: >= 30 msg/s: {'met' if rate >= 30 else 'NOT met'} ({rate:.1f}); <= 10 ms beyond the "
          f"check: {'met' if beyond <= 10 else 'NOT met'} ({beyond:.1f} ms)")


def snapshot(relay: Relay) -> tuple[dict[str, float], int]:
    return dict(relay.intake.stats.seconds), relay.intake.stats.messages


def phases(relay: Relay, before: tuple[dict[str, float], int]) -> dict[str, float]:
    """Mean ms per message in each intake phase since ``before``."""
    stats = relay.intake.stats
    n = max(stats.messages - before[1], 1)
    return {k: (stats.seconds[k] - before[0].get(k, 0.0)) / n * 1000 for k in stats.seconds}


if __name__ == "__main__":
    main()
