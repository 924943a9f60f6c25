"""CSRF on every state-changing request, and the sign-in limiter (per account and per address)."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from councilguard.web.app import ROUTERS

from councilguard.web.auth import SignInLimiter, verify_csrf
from councilguard.web.errors import TooManySignIns
from tests.web.conftest import PASSWORD, Clock, add_user, csrf_of, sign_in, signed_in

FORM_POSTS = {"/setup", "/sign-in", "/sign-out", "/welcome", "/accounts", "/check", "/check/fix", "/remarks",
              "/consents", "/policy/acknowledge", "/desk/remarks/{report_id}/handled",
              "/desk/consents/{consent_id}/grant", "/desk/consents/{consent_id}/refuse", "/desk/policy-review",
              "/authorisations", "/authorisations/{authorisation_id}/revoke", "/official-posts",
              "/official-posts/{post_id}/approve", "/official-posts/{post_id}/return"}
JSON_POSTS = {"/api/check", "/api/accounts"}
FORM_POSTS |= {"/drafts/{kept_id}/delete", "/roster/{account_id}/role", "/roster/{account_id}/active",
               "/roster/{account_id}/member", "/settings", "/retention/{name}"}  # kept drafts and management
FORM_POSTS |= {"/desk/incidents", "/desk/incidents/from-remark/{report_id}", "/desk/incidents/from-held/{record_id}",
               *(f"/desk/incidents/{{incident_id}}/{step}" for step in ("notes", "evidence", "details", "refer",
                                                                         "outcome", "close")),
               "/desk/policy-versions", "/desk/governance/attestations"}  # incidents, the policy's life, governance
REGISTER_JSON_POSTS = {  # their bodies differ: the header is checked in tests/web/routes/test_incidents.py
    "/api/incidents", "/api/incidents/from-remark", "/api/incidents/from-held-email",
    *(f"/api/incidents/{{incident_id}}/{step}" for step in ("notes", "evidence", "refer", "outcome", "close")),
    "/api/policy-versions", "/api/attestations"}
AUTHOR_JSON_POSTS = {"/api/drafts"}  # only a draft's author posts here: see tests/web/routes/test_my_drafts.py


def _changing_routes() -> list[APIRoute]:
    return [r for router in ROUTERS for r in router.routes
            if isinstance(r, APIRoute) and r.methods & {"POST", "PUT", "PATCH", "DELETE"}]


def _needs_csrf(dependant) -> bool:
    return any(d.call is verify_csrf or _needs_csrf(d) for d in dependant.dependencies)


def test_every_form_post_is_in_the_csrf_table(app):
    posts = {r.path for r in _changing_routes() if "POST" in r.methods and not r.path.startswith("/api/")}
    assert posts == FORM_POSTS


@pytest.mark.parametrize("route", [r for r in _changing_routes() if r.path.startswith("/api/")],
                         ids=lambda r: f"{sorted(r.methods)[0]} {r.path}")
def test_every_changing_api_route_checks_the_csrf_header(route):
    """Bodies differ by route, so the header is proved on a few above and declared by all of them here."""
    assert _needs_csrf(route.dependant), f"{route.path} does not depend on auth.verify_csrf"


@pytest.mark.parametrize("path", sorted(FORM_POSTS))
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_form_posts_without_the_session_token_are_refused(app, client, path, token):
    signed_in(app, client, "proper-officer")
    data = {"text": "hello", "email": "a@example.org", "name": "A", "password": PASSWORD, "role": "staff"}
    if token:
        data["csrf_token"] = token
    before = app.state.users.count()
    response = client.post(re.sub(r"\{\w+\}", "1", path), data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "security token" in response.text
    assert app.state.users.count() == before
    assert client.get("/check").status_code == 200  # still signed in: sign-out did not happen either


@pytest.mark.parametrize("path", sorted(JSON_POSTS))
def test_json_posts_need_the_csrf_header(app, client, path):
    token = signed_in(app, client, "proper-officer")
    body = {"text": "hello", "email": "a@example.org", "name": "A", "password": PASSWORD, "role": "staff"}
    refused = client.post(path, json=body)
    assert refused.status_code == 403
    assert refused.json() == {"error": {"code": "csrf-token-missing", "where": "header X-CSRF-Token",
                                        "message": refused.json()["error"]["message"]}}
    assert client.post(path, json=body, headers={"X-CSRF-Token": token}).status_code in (200, 201)


def test_the_sign_in_token_changes_at_sign_in(app, client):
    add_user(app, "councillor")
    before = csrf_of(client, "/sign-in")
    sign_in(client, "councillor@example.org")
    assert csrf_of(client, "/check") != before


# --- the limiter on its own -------------------------------------------------------------------------

@pytest.mark.parametrize("failures, advance, blocked", [
    (4, 0, False),
    (5, 0, True),
    (5, 899, True),
    (5, 900, False),  # the oldest failure has aged out of the 15-minute window
    (9, 0, True),
])
def test_limiter_window(failures, advance, blocked):
    clock = Clock()
    limiter = SignInLimiter(5, 900, clock)
    for _ in range(failures):
        limiter.failed("account:a", "ip:1")
    clock.now += advance
    if blocked:
        with pytest.raises(TooManySignIns, match="please wait"):
            limiter.check("account:a", "ip:9")
    else:
        limiter.check("account:a", "ip:9")


def test_limiter_success_clears_the_account_but_not_the_address():
    limiter = SignInLimiter(5, 900, Clock())
    for _ in range(5):
        limiter.failed("account:a", "ip:1")
    limiter.succeeded("account:a")
    limiter.check("account:a")
    with pytest.raises(TooManySignIns, match="your network address"):
        limiter.check("ip:1")


# --- the limiter through the sign-in page -------------------------------------------------------------

def test_five_failures_lock_the_account_for_fifteen_minutes(app, client, clock):
    add_user(app, "councillor")
    for _ in range(5):
        assert sign_in(client, "councillor@example.org", "wrong password!").status_code == 401
    locked = sign_in(client, "councillor@example.org")  # even the right password waits
    assert locked.status_code == 429
    assert "too many failed sign-ins for this account" in locked.text and "15 minutes" in locked.text
    clock.now += 15 * 60
    assert sign_in(client, "councillor@example.org").status_code == 303


def test_failures_across_accounts_lock_the_address(app, client):
    add_user(app, "councillor")
    for n in range(5):
        assert sign_in(client, f"guess{n}@example.org", "wrong password!").status_code == 401
    locked = sign_in(client, "councillor@example.org")
    assert locked.status_code == 429 and "your network address" in locked.text
