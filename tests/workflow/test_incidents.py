"""The incident register: the three ways in (never a draft), the life of an incident, and every change
kept with who and when, in the desk's audit log too."""

from __future__ import annotations

import hashlib
import inspect
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from councilguard.records.archive import ArchiveItem
from councilguard.workflow.desk_errors import InvalidValue, NotFound, WrongState
from councilguard.workflow.incidents import Incidents, Published
from councilguard.workflow.incidents_schema import SOURCE_KINDS
from tests.workflow.registers import CLERK, lite, registers, screenshot  # noqa: F401

TODAY = date.today()
POST = "Tom Hargreaves is a liar and a crook, and everyone at the parish council knows it."


def published(**changes) -> Published:
    values = dict(text=POST, link="https://www.facebook.com/groups/croxley/posts/1", screenshot=screenshot(),
                  platform="Facebook", published_on=TODAY - timedelta(days=3))
    values.update(changes)
    return Published(**values)


def held_mail(registers, *, disposition: str = "held", body: str = "Mrs Patel at 4 Frankland Road has cancer.") -> int:
    when = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    return registers.archive.add(ArchiveItem(
        raw=f"Subject: Resident\r\n\r\n{body}\r\n{disposition}".encode(), sender="cllr.sharma@croxleygreen-pc.gov.uk",
        to=["residents@example.org"], received_at=when, subject="Resident", body_text=body, verdict="block",
        disposition=disposition, findings=[{"rule": "personal-data", "severity": "block", "clause": "6"}])).id


def reported_remark(registers) -> int:
    reporter = registers.person("councillor", "Priya Sharma", "cllr.sharma@croxleygreen-pc.gov.uk")
    return registers.remarks.file(reporter, remark="You lot are all crooks.", link="https://x.com/someone/status/9",
                                  platform="X (Twitter)", note="Under my post", screenshot=screenshot("crooks")).id


def test_an_incident_lives_from_publication_to_closing(registers):
    """SQLite and PostgreSQL: open, note, name, refer, record the outcome, close; each step kept and audited."""
    inc = registers.incidents
    opened = inc.open_published(CLERK, published(), summary="Post calling the Vice-Chair a liar")
    assert (opened.status, opened.source_kind, opened.councillor) == ("open", "published", None)
    assert [e.kind for e in opened.evidence] == ["screenshot", "link", "text"]
    shot = opened.evidence[0]
    assert shot.sha256 == hashlib.sha256(published().screenshot).hexdigest() and shot.media_type == "image/png"
    assert inc.evidence_file(opened.id, shot.id) == (published().screenshot, "image/png")
    i = opened.id
    inc.add_note(i, CLERK, "Two residents rang about it.")
    inc.set_details(i, CLERK, councillor="priya  SHARMA", rules=["abuse-councillor", "untrue-statement"])
    inc.refer(i, CLERK, referred_on=TODAY, referral_ref="MO/26/031", today=TODAY)
    inc.record_outcome(i, CLERK, outcome="breach-training", decided_on=TODAY, decision_ref="Standards Cttee item 4",
                       today=TODAY)
    done = inc.close(i, CLERK, reason="Training attended.")
    assert done.status == "closed" and done.councillor == "Priya Sharma"
    assert done.rules == ("abuse-councillor", "untrue-statement")
    assert done.outcome.id == "breach-training" and "Standards Committee" in done.outcome.decided_by
    assert [(e.kind, e.status, e.actor) for e in done.events] == [
        ("opened", "open", CLERK), ("note", "open", CLERK), ("details", "open", CLERK),
        ("referred", "referred", CLERK), ("outcome-recorded", "outcome-recorded", CLERK), ("closed", "closed", CLERK)]
    assert [n.note for n in done.notes] == ["Two residents rang about it.", "Training attended."]
    assert [a[1] for a in registers.audit()] == ["incident-opened", "incident-note", "incident-details",
                                                 "incident-referred", "incident-outcome-recorded", "incident-closed"]
    assert {a[2] for a in registers.audit()} == {str(i)}
    assert inc.open_count() == 0 and [x.id for x in inc.list(status="closed")] == [i]


def test_from_a_reported_remark_its_words_link_and_screenshot_become_evidence(lite):
    report_id = reported_remark(lite)
    made = lite.incidents.open_from_remark(CLERK, report_id, summary="Remark about the council")
    assert (made.source_kind, made.source_ref, made.text, made.platform) == (
        "remark-report", str(report_id), "You lot are all crooks.", "X (Twitter)")
    assert [e.kind for e in made.evidence] == ["text", "screenshot", "link"]
    assert "reported by Priya Sharma" in made.evidence[0].description and "Under my post" in made.evidence[0].description
    with pytest.raises(WrongState, match="already opened from this reported remark"):
        lite.incidents.open_from_remark(CLERK, report_id, summary="Again")


def test_from_held_mail_the_archived_message_is_evidence_and_the_sender_is_named(lite):
    record_id = held_mail(lite)
    made = lite.incidents.open_from_held_email(CLERK, record_id, summary="Resident's illness in an e-mail")
    assert (made.source_kind, made.source_ref, made.councillor) == ("held-email", str(record_id), "Priya Sharma")
    (item,) = made.evidence
    assert item.kind == "email" and f"archive record {record_id}" in item.description
    assert lite.archive.get(record_id).content_sha256 in item.description
    # once released, it was still held mail: the incident may be opened from it
    other = held_mail(lite, body="Another message.")
    lite.archive.record_event(other, "released", actor="Helen Marsh", disposition="relayed")
    assert lite.incidents.open_from_held_email(CLERK, other, summary="Released later").source_ref == str(other)


# (case, how to open, error class, field named, words)
REFUSED = [
    ("no screenshot", lambda r: r.incidents.open_published(CLERK, published(screenshot=None), summary="x"),
     InvalidValue, "screenshot", "a screenshot is needed"),
    ("not an image", lambda r: r.incidents.open_published(CLERK, published(screenshot=b"%PDF-1.4 ..."), summary="x"),
     InvalidValue, "screenshot", "not a PNG, JPEG, GIF or WebP"),
    ("no link", lambda r: r.incidents.open_published(CLERK, published(link=""), summary="x"),
     InvalidValue, "link", "The link is needed"),
    ("not a web address", lambda r: r.incidents.open_published(CLERK, published(link="facebook post"), summary="x"),
     InvalidValue, "link", "starting https://"),
    ("no words", lambda r: r.incidents.open_published(CLERK, published(text="  "), summary="x"),
     InvalidValue, "text", "The words as published is needed"),
    ("published tomorrow", lambda r: r.incidents.open_published(
        CLERK, published(published_on=TODAY + timedelta(days=1)), summary="x"), InvalidValue, "published_on",
     "in the future"),
    ("no summary", lambda r: r.incidents.open_published(CLERK, published(), summary=""),
     InvalidValue, "summary", "A short summary of the incident is needed"),
    ("not a councillor", lambda r: r.incidents.open_published(CLERK, published(), summary="x", councillor="Dev Patel"),
     InvalidValue, "councillor", "is not a councillor on the council's roster"),
    ("unknown rule", lambda r: r.incidents.open_published(CLERK, published(), summary="x", rules=["rudeness"]),
     InvalidValue, "rules", "the policy has no rule 'rudeness'"),
    ("no such report", lambda r: r.incidents.open_from_remark(CLERK, 999, summary="x"),
     NotFound, "report", "there is no reported remark 999"),
    ("no such record", lambda r: r.incidents.open_from_held_email(CLERK, 999, summary="x"),
     NotFound, "record", "there is no record 999"),
    ("never held", lambda r: r.incidents.open_from_held_email(CLERK, held_mail(r, disposition="relayed"), summary="x"),
     InvalidValue, "record", "was never held by the relay"),
    ("nobody", lambda r: r.incidents.open_published(" ", published(), summary="x"),
     InvalidValue, "actor", "say who is doing this"),
]


@pytest.mark.parametrize("case, act, error, where, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_an_incident_that_cannot_be_opened_says_why_and_nothing_is_kept(lite, case, act, error, where, words):
    with pytest.raises(error) as raised:
        act(lite)
    assert raised.value.where == where and words in raised.value.message
    assert lite.incidents.list() == [] and lite.audit() == []


def test_deleted_mail_cannot_become_an_incident(lite):
    record_id = held_mail(lite)
    lite.archive.delete_content(record_id, reason="retention", rule="correspondence", actor="Helen Marsh")
    with pytest.raises(InvalidValue, match="content was deleted"):
        lite.incidents.open_from_held_email(CLERK, record_id, summary="x")


def test_there_is_no_way_in_from_a_draft(lite):
    """No method takes a draft, and the database itself refuses any other source."""
    ways_in = sorted(name for name, _ in inspect.getmembers(Incidents, inspect.isfunction) if name.startswith("open"))
    assert ways_in == ["open_count", "open_from_held_email", "open_from_remark", "open_published"]
    assert SOURCE_KINDS == ("published", "remark-report", "held-email")
    made = lite.incidents.open_published(CLERK, published(), summary="x")
    with pytest.raises(IntegrityError), lite.factory() as s:
        s.execute(text("UPDATE workflow_incidents SET source_kind = 'draft' WHERE id = :id"), {"id": made.id})
        s.commit()
    assert lite.incidents.get(made.id).source_kind == "published"


# (case, steps taken first, the step tried, its error, words)
OUT_OF_TURN = [
    ("outcome before referral", [], lambda i, n: i.record_outcome(
        n, CLERK, outcome="no-breach", decided_on=TODAY, decision_ref="x", today=TODAY),
     WrongState, "record the referral to the Monitoring Officer first"),
    ("referral without a councillor", [], lambda i, n: i.refer(n, CLERK, referred_on=TODAY, today=TODAY),
     InvalidValue, "name the councillor concerned"),
    ("closing while referred", ["name", "refer"], lambda i, n: i.close(n, CLERK, reason="done"),
     WrongState, "record the outcome they decided before closing"),
    ("second outcome", ["name", "refer", "outcome"], lambda i, n: i.record_outcome(
        n, CLERK, outcome="no-breach", decided_on=TODAY, decision_ref="x", today=TODAY),
     WrongState, "an outcome is already recorded"),
    ("note after closing", ["close"], lambda i, n: i.add_note(n, CLERK, "more"), WrongState, "the incident is closed"),
    ("details after referral", ["name", "refer"], lambda i, n: i.set_details(n, CLERK, councillor=None, rules=[]),
     WrongState, "referred to the monitoring officer"),
    ("referral dated tomorrow", ["name"], lambda i, n: i.refer(
        n, CLERK, referred_on=TODAY + timedelta(days=1), today=TODAY), InvalidValue, "in the future"),
    ("referral before publication", ["name"], lambda i, n: i.refer(
        n, CLERK, referred_on=TODAY - timedelta(days=30), today=TODAY), InvalidValue, "before the material was"),
    ("outcome before the referral date", ["name", "refer"], lambda i, n: i.record_outcome(
        n, CLERK, outcome="no-breach", decided_on=TODAY - timedelta(days=1), decision_ref="x", today=TODAY),
     InvalidValue, "is before the referral"),
    ("no such incident", [], lambda i, n: i.add_note(n + 100, CLERK, "x"), NotFound, "there is no incident"),
    ("two pieces of evidence at once", [], lambda i, n: i.add_evidence(
        n, CLERK, description="x", link="https://example.org/a", text="words"), InvalidValue, "one piece of evidence"),
]
STEPS = {
    "name": lambda i, n: i.set_details(n, CLERK, councillor="Priya Sharma", rules=[]),
    "refer": lambda i, n: i.refer(n, CLERK, referred_on=TODAY, today=TODAY),
    "outcome": lambda i, n: i.record_outcome(n, CLERK, outcome="no-breach", decided_on=TODAY, decision_ref="DN 1",
                                             today=TODAY),
    "close": lambda i, n: i.close(n, CLERK, reason="Not for referral: a member of the public's post."),
}


@pytest.mark.parametrize("case, before, step, error, words", OUT_OF_TURN, ids=[c[0] for c in OUT_OF_TURN])
def test_a_step_out_of_turn_is_refused_and_changes_nothing(lite, case, before, step, error, words):
    n = lite.incidents.open_published(CLERK, published(), summary="x").id
    for name in before:
        STEPS[name](lite.incidents, n)
    was = lite.incidents.get(n)
    with pytest.raises(error) as raised:
        step(lite.incidents, n)
    assert words in raised.value.message.lower() or words in raised.value.message
    assert lite.incidents.get(n) == was


def test_evidence_is_added_one_piece_at_a_time_with_its_date(lite):
    n = lite.incidents.open_published(CLERK, published(), summary="x").id
    jpeg = screenshot("second post", kind="JPEG")
    lite.incidents.add_evidence(n, CLERK, description="The post edited the next day", screenshot=jpeg,
                                captured_on=TODAY - timedelta(days=2), today=TODAY)
    lite.incidents.add_evidence(n, CLERK, description="A resident's complaint", text="I was upset to read it.")
    made = lite.incidents.add_evidence(n, CLERK, description="The thread", link="https://facebook.com/thread/2")
    kinds = [(e.kind, e.media_type, e.captured_on) for e in made.evidence[3:]]
    assert kinds == [("screenshot", "image/jpeg", TODAY - timedelta(days=2)), ("text", None, None), ("link", None, None)]
    assert [s.media_type for s, _ in lite.incidents.screenshots(n)] == ["image/png", "image/jpeg"]
    assert [a[1] for a in lite.audit()].count("incident-evidence-added") == 3
