"""The response bundle: the PDF read back with pypdf (redacted words absent, markers present, a cover page,
each record on its own page), the zip's redacted texts and its CSV schedule; refusals while anything is
undecided; drafts; and the small PDF writer itself.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfReader

from councilguard.records.bundle import SCHEDULE_COLUMNS, _cell, export_bundle
from councilguard.records.pdf_text import Para, TextPdf, text_width, wrap
from councilguard.records.redaction import Redactions
from councilguard.records.request_store import Requester, RequestError
from councilguard.records.requests import Requests

from .test_redaction import JOAN, LIT, PACK, collected_foi, forwarded_with_attachments
from .test_requests import CLERK, TODAY, mail, verge_records

CREATED = datetime(2025, 3, 20, 12, 0, tzinfo=timezone.utc)
GONE = ["Joan Baker", "joan.baker@example.com", "Peter Grant", "07700 900456", "07700 900123", "Mrs Baker"]


def pdf_pages(path) -> list[str]:
    reader = PdfReader(str(path), strict=True)
    return [page.extract_text() for page in reader.pages]


def schedule(zip_path) -> tuple[list[str], list[dict[str, str]]]:
    with zipfile.ZipFile(zip_path) as z:
        text = z.read(f"{zip_path.stem}/schedule.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    return list(rows[0].keys()) if rows else [], rows


def ready_foi(archive):
    requests, ref, ids = collected_foi(archive)
    red = Redactions(archive, PACK)
    red.propose(ref, actor=CLERK)
    red.decide(ref, accept=True, actor=CLERK, note=LIT)
    return requests, red, ref, ids


def test_foi_bundle_pdf_and_zip_show_markers_never_the_redacted_words(archive, tmp_path):
    requests, red, ref, ids = ready_foi(archive)
    bundle = export_bundle(archive, ref, tmp_path, actor=CLERK, pack=PACK, today=TODAY, created=CREATED)
    assert (bundle.disclosed, bundle.withheld, bundle.not_held, bundle.draft) == (
        (ids["complaint"], ids["reply"]), (ids["legal"],), (), False)
    assert bundle.pdf_sha256 == hashlib.sha256(bundle.pdf.read_bytes()).hexdigest()

    pages = pdf_pages(bundle.pdf)
    cover, records = pages[0], pages[1:]
    for words in ("Croxley Green Parish Council", f"Freedom of Information request {ref}", "Requester: Sam Writer",
                  "Received: 10 March 2025", "Due: 8 April 2025", "Holidays not counted: Monday 17 March 2025",
                  "All correspondence about verge parking", "2 record(s), each starting on its own page",
                  "redaction(s) marked [REDACTED: s40(2)]: FOIA s40(2): personal data of someone other",
                  f"Record {ids['legal']} (5 March 2025) withheld in full: s42 legal professional privilege."):
        assert words in " ".join(cover.split()), words
    assert [p.split("\n")[0] for p in records] == [f"Record {ids['complaint']} (1 of 2)",
                                                   f"Record {ids['reply']} (2 of 2)"]
    everything = "\n".join(pages)
    for words in GONE:
        assert words not in everything, words
    assert everything.count("[REDACTED: s40(2)]") >= bundle.redactions + 1  # plus the cover's explanation
    assert "Cllr Sharma said she would look into it" in everything and "Dear Helen Marsh" in everything
    assert "solicitor" not in everything  # the withheld record's text is nowhere
    assert all(f"{ref} - page {n} of {len(pages)}" in p for n, p in enumerate(pages, 1))

    with zipfile.ZipFile(bundle.zip) as z:
        names = z.namelist()
        texts = {n: z.read(n).decode("utf-8") for n in names if n.endswith(".txt")}
    assert names == [f"{ref}/cover.txt", f"{ref}/records/001-record-{ids['complaint']}.txt",
                     f"{ref}/records/002-record-{ids['reply']}.txt", f"{ref}/schedule.csv"]
    for name, text in texts.items():
        assert not any(w in text for w in GONE), name
    assert "[REDACTED: s40(2)] ([REDACTED: s40(2)]) keeps parking" in texts[names[1]]

    columns, rows = schedule(bundle.zip)
    assert columns == SCHEDULE_COLUMNS
    applied = [r for r in red.list_redactions(ref) if r.decision == "redact"]
    redacted_rows = [r for r in rows if r["action"] == "redacted"]
    assert sorted(int(r["item"]) for r in redacted_rows) == sorted(r.id for r in applied)
    assert len(applied) == bundle.redactions
    assert {(r["reference"], r["ground"]) for r in redacted_rows} == {(ref, "s40(2)")}
    assert {r["what"] for r in redacted_rows} == {"a name", "an e-mail address", "a phone number"}
    assert {"From line", "body, line 2"} <= {r["location"] for r in redacted_rows}
    assert [r for r in rows if r["action"] != "redacted"] == [{
        "reference": ref, "record": str(ids["legal"]), "date": "2025-03-05", "item": "", "action": "withheld in full",
        "location": "whole record", "what": "the whole record", "ground": "s42 legal professional privilege",
        "explanation": "s42 legal professional privilege"}]

    assert [e.kind for e in archive.events(ids["complaint"])][-1] == "request-disclosed"
    assert [e.kind for e in archive.events(ids["legal"])][-1] == "request-withheld"
    exported = requests.history(ref)[-1]
    assert (exported.kind, exported.detail["pdf_sha256"], exported.detail["zip_sha256"]) == (
        "exported", bundle.pdf_sha256, bundle.zip_sha256)
    assert archive.verify().ok


NOT_READY = [  # what is left undone, what the refusal says
    ("review", "1 record(s) await review"),
    ("propose", "were never looked at for personal data"),
    ("decide", "have undecided redaction proposals"),
]


@pytest.mark.parametrize("undone, message", NOT_READY)
def test_a_final_bundle_is_refused_while_anything_is_undecided_but_a_draft_is_not(archive, tmp_path, undone, message):
    requests, ref, ids = collected_foi(archive)
    red = Redactions(archive, PACK)
    if undone == "review":
        requests.add_records(ref, [ids["other"]], actor=CLERK)
    if undone != "propose":
        red.propose(ref, actor=CLERK)
        if undone != "decide":
            red.decide(ref, accept=True, actor=CLERK, note=LIT)
    with pytest.raises(RequestError, match=f"{ref} is not ready to send: .*{re.escape(message)}"):
        export_bundle(archive, ref, tmp_path / "out", actor=CLERK, pack=PACK, today=TODAY)
    assert not (tmp_path / "out").exists()
    draft = export_bundle(archive, ref, tmp_path / "out", actor=CLERK, pack=PACK, today=TODAY, draft=True)
    assert draft.pdf.name == f"{ref}-DRAFT.pdf" and draft.draft
    pages = pdf_pages(draft.pdf)
    assert "DRAFT: redactions not yet decided by the Clerk. Not for sending." in pages[0]
    assert all("DRAFT, not for sending" in p for p in pages)
    if undone != "propose":  # undecided proposals are applied as made
        assert not any(w in "\n".join(pages) for w in ("Peter Grant", "07700 900456"))
    assert [e.kind for e in archive.events(ids["complaint"])][-1] != "request-disclosed"  # drafts are not sent


def test_subject_access_bundle_keeps_the_subjects_data_and_cites_the_dpa(archive, tmp_path):
    ids = verge_records(archive)
    requests = Requests(archive)
    ref = requests.register("sar", received=date(2025, 3, 12), requester=Requester("Joan Baker"), subject=JOAN,
                            wording="Everything you hold about me.", actor=CLERK, today=TODAY).reference
    requests.collect(ref, actor=CLERK)
    requests.review(ref, [ids["complaint"], ids["reply"]], scope="in", actor=CLERK)
    red = Redactions(archive, PACK)
    red.propose(ref, actor=CLERK)
    red.decide(ref, accept=True, actor=CLERK)
    bundle = export_bundle(archive, ref, tmp_path, actor=CLERK, pack=PACK, today=TODAY, created=CREATED)
    text = "\n".join(pdf_pages(bundle.pdf))
    assert f"Subject access request {ref}" in text and "Due: 14 April 2025" in text
    assert "From: Joan Baker <joan.baker@example.com>" in text and "07700 900123" in text
    assert "Peter Grant" not in text and "07700 900456" not in text
    assert "[REDACTED: DPA 2018 Sch 2 para 16]" in text
    _, rows = schedule(bundle.zip)
    assert {(r["ground"], r["explanation"].split(":")[0]) for r in rows} == {
        ("DPA 2018 Sch 2 para 16", "third party data (DPA 2018 Sch 2 para 16)")}


def test_a_record_no_longer_held_is_listed_as_not_held(archive, tmp_path):
    requests, ref, ids = collected_foi(archive)
    gone = archive.add(forwarded_with_attachments()).id
    archive.delete_content(gone, reason="past retention", rule="emails-2y", actor=CLERK)
    requests.add_records(ref, [gone], actor=CLERK)
    requests.review(ref, [gone], scope="in", actor=CLERK)
    red = Redactions(archive, PACK)
    red.propose(ref, actor=CLERK)
    red.decide(ref, accept=True, actor=CLERK, note=LIT)
    with pytest.raises(RequestError, match=f"were never looked at for personal data \\({gone}\\)"):
        export_bundle(archive, ref, tmp_path, actor=CLERK, pack=PACK, today=TODAY)
    draft = export_bundle(archive, ref, tmp_path, actor=CLERK, pack=PACK, today=TODAY, draft=True)
    assert draft.not_held == (gone,)
    _, rows = schedule(draft.zip)
    row = next(r for r in rows if r["record"] == str(gone))
    assert (row["action"], row["ground"]) == ("not held", "not held")
    assert "under the retention schedule (emails-2y)" in row["explanation"]


def test_bundle_files_are_the_same_for_the_same_decisions_and_a_bad_folder_is_named(archive, tmp_path):
    _, _, ref, _ = ready_foi(archive)
    first = export_bundle(archive, ref, tmp_path / "a", actor=CLERK, pack=PACK, today=TODAY, created=CREATED)
    second = export_bundle(archive, ref, tmp_path / "b", actor=CLERK, pack=PACK, today=TODAY, created=CREATED)
    assert (first.pdf_sha256, first.zip_sha256) == (second.pdf_sha256, second.zip_sha256)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(RequestError, match=f"cannot write the bundle into {blocker}"):
        export_bundle(archive, ref, blocker, actor=CLERK, pack=PACK, today=TODAY)


# --- the CSV and the PDF writer -------------------------------------------------------------------------

CELLS = [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+44 7700", "'+44 7700"), ("-1", "'-1"), ("@me", "'@me"),
         ("s40(2)", "s40(2)"), (12, "12"), ("", "")]


@pytest.mark.parametrize("value, expected", CELLS)
def test_schedule_cells_never_run_as_spreadsheet_formulas(value, expected):
    assert _cell(value) == expected


WRAPS = [  # line, width in points at 10 pt, expected lines
    ("short line", 400, ["short line"]),
    ("aaaa bbbb cccc", text_width("aaaa bbbb", 10), ["aaaa bbbb", "cccc"]),
    ("x" * 30, text_width("x" * 10, 10), ["x" * 10, "x" * 10, "x" * 10]),  # a word longer than a line is cut
    ("", 100, [""]),
    ("see [REDACTED: s40(2)] here", text_width("[REDACTED: s40(2)] h", 10), ["see", "[REDACTED: s40(2)]", "here"]),
]


@pytest.mark.parametrize("line, width, expected", WRAPS)
def test_wrap_breaks_at_spaces_and_cuts_long_words(line, width, expected):
    assert wrap(line, width, 10) == expected


def test_a_long_unbroken_word_is_cut_in_one_pass(monkeypatch):
    """A pasted line of base64 in a disclosed e-mail: cut across lines, reading each character about once
    (trying ever shorter prefixes took minutes for a few thousand characters)."""
    from councilguard.records import pdf_text

    read = []
    units = pdf_text._units
    monkeypatch.setattr(pdf_text, "_units", lambda ch: read.append(ch) or units(ch))
    word = "QUJD" * 25_000
    lines = wrap(f"see {word} here", 480, 10)
    assert len(read) < 3 * len(word)  # measuring the whole line once, then cutting it
    assert lines[0] == "see" and "".join(lines[1:]) == word + " here"  # the last piece is joined by the next word
    assert all(text_width(line, 10) <= 480 for line in lines) and len(lines) > 100


def test_pdf_writer_makes_a_valid_pdf_that_reads_back():
    pdf = TextPdf(title="Bundle (test) \\ £", footer="FOI-2025-001")
    pdf.section([Para("Cover", "title"), Para("Brackets (kept) and a backslash \\ and £5 café, “quotes”; 日本")])
    pdf.section([Para("\n".join(f"line {i}" for i in range(130)))])  # 56 lines a page at 10 pt: three pages
    data = pdf.to_bytes(created=CREATED)
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(data), strict=True)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 4
    assert "Brackets (kept) and a backslash \\ and £5 café, “quotes”; ??" in pages[0]
    assert ("line 0\n" in pages[1] and "line 55\n" in pages[1] and "line 56\n" in pages[2] and "line 129" in pages[3]
            and "FOI-2025-001 - page 4 of 4" in pages[3])
    assert reader.metadata.title == "Bundle (test) \\ £" and reader.metadata.creation_date.year == 2025
    offset = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[offset:offset + 4] == b"xref"
    assert TextPdf(title="empty").to_bytes(created=CREATED).count(b"/Type /Page ") == 1


def test_characters_the_pdf_font_lacks_are_kept_in_the_zip_and_the_cover_says_so(archive, tmp_path):
    requests = Requests(archive)
    record = archive.add(mail("tanaka@example.jp", ["clerk@croxleygreen-pc.gov.uk"], "Twinning visit",
                              "The twinning visit from 多摩 is on Thursday.")).id
    ref = requests.register("foi", received=date(2025, 3, 10), requester=Requester("Sam Writer"), actor=CLERK,
                            wording="The twinning visit.", today=TODAY).reference
    requests.add_records(ref, [record], actor=CLERK)
    requests.review(ref, [record], scope="in", actor=CLERK)
    red = Redactions(archive, PACK)
    red.propose(ref, actor=CLERK)
    decided = red.decide(ref, accept=True, actor=CLERK, note=LIT)
    assert [(r.text, r.decision) for r in decided] == [("tanaka@example.jp", "redact"),
                                                       ("clerk@croxleygreen-pc.gov.uk", "keep")]
    bundle = export_bundle(archive, ref, tmp_path / "out", actor=CLERK, pack=PACK, today=TODAY)
    pages = pdf_pages(bundle.pdf)
    assert "print as '?'" in pages[0] and "from ?? is on Thursday" in pages[1]
    with zipfile.ZipFile(bundle.zip) as z:
        assert "from 多摩 is on Thursday" in z.read(f"{ref}/records/001-record-{record}.txt").decode("utf-8")
