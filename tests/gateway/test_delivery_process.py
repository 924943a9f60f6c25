"""The delivery worker in a process of its own: it delivers, bounces into the archive, stops cleanly, and
two of them on one spool never both deliver (the restarted relay's case), each against a real upstream."""

from __future__ import annotations

import email as email_module
from datetime import datetime, timezone

import pytest

from councilguard.gateway.config import RelayConfig
from councilguard.gateway.delivery import DeliveryWorker, Upstream
from councilguard.gateway.delivery_process import DeliveryProcess
from councilguard.gateway.notify import NoticeSender
from councilguard.gateway.relay import Relay
from councilguard.gateway.spool import QUEUE, Envelope, Spool, SpoolEntry, new_id
from councilguard.policy import Pack
from councilguard.records.archive import Archive, ArchiveItem
from tests.gateway.conftest import CLEAN, CLERK, FAST, LOWE, email, send, wait_until

NOTICES = NoticeSender.for_pack(Pack.bundled("croxley-green"))


def subject_of(received) -> str:
    return email_module.message_from_bytes(received.data)["Subject"]


@pytest.fixture
def setting(tmp_path):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    archive = Archive.open(url)
    spool = Spool(tmp_path / "spool")
    started: list[DeliveryProcess] = []

    def spooled(subject: str, rcpts=(CLERK,)) -> SpoolEntry:
        raw = email(subject, "Tenders for the hall roof.")
        record = archive.add(ArchiveItem(raw=raw, sender=LOWE, received_at=datetime.now(timezone.utc),
                                         subject=subject))
        entry = SpoolEntry(id=new_id(), envelope=Envelope(LOWE, tuple(rcpts)), received_at=record.received_at,
                           record_id=record.id, subject=subject)
        spool.put(entry, raw)
        return entry

    def process(port: int) -> DeliveryProcess:
        started.append(DeliveryProcess(spool.root, Upstream("127.0.0.1", port, timeout=5), url, NOTICES,
                                       backoff=FAST, poll=0.1).start())
        return started[-1]

    yield spool, archive, spooled, process
    for p in started:
        p.stop()
    archive.close()


def test_delivers_what_is_spooled_and_stops_when_asked(setting, upstream):
    spool, _, spooled, process = setting
    worker = process(upstream.port)
    for i in range(3):
        spooled(f"Hall roof {i}")
        worker.wake()
    got = upstream.handler.wait_for(3, timeout=30)
    assert sorted(subject_of(r) for r in got) == ["Hall roof 0", "Hall roof 1", "Hall roof 2"]
    wait_until(lambda: not spool.ids(QUEUE), what="the queue to empty")
    worker.stop()
    assert not worker.is_alive() and worker.process.exitcode == 0


def test_a_permanent_refusal_is_recorded_on_the_archived_record(setting, upstream):
    spool, archive, spooled, process = setting
    upstream.handler.refuse["nobody@example.com"] = "550 5.1.1 no such user"
    entry = spooled("Refused", rcpts=("nobody@example.com",))
    process(upstream.port).wake()
    wait_until(lambda: "bounced" in [e.kind for e in archive.events(entry.record_id)], timeout=30,
               what="the bounce to be recorded")
    assert upstream.handler.wait_for(1, timeout=30)[0].rcpt_tos == [LOWE]  # the sender's notice


def test_a_second_deliverer_on_the_same_spool_waits_for_the_first_to_stop(setting, upstream):
    spool, _, spooled, process = setting
    first = process(upstream.port)
    spooled("Before")
    upstream.handler.wait_for(1, timeout=30)
    second = process(upstream.port)
    upstream.handler.delay = 0.6  # slow: without the lock both would be sending the oldest files at once
    for i in range(5):
        spooled(f"During {i}")
    second.wake()  # the second is asked first, but cannot deliver until it holds the lock
    first.wake()
    upstream.handler.wait_for(6, timeout=30)
    first.stop()
    upstream.handler.delay = 0.0
    spooled("After")
    second.wake()
    got = upstream.handler.wait_for(7, timeout=30)
    subjects = [subject_of(r) for r in got]
    assert sorted(subjects) == sorted(["Before", *(f"During {i}" for i in range(5)), "After"])  # each once
    assert second.is_alive()


@pytest.mark.parametrize("processes, separate, expected", [
    (1, None, DeliveryProcess), (0, None, DeliveryWorker), (1, False, DeliveryWorker), (0, True, DeliveryProcess)])
def test_the_relay_delivers_from_a_process_when_it_checks_in_processes(tmp_path, upstream, processes, separate,
                                                                      expected):
    config = RelayConfig(upstream=Upstream("127.0.0.1", upstream.port, timeout=10), spool=tmp_path / "spool",
                         db=str(tmp_path / "archive.db"), listen_port=0, backoff=FAST, poll_seconds=0.2,
                         check_processes=processes, delivery_process=separate)
    with Relay(config) as relay:
        assert isinstance(relay.worker, expected)
        assert send(relay, email(*CLEAN))[0] == 250
        assert subject_of(upstream.handler.wait_for(1, timeout=30)[0]) == CLEAN[0]
