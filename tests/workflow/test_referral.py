"""The referral pack: a PDF any reader opens, holding everything the Monitoring Officer needs, its
screenshots drawn, and its preparation recorded with the file's hash."""

from __future__ import annotations

import hashlib
import io
import re
import time
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from councilguard.workflow.desk_errors import NotFound
from councilguard.workflow.referral import CHECKER_CAVEAT, findings_on, referral_pack
from tests.workflow.registers import CLERK, lite, registers, screenshot  # noqa: F401
from tests.workflow.test_incidents import POST, held_mail, published

TODAY = date.today()


def _text(pdf: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages], reader


def test_the_pack_holds_the_complaint_the_clauses_the_evidence_and_who_decides(registers):
    inc = registers.incidents
    n = inc.open_published(CLERK, published(), summary="Post calling the Vice-Chair a liar",
                           councillor="Priya Sharma", rules=["abuse-councillor"]).id
    inc.add_note(n, CLERK, "Two residents rang the office about the post.")
    inc.add_evidence(n, CLERK, description="A resident's e-mail", text="I was shocked to read it on Facebook.")
    inc.refer(n, CLERK, referred_on=TODAY, referral_ref="MO/26/031", today=TODAY)
    made = referral_pack(inc, n, registers.checker, prepared_by="Helen Marsh", archive=registers.archive,
                         today=TODAY)
    pages, reader = _text(made.pdf)
    whole = " ".join(pages)
    assert made.filename == f"INC-{n:04d}-referral.pdf" and made.sha256 == hashlib.sha256(made.pdf).hexdigest()
    for expected in ["Referral to the Monitoring Officer", "Croxley Green Parish Council",
                     "To: the Monitoring Officer, Three Rivers District Council", "Councillor concerned: Priya Sharma",
                     "Referred: " + f"{TODAY.day} {TODAY:%B %Y}" + " (your reference MO/26/031)",
                     POST, "https://www.facebook.com/groups/croxley/posts/1",
                     "Post expressions of anger or abuse against another councillor",  # the clause, from the pack
                     "linked by the Clerk", "found by the checker", " ".join(CHECKER_CAVEAT.split()),
                     "I was shocked to read it on Facebook.", "Two residents rang the office about the post.",
                     "The parish council does not decide sanctions", "Localism Act 2011 s28",
                     published().screenshot and hashlib.sha256(published().screenshot).hexdigest()]:
        assert expected in whole, expected
    assert set(made.report.rules) >= {"abuse-councillor"}
    appendix = reader.pages[-1]
    assert "Appendix 1: screenshot (evidence 1)" in pages[-1]
    assert any(name.startswith("/") for name in appendix["/Resources"]["/XObject"])  # the picture is drawn
    (event,) = [e for e in inc.get(n).events if e.kind == "referral-pack"]
    assert event.detail["sha256"] == made.sha256 and event.actor == "Helen Marsh"
    assert registers.audit()[-1][1] == "incident-referral-pack"


def test_held_mail_is_checked_as_the_e_mail_it_was(lite):
    record_id = held_mail(lite)
    made = lite.incidents.open_from_held_email(CLERK, record_id, summary="Resident's illness")
    assert "personal-data" in findings_on(lite.checker, made, lite.archive).rules
    pages, _ = _text(referral_pack(lite.incidents, made.id, lite.checker, prepared_by=CLERK,
                                   archive=lite.archive).pdf)
    whole = " ".join(pages)
    assert f"archive record {record_id}" in whole and "Mrs Patel at 4 Frankland Road has cancer." in whole
    assert "Status: prepared for referral; not yet recorded as sent" in whole


def test_a_screenshot_that_will_not_draw_is_said_so_in_the_pack(lite):
    broken = screenshot()[:120]  # a PNG's signature and header, then nothing
    n = lite.incidents.open_published(CLERK, published(screenshot=broken), summary="x").id
    pages, _ = _text(referral_pack(lite.incidents, n, lite.checker, prepared_by=CLERK).pdf)
    assert "This screenshot cannot be drawn here" in pages[-1]


def test_no_pack_for_an_incident_that_does_not_exist(lite):
    with pytest.raises(NotFound, match="there is no incident 5"):
        referral_pack(lite.incidents, 5, lite.checker, prepared_by=CLERK)


def test_a_long_incident_runs_over_pages_with_every_page_numbered(lite):
    n = lite.incidents.open_published(CLERK, published(published_on=TODAY - timedelta(days=1)), summary="x").id
    for k in range(40):
        lite.incidents.add_note(n, CLERK, f"Note {k}: " + "what happened next, in some detail. " * 6)
    lite.incidents.add_evidence(n, CLERK, description="Second screenshot", screenshot=screenshot("more", kind="GIF"))
    pages, _ = _text(referral_pack(lite.incidents, n, lite.checker, prepared_by=CLERK).pdf)
    assert len(pages) >= 4 and all(f"page {i} of {len(pages)}" in p for i, p in enumerate(pages, 1))
    assert "Appendix 2: screenshot (evidence 4)" in pages[-1]


def test_a_pasted_run_of_thousands_of_characters_does_not_stall_the_pack(lite):
    """A line of base64 or a long link pasted as evidence is cut across lines, quickly, and kept whole."""
    run = "QUJD" * 2_500  # 10,000 characters without a space
    n = lite.incidents.open_published(CLERK, published(text=f"See {run} there"), summary="x").id
    started = time.process_time()  # CPU time: the old line-wrap took 35 s of it, so this still catches that
    made = referral_pack(lite.incidents, n, lite.checker, prepared_by=CLERK)
    assert time.process_time() - started < 10
    pages, _ = _text(made.pdf)
    footer = re.compile(r"Croxley Green Parish Council - INC-\d+ - referral to the Monitoring Officer - page \d+ of \d+")
    body = "".join(footer.sub("", page) for page in pages)  # a page break may fall inside the run
    assert "".join(body.split()).count("QUJD") == 2 * 2_500  # the words complained of, and as evidence
