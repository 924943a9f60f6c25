"""The councillor's JSON API: report a remark, ask for consent, acknowledge the policy; each keeps to its owner."""

from __future__ import annotations

import base64

import pytest

from councilguard.web.acknowledgements import PolicyVersion
from councilguard.web.remarks import MAX_SCREENSHOT
from tests.web.conftest import CLERK, sign_in, signed_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
REMARK = {"remark": "Typical useless councillor, never answers anything.", "link": "https://facebook.com/p/123",
          "platform": "Facebook", "note": "Posted on the village group."}
CONSENT = {"address": "Ann@Home.example", "reason": "My council mailbox is not set up", "period": "two months"}


@pytest.fixture
def token(app, client) -> str:
    return signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")


def test_me_gives_the_account_and_the_token_that_changes_need(app, client, token):
    me = client.get("/api/me").json()
    assert (me["email"], me["name"], me["role"], me["csrf_token"]) == ("ann@example.org", "Ann Archer",
                                                                       "councillor", token)
    assert client.post("/api/remarks", json=REMARK).json()["error"] == {
        "code": "csrf-token-missing", "where": "header X-CSRF-Token",
        "message": "this request did not carry the security token of your session; reload the page and try again"}


def test_a_report_with_a_screenshot_is_filed_listed_and_its_screenshot_served(app, client, token):
    body = {**REMARK, "screenshot_base64": base64.b64encode(PNG).decode()}
    made = client.post("/api/remarks", json=body, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    report = made.json()
    assert {k: report[k] for k in ("reporter_name", "remark", "platform", "has_screenshot", "status")} == {
        "reporter_name": "Ann Archer", "remark": REMARK["remark"], "platform": "Facebook", "has_screenshot": True,
        "status": "open"}
    assert client.get("/api/remarks").json() == [report]
    shot = client.get(report["screenshot_url"])
    assert (shot.status_code, shot.headers["content-type"], shot.content) == (200, "image/png", PNG)
    assert app.state.remarks.open()[0].id == report["id"]  # the same row the desk page shows


@pytest.mark.parametrize("fields, where, complaint", [
    ({"remark": "  "}, "body.remark", "The remark is needed"),
    ({"link": "facebook post"}, "body.link", "starting https://"),
    ({"platform": ""}, "body.platform", "The platform is needed"),
    ({"note": "x" * 5001}, "body.note", "Your note is 5001 characters; the most is 5000"),
    ({"screenshot_base64": base64.b64encode(b"GIF8 not really").decode()}, "body.screenshot_base64",
     "not a PNG, JPEG, GIF or WebP"),
    ({"screenshot_base64": "not base64!"}, "body.screenshot_base64", "not valid base64"),
    ({"screenshot_base64": base64.b64encode(PNG + b"\x00" * MAX_SCREENSHOT).decode()}, "body.screenshot_base64",
     "more than 2048 KB"),
    ({"remark": None}, "body.remark", "Input should be a valid string"),
    ({"screenshot": "x"}, "body.screenshot", "Extra inputs are not permitted"),
])
def test_a_bad_report_is_refused_saying_which_field(app, client, token, fields, where, complaint):
    response = client.post("/api/remarks", json={**REMARK, **fields}, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["where"] == where and complaint in error["message"]
    assert app.state.remarks.open() == []


def test_a_missing_field_is_named(client, token):
    body = {k: v for k, v in REMARK.items() if k != "link"}
    error = client.post("/api/remarks", json=body, headers={"X-CSRF-Token": token}).json()["error"]
    assert error == {"code": "invalid-request", "message": "body.link is required", "where": "body.link"}


def test_another_councillors_screenshot_is_not_found(app, client, token):
    made = client.post("/api/remarks", json={**REMARK, "screenshot_base64": base64.b64encode(PNG).decode()},
                       headers={"X-CSRF-Token": token}).json()
    other = client.__class__(app)
    signed_in(app, other, "councillor", email="bob@example.org", name="Bob Brook")
    assert other.get("/api/remarks").json() == []
    response = other.get(made["screenshot_url"])
    assert response.status_code == 404
    assert response.json()["error"]["where"] == "path.report_id"
    clerk = client.__class__(app)
    assert sign_in(clerk, CLERK[0]).status_code == 303
    assert clerk.get(made["screenshot_url"]).content == PNG


def test_consent_is_asked_for_and_listed_as_mine_only(app, client, token):
    made = client.post("/api/consents", json=CONSENT, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    consent = made.json()
    assert (consent["address"], consent["status"], consent["state"], consent["expires_on"]) == (
        "ann@home.example", "pending", "pending", None)
    assert client.get("/api/consents").json() == [consent]
    assert [c.id for c in app.state.consents.pending()] == [consent["id"]]
    other = client.__class__(app)
    signed_in(app, other, "councillor", email="bob@example.org", name="Bob Brook")
    assert other.get("/api/consents").json() == []


@pytest.mark.parametrize("fields, where, complaint", [
    ({"address": "not an address"}, "body.address", "is not an e-mail address"),
    ({"reason": ""}, "body.reason", "Why you need it is needed"),
    ({"period": "x" * 201}, "body.period", "For how long is 201 characters; the most is 200"),
])
def test_a_bad_consent_request_is_refused_saying_which_field(app, client, token, fields, where, complaint):
    response = client.post("/api/consents", json={**CONSENT, **fields}, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    assert (response.json()["error"]["where"], complaint in response.json()["error"]["message"]) == (where, True)
    assert app.state.consents.pending() == []


def test_the_policy_is_acknowledged_once_and_the_first_time_kept(app, client, token):
    before = client.get("/api/policy").json()
    version = PolicyVersion.of(app.state.checker.pack)
    assert before["policy"] == {"pack_id": version.pack_id, "version": version.version, "name": version.name}
    assert before["acknowledged_at"] is None and before["notice"] == app.state.checker.pack.relay.notice
    first = client.post("/api/policy/acknowledge", headers={"X-CSRF-Token": token}).json()["acknowledged_at"]
    again = client.post("/api/policy/acknowledge", headers={"X-CSRF-Token": token}).json()["acknowledged_at"]
    assert first is not None and again == first == client.get("/api/policy").json()["acknowledged_at"]


@pytest.mark.parametrize("role, method, path, expected", [
    *[(role, "GET", path, 200 if role == "councillor" else 403) for role in ("councillor", "staff", "administrator")
      for path in ("/api/remarks", "/api/consents")],
    *[(role, "GET", "/api/policy", 200 if role != "administrator" else 403)
      for role in ("councillor", "staff", "administrator")],
    ("proper-officer", "GET", "/api/remarks/99/screenshot", 404),
    ("staff", "GET", "/api/remarks/99/screenshot", 403),
])
def test_who_may_use_which(app, client, role, method, path, expected):
    signed_in(app, client, role)
    assert client.request(method, path).status_code == expected


def test_not_signed_in_is_401_in_the_error_shape(client):
    error = client.get("/api/remarks").json()["error"]
    assert error == {"code": "not-signed-in", "message": "please sign in first", "where": "session"}
