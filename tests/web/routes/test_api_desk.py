"""The desk's JSON API: what the councillors file arrives, is decided through the same services, and is audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from councilguard.records.archive import ArchiveItem
from councilguard.records.request_store import Requester
from tests.web.conftest import CLERK, sign_in, signed_in

TODAY = date.today()
REMARK = {"remark": "You lot are a disgrace.", "link": "https://x.com/someone/status/1", "platform": "X (Twitter)"}
CONSENT = {"address": "ann@home.example", "reason": "My council mailbox is not set up", "period": "two months"}


@pytest.fixture
def people(app, client):
    """(councillor client, its token, clerk client, its token): Ann Archer files, Helen Marsh decides."""
    token = signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")
    clerk = client.__class__(app)
    assert sign_in(clerk, CLERK[0]).status_code == 303
    return client, token, clerk, clerk.get("/api/me").json()["csrf_token"]


def _file_both(client, token) -> tuple[int, int]:
    report = client.post("/api/remarks", json=REMARK, headers={"X-CSRF-Token": token}).json()
    consent = client.post("/api/consents", json=CONSENT, headers={"X-CSRF-Token": token}).json()
    return report["id"], consent["id"]


def test_report_and_consent_reach_the_desk_are_decided_and_audited(app, people):
    client, token, clerk, clerk_token = people
    report_id, consent_id = _file_both(client, token)
    summary = clerk.get("/api/desk").json()
    assert (summary["open_reports"], summary["pending_consents"], summary["not_acknowledged"]) == (1, 1, 1)
    assert [r["id"] for r in clerk.get("/api/desk/remarks").json()] == [report_id]
    assert [c["councillor_name"] for c in clerk.get("/api/desk/consents").json()] == ["Ann Archer"]

    until = TODAY + timedelta(days=60)
    granted = clerk.post(f"/api/desk/consents/{consent_id}/grant", headers={"X-CSRF-Token": clerk_token},
                         json={"expires_on": until.isoformat(), "source": "Clerk's decision 2026-11-25"})
    assert granted.status_code == 200
    assert granted.json() == {"id": consent_id, "status": "granted", "decided_by": CLERK[0],
                              "expires_on": until.isoformat(), "source": "Clerk's decision 2026-11-25",
                              "refusal_reason": None}
    handled = clerk.post(f"/api/desk/remarks/{report_id}/handled", headers={"X-CSRF-Token": clerk_token},
                         json={"note": " Reported to the platform. "})
    assert handled.json() == {"id": report_id, "status": "handled", "handled_by": CLERK[0],
                              "handled_note": "Reported to the platform."}

    assert clerk.get("/api/desk/remarks").json() == []
    assert [c["state"] for c in clerk.get("/api/desk/consents", params={"status": "granted"}).json()] == ["granted"]
    assert client.get("/api/consents").json()[0]["expires_on"] == until.isoformat()
    assert client.get("/api/remarks").json()[0]["handled_note"] == "Reported to the platform."
    audit = clerk.get("/api/desk/audit").json()
    assert [(a["actor"], a["action"], a["target_kind"], a["target_id"]) for a in audit] == [
        (CLERK[0], "remark-handled", "remark-report", str(report_id)),
        (CLERK[0], "consent-granted", "consent-request", str(consent_id))]
    assert audit[1]["detail"] == {"expires_on": until.isoformat(), "source": "Clerk's decision 2026-11-25"}
    assert [a.action for a in app.state.desk_audit.latest()] == ["remark-handled", "consent-granted"]


def test_a_refusal_is_audited_and_shown_to_the_councillor(app, people):
    client, token, clerk, clerk_token = people
    _, consent_id = _file_both(client, token)
    refused = clerk.post(f"/api/desk/consents/{consent_id}/refuse", headers={"X-CSRF-Token": clerk_token},
                         json={"reason": "Your council account now works."})
    assert refused.json()["status"] == "refused"
    mine = client.get("/api/consents").json()[0]
    assert (mine["state"], mine["refusal_reason"]) == ("refused", "Your council account now works.")
    assert [a["action"] for a in clerk.get("/api/desk/audit", params={"limit": 5}).json()] == ["consent-refused"]


@pytest.mark.parametrize("action, body, where, complaint", [
    ("grant", {"expires_on": "", "source": "Clerk"}, "body.expires_on", "The date the consent ends is needed"),
    ("grant", {"expires_on": "31/12/2027", "source": "Clerk"}, "body.expires_on", "write it like 2027-05-31"),
    ("grant", {"expires_on": TODAY.isoformat(), "source": "Clerk"}, "body.expires_on", "which is not after today"),
    ("grant", {"expires_on": "2099-01-01", "source": " "}, "body.source", "The source of the decision is needed"),
    ("grant", {"expires_on": "2099-01-01"}, "body.source", "body.source is required"),
    ("refuse", {"reason": ""}, "body.reason", "The reason for refusing is needed"),
    ("refuse", {"reason": "No", "why": "typo"}, "body.why", "Extra inputs are not permitted"),
])
def test_a_bad_decision_is_refused_saying_where_and_changes_nothing(app, people, action, body, where, complaint):
    client, token, clerk, clerk_token = people
    _, consent_id = _file_both(client, token)
    response = clerk.post(f"/api/desk/consents/{consent_id}/{action}", json=body,
                          headers={"X-CSRF-Token": clerk_token})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["where"] == where and complaint in error["message"], error
    assert len(app.state.consents.pending()) == 1 and app.state.desk_audit.latest() == []


def test_deciding_twice_or_a_missing_row_is_refused_naming_the_path(app, people):
    client, token, clerk, clerk_token = people
    report_id, consent_id = _file_both(client, token)
    headers = {"X-CSRF-Token": clerk_token}
    assert clerk.post(f"/api/desk/consents/{consent_id}/refuse", json={"reason": "No"}, headers=headers).is_success
    again = clerk.post(f"/api/desk/consents/{consent_id}/grant", headers=headers,
                       json={"expires_on": "2099-01-01", "source": "Clerk"})
    assert (again.status_code, again.json()["error"]["where"]) == (422, "path.consent_id")
    assert "already refused" in again.json()["error"]["message"]
    missing = clerk.post("/api/desk/remarks/999/handled", json={"note": "Done"}, headers=headers)
    assert (missing.status_code, missing.json()["error"]) == (404, {
        "code": "not-found", "message": "there is no report 999", "where": "path.report_id"})
    not_a_number = clerk.post("/api/desk/remarks/first/handled", json={"note": "Done"}, headers=headers)
    assert (not_a_number.status_code, not_a_number.json()["error"]["where"]) == (422, "path.report_id")


def test_the_policy_review_is_read_saved_and_audited(app, people):
    _, _, clerk, clerk_token = people
    pack = app.state.checker.pack
    assert clerk.get("/api/desk/policy-review").json()["status"] == pack.policy.pack.status
    body = {"status": "adopted", "adopted_on": "2026-05-12", "minute_ref": "Min 26/045",
            "next_review": (TODAY - timedelta(days=1)).isoformat()}
    saved = clerk.put("/api/desk/policy-review", json=body, headers={"X-CSRF-Token": clerk_token}).json()
    assert {k: saved[k] for k in body} == body and saved["overdue"] is True and saved["updated_by"] == CLERK[0]
    assert clerk.get("/api/desk/policy-review").json() == saved
    assert clerk.get("/api/desk").json()["review_overdue"] is True
    assert app.state.desk_audit.latest()[0].action == "policy-review-saved"


@pytest.mark.parametrize("body, where, complaint", [
    ({"status": "approved"}, "body.status", "is not one of draft, adopted"),
    ({"status": "adopted", "minute_ref": "Min 1"}, "body.adopted_on", "needs the date"),
    ({"status": "adopted", "adopted_on": "2026-05-12"}, "body.minute_ref", "needs the minute reference"),
    ({"status": "draft", "adopted_on": "12 May"}, "body.adopted_on", "is not a date"),
    ({"status": "draft", "adopted_on": "2026-05-12", "next_review": "2026-05-01"}, "body.next_review",
     "must come after the adoption"),
])
def test_a_bad_review_is_refused_saying_which_field(app, people, body, where, complaint):
    _, _, clerk, clerk_token = people
    response = clerk.put("/api/desk/policy-review", json=body, headers={"X-CSRF-Token": clerk_token})
    assert response.status_code == 422
    assert response.json()["error"]["where"] == where and complaint in response.json()["error"]["message"]
    assert app.state.desk_audit.latest() == []


def test_acknowledgements_name_who_has_and_who_has_not(app, people):
    client, token, clerk, _ = people
    signed_in(app, client.__class__(app), "staff", email="sam@example.org", name="Sam Staff")
    client.post("/api/policy/acknowledge", headers={"X-CSRF-Token": token})
    seen = clerk.get("/api/desk/acknowledgements").json()
    assert [p["name"] for p in seen["acknowledged"]] == ["Ann Archer"]
    assert [(p["name"], p["role"]) for p in seen["not_acknowledged"]] == [("Sam Staff", "staff")]
    by_email = {u.email: u for u in app.state.users.list()}
    clerk_user, sam = by_email[CLERK[0]], by_email["sam@example.org"]
    app.state.account_changes.set_active(sam.id, False, clerk_user)  # Sam has left: no longer asked
    assert clerk.get("/api/desk/acknowledgements").json()["not_acknowledged"] == []
    assert clerk.get("/api/desk").json()["not_acknowledged"] == 0
    assert "Sam Staff" not in clerk.get("/desk").text


def test_the_summary_counts_official_posts_waiting_and_open_incidents(app, people):
    summary = people[2].get("/api/desk").json()
    assert (summary["official_waiting"], summary["open_incidents"]) == (0, 0)


def test_held_mail_and_information_requests_are_listed(app, people):
    _, _, clerk, _ = people
    assert clerk.get("/api/desk/held-mail").json() == {"count": 0, "messages": []}
    item = ArchiveItem(raw=b"Subject: Hi\r\n\r\nHello\r\n", sender="cllr@example.org", subject="Hi",
                       received_at=datetime.now(timezone.utc), verdict="warn", disposition="held",
                       findings=[{"rule": "personal-data", "severity": "warn", "clause": "4.2"}])
    app.state.archive.add(item)
    held = clerk.get("/api/desk/held-mail", params={"limit": 1}).json()
    assert held["count"] == 1 and held["messages"][0]["rules"] == ["personal-data"]
    assert held["messages"][0]["subject"] == "Hi"
    app.state.requests.register("foi", received=TODAY - timedelta(days=3), requester=Requester("Jo Public"),
                                wording="All e-mails about the play area", actor="Helen Marsh")
    (request,) = clerk.get("/api/desk/requests").json()
    assert (request["kind"], request["requester"], request["state"]) == ("foi", "Jo Public", "open")
    assert date.fromisoformat(request["due"]) > TODAY


@pytest.mark.parametrize("params, where", [({"limit": 0}, "query.limit"), ({"limit": "all"}, "query.limit")])
def test_a_bad_limit_is_named(people, params, where):
    _, _, clerk, _ = people
    response = clerk.get("/api/desk/held-mail", params=params)
    assert (response.status_code, response.json()["error"]["where"]) == (422, where)


@pytest.mark.parametrize("role", ["councillor", "staff", "administrator"])
@pytest.mark.parametrize("method, path", [
    ("GET", "/api/desk"), ("GET", "/api/desk/remarks"), ("GET", "/api/desk/consents"),
    ("GET", "/api/desk/policy-review"), ("PUT", "/api/desk/policy-review"), ("GET", "/api/desk/acknowledgements"),
    ("GET", "/api/desk/held-mail"), ("GET", "/api/desk/requests"), ("GET", "/api/desk/audit"),
    ("POST", "/api/desk/remarks/1/handled"), ("POST", "/api/desk/consents/1/grant"),
    ("POST", "/api/desk/consents/1/refuse"),
])
def test_only_the_proper_officer_may_use_the_desk(app, client, role, method, path):
    token = signed_in(app, client, role)
    response = client.request(method, path, json={}, headers={"X-CSRF-Token": token})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden")


def test_a_desk_change_without_the_token_is_refused(app, people):
    client, token, clerk, _ = people
    report_id, _ = _file_both(client, token)
    response = clerk.post(f"/api/desk/remarks/{report_id}/handled", json={"note": "Done"})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "csrf-token-missing")
    assert len(app.state.remarks.open()) == 1
