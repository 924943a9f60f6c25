"""Reading the override justification from raw bytes, and stripping the header without touching the rest."""

from __future__ import annotations

import pytest

from councilguard.gateway.override import MAX_JUSTIFICATION, find_override, strip_override

H = "X-Councilguard-Override"
BODY = b"\r\nBody line one.\r\nX-Councilguard-Override: in the body, not a header\r\n"


@pytest.mark.parametrize(("raw", "found", "stripped"), [
    (b"From: a@b.example\r\nX-Councilguard-Override: agreed with the Clerk, minute 24/113\r\nSubject: s\r\n" + BODY,
     "agreed with the Clerk, minute 24/113", b"From: a@b.example\r\nSubject: s\r\n" + BODY),
    (b"From: a@b.example\r\nx-councilguard-override:   spaced   out  \r\n" + BODY,
     "spaced out", b"From: a@b.example\r\n" + BODY),
    (b"X-Councilguard-Override: folded over\r\n two lines\r\nFrom: a@b.example\r\n" + BODY,
     "folded over two lines", b"From: a@b.example\r\n" + BODY),
    (b"From: a@b.example\r\nX-Councilguard-Override: =?utf-8?q?agreed_with_Zo=C3=AB?=\r\n" + BODY,
     "agreed with Zoë", b"From: a@b.example\r\n" + BODY),
    (b"From: a@b.example\r\nX-Councilguard-Override: agreed \xe2\x80\x93 8-bit\r\n" + BODY,
     "agreed – 8-bit", b"From: a@b.example\r\n" + BODY),
    (b"From: a@b.example\nX-Councilguard-Override: bare LF\nSubject: s\n\nbody\n",
     "bare LF", b"From: a@b.example\nSubject: s\n\nbody\n"),
    (b"From: a@b.example\r\nX-Councilguard-Override:\r\nX-Councilguard-Override: second one\r\n" + BODY,
     "second one", b"From: a@b.example\r\n" + BODY),
    (b"From: a@b.example\r\nX-Councilguard-Override:   \r\n" + BODY, None, b"From: a@b.example\r\n" + BODY),
    (b"From: a@b.example\r\nSubject: s\r\n" + BODY, None, b"From: a@b.example\r\nSubject: s\r\n" + BODY),
    (b"From: a@b.example\r\nX-Councilguard-Overrides: similar name\r\n" + BODY, None,
     b"From: a@b.example\r\nX-Councilguard-Overrides: similar name\r\n" + BODY),
    (b"X-Councilguard-Override: headers only, no body\r\n", "headers only, no body", b""),
])
def test_find_and_strip(raw, found, stripped):
    assert find_override(raw, H) == found
    assert strip_override(raw, H) == stripped


def test_a_message_without_the_header_comes_back_as_the_same_object():
    raw = b"From: a@b.example\r\n\r\nhello\r\n"
    assert strip_override(raw, H) is raw


def test_control_characters_are_removed_and_length_is_capped():
    raw = b"X-Councilguard-Override: a\x00b " + b"y" * 5000 + b"\r\n\r\nbody"
    found = find_override(raw, H)
    assert found.startswith("a b yyy") and len(found) == MAX_JUSTIFICATION
