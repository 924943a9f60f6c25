"""The governance evidence pack: what the records show for a financial year, what the Clerk attests, and a
PDF and zip of CSVs that say which is which."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta, timezone

import pytest
from pypdf import PdfReader

from councilguard.records.archive import ArchiveItem
from councilguard.records.request_store import Requester
from councilguard.records.requests import Requests
from councilguard.workflow.desk_errors import InvalidValue
from councilguard.workflow.governance_evidence import financial_year, last_full_year
from councilguard.workflow.policy_versions import Reader
from tests.workflow.registers import CLERK, lite, registers  # noqa: F401

TODAY = date.today()
YEAR = last_full_year(TODAY) + 1  # the financial year we are in, so "today" falls inside it
START = financial_year(YEAR).start


def _mail(registers, sender: str, day: date, n: int) -> int:
    when = datetime.combine(day, time(9), timezone.utc)
    return registers.archive.add(ArchiveItem(raw=f"Subject: {n}\r\n\r\nbody {n}".encode(), sender=sender,
                                             received_at=when, subject=f"message {n}", body_text=f"body {n}")).id


@pytest.mark.parametrize("today, year", [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2027, 1, 5), 2026)])
def test_the_return_is_for_the_last_year_ended_31_march(today, year):
    assert last_full_year(today) == year


@pytest.mark.parametrize("year_end, words", [(1990, "is not a year the annual return could be for"),
                                             (YEAR + 1, "has not started yet")])
def test_a_year_that_cannot_have_a_pack_is_refused(lite, year_end, words):
    with pytest.raises(InvalidValue, match=words):
        lite.governance.gather(lite.pack, [], year_end=year_end, prepared_by=CLERK, today=TODAY)


def test_the_evidence_for_a_year_is_gathered_from_the_records(registers):
    """SQLite and PostgreSQL."""
    for n, (sender, day) in enumerate([("Helen Marsh <clerk@croxleygreen-pc.gov.uk>", START + timedelta(days=3)),
                                       ("clerk@croxleygreen-pc.gov.uk", START - timedelta(days=3)),  # year before
                                       ("cllr.ellis@croxleygreen-pc.gov.uk", START + timedelta(days=5)),
                                       ("James Lowe <jameslowe1962@gmail.com>", START + timedelta(days=6))]):
        _mail(registers, sender, day, n)
    gone = _mail(registers, "stranger@example.org", START + timedelta(days=1), 9)
    registers.archive.delete_content(gone, reason="kept its time", rule="correspondence", actor="Helen Marsh")
    registers.archive.place_hold("FOI-1", reason="request", actor="Helen Marsh", records=[gone])
    requests = Requests(registers.archive)
    requests.register("foi", received=START, requester=Requester("Ada Resident"), wording="All minutes.",
                      actor="Helen Marsh", today=TODAY)
    e = registers.governance.gather(registers.pack, [Reader(1, "Ann Archer", "Councillor")], year_end=YEAR,
                                    prepared_by=CLERK, today=TODAY)
    by_address = {a.address: a for a in e.addresses}
    clerk = by_address["clerk@croxleygreen-pc.gov.uk"]
    assert (clerk.kind, clerk.generic, clerk.on_domain, clerk.sent) == ("proper-officer", True, True, 1)
    ellis = by_address["cllr.ellis@croxleygreen-pc.gov.uk"]
    assert (ellis.kind, ellis.generic, ellis.on_domain, ellis.sent) == ("councillor", False, True, 1)
    lowe = by_address["jameslowe1962@gmail.com"]
    assert (lowe.personal, lowe.on_domain, lowe.generic, lowe.sent) == (True, False, False, 1)
    assert e.personal_messages == 1 and len(e.councillors) == 16
    assert [a.address for a in e.generic_on_domain][:2] == ["clerk@croxleygreen-pc.gov.uk",
                                                            "deputy.clerk@croxleygreen-pc.gov.uk"]
    assert (e.retention.deletions, e.retention.holds, e.retention.schedule_version) == (1, ["FOI-1"], None)
    assert [st.request.requester.name for st in e.requests] == ["Ada Resident"]
    assert e.policy.version == "draft" and [r.name for r in e.acknowledgements.missing] == ["Ann Archer"]
    assert set(e.attestations) == {"website-accessibility", "publication-scheme"}


def test_the_pack_says_what_is_shown_and_what_is_attested(lite):
    lite.versions.record(lite.pack, CLERK, status="adopted", adopted_on=START, minute_ref="FC/26/112",
                         review_on=START + timedelta(days=365), today=TODAY)
    lite.attestations.record(lite.pack, CLERK, topic="website-accessibility",
                             link="https://croxleygreen-pc.gov.uk/accessibility", attested_on=TODAY, today=TODAY)
    made = lite.governance.export(lite.pack, CLERK, [], year_end=YEAR, today=TODAY)
    assert made.name == f"governance-evidence-{START.year}-{YEAR % 100:02d}"
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(made.pdf)).pages]
    first = pages[0]
    assert "A. What councilguard shows" in first and "B. What the Clerk attests" in first
    assert "adopted " + f"{START.day} {START:%B %Y}" + " (minute FC/26/112)" in first
    assert "The website's accessibility: attested" in first and "https://croxleygreen-pc.gov.uk/accessibility" in first
    assert "The publication scheme: NOT ATTESTED" in first
    assert any("cllr.ellis@croxleygreen-pc.gov.uk" in p for p in pages)
    names = zipfile.ZipFile(io.BytesIO(made.zip)).namelist()
    assert sorted(n.split("/", 1)[1] for n in names) == sorted([
        "evidence.pdf", "summary.txt", "addresses.csv", "policy_versions.csv", "acknowledgements.csv",
        "retention_schedule.csv", "information_requests.csv", "attestations.csv"])
    z = zipfile.ZipFile(io.BytesIO(made.zip))
    rows = list(csv.DictReader(io.StringIO(z.read(f"{made.name}/attestations.csv").decode("utf-8-sig"))))
    assert [(r["topic"], r["link"]) for r in rows] == [
        ("website-accessibility", "https://croxleygreen-pc.gov.uk/accessibility"), ("publication-scheme", "")]
    addresses = list(csv.DictReader(io.StringIO(z.read(f"{made.name}/addresses.csv").decode("utf-8-sig"))))
    assert {r["address"]: r["generic"] for r in addresses}["clerk@croxleygreen-pc.gov.uk"] == "yes"
    assert z.read(f"{made.name}/evidence.pdf") == made.pdf
    assert lite.audit()[-1] == (CLERK, "governance-pack-exported", f"{START.year}-{YEAR % 100:02d}")


# (case, fields, field named, words)
ATTEST_REFUSED = [
    ("unknown topic", dict(topic="cookies"), "topic", "is not something to attest"),
    ("no link", dict(link=""), "link", "The link to the accessibility statement"),
    ("not a web address", dict(link="our website"), "link", "starting https://"),
    ("no date", dict(attested_on=None), "attested_on", "give the date you checked it"),
    ("checked tomorrow", dict(attested_on=TODAY + timedelta(days=1)), "attested_on", "in the future"),
]


@pytest.mark.parametrize("case, fields, where, words", ATTEST_REFUSED, ids=[c[0] for c in ATTEST_REFUSED])
def test_an_attestation_needs_a_topic_a_link_and_a_date(lite, case, fields, where, words):
    values = dict(topic="website-accessibility", link="https://croxleygreen-pc.gov.uk/accessibility",
                  attested_on=TODAY, today=TODAY) | fields
    with pytest.raises(InvalidValue) as raised:
        lite.attestations.record(lite.pack, CLERK, **values)
    assert raised.value.where == where and words in raised.value.message
    assert lite.attestations.history(lite.pack) == []


def test_the_newest_attestation_is_the_one_in_force(lite):
    for link in ("https://croxleygreen-pc.gov.uk/a11y", "https://croxleygreen-pc.gov.uk/accessibility"):
        lite.attestations.record(lite.pack, CLERK, topic="website-accessibility", link=link, attested_on=TODAY,
                                 statement="" if link.endswith("a11y") else "Checked with the WAVE tool.")
    latest = lite.attestations.latest(lite.pack)
    assert latest["publication-scheme"] is None
    assert (latest["website-accessibility"].link, latest["website-accessibility"].statement) == (
        "https://croxleygreen-pc.gov.uk/accessibility", "Checked with the WAVE tool.")
    assert lite.attestations.history(lite.pack)[1].statement.startswith("The council's website meets")
