"""The OpenAPI document: served under /api/, every operation with its security and its errors in one shape."""

from __future__ import annotations

import pytest

from councilguard.web.routes.api_openapi import OPENAPI_URL

ERROR = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture
def spec(client) -> dict:
    answer = client.get(OPENAPI_URL)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    return answer.json()


def _operations(spec: dict):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_needs_the_session_and_every_change_the_csrf_header(spec):
    schemes = spec["components"]["securitySchemes"]
    assert (schemes["session"]["in"], schemes["session"]["name"]) == ("cookie", "councilguard_session")
    assert (schemes["csrf"]["in"], schemes["csrf"]["name"]) == ("header", "X-CSRF-Token")
    for path, method, operation in _operations(spec):
        expected = [{"session": []}] if method == "get" else [{"session": [], "csrf": []}]
        assert operation["security"] == expected, (method, path)


def test_every_error_answer_is_documented_in_the_one_shape(spec):
    for path, method, operation in _operations(spec):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for status, answer in responses.items():
            if status.startswith(("4", "5")):
                assert answer["content"]["application/json"]["schema"] == ERROR, (method, path, status)
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas  # FastAPI's own 422 shape is never given
    assert schemas["ErrorOut"]["required"] == ["error"]
    assert set(schemas["ErrorDetail"]["properties"]) == {"code", "message", "where"}


@pytest.mark.parametrize("path, method", [
    ("/api/me", "get"), ("/api/remarks", "post"), ("/api/consents", "post"), ("/api/policy/acknowledge", "post"),
    ("/api/desk", "get"), ("/api/desk/remarks/{report_id}/handled", "post"),
    ("/api/desk/consents/{consent_id}/grant", "post"), ("/api/desk/consents/{consent_id}/refuse", "post"),
    ("/api/desk/policy-review", "put"), ("/api/desk/acknowledgements", "get"), ("/api/desk/held-mail", "get"),
    ("/api/desk/requests", "get"), ("/api/desk/audit", "get"),
])
def test_the_desk_and_councillor_operations_are_described(spec, path, method):
    operation = spec["paths"][path][method]
    assert operation["summary"] and operation["description"] and operation["tags"]


def test_request_fields_carry_their_limits_descriptions_and_examples(spec):
    remark = spec["components"]["schemas"]["RemarkIn"]
    assert remark["additionalProperties"] is False and remark["required"] == ["remark", "link", "platform"]
    text = remark["properties"]["remark"]
    assert (text["minLength"], text["maxLength"], text["pattern"]) == (1, 10_000, r"\S")
    assert text["description"] and text["examples"]
    grant = spec["components"]["schemas"]["GrantIn"]["properties"]["expires_on"]
    assert "YYYY-MM-DD" in grant["description"] and grant["examples"] == ["2027-05-31"]
    row = next(p for p in spec["paths"]["/api/desk/remarks/{report_id}/handled"]["post"]["parameters"])
    assert (row["in"], row["schema"]["minimum"], row["schema"]["maximum"]) == ("path", 1, 2**63 - 1)


def test_the_document_is_public_but_there_is_no_swagger_page(client):
    assert client.get(OPENAPI_URL).status_code == 200  # no secrets in it; tools can read it before signing in
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_every_operation_has_a_tag_and_every_tag_a_description(spec):
    described = {tag["name"]: tag.get("description", "") for tag in spec["tags"]}
    for path, method, operation in _operations(spec):
        assert operation.get("tags"), (method, path)
        for tag in operation["tags"]:
            assert described.get(tag), f"tag {tag!r} of {method} {path} has no description"


def test_the_check_body_is_the_contracts_message_without_what_the_server_sets(spec):
    body = spec["paths"]["/api/check"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert body["required"] is True and schema["required"] == ["text"]
    assert {"text", "kind", "channel", "account", "from", "to", "in_reply_to", "attachments"} <= set(schema["properties"])
    assert "author" not in schema["properties"] and "authorisations" not in schema["properties"]
    assert set(schema["properties"]["attachments"]["items"]["properties"]) == {"filename", "content_type", "description"}
    assert "$ref" not in str(schema)
