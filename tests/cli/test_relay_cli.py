"""`councilguard relay ...` as the Clerk uses it, on a real spool folder and a real SQLite archive.

The sub-app is mounted on a root app as `councilguard.cli` registers it and driven through Typer's runner.
`relay serve` itself runs as a real process in tests/gateway/test_crash.py; here only its refusals.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import typer
from typer.testing import CliRunner

from councilguard.cli import relay as relay_cli
from councilguard.gateway.spool import HELD, QUEUE, Envelope, Spool, SpoolEntry, new_id
from councilguard.records.archive import Archive, ArchiveItem

root = typer.Typer()
root.add_typer(relay_cli.app, name="relay")
runner = CliRunner()
NOW = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)
LOWE = "cllr.lowe@croxleygreen-pc.gov.uk"


def cli(*args: str):
    return runner.invoke(root, ["relay", *args])


@pytest.fixture
def held(tmp_path):
    """Two held messages (records 1 and 2) in a spool, archived in a SQLite file."""
    db, spool_dir = str(tmp_path / "archive.db"), str(tmp_path / "spool")
    archive = Archive.open(db)
    spool = Spool(spool_dir)
    for n, subject in enumerate(["Fwd: Draft budget", "Tender papers"]):
        raw = f"From: {LOWE}\r\nSubject: {subject}\r\n\r\nbody {n}\r\n".encode()
        record = archive.add(ArchiveItem(raw=raw, sender=LOWE, received_at=NOW, subject=subject, verdict="warn",
                                         disposition="held"))
        spool.put(SpoolEntry(id=new_id(), envelope=Envelope(LOWE, ("jameslowe1962@gmail.com",)), received_at=NOW,
                             record_id=record.id, sender=LOWE, subject=subject, rules=("personal-email-account",),
                             reasons=("personal-email-account (warn, clause 6): council business to a personal "
                                      "account; use your council address",)), raw, folder=HELD)
    archive.close()
    return db, spool_dir


def test_held_lists_what_is_held_and_why(held):
    _, spool = held
    out = cli("held", "--spool", spool)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("#1  ") and f"from {LOWE}  to jameslowe1962@gmail.com" in lines[0]
    assert lines[1] == "    subject: Fwd: Draft budget"
    assert lines[2].startswith("    why: personal-email-account (warn, clause 6)")
    assert lines[-1] == "2 message(s) held. Release one with: councilguard relay release ID --by NAME"


def test_held_as_json(held):
    _, spool = held
    out = cli("held", "--spool", spool, "--json")
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert [(r["id"], r["subject"], r["rules"]) for r in rows] == [
        (1, "Fwd: Draft budget", ["personal-email-account"]), (2, "Tender papers", ["personal-email-account"])]


def test_nothing_held(tmp_path):
    out = cli("held", "--spool", str(tmp_path / "empty"))
    assert out.exit_code == 0 and out.output == "0 message(s) held.\n"


def test_release_queues_it_and_records_who(held):
    db, spool = held
    out = cli("release", "1", "--by", "Helen Marsh", "--reason", "consent given", "--spool", spool, "--db", db)
    assert out.exit_code == 0, out.output
    assert out.output == ("Released #1 (Fwd: Draft budget) to jameslowe1962@gmail.com: queued for the relay to "
                          "send.\n")
    assert len(Spool(spool).ids(QUEUE)) == 1 and len(Spool(spool).ids(HELD)) == 1
    archive = Archive.open(db, migrate=False)
    try:
        event = archive.events(1)[-1]
        assert (event.kind, event.disposition, event.detail["actor"]) == ("released", "relayed", "Helen Marsh")
    finally:
        archive.close()


def test_discard_records_the_reason(held):
    db, spool = held
    out = cli("discard", "2", "--by", "Helen Marsh", "--reason", "sent again without the data", "--spool", spool,
              "--db", db)
    assert out.exit_code == 0, out.output
    assert out.output == "Discarded #2 (Tender papers); the archive keeps it.\n"
    assert [e.record_id for e in (Spool(spool).entries(HELD))] == [1]


@pytest.mark.parametrize(("args", "message"), [
    (["release", "9", "--by", "Helen"], "error: no held message '9'; held messages are: 1, 2"),
    (["release", "1", "--by", " "], "error: say who is doing this (--by NAME)"),
    (["discard", "1", "--by", "Helen", "--reason", ""], "error: give the reason for discarding"),
])
def test_mistakes_get_one_plain_sentence(held, args, message):
    db, spool = held
    out = cli(*args, "--spool", spool, "--db", db)
    assert out.exit_code == 2 and out.output.startswith(message), out.output


def test_release_needs_by(held):
    db, spool = held
    out = cli("release", "1", "--spool", spool, "--db", db)
    assert out.exit_code == 2 and "Missing option '--by'" in out.output


def test_release_without_an_archive_says_where_it_looked(held, tmp_path):
    _, spool = held
    out = cli("release", "1", "--by", "Helen", "--spool", spool, "--db", str(tmp_path / "nowhere.db"))
    assert out.exit_code == 2 and out.output.startswith(f"error: no archive at {tmp_path / 'nowhere.db'}")


@pytest.mark.parametrize(("args", "message"), [
    (["--listen", "nope", "--upstream", "127.0.0.1:25"], "error: --listen: 'nope' is not HOST:PORT"),
    (["--upstream", "127.0.0.1:25", "--max-size", "-1"], "error: --max-size: -1 MB: give a size above 0"),
])
def test_serve_refuses_bad_settings(tmp_path, args, message):
    out = cli("serve", *args, "--spool", str(tmp_path / "spool"), "--db", str(tmp_path / "a.db"))
    assert out.exit_code == 2 and out.output.splitlines()[-1].startswith(message), out.output


def test_serve_refuses_a_spool_another_relay_is_using(tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.lock()
    try:
        out = cli("serve", "--upstream", "127.0.0.1:25", "--listen", "127.0.0.1:0", "--spool", str(tmp_path / "spool"),
                  "--db", str(tmp_path / "a.db"))
    finally:
        spool.unlock()
    assert out.exit_code == 2
    assert "is in use by a running relay" in out.output.splitlines()[-1]
