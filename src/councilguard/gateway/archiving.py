"""Turning what the relay learned about a message into an archive record, whatever shape the mail is in.

The relay archives every message before it answers, so a header the archive cannot take as it is (an
address of 400 characters, a Message-ID of 2,000) must not cost the record. Values are cleaned here to
what the archive accepts; if the archive still refuses the item, a minimal record of the same raw bytes,
sender, recipients and decision is kept instead, and the raw bytes always go in unchanged.

Recipients are the envelope's: the people the message really goes to. Those not named in To or Cc were
blind-copied, and are archived (and checked) as Bcc.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from councilguard.gateway.decide import Decision
from councilguard.gateway.spool import Envelope
from councilguard.model import Report
from councilguard.records.archive import Ahead, Archive, ArchivedAttachment, ArchiveItem
from councilguard.records.archive_errors import ArchiveItemError
from councilguard.records.mail import ParsedMail

log = logging.getLogger(__name__)

MAX_ADDRESS = 320
MAX_MESSAGE_ID = 998


def _addresses(values: list[str] | tuple[str, ...]) -> list[str]:
    return [v.strip() for v in values if v and v.strip() and len(v.strip()) <= MAX_ADDRESS]


def blind_copies(parsed: ParsedMail, envelope: Envelope) -> list[str]:
    """Envelope recipients the headers do not name in To or Cc: the message's real Bcc list."""
    named = {a.lower() for a in (*parsed.to, *parsed.cc)}
    out = list(parsed.bcc)
    for rcpt in envelope.rcpt_tos:
        low = rcpt.strip().lower()
        if low and low not in named and low not in out:
            out.append(low)
    return out


def sender_of(parsed: ParsedMail, envelope: Envelope) -> str:
    """The From address, else the envelope sender, else ``<>`` (a bounce has no sender)."""
    if parsed.from_ is not None and parsed.from_.addr and len(parsed.from_.addr) <= MAX_ADDRESS:
        return str(parsed.from_) if len(str(parsed.from_)) <= MAX_ADDRESS else parsed.from_.addr
    mail_from = envelope.mail_from.strip()
    return mail_from if mail_from and len(mail_from) <= MAX_ADDRESS else "<>"


def archive_item(raw: bytes, parsed: ParsedMail, envelope: Envelope, report: Report | None,
                 decision: Decision, received_at: datetime) -> ArchiveItem:
    """The full archive item for a message the relay received (raw bytes exactly as received)."""
    sent_at = parsed.date if parsed.date is not None and parsed.date.utcoffset() is not None else None
    message_id = parsed.message_id if parsed.message_id and len(parsed.message_id) <= MAX_MESSAGE_ID else None
    return ArchiveItem(
        raw=raw, sender=sender_of(parsed, envelope), received_at=received_at, message_id=message_id,
        to=_addresses(parsed.to), cc=_addresses(parsed.cc), bcc=_addresses(blind_copies(parsed, envelope)),
        subject=parsed.subject or "", sent_at=sent_at, body_text=parsed.text,
        attachments=[ArchivedAttachment(a.filename, a.content_type, a.size, a.sha256, a.text)
                     for a in parsed.attachments],
        findings=list(report.findings) if report is not None else [], verdict=decision.verdict,
        disposition=decision.disposition, source="relay",
        override_justification=decision.override_justification)


def minimal_item(raw: bytes, envelope: Envelope, report: Report | None, decision: Decision,
                 received_at: datetime) -> ArchiveItem:
    """The least the archive must keep: the bytes, the envelope, the findings and the decision."""
    sender = envelope.mail_from.strip()
    return ArchiveItem(raw=raw, sender=sender if sender and len(sender) <= MAX_ADDRESS else "<>",
                       received_at=received_at, bcc=_addresses(list(envelope.rcpt_tos)),
                       findings=list(report.findings) if report is not None else [], verdict=decision.verdict,
                       disposition=decision.disposition, source="relay",
                       override_justification=decision.override_justification)


def keep(archive: Archive, item: ArchiveItem, fallback: ArchiveItem,
         before_commit: Callable[[int], None] | None = None, ahead: Ahead | None = None,
         index_later: bool = False) -> int:
    """Archive ``item`` and return its record id; if the archive refuses one of its values, archive ``fallback``.
    ``before_commit``, ``ahead`` and ``index_later`` go to :meth:`Archive.keep` (for whichever is committed)."""
    try:
        return archive.keep(item, actor="relay", before_commit=before_commit, ahead=ahead, index_later=index_later)
    except ArchiveItemError as exc:
        log.warning("archive refused part of a relayed message (%s); keeping a minimal record", exc)
        return archive.keep(fallback, actor="relay", before_commit=before_commit, ahead=ahead,
                            index_later=index_later)


def ahead_of(raw: bytes, parsed: ParsedMail) -> Ahead:
    """The hashing and compression of the :func:`archive_item` that ``raw`` and ``parsed`` will make, worked
    out before the decision (the relay does it while a checker process checks the message)."""
    return Ahead.of(raw, parsed.text, (a.text for a in parsed.attachments))
