"""The relay's spool: accepted mail on disk, durably, until the upstream server has taken it.

The relay answers 250 only after the message is here, so a crash, a power cut or ``kill -9`` never loses
mail it accepted. Each entry is one file (a JSON line with the envelope, then the raw bytes), written the
way that survives a crash: write to ``tmp/``, flush, fsync, rename into place, fsync the folder. One file
per entry means the envelope and the bytes appear together or not at all.

Folders: ``queue/`` waits for delivery (the worker empties it, in arrival order), ``held/`` is the Clerk's
quarantine, ``tmp/`` holds half-written files (cleared on start: they were never acknowledged) and ``bad/``
keeps any file that cannot be read, untouched, for a person to look at. A lock file stops two relays
from delivering the same spool twice.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO

from councilguard.gateway.errors import SpoolError

MAGIC = b"CGSPOOL1 "
QUEUE, HELD, TMP, BAD = "queue", "held", "tmp", "bad"
KINDS = ("message", "notice")


@dataclass(frozen=True)
class Envelope:
    """Who the message is from and to, as the SMTP conversation said (not the headers)."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    mail_options: tuple[str, ...] = ()  # e.g. SMTPUTF8, BODY=8BITMIME, passed on upstream


@dataclass(frozen=True)
class SpoolEntry:
    """One spooled message: its envelope and what the Clerk needs to see about it (not its bytes)."""

    id: str
    envelope: Envelope
    received_at: datetime
    kind: str = "message"  # or "notice": mail the relay itself writes (never checked, never archived)
    record_id: int | None = None
    sender: str = ""
    subject: str = ""
    rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    raw_sha256: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = asdict(self)
        data["received_at"] = self.received_at.isoformat()
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")

    @classmethod
    def from_json(cls, line: bytes) -> SpoolEntry:
        data = json.loads(line)
        env = data.pop("envelope")
        return cls(envelope=Envelope(env["mail_from"], tuple(env["rcpt_tos"]), tuple(env.get("mail_options", ()))),
                   received_at=datetime.fromisoformat(data.pop("received_at")),
                   rules=tuple(data.pop("rules", ())), reasons=tuple(data.pop("reasons", ())), **data)


def new_id() -> str:
    """A unique id that sorts in arrival order: nanoseconds since 1970 in hex, then random."""
    return f"{time.time_ns():016x}-{secrets.token_hex(3)}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    """The spool folder. Safe for one relay process (see :meth:`lock`) plus Clerk commands alongside it."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        try:
            for name in (QUEUE, HELD, TMP, BAD):
                (self.root / name).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SpoolError(f"spool {self.root}: cannot create its folders ({exc.strerror})") from None
        self._lock_file: IO[str] | None = None

    # --- one relay per spool ----------------------------------------------------------------------------
    def lock(self) -> None:
        """Take the spool for this process; raises SpoolError when another relay already has it."""
        handle = open(self.root / "relay.lock", "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            other = handle.read().strip() or "another process"
            handle.close()
            raise SpoolError(f"spool {self.root} is in use by a running relay (pid {other}); "
                             "stop it first, or give this relay its own --spool folder") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle

    def unlock(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing releases the flock
            self._lock_file = None

    def clear_tmp(self) -> int:
        """Remove half-written files left by a crash (never acknowledged, so safe to drop)."""
        count = 0
        for path in (self.root / TMP).iterdir():
            path.unlink(missing_ok=True)
            count += 1
        return count

    # --- writing ----------------------------------------------------------------------------------------
    def put(self, entry: SpoolEntry, data: bytes, *, folder: str = QUEUE) -> SpoolEntry:
        """Store ``entry`` with its bytes durably in ``folder``; when this returns, it survives a crash."""
        self.publish(self.stage(entry, data), folder)
        return entry

    def stage(self, entry: SpoolEntry, data: bytes) -> Path:
        """Write ``entry`` and its bytes durably to ``tmp/`` (in no folder yet, so nothing delivers it, and a
        restart clears it): the first half of :meth:`put`, which the relay overlaps with its archive commit."""
        if entry.kind not in KINDS:
            raise SpoolError(f"spool entry kind {entry.kind!r} is not one of {', '.join(KINDS)}")
        tmp = self.root / TMP / entry.id
        with open(tmp, "wb") as out:
            out.write(MAGIC + entry.to_json() + b"\n")
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return tmp

    def publish(self, staged: Path, folder: str = QUEUE) -> None:
        """Move a staged file into ``folder``, durably: when this returns, it survives a crash."""
        os.replace(staged, self.root / folder / staged.name)
        _fsync_dir(self.root / folder)

    def discard(self, staged: Path) -> None:
        """Drop a staged file that will not be published (it was never acknowledged)."""
        staged.unlink(missing_ok=True)

    def rewrite(self, entry: SpoolEntry, data: bytes) -> None:
        """Replace a queued entry atomically (e.g. with only the recipients still to be tried)."""
        self.put(entry, data, folder=QUEUE)

    def move(self, ident: str, source: str, target: str) -> None:
        """Move an entry between folders durably (target folder synced first, then the source)."""
        os.replace(self.root / source / ident, self.root / target / ident)
        _fsync_dir(self.root / target)
        _fsync_dir(self.root / source)

    def remove(self, ident: str, folder: str = QUEUE) -> None:
        (self.root / folder / ident).unlink(missing_ok=True)
        _fsync_dir(self.root / folder)

    # --- reading ----------------------------------------------------------------------------------------
    def ids(self, folder: str = QUEUE) -> list[str]:
        """Entry ids in ``folder``, oldest first."""
        return sorted(p.name for p in (self.root / folder).iterdir() if not p.name.startswith("."))

    def entry(self, ident: str, folder: str = QUEUE) -> SpoolEntry:
        """An entry's envelope and details without reading its bytes."""
        with open(self.root / folder / ident, "rb") as handle:
            return _header(handle, self.root / folder / ident)

    def read(self, ident: str, folder: str = QUEUE) -> tuple[SpoolEntry, bytes]:
        with open(self.root / folder / ident, "rb") as handle:
            entry = _header(handle, self.root / folder / ident)
            return entry, handle.read()

    def entries(self, folder: str) -> list[SpoolEntry]:
        """Every readable entry in ``folder``, oldest first (unreadable ones are moved to ``bad/``)."""
        out = []
        for ident in self.ids(folder):
            try:
                out.append(self.entry(ident, folder))
            except FileNotFoundError:  # delivered or released meanwhile
                continue
            except SpoolError:
                self.set_aside(ident, folder)
        return out

    def set_aside(self, ident: str, folder: str) -> None:
        """Move an unreadable file to ``bad/`` so it is kept for a person but no longer retried."""
        try:
            self.move(ident, folder, BAD)
        except FileNotFoundError:
            pass

    def with_envelope(self, entry: SpoolEntry, rcpt_tos: tuple[str, ...]) -> SpoolEntry:
        return replace(entry, envelope=replace(entry.envelope, rcpt_tos=rcpt_tos))


def _header(handle: IO[bytes], path: Path) -> SpoolEntry:
    line = handle.readline(1 << 20)
    if not line.startswith(MAGIC) or not line.endswith(b"\n"):
        raise SpoolError(f"{path}: not a councilguard spool file (its first line is not a spool header)")
    try:
        return SpoolEntry.from_json(line[len(MAGIC):])
    except (ValueError, KeyError, TypeError) as exc:
        raise SpoolError(f"{path}: the spool header cannot be read ({exc})") from None
