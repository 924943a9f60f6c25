"""The Accounts page and API: the Proper Officer adds councillors, staff and administrators."""

from __future__ import annotations

import pytest

from tests.web.conftest import CLERK, PASSWORD, sign_in, signed_in


def _add(client, token, **fields):
    data = {"csrf_token": token, "name": "Tom Hargreaves", "email": "cllr.hargreaves@croxleygreen-pc.gov.uk",
            "role": "councillor", "password": PASSWORD, **fields}
    return client.post("/accounts", data=data, follow_redirects=False)


@pytest.mark.parametrize("role", ["councillor", "staff", "administrator"])
def test_the_proper_officer_adds_an_account_who_can_then_sign_in(app, client, role):
    token = signed_in(app, client, "proper-officer")
    response = _add(client, token, role=role)
    assert response.status_code == 303 and response.headers["location"].startswith("/accounts?added=")
    page = client.get(response.headers["location"]).text
    assert "The account was added" in page and "cllr.hargreaves@croxleygreen-pc.gov.uk" in page
    new = next(u for u in app.state.users.list() if u.email == "cllr.hargreaves@croxleygreen-pc.gov.uk")
    assert (new.name, new.role.value, new.privacy_seen) == ("Tom Hargreaves", role, False)
    other = client.__class__(app)
    assert sign_in(other, new.email).headers["location"] == "/welcome"


@pytest.mark.parametrize("fields, status, complaint", [
    ({"role": "proper-officer"}, 422, "cannot be given here"),
    ({"role": "king"}, 422, "cannot be given here"),
    ({"password": "eleven char"}, 422, "use at least 12"),
    ({"email": "hargreaves"}, 422, "is not an e-mail address"),
    ({"email": "proper-officer@example.org"}, 422, "there is already an account"),
])
def test_bad_accounts_are_refused_with_the_form_kept(app, client, fields, status, complaint):
    token = signed_in(app, client, "proper-officer")
    before = app.state.users.count()
    response = _add(client, token, **fields)
    assert response.status_code == status
    assert complaint in response.text and 'value="Tom Hargreaves"' in response.text
    assert app.state.users.count() == before


def test_the_accounts_api_adds_and_lists_without_hashes(app, client):
    token = signed_in(app, client, "administrator")
    made = client.post("/api/accounts", headers={"X-CSRF-Token": token},
                       json={"email": "Deputy@Example.org", "name": "Dev Patel", "role": "staff", "password": PASSWORD})
    assert made.status_code == 201
    assert made.json() == {"id": made.json()["id"], "email": "deputy@example.org", "name": "Dev Patel", "role": "staff"}
    listed = client.get("/api/accounts").json()
    assert {a["email"] for a in listed} == {CLERK[0], "administrator@example.org",
                                            "deputy@example.org"}
    assert all(set(a) == {"id", "email", "name", "role"} for a in listed)
    again = client.post("/api/accounts", headers={"X-CSRF-Token": token},
                        json={"email": "deputy@example.org", "name": "Dev", "role": "staff", "password": PASSWORD})
    assert again.status_code == 422
    assert again.json()["error"] == {"code": "invalid-account", "where": "email",
                                     "message": "there is already an account for deputy@example.org"}
    missing = client.post("/api/accounts", headers={"X-CSRF-Token": token}, json={"email": "x@example.org"})
    assert missing.status_code == 422 and missing.json()["error"]["where"] == "body.name"
