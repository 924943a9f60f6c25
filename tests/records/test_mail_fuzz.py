"""Fuzzing parse_mail: random bytes and damaged corpus messages never raise, never lose the hash,
and always give the checker a valid Message."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilguard.engine import MAX_TEXT_CHARS, coerce_message
from councilguard.model import Message
from councilguard.records.mail import MailLimits, parse_mail, to_message

CORPUS = Path(__file__).resolve().parent / "mail_corpus"
MESSAGES = {p.name: p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))}
BOUNDARIES = (b"--", b"boundary=", b"\r\n\r\n", b"Content-Type:", b"Content-Transfer-Encoding:", b"=?", b"?=")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])
SMALL = MailLimits(max_parts=50, max_depth=4, max_attachment_bytes=256 * 1024)
_spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
mc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mc)
DOCUMENTS = {  # binary attachments, damaged before they are encoded, so the damage reaches their readers
    "a.pdf": mc.pdf(["Planning application 24/0123", "Objection (with brackets)"]),
    "a.docx": mc.docx(["Lease", "Rent is reviewed."]),
    "a.odt": mc.odt(["Grass", "Cut on Tuesdays."]),
    "a.zip": mc.zip_of({"m.txt": b"minutes", "b.pdf": mc.pdf(["inner"]), "c.odt": mc.odt(["x"])}),
    "a.eml": MESSAGES["calendar_invite.eml"],
}


def check(raw: bytes, limits: MailLimits = MailLimits()) -> None:
    parsed = parse_mail(raw, limits=limits)
    assert parsed.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert parsed.raw_size == len(raw)
    assert all(isinstance(p, str) and p for p in parsed.problems)
    for value in (parsed.subject or "", *parsed.to, *parsed.cc, *parsed.bcc):
        assert not any(c in value for c in "\r\n\x00"), value
    message = to_message(parsed)
    assert isinstance(message, Message) and len(message.text) <= MAX_TEXT_CHARS
    assert coerce_message(message.model_dump(by_alias=True)) == message  # survives the JSON contract too


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(raw):
    check(raw)


@st.composite
def damaged(draw):
    """A corpus message with flipped bytes, a cut, damaged boundaries or spliced-in junk."""
    name = draw(st.sampled_from(sorted(MESSAGES)))
    data = bytearray(MESSAGES[name])
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "boundary", "splice", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "boundary":
            marker = draw(st.sampled_from(BOUNDARIES))
            found = bytes(data).find(marker, at)
            if found >= 0:
                data[found:found + len(marker)] = draw(st.binary(max_size=len(marker) + 2))
        elif kind == "splice":
            data[at:at] = draw(st.one_of(st.binary(max_size=40), st.sampled_from([b"\r", b"\n", b"\x00", b"=?",
                                                                                  b"\r\n\r\n", b"--"])))
        else:
            del data[at:at + draw(st.integers(1, 200))]
    return bytes(data)


@FUZZ
@given(damaged())
def test_damaged_corpus_messages(raw):
    check(raw, SMALL)


HEADER = st.sampled_from(["From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "Content-Type",
                          "Content-Transfer-Encoding", "Content-Disposition", "Reply-To", "References"])
VALUE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["=?utf-8?B?w6k=?=", "=?x-foo?Q?a=FF?=", "=?utf-8?q?a=0D=0Ab?=", "multipart/mixed; boundary=x",
                     "text/plain; charset=utf-7", "base64", "quoted-printable", "attachment; filename*=utf-8''%FF",
                     "a@b.example, <>, undisclosed-recipients:;", "Mon, 32 Foo 99999 25:61:00 +9999", '"unclosed']))


@st.composite
def built(draw):
    """Messages assembled from plausible headers and bodies, in any order and line ending."""
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    headers = draw(st.lists(st.tuples(HEADER, VALUE), max_size=8))
    body = draw(st.one_of(st.text(max_size=300), st.sampled_from(["--x\r\nContent-Type: text/html\r\n\r\n<p>hi",
                                                                   "--x--", "=\r\n=ZZ", "<script>"])))
    text = newline.join(f"{k}: {v}" for k, v in headers) + newline * 2 + body
    return text.encode(draw(st.sampled_from(["utf-8", "latin-1"])), errors="replace")


@FUZZ
@given(built())
def test_built_messages(raw):
    check(raw)


@FUZZ
@given(st.sampled_from(sorted(DOCUMENTS)), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6),
       st.floats(0.05, 1))
def test_damaged_attachments(name, flips, keep):
    data = bytearray(DOCUMENTS[name])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    data = data[: max(1, int(len(data) * keep))]
    check(mc.with_attachment(name, "application/octet-stream", bytes(data)))
