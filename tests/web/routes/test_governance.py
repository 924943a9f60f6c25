"""The policy's versions and the governance evidence pack at the desk and in the API (Proper Officer only)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest
from fastapi.routing import APIRoute
from pypdf import PdfReader

from councilguard.web.desk_schema import PolicyReviewRow
from councilguard.web.routes import api_governance, governance
from councilguard.workflow.governance_evidence import last_full_year
from tests.web.conftest import CLERK, csrf_of, sign_in, signed_in

TODAY = date.today()
YEAR = last_full_year(TODAY)
ADOPTED = (TODAY - timedelta(days=20)).isoformat()


@pytest.fixture
def people(app, client):
    token = signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")
    clerk = client.__class__(app)
    assert sign_in(clerk, CLERK[0]).status_code == 303
    return client, token, clerk, csrf_of(clerk, "/desk")


def test_only_the_proper_officer_sees_the_versions_and_the_evidence(app, people):
    client, token, _clerk, _ = people
    routes = [(m, r.path.replace("{year}", str(YEAR))) for router in (governance.router, api_governance.router)
              for r in router.routes if isinstance(r, APIRoute) for m in r.methods]
    assert len(routes) == 13
    for method, path in routes:
        answer = client.request(method, path, headers={"X-CSRF-Token": token}, json={} if method == "POST" else None,
                                follow_redirects=False)
        assert answer.status_code == 403, (method, path)


def test_recording_an_adoption_shows_on_the_versions_page_and_the_desk(app, people):
    client, token, clerk, clerk_token = people
    client.post("/policy/acknowledge", data={"csrf_token": token})  # Ann acknowledges the draft
    signed_in(app, client.__class__(app), "staff", email="sam@example.org", name="Sam Staff")
    page = clerk.get("/desk/policy-versions").text
    assert "a draft, not yet adopted" in page and "Not yet recorded by the Clerk" in page
    saved = clerk.post("/desk/policy-versions", follow_redirects=False, data={
        "csrf_token": clerk_token, "version": "", "status": "adopted", "adopted_on": ADOPTED, "minute_ref": "FC/26/112",
        "next_review": (TODAY + timedelta(days=340)).isoformat(), "note": "As drafted"})
    assert (saved.status_code, saved.headers["location"]) == (303, "/desk/policy-versions?saved=draft#history")
    page = clerk.get(saved.headers["location"]).text
    assert "Version draft was recorded." in page and "(minute FC/26/112)" in page
    done, _, missing = page.partition("Not yet acknowledged</h3>")
    assert "Ann Archer (Councillor)" in done and "Sam Staff (Staff)" in missing.split("</section>")[0]
    earlier = clerk.post("/desk/policy-versions", follow_redirects=False, data={
        "csrf_token": clerk_token, "version": "2019", "status": "adopted", "adopted_on": "2019-05-14",
        "minute_ref": "Min 19/033"})
    assert earlier.status_code == 303
    page = clerk.get("/desk/policy-versions").text
    assert page.index("draft (in use)") < page.index("2019</td>")
    desk = clerk.get("/desk").text  # the desk's policy record reads the same register
    assert "adopted " + datetime.fromisoformat(ADOPTED).strftime("%d %b %Y") + " (minute FC/26/112)" in desk
    assert [a.action for a in app.state.desk_audit.latest()] == ["policy-version-recorded"] * 2


def test_the_desk_form_and_the_versions_page_keep_one_record(app, people):
    _client, _token, clerk, clerk_token = people
    clerk.post("/desk/policy-review", data={"csrf_token": clerk_token, "status": "adopted", "adopted_on": ADOPTED,
                                            "minute_ref": "FC/26/200", "next_review": ""})
    current = app.state.policy_versions.current(app.state.checker.pack)
    assert (current.status, current.minute_ref, current.recorded_by) == ("adopted", "FC/26/200", CLERK[0])
    assert "FC/26/200" in clerk.get("/desk/policy-versions").text


def test_a_record_saved_before_versions_is_still_shown_until_the_version_is_recorded(app, people):
    _client, _token, clerk, clerk_token = people
    with app.state.policy_versions._factory() as s:
        s.add(PolicyReviewRow(pack_id=app.state.checker.pack.id, status="adopted", adopted_on=date(2025, 6, 1),
                              minute_ref="Old/1", next_review=None, updated_at=datetime.now(timezone.utc),
                              updated_by="old@example.org"))
        s.commit()
    assert "(minute Old/1)" in clerk.get("/desk").text
    clerk.post("/desk/policy-review", data={"csrf_token": clerk_token, "status": "adopted", "adopted_on": ADOPTED,
                                            "minute_ref": "FC/26/201"})
    assert "(minute FC/26/201)" in clerk.get("/desk").text


@pytest.mark.parametrize("data, field, words", [
    ({"status": "adopted", "minute_ref": "FC/1"}, "adopted_on", "needs the date the council adopted it"),
    ({"status": "adopted", "adopted_on": ADOPTED}, "minute_ref", "needs the minute reference"),
    ({"status": "draft", "version": "<script>"}, "version", "is not a version name"),
    ({"status": "draft", "next_review": "soon"}, "next_review", "is not a date"),
])
def test_a_bad_version_record_points_at_the_field(app, people, data, field, words):
    _client, _token, clerk, clerk_token = people
    answer = clerk.post("/desk/policy-versions", data={"csrf_token": clerk_token, **data})
    assert answer.status_code == 422 and words in answer.text and f'href="#{field}"' in answer.text
    assert app.state.desk_audit.latest() == []


def test_the_governance_page_attests_and_downloads_the_pack(app, people):
    _client, _token, clerk, clerk_token = people
    page = clerk.get("/desk/governance").text
    assert "A. What councilguard shows" in page and "The publication scheme: NOT ATTESTED" in page
    bad = clerk.post("/desk/governance/attestations", data={
        "csrf_token": clerk_token, "topic": "publication-scheme", "link": "our website", "attested_on": TODAY})
    assert bad.status_code == 422 and 'href="#publication-scheme-link"' in bad.text
    done = clerk.post("/desk/governance/attestations", follow_redirects=False, data={
        "csrf_token": clerk_token, "topic": "publication-scheme", "statement": "",
        "link": "https://croxleygreen-pc.gov.uk/foi", "attested_on": TODAY.isoformat()})
    assert done.status_code == 303
    page = clerk.get(done.headers["location"]).text
    assert "The attestation was recorded." in page and "https://croxleygreen-pc.gov.uk/foi" in page
    pdf = clerk.get(f"/desk/governance/{YEAR}/evidence.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    first = " ".join((PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text() or "").split())
    assert "The publication scheme: attested" in first and f"year ended 31 March {YEAR}" in first
    bundle = clerk.get(f"/desk/governance/{YEAR}/evidence.zip")
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    assert f"governance-evidence-{YEAR - 1}-{YEAR % 100:02d}/attestations.csv" in names
    assert [a.action for a in app.state.desk_audit.latest()] == [
        "governance-pack-exported", "governance-pack-exported", "attestation-recorded"]
    assert clerk.get(f"/desk/governance?year={YEAR + 2}").status_code == 422


def test_the_api_keeps_versions_and_attestations_and_gives_the_pack(app, people):
    _client, _token, clerk, clerk_token = people
    headers = {"X-CSRF-Token": clerk_token}
    listed = clerk.get("/api/policy-versions").json()
    assert listed["current"]["version"] == "draft" and listed["current"]["recorded_at"] is None
    bad = clerk.post("/api/policy-versions", headers=headers, json={"status": "adopted", "minute_ref": "FC/1"})
    assert bad.status_code == 422 and bad.json()["error"]["where"] == "body.adopted_on"
    saved = clerk.post("/api/policy-versions", headers=headers, json={
        "status": "adopted", "adopted_on": ADOPTED, "minute_ref": "FC/26/112"}).json()
    ann = next(u for u in app.state.users.list() if u.name == "Ann Archer")
    assert saved["current"]["status"] == "adopted" and saved["not_acknowledged"] == [
        {"id": ann.id, "name": "Ann Archer", "role": "Councillor"}]
    wrong = clerk.post("/api/attestations", headers=headers, json={
        "topic": "cookies", "link": "https://x.org/a", "attested_on": TODAY.isoformat()})
    assert wrong.status_code == 422 and wrong.json()["error"]["where"] == "body.topic"
    made = clerk.post("/api/attestations", headers=headers, json={
        "topic": "website-accessibility", "link": "https://croxleygreen-pc.gov.uk/accessibility",
        "attested_on": TODAY.isoformat()})
    assert made.status_code == 201 and made.json()["statement"].startswith("The council's website meets")
    topics = {t["topic"]: t["current"] for t in clerk.get("/api/attestations").json()}
    assert topics["publication-scheme"] is None and topics["website-accessibility"]["id"] == made.json()["id"]
    summary = clerk.get(f"/api/governance/{YEAR}").json()
    assert summary["period_end"] == f"{YEAR}-03-31" and len(summary["shown"]) == 7
    assert summary["attested"][1] == "The publication scheme: NOT ATTESTED: the Clerk has not recorded this yet."
    assert clerk.get(summary["zip_url"]).headers["content-type"] == "application/zip"
    assert clerk.get(summary["pdf_url"]).content.startswith(b"%PDF-1.")
    future = clerk.get(f"/api/governance/{YEAR + 2}")
    assert future.status_code == 422 and future.json()["error"]["where"] == "path.year"
