"""Information requests: register, the clock, searches that hold, collecting (SAR: every record about the
person), review, closing and releasing; the 0002 migration.

Every test that touches a database runs on a real SQLite file and a real PostgreSQL schema (conftest.py).
Messages are real MIME built with the standard library, so the raw bytes the redaction reads agree with the
facts the archive keeps.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from sqlalchemy import inspect, select

from councilguard.records import db, requests as requests_module
from councilguard.records.archive import Archive, ArchiveItem
from councilguard.records.archive_errors import ArchiveError, LegalHoldError
from councilguard.records.request_schema import RequestEventRow
from councilguard.records.request_store import DataSubject, Requester, RequestError, RequestNotFoundError
from councilguard.records.requests import Requests, subject_searches
from councilguard.records.schema import Base, ChainEntry
from councilguard.records.search import SearchCriteria

from .conftest import attachment

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
TODAY = date(2025, 3, 20)
CLERK = "Helen Marsh"


def mail(sender: str, to: list[str], subject: str, body: str, *, days: float = 0, cc: list[str] = (),
         attachments: list[tuple[str, str]] = ()) -> ArchiveItem:
    """An ArchiveItem whose raw bytes are a real message carrying the same facts."""
    when = T0 + timedelta(days=days)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Date"] = sender, ", ".join(to), subject, format_datetime(when)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg.set_content(body)
    for filename, text in attachments:
        msg.add_attachment(text, subtype="plain", filename=filename)
    return ArchiveItem(raw=msg.as_bytes(), sender=sender, to=list(to), cc=list(cc), subject=subject, body_text=body,
                       received_at=when, sent_at=when, attachments=[attachment(t, f) for f, t in attachments])


def verge_records(archive: Archive) -> dict[str, int]:
    """Three messages about verge parking (personal data in them) and one about something else."""
    items = {
        "complaint": mail("Joan Baker <joan.baker@example.com>", ["clerk@croxleygreen-pc.gov.uk"],
                          "Verge parking on Baldwins Lane",
                          "Dear Helen Marsh,\nMy neighbour Peter Grant (07700 900456) keeps parking on the verge.\n"
                          "Cllr Sharma said she would look into it.\nJoan Baker"),
        "reply": mail("Helen Marsh <clerk@croxleygreen-pc.gov.uk>", ["cllr.sharma@croxleygreen-pc.gov.uk"],
                      "Re: Verge parking", "Priya, Mrs Baker has written again about the van on the verge. "
                                           "Her number is 07700 900123.", days=1),
        "legal": mail("Helen Marsh <clerk@croxleygreen-pc.gov.uk>", ["advice@solicitors.example"],
                      "Verge parking: legal advice", "Our solicitor's advice on enforcement on the verge.", days=2),
        "other": mail("Dev Patel <deputy.clerk@croxleygreen-pc.gov.uk>", ["clerk@croxleygreen-pc.gov.uk"],
                      "Allotment rents", "The allotment rents for 2025 are attached.", days=3),
    }
    return {name: archive.add(item).id for name, item in items.items()}


def register_foi(requests: Requests, **overrides) -> str:
    values = dict(received=date(2025, 3, 10), requester=Requester("Sam Writer", "sam@example.org"),
                  wording="All correspondence about verge parking on Baldwins Lane in 2025.", actor=CLERK,
                  today=TODAY)
    values.update(overrides)
    return requests.register(values.pop("kind", "foi"), **values).reference


# --- registering and the clock ----------------------------------------------------------------------------

REGISTER = [  # kind, received, reference, due date worked by hand
    ("foi", date(2025, 3, 10), "FOI-2025-001", date(2025, 4, 8)),  # +28 days is Mon 7 Apr; 17 Mar (NI) skipped
    ("eir", date(2025, 6, 2), "EIR-2025-001", date(2025, 6, 30)),  # no holiday in June
    ("sar", date(2025, 1, 31), "SAR-2025-001", date(2025, 2, 28)),  # no 31 February: the month's last day
]


@pytest.mark.parametrize("kind, received, reference, due", REGISTER)
def test_register_numbers_the_request_and_the_clock_gives_its_due_date(archive, kind, received, reference, due):
    requests = Requests(archive)
    got = requests.register(kind, received=received, requester=Requester("Joan Baker", "Joan.Baker@example.com"),
                            wording="Everything about the verge.", actor=CLERK, today=received)
    assert (got.reference, got.kind.value, got.received, got.requester.email) == (
        reference, kind, received, "joan.baker@example.com")
    status = requests.status(reference, today=received)
    assert (status.due, status.state, status.problem) == (due, "open", None)
    assert requests.register(kind, received=received, requester=Requester("A N Other"), wording="More.", actor=CLERK,
                             today=received).reference == reference[:-1] + "2"
    if kind == "sar":  # the requester is the data subject unless one is given, and is searched for at once
        assert got.subject == DataSubject(names=("Joan Baker",), emails=("joan.baker@example.com",))
        assert [s.hold_name for s in got.searches] == [reference, f"{reference} (search 2)"]
    else:
        assert got.subject is None and got.searches == ()


REFUSED = [  # what is changed, what the error says
    ({"kind": "fol"}, "request type 'fol' is not one of foi, eir, sar"),
    ({"received": date(2025, 3, 21)}, "must be a date, not after today"),
    ({"requester": Requester("  ")}, "the requester's name is required"),
    ({"requester": Requester("Sam", "not-an-address")}, "'not-an-address' is not an e-mail address"),
    ({"wording": " "}, "the request's wording is required"),
    ({"subject": DataSubject(names=("Joan Baker",))}, "only a subject access request has a data subject"),
    ({"reference": "../etc"}, "reference '../etc': use up to 40 letters"),
    ({"nation": "cornwall"}, "nation 'cornwall' is not one of"),
    ({"searches": [SearchCriteria(query='"verge')]}, "is never closed"),
    ({"searches": [SearchCriteria()]}, "a search needs words or filters"),
    ({"actor": ""}, "who is doing this"),
]


@pytest.mark.parametrize("change, message", REFUSED)
def test_register_refuses_bad_input_and_stores_nothing(archive, change, message):
    requests = Requests(archive)
    with pytest.raises(ArchiveError, match=message.replace("(", r"\(").replace(")", r"\)")):
        register_foi(requests, **change)
    assert requests.list_requests(today=TODAY, include_closed=True) == [] and archive.holds() == []


@pytest.mark.parametrize("fields, message", [
    ({"emails": ("joan@",)}, "'joan@' is not an e-mail address"),
    ({"phones": ("0770",)}, "'0770' is not a phone number"),
])
def test_a_data_subject_must_be_reachable(fields, message):
    with pytest.raises(RequestError, match=message):
        DataSubject(**fields)


def test_a_reference_is_used_once(archive):
    requests = Requests(archive)
    register_foi(requests, reference="FOI 14/2025")
    with pytest.raises(RequestError, match="reference 'FOI 14/2025' is already used"):
        register_foi(requests, reference="FOI 14/2025")


CLOCK_STEPS = [  # (event, on, extra), expected state and due date after it
    (("clarification-asked", date(2025, 3, 12), {}), "paused-awaiting-clarification", None),
    (("clarification-received", date(2025, 3, 14), {}), "open", date(2025, 4, 14)),  # 20 working days afresh
    (("extension", date(2025, 3, 20), {"grounds": ["public-interest"], "reason": "weighing s36",
                                       "new_due": date(2025, 5, 9)}), "open", date(2025, 5, 9)),
]


def test_clock_events_move_the_due_date_and_the_status(archive):
    requests = Requests(archive)
    ref = register_foi(requests)
    for (kind, on, extra), state, due in CLOCK_STEPS:
        status = requests.add_clock_event(ref, kind, on=on, actor=CLERK, today=TODAY, **extra)
        assert (status.state, status.due) == (state, due), kind
    assert [e.kind for e in requests.get(ref).clock_events] == [step[0][0] for step in CLOCK_STEPS]
    assert "Public-interest extension notified" in " ".join(requests.status(ref, today=TODAY).reading.explanation)


@pytest.mark.parametrize("kind, on, extra, message", [
    ("fee-received", date(2025, 3, 12), {}, "no fee was asked for before it"),
    ("identity-asked", date(2025, 3, 12), {}, "proof of identity belongs to subject access requests"),
    ("clarification-asked", date(2025, 3, 9), {}, "before the request was received"),
    ("clarification-asked", date(2025, 3, 21), {}, "not after today"),
    ("extension", date(2025, 3, 12), {"grounds": ["complex"], "reason": "big"}, "only to consider the public"),
    ("refund", date(2025, 3, 12), {}, "clock event 'refund' is not one of"),
    ("fee-notice", date(2025, 3, 12), {"reason": "x", "grounds": ["complex"]}, "only an extension has grounds"),
])
def test_impossible_clock_events_are_refused_and_not_kept(archive, kind, on, extra, message):
    requests = Requests(archive)
    ref = register_foi(requests)
    with pytest.raises(RequestError, match=message):
        requests.add_clock_event(ref, kind, on=on, actor=CLERK, today=TODAY, **extra)
    assert requests.get(ref).clock_events == ()
    assert [e.kind for e in requests.history(ref)] == ["registered"]


def test_list_is_by_due_date_with_stopped_clocks_last_and_closed_ones_left_out(archive):
    requests = Requests(archive)
    late = register_foi(requests, received=date(2025, 3, 14))  # +28 is Fri 11 April; 17 March (NI) skipped: Mon 14th
    soon = register_foi(requests, received=date(2025, 3, 3))  # +28 is Mon 31 March; 17 March skipped: 1 April
    paused = register_foi(requests, received=date(2025, 3, 1))
    requests.add_clock_event(paused, "clarification-asked", on=date(2025, 3, 4), actor=CLERK, today=TODAY)
    sar = register_foi(requests, kind="sar", received=date(2025, 3, 5))  # due 7 April (5 April is a Saturday)
    assert [(s.request.reference, s.due) for s in requests.list_requests(today=TODAY)] == [
        (soon, date(2025, 4, 1)), (sar, date(2025, 4, 7)), (late, date(2025, 4, 14)), (paused, None)]
    requests.close(soon, outcome="not-held", on=date(2025, 3, 18), actor=CLERK, today=TODAY)
    assert soon not in [s.request.reference for s in requests.list_requests(today=TODAY)]
    closed = requests.status(soon, today=TODAY)
    assert (closed.state, closed.on_time) == ("closed", True)
    assert soon in [s.request.reference for s in requests.list_requests(today=TODAY, include_closed=True)]


def test_unknown_reference_names_the_known_ones(archive):
    requests = Requests(archive)
    ref = register_foi(requests)
    with pytest.raises(RequestNotFoundError, match=f"no request 'FOI-1999-001'; requests are: {ref}"):
        requests.status("FOI-1999-001")


# --- searching, holding, collecting -----------------------------------------------------------------------


def test_a_search_holds_what_it_matches_including_records_archived_later(archive):
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = register_foi(requests)
    added = requests.add_search(ref, SearchCriteria(query="verge"), actor=CLERK)
    assert added.hold_name == ref and archive.holds_on(ids["complaint"]) == [ref]
    assert archive.holds_on(ids["other"]) == []
    later = archive.add(mail("Joan Baker <joan.baker@example.com>", ["clerk@croxleygreen-pc.gov.uk"],
                             "Verge again", "The van is back on the verge.", days=20)).id
    with pytest.raises(LegalHoldError, match=f"record {later} is under legal hold '{ref}'"):
        archive.delete_content(later, reason="test", rule="emails-2y", actor=CLERK)
    first = requests.collect(ref, actor=CLERK)
    assert (sorted(first.new), first.already) == (sorted([ids["complaint"], ids["reply"], ids["legal"], later]), 0)
    second = requests.add_search(ref, SearchCriteria(query="allotment", sender="deputy.clerk@croxleygreen-pc.gov.uk"),
                                 actor=CLERK)
    assert second.hold_name == f"{ref} (search 2)"
    again = requests.collect(ref, actor=CLERK)
    assert (again.new, again.already, again.by_search) == ((ids["other"],), 4, {1: 4, 2: 1})
    kinds = [e.kind for e in archive.events(ids["other"])]
    assert kinds == ["archived", "request-collected"]
    assert archive.verify().ok


def test_records_added_by_hand_are_held_by_id(archive):
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = register_foi(requests)
    assert requests.add_records(ref, [ids["other"], ids["other"]], actor=CLERK) == [ids["other"]]
    assert requests.add_records(ref, [ids["other"]], actor=CLERK) == []
    assert archive.holds_on(ids["other"]) == [f"{ref} (records 1)"]
    assert [(r.record_id, r.found_by, r.scope) for r in requests.records(ref)] == [(ids["other"], "by hand", "pending")]
    with pytest.raises(RequestError, match="no record 999 in the archive"):
        requests.add_records(ref, [999], actor=CLERK)
    with pytest.raises(RequestError, match="has no searches yet"):
        requests.collect(ref, actor=CLERK)


SAR_CASES = [  # how the message mentions the data subject (or not), found?
    ("name in the body", dict(body="I spoke to Joan Baker about the hedge."), True),
    ("a name variant with a title", dict(body="Mrs Baker rang again."), True),
    ("her address as sender", dict(sender="joan.baker@example.com"), True),
    ("her address in cc", dict(cc=["Joan <joan.baker@example.com>"]), True),
    ("her address written in the body", dict(body="Reply to joan.baker@example.com please."), True),
    ("her phone written without spaces", dict(body="Her number is 07700900123."), True),
    ("her phone in international form", dict(body="Call +44 7700 900123 after six."), True),
    ("her name in the subject line", dict(subject="Complaint from Joan Baker"), True),
    ("her name in an attachment", dict(attachments=[("minutes.txt", "Present: Joan Baker (resident).")]), True),
    ("somebody else called Baker", dict(body="Peter Baker mowed the green."), False),
    ("another phone number", dict(body="Ring 07700 900999."), False),
    ("nothing about her", dict(body="The hedge was cut on Tuesday."), False),
]


def test_a_subject_access_request_finds_every_record_about_the_person(archive):
    requests = Requests(archive)
    ids = {}
    for n, (label, fields, _) in enumerate(SAR_CASES):
        values = dict(sender="Dev Patel <deputy.clerk@croxleygreen-pc.gov.uk>", to=["clerk@croxleygreen-pc.gov.uk"],
                      subject=f"Parish matter {n}", body="Nothing to see.")
        values.update(fields)
        ids[label] = archive.add(mail(values.pop("sender"), values.pop("to"), values.pop("subject"),
                                      values.pop("body"), days=n, **values)).id
    subject = DataSubject(names=("Joan Baker", "Mrs Baker"), emails=("Joan.Baker@example.com",),
                          phones=("+44 7700 900123",))
    ref = requests.register("sar", received=date(2025, 3, 14), requester=Requester("Joan Baker"),
                            wording="All the data you hold about me.", actor=CLERK, subject=subject,
                            today=TODAY).reference
    found = set(requests.collect(ref, actor=CLERK).new)
    assert {label for label, _, _ in SAR_CASES if ids[label] in found} == {
        label for label, _, want in SAR_CASES if want}
    for label, _, want in SAR_CASES:  # every record found is held, so none can be deleted meanwhile
        assert bool(archive.holds_on(ids[label])) is want, label


def test_subject_searches_quote_each_form_and_add_address_filters():
    searches = subject_searches(DataSubject(names=('Joan "Jo" Baker',), emails=("jb@example.com",),
                                            phones=("07700 900123",)))
    assert searches[0].query == ('"Joan  Jo  Baker" OR "jb@example.com" OR "07700 900123" OR "07700900123" OR '
                                 '"+44 7700 900123" OR "+447700900123"')
    assert searches[1:] == [SearchCriteria(person="jb@example.com")]


def test_a_search_too_wide_to_answer_is_refused(archive, monkeypatch):
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = register_foi(requests, searches=[SearchCriteria(query="verge")])
    monkeypatch.setattr(requests_module, "MAX_PER_SEARCH", 2)
    monkeypatch.setattr(requests_module, "_PAGE", 1)
    with pytest.raises(RequestError, match=r"search 1 \(query=verge\) matches over 2 records; narrow it"):
        requests.collect(ref, actor=CLERK)
    assert requests.records(ref) == [] and ids


# --- review, close, release -------------------------------------------------------------------------------


def test_review_marks_scope_with_notes_and_withholding(archive):
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = register_foi(requests, searches=[SearchCriteria(query="verge")])
    requests.collect(ref, actor=CLERK)
    requests.review(ref, [ids["complaint"], ids["reply"]], scope="in", actor=CLERK)
    requests.review(ref, [ids["legal"]], scope="in", withhold="s42 legal professional privilege", actor=CLERK,
                    note="advice from the council's solicitor")
    refused = [
        (dict(record_ids=[ids["legal"]], scope="out"), "say why the record is out of scope"),
        (dict(record_ids=[ids["legal"]], scope="out", note="x", withhold="s42"), "only an in-scope record is withheld"),
        (dict(record_ids=[ids["other"]], scope="in"), f"record {ids['other']} was not collected"),
        (dict(record_ids=[ids["legal"]], scope="maybe"), "scope 'maybe' is not 'in' or 'out'"),
        (dict(record_ids=[], scope="in"), "give at least one record id"),
    ]
    for kwargs, message in refused:
        with pytest.raises(RequestError, match=message):
            requests.review(ref, actor=CLERK, **kwargs)
    got = {r.record_id: (r.scope, r.withheld, r.reviewed_by) for r in requests.records(ref)}
    assert got == {ids["complaint"]: ("in", None, CLERK), ids["reply"]: ("in", None, CLERK),
                   ids["legal"]: ("in", "s42 legal professional privilege", CLERK)}
    status = requests.status(ref, today=TODAY)
    assert (status.collected, status.pending, status.in_scope, status.withheld) == (3, 0, 3, 1)
    assert [e.kind for e in archive.events(ids["legal"])] == ["archived", "request-collected", "request-reviewed"]


def test_close_then_release_the_holds_after_the_review_period(archive):
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = register_foi(requests, searches=[SearchCriteria(query="verge")])
    requests.add_records(ref, [ids["other"]], actor="Dev Patel")
    with pytest.raises(RequestError, match="is still open: close it before releasing"):
        requests.release_holds(ref, actor=CLERK, reason="done", today=TODAY)
    with pytest.raises(RequestError, match="outcome 'granted' is not one of disclosed, part-disclosed"):
        requests.close(ref, outcome="granted", on=TODAY, actor=CLERK, today=TODAY)
    with pytest.raises(RequestError, match="must be between the day received"):
        requests.close(ref, outcome="disclosed", on=date(2025, 3, 1), actor=CLERK, today=TODAY)
    closed = requests.close(ref, outcome="part-disclosed", on=date(2025, 4, 9), actor=CLERK, today=date(2025, 4, 9),
                            review_until=date(2025, 6, 10), note="s40(2) redactions")
    assert (closed.state, closed.due, closed.on_time) == ("closed", date(2025, 4, 8), False)  # a day late
    with pytest.raises(RequestError, match="was closed on 2025-04-09 \\(part-disclosed\\); cannot add a search"):
        requests.add_search(ref, SearchCriteria(query="hedge"), actor=CLERK)
    with pytest.raises(RequestError, match="the review period set runs to 2025-06-10"):
        requests.release_holds(ref, actor=CLERK, reason="no review asked for", today=date(2025, 6, 10))
    released = requests.release_holds(ref, actor=CLERK, reason="no review asked for", today=date(2025, 6, 11))
    assert released == [ref, f"{ref} (records 1)"] and archive.holds() == []
    archive.delete_content(ids["complaint"], reason="retention", rule="emails-2y", actor=CLERK)  # now lawful
    with pytest.raises(RequestError, match="has no active legal holds"):
        requests.release_holds(ref, actor=CLERK, reason="again", today=date(2025, 6, 11))
    history = [(e.kind, e.actor) for e in requests.history(ref)]
    assert history == [("registered", CLERK), ("search-added", CLERK), ("records-added", "Dev Patel"),
                       ("closed", CLERK), ("holds-released", CLERK)]
    assert archive.verify().ok


# --- the migration ----------------------------------------------------------------------------------------

TABLES = {"info_requests", "request_clock_events", "request_searches", "request_records", "request_redactions",
          "request_events"}


def test_migration_0002_makes_exactly_the_request_models_and_goes_back_down(empty_db_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)

    def ours(obj, name, type_, reflected, compare_to):
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in TABLES

    try:
        head = db.head_revision()  # later migrations (web accounts, the desk) sit on top of 0002
        assert db.current_revision(engine) == head
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert TABLES <= set(inspect(conn).get_table_names())
        with engine.begin() as conn:
            command.downgrade(db._alembic_config(conn), "0001_archive")
        with engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())
        db.upgrade(engine)
        assert db.current_revision(engine) == head
    finally:
        engine.dispose()


def test_each_step_is_logged_as_json_with_its_actor(archive):
    requests = Requests(archive)
    ref = register_foi(requests, searches=[SearchCriteria(query="verge", since=date(2025, 1, 1))])
    with archive.session() as s:
        rows = list(s.scalars(select(RequestEventRow).order_by(RequestEventRow.id)))
        chain_kinds = list(s.scalars(select(ChainEntry.kind).order_by(ChainEntry.seq)))
    assert [(r.kind, r.actor, json.loads(r.detail)) for r in rows] == [
        ("registered", CLERK, {"kind": "foi", "received": "2025-03-10"}),
        ("search-added", CLERK, {"hold": ref, "position": 1})]
    assert chain_kinds == ["hold-placed"]
