"""Loading existing council mail into the records archive: an mbox file, a folder of .eml files, or IMAP.

Years of mail predate the relay, and they are official records too, so each message is parsed, checked
(its findings are kept, so the archive can be searched by rule) and archived with disposition
"imported". Nothing is dropped: a message the parser cannot read is archived raw, with its problems
recorded as an 'import-problems' event on the record and listed in the summary.

A mailbox can hold a million messages, so the import is resumable. The archive never stores the same
raw bytes twice, and each message is looked up by its SHA-256 before it is parsed or checked; a small
cursor per source (the mbox byte offset, the last IMAP UID under its UIDVALIDITY) is kept in a JSON file
beside the database, so a re-run after Ctrl-C starts where the last one stopped instead of rereading.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol, TextIO


from councilguard.engine import Checker
from councilguard.errors import CouncilguardError
from councilguard.records.archive import Archive, ArchivedAttachment, ArchiveItem
from councilguard.records.archive_errors import ArchiveItemError
from councilguard.records.mail import ParsedMail, as_text, parse_mail, to_message

UNKNOWN_SENDER = "(sender unknown) <unknown@invalid>"
KEPT_PROBLEMS = 1000  # problems kept in memory for the summary; all go to the archive and the problem log
_SPECIALS = re.compile(r'[()<>@,;:\\".\[\]]')


class ImportSourceError(CouncilguardError):
    """A source that cannot be read: a missing file, a file that is not mail, an IMAP server that refuses."""


@dataclass(frozen=True)
class SourceMessage:
    """One message as a source hands it over: raw bytes, where it was, and the cursor to save once done."""

    position: str  # for people: "message 17 (byte 40312)", "2019/hall.eml", "UID 4242"
    raw: bytes
    received_at: datetime | None = None  # mbox From_ line date, IMAP INTERNALDATE
    envelope_sender: str | None = None
    cursor: dict[str, Any] | None = None  # where to resume after this message (None: nothing to save)
    problem: str | None = None  # the source could not deliver it (unreadable file, gone from the server)


class Source(Protocol):
    """A mail source: ``start`` (given the saved cursor) says how many messages to expect, if known."""

    kind: str  # mbox | eml | imap: the archive source becomes "import:<kind>"
    key: str  # identifies the source in the state file
    label: str  # for people

    def start(self, cursor: dict[str, Any] | None) -> tuple[int | None, str | None]: ...
    def messages(self) -> Iterator[SourceMessage]: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Problem:
    position: str
    problem: str
    record_id: int | None  # None: not archived (e.g. an empty file)


@dataclass
class ImportSummary:
    source: str
    seen: int = 0
    imported: int = 0
    duplicates: int = 0
    not_archived: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    findings: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False
    error: str | None = None  # the source failed midway; what was imported before it is kept
    note: str | None = None
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.seen / self.seconds if self.seconds > 0 else 0.0


# --- the cursor file --------------------------------------------------------------------------------


class ImportState:
    """Per-source cursors in a small JSON file, rewritten atomically (and re-read first, so two imports of
    different sources into one archive keep each other's cursors)."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def beside(cls, database: str | Path) -> ImportState:
        return cls(Path(f"{database}.import-state.json"))

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ImportSourceError(f"{self.path}: the import state file cannot be read ({exc}); delete it to "
                                    "start again (messages already archived are still skipped)") from None
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> dict[str, Any] | None:
        entry = self._load().get(key)
        return entry.get("cursor") if isinstance(entry, dict) else None

    def put(self, key: str, cursor: dict[str, Any]) -> None:
        data = self._load()
        data[key] = {"cursor": cursor, "updated": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


# --- mbox ------------------------------------------------------------------------------------------

_ENVELOPE = re.compile(rb"From (\S*) +((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [^\r\n]*)", re.I)
_UNQUOTE = {"mboxrd": (re.compile(rb"^>(>*From )", re.M), rb"\1"), "mboxo": (re.compile(rb"^>(From )", re.M), rb"\1")}
_HEAD = 4096


def _envelope_date(text: str) -> datetime | None:
    for fmt in ("%a %b %d %H:%M:%S %Y", "%a %b %d %H:%M:%S %z %Y", "%a %b %d %H:%M %Y"):
        try:
            when = datetime.strptime(" ".join(text.split()), fmt)
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return None


class MboxSource:
    """An mbox file read line by line from a byte offset; the bytes of each message are kept as written.

    A line starting "From " begins a message only after a blank line and, when the file's first line is
    a standard From_ line, only if it looks like one too, so an unquoted "From " in a body does not split
    a message. ``quoting`` undoes the writer's escaping of body lines: "mboxrd" turns ">From " into
    "From " and ">>From " into ">From "; "mboxo" only the first; "none" keeps every byte.
    """

    kind = "mbox"

    def __init__(self, path: Path, *, quoting: str = "mboxrd"):
        if quoting not in ("mboxrd", "mboxo", "none"):
            raise ImportSourceError(f"From_-line quoting {quoting!r}: expected mboxrd, mboxo or none")
        self.path, self.quoting = Path(path), quoting
        self.key = f"mbox:{self.path.resolve()}"
        self.label = str(self.path)
        self._offset = self._index = 0

    def start(self, cursor: dict[str, Any] | None) -> tuple[int | None, str | None]:
        with self.path.open("rb") as f:
            head = f.read(_HEAD)
        if not head.startswith(b"From "):
            raise ImportSourceError(f"{self.path}: not an mbox file: it does not begin with a 'From ' line")
        self._strict = _ENVELOPE.match(head) is not None
        self._identity = {"head": hashlib.sha256(head).hexdigest(), "head_bytes": len(head)}
        note = None
        if cursor:  # the same file (its first bytes unchanged), perhaps with mail appended since
            size, known = self.path.stat().st_size, cursor.get("head_bytes", 0)
            same = cursor.get("head") == hashlib.sha256(head[:known]).hexdigest() and known <= len(head)
            if same and 0 < cursor.get("offset", 0) <= size:
                self._offset, self._index = cursor["offset"], cursor.get("index", 0)
                note = f"resuming after message {self._index} (byte {self._offset:,})"
            else:
                note = "the mbox has changed since the last import: reading it again from the start"
        return self._count(), note

    def _count(self) -> int:
        """Messages from the offset on, estimated fast: 'From ' lines after a blank line."""
        with self.path.open("rb") as f:
            f.seek(self._offset)
            tail = f.read(5)
            found = int(tail == b"From ")
            while chunk := f.read(1 << 24):
                data = tail + chunk
                found += data.count(b"\n\nFrom ") + data.count(b"\n\r\nFrom ")
                tail = data[-8:]
                found -= tail.count(b"\n\nFrom ") + tail.count(b"\n\r\nFrom ")  # counted again next time
        return found

    def _starts(self, line: bytes, after_blank: bool) -> bool:
        return line.startswith(b"From ") and after_blank and (not self._strict or bool(_ENVELOPE.match(line)))

    def messages(self) -> Iterator[SourceMessage]:
        with self.path.open("rb") as f:
            f.seek(self._offset)
            pos = start = self._offset
            envelope: bytes | None = None
            lines: list[bytes] = []
            blank = True
            for line in f:
                if self._starts(line, blank):
                    if envelope is not None:
                        yield self._message(envelope, lines, start, pos)
                    envelope, lines, start = line, [], pos
                else:
                    lines.append(line)
                blank = line in (b"\n", b"\r\n")
                pos += len(line)
            if envelope is not None:
                yield self._message(envelope, lines, start, pos)

    def _message(self, envelope: bytes, lines: list[bytes], start: int, end: int) -> SourceMessage:
        if lines and lines[-1] in (b"\n", b"\r\n"):
            lines.pop()  # the blank line the mbox writer put between messages
        raw = b"".join(lines)
        if self.quoting != "none" and b">From " in raw:
            pattern, repl = _UNQUOTE[self.quoting]
            raw = pattern.sub(repl, raw)
        self._index += 1
        found = _ENVELOPE.match(envelope.rstrip())
        sender = found.group(1).decode("utf-8", "replace") if found else None
        when = _envelope_date(found.group(2).decode("ascii", "replace")) if found else None
        return SourceMessage(f"message {self._index} (byte {start:,})", raw, when, sender,
                             {"offset": end, "index": self._index, **self._identity})

    def close(self) -> None:
        pass


# --- a folder of .eml files --------------------------------------------------------------------------


class EmlSource:
    """Every .eml file under a folder (or one .eml file), in path order. A re-run reads them again but
    skips, by hash, those already archived, so no cursor is needed."""

    kind = "eml"

    def __init__(self, path: Path):
        self.path = Path(path)
        self.key = f"eml:{self.path.resolve()}"
        self.label = str(self.path)

    def start(self, cursor: dict[str, Any] | None) -> tuple[int | None, str | None]:
        if self.path.is_file():
            self._files = [self.path]
        else:
            found = []
            for folder, dirs, files in os.walk(self.path, onerror=self._walk_error):
                dirs.sort()
                found.extend(Path(folder, f) for f in sorted(files) if f.lower().endswith(".eml"))
            self._files = found
        return len(self._files), None

    def _walk_error(self, exc: OSError) -> None:
        raise ImportSourceError(f"cannot read the folder {exc.filename}: {exc.strerror}")

    def messages(self) -> Iterator[SourceMessage]:
        for file in self._files:
            shown = file.name if file == self.path else file.relative_to(self.path).as_posix()
            try:
                raw = file.read_bytes()
            except OSError as exc:
                yield SourceMessage(shown, b"", problem=f"the file cannot be read: {exc.strerror}")
                continue
            yield SourceMessage(shown, raw)

    def close(self) -> None:
        pass


def open_path(path: Path, *, quoting: str = "mboxrd") -> Source:
    """The source for a path: a folder of .eml files, an .eml file, or an mbox file."""
    path = Path(path)
    if path.is_dir():
        return EmlSource(path)
    if not path.is_file():
        raise ImportSourceError(f"{path}: no such file or folder")
    with path.open("rb") as f:
        head = f.read(5)
    if head == b"From ":
        return MboxSource(path, quoting=quoting)
    if path.suffix.lower() == ".eml":
        return EmlSource(path)
    raise ImportSourceError(f"{path}: neither an mbox file (it does not begin with a 'From ' line) nor an .eml "
                            "file nor a folder of .eml files")


# --- parsing, checking and archiving --------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """One message parsed and checked, waiting for its batch to be written."""

    msg: SourceMessage
    sha: str
    parsed: ParsedMail | None = None  # None: nothing to archive (a duplicate, empty, or unreadable)
    findings: tuple[tuple[str, str, str], ...] = ()
    verdict: str = "ok"
    problems: tuple[str, ...] = ()


def prepare(msg: SourceMessage, sha: str, checker: Checker | None) -> Prepared:
    """Parse one message and, given a checker, check it. Never raises: failures become problems."""
    parsed = parse_mail(msg.raw)
    problems = [*parsed.problems, *parsed.headers_suspect]
    if checker is None:
        return Prepared(msg, sha, parsed, problems=tuple(problems))
    try:
        report = checker.check(to_message(parsed))
    except Exception as exc:  # the message must still be archived
        problems.append(f"the checker could not check it ({type(exc).__name__}: {exc}); archived unchecked")
        return Prepared(msg, sha, parsed, problems=tuple(problems))
    findings = tuple((f.rule, f.severity.value, f.clause) for f in report.findings)
    return Prepared(msg, sha, parsed, findings, report.verdict, tuple(problems))


ProgressFn = Callable[[int, "int | None"], None]


def run_import(source: Source, archive: Archive, *, checker: Checker | None, state: ImportState | None,
               actor: str, limit: int | None = None, on_progress: ProgressFn | None = None,
               problem_log: TextIO | None = None, batch_size: int = 100, batch_seconds: float = 2.0,
               batch_bytes: int = 64 * 2**20) -> ImportSummary:
    """Import ``source`` into ``archive``: at most ``limit`` messages from where the last run stopped.

    Messages are written ``batch_size`` at a time (or every ``batch_seconds``), one transaction per batch,
    and the cursor is saved after each. Ctrl-C writes the batch in hand, saves the cursor and returns a
    summary marked ``interrupted``; a source that fails midway (the IMAP connection drops) sets ``error``.
    """
    run = _Run(archive, source, actor, state, problem_log)
    began = time.monotonic()
    try:
        total, run.summary.note = source.start(state.get(source.key) if state else None)
        if limit is not None and total is not None:
            total = min(total, limit)
        if on_progress:
            on_progress(0, total)
        messages = source.messages()
        if limit is not None:
            messages = (m for _, m in zip(range(limit), messages))
        batch: list[Prepared] = []
        flushed, size = time.monotonic(), 0
        try:
            for msg in messages:
                batch.append(run.prepare(msg, checker))
                size += len(msg.raw)
                if len(batch) >= batch_size or size >= batch_bytes or time.monotonic() - flushed >= batch_seconds:
                    run.write(batch)
                    batch, flushed, size = [], time.monotonic(), 0
                if on_progress:
                    on_progress(run.summary.seen + len(batch), total)
        except KeyboardInterrupt:
            run.summary.interrupted = True
        except ImportSourceError as exc:
            run.summary.error = str(exc)
        run.write(batch)  # a second Ctrl-C here rolls this batch back; a re-run reads it again
    finally:
        source.close()
        run.summary.seconds = time.monotonic() - began
    return run.summary


class _Run:
    """The counters, batch writes and cursor of one import run."""

    def __init__(self, archive: Archive, source: Source, actor: str, state: ImportState | None,
                 problem_log: TextIO | None):
        self.archive, self.source, self.actor, self.state, self.log = archive, source, actor, state, problem_log
        self.summary = ImportSummary(source.label)
        self.pending: set[str] = set()  # hashes read but not yet written (a duplicate may follow closely)

    def prepare(self, msg: SourceMessage, checker: Checker | None) -> Prepared:
        sha = hashlib.sha256(msg.raw).hexdigest()
        if not msg.raw or msg.problem or sha in self.pending or self._archived(sha):
            return Prepared(msg, sha)
        self.pending.add(sha)
        return prepare(msg, sha, checker)

    def _archived(self, sha: str) -> bool:
        return self.archive.find(sha) is not None

    def write(self, batch: list[Prepared]) -> None:
        """Archive a batch in one transaction, then count it and move the cursor past it."""
        if not batch:
            return
        items = [(p, *_item(p, self.source.kind)) for p in batch if p.parsed is not None]
        written = _write_batch(self.archive, items, self.actor, self.source.label)
        self.pending.clear()
        summary = self.summary
        for p in batch:
            summary.seen += 1
            if p.parsed is None:
                empty = p.msg.problem or (None if p.msg.raw else "the message is empty: there is nothing to archive")
                if empty:
                    summary.not_archived += 1
                    self._problems(p.msg.position, [empty], None)
                else:
                    summary.duplicates += 1
            elif p.sha not in written:
                summary.duplicates += 1  # archived meanwhile by someone else (the relay, another import)
            else:
                record_id, problems = written[p.sha]
                summary.imported += 1
                summary.findings.update(rule for rule, _, _ in p.findings)
                self._problems(p.msg.position, problems, record_id)
        cursor = next((p.msg.cursor for p in reversed(batch) if p.msg.cursor), None)
        if self.state and cursor:
            self.state.put(self.source.key, cursor)

    def _problems(self, position: str, problems: list[str], record_id: int | None) -> None:
        summary = self.summary
        summary.problem_count += len(problems)
        for text in problems:
            if len(summary.problems) < KEPT_PROBLEMS:
                summary.problems.append(Problem(position, text, record_id))
            if self.log is not None:
                self.log.write(json.dumps({"position": position, "problem": text, "record": record_id},
                                          ensure_ascii=False) + "\n")


def _write_batch(archive: Archive, items: list[tuple[Prepared, ArchiveItem, list[str]]], actor: str,
                 source: str) -> dict[str, tuple[int, list[str]]]:
    """Archive many items in one transaction: what ``Archive.add`` does for one, less the per-message
    commit and read-back, which cost more than the rest of the write. Returns {sha: (record id, problems)};
    items already archived are left out, as a re-import is not a duplicate delivery worth an event."""
    extras = [(item, {"source": source, "position": p.msg.position, "problems": problems} if problems else None)
              for p, item, problems in items]
    problems_of = {p.sha: problems for p, _, problems in items}
    ids = archive.add_many(extras, actor=actor)
    return {sha: (record_id, problems_of[sha]) for sha, record_id in ids.items()}


def _person(name: str | None, addr: str) -> str:
    if not name:
        return addr
    if _SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{addr}>"


def _item(p: Prepared, kind: str) -> tuple[ArchiveItem, list[str]]:
    """The validated archive item for a prepared message, and its problems. A message whose headers break
    the archive's limits is kept with its raw bytes and text, and without the details that do not fit."""
    parsed, msg, problems = p.parsed, p.msg, list(p.problems)
    assert parsed is not None
    if parsed.from_ is not None:
        sender = _person(parsed.from_.name, parsed.from_.addr)
    elif msg.envelope_sender and "@" in msg.envelope_sender:
        sender = msg.envelope_sender
    else:
        sender = UNKNOWN_SENDER
    people = {k: [_person(parsed.names.get(a), a) for a in getattr(parsed, k)] for k in ("to", "cc", "bcc")}
    item = ArchiveItem(
        raw=msg.raw, sender=sender, received_at=msg.received_at or parsed.date or datetime.now(timezone.utc),
        message_id=parsed.message_id, **people, subject=parsed.subject or "", sent_at=parsed.date,
        body_text=as_text(replace(parsed, attachments=())),
        attachments=[ArchivedAttachment(a.filename, a.content_type, a.size, a.sha256, a.text)
                     for a in parsed.attachments],
        findings=[{"rule": r, "severity": s, "clause": c} for r, s, c in p.findings],
        verdict=p.verdict, disposition="imported", source=f"import:{kind}")
    try:
        return item.validated(), problems
    except ArchiveItemError as exc:
        problems.append(f"some details could not be kept ({exc}); archived with its raw bytes and text only")
    sender = sender if len(sender) <= 320 else UNKNOWN_SENDER
    return replace(item, sender=sender, message_id=None, to=[], cc=[], bcc=[], attachments=[]).validated(), problems
