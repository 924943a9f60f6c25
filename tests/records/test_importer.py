"""The archive importer over real mbox files and .eml folders built in tmp_path, into real databases.

Covers how an mbox is split and un-escaped (table-driven), what the archive holds afterwards (exact raw
bytes, subjects, senders, findings searchable by rule, problems as events), duplicates, broken and
empty messages, and resuming: a limit, an interrupt, a grown or rewritten mbox, a re-run of a folder.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.header import Header
from pathlib import Path

import pytest

from councilguard.records.importer import (EmlSource, ImportSourceError, ImportState, MboxSource, open_path,
                                           run_import)
from councilguard.records.search import SearchCriteria

NI_BODY = ("Please note Mr Dave Smith's National Insurance number is QQ 12 34 56 C and he lives at "
           "12 High Street.\n")


def mail(n: int, subject: str | None = None, body: str = "The bus shelter on the Green needs repair.\n",
         sender: str | None = None, eol: str = "\n") -> bytes:
    """One message as a mail client writes it (before any mbox escaping)."""
    subject = subject or f"Bus shelter {n}"
    subject = subject if subject.isascii() else Header(subject, "utf-8").encode()
    lines = [f"From: {sender or f'Resident {n} <resident{n}@example.org>'}", "To: clerk@croxley.gov.uk",
             f"Subject: {subject}", f"Date: Mon, 4 Mar 2024 09:{n:02d}:00 +0000", f"Message-ID: <{n}@example.org>",
             "", *body.rstrip("\n").split("\n")]
    return (eol.join(lines) + eol).encode()


def envelope(n: int) -> bytes:
    return f"From resident{n}@example.org Mon Mar  4 10:{n:02d}:00 2024\n".encode()


def write_mbox(path: Path, messages: list[tuple[bytes, bytes]]) -> Path:
    """An mbox of (envelope line, already escaped message ending in a newline) pairs, each followed by a
    blank line, as mbox writers do."""
    with path.open("ab") as f:
        for env, raw in messages:
            f.write(env + raw + b"\n")
    return path


def read(path: Path, quoting: str = "mboxrd"):
    source = MboxSource(path, quoting=quoting)
    source.start(None)
    return list(source.messages())


# --- splitting and un-escaping ----------------------------------------------------------------------

E1 = b"From a@example.org Mon Mar  4 09:30:00 2024\n"
E2 = b"From b@example.org Tue Mar  5 10:00:00 2024\n"
H = b"Subject: s\n\n"


@pytest.mark.parametrize("mbox, quoting, expected", [
    (E1 + H + b"one\n\n" + E2 + H + b"two\n", "mboxrd", [H + b"one\n", H + b"two\n"]),
    # an unescaped "From " in a body, after a blank line, that is no From_ line: not a new message
    (E1 + H + b"Hello\n\nFrom the Clerk's desk: minutes attached.\n\n" + E2 + H + b"two\n", "mboxrd",
     [H + b"Hello\n\nFrom the Clerk's desk: minutes attached.\n", H + b"two\n"]),
    # a From_ line not after a blank line is body text too
    (E1 + H + b"quoted:\n" + E2 + b"end\n", "mboxrd", [H + b"quoted:\n" + E2 + b"end\n"]),
    (E1 + H + b">From here\n>>From there\n>>>From afar\n", "mboxrd",
     [H + b"From here\n>From there\n>>From afar\n"]),
    (E1 + H + b">From here\n>>From there\n", "mboxo", [H + b"From here\n>>From there\n"]),
    (E1 + H + b">From here\n", "none", [H + b">From here\n"]),
    (E1 + H + b"a >From inside a line stays\n", "mboxrd", [H + b"a >From inside a line stays\n"]),
    # CRLF files keep their CRLFs; only the separating blank line goes
    (E1.replace(b"\n", b"\r\n") + b"Subject: s\r\n\r\none\r\n\r\n" + E2.replace(b"\n", b"\r\n")
     + b"Subject: t\r\n\r\ntwo\r\n\r\n", "mboxrd", [b"Subject: s\r\n\r\none\r\n", b"Subject: t\r\n\r\ntwo\r\n"]),
    # an envelope with nothing after it: an empty message, still reported in its place
    (E1 + b"\n" + E2 + H + b"two\n", "mboxrd", [b"", H + b"two\n"]),
    # a file whose first line is no standard From_ line: any "From " after a blank line separates
    (b"From someone\n" + H + b"one\n\nFrom someone else\n" + H + b"two\n", "mboxrd", [H + b"one\n", H + b"two\n"]),
    # Gmail's envelope (numeric zone before the year)
    (b"From 1797@xxx Wed Oct 04 10:11:12 +0000 2023\n" + H + b"x\n", "mboxrd", [H + b"x\n"]),
])
def test_mbox_is_split_at_from_lines_and_unescaped(tmp_path, mbox, quoting, expected):
    path = tmp_path / "in.mbox"
    path.write_bytes(mbox)
    assert [m.raw for m in read(path, quoting)] == expected


@pytest.mark.parametrize("line, when, sender", [
    (b"From a@example.org Mon Mar  4 09:30:00 2024\n", datetime(2024, 3, 4, 9, 30, tzinfo=timezone.utc),
     "a@example.org"),
    (b"From 1797@xxx Wed Oct 04 10:11:12 +0100 2023\n", datetime(2023, 10, 4, 9, 11, 12, tzinfo=timezone.utc),
     "1797@xxx"),
    (b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n", datetime(2011, 7, 8, 12, 8, 34, tzinfo=timezone.utc),
     "MAILER-DAEMON"),
    (b"From - Thu Feb 30 99:00:00 2024\n", None, "-"),  # Thunderbird's '-' and an impossible date
])
def test_envelope_gives_received_time_and_sender(tmp_path, line, when, sender):
    path = tmp_path / "in.mbox"
    path.write_bytes(line + H + b"x\n")
    [msg] = read(path)
    assert (msg.received_at, msg.envelope_sender, msg.position) == (when, sender, "message 1 (byte 0)")


# --- what the archive holds ---------------------------------------------------------------------------

BROKEN = b"\x00\x01\x02\xff\xfe garbage with no headers at all\n\nmore\n"
ACCENTED = mail(5, "Café opening hours – Öffnungszeiten", sender="=?utf-8?q?Zo=C3=AB_=C5=B4illiams?= <zoe@example.org>")
RAW_8BIT = "From: Zoë Ŵilliams <zoe@example.org>\nSubject: Grüße aus dem Rathaus\n\nHallo\n".encode()


def council_mbox(path: Path) -> Path:
    body_with_from = "Minutes below.\n\nFrom the Clerk's desk: the hall is booked.\n"
    return write_mbox(path, [
        (envelope(1), mail(1)),
        (envelope(2), mail(2, body=body_with_from).replace(b"\nFrom the", b"\n>From the")),  # escaped by the writer
        (envelope(3), BROKEN),
        (envelope(4), mail(1)),  # the same message again
        (envelope(5), ACCENTED),
        (envelope(6), RAW_8BIT),
        (envelope(7), mail(7, "Resident's details", NI_BODY)),
        (envelope(8), b""),  # an envelope and nothing else
    ])


def test_an_mbox_is_archived_exactly_checked_and_searchable(tmp_path, archive, checker):
    path = council_mbox(tmp_path / "council.mbox")
    summary = run_import(MboxSource(path), archive, checker=checker, state=None, actor="clerk")
    assert (summary.seen, summary.imported, summary.duplicates, summary.not_archived) == (8, 6, 1, 1)
    records = {r.subject: r for r in (archive.get(i) for i in range(1, 7))}
    assert {s: (r.sender, r.source, r.disposition) for s, r in records.items()} == {
        "Bus shelter 1": ("Resident 1 <resident1@example.org>", "import:mbox", "imported"),
        "Bus shelter 2": ("Resident 2 <resident2@example.org>", "import:mbox", "imported"),
        "": ("resident3@example.org", "import:mbox", "imported"),  # no From header: the envelope's sender
        "Café opening hours – Öffnungszeiten": ("Zoë Ŵilliams <zoe@example.org>", "import:mbox", "imported"),
        "Grüße aus dem Rathaus": ("Zoë Ŵilliams <zoe@example.org>", "import:mbox", "imported"),
        "Resident's details": ("Resident 7 <resident7@example.org>", "import:mbox", "imported"),
    }
    # the bytes are the message as sent: the writer's ">From " escaping is undone, nothing else changes
    assert archive.raw(records["Bus shelter 2"].id) == mail(2, body="Minutes below.\n\nFrom the Clerk's desk: "
                                                                    "the hall is booked.\n")
    assert archive.raw(records[""].id) == BROKEN
    assert archive.raw(records["Grüße aus dem Rathaus"].id) == RAW_8BIT
    assert records["Bus shelter 1"].received_at == datetime(2024, 3, 4, 10, 1, tzinfo=timezone.utc)  # envelope
    details = records["Resident's details"]
    assert ([(f.rule, f.severity) for f in details.findings], details.verdict) == ([("personal-data", "block")],
                                                                                   "block")
    assert [h.record_id for h in archive.search(SearchCriteria(rule="personal-data")).hits] == [details.id]
    assert archive.search("hall booked").hits[0].record_id == records["Bus shelter 2"].id
    assert summary.findings["personal-data"] == 1
    assert archive.verify().ok


def test_problems_are_listed_by_position_and_kept_as_events(tmp_path, archive):
    path = council_mbox(tmp_path / "council.mbox")
    log = tmp_path / "problems.jsonl"
    with log.open("w") as out:
        summary = run_import(MboxSource(path), archive, checker=None, state=None, actor="clerk", problem_log=out)
    at = [m.position for m in read(path)]
    by_position: dict[str, list] = {}
    for p in summary.problems:
        by_position.setdefault(p.position, []).append(p)
    assert list(by_position) == [at[2], at[5], at[7]]  # the broken, the 8-bit and the empty message
    assert at[2].startswith("message 3 (byte ") and at[7].startswith("message 8 (byte ")
    [empty] = by_position[at[7]]
    assert (empty.problem, empty.record_id) == ("the message is empty: there is nothing to archive", None)
    broken = by_position[at[2]]
    assert "the headers begin with a continuation line" in [p.problem for p in broken]
    events = archive.events(broken[0].record_id)
    assert [e.kind for e in events] == ["archived", "import-problems"]
    assert (events[1].detail["position"], events[1].detail["problems"]) == (at[2], [p.problem for p in broken])
    assert any("8-bit characters without encoding" in p.problem for p in by_position[at[5]])
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(lines) == summary.problem_count == len(summary.problems)
    assert {"position": at[7], "problem": empty.problem, "record": None} in lines


@pytest.mark.parametrize("raw, kept", [
    (b"Message-ID: <" + b"a" * 1200 + b"@example.org>\nFrom: a@example.org\nSubject: Long id\n\nbody\n",
     "archive item: message_id: the value is 1214 characters long"),
    (b"From: " + b"a" * 400 + b"@example.org\nSubject: Long address\n\nbody\n",
     "archive item: sender: the address is 412 characters long"),
])
def test_headers_the_archive_cannot_hold_still_leave_the_message_archived(tmp_path, archive, raw, kept):
    path = write_mbox(tmp_path / "odd.mbox", [(envelope(1), raw)])
    summary = run_import(MboxSource(path), archive, checker=None, state=None, actor="clerk")
    assert summary.imported == 1
    [problem] = summary.problems
    assert kept in problem.problem and "archived with its raw bytes and text only" in problem.problem
    record = archive.get(problem.record_id)
    assert (archive.raw(record.id), record.message_id, record.body_text) == (raw, None, "body")


@pytest.mark.parametrize("from_header, sender", [
    ('"Smith, Jane" <jane@example.org>', '"Smith, Jane" <jane@example.org>'),
    ("Dr. J. Smith <js@example.org>", '"Dr. J. Smith" <js@example.org>'),
    ('"O\'Brien (Clerk)" <clerk@croxley.gov.uk>', '"O\'Brien (Clerk)" <clerk@croxley.gov.uk>'),
    ("jane@example.org", "jane@example.org"),
])
def test_display_names_are_kept_so_that_search_by_sender_still_finds_the_address(tmp_path, archive, from_header,
                                                                                 sender):
    path = write_mbox(tmp_path / "in.mbox", [(envelope(1), mail(1, sender=from_header))])
    run_import(MboxSource(path), archive, checker=None, state=None, actor="clerk")
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    assert archive.get(1).sender == sender
    assert [h.record_id for h in archive.search(SearchCriteria(sender=address)).hits] == [1]


# --- resuming -----------------------------------------------------------------------------------------


def test_a_limited_run_then_a_grown_mbox_continue_from_the_byte_offset(tmp_path, archive):
    path = write_mbox(tmp_path / "inbox.mbox", [(envelope(n), mail(n)) for n in range(1, 6)])
    state = ImportState(tmp_path / "state.json")
    first = run_import(MboxSource(path), archive, checker=None, state=state, actor="clerk", limit=3)
    assert (first.seen, first.imported) == (3, 3)
    cursor = state.get(MboxSource(path).key)
    assert (cursor["index"], path.read_bytes()[cursor["offset"]:].startswith(envelope(4))) == (3, True)
    write_mbox(path, [(envelope(n), mail(n)) for n in range(6, 8)])  # new mail arrives
    second = run_import(MboxSource(path), archive, checker=None, state=state, actor="clerk")
    assert second.note == f"resuming after message 3 (byte {cursor['offset']:,})"
    assert (second.seen, second.imported, second.duplicates) == (4, 4, 0)
    assert [p.position for p in second.problems] == []
    assert sorted(archive.get(i).subject for i in range(1, 8)) == [f"Bus shelter {n}" for n in range(1, 8)]


def test_an_interrupted_import_keeps_its_batch_and_the_rerun_finishes(tmp_path, archive):
    path = write_mbox(tmp_path / "inbox.mbox", [(envelope(n), mail(n)) for n in range(1, 11)])
    state = ImportState(tmp_path / "state.json")

    def ctrl_c_at_four(done: int, total: int | None) -> None:
        assert total == 10
        if done == 4:
            raise KeyboardInterrupt

    stopped = run_import(MboxSource(path), archive, checker=None, state=state, actor="clerk", batch_size=3,
                         on_progress=ctrl_c_at_four)
    assert (stopped.interrupted, stopped.seen, stopped.imported, archive.count()) == (True, 4, 4, 4)
    assert state.get(MboxSource(path).key)["index"] == 4
    rest = run_import(MboxSource(path), archive, checker=None, state=state, actor="clerk", batch_size=3)
    assert (rest.interrupted, rest.seen, rest.imported, rest.duplicates) == (False, 6, 6, 0)
    assert archive.count() == 10
    assert archive.verify().ok


def test_a_rewritten_mbox_is_read_again_and_only_new_messages_are_archived(tmp_path, archive):
    path = write_mbox(tmp_path / "inbox.mbox", [(envelope(n), mail(n)) for n in range(1, 4)])
    state = ImportState(tmp_path / "state.json")
    run_import(MboxSource(path), archive, checker=None, state=state, actor="clerk")
    path.unlink()
    write_mbox(path, [(envelope(n), mail(n)) for n in (0, 1, 2, 3)])  # a new first message: a different file
    again = run_import(MboxSource(path), archive, checker=None, state=state, actor="clerk")
    assert again.note == "the mbox has changed since the last import: reading it again from the start"
    assert (again.seen, again.imported, again.duplicates) == (4, 1, 3)


def test_cursors_of_different_sources_share_one_state_file(tmp_path):
    state = ImportState(tmp_path / "db.sqlite.import-state.json")
    state.put("mbox:/a", {"offset": 10})
    ImportState(state.path).put("imap:clerk@host:993/INBOX", {"uidvalidity": 7, "last_uid": 42})
    assert (state.get("mbox:/a"), state.get("imap:clerk@host:993/INBOX"), state.get("eml:/b")) == (
        {"offset": 10}, {"uidvalidity": 7, "last_uid": 42}, None)
    assert ImportState.beside(Path("/srv/council.db")).path == Path("/srv/council.db.import-state.json")


def test_a_damaged_state_file_is_a_clear_error(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("{not json")
    with pytest.raises(ImportSourceError, match="state.json: the import state file cannot be read .*delete it"):
        ImportState(path).get("mbox:/a")


# --- .eml folders and choosing a source ----------------------------------------------------------------


def test_an_eml_folder_is_read_recursively_and_a_rerun_skips_everything(tmp_path, archive):
    root = tmp_path / "exported"
    (root / "2019" / "planning").mkdir(parents=True)
    (root / "2019" / "planning" / "hedge.eml").write_bytes(mail(1))
    (root / "2019" / "BENCH.EML").write_bytes(ACCENTED)
    (root / "2020.eml").write_bytes(mail(1))  # the same bytes as hedge.eml
    (root / "broken.eml").write_bytes(BROKEN)
    (root / "empty.eml").write_bytes(b"")
    (root / "notes.txt").write_text("not mail")
    first = run_import(EmlSource(root), archive, checker=None, state=None, actor="clerk")
    assert (first.seen, first.imported, first.duplicates, first.not_archived) == (5, 3, 1, 1)
    assert sorted({p.position for p in first.problems}) == ["broken.eml", "empty.eml"]
    assert {archive.get(i).source for i in range(1, 4)} == {"import:eml"}
    broken = next(p.record_id for p in first.problems if p.position == "broken.eml")
    assert (archive.get(broken).sender, archive.raw(broken)) == ("(sender unknown) <unknown@invalid>", BROKEN)
    again = run_import(EmlSource(root), archive, checker=None, state=None, actor="clerk")
    assert (again.seen, again.imported, again.duplicates) == (5, 0, 4)


def test_open_path_picks_the_source_by_what_the_file_is(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "one.eml").write_bytes(mail(1))
    write_mbox(tmp_path / "Inbox", [(envelope(1), mail(1))])
    assert [type(open_path(tmp_path / name)).__name__ for name in ("folder", "one.eml", "Inbox")] == [
        "EmlSource", "EmlSource", "MboxSource"]


@pytest.mark.parametrize("name, content, message", [
    ("missing.mbox", None, "no such file or folder"),
    ("notes.txt", b"Dear Clerk", "neither an mbox file (it does not begin with a 'From ' line) nor "
                                 "an .eml file nor a folder of .eml files"),
])
def test_unusable_paths_are_clear_errors(tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(ImportSourceError) as err:
        open_path(tmp_path / name)
    assert str(err.value) == f"{tmp_path / name}: {message}"


def test_an_mbox_that_is_not_one_is_refused_before_anything_is_read(tmp_path, archive):
    path = tmp_path / "inbox.mbox"
    path.write_bytes(mail(1))
    with pytest.raises(ImportSourceError, match="inbox.mbox: not an mbox file: it does not begin with a 'From '"):
        run_import(MboxSource(path), archive, checker=None, state=None, actor="clerk")
    assert archive.count() == 0
