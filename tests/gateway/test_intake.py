"""The intake pipeline without sockets: what it spools and counts, and the relay's own failures.

When the archive or the spool cannot be written the answer must be a temporary 451 (nothing accepted, the
sender's server retries); these tests break a real SQLite archive and a real spool folder to get there.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from councilguard.gateway.checking import InProcess
from councilguard.gateway.intake import Intake
from councilguard.gateway.spool import HELD, QUEUE, Envelope, Spool
from councilguard.records.archive import Archive
from tests.gateway.conftest import CLEAN, CLERK, LOWE, PERSONAL_FORWARD, email

GMAIL = "jameslowe1962@gmail.com"


@pytest.fixture
def intake(tmp_path, checker):
    archive = Archive.open(str(tmp_path / "a.db"))
    woken = []
    made = Intake(checker.pack, InProcess(checker), archive, Spool(tmp_path / "spool"),
                  on_spooled=lambda: woken.append(1))
    made.woken = woken
    yield made
    archive.close()


def test_accepted_messages_are_spooled_before_the_answer(intake):
    reply = intake.accept(Envelope(LOWE, (CLERK,)), email(*CLEAN))
    assert reply.startswith("250 2.0.0 Accepted") and len(intake.spool.ids(QUEUE)) == 1 and intake.woken == [1]
    reply = intake.accept(Envelope(LOWE, (GMAIL,)), email(*PERSONAL_FORWARD, to=GMAIL))
    assert reply.startswith("250 2.0.0 Accepted but held") and len(intake.spool.ids(HELD)) == 1
    assert len(intake.spool.ids(QUEUE)) == 2  # the message, and the notice to the sender
    assert intake.stats.messages == 2 and intake.stats.dispositions == {"relayed": 1, "held": 1}
    assert all(intake.stats.seconds[p] > 0 for p in ("parse", "check", "archive", "spool", "total"))


def test_empty_message_is_refused_and_nothing_kept(intake):
    assert intake.accept(Envelope(LOWE, (CLERK,)), b" \r\n").startswith("554 5.6.0")
    assert intake.archive.count() == 0


def test_archive_failure_is_a_temporary_451(intake, tmp_path):
    with sqlite3.connect(tmp_path / "a.db") as conn:
        conn.execute("ALTER TABLE records RENAME TO records_elsewhere")
    reply = intake.accept(Envelope(LOWE, (CLERK,)), email(*CLEAN))
    assert reply.startswith("451 4.3.0 Not accepted: the relay could not store this message safely (the archive "
                            "could not be written: OperationalError); nothing was kept")
    assert intake.spool.ids(QUEUE) == []


def test_spool_failure_is_a_temporary_451_and_a_retry_is_not_archived_twice(intake, tmp_path):
    queue = tmp_path / "spool" / QUEUE
    shutil.rmtree(queue)
    queue.write_text("a file where the queue folder should be")
    raw = email(*CLEAN)
    reply = intake.accept(Envelope(LOWE, (CLERK,)), raw)
    assert reply.startswith("451 4.3.0") and "the spool could not be written" in reply
    queue.unlink()
    queue.mkdir()
    assert intake.accept(Envelope(LOWE, (CLERK,)), raw).startswith("250")  # the sender's server retries
    assert intake.archive.count() == 1
    [record] = [intake.archive.get(1)]
    assert [e.kind for e in intake.archive.events(record.id)] == ["archived", "duplicate"]
