"""The register and the queue as JSON: the same rules as the pages, errors naming the part of the request."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from councilguard.web.routes.api_openapi import OPENAPI_URL
from tests.web.conftest import CLERK, sign_in, signed_in

TODAY = date.today()
EVENTS = ("events@croxleygreen-pc.gov.uk", "Shona McAllister")
CLEAN = "The play area on the Green reopens on Saturday at 10am."
WARNS = "Our groundsman Gary Doyle is useless and lazy and should be sacked."
SPEAK = {"kind": "speak-for-council", "source_kind": "resolution", "reference": "Minute 26/045",
         "decided_on": (TODAY - timedelta(days=1)).isoformat(), "scope": "Statements on the consultation"}


@pytest.fixture
def people(app, client):
    """(staff client, its token, clerk client, its token, the staff member's id)."""
    token = signed_in(app, client, "staff", email=EVENTS[0], name=EVENTS[1])
    clerk = client.__class__(app)
    assert sign_in(clerk, CLERK[0]).status_code == 303
    staff_id = next(u.id for u in app.state.users.list() if u.email == EVENTS[0])
    return client, token, clerk, clerk.get("/api/me").json()["csrf_token"], staff_id


def test_record_list_and_revoke(people):
    staff, token, clerk, clerk_token, staff_id = people
    made = clerk.post("/api/authorisations", json={**SPEAK, "holder_id": staff_id}, headers={"X-CSRF-Token": clerk_token})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["holder_name"], body["kind"], body["reference"], body["state"], body["expires_on"]) == (
        EVENTS[1], "speak-for-council", "Minute 26/045", "current", None)
    assert [a["id"] for a in clerk.get("/api/authorisations", params={"holder_id": staff_id}).json()] == [body["id"]]
    assert [a["id"] for a in staff.get("/api/authorisations/mine").json()] == [body["id"]]
    revoked = clerk.post(f"/api/authorisations/{body['id']}/revoke", json={"reason": "Rescinded"},
                         headers={"X-CSRF-Token": clerk_token})
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = clerk.post(f"/api/authorisations/{body['id']}/revoke", json={"reason": "Rescinded"},
                       headers={"X-CSRF-Token": clerk_token})
    assert again.status_code == 409 and again.json()["error"]["where"] == "path.authorisation_id"
    assert [a["action"] for a in clerk.get("/api/desk/audit").json()] == ["authorisation-revoked",
                                                                           "authorisation-recorded"]


@pytest.mark.parametrize("change, status, where, words", [
    ({"kind": "chair-meetings"}, 422, "body.kind", "is not a kind of authorisation"),
    ({"source_kind": "proper-officer-consent"}, 422, "body.source_kind", "comes from the council resolution"),
    ({"reference": ""}, 422, "body.reference", "The minute or reference is needed"),
    ({"decided_on": "yesterday"}, 422, "body.decided_on", "is not a date"),
    ({"expires_on": "2000-01-01"}, 422, "body.expires_on", "before it was given"),
    ({"channel": "facebook"}, 422, "body.channel", "only chosen for an official-account designation"),
    ({"holder_id": 999999}, 422, "body.holder_id", "Choose who holds it"),
    ({"holder_id": "Shona"}, 422, "body.holder_id", ""),
    ({"extra": 1}, 422, "body.extra", ""),
])
def test_a_bad_record_names_the_field(people, change, status, where, words):
    staff, token, clerk, clerk_token, staff_id = people
    response = clerk.post("/api/authorisations", json={**SPEAK, "holder_id": staff_id, **change},
                          headers={"X-CSRF-Token": clerk_token})
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["where"] == where and words in error["message"]


def test_the_queue_through_the_api(app, people):
    staff, token, clerk, clerk_token, staff_id = people
    post = {"channel": "facebook", "text": CLEAN}
    refused = staff.post("/api/official-posts", json=post, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403 and refused.json()["error"] == {
        "code": "forbidden", "where": "body.channel",
        "message": "the Proper Officer has not designated you to post on the council's facebook account; ask the "
                   "Clerk to publish it, or to designate you"}
    clerk.post("/api/authorisations", headers={"X-CSRF-Token": clerk_token}, json={
        "holder_id": staff_id, "kind": "official-account", "source_kind": "proper-officer-designation",
        "reference": "Clerk's designation", "decided_on": TODAY.isoformat(), "scope": "Events", "channel": "facebook"})
    made = staff.post("/api/official-posts", json=post, headers={"X-CSRF-Token": token})
    assert made.status_code == 201 and made.json()["status"] == "waiting" and made.json()["submitted_verdict"] == "ok"
    warned = staff.post("/api/official-posts", json={**post, "text": WARNS}, headers={"X-CSRF-Token": token}).json()
    assert [f["rule"] for f in warned["submitted_findings"]] == ["inflammatory-staff"]
    assert [p["id"] for p in clerk.get("/api/official-posts").json()] == [made.json()["id"], warned["id"]]
    assert staff.get("/api/official-posts").status_code == 403  # the queue is the Proper Officer's

    not_yours = staff.post(f"/api/official-posts/{made.json()['id']}/approve", json={}, headers={"X-CSRF-Token": token})
    assert not_yours.status_code == 403
    needs_note = clerk.post(f"/api/official-posts/{warned['id']}/approve", json={}, headers={"X-CSRF-Token": clerk_token})
    assert needs_note.status_code == 422 and needs_note.json()["error"]["where"] == "body.note"
    approved = clerk.post(f"/api/official-posts/{made.json()['id']}/approve", json={"note": "Fine."},
                          headers={"X-CSRF-Token": clerk_token})
    assert approved.status_code == 200 and approved.json()["record_id"] and approved.json()["decision_note"] == "Fine."
    twice = clerk.post(f"/api/official-posts/{made.json()['id']}/approve", json={}, headers={"X-CSRF-Token": clerk_token})
    assert twice.status_code == 409 and twice.json()["error"]["where"] == "path.post_id"
    returned = clerk.post(f"/api/official-posts/{warned['id']}/return", json={"reason": "Not about staff, please."},
                          headers={"X-CSRF-Token": clerk_token})
    assert returned.json()["status"] == "returned"
    assert [p["status"] for p in staff.get("/api/official-posts/mine").json()] == ["returned", "approved"]
    missing = clerk.post("/api/official-posts/999999/return", json={"reason": "x"}, headers={"X-CSRF-Token": clerk_token})
    assert missing.status_code == 404 and missing.json()["error"]["where"] == "path.post_id"


@pytest.mark.parametrize("body, where, words", [
    ({"channel": "tiktok", "text": CLEAN}, "body.channel", "not one of the council's official accounts"),
    ({"channel": "x"}, "body.text", "body.text is required"),
    ({"channel": "x", "text": "Mrs Jones at 14 High Street, Croxley Green has a criminal conviction for fraud; her "
                              "NI number is QQ123456C."}, "body.text", "personal-data"),
])
def test_a_bad_draft_names_the_field(app, client, body, where, words):
    token = signed_in(app, client, "proper-officer")
    response = client.post("/api/official-posts", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 422 and response.json()["error"]["where"] == where
    assert words in response.json()["error"]["message"]


def test_the_openapi_document_describes_them(client):
    spec = client.get(OPENAPI_URL).json()
    for path in ("/api/authorisations", "/api/authorisations/mine", "/api/authorisations/{authorisation_id}/revoke",
                 "/api/official-posts", "/api/official-posts/mine", "/api/official-posts/{post_id}/approve",
                 "/api/official-posts/{post_id}/return"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    assert {"AuthorisationIn", "AuthorisationOut", "PostIn", "PostOut", "ApproveIn", "ReturnIn", "RevokeIn"} <= set(schemas)
    assert schemas["AuthorisationIn"]["properties"]["kind"]["enum"] == [
        "speak-for-council", "purchase", "official-account", "personal-email"]
    assert "/authorisations" not in spec["paths"] and "/official-posts" not in spec["paths"]
