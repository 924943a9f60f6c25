"""Every route declares who may use it, and the roles are enforced on pages and API alike."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from councilguard.web.app import ROUTERS

from councilguard.web.roles import ROLES, public
from tests.web.conftest import PASSWORD, signed_in

PUBLIC_PATHS = {"/", "/setup", "/sign-in", "/sign-out"}


def _guards(route: APIRoute) -> list:
    return [d.call for d in route.dependant.dependencies if d.call is public or hasattr(d.call, "roles")]


def test_every_route_is_guarded_and_only_the_expected_ones_are_public(app):
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 14
    unguarded = [r.path for r in routes if not _guards(r)]
    assert unguarded == []
    open_to_all = {r.path for r in routes if public in _guards(r)}
    assert open_to_all == PUBLIC_PATHS


# (role, method, path, expected status) — every role against every protected page and API route
MATRIX = [
    *[(role, "GET", "/check", 200 if role != "administrator" else 403) for role in ROLES],
    *[(role, "GET", "/accounts", 200 if role in ("proper-officer", "administrator") else 403) for role in ROLES],
    *[(role, "GET", "/api/accounts", 200 if role in ("proper-officer", "administrator") else 403) for role in ROLES],
    *[(role, "POST", "/api/accounts", 422 if role in ("proper-officer", "administrator") else 403) for role in ROLES],
    *[(role, "POST", "/api/check", 200 if role != "administrator" else 403) for role in ROLES],
    *[(role, "GET", "/api/rules", 200) for role in ROLES],
    *[(role, "GET", "/welcome", 200) for role in ROLES],
    *[(role, "GET", "/desk", 200 if role == "proper-officer" else 403) for role in ROLES],
    *[(role, "POST", path, 422 if role == "proper-officer" else 403) for role in ROLES
      for path in ("/desk/policy-review", "/desk/remarks/1/handled", "/desk/consents/1/grant",
                   "/desk/consents/1/refuse")],
    *[(role, method, path, (200 if method == "GET" else 422) if role == "councillor" else 403) for role in ROLES
      for method in ("GET", "POST") for path in ("/remarks", "/consents")],
    *[(role, "GET", "/remarks/1/screenshot", 404 if role in ("councillor", "proper-officer") else 403)
      for role in ROLES],
    *[(role, "GET", "/policy", 200 if role != "administrator" else 403) for role in ROLES],
    *[(role, "POST", "/policy/acknowledge", 303 if role != "administrator" else 403) for role in ROLES],
]


@pytest.mark.parametrize("role, method, path, expected", MATRIX)
def test_role_matrix(app, client, role, method, path, expected):
    token = signed_in(app, client, role)
    body = {"text": "See you at the meeting."} if path == "/api/check" else {"email": "x"}
    response = client.request(method, path, json=body if method == "POST" else None,
                              headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert response.status_code == expected, response.text
    if expected == 403 and path.startswith("/api/"):
        assert response.json()["error"]["code"] == "forbidden"


def test_a_councillor_cannot_open_the_accounts_page_or_its_api(app, client):
    token = signed_in(app, client, "councillor")
    page = client.get("/accounts")
    assert page.status_code == 403 and "Proper Officer" in page.text
    assert "/accounts" not in client.get("/check").text  # not offered in the navigation either
    made = client.post("/api/accounts", headers={"X-CSRF-Token": token},
                       json={"email": "new@example.org", "name": "New", "role": "administrator", "password": PASSWORD})
    assert made.status_code == 403
    assert [u.email for u in app.state.users.list() if u.email == "new@example.org"] == []


@pytest.mark.parametrize("path", ["/check", "/accounts", "/welcome", "/desk", "/remarks", "/consents", "/policy"])
def test_anonymous_pages_redirect_to_sign_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next={path}"


@pytest.mark.parametrize("method, path", [("GET", "/api/rules"), ("GET", "/api/accounts"), ("POST", "/api/check"),
                                          ("POST", "/api/accounts")])
def test_anonymous_api_calls_get_401_in_the_error_shape(client, method, path):
    response = client.request(method, path, json={"text": "hello"})
    assert response.status_code in (401, 403)  # a POST without a session has no CSRF token either
    error = response.json()["error"]
    assert set(error) == {"code", "message", "where"}
    if method == "GET":
        assert (response.status_code, error["code"]) == (401, "not-signed-in")
