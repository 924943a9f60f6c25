"""The Proper Officer's desk: the councillors' reports and requests arrive, are decided, and are audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from councilguard.records.archive import ArchiveItem
from councilguard.records.request_store import Requester
from councilguard.records.requests import Requests
from tests.web.conftest import CLERK, csrf_of, sign_in, signed_in

TODAY = date.today()


@pytest.fixture
def people(app, client):
    """(councillor client and token, clerk client and token): Ann Archer files, Helen Marsh decides."""
    token = signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")
    clerk = client.__class__(app)
    assert sign_in(clerk, CLERK[0]).status_code == 303
    return client, token, clerk, csrf_of(clerk, "/desk")


def _file_both(client, token):
    client.post("/remarks", data={"csrf_token": token, "remark": "You lot are a disgrace.",
                                  "link": "https://x.com/someone/status/1", "platform": "X (Twitter)", "note": ""})
    client.post("/consents", data={"csrf_token": token, "address": "ann@home.example",
                                   "reason": "My council mailbox is not set up", "period": "two months"})


def test_report_and_consent_reach_the_desk_and_the_grant_reaches_my_consents(app, people):
    client, token, clerk, clerk_token = people
    _file_both(client, token)
    desk = clerk.get("/desk").text
    assert "Reported remarks: 1 open" in desk and "Consent requests: 1 waiting" in desk
    assert "You lot are a disgrace." in desk and "Ann Archer asks to use ann@home.example" in desk
    (report,), (consent,) = app.state.remarks.open(), app.state.consents.pending()

    until = TODAY + timedelta(days=60)
    granted = clerk.post(f"/desk/consents/{consent.id}/grant", follow_redirects=False, data={
        "csrf_token": clerk_token, "expires_on": until.isoformat(), "source": "Clerk's decision 2026-11-25"})
    assert (granted.status_code, granted.headers["location"]) == (303, "/desk?done=granted#consents")
    handled = clerk.post(f"/desk/remarks/{report.id}/handled", follow_redirects=False,
                         data={"csrf_token": clerk_token, "note": "Reported to the platform."})
    assert handled.status_code == 303

    desk = clerk.get("/desk?done=handled").text
    assert "The report was marked handled." in desk and "Reported remarks: 0 open" in desk
    assert "Consent requests: 0 waiting" in desk and "Consents given" in desk
    mine = client.get("/consents").text
    assert f"Granted until {until.strftime('%d %b %Y')}" in mine and "Clerk&#39;s decision 2026-11-25" in mine
    assert "Handled: Reported to the platform." in client.get("/remarks").text
    audit = app.state.desk_audit.latest()
    assert [(a.actor, a.action, a.target_kind, a.target_id) for a in audit] == [
        (CLERK[0], "remark-handled", "remark-report", str(report.id)),
        (CLERK[0], "consent-granted", "consent-request", str(consent.id))]
    assert audit[1].detail == {"expires_on": until.isoformat(), "source": "Clerk's decision 2026-11-25"}


def test_a_refusal_is_audited_and_shown_to_the_councillor(app, people):
    client, token, clerk, clerk_token = people
    _file_both(client, token)
    (consent,) = app.state.consents.pending()
    response = clerk.post(f"/desk/consents/{consent.id}/refuse", follow_redirects=False,
                          data={"csrf_token": clerk_token, "reason": "Your council account now works."})
    assert response.status_code == 303
    assert "Refused: Your council account now works." in client.get("/consents").text
    assert [a.action for a in app.state.desk_audit.latest()] == ["consent-refused"]


@pytest.mark.parametrize("action, data, complaint, field", [
    ("grant", {"expires_on": "", "source": "Clerk"}, "The date the consent ends is needed", "expires-on"),
    ("grant", {"expires_on": "31/12/2027", "source": "Clerk"}, "is not a date", "expires-on"),
    ("grant", {"expires_on": TODAY.isoformat(), "source": "Clerk"}, "which is not after today", "expires-on"),
    ("grant", {"expires_on": "2099-01-01", "source": " "}, "The source of the decision is needed", "source"),
    ("refuse", {"reason": ""}, "The reason for refusing is needed", "reason"),
])
def test_a_bad_decision_is_refused_and_changes_nothing(app, people, action, data, complaint, field):
    client, token, clerk, clerk_token = people
    _file_both(client, token)
    (consent,) = app.state.consents.pending()
    response = clerk.post(f"/desk/consents/{consent.id}/{action}", data={"csrf_token": clerk_token, **data})
    assert response.status_code == 422
    assert complaint in response.text and f'href="#{field}-{consent.id}"' in response.text
    assert [c.id for c in app.state.consents.pending()] == [consent.id]
    assert app.state.desk_audit.latest() == []


def test_a_decided_request_cannot_be_decided_again(app, people):
    client, token, clerk, clerk_token = people
    _file_both(client, token)
    (consent,) = app.state.consents.pending()
    refuse = {"csrf_token": clerk_token, "reason": "No."}
    assert clerk.post(f"/desk/consents/{consent.id}/refuse", data=refuse, follow_redirects=False).status_code == 303
    again = clerk.post(f"/desk/consents/{consent.id}/grant", data={
        "csrf_token": clerk_token, "expires_on": "2099-01-01", "source": "Clerk"})
    assert again.status_code == 422 and "was already refused by" in again.text
    assert clerk.post("/desk/remarks/999/handled", data={"csrf_token": clerk_token, "note": "x"}).status_code == 404


def test_staff_and_councillors_cannot_use_the_desk(app, people):
    client, token, _clerk, _ = people
    _file_both(client, token)
    assert client.get("/desk").status_code == 403
    (report,) = app.state.remarks.open()
    done = client.post(f"/desk/remarks/{report.id}/handled", data={"csrf_token": token, "note": "done"})
    assert done.status_code == 403 and app.state.remarks.open() != []
    staff = client.__class__(app)
    signed_in(app, staff, "staff")
    page = staff.get("/desk")
    assert page.status_code == 403 and "You lot are a disgrace." not in page.text


def test_acknowledgements_are_shown_with_who_has_not(app, people):
    client, token, clerk, _ = people
    signed_in(app, client.__class__(app), "staff", email="sam@example.org", name="Sam Staff")
    assert client.post("/policy/acknowledge", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    desk = clerk.get("/desk").text
    done, _, missing = desk.partition("Not yet acknowledged</h3>")
    assert "Ann Archer (Councillor)" in done.split('id="acknowledgements"')[1]
    assert "Sam Staff (Staff)" in missing.split("</section>")[0]
    assert "Ann Archer" not in missing.split("</section>")[0]
    assert "Not yet acknowledged: 1" in desk


def test_held_mail_in_the_archive_appears_on_the_desk(app, people):
    _client, _token, clerk, _ = people
    assert "Mail held by the relay: 0" in clerk.get("/desk").text
    app.state.archive.add(ArchiveItem(raw=b"Subject: Planning\r\n\r\nabout the appeal\r\n", sender="cllr@example.org",
                                      received_at=datetime(2026, 11, 24, 8, 15, tzinfo=timezone.utc),
                                      subject="Planning appeal", verdict="warn", disposition="held",
                                      findings=[{"rule": "predetermination", "severity": "warn", "clause": "5.2"}]))
    desk = clerk.get("/desk").text
    assert "Mail held by the relay: 1" in desk
    assert "Planning appeal" in desk and "predetermination" in desk and "24 Nov 2026 08:15" in desk


def test_information_requests_are_listed_soonest_due_first(app, people):
    _client, _token, clerk, _ = people
    requests = Requests(app.state.archive)
    for name, days_ago in [("Later Requester", 2), ("Earlier Requester", 12)]:
        requests.register("foi", received=TODAY - timedelta(days=days_ago), requester=Requester(name),
                          wording="All minutes of 2026.", actor="Helen Marsh")
    desk = clerk.get("/desk").text
    assert "Information requests: 2 open" in desk
    assert desk.index("Earlier Requester") < desk.index("Later Requester")


@pytest.mark.parametrize("data, status, shown", [
    ({"status": "adopted", "adopted_on": "2026-11-25", "minute_ref": "FC/26/112", "next_review": "2027-11-25"},
     303, "adopted 25 Nov 2026 (minute FC/26/112)"),
    ({"status": "draft", "next_review": "2020-01-01"}, 303, "(overdue)"),
    ({"status": "adopted", "adopted_on": "2026-11-25"}, 422, "needs the minute reference"),
    ({"status": "adopted", "minute_ref": "FC/1"}, 422, "needs the date the council adopted it"),
    ({"status": "repealed"}, 422, "is not one of draft, adopted"),
    ({"status": "adopted", "adopted_on": "2026-11-25", "minute_ref": "FC/1", "next_review": "2026-01-01"}, 422,
     "must come after the adoption"),
])
def test_the_policy_record_is_kept_and_checked(app, people, data, status, shown):
    _client, _token, clerk, clerk_token = people
    response = clerk.post("/desk/policy-review", data={"csrf_token": clerk_token, **data}, follow_redirects=False)
    assert response.status_code == status
    page = response.text if status == 422 else clerk.get(response.headers["location"]).text
    assert shown in page
    actions = [a.action for a in app.state.desk_audit.latest()]
    assert actions == (["policy-review-saved"] if status == 303 else [])
