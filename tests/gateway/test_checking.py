"""Reading and checking a message: who the checker is told wrote it, failures, and the checker processes.

The process pool test starts a real worker process (it loads the models, so it takes a few seconds),
checks a message in it, then kills the worker with SIGKILL: that message must come back as a checker
failure (so the pack's fail-open or fail-closed applies), and the next one must be checked again.
"""

from __future__ import annotations

import os
import signal

import pytest

from councilguard.engine import Checker
from councilguard.gateway.checking import InProcess, ProcessPool, examine, message_for
from councilguard.gateway.spool import Envelope
from councilguard.records.mail import parse_mail
from tests.gateway.conftest import CLERK, LOWE, PERSONAL_FORWARD, email

GMAIL = "jameslowe1962@gmail.com"


@pytest.mark.parametrize(("frm", "mail_from", "rcpts", "author", "bcc"), [
    (LOWE, LOWE, [LOWE], ("James Lowe", "councillor", LOWE), []),
    (CLERK, CLERK, [LOWE, "x@y.example"], ("Helen Marsh", "proper-officer", CLERK), ["x@y.example"]),
    ("resident@example.com", "resident@example.com", [LOWE], (None, None, "resident@example.com"), []),
    (None, LOWE, [CLERK], ("James Lowe", "councillor", LOWE), [CLERK]),
])
def test_message_for_names_the_author_from_the_roster(checker, frm, mail_from, rcpts, author, bcc):
    raw = (f"From: {frm}\r\n" if frm else "").encode() + b"To: " + LOWE.encode() + b"\r\nSubject: s\r\n\r\nhi\r\n"
    message = message_for(parse_mail(raw), Envelope(mail_from, tuple(rcpts)), checker.pack.council)
    assert (message.author.name, message.author.role, message.author.email) == author
    assert message.bcc == bcc and message.from_ == (frm or mail_from) and message.kind == "email"


class Exploding(Checker):
    def check(self, message, **kwargs):
        raise ValueError("detector blew up")


def test_examine_reports_findings_or_the_failure(checker):
    env = Envelope(LOWE, (GMAIL,))
    raw = email(*PERSONAL_FORWARD, to=GMAIL)
    early = []
    found = InProcess(checker)(raw, env, on_parsed=early.append)
    assert early == [found.parsed] and found.failure is None
    assert [f.rule for f in found.report.findings] == ["personal-email-account"]
    assert found.parsed.subject == PERSONAL_FORWARD[0] and found.parse_seconds > 0 and found.check_seconds > 0
    failed = examine(Exploding(checker.pack), raw, env)
    assert failed.report is None and failed.failure == "ValueError: detector blew up"
    assert failed.parsed.subject == PERSONAL_FORWARD[0]  # still read, so it can be archived


def _children() -> set[int]:
    """Our spawned worker processes (not multiprocessing's resource tracker)."""
    me, found = os.getpid(), set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat, open(f"/proc/{pid}/cmdline", "rb") as cmd:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == me and b"spawn_main" in cmd.read():
                    found.add(int(pid))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_a_dead_checker_process_costs_one_message_not_the_relay():
    env = Envelope(LOWE, (GMAIL,))
    raw = email(*PERSONAL_FORWARD, to=GMAIL)
    before = _children()
    pool = ProcessPool("croxley-green", 1)
    try:
        pool.start()
        early = []  # the parsed mail comes back before the check ends; a failure to use it costs nothing
        assert [f.rule for f in pool(raw, env, on_parsed=early.append).report.findings] == ["personal-email-account"]
        assert [p.subject for p in early] == [PERSONAL_FORWARD[0]]
        assert pool(raw, env, on_parsed=lambda parsed: 1 / 0).report.findings
        [worker] = _children() - before
        os.kill(worker, signal.SIGKILL)
        lost = pool(raw, env)
        assert lost.report is None and lost.failure == "the checker process died (BrokenProcessPool)"
        assert lost.parsed.subject == PERSONAL_FORWARD[0]
        assert [f.rule for f in pool(raw, env).report.findings] == ["personal-email-account"]
    finally:
        pool.close()
