"""What the relay archives for a message, including mail whose headers the archive would refuse."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from councilguard.gateway import replies
from councilguard.gateway.archiving import archive_item, blind_copies, keep, minimal_item, sender_of
from councilguard.gateway.decide import Decision
from councilguard.gateway.spool import Envelope
from councilguard.records.archive import Archive
from councilguard.records.mail import parse_mail

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)
HELD = Decision("hold", "held", replies.R250_HELD_FOR_CLERK, verdict="warn", rules=("r",))


@pytest.mark.parametrize(("headers", "rcpts", "bcc"), [
    ("To: a@x.example\r\nCc: b@x.example", ["a@x.example", "b@x.example"], []),
    ("To: a@x.example", ["a@x.example", "Secret@Y.example"], ["secret@y.example"]),
    ("To: a@x.example\r\nBcc: c@x.example", ["a@x.example", "c@x.example"], ["c@x.example"]),
    ("", ["a@x.example"], ["a@x.example"]),
])
def test_envelope_recipients_missing_from_to_and_cc_are_bcc(headers, rcpts, bcc):
    parsed = parse_mail(f"From: me@x.example\r\n{headers}\r\n\r\nhi\r\n".encode())
    assert blind_copies(parsed, Envelope("me@x.example", tuple(rcpts))) == bcc


@pytest.mark.parametrize(("from_header", "mail_from", "expected"), [
    ("From: Jo Bloggs <jo@x.example>\r\n", "bounce@x.example", "Jo Bloggs <jo@x.example>"),
    ("", "env@x.example", "env@x.example"),
    ("", "", "<>"),
    (f"From: {'a' * 400}@x.example\r\n", "env@x.example", "env@x.example"),
])
def test_sender_of(from_header, mail_from, expected):
    parsed = parse_mail(f"{from_header}Subject: s\r\n\r\nhi\r\n".encode())
    assert sender_of(parsed, Envelope(mail_from, ("a@x.example",))) == expected


def test_a_message_the_archive_would_refuse_is_kept_as_a_minimal_record(tmp_path):
    long_cc = "x" * 330 + "@example.com"
    raw = (f"From: me@x.example\r\nTo: a@x.example\r\nCc: {long_cc}\r\nMessage-ID: <{'m' * 1200}@x>\r\n"
           "Subject: odd\r\n\r\nhi\r\n").encode()
    parsed = parse_mail(raw)
    env = Envelope("me@x.example", ("a@x.example",))
    item = archive_item(raw, parsed, env, None, HELD, NOW)
    assert item.cc == [] and item.message_id is None  # cleaned to what the archive takes
    archive = Archive.open(str(tmp_path / "a.db"))
    try:
        record = archive.get(keep(archive, item, minimal_item(raw, env, None, HELD, NOW)))
        assert record.disposition == "held" and archive.raw(record.id) == raw and record.subject == "odd"
        again = raw + b"more"
        refused = replace(item, raw=again, to=["   "])  # the archive refuses it: a minimal record is kept
        record = archive.get(keep(archive, refused, minimal_item(again, env, None, HELD, NOW)))
        assert archive.raw(record.id) == again and record.sender == "me@x.example" and record.subject == ""
        assert record.bcc == ("a@x.example",) and record.disposition == "held"
    finally:
        archive.close()
