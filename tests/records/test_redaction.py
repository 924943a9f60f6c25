"""Redaction: what is proposed for each kind of personal data under FOI, EIR and subject access, the
record's disclosure text, applying markers, and the Clerk's decisions (stored on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

import pytest
from sqlalchemy import update

from councilguard.personal_data import PersonalItem
from councilguard.policy import Pack
from councilguard.records.archive import ArchiveItem
from councilguard.records.clocks import RequestType
from councilguard.records.redaction import Redactions, apply_redactions, marker, propose_for, record_document
from councilguard.records.request_schema import RequestRedactionRow
from councilguard.records.request_store import DataSubject, RedactionError, RequestError, Requester
from councilguard.records.requests import Requests
from councilguard.records.search import SearchCriteria

from .conftest import BASE_TIME, attachment
from .test_requests import CLERK, TODAY, register_foi, verge_records

PACK = Pack.resolve("croxley-green")
FOI, EIR, SAR = RequestType.FOI, RequestType.EIR, RequestType.SAR
JOAN = DataSubject(names=("Joan Baker", "Mrs Baker"), emails=("joan.baker@example.com",), phones=("07700 900123",),
                   addresses=("14 Baldwins Lane, Croxley Green WD3 3LP",))
LIT = "Legitimate interest in how complaints are handled; names not necessary for it; privacy prevails."

# --- applying markers -------------------------------------------------------------------------------------

APPLY = [  # text, spans (start, end, ground), expected
    ("Ring Joan on 0770.", [(5, 9, "s40(2)")], "Ring [REDACTED: s40(2)] on 0770."),
    ("Ring Joan on 0770.", [(13, 17, "s40(2)"), (5, 9, "s40(2)")], "Ring [REDACTED: s40(2)] on [REDACTED: s40(2)]."),
    ("Joan Baker", [(0, 4, "s40(2)"), (2, 10, "s40(2)")], "[REDACTED: s40(2)]"),  # overlaps merge
    ("Joan Baker", [(0, 10, "s40(2)"), (5, 10, "s43(2)")], "[REDACTED: s40(2); s43(2)]"),  # each ground once
    ("JoanBaker", [(0, 4, "reg 13"), (4, 9, "reg 13")], "[REDACTED: reg 13][REDACTED: reg 13]"),  # touching: two
    ("nothing", [], "nothing"),
]


@pytest.mark.parametrize("text, spans, expected", APPLY)
def test_apply_replaces_each_span_with_its_marker(text, spans, expected):
    assert apply_redactions(text, spans) == expected


@pytest.mark.parametrize("spans", [[(3, 20, "s40(2)")], [(-1, 2, "s40(2)")], [(4, 4, "s40(2)")]])
def test_apply_refuses_a_span_outside_the_text(spans):
    with pytest.raises(RedactionError, match="is outside the text"):
        apply_redactions("Joan Baker", spans)


def test_marker_shows_the_ground():
    assert marker("DPA 2018 Sch 2 para 16") == "[REDACTED: DPA 2018 Sch 2 para 16]"


# --- proposals --------------------------------------------------------------------------------------------


def item(kind: str, text: str) -> PersonalItem:
    return PersonalItem(kind, 0, len(text), text, 1.0)


PROPOSALS = [  # request kind, item kind, text, action, ground, words in the reason
    (FOI, "PERSON", "Peter Grant", "redact", "s40(2)", "personal data of a third party (a name)"),
    (FOI, "PERSON", "Cllr Sharma", "keep", "s40(2)", "keep: public role (Priya Sharma, councillor)"),
    (FOI, "PERSON", "Councillor Priya Sharma's", "keep", "s40(2)", "public role (Priya Sharma, councillor)"),
    (FOI, "PERSON", "Mrs Helen Marsh", "keep", "s40(2)", "public role (Helen Marsh, Clerk to the Council)"),
    (FOI, "PERSON", "the groundsman", "keep", "s40(2)", "Gary Doyle, Grounds Maintenance Officer"),
    (FOI, "PERSON", "Sharma", "redact", "s40(2)", "a name"),  # a bare surname is not taken for a councillor
    (FOI, "EMAIL_ADDRESS", "cllr.ellis@croxleygreen-pc.gov.uk", "keep", "s40(2)", "Margaret Ellis, councillor"),
    (FOI, "EMAIL_ADDRESS", "bookings@croxleygreen-pc.gov.uk", "keep", "s40(2)", "a council address"),
    (FOI, "EMAIL_ADDRESS", "jameslowe1962@gmail.com", "redact", "s40(2)", "personal (not council) e-mail address"),
    (FOI, "EMAIL_ADDRESS", "joan.baker@example.com", "redact", "s40(2)", "an e-mail address"),
    (FOI, "UK_PHONE", "07700 900456", "redact", "s40(2)", "a phone number"),
    (FOI, "UK_STREET_ADDRESS", "14 Baldwins Lane, WD3 3LP", "redact", "s40(2)", "a postal address"),
    (EIR, "PERSON", "Peter Grant", "redact", "reg 13", "a name"),
    (EIR, "PERSON", "Fiona Kerr", "keep", "reg 13", "public role (Fiona Kerr, councillor)"),
    (SAR, "PERSON", "Joan Baker", "keep", "DPA 2018 Sch 2 para 16", "the data subject's own data"),
    (SAR, "PERSON", "Mrs. Baker", "keep", "DPA 2018 Sch 2 para 16", "the data subject's own data"),
    (SAR, "PERSON", "Peter Baker", "redact", "DPA 2018 Sch 2 para 16", "third party's personal data (a name)"),
    (SAR, "PERSON", "Baker", "redact", "DPA 2018 Sch 2 para 16", "whose it is cannot be told"),  # part of her name
    (SAR, "PERSON", "Joan", "redact", "DPA 2018 Sch 2 para 16", "check whether it is the data subject's"),
    (SAR, "EMAIL_ADDRESS", "Joan.Baker@Example.com", "keep", "DPA 2018 Sch 2 para 16", "own data"),
    (SAR, "UK_PHONE", "+44 7700 900123", "keep", "DPA 2018 Sch 2 para 16", "own data"),
    (SAR, "UK_PHONE", "07700 900456", "redact", "DPA 2018 Sch 2 para 16", "a phone number"),
    (SAR, "UK_POSTCODE", "WD3 3LP", "keep", "DPA 2018 Sch 2 para 16", "own data"),
    (SAR, "UK_STREET_ADDRESS", "16 Baldwins Lane, WD3 3LQ", "redact", "DPA 2018 Sch 2 para 16", "a postal address"),
    (SAR, "PERSON", "Cllr Sharma", "redact", "DPA 2018 Sch 2 para 16", "third party: Priya Sharma, councillor"),
    (SAR, "UK_NINO", "QQ 12 34 56 C", "redact", "DPA 2018 Sch 2 para 16", "whose it is cannot be told"),
]


@pytest.mark.parametrize("kind, item_kind, text, action, ground, reason", PROPOSALS)
def test_proposal_for_each_item(kind, item_kind, text, action, ground, reason):
    got = propose_for(item(item_kind, text), kind, council=PACK.council, subject=JOAN if kind is SAR else None)
    assert (got.action, got.ground) == (action, ground)
    assert reason in got.reason


# --- the disclosure text ----------------------------------------------------------------------------------


def forwarded_with_attachments() -> ArchiveItem:
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "Peter Grant <peter@example.com>", "clerk@example.org", "The van"
    inner.set_content("My van is not on the verge.")
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "clerk@croxleygreen-pc.gov.uk", "cllr.kerr@croxleygreen-pc.gov.uk", \
        "Fwd: The van"
    outer["Cc"] = "Dev Patel <deputy.clerk@croxleygreen-pc.gov.uk>"
    outer.set_content("See below.\nHelen")
    outer.add_attachment(inner)
    outer.add_attachment("Minutes\nPresent: Joan Baker (resident).", subtype="plain", filename="minutes.txt")
    outer.add_attachment(b"\x89PNG not really", maintype="image", subtype="png", filename="photo.png")
    return ArchiveItem(raw=outer.as_bytes(), sender="clerk@croxleygreen-pc.gov.uk",
                       to=["cllr.kerr@croxleygreen-pc.gov.uk"], cc=["Dev Patel <deputy.clerk@croxleygreen-pc.gov.uk>"],
                       subject="Fwd: The van", body_text="See below.\nHelen", received_at=BASE_TIME,
                       attachments=[attachment("Minutes\nPresent: Joan Baker (resident).", "minutes.txt")])


WHERE = [  # words in the disclosure text, where the schedule says they are
    ("cllr.kerr@", "To line"),
    ("Dev Patel", "Cc line"),
    ("Helen", "body, line 2"),
    ("Peter Grant", "forwarded message 1, line 2"),
    ("not on the verge", "forwarded message 1, line 6"),  # rule, From, To, Subject, blank
    ("Joan Baker", "attachment 'minutes.txt', line 3"),  # under the heading and "Minutes"
]


def test_disclosure_text_has_headers_body_forwarded_message_and_attachments(archive):
    record = archive.add(forwarded_with_attachments())
    doc = record_document(archive, record.id)
    assert doc.text.startswith("From: clerk@croxleygreen-pc.gov.uk\nTo: cllr.kerr@croxleygreen-pc.gov.uk\n"
                               "Cc: Dev Patel <deputy.clerk@croxleygreen-pc.gov.uk>\nDate: 4 March 2024 09:30 UTC\n"
                               "Subject: Fwd: The van\n\nSee below.\nHelen\n")
    assert "photo.png (image/png, 15 bytes): no text could be read" in doc.text
    for words, where in WHERE:
        assert doc.where(doc.text.index(words)) == where, words


# --- proposing and deciding on a database -----------------------------------------------------------------


def collected_foi(archive, kind: str = "foi") -> tuple[Requests, str, dict[str, int]]:
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = register_foi(requests, kind=kind, searches=[SearchCriteria(query="verge")])
    requests.collect(ref, actor=CLERK)
    requests.review(ref, [ids["complaint"], ids["reply"]], scope="in", actor=CLERK)
    requests.review(ref, [ids["legal"]], scope="in", withhold="s42 legal professional privilege", actor=CLERK)
    return requests, ref, ids


def test_foi_proposals_keep_public_roles_and_redactions_need_the_legitimate_interests_test(archive):
    requests, ref, ids = collected_foi(archive)
    red = Redactions(archive, PACK)
    made, skipped = red.propose(ref, actor=CLERK)
    assert set(made) == {ids["complaint"], ids["reply"]} and skipped == {ids["legal"]: "withheld whole"}
    got = {(r.record_id, r.text): r.proposed for r in red.list_redactions(ref)}
    assert got[(ids["complaint"], "Peter Grant")] == "redact" and got[(ids["complaint"], "07700 900456")] == "redact"
    assert got[(ids["complaint"], "Helen Marsh")] == "keep" and got[(ids["complaint"], "Cllr Sharma")] == "keep"
    assert got[(ids["reply"], "07700 900123")] == "redact"
    with pytest.raises(RedactionError, match="FOIA s40\\(2\\) applies only after the legitimate-interests test"):
        red.decide(ref, accept=True, actor=CLERK)
    assert red.list_redactions(ref, undecided=True) == red.list_redactions(ref)  # nothing half-decided
    keep_ids = [r.id for r in red.list_redactions(ref) if r.proposed == "keep"]
    assert {r.decision for r in red.decide(ref, accept=True, ids=keep_ids, actor=CLERK)} == {"keep"}  # no note needed
    decided = red.decide(ref, accept=True, record_id=ids["complaint"], actor=CLERK, note=LIT)
    assert {(r.decision, r.note) for r in decided} == {("redact", LIT)}
    grant = next(r for r in red.list_redactions(ref) if r.text == "Peter Grant")
    rejected = red.decide(ref, accept=False, ids=[grant.id], actor="Dev Patel", note="he asked to be named")
    assert [(r.decision, r.decided_by) for r in rejected] == [("keep", "Dev Patel")]
    text = red.redacted(ref, ids["complaint"]).text
    assert "Peter Grant ([REDACTED: s40(2)]) keeps" in text and "07700 900456" not in text
    assert "Cllr Sharma said" in text
    with pytest.raises(RedactionError, match=f"record {ids['reply']} has \\d+ undecided proposal"):
        red.redacted(ref, ids["reply"])
    assert "07700 900123" not in red.redacted(ref, ids["reply"], draft=True).text  # a draft applies proposals


def test_subject_access_keeps_the_subjects_own_data_and_needs_no_note(archive):
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = requests.register("sar", received=date(2025, 3, 12), requester=Requester("Joan Baker"), wording="My data.",
                            subject=JOAN, actor=CLERK, today=TODAY).reference
    requests.collect(ref, actor=CLERK)
    requests.review(ref, [ids["complaint"], ids["reply"]], scope="in", actor=CLERK)
    red = Redactions(archive, PACK)
    red.propose(ref, actor=CLERK)
    red.decide(ref, accept=True, actor=CLERK)
    text = red.redacted(ref, ids["complaint"]).text
    assert "From: Joan Baker <joan.baker@example.com>" in text and text.rstrip().endswith("Joan Baker")
    third = "[REDACTED: DPA 2018 Sch 2 para 16]"
    assert "Peter Grant" not in text and f"My neighbour {third} ({third}) keeps" in text
    reply = red.redacted(ref, ids["reply"]).text
    assert "Mrs Baker has written again" in reply and "07700 900123" in reply


def test_the_clerk_adds_redactions_the_finder_missed(archive):
    requests, ref, ids = collected_foi(archive, kind="eir")
    red = Redactions(archive, PACK)
    with pytest.raises(RedactionError, match="EIR reg 13 applies only after the legitimate-interests test"):
        red.add(ref, ids["reply"], "the van", actor=CLERK)
    added = red.add(ref, ids["reply"], "THE VAN", actor=CLERK, ground="reg 12(5)(b)", note="ongoing enforcement")
    assert [(r.text, r.decision, r.origin, r.ground) for r in added] == [("the van", "redact", "clerk", "reg 12(5)(b)")]
    for words, kwargs, message in [
        ("a word that is not there", {}, "does not occur in record"),
        ("  ", {}, "give the words to redact"),
        ("verge", {"ground": "x" * 81, "note": "n"}, "cite it in at most 80"),
    ]:
        with pytest.raises(RedactionError, match=message):
            red.add(ref, ids["reply"], words, actor=CLERK, **kwargs)
    with pytest.raises(RequestError, match=f"record {ids['other']} was not collected"):
        red.add(ref, ids["other"], "allotment", actor=CLERK, ground="reg 12(4)(d)")
    red.propose(ref, actor=CLERK, record_ids=[ids["reply"]])
    assert "[REDACTED: reg 12(5)(b)] on the verge" in red.redacted(ref, ids["reply"], draft=True).text


def test_proposing_again_replaces_only_undecided_proposals(archive):
    requests, ref, ids = collected_foi(archive)
    red = Redactions(archive, PACK)
    red.propose(ref, actor=CLERK, record_ids=[ids["complaint"]])
    before = red.list_redactions(ref, record_id=ids["complaint"])
    grant = next(r for r in before if r.text == "Peter Grant")
    red.decide(ref, accept=True, ids=[grant.id], actor=CLERK, note=LIT)
    made, skipped = red.propose(ref, actor=CLERK, record_ids=[ids["complaint"]])
    assert made == {} and "already has proposals" in skipped[ids["complaint"]]
    made, _ = red.propose(ref, actor=CLERK, record_ids=[ids["complaint"]], again=True)
    after = red.list_redactions(ref, record_id=ids["complaint"])
    assert made[ids["complaint"]] == len(before) - 1 and len(after) == len(before)  # the decided one stays
    assert [(r.id, r.decision) for r in after if r.decision] == [(grant.id, "redact")]
    with pytest.raises(RedactionError, match=f"record {ids['other']} was not collected"):
        red.propose(ref, actor=CLERK, record_ids=[ids["other"]])


def test_a_redaction_that_no_longer_fits_the_text_is_refused(archive):
    requests, ref, ids = collected_foi(archive)
    red = Redactions(archive, PACK)
    red.propose(ref, actor=CLERK, record_ids=[ids["complaint"]])
    red.decide(ref, accept=True, record_id=ids["complaint"], actor=CLERK, note=LIT)
    victim = next(r for r in red.list_redactions(ref) if r.text == "Peter Grant")
    with archive.engine.begin() as conn:  # as if the mail reader now read the record differently
        conn.execute(update(RequestRedactionRow).where(RequestRedactionRow.id == victim.id)
                     .values(span_start=victim.start + 1, span_end=victim.end + 1))
    with pytest.raises(RedactionError, match=f"redaction {victim.id} no longer fits the record's text"):
        red.redacted(ref, ids["complaint"])


def test_a_record_deleted_before_the_request_is_skipped_and_said_so(archive):
    requests, ref, ids = collected_foi(archive)
    gone = archive.add(forwarded_with_attachments()).id
    archive.delete_content(gone, reason="past retention", rule="emails-2y", actor=CLERK)
    requests.add_records(ref, [gone], actor=CLERK)
    requests.review(ref, [gone], scope="in", actor=CLERK)
    made, skipped = Redactions(archive, PACK).propose(ref, actor=CLERK, record_ids=[gone])
    assert made == {} and f"record {gone}: its content was deleted" in skipped[gone]


def test_decisions_need_an_open_request_and_known_ids(archive):
    requests, ref, ids = collected_foi(archive)
    red = Redactions(archive, PACK)
    with pytest.raises(RedactionError, match="no undecided proposals to decide"):
        red.decide(ref, accept=True, actor=CLERK, note=LIT)
    with pytest.raises(RedactionError, match="no redaction 123456 in"):
        red.decide(ref, accept=True, ids=[123456], actor=CLERK, note=LIT)
    requests.close(ref, outcome="withdrawn", on=TODAY, actor=CLERK, today=TODAY)
    with pytest.raises(RequestError, match="cannot propose redactions"):
        red.propose(ref, actor=CLERK)
