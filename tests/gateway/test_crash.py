"""``kill -9`` the relay while it is delivering: every message it answered 250 must still arrive, or be held.

The relay runs as its own process (``python -m councilguard.cli.relay serve``, checking in a worker
process), as in production; its checker process must exit by itself when the relay is killed. The
upstream is slow, so when the relay is killed most accepted mail is still in its spool. A second relay
on the same spool and archive must deliver the rest. Delivery is at-least-once: a message the upstream
had accepted just before the kill, but whose spool file was not yet removed, may arrive twice; this test
allows at most that one message per kill to be duplicated and says so if it happens.
"""

from __future__ import annotations

import email
import os
import signal
import smtplib
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from councilguard.gateway import quarantine
from councilguard.gateway.spool import QUEUE, Spool
from councilguard.records.archive import Archive
from tests.gateway.conftest import CLEAN, CLERK, LOWE, PERSONAL_FORWARD, UpstreamServer, email as mail, free_port

GMAIL = "jameslowe1962@gmail.com"


def _start(port: int, upstream: int, tmp: Path, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "councilguard.cli.relay", "serve", "--listen", f"127.0.0.1:{port}",
           "--upstream", f"127.0.0.1:{upstream}", "--db", str(tmp / "archive.db"), "--spool", str(tmp / "spool"),
           "--processes", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(log, "ab"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the relay exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as probe:
                probe.noop()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"the relay did not start within 60 s: {log.read_text()[-2000:]}")


def _children(parent: int) -> set[int]:
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == parent:
                    found.add(int(pid))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _gone(pids: set[int], timeout: float) -> set[int]:
    """Which of ``pids`` are still running after ``timeout`` seconds (zombies count as gone)."""
    deadline = time.monotonic() + timeout
    while True:
        alive = set()
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[0] != "Z":
                        alive.add(pid)
            except OSError:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def _send_all(port: int, messages: list[tuple[str, bytes, str]]) -> list[str]:
    """Send each (subject, raw, rcpt) over one connection; the subjects answered 250."""
    accepted = []
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as conn:
        conn.ehlo()
        for subject, raw, rcpt in messages:
            conn.mail(LOWE)
            conn.rcpt(rcpt)
            code, _ = conn.data(raw)
            if code == 250:
                accepted.append(subject)
    return accepted


def test_kill_9_mid_delivery_loses_no_accepted_message(tmp_path):
    upstream = UpstreamServer().start()
    upstream.handler.delay = 0.15  # slow upstream: the queue builds up
    port, log = free_port(), tmp_path / "relay.log"
    messages = []
    for i in range(16):
        subject = f"{CLEAN[0]} {i}"
        messages.append((subject, mail(subject, CLEAN[1]), CLERK))
    for i in range(4):
        subject = f"{PERSONAL_FORWARD[0]} {i}"
        messages.append((subject, mail(subject, PERSONAL_FORWARD[1], to=GMAIL), GMAIL))
    started: list[subprocess.Popen] = []
    try:
        first = _start(port, upstream.port, tmp_path, log)
        started.append(first)
        accepted = _send_all(port, messages)
        assert len(accepted) == 20
        upstream.handler.wait_for(3, timeout=30)
        helpers = _children(first.pid)
        assert len(helpers) >= 2, "the relay should check and deliver in processes of its own"
        os.kill(first.pid, signal.SIGKILL)  # mid-delivery: no chance to clean up
        first.wait(10)
        assert not _gone(helpers, 10), "the killed relay's checker and delivery processes did not exit"
        delivered_before = len(upstream.handler.received)
        left = Spool(tmp_path / "spool").ids(QUEUE)
        assert left, "the kill came too late to test anything: the queue was already empty"

        upstream.handler.delay = 0.0
        second = _start(port, upstream.port, tmp_path, log)
        started.append(second)
        try:
            clean = [s for s in accepted if s.startswith(CLEAN[0])]
            held = [s for s in accepted if s.startswith(PERSONAL_FORWARD[0])]
            # every clean message, plus one notice per held message, in any order
            upstream.handler.wait_for(len(clean) + len(held), timeout=30)
            deadline = time.monotonic() + 10
            while Spool(tmp_path / "spool").ids(QUEUE) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(30) == 0, log.read_text()[-2000:]
    finally:
        for proc in started:  # a failed assertion must not leave a relay running
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        upstream.stop()

    got = upstream.handler.received
    subjects = Counter(email.message_from_bytes(r.data)["Subject"] for r in got if r.rcpt_tos == [CLERK])
    notices = [r for r in got if r.rcpt_tos == [LOWE]]
    assert set(subjects) == set(clean), f"missing: {set(clean) - set(subjects)}"
    duplicates = {s: n for s, n in subjects.items() if n > 1}
    assert len(duplicates) <= 1, f"more than the one in-flight message was sent twice: {duplicates}"
    assert not upstream.handler.to(GMAIL), "a held message was sent"
    still_held = sorted(e.subject for e in quarantine.held(Spool(tmp_path / "spool")))
    assert still_held == sorted(held)
    assert len(notices) >= len(held)
    assert Spool(tmp_path / "spool").ids(QUEUE) == []
    archive = Archive.open(str(tmp_path / "archive.db"), migrate=False)
    try:
        assert archive.count() == 20  # every accepted message archived once
    finally:
        archive.close()
    print(f"delivered before the kill: {delivered_before}; queued at the kill: {len(left)}; "
          f"duplicates after restart: {duplicates or 'none'}")
