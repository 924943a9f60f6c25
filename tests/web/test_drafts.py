"""Form to message, roster matching of the author, and escaped, marked evidence."""

from __future__ import annotations

import pytest

from councilguard.model import Evidence, Finding, Severity
from councilguard.policy import Pack
from councilguard.web.drafts import DraftForm, author_of, evidence_views, excerpt
from councilguard.web.roles import Role
from councilguard.web.users import User


@pytest.fixture(scope="module")
def pack() -> Pack:
    return Pack.bundled()


@pytest.mark.parametrize("email, name, role, expected", [
    ("cllr.ellis@croxleygreen-pc.gov.uk", "Maggie", Role.COUNCILLOR,  # by e-mail: the roster's name and role
     {"name": "Margaret Ellis", "role": "councillor", "email": "cllr.ellis@croxleygreen-pc.gov.uk"}),
    ("CLERK@croxleygreen-pc.gov.uk", "Helen", Role.PROPER_OFFICER,
     {"name": "Helen Marsh", "role": "proper-officer", "email": "clerk@croxleygreen-pc.gov.uk"}),
    ("tom@gmail.com", "tom hargreaves", Role.COUNCILLOR,  # by name when the e-mail is not on the roster
     {"name": "Tom Hargreaves", "role": "councillor", "email": "cllr.hargreaves@croxleygreen-pc.gov.uk"}),
    ("new@example.org", "New Person", Role.STAFF, {"name": "New Person", "role": "staff", "email": "new@example.org"}),
    ("it@example.org", "IT Support", Role.ADMINISTRATOR, {"name": "IT Support", "email": "it@example.org"}),
])
def test_author_of(pack, email, name, role, expected):
    assert author_of(User(1, email, name, role, True), pack) == expected


@pytest.mark.parametrize("form, author, expected", [
    ({"text": "Hi"}, {"name": "A"},
     {"text": "Hi", "kind": "post", "account": "personal", "author": {"name": "A"}, "channel": "unknown"}),
    ({"text": "Hi", "kind": "email", "to": "a@x.org; b@x.org,", "channel": ""}, {"name": "A", "email": "me@x.org"},
     {"text": "Hi", "kind": "email", "account": "personal", "author": {"name": "A", "email": "me@x.org"},
      "channel": "email", "to": ["a@x.org", "b@x.org"], "from": "me@x.org"}),
    ({"text": "Agreed", "kind": "reply", "channel": " Facebook ", "account": "councillor", "in_reply_to": "Why?"},
     {"name": "A"},
     {"text": "Agreed", "kind": "reply", "account": "councillor", "author": {"name": "A"}, "channel": "Facebook",
      "in_reply_to": {"text": "Why?"}}),
])
def test_draft_form_to_message(form, author, expected):
    assert DraftForm.from_form(form).message(author) == expected


@pytest.mark.parametrize("text, start, end, context, html", [
    ("call 07700 900123 now", 5, 17, 40, "call <mark>07700 900123</mark> now"),
    ("<b>x</b> & y", 3, 4, 40, "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; y"),
    ("abcdefghij", 4, 6, 2, "…cd<mark>ef</mark>gh…"),
    ("abc", 0, 3, 2, "<mark>abc</mark>"),
])
def test_excerpt_marks_and_escapes(text, start, end, context, html):
    assert str(excerpt(text, start, end, context)) == html


def test_evidence_from_another_field_is_shown_escaped():
    finding = Finding("x", Severity.WARN, "1", (Evidence(0, 4, "<i>@", "to"), Evidence(0, 2, "hi")), "e", "r")
    assert [str(v) for v in evidence_views(finding, "hi there")] == ["to: <mark>&lt;i&gt;@</mark>",
                                                                      "<mark>hi</mark> there"]


def _text_finding(*spans: tuple[int, int], text: str) -> Finding:
    return Finding("x", Severity.WARN, "1", tuple(Evidence(a, b, text[a:b]) for a, b in spans), "e", "r")


CHAIR = "We met on Tuesday about the play area. The chairman is a liar and a crook."
LIAR, CROOK = CHAIR.index("liar"), CHAIR.index("crook")
FAR = "Liar. " + "The play area will open in the spring, and the Clerk will write to every resident. " * 2 + "Crook."


@pytest.mark.parametrize("text, spans, html", [
    # two pieces of one sentence: one excerpt, both marked, the words shown once
    (CHAIR, [(LIAR, LIAR + 4), (CROOK, CROOK + 5)],
     [f"…{CHAIR[LIAR - 40:LIAR]}<mark>liar</mark> and a <mark>crook</mark>."]),
    # the same piece twice, and overlapping pieces: one mark
    (CHAIR, [(LIAR, LIAR + 4), (LIAR, LIAR + 4)], [f"…{CHAIR[LIAR - 40:LIAR]}<mark>liar</mark> and a crook."]),
    (CHAIR, [(LIAR - 5, LIAR + 4), (LIAR, CROOK + 5)],
     [f"…{CHAIR[LIAR - 45:LIAR - 5]}<mark>is a liar and a crook</mark>."]),
    # pieces far apart keep an excerpt each, in the finding's order
    (FAR, [(len(FAR) - 6, len(FAR) - 1), (0, 4)],
     [f"…{FAR[len(FAR) - 46:len(FAR) - 6]}<mark>Crook</mark>.", f"<mark>Liar</mark>{FAR[4:44]}…"]),
])
def test_evidence_close_together_shares_one_excerpt(text, spans, html):
    assert [str(v) for v in evidence_views(_text_finding(*spans, text=text), text)] == html
