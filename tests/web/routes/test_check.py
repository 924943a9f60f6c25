"""The check page: verdict, findings with highlighted (escaped) evidence, one-click fixes; nothing kept."""

from __future__ import annotations

import html
import sqlite3
from datetime import date

import pytest

from tests.web.conftest import signed_in

PHONE_AND_MAIL = "Ring Dave Smith on 07700 900123 or email dave.smith@gmail.com"


def _check(client, token, text, **fields):
    data = {"csrf_token": token, "text": text, "kind": "post", "channel": "facebook", "account": "personal", **fields}
    return client.post("/check", data=data)


@pytest.mark.parametrize("text, verdict_words, rules", [
    ("Come to the village fete on Saturday, everyone welcome!", "Nothing found", []),
    (PHONE_AND_MAIL, "Do not send this as it is", ["personal-data"]),
    ("Cllr Hargreaves is a useless idiot who should resign", "Think again", ["abuse-councillor"]),
])
def test_a_check_shows_the_verdict_and_each_finding(app, client, text, verdict_words, rules):
    token = signed_in(app, client, "councillor", email="cllr.ellis@croxleygreen-pc.gov.uk", name="Margaret Ellis")
    page = _check(client, token, text)
    assert page.status_code == 200
    assert f"Result: {verdict_words}" in page.text
    for rule in rules:
        title = app.state.checker.pack.rule(rule).title  # the rule by its title, its id beside it
        assert f'</span> {title} <span class="rule-id">{rule}</span></h3>' in html.unescape(page.text)
        clause = app.state.checker.pack.rule(rule).clause
        assert f"Policy clause {clause}" in page.text
    assert page.text.count('<li class="finding') == len(rules)
    assert f">{text}</textarea>" in page.text  # the draft stays in the form to edit


def test_evidence_is_marked_and_everything_is_escaped(app, client):
    token = signed_in(app, client, "staff")
    text = '<script>alert("x")</script> Ring Dave Smith on 07700 900123 <b>now</b>'
    page = _check(client, token, text).text
    assert "<mark>07700 900123</mark>" in page
    assert "<script>alert" not in page and "<b>now</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "What to do:" in page and "Why:" in page


def test_a_fix_is_applied_and_the_draft_checked_again(app, client):
    token = signed_in(app, client, "councillor")
    page = _check(client, token, PHONE_AND_MAIL).text
    assert "Redact the phone number" in page and "Redact the e-mail address" in page
    fixed = client.post("/check/fix", data={"csrf_token": token, "text": PHONE_AND_MAIL, "kind": "post",
                                            "channel": "facebook", "account": "personal", "finding": "0", "fix": "0"})
    assert fixed.status_code == 200
    assert ">Ring Dave Smith on [phone number removed] or email dave.smith@gmail.com</textarea>" in fixed.text
    assert "Applied: Redact the phone number" in fixed.text
    assert "<mark>dave.smith@gmail.com</mark>" in fixed.text and "<mark>07700" not in fixed.text


@pytest.mark.parametrize("finding, fix", [("0", "7"), ("3", "0"), ("x", "0"), ("", "")])
def test_a_fix_that_does_not_fit_says_so_and_keeps_the_draft(app, client, finding, fix):
    token = signed_in(app, client, "councillor")
    response = client.post("/check/fix", data={"csrf_token": token, "text": PHONE_AND_MAIL, "finding": finding,
                                               "fix": fix})
    assert response.status_code == 409
    assert "that fix no longer fits the draft" in response.text
    assert f">{PHONE_AND_MAIL}</textarea>" in response.text


def test_an_invalid_kind_is_explained_not_lost(app, client):
    token = signed_in(app, client, "councillor")
    response = _check(client, token, "Hello all", kind="tweet")
    assert response.status_code == 422
    assert "kind" in response.text and ">Hello all</textarea>" in response.text


def test_the_form_works_without_javascript_and_is_labelled(app, client):
    signed_in(app, client, "councillor")
    page = client.get("/check").text
    assert '<form method="post" action="/check"' in page
    for field in ("text", "kind", "channel", "account", "in_reply_to", "to"):
        assert f'<label for="{field}">' in page and f'id="{field}"' in page
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert '<script src="/static/check.js" defer>' in page
    assert client.get("/static/check.js").status_code == 200 and client.get("/static/app.css").status_code == 200


def test_a_check_stores_nothing_but_an_anonymous_count(app, client, db_path):
    token = signed_in(app, client, "councillor")
    secret = "Zebediah Quillfeather of 14 Orchard Way WD3 3AB rang me on 07700 900456"
    assert _check(client, token, secret, to="someone@example.org", in_reply_to="Quillfeather asked").status_code == 200
    assert _check(client, token, "Come to the village fete on Saturday, everyone welcome!").status_code == 200
    assert app.state.counts.on(date.today()) == {"block": 1, "ok": 1}
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        cells = [str(v) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"') for v in row]
        assert conn.execute("SELECT day, verdict, count FROM web_check_counts ORDER BY verdict").fetchall() == [
            (date.today().isoformat(), "block", 1), (date.today().isoformat(), "ok", 1)]
    for needle in ("Quillfeather", "07700 900456", "Orchard Way", "someone@example.org", "fete"):
        assert not any(needle in cell for cell in cells), needle
    for path in db_path.parent.glob(db_path.name + "*"):  # the file, its WAL and shared memory
        assert b"Quillfeather" not in path.read_bytes(), path.name


def _picture(name: str) -> bytes:
    from io import BytesIO

    from PIL import Image
    if name == "logo":
        from councilguard.policy import Pack
        return Pack.resolve("croxley-green").logo_path.read_bytes()
    buffer = BytesIO()
    Image.new("RGB", (320, 240), (40, 140, 60)).save(buffer, "PNG")  # a plain green picture
    return buffer.getvalue()


@pytest.mark.parametrize("picture, account, expected", [
    ("logo", "personal", ["council-logo"]),
    ("plain", "personal", []),
])
def test_a_picture_sent_with_the_draft_is_checked_and_not_kept(app, client, tmp_path, picture, account, expected):
    import tempfile
    token = signed_in(app, client, "councillor", email="cllr.ellis@croxleygreen-pc.gov.uk", name="Margaret Ellis")
    before = set(__import__("os").listdir(tempfile.gettempdir()))
    data = {"csrf_token": token, "text": "Proud to serve Croxley Green!", "kind": "post", "channel": "facebook",
            "account": account}
    page = client.post("/check", data=data, files={"picture": ("banner.png", _picture(picture), "image/png")})
    assert page.status_code == 200
    found = [rule for rule in ("council-logo",) if f"<span class=\"rule-id\">{rule}</span></h3>" in page.text]
    assert found == expected
    left = {n for n in set(__import__("os").listdir(tempfile.gettempdir())) - before if "councilguard-picture" in n}
    assert not left  # the picture's temporary folder is gone


@pytest.mark.parametrize("data, problem", [
    (b"not a picture at all", "not a PNG, JPEG, GIF or WebP image"),
    (b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
])
def test_a_bad_picture_gets_a_clear_error_and_keeps_the_draft(app, client, data, problem):
    token = signed_in(app, client, "councillor")
    form = {"csrf_token": token, "text": "Our new noticeboard", "kind": "post", "channel": "facebook",
            "account": "personal"}
    page = client.post("/check", data=form, files={"picture": ("board.png", data, "image/png")})
    assert page.status_code == 422
    assert problem in page.text
    assert ">Our new noticeboard</textarea>" in page.text
