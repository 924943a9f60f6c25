"""Folding long base64 bodies out of the parser's way must not change what is read from any message."""

from __future__ import annotations

import base64
import hashlib
import random
from email import policy
from email.feedparser import BytesFeedParser
from pathlib import Path

import pytest

from councilguard.records import mime_blobs
from councilguard.records.mail import parse_mail

CORPUS = Path(__file__).resolve().parent / "mail_corpus"
BLOB = random.Random(5).randbytes(60_000)


def b64_lines(data: bytes, eol: str) -> str:
    text = base64.b64encode(data).decode()
    return eol.join(text[i:i + 76] for i in range(0, len(text), 76))


def multipart(eol: str, *, closing: bool = True, after_blob: str = "") -> bytes:
    lines = ["From: a@example.org", "To: b@example.org", "Subject: minutes", "MIME-Version: 1.0",
             'Content-Type: multipart/mixed; boundary="XYZ"', "", "preamble", "--XYZ",
             "Content-Type: text/plain; charset=utf-8", "", "Please see the attached.", "--XYZ",
             'Content-Type: application/octet-stream; name="a.bin"', "Content-Transfer-Encoding: base64", "",
             b64_lines(BLOB, eol) + after_blob]
    if closing:
        lines += ["--XYZ--", "epilogue", ""]
    return eol.join(lines).encode()


def single_part(eol: str) -> bytes:
    return eol.join(["From: a@example.org", "To: b@example.org", "Subject: a file",
                     'Content-Type: application/octet-stream; name="a.bin"', "Content-Transfer-Encoding: base64",
                     "", b64_lines(BLOB, eol), ""]).encode()


def unfolded(raw: bytes, monkeypatch: pytest.MonkeyPatch):
    """The same message parsed with folding switched off."""
    with monkeypatch.context() as m:
        m.setattr(mime_blobs, "FOLD_FROM", 1 << 62)
        return parse_mail(raw)


MESSAGES = {
    "multipart, CRLF": multipart("\r\n"),
    "multipart, LF": multipart("\n"),
    "no closing boundary": multipart("\r\n", closing=False),
    "single part, CRLF": single_part("\r\n"),
    "single part, LF": single_part("\n"),
}
DAMAGED = {  # the attachment no longer decodes to BLOB, folded or not
    "text straight after the base64": multipart("\r\n", after_blob="\r\nnot base64: a line of text"),
    "placeholder text already in the body": multipart("\r\n", after_blob="\r\n!councilguard-blob-0!"),
}


@pytest.mark.parametrize("name", MESSAGES)
def test_folding_reads_the_same_message(name, monkeypatch):
    raw = MESSAGES[name]
    parsed = parse_mail(raw)
    assert parsed == unfolded(raw, monkeypatch)
    (attachment,) = parsed.attachments
    assert attachment.sha256 == hashlib.sha256(BLOB).hexdigest()


@pytest.mark.parametrize("name", DAMAGED)
def test_folding_reads_the_same_damaged_message(name, monkeypatch):
    assert parse_mail(DAMAGED[name]) == unfolded(DAMAGED[name], monkeypatch)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_folding_every_corpus_message_reads_the_same(path, monkeypatch):
    raw = path.read_bytes()
    monkeypatch.setattr(mime_blobs, "FOLD_FROM", 0)  # fold even the small ones
    folded = parse_mail(raw)
    assert folded == unfolded(raw, monkeypatch)


def test_a_message_with_a_blob_is_folded_to_a_few_lines():
    folded, runs = mime_blobs.fold(MESSAGES["multipart, CRLF"])
    assert len(runs) == 1 and len(folded) < 1000
    assert runs[0].encode() in MESSAGES["multipart, CRLF"]


def test_small_messages_and_prose_are_left_alone():
    small = multipart("\r\n")[:mime_blobs.FOLD_FROM - 1]
    assert mime_blobs.fold(small) == (small, [])
    prose = ("word " * 20 + "\r\n").encode() * 5000
    assert mime_blobs.fold(prose) == (prose, [])


def test_a_stray_placeholder_makes_the_parser_read_the_original():
    raw = DAMAGED["placeholder text already in the body"]
    folded, runs = mime_blobs.fold(raw)
    parser = BytesFeedParser(policy=policy.default)
    parser.feed(folded)
    assert mime_blobs.unfold(parser.close(), runs) is False
