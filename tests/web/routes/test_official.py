"""The register and the official accounts' queue as pages: the Clerk records, designates, approves; others draft."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.web.conftest import CLERK, csrf_of, sign_in, signed_in

TODAY = date.today()
SHARMA = ("cllr.sharma@croxleygreen-pc.gov.uk", "Priya Sharma")
EVENTS = ("events@croxleygreen-pc.gov.uk", "Shona McAllister")
SPEAKS = {"text": "On behalf of the council, we welcome the new play area on the Green.", "channel": "facebook"}
CLEAN = "The play area on the Green reopens on Saturday at 10am."


@pytest.fixture
def clerk(app, client):
    """(the clerk's client, its CSRF token); ``client`` is left for the other person of the test."""
    clerk = client.__class__(app)
    app.state.users.create(email=CLERK[0], name=CLERK[1], role="proper-officer", password="correct horse battery",
                           created_by="test")
    app.state.users.mark_privacy_seen(app.state.users.list()[0].id)
    assert sign_in(clerk, CLERK[0]).status_code == 303
    return clerk, csrf_of(clerk, "/authorisations")


def _id_of(app, email: str) -> int:
    return next(u.id for u in app.state.users.list() if u.email == email)


def _record(clerk, token, **values):
    data = {"csrf_token": token, "form": "authorisation", "kind": "speak-for-council", "source_kind": "resolution",
            "reference": "Minute 26/045", "decided_on": (TODAY - timedelta(days=3)).isoformat(),
            "scope": "Press statements on the Dickinson Square consultation", "expires_on": "", **values}
    return clerk.post("/authorisations", data=data, follow_redirects=False)


def test_the_clerk_records_an_authorisation_the_councillor_sees_it_and_the_check_honours_it(app, client, clerk):
    clerk, token = clerk
    mine = signed_in(app, client, "councillor", email=SHARMA[0], name=SHARMA[1])
    flagged = client.post("/api/check", json=SPEAKS, headers={"X-CSRF-Token": mine}).json()
    assert "claims-council-view" in {f["rule"] for f in flagged["findings"]}

    until = TODAY + timedelta(days=90)
    made = _record(clerk, token, holder_id=str(_id_of(app, SHARMA[0])), expires_on=until.isoformat())
    assert (made.status_code, made.headers["location"]) == (303, "/authorisations?done=recorded#authorisations")
    page = clerk.get("/authorisations?done=recorded").text
    assert "The authorisation was recorded." in page and "Council resolution: Minute 26/045" in page
    consents = client.get("/consents").text
    assert "What you hold" in consents and "Speak for the council" in consents
    assert until.strftime("%d %b %Y") in consents and "In force" in consents
    honoured = client.post("/api/check", json=SPEAKS, headers={"X-CSRF-Token": mine}).json()
    assert "claims-council-view" not in {f["rule"] for f in honoured["findings"]}

    (entry,) = app.state.authorisations.all()
    revoked = clerk.post(f"/authorisations/{entry.id}/revoke", data={"csrf_token": token, "reason": "Rescinded."},
                         follow_redirects=False)
    assert revoked.status_code == 303 and "Revoked" in client.get("/consents").text
    again = client.post("/api/check", json=SPEAKS, headers={"X-CSRF-Token": mine}).json()
    assert "claims-council-view" in {f["rule"] for f in again["findings"]}
    assert [(a.actor, a.action) for a in app.state.desk_audit.latest()] == [
        (CLERK[0], "authorisation-revoked"), (CLERK[0], "authorisation-recorded")]


@pytest.mark.parametrize("values, field, words", [
    ({"holder_id": ""}, "a-holder-id", "Choose who holds it"),
    ({"reference": " "}, "a-reference", "The minute or reference is needed"),
    ({"decided_on": "12/11/2026"}, "a-decided-on", "is not a date; write it like 2027-05-31"),
    ({"expires_on": "2020-01-01"}, "a-expires-on", "before it was given"),
    ({"kind": "purchase", "source_kind": "proper-officer-designation"}, "a-source-kind", "comes from the financial"),
    ({"form": "designation", "channel": "tiktok"}, "d-channel", "is not one of the council&#39;s official accounts"),
])
def test_a_bad_entry_is_shown_beside_its_field_and_nothing_is_recorded(app, client, clerk, values, field, words):
    clerk, token = clerk
    signed_in(app, client, "councillor", email=SHARMA[0], name=SHARMA[1])
    values = {"holder_id": str(_id_of(app, SHARMA[0])), **values}
    response = _record(clerk, token, **values)
    assert response.status_code == 422
    assert f'href="#{field}"' in response.text and words in response.text and f'id="{field}"' in response.text
    assert app.state.authorisations.all() == [] and app.state.desk_audit.latest() == []


def test_a_designated_member_of_staff_drafts_and_the_clerk_approves(app, client, clerk):
    clerk, token = clerk
    mine = signed_in(app, client, "staff", email=EVENTS[0], name=EVENTS[1])
    refused = client.post("/official-posts", data={"csrf_token": mine, "channel": "facebook", "text": CLEAN})
    assert refused.status_code == 403 and "has not designated you to post on the council&#39;s facebook" in refused.text
    assert "The Proper Officer has not designated you" in client.get("/official-posts").text

    designated = _record(clerk, token, form="designation", holder_id=str(_id_of(app, EVENTS[0])), channel="facebook",
                         reference="Clerk's designation", scope="Events notices")
    assert designated.headers["location"] == "/authorisations?done=designated#designations"
    queued = client.post("/official-posts", data={"csrf_token": mine, "channel": "facebook", "text": CLEAN},
                         follow_redirects=False)
    assert (queued.status_code, queued.headers["location"]) == (303, "/official-posts?done=queued#mine")
    assert "Waiting for the Proper Officer" in client.get("/official-posts").text
    assert "Official posts waiting for approval: 1" in clerk.get("/desk").text

    (post,) = app.state.official_posts.waiting()
    page = clerk.get("/official-posts").text
    assert f"{post.id}. For Facebook (CroxleyGreenParishCouncil), from Shona McAllister" in page
    approved = clerk.post(f"/official-posts/{post.id}/approve", data={"csrf_token": token, "note": ""},
                          follow_redirects=False)
    assert (approved.status_code, approved.headers["location"]) == (303, "/official-posts?done=approved#waiting")
    done = app.state.official_posts.get(post.id)
    assert done.status == "approved" and app.state.archive.get(done.record_id).source == "official-post:facebook"
    assert "Approved" in client.get("/official-posts").text
    assert [a.action for a in app.state.desk_audit.latest()] == [
        "official-post-approved", "official-post-drafted", "authorisation-recorded"]


def test_a_blocked_draft_shows_why_and_a_returned_one_its_reason(app, client, clerk):
    clerk, token = clerk
    blocked = clerk.post("/official-posts", data={"csrf_token": token, "channel": "x", "text": (
        "Mrs Jones at 14 High Street, Croxley Green has a criminal conviction for fraud; her NI number is "
        "QQ123456C.")})
    assert blocked.status_code == 422 and "Why the draft was not sent" in blocked.text and "personal-data" in blocked.text
    assert "<mark>" in blocked.text and app.state.official_posts.waiting() == []
    clerk.post("/official-posts", data={"csrf_token": token, "channel": "x", "text": CLEAN})
    (post,) = app.state.official_posts.waiting()
    empty = clerk.post(f"/official-posts/{post.id}/return", data={"csrf_token": token, "reason": ""})
    assert empty.status_code == 422 and f'href="#reason-{post.id}"' in empty.text
    clerk.post(f"/official-posts/{post.id}/return", data={"csrf_token": token, "reason": "Say which Saturday."})
    assert "Returned: Say which Saturday." in clerk.get("/official-posts").text
    twice = clerk.post(f"/official-posts/{post.id}/approve", data={"csrf_token": token})
    assert twice.status_code == 409 and "was already returned" in twice.text


def test_a_consent_granted_at_the_desk_is_in_the_register_and_honoured(app, client, clerk):
    clerk, token = clerk
    mine = signed_in(app, client, "councillor", email=SHARMA[0], name=SHARMA[1])
    client.post("/consents", data={"csrf_token": mine, "address": "priyasharma@gmail.com", "reason": "Laptop repair",
                                   "period": "a month"})
    (consent,) = app.state.consents.pending()
    until = TODAY + timedelta(days=30)
    clerk.post(f"/desk/consents/{consent.id}/grant", data={"csrf_token": token, "expires_on": until.isoformat(),
                                                           "source": "Clerk's decision"})
    (entry,) = app.state.authorisations.all()
    assert (entry.kind, entry.source_kind, entry.reference, entry.expires_on, entry.consent_request_id) == (
        "personal-email", "proper-officer-consent", "Clerk's decision", until, consent.id)
    assert "Use a personal e-mail account" in clerk.get("/authorisations").text
    forward = {"text": "Forwarding the draft budget.", "kind": "email", "channel": "email", "forwarded": True,
               "subject": "Fwd: Draft budget", "to": ["priyasharma@gmail.com"]}
    report = client.post("/api/check", json=forward, headers={"X-CSRF-Token": mine}).json()
    assert "personal-email-account" not in {f["rule"] for f in report["findings"]}
    assert entry.address == "priyasharma@gmail.com"  # the consent covers the account asked for, no other
    elsewhere = client.post("/api/check", json={**forward, "to": ["priya.sharma@outlook.com"]},
                            headers={"X-CSRF-Token": mine}).json()
    assert "personal-email-account" in {f["rule"] for f in elsewhere["findings"]}
    clerk.post(f"/authorisations/{entry.id}/revoke", data={"csrf_token": token, "reason": "Laptop is back."})
    assert re.search(r"Revoked on \d\d \w{3} \d{4}: Laptop is back\.", client.get("/consents").text)
    report = client.post("/api/check", json=forward, headers={"X-CSRF-Token": mine}).json()
    assert "personal-email-account" in {f["rule"] for f in report["findings"]}


@pytest.mark.parametrize("role, method, path, expected", [
    *[(role, "GET", "/authorisations", 200 if role == "proper-officer" else 403)
      for role in ("councillor", "staff", "proper-officer", "administrator")],
    *[(role, "POST", "/authorisations/1/revoke", 404 if role == "proper-officer" else 403)
      for role in ("councillor", "staff", "proper-officer", "administrator")],
    *[(role, "GET", "/official-posts", 403 if role == "administrator" else 200)
      for role in ("councillor", "staff", "proper-officer", "administrator")],
    *[(role, "POST", path, 404 if role == "proper-officer" else 403)
      for role in ("councillor", "staff", "proper-officer", "administrator")
      for path in ("/official-posts/1/approve", "/official-posts/1/return")],
])
def test_who_may_use_which_page(app, client, role, method, path, expected):
    token = signed_in(app, client, role)
    data = {"csrf_token": token, "reason": "x"} if method == "POST" else None
    response = client.request(method, path, data=data, follow_redirects=False)
    assert response.status_code == expected, response.text


def test_a_form_without_the_csrf_token_changes_nothing(app, client, clerk):
    clerk, token = clerk
    response = _record(clerk, "", holder_id="1")
    assert response.status_code == 403 and app.state.authorisations.all() == []
