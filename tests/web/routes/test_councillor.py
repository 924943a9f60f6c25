"""The councillor's forms: report a remark, ask for consent, acknowledge the policy; each keeps to its owner."""

from __future__ import annotations

from html import unescape

import pytest

from councilguard.web.remarks import MAX_SCREENSHOT
from councilguard.web.acknowledgements import PolicyVersion
from tests.web.conftest import CLERK, sign_in, signed_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
REMARK = {"remark": "Typical useless councillor, never answers anything.", "link": "https://facebook.com/p/123",
          "platform": "Facebook", "note": "Posted on the village group."}


def _report(client, token, screenshot: bytes | None = None, **fields):
    files = {"screenshot": ("shot.png", screenshot, "image/png")} if screenshot is not None else None
    return client.post("/remarks", data={"csrf_token": token, **REMARK, **fields}, files=files,
                       follow_redirects=False)


@pytest.mark.parametrize("fields, screenshot, complaint", [
    ({"remark": "  "}, None, "The remark is needed"),
    ({"link": "facebook post"}, None, "starting https://"),
    ({"platform": ""}, None, "The platform is needed"),
    ({"note": "x" * 5001}, None, "Your note is 5001 characters"),
    ({}, b"GIF8 not really", "not a PNG, JPEG, GIF or WebP"),
    ({}, PNG + b"\x00" * MAX_SCREENSHOT, "the most is 2048 KB"),
])
def test_a_bad_report_is_refused_with_the_form_kept(app, client, fields, screenshot, complaint):
    token = signed_in(app, client, "councillor")
    response = _report(client, token, screenshot, **fields)
    assert response.status_code == 422
    assert complaint in response.text
    assert "Posted on the village group." in response.text or "note" in fields
    assert app.state.remarks.open() == []


def test_a_report_with_a_screenshot_is_filed_and_only_its_owner_and_the_clerk_see_it(app, client):
    token = signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")
    response = _report(client, token, PNG)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "is with the Clerk" in page and "Typical useless councillor" in page
    (report,) = app.state.remarks.open()
    assert (report.reporter_name, report.has_screenshot, report.status) == ("Ann Archer", True, "open")
    shot = client.get(f"/remarks/{report.id}/screenshot")
    assert (shot.status_code, shot.headers["content-type"], shot.content) == (200, "image/png", PNG)

    other = client.__class__(app)
    signed_in(app, other, "councillor", email="bob@example.org", name="Bob Baker")
    assert "Typical useless councillor" not in other.get("/remarks").text
    assert other.get(f"/remarks/{report.id}/screenshot").status_code == 404

    clerk = client.__class__(app)
    sign_in(clerk, CLERK[0])
    assert clerk.get(f"/remarks/{report.id}/screenshot").content == PNG


@pytest.mark.parametrize("fields, complaint", [
    ({"address": "ann at home"}, "is not an e-mail address"),
    ({"reason": ""}, "Why you need it is needed"),
    ({"period": ""}, "For how long is needed"),
])
def test_a_bad_consent_request_is_refused(app, client, fields, complaint):
    token = signed_in(app, client, "councillor")
    data = {"csrf_token": token, "address": "ann@home.example", "reason": "Council account not set up yet",
            "period": "one month", **fields}
    response = client.post("/consents", data=data, follow_redirects=False)
    assert response.status_code == 422 and complaint in response.text
    assert app.state.consents.pending() == []


def test_a_consent_request_is_listed_as_waiting_for_its_owner_only(app, client):
    token = signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")
    data = {"csrf_token": token, "address": "Ann@Home.example", "reason": "Travelling", "period": "one month"}
    response = client.post("/consents", data=data, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "ann@home.example" in page and "Waiting for the Clerk" in page
    other = client.__class__(app)
    signed_in(app, other, "councillor", email="bob@example.org", name="Bob Baker")
    assert "ann@home.example" not in other.get("/consents").text


def test_a_form_without_the_csrf_token_is_refused(app, client):
    signed_in(app, client, "councillor")
    response = client.post("/consents", data={"address": "a@b.example", "reason": "r", "period": "p"})
    assert response.status_code == 403
    assert app.state.consents.pending() == []


def test_acknowledging_records_the_pack_version_once(app, client):
    token = signed_in(app, client, "staff")
    pack = app.state.checker.pack
    page = client.get("/policy").text
    assert pack.relay.notice in unescape(page) and "I have read and acknowledge" in page
    for _ in range(2):
        assert client.post("/policy/acknowledge", data={"csrf_token": token},
                           follow_redirects=False).status_code == 303
    page = client.get("/policy").text
    assert "You acknowledged this version on" in page and "I have read and acknowledge" not in page
    version = PolicyVersion.of(pack)
    assert (version.pack_id, version.version) == (pack.id, pack.policy.pack.version)
    assert len(app.state.acknowledgements.of(version)) == 1
