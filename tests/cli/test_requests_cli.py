"""`councilguard request ...` as the Clerk uses it, on a real SQLite file and a real PostgreSQL schema.

The sub-app is mounted on a root app as `councilguard.cli` would mount it, and driven through Typer's runner
(real argument parsing, real database, real files written and read back).
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import typer
from pypdf import PdfReader
from typer.testing import CliRunner

from councilguard.cli import requests as requests_cli
from councilguard.records.archive import Archive
from tests.records.conftest import _pg_archive, _sqlite_template, db_url, pg_database  # noqa: F401
from tests.records.test_requests import verge_records

root = typer.Typer()
root.add_typer(requests_cli.app, name="request")
runner = CliRunner()
BY = ["--by", "Helen Marsh"]
LIT = "No legitimate interest needs the neighbours' names or numbers."


def cli(url: str, *args: str):
    return runner.invoke(root, ["request", "--db", url, *args])


def ok(url: str, *args: str) -> str:
    result = cli(url, *args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def seeded(db_url):
    archive = Archive.open(db_url)
    try:
        return db_url, verge_records(archive)
    finally:
        archive.close()


def test_the_clerk_answers_an_foi_request_from_register_to_release(seeded, tmp_path):
    url, ids = seeded
    out = ok(url, "register", "foi", "--received", "2025-03-10", "--name", "Sam Writer", "--email", "sam@example.org",
             "--wording", "All correspondence about verge parking in 2025.", "--search", "verge", *BY,
             "--today", "2025-03-20")
    assert "Registered FOI-2025-001: Freedom of Information request received 2025-03-10." in out
    assert "search 1 (query=verge) holds what it matches: hold 'FOI-2025-001'" in out
    assert "status open; due 2025-04-08" in out and "Holidays not counted: Monday 17 March 2025" in out
    assert "Collected 3 new record(s); 0 were already collected." in ok(url, "collect", "FOI-2025-001", *BY)
    listed = ok(url, "records", "FOI-2025-001", "--scope", "pending")
    assert f"#{ids['complaint']}  pending  2025-03-03  Joan Baker <joan.baker@example.com>  Verge parking" in listed
    assert "Marked 2 record(s) in scope." in ok(url, "review", "FOI-2025-001", str(ids["complaint"]),
                                                   str(ids["reply"]), "--scope", "in", *BY)
    refused = cli(url, "review", "FOI-2025-001", str(ids["legal"]), "--scope", "out")
    assert refused.exit_code == 2 and "error: say why the record is out of scope (a note)" in refused.output
    ok(url, "review", "FOI-2025-001", str(ids["legal"]), "--scope", "in", "--withhold", "s42 legal professional "
       "privilege", "--note", "solicitor's advice", *BY)
    proposed = ok(url, "propose", "FOI-2025-001", *BY)
    assert f"#{ids['legal']}: skipped (withheld whole)" in proposed and "proposal(s) for 2 record(s)" in proposed
    pending = ok(url, "redactions", "FOI-2025-001", "--undecided")
    assert "'Peter Grant'  proposed redact [s40(2)]: personal data of a third party (a name)  -> UNDECIDED" in pending
    assert "'Cllr Sharma'  proposed keep [s40(2)]: keep: public role (Priya Sharma, councillor)" in pending
    no_note = cli(url, "accept", "FOI-2025-001")
    assert no_note.exit_code == 2 and "FOIA s40(2) applies only after the legitimate-interests test" in no_note.output
    assert "Accepted" in ok(url, "accept", "FOI-2025-001", "--note", LIT, *BY)
    shown = ok(url, "show", "FOI-2025-001", str(ids["complaint"]))
    assert "My neighbour [REDACTED: s40(2)] ([REDACTED: s40(2)]) keeps parking" in shown and "Peter" not in shown

    exported = ok(url, "export", "FOI-2025-001", "--out", str(tmp_path / "bundle"), "--today", "2025-03-20", *BY)
    assert "2 record(s) disclosed with" in exported and "1 withheld whole, 0 not held." in exported
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(str(tmp_path / "bundle" / "FOI-2025-001.pdf")).pages)
    assert "Croxley Green Parish Council" in pdf_text and "Peter Grant" not in pdf_text
    with zipfile.ZipFile(tmp_path / "bundle" / "FOI-2025-001.zip") as z:
        rows = list(csv.DictReader(io.StringIO(z.read("FOI-2025-001/schedule.csv").decode("utf-8-sig"))))
    assert {r["action"] for r in rows} == {"redacted", "withheld in full"}

    closed = ok(url, "close", "FOI-2025-001", "--outcome", "part-disclosed", "--on", "2025-04-01",
                "--review-until", "2025-06-01", "--today", "2025-04-01", *BY)
    assert "closed 2025-04-01: part-disclosed (some information was provided and some withheld); answered on time" \
        in closed
    early = cli(url, "release", "FOI-2025-001", "--reason", "no review", "--today", "2025-05-01")
    assert early.exit_code == 2 and "the review period set runs to 2025-06-01" in early.output
    assert "Released 1 hold(s): FOI-2025-001." in ok(url, "release", "FOI-2025-001", "--reason", "no review asked",
                                                     "--today", "2025-06-02", *BY)
    history = ok(url, "history", "FOI-2025-001")
    assert [line.split("  ")[2] for line in history.splitlines()] == [
        "registered", "search-added", "collected", "reviewed", "reviewed", "redactions-proposed", "redactions-decided",
        "exported", "closed", "holds-released"]
    assert all("  Helen Marsh  " in line for line in history.splitlines())
    assert ok(url, "list").strip() == "No open requests."
    assert "closed" in ok(url, "list", "--all")


def test_a_subject_access_request_with_its_clock_events(seeded):
    url, ids = seeded
    out = ok(url, "register", "sar", "--received", "2025-03-12", "--name", "Joan Baker", "--wording", "All my data.",
             "--subject-name", "Joan Baker", "--subject-name", "Mrs Baker", "--subject-email", "joan.baker@example.com",
             "--subject-phone", "07700 900123", *BY, "--today", "2025-03-20")
    assert "Registered SAR-2025-001: Subject access request received 2025-03-12." in out
    assert "data subject: names: Joan Baker, Mrs Baker; emails: joan.baker@example.com; phones: 07700 900123" in out
    assert "status open; due 2025-04-14" in out  # 12 April 2025 is a Saturday
    asked = ok(url, "event", "SAR-2025-001", "identity-asked", "--on", "2025-03-13", *BY, "--today", "2025-03-20")
    assert "status awaiting-identity; no due date while the clock is stopped" in asked
    got = ok(url, "event", "SAR-2025-001", "identity-received", "--on", "2025-03-17", *BY, "--today", "2025-03-20")
    assert "status open; due 2025-04-17" in got
    bad = cli(url, "event", "SAR-2025-001", "extension", "--on", "2025-03-18", "--ground", "public-interest",
              "--reason", "x", "--today", "2025-03-20")
    assert bad.exit_code == 2 and "subject access may be extended only for complexity" in bad.output
    ok(url, "register", "foi", "--received", "2025-03-03", "--name", "Sam", "--wording", "Hedges.", *BY,
       "--today", "2025-03-20")
    listed = ok(url, "list", "--today", "2025-03-20").splitlines()
    assert [line.split()[0:3] for line in listed] == [["2025-04-01", "open", "FOI-2025-001"],
                                                     ["2025-04-17", "open", "SAR-2025-001"]]
    collected = ok(url, "collect", "SAR-2025-001")
    assert "Collected 2 new record(s)" in collected and ids


@pytest.mark.parametrize("args, message", [
    (["status", "NOPE"], "error: no request 'NOPE'; no requests are registered yet"),
    (["register", "fio", "--received", "2025-03-10", "--name", "A", "--wording", "x"],
     "error: request type 'fio' is not one of foi, eir, sar"),
    (["register", "foi", "--received", "2025-03-10", "--name", "A"], "error: the request's wording is required"),
    (["register", "foi", "--received", "2025-03-10", "--name", "A", "--wording-file", "/no/such/file"],
     "error: cannot read /no/such/file"),
    (["search", "NOPE", "hedge"], "error: no request 'NOPE'"),
])
def test_mistakes_are_one_plain_sentence(db_url, args, message):
    result = cli(db_url, *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_a_missing_archive_file_is_named(tmp_path):
    result = runner.invoke(root, ["request", "--db", str(tmp_path / "none.db"), "list"])
    assert result.exit_code == 2 and f"error: no archive at {tmp_path / 'none.db'}" in result.output
