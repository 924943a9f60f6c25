"""What goes into the archive and what comes out: plain dataclasses, no database in sight.

The SMTP relay and the importers build an :class:`ArchiveItem` from a message they have already parsed
and checked (the archive knows nothing of MIME); :class:`Record` is what the archive gives back, with the
current disposition and, once the content is lawfully deleted, its :class:`TombstoneInfo` instead of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from functools import lru_cache
from typing import Any, Iterable

from councilguard.records.archive_errors import ArchiveItemError

DISPOSITIONS = ("relayed", "held", "rejected", "overridden", "imported", "failed-open", "failed-closed")
VERDICTS = ("ok", "advice", "warn", "block")
SEVERITIES = ("advice", "warn", "block")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SOURCE = re.compile(r"[a-z][a-z0-9-]*(:[A-Za-z0-9._/-]+)?")


@dataclass(frozen=True)
class ArchivedAttachment:
    """An attachment as the archive keeps it: its description, and the text extracted from it (if any)."""

    filename: str | None
    content_type: str | None
    size: int
    sha256: str
    text: str | None = None


@dataclass(frozen=True)
class ArchivedFinding:
    """A rule the checker found the message breached (the finding's evidence stays in the raw message)."""

    rule: str
    severity: str
    clause: str

    @classmethod
    def coerce(cls, value: ArchivedFinding | dict[str, Any] | Any) -> ArchivedFinding:
        """From a dict ``{rule, severity, clause}``, or a ``councilguard.model.Finding``."""
        if isinstance(value, ArchivedFinding):
            return value
        if isinstance(value, dict):
            return cls(str(value.get("rule", "")), str(value.get("severity", "")), str(value.get("clause", "")))
        severity = getattr(value.severity, "value", value.severity)
        return cls(value.rule, str(severity), value.clause)


@dataclass
class ArchiveItem:
    """One message to keep as a record: its raw bytes plus what the relay or importer learned of it."""

    raw: bytes
    sender: str
    received_at: datetime
    message_id: str | None = None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    subject: str = ""
    sent_at: datetime | None = None
    body_text: str = ""
    attachments: list[ArchivedAttachment] = field(default_factory=list)
    findings: list[ArchivedFinding | dict[str, Any]] = field(default_factory=list)
    verdict: str = "ok"
    disposition: str = "relayed"
    source: str = "relay"
    override_justification: str | None = None

    def validated(self) -> ArchiveItem:
        """This item with findings normalised; raises :class:`ArchiveItemError` naming the bad field."""
        if not isinstance(self.raw, (bytes, bytearray)) or not self.raw:
            raise ArchiveItemError("raw", "the message's raw bytes are required (got nothing)")
        _need_aware("received_at", self.received_at, required=True)
        _need_aware("sent_at", self.sent_at, required=False)
        if not isinstance(self.sender, str) or not self.sender.strip():
            raise ArchiveItemError("sender", "a sender address is required")
        for name in ("to", "cc", "bcc"):
            values = getattr(self, name)
            if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in values):
                raise ArchiveItemError(name, "must be a list of non-empty addresses")
        _one_of("verdict", self.verdict, VERDICTS)
        _one_of("disposition", self.disposition, DISPOSITIONS)
        if not isinstance(self.source, str) or not _SOURCE.fullmatch(self.source) or len(self.source) > 64:
            raise ArchiveItemError("source", f"{self.source!r} is not a source like 'relay' or 'import:mbox'")
        if self.disposition == "overridden" and not (self.override_justification or "").strip():
            raise ArchiveItemError("override_justification", "an overridden message needs the justification given")
        _max_len("message_id", self.message_id, 998)
        for name, value in [("sender", self.sender), *((k, v) for k in ("to", "cc", "bcc") for v in getattr(self, k))]:
            _max_len(name, address_of(value), 320, "address")
        findings = [_finding(i, f) for i, f in enumerate(self.findings)]
        for i, a in enumerate(self.attachments):
            if not isinstance(a, ArchivedAttachment):
                raise ArchiveItemError(f"attachments[{i}]", "must be an ArchivedAttachment")
            if not _HEX64.fullmatch(a.sha256 or ""):
                raise ArchiveItemError(f"attachments[{i}].sha256", f"{a.sha256!r} is not a lower-case SHA-256 hex")
            if not isinstance(a.size, int) or a.size < 0:
                raise ArchiveItemError(f"attachments[{i}].size", f"{a.size!r} is not a size in bytes")
            _max_len(f"attachments[{i}].content_type", a.content_type, 255)
        attachments = [ArchivedAttachment(_no_nul(a.filename), _no_nul(a.content_type), a.size, a.sha256,
                                          _no_nul(a.text)) for a in self.attachments]
        texts = {k: _no_nul(getattr(self, k)) for k in ("sender", "subject", "body_text", "message_id",
                                                         "override_justification")}
        people = {k: [_no_nul(v) for v in getattr(self, k)] for k in ("to", "cc", "bcc")}
        return ArchiveItem(**{**self.__dict__, **texts, **people, "raw": bytes(self.raw), "findings": findings,
                              "attachments": attachments})


def _need_aware(name: str, value: datetime | None, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, datetime):
        raise ArchiveItemError(name, f"{value!r} is not a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ArchiveItemError(name, f"{value.isoformat()} has no time zone; give an aware datetime (e.g. UTC)")


def _max_len(name: str, value: str | None, limit: int, what: str = "value") -> None:
    if value is not None and len(value) > limit:
        raise ArchiveItemError(name, f"the {what} is {len(value)} characters long; at most {limit} are kept")


def _no_nul(text: str | None) -> str | None:
    """Extracted text without NUL characters, which PostgreSQL text cannot hold (the raw bytes keep them)."""
    return text.replace("\x00", "\ufffd") if text else text


def _one_of(name: str, value: str, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ArchiveItemError(name, f"{value!r} is not one of {', '.join(allowed)}")


def _finding(i: int, raw: Any) -> ArchivedFinding:
    try:
        f = ArchivedFinding.coerce(raw)
    except AttributeError:
        raise ArchiveItemError(f"findings[{i}]", "must be {rule, severity, clause} or a Finding") from None
    if not f.rule:
        raise ArchiveItemError(f"findings[{i}].rule", "a rule id is required")
    _one_of(f"findings[{i}].severity", f.severity, SEVERITIES)
    return f


@dataclass(frozen=True)
class TombstoneInfo:
    """What is left of deleted content: its hash, when, why, under which rule, by whom."""

    content_sha256: str
    deleted_at: datetime
    reason: str
    rule: str
    actor: str
    seq: int


@dataclass(frozen=True)
class Record:
    """A message as kept. ``body_text`` and attachment texts are None once the content is deleted."""

    id: int
    seq: int
    content_sha256: str
    size: int
    message_id: str | None
    sender: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    subject: str
    sent_at: datetime | None
    received_at: datetime
    verdict: str
    source: str
    override_justification: str | None
    findings: tuple[ArchivedFinding, ...]
    attachments: tuple[ArchivedAttachment, ...]
    body_text: str | None
    disposition: str
    tombstone: TombstoneInfo | None = None

    @property
    def deleted(self) -> bool:
        return self.tombstone is not None

    @property
    def dated_at(self) -> datetime:
        return self.sent_at or self.received_at


@dataclass(frozen=True)
class Event:
    """One chain entry about a record (or about a hold, with ``record_id`` None)."""

    seq: int
    kind: str
    record_id: int | None
    disposition: str | None
    detail: dict[str, Any]
    recorded_at: datetime


@lru_cache(maxsize=4096)  # parsing costs ~0.1 ms, and a council's mail names the same few people
def address_of(value: str) -> str:
    """The bare, lower-case address in ``"Name <addr>"`` or ``addr`` (what search and holds compare)."""
    _, address = parseaddr(value or "")
    return (address or value or "").strip().lower()
