"""The incident register at the desk and in the API: only the Proper Officer sees it, nothing comes in from a
draft, the referral pack is a PDF holding the evidence, and only a configured outcome is recorded."""

from __future__ import annotations

import base64
import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from fastapi.routing import APIRoute
from pypdf import PdfReader

from councilguard.records.archive import ArchiveItem
from councilguard.web.routes import api_governance, api_incidents, incidents
from tests.web.conftest import CLERK, csrf_of, sign_in, signed_in
from tests.workflow.registers import screenshot

TODAY = date.today()
POST = "Tom Hargreaves is a liar and a crook, and everyone at the parish council knows it."
SHOT = screenshot(POST)
PUBLISHED = {"summary": "Post calling the Vice-Chair a liar", "text": POST, "platform": "Facebook",
             "link": "https://www.facebook.com/groups/croxley/posts/1",
             "published_on": (TODAY - timedelta(days=2)).isoformat()}


@pytest.fixture
def people(app, client):
    """(councillor client and token, clerk client and token): Ann Archer reports, Helen Marsh keeps the register."""
    token = signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")
    clerk = client.__class__(app)
    assert sign_in(clerk, CLERK[0]).status_code == 303
    return client, token, clerk, csrf_of(clerk, "/desk")


def _open_by_api(clerk, token, **changes) -> dict:
    body = {**PUBLISHED, "screenshot_base64": base64.b64encode(SHOT).decode(), **changes}
    made = clerk.post("/api/incidents", json=body, headers={"X-CSRF-Token": token})
    assert made.status_code == 201, made.text
    return made.json()


def _paths(router) -> list[tuple[str, str]]:
    return [(method, r.path) for r in router.routes if isinstance(r, APIRoute) for method in r.methods]


def test_only_the_proper_officer_sees_or_touches_an_incident(app, people):
    client, token, clerk, clerk_token = people
    made = _open_by_api(clerk, clerk_token)
    staff = client.__class__(app)
    staff_token = signed_in(app, staff, "staff", email="sam@example.org", name="Sam Staff")
    routes = _paths(incidents.router) + _paths(api_incidents.router)
    assert len(routes) == 27
    for who, csrf in ((client, token), (staff, staff_token)):
        for method, path in routes:
            path = path.replace("{incident_id}", str(made["id"])).replace("{evidence_id}", "1").replace(
                "{report_id}", "1").replace("{record_id}", "1")
            answer = who.request(method, path, headers={"X-CSRF-Token": csrf}, json={} if method != "GET" else None,
                                 follow_redirects=False)
            assert answer.status_code == 403, (method, path, answer.status_code)
            assert POST not in answer.text and "Vice-Chair" not in answer.text
    assert "/desk/incidents" not in client.get("/check").text
    assert app.state.incidents.get(made["id"]).events[-1].kind == "opened"  # nothing they sent changed it


def test_no_route_takes_a_draft(app, people):
    _client, _token, clerk, clerk_token = people
    paths = [p for _, p in _paths(incidents.router) + _paths(api_incidents.router)]
    assert not [p for p in paths if "draft" in p]
    ways_in = sorted(p for m, p in _paths(incidents.router) + _paths(api_incidents.router)
                     if m == "POST" and "{incident_id}" not in p)
    assert ways_in == ["/api/incidents", "/api/incidents/from-held-email", "/api/incidents/from-remark",
                       "/desk/incidents", "/desk/incidents/from-held/{record_id}",
                       "/desk/incidents/from-remark/{report_id}"]
    headers = {"X-CSRF-Token": clerk_token}
    sneaky = clerk.post("/api/incidents", headers=headers, json={
        **PUBLISHED, "screenshot_base64": base64.b64encode(SHOT).decode(), "source": "draft", "draft_id": 1})
    assert sneaky.status_code == 422 and sneaky.json()["error"]["where"] in ("body.source", "body.draft_id")
    assert clerk.post("/api/incidents/from-draft", headers=headers, json={"draft_id": 1}).status_code in (404, 405)
    no_screenshot = clerk.post("/api/incidents", headers=headers, json=PUBLISHED)
    assert no_screenshot.status_code == 422 and no_screenshot.json()["error"]["where"] == "body.screenshot_base64"
    assert app.state.incidents.list() == []


def test_the_clerk_opens_one_from_published_material_and_sees_it_everywhere(app, people):
    _client, _token, clerk, clerk_token = people
    answer = clerk.post("/desk/incidents", data={"csrf_token": clerk_token, **PUBLISHED, "councillor": "Priya Sharma",
                                                 "rules": ["abuse-councillor"]},
                        files={"screenshot": ("post.png", SHOT, "image/png")}, follow_redirects=False)
    assert answer.status_code == 303 and re.fullmatch(r"/desk/incidents/\d+\?done=opened", answer.headers["location"])
    page = clerk.get(answer.headers["location"]).text
    for expected in ("The incident was opened.", "Post calling the Vice-Chair a liar", "Priya Sharma",
                     "abuse-councillor", "View the screenshot", "What the checker finds in these words",
                     "untrue-statement", "Download the referral pack"):
        assert expected in page, expected
    (made,) = app.state.incidents.list()
    shot = made_shot = app.state.incidents.get(made.id).evidence[0]
    image = clerk.get(f"/desk/incidents/{made.id}/evidence/{shot.id}")
    assert (image.status_code, image.content, image.headers["content-type"]) == (200, SHOT, "image/png")
    assert made_shot.kind == "screenshot"
    assert "INC-0001" in clerk.get("/desk/incidents").text
    assert "Incidents not yet closed: 1" in clerk.get("/desk").text
    assert [a.action for a in app.state.desk_audit.latest()] == ["incident-opened"]


@pytest.mark.parametrize("change, field, words", [
    ({"link": "the facebook group"}, "link", "starting https://"),
    ({"summary": ""}, "summary", "A short summary of the incident is needed"),
    ({"published_on": "yesterday"}, "published_on", "is not a date"),
    ({"councillor": "Dev Patel"}, "councillor", "is not a councillor on the council&#39;s roster"),
])
def test_a_bad_published_form_is_shown_again_pointing_at_the_field(app, people, change, field, words):
    _client, _token, clerk, clerk_token = people
    answer = clerk.post("/desk/incidents", data={"csrf_token": clerk_token, **PUBLISHED, **change},
                        files={"screenshot": ("post.png", SHOT, "image/png")})
    assert answer.status_code == 422 and words in answer.text and f'href="#{field}"' in answer.text
    assert POST in answer.text  # what was typed is kept
    assert app.state.incidents.list() == []


def test_a_screenshot_is_needed_and_must_be_an_image(app, people):
    _client, _token, clerk, clerk_token = people
    for files, words in ((None, "a screenshot is needed"),
                         ({"screenshot": ("post.pdf", b"%PDF-1.4 not an image", "image/png")}, "not a PNG, JPEG")):
        answer = clerk.post("/desk/incidents", data={"csrf_token": clerk_token, **PUBLISHED}, files=files)
        assert answer.status_code == 422 and words in answer.text and 'href="#screenshot"' in answer.text


def test_the_desk_opens_incidents_from_a_report_and_from_held_mail(app, people):
    client, token, clerk, clerk_token = people
    client.post("/remarks", data={"csrf_token": token, "remark": "You lot are a disgrace.",
                                  "link": "https://x.com/someone/status/1", "platform": "X (Twitter)", "note": ""})
    record = app.state.archive.add(ArchiveItem(
        raw=b"Subject: Resident\r\n\r\nMrs Patel has cancer.\r\n", sender="cllr.sharma@croxleygreen-pc.gov.uk",
        received_at=datetime(2026, 11, 24, 8, 15, tzinfo=timezone.utc), subject="Resident",
        body_text="Mrs Patel has cancer.", verdict="block", disposition="held",
        findings=[{"rule": "personal-data", "severity": "block", "clause": "6"}]))
    desk = clerk.get("/desk").text
    (report,) = app.state.remarks.open()
    assert f'action="/desk/incidents/from-remark/{report.id}"' in desk
    assert f'action="/desk/incidents/from-held/{record.id}"' in desk
    from_report = clerk.post(f"/desk/incidents/from-remark/{report.id}", follow_redirects=False, data={
        "csrf_token": clerk_token, "summary": "Remark on X reported by Ann Archer"})
    from_held = clerk.post(f"/desk/incidents/from-held/{record.id}", follow_redirects=False,
                           data={"csrf_token": clerk_token, "summary": ""})
    assert from_report.status_code == from_held.status_code == 303
    held_page = clerk.get(from_held.headers["location"]).text
    assert f"E-mail held by the relay (record {record.id})" in held_page and "Priya Sharma" in held_page
    assert "Held e-mail" in held_page and "personal-data" in held_page
    again = clerk.post(f"/desk/incidents/from-remark/{report.id}", data={"csrf_token": clerk_token})
    assert again.status_code == 409 and "was already opened from this reported remark" in again.text
    assert clerk.post("/desk/incidents/from-remark/999", data={"csrf_token": clerk_token}).status_code == 404
    assert [i.source_kind for i in app.state.incidents.list()] == ["held-email", "remark-report"]
    forged = clerk.post(f"/desk/incidents/from-held/{record.id}", data={"summary": "no token"})
    assert forged.status_code == 403


def test_the_page_takes_an_incident_through_its_life(app, people):
    _client, _token, clerk, clerk_token = people
    n = _open_by_api(clerk, clerk_token)["id"]

    def act(step: str, **data):
        return clerk.post(f"/desk/incidents/{n}/{step}", data={"csrf_token": clerk_token, **data},
                          follow_redirects=False)

    refused = act("refer", referred_on=TODAY.isoformat())
    assert refused.status_code == 422 and "name the councillor concerned" in refused.text
    assert 'href="#details-councillor"' in refused.text
    assert act("notes", note="Residents rang.").status_code == 303
    assert act("evidence", description="A resident's letter", evidence_text="I was upset.").status_code == 303
    assert act("details", councillor="Priya Sharma", rules="abuse-councillor").status_code == 303
    assert act("refer", referred_on=TODAY.isoformat(), referral_ref="MO/26/31").headers["location"] == (
        f"/desk/incidents/{n}?done=referred#refer")
    page = clerk.get(f"/desk/incidents/{n}").text
    assert "Record the outcome" in page and "Three Rivers District Council" in page
    invented = act("outcome", outcome="stocks-on-the-green", decided_on=TODAY.isoformat(), decision_ref="DN 1")
    assert invented.status_code == 422
    assert "is not an outcome this council&#39;s policy pack lists, so it cannot be recorded" in invented.text
    assert 'href="#outcome-outcome"' in invented.text
    assert act("outcome", outcome="breach-apology", decided_on=TODAY.isoformat(),
               decision_ref="Standards Sub-Committee, item 4").status_code == 303
    assert act("close", reason="The apology was published.").status_code == 303
    page = clerk.get(f"/desk/incidents/{n}").text
    assert "Closed" in page and "Breach found; the councillor is asked to apologise" in page
    assert "Add a note" not in page
    late = act("notes", note="One more thing")
    assert late.status_code == 409 and "the incident is closed" in late.text
    assert [a.action for a in reversed(app.state.desk_audit.latest())] == [
        "incident-opened", "incident-note", "incident-evidence-added", "incident-details", "incident-referred",
        "incident-outcome-recorded", "incident-closed"]


def test_the_referral_pack_is_a_pdf_with_the_evidence(app, people):
    _client, _token, clerk, clerk_token = people
    n = _open_by_api(clerk, clerk_token, councillor="Priya Sharma")["id"]
    clerk.post(f"/api/incidents/{n}/evidence", headers={"X-CSRF-Token": clerk_token},
               json={"description": "A resident's e-mail", "text": "I was shocked to read it."})
    for path in (f"/desk/incidents/{n}/referral.pdf", f"/api/incidents/{n}/referral.pdf"):
        answer = clerk.get(path)
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
        assert f'filename="INC-{n:04d}-referral.pdf"' in answer.headers["content-disposition"]
        words = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(answer.content)).pages)
        for expected in (POST, "I was shocked to read it.", PUBLISHED["link"], "Councillor concerned: Priya Sharma",
                         "The parish council does not decide sanctions", "Appendix 1: screenshot"):
            assert expected in words, expected
    assert [a.action for a in app.state.desk_audit.latest(2)] == ["incident-referral-pack"] * 2
    assert clerk.get("/api/incidents/999/referral.pdf").json()["error"] == {
        "code": "not-found", "message": "there is no incident 999", "where": "path.incident_id"}


def test_the_api_records_only_a_configured_outcome_after_a_referral(app, people):
    _client, _token, clerk, clerk_token = people
    headers = {"X-CSRF-Token": clerk_token}
    n = _open_by_api(clerk, clerk_token, councillor="Priya Sharma", rules=["abuse-councillor"])["id"]
    outcome = {"outcome": "no-breach", "decided_on": TODAY.isoformat(), "decision_ref": "DN 2027/4"}
    early = clerk.post(f"/api/incidents/{n}/outcome", headers=headers, json=outcome)
    assert early.status_code == 409 and early.json()["error"]["code"] == "wrong-state"
    assert "record the referral to the Monitoring Officer first" in early.json()["error"]["message"]
    referred = clerk.post(f"/api/incidents/{n}/refer", headers=headers, json={"referred_on": TODAY.isoformat()})
    assert referred.status_code == 200 and referred.json()["status"] == "referred"
    options = clerk.get("/api/sanctions").json()
    assert options["principal_authority"] == "Three Rivers District Council"
    assert "does not decide sanctions" in options["statement"] and len(options["options"]) == 8
    invented = clerk.post(f"/api/incidents/{n}/outcome", headers=headers, json={**outcome, "outcome": "fine-50"})
    assert invented.status_code == 422 and invented.json()["error"]["where"] == "body.outcome"
    assert invented.json()["error"]["message"].startswith(
        "'fine-50' is not an outcome this council's policy pack lists, so it cannot be recorded; the outcomes are: ")
    recorded = clerk.post(f"/api/incidents/{n}/outcome", headers=headers, json=outcome).json()
    assert recorded["status"] == "outcome-recorded" and recorded["outcome"]["id"] == "no-breach"
    assert "Independent Person" in recorded["outcome"]["decided_by"]
    closed = clerk.post(f"/api/incidents/{n}/close", headers=headers, json={"reason": "No breach found."}).json()
    assert [e["kind"] for e in closed["events"]] == ["opened", "referred", "outcome-recorded", "closed"]
    assert [i["status"] for i in clerk.get("/api/incidents?status=closed").json()] == ["closed"]
    assert clerk.get("/api/incidents?status=open").json() == []


@pytest.mark.parametrize("path, body, where, words", [
    ("/api/incidents", {"screenshot_base64": "not base64!"}, "body.screenshot_base64", "not valid base64"),
    ("/api/incidents", {"screenshot_base64": base64.b64encode(b"GIF00a").decode()}, "body.screenshot_base64",
     "not a PNG, JPEG, GIF or WebP"),
    ("/api/incidents", {"rules": ["rudeness"]}, "body.rules", "the policy has no rule 'rudeness'"),
    ("/api/incidents", {"published_on": "2026-02-30"}, "body.published_on", "is not a date"),
    ("/api/incidents/from-remark", {"report_id": 42, "summary": "x"}, "body.report_id", "no reported remark 42"),
    ("/api/incidents/from-held-email", {"record_id": 42, "summary": "x"}, "body.record_id", "no record 42"),
])
def test_api_errors_name_the_part_of_the_request(app, people, path, body, where, words):
    _client, _token, clerk, clerk_token = people
    if path == "/api/incidents":
        body = {**PUBLISHED, "screenshot_base64": base64.b64encode(SHOT).decode(), **body}
    answer = clerk.post(path, json=body, headers={"X-CSRF-Token": clerk_token})
    assert answer.status_code in (404, 422) and answer.json()["error"]["where"] == where
    assert words in answer.json()["error"]["message"]


def test_every_json_change_needs_the_session_header(app, people):
    """POST and PUT to the registers' API without the X-CSRF-Token header are refused before anything runs."""
    _client, _token, clerk, _clerk_token = people
    changes = [(m, r.path.replace("{incident_id}", "1")) for module in (api_incidents, api_governance)
               for r in module.router.routes if isinstance(r, APIRoute) for m in r.methods if m in ("POST", "PUT")]
    assert len(changes) == 11
    for method, path in changes:
        refused = clerk.request(method, path, json={})
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "csrf-token-missing"), path
    assert app.state.desk_audit.latest() == []
