"""The delivery worker against a real upstream SMTP server: retries, partial refusals, bounces, give-up.

Each test spools a message into a real spool folder with its record in a real SQLite archive, runs the
worker with short backoff delays, and looks at what the upstream got and what the archive recorded.
"""

from __future__ import annotations

import email
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller

from councilguard.gateway.delivery import Backoff, DeliveryWorker, Upstream
from councilguard.gateway.notify import NoticeSender
from councilguard.gateway.spool import BAD, QUEUE, Envelope, Spool, SpoolEntry, new_id
from councilguard.policy import Pack
from councilguard.records.archive import Archive, ArchiveItem
from tests.gateway.conftest import FAST, LOWE, UpstreamServer, free_port, wait_until

OK, LATER, NOBODY = "ok@example.com", "later@example.com", "nobody@example.com"


@pytest.fixture
def env(tmp_path):
    archive = Archive.open(str(tmp_path / "a.db"))
    spool = Spool(tmp_path / "spool")
    workers: list[DeliveryWorker] = []

    def spooled(rcpts, *, raw=b"From: cllr.lowe@croxleygreen-pc.gov.uk\r\nSubject: Hall roof\r\n\r\nTenders.\r\n",
                mail_from=LOWE, age=timedelta(0)):
        when = datetime.now(timezone.utc) - age
        record = archive.add(ArchiveItem(raw=raw + new_id().encode(), sender=mail_from or "<>", received_at=when,
                                         subject="Hall roof"))
        entry = SpoolEntry(id=new_id(), envelope=Envelope(mail_from, tuple(rcpts)), received_at=when,
                           record_id=record.id, subject="Hall roof")
        spool.put(entry, raw)
        return entry

    def worker(port, backoff: Backoff = FAST) -> DeliveryWorker:
        w = DeliveryWorker(spool, Upstream("127.0.0.1", port, timeout=5), archive,
                           NoticeSender.for_pack(Pack.bundled("croxley-green")), backoff=backoff, poll=0.1)
        w.start()
        workers.append(w)
        return w

    yield spool, archive, spooled, worker
    for w in workers:
        w.stop()
    archive.close()


def test_upstream_down_then_up_is_retried_until_delivered(env):
    spool, _, spooled, worker = env
    port = free_port()
    entry = spooled([OK])
    w = worker(port)
    wait_until(lambda: w._down_count >= 2, what="two failed connection attempts")
    assert spool.ids(QUEUE) == [entry.id]  # still safe in the spool
    upstream = UpstreamServer(port).start()
    try:
        got = upstream.handler.wait_for(1)
        wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
        assert got[0].rcpt_tos == [OK] and got[0].data.endswith(b"Tenders.\r\n") and w.delivered == 1
    finally:
        upstream.stop()


def test_temporary_refusal_is_retried_and_delivered_once(env, upstream):
    spool, _, spooled, worker = env
    upstream.handler.mode = "tempfail"
    spooled([OK])
    w = worker(upstream.port)
    wait_until(lambda: sum(w._tries.values()) >= 2, what="two temporary failures")
    upstream.handler.mode = "ok"
    upstream.handler.wait_for(1)
    wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
    assert len(upstream.handler.received) == 1 and w.bounced == 0


def test_one_recipient_refused_for_now_is_retried_alone(env, upstream):
    spool, _, spooled, worker = env
    upstream.handler.refuse = {LATER: "450 4.2.1 mailbox busy"}
    entry = spooled([OK, LATER])
    worker(upstream.port)
    upstream.handler.wait_for(1)
    wait_until(lambda: spool.entry(entry.id).envelope.rcpt_tos == (LATER,), what="the entry to keep only LATER")
    upstream.handler.refuse = {}
    got = upstream.handler.wait_for(2)
    assert [g.rcpt_tos for g in got] == [[OK], [LATER]]


def test_permanent_refusal_is_a_bounce_event_and_a_notice_to_the_sender(env, upstream):
    spool, archive, spooled, worker = env
    upstream.handler.refuse = {NOBODY: "550 5.1.1 no such user"}
    entry = spooled([OK, NOBODY])
    w = worker(upstream.port)
    got = upstream.handler.wait_for(2)  # the message to OK, then the notice to the sender
    assert got[0].rcpt_tos == [OK]
    notice = email.message_from_bytes(got[1].data)
    assert got[1].rcpt_tos == [LOWE] and got[1].mail_from == "<>" and notice["Subject"] == "Not delivered: Hall roof"
    assert b"nobody@example.com: 550 5.1.1 no such user" in got[1].data
    wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
    event = archive.events(entry.record_id)[-1]
    assert event.kind == "bounced" and event.detail["recipients"] == {NOBODY: "550 5.1.1 no such user"}
    assert archive.raw(entry.record_id)  # the message stays archived
    assert (w.delivered, w.bounced) == (2, 1)  # the message to OK, and the notice


def test_message_refused_outright_and_a_null_sender_gets_no_notice(env, upstream):
    spool, archive, spooled, worker = env
    upstream.handler.mode = "reject"
    entry = spooled([OK], mail_from="")
    w = worker(upstream.port)
    wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
    assert archive.events(entry.record_id)[-1].detail["recipients"] == {OK: "554 5.7.1 refused by upstream policy"}
    assert w.bounced == 1 and upstream.handler.received == []


def test_after_give_up_after_a_temporary_failure_becomes_a_bounce(env, upstream):
    spool, archive, spooled, worker = env
    upstream.handler.refuse = {LATER: "451 4.4.1 try later"}
    entry = spooled([LATER], mail_from="", age=timedelta(days=6))
    worker(upstream.port)
    wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
    why = archive.events(entry.record_id)[-1].detail["recipients"][LATER]
    assert why == "not delivered for 5 days; last answer: 451 4.4.1 try later"


def test_upstream_without_smtputf8_bounces_an_international_address(env):
    spool, archive, spooled, worker = env
    port = free_port()
    plain = Controller(UpstreamServer().handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
    plain.start()
    try:
        entry = spooled(["zoë@bücher.example"], mail_from="")
        worker(port)
        wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
        why = archive.events(entry.record_id)[-1].detail["recipients"]["zoë@bücher.example"]
        assert why.startswith("the upstream server cannot take this message")
    finally:
        plain.stop()


def test_an_unreadable_spool_file_is_set_aside_and_the_rest_delivered(env, upstream):
    spool, _, spooled, worker = env
    (spool.root / QUEUE / "0000-unreadable").write_bytes(b"garbage")
    spooled([OK])
    worker(upstream.port)
    upstream.handler.wait_for(1)
    wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
    assert spool.ids(BAD) == ["0000-unreadable"]


def test_dot_stuffing_is_smtplibs_own():
    import random
    import smtplib

    from councilguard.gateway.delivery import _dot_stuffed

    rng = random.Random(5)
    samples = [b"", b".", b"..\r\n", b"a\r\n.b\r\n.\r\n", b".start\n.lf only\r.cr only"]
    samples += [bytes(rng.choice(b".\r\na") for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    for data in samples:
        assert _dot_stuffed(data) == smtplib._quote_periods(data)
