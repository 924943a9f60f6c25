"""Roster and roles through the page and the API: role changes and switching accounts off or on are audited,
a switched-off account cannot sign in and its sessions end, and a roster link decides whom a draft is
checked as."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import CLERK, add_user, sign_in, signed_in


@pytest.fixture
def clerk(app, client):
    """``client`` signed in as the Proper Officer; returns the CSRF token."""
    return signed_in(app, client, "proper-officer", email=CLERK[0], name=CLERK[1])


def _account(app, email: str):
    return next(u for u in app.state.users.list() if u.email == email)


def test_the_page_lists_accounts_and_the_roster_with_whom_each_speaks_as(app, client, clerk):
    add_user(app, "councillor", email="cllr.ellis@croxleygreen-pc.gov.uk", name="Margaret Ellis")
    page = client.get("/roster")
    assert page.status_code == 200
    assert "Checked as Margaret Ellis (Councillor, Chair), matched by e-mail address." in page.text
    assert "<td>Owen Price</td><td>Councillor</td><td></td><td>cllr.price@croxleygreen-pc.gov.uk</td>" in page.text
    assert "Your own account: someone else changes its role." in page.text


def test_a_role_change_on_the_page_is_made_and_audited(app, client, clerk):
    ann = add_user(app, "councillor", email="ann@example.org", name="Ann Archer")
    done = client.post(f"/roster/{ann.id}/role", data={"csrf_token": clerk, "role": "staff"}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/roster?done=role")
    assert app.state.users.get(ann.id).role.value == "staff"
    audit = client.get("/audit").text
    assert f"{CLERK[0]}</td><td>role-changed</td>" in audit and "before: councillor; email: ann@example.org" in audit


@pytest.mark.parametrize("target, field, data, complaint", [
    ("ann", "role", {"role": "proper-officer"}, "cannot be given here"),
    ("self", "role", {"role": "staff"}, "you cannot change your own role"),
    ("self", "active", {"active": "no"}, "you cannot switch off your own account"),
    ("ann", "member", {"roster_member": "Nobody Atall"}, "is not on the council&#39;s roster"),
])
def test_a_change_that_is_not_allowed_is_explained_beside_the_field(app, client, clerk, target, field, data, complaint):
    ann = add_user(app, "councillor", email="ann@example.org", name="Ann Archer")
    account = ann if target == "ann" else _account(app, CLERK[0])
    path = {"role": "role", "active": "active", "member": "member"}[field]
    refused = client.post(f"/roster/{account.id}/{path}", data={"csrf_token": clerk, **data})
    assert refused.status_code == 422
    assert complaint in refused.text and f'href="#{field}-{account.id}"' in refused.text
    assert app.state.desk_audit.latest() == []


def test_a_switched_off_account_is_signed_out_at_once_and_cannot_sign_in_until_switched_on(app, client, clerk):
    ann_client = TestClient(app)
    signed_in(app, ann_client, "councillor", email="ann@example.org", name="Ann Archer")
    assert ann_client.get("/check").status_code == 200
    ann = _account(app, "ann@example.org")
    off = client.post(f"/roster/{ann.id}/active", data={"csrf_token": clerk, "active": "no"}, follow_redirects=False)
    assert off.headers["location"] == "/roster?done=off"
    assert ann_client.get("/check", follow_redirects=False).headers["location"] == "/sign-in?next=/check"
    assert ann_client.get("/api/drafts").status_code == 401
    refused = sign_in(ann_client, "ann@example.org")
    assert refused.status_code == 401 and "do not match an account" in refused.text
    assert "switched off" in client.get("/roster").text

    client.post(f"/roster/{ann.id}/active", data={"csrf_token": clerk, "active": "yes"})
    assert sign_in(ann_client, "ann@example.org").status_code == 303
    assert ann_client.get("/check").status_code == 200
    assert [a.action for a in app.state.desk_audit.latest()] == ["account-reactivated", "account-deactivated"]


def test_a_roster_link_makes_drafts_checked_as_that_member(app, client, clerk):
    ann = add_user(app, "councillor", email="ann.personal@example.org", name="Ann E.")
    assert app.state.drafts.author(app.state.users.get(ann.id)) == {"name": "Ann E.", "email": ann.email,
                                                                     "role": "councillor"}
    client.post(f"/roster/{ann.id}/member", data={"csrf_token": clerk, "roster_member": "Margaret Ellis"})
    assert app.state.drafts.author(app.state.users.get(ann.id)) == {
        "name": "Margaret Ellis", "role": "councillor", "email": "cllr.ellis@croxleygreen-pc.gov.uk"}
    assert "Checked as Margaret Ellis (Councillor, Chair), linked here." in client.get("/roster").text
    (entry,) = app.state.desk_audit.latest()
    assert (entry.action, entry.detail["after"]) == ("roster-linked", "Margaret Ellis")


def test_the_api_changes_roles_switches_and_links_with_errors_naming_the_field(app, client):
    token = signed_in(app, client, "administrator", email="ada@example.org", name="Ada Admin")
    headers = {"X-CSRF-Token": token}
    sam = add_user(app, "staff", email="sam@example.org", name="Sam Staff")
    role = client.put(f"/api/accounts/{sam.id}/role", headers=headers, json={"role": "councillor"})
    assert role.status_code == 200 and role.json()["role"] == "councillor"
    linked = client.put(f"/api/accounts/{sam.id}/roster-member", headers=headers, json={"roster_member": "Owen Price"})
    assert linked.json() | {"id": 0} == {"id": 0, "email": "sam@example.org", "name": "Sam Staff", "role": "councillor",
                                         "active": True, "roster_member": "Owen Price", "speaks_as": "Owen Price",
                                         "matched_by": "linked"}
    off = client.put(f"/api/accounts/{sam.id}/active", headers=headers, json={"active": False})
    assert off.json()["active"] is False
    roster = client.get("/api/roster").json()
    assert {"name": "Owen Price", "kind": "councillor", "role": None, "email": "cllr.price@croxleygreen-pc.gov.uk",
            "account_id": sam.id} in roster["members"]
    clerk_id = _account(app, CLERK[0]).id
    for path, body, where, words in [
        (f"/api/accounts/{sam.id}/role", {"role": "proper-officer"}, "body.role", "cannot be given here"),
        (f"/api/accounts/{clerk_id}/role", {"role": "staff"}, "body.role", "is the Proper Officer"),
        (f"/api/accounts/{sam.id}/active", {"active": "no"}, "body.active", "valid boolean"),
        (f"/api/accounts/{sam.id}/roster-member", {"roster_member": "Owen Pryce"}, "body.roster_member",
         "not on the council's roster"),
        ("/api/accounts/999/role", {"role": "staff"}, "path.account_id", "there is no account 999"),
    ]:
        refused = client.put(path, headers=headers, json=body)
        assert refused.status_code in (404, 422) and refused.json()["error"]["where"] == where, refused.text
        assert words in refused.json()["error"]["message"]
    assert [a.action for a in app.state.desk_audit.latest()] == ["account-deactivated", "roster-linked",
                                                                  "role-changed"]


@pytest.mark.parametrize("role", ["councillor", "staff"])
@pytest.mark.parametrize("method, path", [("GET", "/roster"), ("GET", "/api/roster"), ("GET", "/settings"),
                                          ("GET", "/api/settings"), ("GET", "/retention"), ("GET", "/api/retention"),
                                          ("GET", "/audit"), ("GET", "/api/audit"), ("PUT", "/api/accounts/1/role"),
                                          ("POST", "/roster/1/active"), ("PUT", "/api/settings"),
                                          ("PUT", "/api/retention/classes/complaints")])
def test_councillors_and_staff_cannot_manage(app, client, role, method, path):
    token = signed_in(app, client, role)
    response = client.request(method, path, headers={"X-CSRF-Token": token}, json={} if method == "PUT" else None,
                              data={"csrf_token": token} if method == "POST" else None)
    assert response.status_code == 403


def test_the_audit_log_pages_back_through_older_entries(app, client, clerk):
    ann = add_user(app, "councillor", email="ann@example.org", name="Ann Archer")
    for n in range(60):
        app.state.account_changes.set_active(ann.id, n % 2 == 1, _account(app, CLERK[0]))
    first = client.get("/audit").text
    link = re.search(r'href="(/audit\?before=\d+)"', first)
    assert first.count("<tr><td>") == 50 and link
    assert client.get(link.group(1)).text.count("<tr><td>") == 10
    newest = client.get("/api/audit?limit=5").json()
    assert [e["action"] for e in newest][:2] == ["account-reactivated", "account-deactivated"]
    rest = client.get(f"/api/audit?before={newest[-1]['id']}&limit=500").json()
    assert len(newest) + len(rest) == 60 and all(e["id"] < newest[-1]["id"] for e in rest)


def test_the_drafts_and_management_api_is_described_in_openapi(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {"/api/drafts": {"get", "post"}, "/api/drafts/{kept_id}": {"get", "put", "delete"},
                "/api/roster": {"get"}, "/api/accounts/{account_id}/role": {"put"},
                "/api/accounts/{account_id}/active": {"put"}, "/api/accounts/{account_id}/roster-member": {"put"},
                "/api/settings": {"get", "put"}, "/api/retention": {"get"},
                "/api/retention/classes/{name}": {"put"}, "/api/audit": {"get"}}
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        assert all(op["tags"] for op in paths[path].values())
