"""First-run set-up, sign-in, the privacy notice at first sign-in, sign-out."""

from __future__ import annotations

import pytest

from tests.web.conftest import CLERK, PASSWORD, add_user, csrf_of, sign_in


def _setup(client, email=CLERK[0], name=CLERK[1], password=PASSWORD):
    token = csrf_of(client, "/setup")
    return client.post("/setup", data={"email": email, "name": name, "password": password, "csrf_token": token},
                       follow_redirects=False)


def test_a_new_database_sends_everyone_to_setup(client):
    response = client.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/setup")
    assert client.get("/sign-in", follow_redirects=False).headers["location"] == "/setup"
    page = client.get("/setup").text
    assert 'for="password"' in page and 'id="password"' in page and "Proper Officer" in page


def test_setup_makes_the_proper_officer_then_closes(app, client):
    response = _setup(client)
    assert (response.status_code, response.headers["location"]) == (303, "/welcome")
    [clerk] = app.state.users.list()
    assert (clerk.email, clerk.name, clerk.role.value) == (CLERK[0], CLERK[1], "proper-officer")
    assert client.get("/setup").status_code == 404
    fresh = client.__class__(app)
    assert _setup(fresh, email="intruder@example.org").status_code == 404
    assert app.state.users.count() == 1


@pytest.mark.parametrize("email, name, password, complaint", [
    ("clerk@croxleygreen-pc.gov.uk", "Helen Marsh", "short pass", "use at least 12"),
    ("not-an-address", "Helen Marsh", PASSWORD, "is not an e-mail address"),
    ("clerk@croxleygreen-pc.gov.uk", "   ", PASSWORD, "a name is needed"),
])
def test_setup_refuses_bad_details_and_keeps_what_was_typed(app, client, email, name, password, complaint):
    response = _setup(client, email=email, name=name, password=password)
    assert response.status_code == 422
    assert complaint in response.text
    assert f'value="{email}"' in response.text  # nothing typed is lost
    assert app.state.users.count() == 0


def test_first_sign_in_shows_the_privacy_notice_once_and_records_it(app, client):
    user = add_user(app, "councillor", email="cllr.ellis@croxleygreen-pc.gov.uk", name="Margaret Ellis", seen=False)
    response = sign_in(client, user.email)
    assert response.headers["location"] == "/welcome"
    assert client.get("/check", follow_redirects=False).headers["location"] == "/welcome"  # pages wait for it
    notice = client.get("/welcome").text
    for words in ("checked and then thrown away", "Only anonymous counts are kept", "Nobody else can see your drafts",
                  "private to you"):
        assert words in notice
    token = csrf_of(client, "/welcome")
    done = client.post("/welcome", data={"csrf_token": token}, follow_redirects=False)
    assert done.headers["location"] == "/check"
    assert app.state.users.get(user.id).privacy_seen
    client.post("/sign-out", data={"csrf_token": csrf_of(client, "/check")})
    assert sign_in(client, user.email).headers["location"] == "/check"  # not shown again


@pytest.mark.parametrize("email, password", [
    ("councillor@example.org", "wrong password!!"),
    ("nobody@example.org", PASSWORD),
    ("", ""),
])
def test_a_failed_sign_in_says_so_without_saying_which_part_was_wrong(app, client, email, password):
    add_user(app, "councillor")
    response = sign_in(client, email, password)
    assert response.status_code == 401
    assert "do not match an account" in response.text
    assert client.get("/check", follow_redirects=False).headers["location"].startswith("/sign-in")


def test_sign_in_ignores_case_of_the_address_and_sign_out_ends_the_session(app, client):
    add_user(app, "councillor", email="cllr.ellis@croxleygreen-pc.gov.uk")
    assert sign_in(client, "Cllr.Ellis@CroxleyGreen-PC.gov.uk").headers["location"] == "/check"
    assert client.get("/check").status_code == 200
    token = csrf_of(client, "/check")
    assert client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False).headers["location"] == "/sign-in"
    assert client.get("/check", follow_redirects=False).status_code == 303
    assert client.get("/api/rules").status_code == 401


def test_session_cookie_is_http_only_and_same_site(app, client):
    add_user(app, "councillor")
    response = sign_in(client, "councillor@example.org")
    cookie = response.headers["set-cookie"].lower()
    assert "councilguard_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "councillor@example.org" not in response.headers["set-cookie"]


@pytest.mark.parametrize("next_url, landing", [
    ("/accounts", "/accounts"),
    ("//evil.example/x", "/check"),
    ("https://evil.example/", "/check"),
    ("/\\evil.example", "/check"),
    ("", "/check"),
])
def test_sign_in_returns_to_the_page_asked_for_but_only_on_this_site(app, client, next_url, landing):
    add_user(app, "proper-officer")
    token = csrf_of(client, f"/sign-in?next={next_url}")
    response = client.post("/sign-in", data={"email": "proper-officer@example.org", "password": PASSWORD,
                                             "csrf_token": token, "next": next_url}, follow_redirects=False)
    assert response.headers["location"] == landing
    if landing == next_url:  # the sign-in form carries the way back
        assert f'name="next" value="{next_url}"' in client.__class__(app).get(f"/sign-in?next={next_url}").text
