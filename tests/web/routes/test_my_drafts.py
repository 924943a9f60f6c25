"""Kept drafts through the pages and the API: off by default, the author's alone (another councillor gets 404,
exactly as for a draft that does not exist; the Clerk and administrators have no route at all), deleted after
the council's period at start-up and periodically, and never copied anywhere else."""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from councilguard.web.app import create_app
from councilguard.web.settings import WebSettings
from tests.web.conftest import FAST_HASHER, csrf_of, signed_in

SECRET = "Between us, I will vote against the Greenway plan whatever the Chair says"
PHONE = "Ring Dave Smith on 07700 900123 about the hedge"
FETE = "Come to the village fete on Saturday, everyone welcome!"


@dataclass
class WallClock:
    now: datetime = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


@pytest.fixture
def app(db_path, checker, clock, wall):
    settings = WebSettings(db_url=f"sqlite:///{db_path}", migrate=False, warm_up=False, secret_key="test-key",
                           clock=clock, now=wall)
    return create_app(settings, checker=checker, hasher=FAST_HASHER)


def _rows(db_path, sql: str = "SELECT id, owner_id, text FROM web_kept_drafts ORDER BY id") -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def _check(client, token, text, **fields):
    data = {"csrf_token": token, "text": text, "kind": "post", "channel": "facebook", "account": "personal", **fields}
    return client.post("/check", data=data)


def _kept_id(page: str) -> int:
    found = re.search(r'<input type="hidden" name="draft" value="(\d+)">', page)
    assert found, "the page does not carry the kept draft's id"
    return int(found.group(1))


@pytest.fixture
def ann(app, client):
    """Ann Archer, a councillor, signed in on ``client``; returns her CSRF token."""
    return signed_in(app, client, "councillor", email="ann@example.org", name="Ann Archer")


def _other(app, role: str, **kwargs) -> tuple[TestClient, str]:
    other = TestClient(app)
    return other, signed_in(app, other, role, **kwargs)


def test_the_keep_box_is_off_by_default_and_offered_only_to_authors(app, client, ann):
    page = client.get("/check").text
    assert '<input type="checkbox" id="keep" name="keep" value="yes"\n           aria-describedby="keep-hint">' in page
    assert "It is deleted after 30 days" in page and "unless you tick “Keep this draft”" in page
    assert '<a href="/drafts">My drafts</a>' in page
    clerk, _ = _other(app, "proper-officer", email="helen@example.org")
    clerk_page = clerk.get("/check").text
    assert 'name="keep"' not in clerk_page and 'href="/drafts"' not in clerk_page


def test_a_check_keeps_nothing_unless_the_box_is_ticked(app, client, ann, db_path):
    assert "Result:" in _check(client, ann, SECRET).text
    assert _rows(db_path) == []
    kept = _check(client, ann, SECRET, keep="yes")
    assert kept.status_code == 200 and "Kept. Only you can see it" in kept.text
    ann_id = next(u.id for u in app.state.users.list() if u.email == "ann@example.org")
    assert _rows(db_path) == [(_kept_id(kept.text), ann_id, SECRET)]
    listing = client.get("/drafts").text
    assert SECRET in listing and "2 Dec 2026" in listing  # deleted 30 days after 2 November


def test_a_kept_draft_opens_back_into_the_form_and_is_saved_over_itself(app, client, ann, db_path):
    first = _kept_id(_check(client, ann, SECRET, keep="yes").text)
    opened = client.get(f"/drafts/{first}")
    assert opened.status_code == 200 and f">{SECRET}</textarea>" in opened.text
    assert _kept_id(opened.text) == first and 'name="keep" value="yes" checked' in opened.text
    edited = _check(client, ann, SECRET + " (toned down)", keep="yes", draft=str(first))
    assert "Kept." in edited.text
    assert [(i, t) for i, _, t in _rows(db_path)] == [(first, SECRET + " (toned down)")]
    _check(client, ann, "Not this version", draft=str(first))  # the box left unticked: not saved
    assert [t for *_, t in _rows(db_path)] == [SECRET + " (toned down)"]


def test_a_fix_applied_to_a_kept_draft_is_kept(app, client, ann, db_path):
    kept = _kept_id(_check(client, ann, PHONE, keep="yes").text)
    fixed = client.post("/check/fix", data={"csrf_token": ann, "text": PHONE, "kind": "post", "channel": "facebook",
                                            "account": "personal", "finding": "0", "fix": "0", "keep": "yes",
                                            "draft": str(kept)})
    assert fixed.status_code == 200 and "Applied: Redact the phone number" in fixed.text
    assert [t for *_, t in _rows(db_path)] == ["Ring Dave Smith on [phone number removed] about the hedge"]


def test_delete_now_deletes_it(app, client, ann, db_path):
    kept = _kept_id(_check(client, ann, SECRET, keep="yes").text)
    gone = client.post(f"/drafts/{kept}/delete", data={"csrf_token": ann}, follow_redirects=False)
    assert (gone.status_code, gone.headers["location"]) == (303, "/drafts?deleted=1")
    assert _rows(db_path) == [] and "The draft was deleted." in client.get("/drafts?deleted=1").text
    assert client.get(f"/drafts/{kept}").status_code == 404


# Every way to reach a draft by its id: a councillor who is not its author gets exactly the answer a missing
# draft gets (404), so a draft's existence is never revealed.
BY_ID = [("GET", "/drafts/{id}"), ("POST", "/drafts/{id}/delete"), ("GET", "/api/drafts/{id}"),
         ("PUT", "/api/drafts/{id}"), ("DELETE", "/api/drafts/{id}")]


def _said(response) -> str:
    """What an error answer says: the API's error object, or the error page's message."""
    if response.headers["content-type"].startswith("application/json"):
        return str(response.json())
    found = re.search(r'<p class="error-message">(.*?)</p>', response.text)
    assert found, response.text
    return found.group(1)


def _call(client, token, method, path):
    if method == "POST":
        return client.post(path, data={"csrf_token": token}, follow_redirects=False)
    body = {"text": "Overwritten by someone else"} if method == "PUT" else None
    return client.request(method, path, json=body, headers={"X-CSRF-Token": token}, follow_redirects=False)


@pytest.mark.parametrize("method, path", BY_ID)
def test_another_councillor_cannot_read_change_or_delete_a_draft(app, client, ann, db_path, method, path):
    kept = _kept_id(_check(client, ann, SECRET, keep="yes").text)
    bob, bob_token = _other(app, "councillor", email="bob@example.org", name="Bob Brown")
    theirs = _call(bob, bob_token, method, path.format(id=kept))
    missing = _call(bob, bob_token, method, path.format(id=kept + 1000))
    assert theirs.status_code == missing.status_code == 404
    assert SECRET not in theirs.text
    if path.startswith("/api/"):
        assert theirs.json()["error"]["code"] == missing.json()["error"]["code"] == "not-found"
        assert theirs.json()["error"]["where"] == missing.json()["error"]["where"] == "path.kept_id"
    assert _said(theirs).replace(str(kept), "N") == _said(missing).replace(str(kept + 1000), "N")
    assert [t for *_, t in _rows(db_path)] == [SECRET]
    assert SECRET not in bob.get("/drafts").text and bob.get("/api/drafts").json() == []


@pytest.mark.parametrize("role", ["proper-officer", "administrator"])
@pytest.mark.parametrize("method, path", [*BY_ID, ("GET", "/drafts"), ("GET", "/api/drafts"), ("POST", "/api/drafts")])
def test_the_clerk_and_administrators_cannot_reach_any_draft(app, client, ann, db_path, role, method, path):
    kept = _kept_id(_check(client, ann, SECRET, keep="yes").text)
    other, token = _other(app, role, email=f"{role}@council.example")
    for some_id in (kept, kept + 1000):  # the same answer whether the draft exists or not
        response = _call(other, token, method, path.format(id=some_id))
        assert response.status_code == 403, response.text
        assert SECRET not in response.text
    assert [t for *_, t in _rows(db_path)] == [SECRET]


def test_the_api_keeps_lists_reads_saves_and_deletes_the_authors_own_drafts(app, client, ann, wall):
    headers = {"X-CSRF-Token": ann}
    made = client.post("/api/drafts", headers=headers, json={"text": PHONE, "channel": "facebook"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["text"], body["kind"], body["verdict"]) == (PHONE, "post", "block")
    assert body["deletes_at"].startswith("2026-12-02T09:30")
    assert app.state.counts.on(wall.now.date()) == {}  # keeping through the API is not counted as a check
    assert client.get("/api/drafts").json() == [body]
    wall.now += timedelta(days=1)
    saved = client.put(f"/api/drafts/{body['id']}", headers=headers, json={"text": FETE})
    assert saved.status_code == 200 and saved.json()["verdict"] == "ok"
    assert saved.json()["deletes_at"].startswith("2026-12-03T09:30")
    assert client.get(f"/api/drafts/{body['id']}").json()["text"] == FETE
    assert client.delete(f"/api/drafts/{body['id']}", headers=headers).status_code == 204
    assert client.get("/api/drafts").json() == []


@pytest.mark.parametrize("body, where, words", [
    ({"text": "   "}, "body.text", "there is no draft to keep"),
    ({"text": "hi", "channel": "c" * 101}, "body.channel", "the most is 100"),
    ({"text": "hi", "kind": "tweet"}, "body.kind", "Input should be"),
    ({"text": "hi", "colour": "red"}, "body.colour", "Extra inputs"),
    ({}, "body.text", "body.text is required"),
])
def test_the_api_says_which_field_of_a_draft_is_wrong(client, ann, body, where, words):
    refused = client.post("/api/drafts", headers={"X-CSRF-Token": ann}, json=body)
    assert refused.status_code == 422
    assert refused.json()["error"]["where"] == where and words in refused.json()["error"]["message"]
    assert client.get("/api/drafts").json() == []


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_api_changes_need_the_csrf_header(client, ann, method):
    made = client.post("/api/drafts", headers={"X-CSRF-Token": ann}, json={"text": SECRET}).json()
    path = "/api/drafts" if method == "POST" else f"/api/drafts/{made['id']}"
    refused = client.request(method, path, json={"text": "changed"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf-token-missing"
    assert [d["text"] for d in client.get("/api/drafts").json()] == [SECRET]


def test_drafts_past_their_date_are_deleted_when_the_app_starts(app, client, ann, wall, db_path):
    _check(client, ann, SECRET, keep="yes")
    _check(client, ann, "Kept later", keep="yes")
    with sqlite3.connect(db_path) as conn:  # the first one was kept 31 days ago
        conn.execute("UPDATE web_kept_drafts SET saved_at = ?, expires_at = ? WHERE text = ?",
                     ((wall.now - timedelta(days=31)).replace(tzinfo=None).isoformat(" "),
                      (wall.now - timedelta(days=1)).replace(tzinfo=None).isoformat(" "), SECRET))
    with TestClient(app):  # start-up
        assert [t for *_, t in _rows(db_path)] == ["Kept later"]


def test_drafts_are_also_deleted_periodically_while_the_app_runs(db_path, checker, clock, wall):
    settings = WebSettings(db_url=f"sqlite:///{db_path}", migrate=False, warm_up=False, secret_key="test-key",
                           clock=clock, now=wall, purge_every=0.05)
    app = create_app(settings, checker=checker, hasher=FAST_HASHER)
    with TestClient(app) as client:
        token = signed_in(app, client, "councillor")
        _check(client, token, SECRET, keep="yes")
        wall.now += timedelta(days=30)
        deadline = time.monotonic() + 5
        while _rows(db_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _rows(db_path) == []


def test_a_kept_draft_reaches_no_other_table_and_none_of_it_survives_deletion(app, client, ann, db_path):
    kept = _kept_id(_check(client, ann, SECRET, keep="yes", in_reply_to="Quillfeather asked", to="x@example.org").text)
    client.post(f"/drafts/{kept}", data={"csrf_token": ann})  # (a stray POST: not a route, changes nothing)

    def cells(skip: str = "") -> list[str]:
        with sqlite3.connect(db_path) as conn:
            tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'") if t != skip]
            return [str(v) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"') for v in row]

    others = cells(skip="web_kept_drafts")
    for needle in ("Greenway", "Quillfeather", "x@example.org"):
        assert not any(needle in cell for cell in others), needle
    client.post(f"/drafts/{kept}/delete", data={"csrf_token": ann})
    everything = cells()
    assert not any("Greenway" in cell or "Quillfeather" in cell for cell in everything)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in db_path.parent.glob(db_path.name + "*"):
        assert b"Greenway" not in path.read_bytes(), path.name


def test_a_councillor_switched_off_the_keep_option_sees_no_box(app, client, ann):
    clerk = app.state.users.list()[0]
    app.state.council_settings.save({"drafts_may_be_kept": False}, clerk)
    page = client.get("/check").text
    assert 'name="keep"' not in page and "Your draft is not kept." in page
    refused = _check(client, ann, SECRET, keep="yes")  # a stale form still ticked
    assert refused.status_code == 422 and "The draft was checked but not kept" in refused.text
    assert csrf_of(client, "/drafts")  # My drafts still opens (empty)
