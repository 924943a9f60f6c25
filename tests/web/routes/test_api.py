"""The JSON API: /api/check in the check contract's shape, /api/rules, one error shape, OpenAPI."""

from __future__ import annotations

import pytest

from councilguard.engine import MAX_TEXT_CHARS
from tests.web.conftest import signed_in

ELLIS = {"name": "Margaret Ellis", "role": "councillor", "email": "cllr.ellis@croxleygreen-pc.gov.uk"}


@pytest.fixture
def token(app, client) -> str:
    return signed_in(app, client, "councillor", email=ELLIS["email"], name="M. Ellis")


@pytest.mark.parametrize("message", [
    {"text": "Ring Dave Smith on 07700 900123 or email dave.smith@gmail.com", "kind": "post", "channel": "facebook"},
    {"id": "m-2", "text": "Cllr Hargreaves is a useless idiot who should resign", "kind": "comment"},
    {"text": "Please find the agenda attached.", "kind": "email", "to": ["resident@example.org"],
     "from": ELLIS["email"], "subject": "Agenda"},
    {"text": "Come to the village fete on Saturday, everyone welcome!"},
])
def test_check_returns_the_report_as_the_checker_makes_it_with_the_signed_in_author(app, client, token, message):
    response = client.post("/api/check", json=message, headers={"X-CSRF-Token": token})
    assert response.status_code == 200
    expected = app.state.checker.check({**message, "author": ELLIS}).to_dict()  # roster match by e-mail
    assert response.json() == expected


def test_the_author_cannot_be_someone_else(app, client, token):
    forged = {"text": "Please find the minutes attached.", "kind": "email", "from": ELLIS["email"],
              "to": ["resident@example.org"], "author": {"name": "Helen Marsh", "role": "proper-officer"}}
    response = client.post("/api/check", json=forged, headers={"X-CSRF-Token": token})
    assert response.json() == app.state.checker.check({**forged, "author": ELLIS}).to_dict()


@pytest.mark.parametrize("body, code, message_part, where", [
    ({}, "invalid-message", "text is required", "body"),
    ({"id": "m-7", "text": 5}, "invalid-message", "text: input should be a valid string", "body (message id m-7)"),
    ({"text": "hi", "kind": "tweet"}, "invalid-message", "kind:", "body"),
    ({"text": "x" * (MAX_TEXT_CHARS + 1)}, "invalid-message", "the limit is 2,000,000", "body"),
    ('{"text": "unfinished', "invalid-request", "not valid JSON", "body, character 9"),
    ("[1, 2]", "invalid-request", "valid dictionary", "body"),
])
def test_bad_input_gets_422_in_the_one_error_shape(client, token, body, code, message_part, where):
    kwargs = {"json": body} if isinstance(body, dict) else {"content": body}
    response = client.post("/api/check", headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
                           **kwargs)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["where"]) == (code, where)
    assert message_part in error["message"]


@pytest.mark.parametrize("method, path, status, code", [
    ("GET", "/api/nothing-here", 404, "not-found"),
    ("GET", "/api/check", 405, "method-not-allowed"),
    ("DELETE", "/api/rules", 405, "method-not-allowed"),
])
def test_other_api_errors_share_the_shape(client, token, method, path, status, code):
    response = client.request(method, path, headers={"X-CSRF-Token": token})
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "where"}
    assert response.json()["error"]["code"] == code


def test_rules_lists_the_pack(app, client, token):
    rules = client.get("/api/rules").json()
    pack = app.state.checker.pack
    assert [r["id"] for r in rules] == [r.id for r in pack.rules]
    personal = next(r for r in rules if r["id"] == "personal-data")
    assert (personal["severity"], personal["clause"]) == ("block", pack.rule("personal-data").clause)
    assert personal["clause_text"] and personal["docs"] == pack.docs_link("personal-data")


def test_openapi_describes_the_api_and_not_the_pages(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/check", "/api/rules", "/api/accounts"} <= set(spec["paths"])
    assert all(path.startswith("/api/") for path in spec["paths"])  # no page is described
    assert set(spec["paths"]["/api/accounts"]) == {"get", "post"}
    assert client.get("/openapi.json").status_code == 404  # only under /api/
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN: we stay offline
