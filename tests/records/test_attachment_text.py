"""extract_text and its helpers: charsets, HTML, calendars, office documents, archives and their bombs."""

from __future__ import annotations

import importlib.util
import io
import time
import zipfile
from pathlib import Path

import pytest

from councilguard.records.attachment_text import (Extracted, calendar_text, decode_bytes, extract_text,
                                                  html_to_text, human_size, sniff_text)
from councilguard.records.mail import MailLimits

CORPUS = Path(__file__).resolve().parent / "mail_corpus"
_spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
mc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mc)


@pytest.mark.parametrize("data, charset, text, problem", [
    ("£5 – “ok”".encode("cp1252"), "windows-1252", "£5 – “ok”", None),
    ("€5".encode("iso-8859-15"), "ISO-8859-15", "€5", None),
    (b"caf\xe9 \x93ok\x94", "iso-8859-1", "café “ok”", None),  # latin-1 labels mean windows-1252
    (b"\x81", "iso-8859-1", "\x81", None),  # a byte windows-1252 leaves undefined stays readable
    ("Тест".encode("koi8-r"), "koi8-r", "Тест", None),
    ("会议".encode("gb2312"), "gb2312", "会议", None),
    ("会议".encode("gb18030"), "GB2312", "会议", None),  # gb2312 labels often carry gbk/gb18030
    ("テスト".encode("iso-2022-jp"), "iso-2022-jp", "テスト", None),
    ("Hi ☺".encode("utf-7"), "utf-7", "Hi ☺", None),
    (b"+ZZZ-", "utf-7", None, "has bytes that are not valid utf-7; they are shown as \ufffd"),
    (b"caf\xe9", "x-foo", "café", "body in unknown charset 'x-foo'; decoded as latin-1"),
    ("café".encode(), "x-foo", "café", "body in unknown charset 'x-foo'; decoded as utf-8"),
    (b"caf\xe9", "utf-8", "café", "body is not valid utf-8; decoded as windows-1252"),
    ("café".encode(), "us-ascii", "café", "body is not valid us-ascii; decoded as utf-8"),
    (b"caf\xe9", None, "café", "body has no charset and is not utf-8; decoded as windows-1252"),
    ("café".encode(), None, "café", None),
    (b"\xa4\xa4\xff", "euc-jp", None, "has bytes that are not valid euc-jp"),
])
def test_decode_bytes(data, charset, text, problem):
    got, said = decode_bytes(data, charset, what="body")
    if text is not None:
        assert got == text
    assert (said is None) if problem is None else (problem in said), said
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in got)


@pytest.mark.parametrize("data, text, used", [
    (b"\xef\xbb\xbfhello", "hello", "utf-8-sig"),
    ("hé".encode("utf-16"), "hé", "utf-16"),
    ("hé".encode("utf-32"), "hé", "utf-32"),
    ("£".encode(), "£", "utf-8"),
    (b"\xa3", "£", "windows-1252"),
    (b"plain", "plain", "ascii"),
])
def test_sniff_text(data, text, used):
    assert sniff_text(data) == (text, used)


@pytest.mark.parametrize("html, text", [
    ("<p>One</p><p>Two</p>", "One\n\nTwo"),
    ("<script>alert('x')</script><style>p{}</style><p>Kept</p>", "Kept"),
    ('<a href="https://x.example/a">the agenda</a>', "the agenda (https://x.example/a)"),
    ('<a href="https://x.example/a">https://x.example/a</a>', "https://x.example/a"),
    ('<a href="mailto:clerk@x.example">clerk@x.example</a>', "clerk@x.example"),
    ('<a href="#top">Top</a> <a href="javascript:void(0)">Click</a>', "Top Click"),
    ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
    ("line<br>break &amp; &pound;5&nbsp;only", "line\nbreak & £5 only"),
    ('<img src="cid:x" alt="Council crest">', "[image: Council crest]"),
    ("<pre>  keep\n    spacing</pre>", "keep\n    spacing"),
    ("<table><tr><td>Plot</td><td>14</td></tr></table>", "Plot\t14"),
    ("<p>unclosed <b>tags <script>and a script", "unclosed tags"),
])
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_calendar_text():
    text = calendar_text(mc.ICS)
    assert text.splitlines() == [
        "Calendar invitation", "Event: Planning committee", "When: 2024-03-14 19:30 (Europe/London)",
        "Where: Community Hall, Barton Way", "Organiser: Jane Clerk <clerk@croxleygreen-pc.example>",
        "Attendee: Smith, Bob <bob.smith@croxleygreen-pc.example>",
        "Attendee: Ann Jones <ann.jones@croxleygreen-pc.example>",
        "Description: Agenda:", "1. Application 24/0123 (extension, 5 Dickinson Square)", "2. Tree works"]


@pytest.mark.parametrize("ics, first_lines", [
    ("BEGIN:VCALENDAR\nMETHOD:CANCEL\nBEGIN:VEVENT\nSUMMARY:Litter pick\nDTSTART:20240316T100000Z\nEND:VEVENT",
     ["Calendar cancel", "Event: Litter pick", "When: 2024-03-16 10:00 (UTC)"]),
    ("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20240401\nSUMMARY;LANGUAGE=en:Budget day\nEND:VEVENT",
     ["Calendar invitation", "Event: Budget day", "When: 2024-04-01"]),
    ("BEGIN:VEVENT\nDTSTART:tomorrow\nEND:VEVENT", ["Calendar invitation", "When: tomorrow"]),
])
def test_calendar_variants(ics, first_lines):
    assert calendar_text(ics).splitlines()[: len(first_lines)] == first_lines


@pytest.mark.parametrize("ics", ["", "not a calendar", "BEGIN:VCALENDAR\nEND:VCALENDAR", "BEGIN:VEVENT\nSUMMARY:x"])
def test_calendar_without_events_is_none(ics):
    assert calendar_text(ics) is None


@pytest.mark.parametrize("size, shown", [(0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"),
                                         (40 * 1024, "40 KB"), (50 * 2**20, "50 MB"), (3 * 2**30, "3 GB")])
def test_human_size(size, shown):
    assert human_size(size) == shown


# --- extract_text: one row per kind -------------------------------------------------------------------

DOCX = mc.docx(["Lease", "Rent is reviewed every three years."], [("Plot", "Tenant")])
ODT = mc.odt(["Grass cutting", "Every second Tuesday."])
PDF = mc.pdf(["Planning application 24/0123"])


@pytest.mark.parametrize("data, filename, content_type, snippets", [
    ("Minutes\r\nItem 1".encode(), "minutes.txt", "text/plain", ["Minutes\nItem 1"]),
    (b"\xff\xfeh\x00i\x00", "notes.txt", "text/plain", ["hi"]),
    ("Caf\xe9".encode("cp1252"), "notes.txt", None, ["Café"]),
    ("Тест".encode("koi8-r"), None, "text/plain; charset=koi8-r", ["Тест"]),
    (b"a,b\n1,2", "sheet.csv", "application/octet-stream", ["a,b\n1,2"]),
    (b"<p>Hello <b>there</b></p><script>x()</script>", "page.html", None, ["Hello there"]),
    (mc.ICS.encode(), "invite.ics", "application/ics", ["Event: Planning committee"]),
    (PDF, "scan.pdf", "application/pdf", ["Planning application 24/0123"]),
    (PDF, "no-extension", "application/octet-stream", ["Planning application 24/0123"]),  # by magic bytes
    (DOCX, "lease.docx", None, ["Lease\nRent is reviewed every three years.", "Plot\nTenant"]),
    (ODT, "grass.odt", None, ["Grass cutting\nEvery second Tuesday."]),
    (mc.zip_of({"a.txt": b"alpha", "dir/": b"", "b.pdf": PDF}), "pack.zip", "application/zip",
     ["Archive pack.zip holds 2 file(s):\n  a.txt (5 bytes)\n  b.pdf", "--- a.txt ---\nalpha",
      "--- b.pdf ---\nPlanning application"]),
    (mc.crlf("From: a@example.org\nSubject: Inner\n\nInner body\n"), "fwd.eml", "message/rfc822",
     ["From: a@example.org\nSubject: Inner\n\nInner body"]),
])
def test_extract_text(data, filename, content_type, snippets):
    got = extract_text(data, filename, content_type, limits=MailLimits())
    assert got.problems == ()
    for snippet in snippets:
        assert snippet in got.text


@pytest.mark.parametrize("data, filename, content_type", [
    (mc.png_1x1(), "photo.png", "image/png"),
    (b"MZ\x90\x00", "setup.exe", "application/octet-stream"),
    (b"\x00\x01", None, None),
    (b"", "blank.bin", None),
])
def test_unknown_kinds_are_none_without_problems(data, filename, content_type):
    assert extract_text(data, filename, content_type) == Extracted(None, ())


@pytest.mark.parametrize("data, filename, problem", [
    (b"%PDF-1.4 nonsense", "broken.pdf", "attachment 'broken.pdf' could not be read as a PDF"),
    (b"PK\x03\x04 not really", "broken.docx", "attachment 'broken.docx' not opened: it is not a readable zip"),
    (mc.zip_of({"other.xml": b"<x/>"}), "odd.docx", "not opened: it has no word/document.xml"),
    (mc.zip_of({"word/document.xml": b"<w:document"}), "cut.docx", "attachment 'cut.docx' could not be read"),
    (mc.zip_of({"content.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}), "laughs.odt",
     "not opened: its XML declares entities"),
    (b"PK\x05\x06" + bytes(18), "empty.zip", None),
])
def test_damaged_documents_are_noted(data, filename, problem):
    got = extract_text(data, filename, None)
    if problem is None:
        assert got.text.startswith("Archive empty.zip holds 0 file(s)") and got.problems == ()
    else:
        assert got.text is None and any(problem in p for p in got.problems), got.problems


def test_encrypted_pdf_is_noted():
    got = extract_text(mc.encrypted_pdf(), "salaries.pdf", "application/pdf")
    assert got == Extracted(None, ("attachment 'salaries.pdf' is an encrypted PDF; its text cannot be read "
                                   "without the password",))


def test_pdf_page_cap():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    page = PdfReader(io.BytesIO(PDF)).pages[0]
    for _ in range(4):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    got = extract_text(out.getvalue(), "long.pdf", None, limits=MailLimits(max_pdf_pages=2))
    assert got.text.count("Planning application") == 2
    assert got.problems == ("attachment 'long.pdf': only the first 2 pages were read",)


def test_over_the_attachment_limit_is_not_read():
    got = extract_text(b"x" * 2048, "big.txt", "text/plain", limits=MailLimits(max_attachment_bytes=1024))
    assert got == Extracted(None, ("attachment 'big.txt' not opened: 2 KB is over the 1 KB limit for reading text",))


# --- bombs: refused on declared sizes, or stopped while streaming ---------------------------------------


def _timed(data: bytes, filename: str, **limits) -> Extracted:
    started = time.process_time()  # CPU time: a guard against inflating the bomb, not a speed target
    got = extract_text(data, filename, None, limits=MailLimits(**limits))
    assert time.process_time() - started < 3
    return got


def test_zip_bomb_refused_on_declared_size(tmp_path):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(mc.zip_bomb(200 * 2**20))
    got = _timed(bomb.read_bytes(), "bomb.zip")
    assert got.text is None
    (problem,) = got.problems
    assert problem.startswith("attachment 'bomb.zip' not opened: compressed size ")
    assert problem.endswith(" KB expands past the 50 MB limit")


def test_zip_bomb_refused_on_ratio_under_the_size_cap(tmp_path):
    got = _timed(mc.zip_bomb(20 * 2**20), "ratio.zip")
    assert got.text is None and "past the 100:1 limit (a possible zip bomb)" in got.problems[0]


def test_zip_bomb_that_lies_about_its_size_is_never_inflated():
    got = _timed(mc.lying_zip_bomb(60 * 2**20), "liar.zip")
    assert "zeros.txt (1000 bytes)" in got.text
    assert got.problems == ("'zeros.txt' in attachment 'liar.zip' not read: damaged (BadZipFile)",)


@pytest.mark.parametrize("expanded, problem", [
    (80 * 2**20, "expands past the 50 MB limit"),
    (5 * 2**20, "past the 100:1 limit (a possible zip bomb)"),
])
def test_docx_bombs(expanded, problem):
    got = _timed(mc.docx_bomb(expanded), "bomb.docx")
    assert got.text is None and problem in got.problems[0], got.problems


def test_documents_in_a_zip_share_its_decompression_budget():
    noise = bytes(range(256)) * 2400  # 600 KB read first, leaving 376 KB of the budget
    document = mc.zip_of({"word/document.xml": b"<w:document>" + b" " * 600_000 + b"</w:document>"})
    got = _timed(mc.zip_of({"data.txt": noise, "report.docx": document}), "papers.zip",
                 max_decompressed_bytes=1_000_000)
    assert "--- data.txt ---" in got.text and "--- report.docx ---" not in got.text
    assert len(got.problems) == 1 and got.problems[0].startswith("attachment 'report.docx' not opened: compressed size")
    assert got.problems[0].endswith("expands past the 376 KB limit")


def test_archives_inside_archives_are_only_listed():
    inner = mc.zip_of({"deep.txt": b"deep secret"})
    got = extract_text(mc.zip_of({"inner.zip": inner, "note.eml": b"Subject: x\n\ny"}), "outer.zip", None)
    assert "inner.zip" in got.text and "note.eml" in got.text and "deep secret" not in got.text


def test_encrypted_zip_member_is_noted():
    data = bytearray(mc.zip_of({"secret.txt": b"hidden"}))
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the 'encrypted' flag bit
        at = data.find(sig)
        data[at + offset] |= 0x01
    got = extract_text(bytes(data), "locked.zip", None)
    assert got.problems == ("'secret.txt' in attachment 'locked.zip' not read: it is encrypted",)


def test_too_many_members_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(10_001):
            z.writestr(f"{i}.bin", b"")
    got = extract_text(out.getvalue(), "many.zip", None)
    assert got == Extracted(None, ("attachment 'many.zip' not opened: it holds 10,001 files, over the 10,000 limit",))


def test_eml_attachments_respect_the_depth_limit():
    nested = mc.crlf("Subject: inner\n\nhello\n")
    got = extract_text(nested, "x.eml", None, limits=MailLimits(max_depth=0))
    assert got == Extracted(None, ("attachment 'x.eml' not opened: messages nested too deep",))
