"""parse_mail and to_message over the corpus, the limits, header injection and the checker's contract."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

from councilguard.engine import MAX_TEXT_CHARS, coerce_message
from councilguard.model import Message
from councilguard.records.mail import (MailLimits, ParsedMail, as_text, decode_words, parse_mail, safe_filename,
                                       to_message)

CORPUS = Path(__file__).resolve().parent / "mail_corpus"


def _make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mc = _make_corpus()


def parse_file(name: str, **limits) -> ParsedMail:
    return parse_mail((CORPUS / name).read_bytes(), limits=MailLimits(**limits))


@dataclass
class Case:
    file: str
    subject: str | None
    sender: str | None
    to: tuple[str, ...]
    attachments: tuple[str | None, ...] = ()
    snippets: tuple[str, ...] = ()  # in to_message(...).text
    problems: tuple[str, ...] = ()  # each a substring of some problem
    suspects: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()  # must not be in the text
    extra: dict = field(default_factory=dict)  # attribute -> expected value


CASES = [
    Case("outlook_winmail.eml", "Agenda for Thursday", "clerk@croxleygreen-pc.example",
         ("bob.smith@croxleygreen-pc.example",), ("image001.png", "winmail.dat"),
         ("Item 4 is the allotments lease.", "Jane Clerk\nParish Clerk"),
         ("'winmail.dat' is Outlook's TNEF wrapper: TNEF is not decoded",), absent=("MsoNormal", "=3D")),
    Case("gmail_reply_quoted.eml", "Re: Footpath closure on Baldwins Lane", "bob.smith.cllr@gmail.com",
         ("clerk@croxleygreen-pc.example",), (),
         ("Thanks Jane – I'll raise the footpath", "> The footpath on Baldwins Lane will be closed"),
         extra={"cc": ("residents-group@example.org",), "in_reply_to": "<CAB2y=def@mail.gmail.com>",
                "references": ("<CAB1x=abc@mail.gmail.com>", "<CAB2y=def@mail.gmail.com>"),
                "message_id": "<CAC3z=ghi@mail.gmail.com>"}),
    Case("forwarded_chain_3.eml", "Fwd: Fwd: Fwd: Quote for ditch clearance", "clerk@croxleygreen-pc.example",
         ("finance@croxleygreen-pc.example",), ("Fwd Quote.eml",),
         ("For Thursday's finance committee", "---------- Forwarded message ----------",
          "Jane, forwarding the resident's note", "Can the council pay for this?",
          "Subject: Quote for ditch clearance", "1,450 pounds plus VAT")),
    Case("calendar_invite.eml", "Invitation: Planning committee @ Thu 14 Mar 2024 19:30 - 21:00 (GMT)",
         "clerk@croxleygreen-pc.example",
         ("bob.smith@croxleygreen-pc.example", "ann.jones@croxleygreen-pc.example"), ("invite.ics",),
         ("Event: Planning committee", "When: 2024-03-14 19:30 (Europe/London)",
          "Where: Community Hall, Barton Way", "Organiser: Jane Clerk <clerk@croxleygreen-pc.example>",
          "Attendee: Smith, Bob <bob.smith@croxleygreen-pc.example>",
          "1. Application 24/0123 (extension, 5 Dickinson Square)\n2. Tree works"),
         extra={"reply_to": ("clerk@croxleygreen-pc.example",)}),
    Case("bounce_dsn.eml", "Undelivered Mail Returned to Sender", "mailer-daemon@mx.croxleygreen-pc.example",
         ("clerk@croxleygreen-pc.example",), (),
         ("could not\nbe delivered", "Delivery report: old.councillor@example.net: failed, status 5.1.1",
          "---------- Returned message ----------", "Subject: Minutes of the February meeting"),
         extra={"is_bounce": True}),
    Case("charset_cp1252.eml", "Hall hire – £120", "treasurer@croxleygreen-pc.example",
         ("clerk@croxleygreen-pc.example",), (), ("£120 – payable by 31 March. “Thanks” for the €5 deposit.",)),
    Case("charset_iso2022jp.eml", "会議のお知らせ", "tanaka@example.jp", ("clerk@croxleygreen-pc.example",), (),
         ("議会の会議は木曜日です。",), extra={"names": {"tanaka@example.jp": "田中"}}),
    Case("charset_koi8r.eml", "Собрание совета", "ivan@example.ru", ("clerk@croxleygreen-pc.example",), (),
         ("Заседание совета в четверг в 19:30.",), extra={"names": {"ivan@example.ru": "Иван Петров"}}),
    Case("charset_mixed_legacy.eml", "Twinning association notes", "clerk@croxleygreen-pc.example",
         ("twinning@croxleygreen-pc.example",), (),
         ("会议在星期四举行。", "Prix du repas : 15 € par personne.", "Smile: ☺ see you there.",
          "Café in the square at 10.")),
    Case("charset_unknown.eml", "=?utf-8?B?###?= minutes", "noreply@legacy.example",
         ("clerk@croxleygreen-pc.example",), (), ("Café crème meeting notes.",),
         ("header Subject has an invalid encoded word; shown raw",
          "body in unknown charset 'x-foo'; decoded as latin-1",
          "header Date 'next Thursday afternoon' could not be read as a date"), extra={"date": None}),
    Case("filename_rfc2231.eml", "Minutes in two languages", "clerk@croxleygreen-pc.example",
         ("council@croxleygreen-pc.example",), ("Procès-verbal – mars.txt", "Протокол № 5.txt"),
         ("Procès-verbal de la réunion du conseil.", "Протокол заседания номер 5.")),
    Case("filename_rfc2047.eml", "Files", "clerk@croxleygreen-pc.example", ("council@croxleygreen-pc.example",),
         ("Résumé de réunion.txt", "passwd", "invoicetxt.exe"), ("Résumé: the hall roof needs repair.",),
         suspects=("'../../etc/passwd' was made safe as 'passwd'", "was made safe as 'invoicetxt.exe'")),
    Case("broken_no_closing_boundary.eml", "Pothole on the High Street", "resident@example.org",
         ("clerk@croxleygreen-pc.example",), ("location.txt",),
         ("deep pothole outside number 12", "Outside 12 High Street, near the bus stop."),
         ("the closing MIME boundary is missing: the message may be truncated",)),
    Case("broken_wrong_cte.eml", "Minutes approval", "councillor@example.org", ("clerk@croxleygreen-pc.example",),
         (), ("Please approve the minutes of the last meeting, thanks.", "grit bins"),
         ("the body is marked base64 but is not; read as written",
          "unknown Content-Transfer-Encoding 'quoted-printible'")),
    Case("broken_base64_garbage.eml", "Annual report", "clerk@croxleygreen-pc.example",
         ("council@croxleygreen-pc.example",), ("report.txt",),
         ("The annual report of the parish council. The annual report",),
         ("attachment 'report.txt' has damaged base64; what could be decoded was kept",), absent=("VGhl",)),
    Case("broken_missing_boundary.eml", "Street lights", "resident@example.org",
         ("clerk@croxleygreen-pc.example",), (), ("street lights on Barton Way have been out",),
         ("a multipart/mixed part has no usable boundary; its body was read as plain text",)),
    Case("truncated_mid_attachment.eml", "Objection", "resident@example.org",
         ("planning@croxleygreen-pc.example",), ("objection.pdf",), ("My objection is attached.",),
         ("the closing MIME boundary is missing", "attachment 'objection.pdf' has damaged base64",
          "attachment 'objection.pdf' could not be read as a PDF")),
    Case("header_injection.eml", "Complaint  Bcc: everyone@example.net", "resident@example.org",
         ("clerk@croxleygreen-pc.example",), (), ("The bins were not collected.",),
         suspects=("2 From headers where one is allowed; the first was used",
                   "a bare CR inside the headers (possible header injection)", "NUL bytes in the headers",
                   "header Subject has an encoded CR, LF or NUL (possible header injection)"),
         extra={"bcc": (), "reply_to": ("resident@example.org",)}),
    Case("no_body.eml", "(no body)", "bob.smith@croxleygreen-pc.example", ("clerk@croxleygreen-pc.example",),
         extra={"text": "", "html_text": None}),
    Case("html_only.eml", "March newsletter", "news@croxleygreen-pc.example", ("residents@example.org",), (),
         ("March newsletter", "The annual parish meeting is on 20 March – tickets £0.", "- Litter pick on Saturday",
          "full agenda (https://croxleygreen-pc.example/agenda)", "or clerk@croxleygreen-pc.example."),
         absent=("tracking", "color: red", "<p>", "Newsletter\n")),
    Case("pdf_attachment.eml", "Objection letter", "planning@croxleygreen-pc.example",
         ("council@croxleygreen-pc.example",), ("objection.pdf",),
         ("---------- Attachment: objection.pdf (application/pdf) ----------",
          "Objection letter from a resident of Dickinson Square")),
    Case("docx_attachment.eml", "Draft allotments lease", "clerk@croxleygreen-pc.example",
         ("council@croxleygreen-pc.example",), ("lease.docx",),
         ("The lease runs for ten years from 1 April 2024.", "J. Green")),
    Case("odt_attachment.eml", "Grass cutting", "clerk@croxleygreen-pc.example", ("council@croxleygreen-pc.example",),
         ("grass.odt",), ("The green is cut every second Tuesday.",)),
    Case("zip_attachment.eml", "Papers for Thursday", "clerk@croxleygreen-pc.example",
         ("council@croxleygreen-pc.example",), ("papers.zip",),
         ("Archive papers.zip holds 4 file(s)", "older/archive.zip", "two new benches", "Benches: 800 pounds."),
         absent=("old minutes",)),
    Case("eml_attachment.eml", "Two notices for information", "clerk@croxleygreen-pc.example",
         ("council@croxleygreen-pc.example",), ("road closure.eml", "speed watch.eml"),
         ("Baldwins Lane will be closed on 11 March", "Subject: Speed watch",
          "Speed watch volunteers meet on Tuesday.")),
    Case("headers_8bit.eml", "Réunion du conseil – ordre du jour", "zoe@example.org",
         ("clerk@croxleygreen-pc.example",), ("ordre du jour – mars.txt",), ("1. Approbation du procès-verbal",),
         ("header Subject has 8-bit characters without encoding; decoded as utf-8",),
         extra={"names": {"zoe@example.org": "Zoë Müller"}}),
]


def test_every_corpus_file_has_a_case_and_a_readme_line():
    files = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert files == sorted(c.file for c in CASES) == sorted(mc.CORPUS)
    readme = (CORPUS / "README.md").read_text()
    assert [f for f in files if f"`{f}`" not in readme] == []
    assert len(files) >= 20


@pytest.mark.parametrize("name", sorted(mc.CORPUS))
def test_committed_corpus_is_what_the_script_writes(name):
    assert (CORPUS / name).read_bytes() == mc.CORPUS[name](), f"run make_corpus.py to regenerate {name}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_corpus(case: Case):
    raw = (CORPUS / case.file).read_bytes()
    parsed = parse_mail(raw)
    assert parsed.raw_sha256 == hashlib.sha256(raw).hexdigest() and parsed.raw_size == len(raw)
    assert parsed.subject == case.subject
    assert (parsed.from_.addr if parsed.from_ else None) == case.sender
    assert parsed.to == case.to
    assert tuple(a.filename for a in parsed.attachments) == case.attachments
    message = to_message(parsed)
    for snippet in case.snippets:
        assert snippet in message.text
    for text in case.absent:
        assert text not in message.text
    for wanted in case.problems:
        assert any(wanted in p for p in parsed.problems), (wanted, parsed.problems)
    if not case.problems:
        assert parsed.problems == ()
    for wanted in case.suspects:
        assert any(wanted in s for s in parsed.headers_suspect), (wanted, parsed.headers_suspect)
    if not case.suspects:
        assert parsed.headers_suspect == ()
    for attribute, expected in case.extra.items():
        assert getattr(parsed, attribute) == expected, attribute


def test_outlook_inline_image_and_description_reach_the_checker():
    parsed = parse_file("outlook_winmail.eml")
    image, tnef = parsed.attachments
    assert (image.inline, image.content_id, image.size) == (True, "image001.png@01DA6E2F.12345670", 69)
    assert image.sha256 == hashlib.sha256(mc.png_1x1()).hexdigest()
    assert tnef.content_type == "application/ms-tnef" and tnef.text is None
    assert parsed.html_text and "Please find the agenda" in parsed.html_text
    message = to_message(parsed)
    assert [(a.filename, a.content_type, a.description) for a in message.attachments] == [
        ("image001.png", "image/png", "Croxley Green Parish Council crest"),
        ("winmail.dat", "application/ms-tnef", None)]


def test_forwarded_chain_keeps_each_level():
    parsed = parse_file("forwarded_chain_3.eml")
    chain, level = [], parsed
    while level.inner_messages:
        (level,) = level.inner_messages
        chain.append((level.from_.addr, level.subject))
    assert chain == [("bob.smith@croxleygreen-pc.example", "Fwd: Fwd: Quote for ditch clearance"),
                     ("resident@example.org", "Fwd: Quote for ditch clearance"),
                     ("quotes@acme-drainage.example", "Quote for ditch clearance")]
    assert to_message(parsed).forwarded is True
    assert to_message(parse_file("gmail_reply_quoted.eml")).forwarded is False


def test_bounce_names_the_failed_recipient_and_status():
    parsed = parse_file("bounce_dsn.eml")
    (bounce,) = parsed.bounces
    assert (bounce.recipient, bounce.action, bounce.status) == ("old.councillor@example.net", "failed", "5.1.1")
    assert bounce.diagnostic.startswith("550 5.1.1 <old.councillor@example.net>: Recipient address")
    (returned,) = parsed.inner_messages
    assert (returned.subject, returned.to) == ("Minutes of the February meeting", ("old.councillor@example.net",))
    assert to_message(parsed).forwarded is False


def test_dates_are_aware():
    assert parse_file("gmail_reply_quoted.eml").date == datetime(2024, 3, 5, 18, 42, 11, tzinfo=timezone.utc)
    parsed = parse_mail(b"Date: Tue, 5 Mar 2024 18:42:11 -0000\r\n\r\nhi")
    assert parsed.date == datetime(2024, 3, 5, 18, 42, 11, tzinfo=timezone.utc)
    assert "header Date has no time zone; taken as UTC" in parsed.problems


@pytest.mark.parametrize("raw, field_, expected, suspect", [
    # a bare LF in a CRLF message would start a new header: it is joined to the one before instead
    (b"To: a@example.org\r\nSubject: hi\nBcc: evil@example.net\r\n\r\nbody", "bcc", (), "bare LF"),
    (b"To: a@example.org\r\nSubject: hi\nBcc: evil@example.net\r\n\r\nbody", "subject", "hi Bcc: evil@example.net",
     "bare LF"),
    (b"To: a@example.org\r\nTo: b@example.org\r\n\r\n", "to", ("a@example.org", "b@example.org"),
     "2 To headers where one is allowed; all were read"),
    (b'To: "=?utf-8?q?Ann=0D=0ABcc:_x@evil.example?=" <ann@example.org>\r\n\r\n', "names",
     {"ann@example.org": "Ann  Bcc: x@evil.example"}, "CR, LF or NUL"),
    (b"Subject: =?utf-8?b?aGkNCkJjYzogeEBldmlsLmV4YW1wbGU=?=\r\n\r\n", "subject", "hi  Bcc: x@evil.example",
     "encoded CR, LF or NUL"),
])
def test_header_injection_is_flagged_and_cleaned(raw, field_, expected, suspect):
    parsed = parse_mail(raw)
    assert getattr(parsed, field_) == expected
    assert any(suspect in s for s in parsed.headers_suspect), parsed.headers_suspect
    message = to_message(parsed)
    assert all("\r" not in v and "\n" not in v for v in [message.subject or "", *message.recipients])


def test_lf_only_messages_are_not_suspect():
    parsed = parse_mail(b"From: a@example.org\nTo: b@example.org\nSubject: plain\n\nhello\n")
    assert (parsed.headers_suspect, parsed.subject, parsed.text) == ((), "plain", "hello")


@pytest.mark.parametrize("value, expected", [
    ("=?utf-8?q?caf=C3=A9?= =?utf-8?q?_ok?=", "café ok"),
    ("=?utf-8?B?4oI=?= =?utf-8?B?rA==?=", "€"),  # a character split over two words
    ("Re: =?iso-8859-1?q?r=E9union?= today", "Re: réunion today"),
    ("=?UTF-8*fr?Q?=C3=A9t=C3=A9?=", "été"),  # RFC 2231 language tag
    ("no words here", "no words here"),
])
def test_decode_words(value, expected):
    assert decode_words(value, "header Subject")[0] == expected


def test_decode_words_rejects_malformed_words():
    with pytest.raises(ValueError):
        decode_words("=?utf-8?B?#notbase64#?=", "header Subject")


@pytest.mark.parametrize("raw, expected", [
    ("report.pdf", "report.pdf"),
    ("C:\\Users\\clerk\\Desktop\\minutes.docx", "minutes.docx"),
    ("../../etc/passwd", "passwd"),
    ("evil\x00name\r\n.txt", "evilname.txt"),
    ("invoice\u202etxt.exe", "invoicetxt.exe"),
    ("=?utf-8?B?w6l0w6kucGRm?=", "été.pdf"),
    ("..", None),
    ("", None),
    ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
])
def test_safe_filename(raw, expected):
    assert safe_filename(raw) == expected


# --- limits ------------------------------------------------------------------------------------------


def test_over_the_raw_limit_only_headers_are_read():
    raw = (CORPUS / "pdf_attachment.eml").read_bytes()
    parsed = parse_mail(raw, limits=MailLimits(max_raw_bytes=1000))
    assert (parsed.subject, parsed.to, parsed.text, parsed.attachments) == (
        "Objection letter", ("council@croxleygreen-pc.example",), "", ())
    assert parsed.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert "the message is 1.4 KB, over the 1000 bytes limit: only its headers were read" in parsed.problems


def test_part_and_depth_limits():
    many = (b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
            + b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(40)) + b"--b--\r\n")
    parsed = parse_mail(many, limits=MailLimits(max_parts=10))
    assert "part 8" in parsed.text and "part 9" not in parsed.text
    assert "the message has more than 10 MIME parts; the rest were not read" in parsed.problems
    deep = parse_file("forwarded_chain_3.eml", max_depth=3)
    assert "MIME parts are nested more than 3 deep; deeper parts were not read" in " ".join(deep.problems)
    assert "1,450 pounds" not in to_message(deep).text and "Jane, forwarding" in to_message(deep).text


def test_mime_nested_past_the_parser_recursion_keeps_the_headers():
    raw = b"Subject: deep\r\n" + b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(3000))
    parsed = parse_mail(raw)
    assert parsed.subject == "deep" and parsed.raw_size == len(raw)
    assert "the message body could not be parsed: only its headers were read" in parsed.problems


HOSTILE = [  # shapes that would make the stdlib parser take minutes or gigabytes, each bounded
    ("1.2 MB of headers", b"X-A: b\r\n" * 150_000 + b"Subject: late\r\n\r\nbody",
     "the headers are over 1 MB long: only their first 1 MB was read, and no body"),
    ("200,000 tiny parts", b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + b"--b\r\n\r\nx\r\n" * 200_000,
     "the message has over 2,000 MIME boundary lines; the rest of it was not parsed"),
    ("100,000 parts inside a base64 forward", b"Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64"
     b"\r\n\r\n" + base64.encodebytes(b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + b"--b\r\n\r\nx\r\n"
                                         * 100_000), "the message has over 2,000 MIME boundary lines; the rest of "
     "it was not parsed"),
    ("2.5 million short lines", b"Subject: s\r\n\r\n" + b"a\n" * 2_500_000,
     "the message has 2,500,002 lines, over the 2,000,000 limit: only its headers were read"),
    ("a 280 KB Content-Type", b"Content-Type: text/plain; " + b"; ".join(b"p%d=v" % i for i in range(30_000))
     + b"\r\n\r\nbody", "MIME headers over 8 KB long: read with the compat32 parser"),
    ("a 400 KB filename", b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="'
     + b"a " * 200_000 + b'"\r\n\r\nx', "MIME headers over 8 KB long: read with the compat32 parser"),
    ("20,000 addresses in one To", b"To: " + b", ".join(b'"P %d" <p%d@example.org>' % (i, i) for i in range(20_000))
     + b"\r\n\r\nx", None),
    ("5 MB of HTML", b"Content-Type: text/html\r\n\r\n" + b"<div><p>word <a href='https://x'>link</a></p></div>\n"
     * 100_000, None),
]


@pytest.mark.parametrize("label, raw, problem", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_shapes_stay_fast(label, raw, problem):
    started = time.process_time()  # CPU time, so a busy machine does not fail it: a guard against runaway work
    parsed = parse_mail(raw)
    assert time.process_time() - started < 6, label
    assert parsed.raw_sha256 == hashlib.sha256(raw).hexdigest()
    if problem:
        assert problem in parsed.problems, parsed.problems
    if label.startswith("20,000"):
        assert len(parsed.to) == 20_000 and parsed.names["p7@example.org"] == "P 7"
    if label.startswith("5 MB"):
        assert parsed.text.startswith("word link\n\nword link")


def test_attachment_over_the_text_limit_is_hashed_not_read():
    parsed = parse_file("docx_attachment.eml", max_attachment_bytes=10_000)
    (lease,) = parsed.attachments
    assert lease.text is None and lease.size == 36838 and len(lease.sha256) == 64
    assert "attachment 'lease.docx' not opened: 36 KB is over the 9.8 KB limit for reading text" in parsed.problems


def test_zip_bomb_attachment_is_refused_without_inflating(tmp_path):
    path = tmp_path / "bomb.eml"
    path.write_bytes(mc.with_attachment("bomb.zip", "application/zip", mc.zip_bomb()))
    started = time.process_time()  # inflating the bomb would take far longer (and the memory check below)
    parsed = parse_mail(path.read_bytes())
    assert time.process_time() - started < 4
    (bomb,) = parsed.attachments
    assert bomb.text is None
    assert any(p.startswith("attachment 'bomb.zip' not opened: compressed size") and
               p.endswith("expands past the 50 MB limit") for p in parsed.problems), parsed.problems


def test_large_attachment_parses_quickly_in_bounded_memory(tmp_path):
    data = os.urandom(25 * 2**20)
    path = tmp_path / "big.eml"
    path.write_bytes(mc.with_attachment("survey.bin", "application/octet-stream", data))
    raw = path.read_bytes()
    started = time.perf_counter()
    parsed = parse_mail(raw)
    elapsed = time.perf_counter() - started
    (survey,) = parsed.attachments
    assert (survey.size, survey.sha256, parsed.problems) == (len(data), hashlib.sha256(data).hexdigest(), ())
    assert elapsed < 60, f"parse took {elapsed:.1f} s"  # a guard against quadratic work, not a speed target
    tracemalloc.start()
    try:
        parse_mail(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(raw), f"peak {peak / 2**20:.0f} MB for a {len(raw) / 2**20:.0f} MB message"


# --- never raises, and the checker's contract ----------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"\x00" * 10, "Subject: a str, not bytes\n\nhi", bytearray(b"Subject: x\n\ny"),
                                 memoryview(b"Subject: m\n\nv")])
def test_any_input_gives_a_parsed_mail(raw):
    parsed = parse_mail(raw)
    data = raw.encode() if isinstance(raw, str) else bytes(raw)
    assert (parsed.raw_sha256, parsed.raw_size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert isinstance(to_message(parsed), Message)


def test_to_message_fits_the_checker_limit():
    body = ("All work and no play. " * 120_000).encode()
    raw = b"Subject: long\r\nContent-Type: text/plain\r\n\r\n" + body
    message = to_message(parse_mail(raw))
    assert len(message.text) == MAX_TEXT_CHARS
    assert message.text.endswith("more characters were not checked: over the checker's limit]")
    assert coerce_message(message) is message


def test_to_message_fields():
    message = to_message(parse_file("gmail_reply_quoted.eml"), kind="message")
    assert (message.kind, message.channel, message.id, message.from_, message.to, message.cc, message.subject) == (
        "message", "email", "<CAC3z=ghi@mail.gmail.com>", "bob.smith.cllr@gmail.com",
        ["clerk@croxleygreen-pc.example"], ["residents-group@example.org"], "Re: Footpath closure on Baldwins Lane")


def test_eml_rendering_has_headers():
    text = as_text(parse_file("charset_koi8r.eml"), headers=True)
    assert text.startswith("From: Иван Петров <ivan@example.ru>\nTo: clerk@croxleygreen-pc.example\n")


def test_checker_sees_attachment_text(checker):
    document = mc.pdf(["Complaint from a resident", "She lives at 14 Barton Way."])
    message = to_message(parse_mail(mc.with_attachment("complaint.pdf", "application/pdf", document)))
    report = checker.check(message)
    section = message.text.index("---------- Attachment: complaint.pdf")
    spans = [(e.start, e.text) for f in report.findings if f.rule == "personal-data" for e in f.evidence]
    assert spans and all(start > section for start, _ in spans), spans
    assert "14 Barton Way" in [text for _, text in spans]


def test_attachment_text_can_be_left_unread():
    """After a checker process died on a message, the relay parses it again without reading attachments,
    which are what C code such as PDFium reads: the attachment is still kept, hashed and named."""
    read = parse_file("pdf_attachment.eml")
    kept = parse_file("pdf_attachment.eml", read_attachment_text=False)
    [pdf], [unread] = read.attachments, kept.attachments
    assert pdf.text and unread.text is None
    assert (unread.filename, unread.sha256, unread.size) == (pdf.filename, pdf.sha256, pdf.size)
    assert unread.problems == (f"attachment {pdf.filename!r} not read: the checker stopped while reading this "
                               "message",)
    assert kept.text == read.text
