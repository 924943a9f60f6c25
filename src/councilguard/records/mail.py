"""Parsing real e-mail for the SMTP relay and the archive importer: it never raises and never loses mail.

Council mail is kept as official records, so every message must be archived whatever shape it is in:
legacy charsets, broken MIME, truncated downloads, Outlook's winmail.dat, bounces, header injection.
:func:`parse_mail` always returns a :class:`ParsedMail` that keeps the SHA-256 and size of the raw bytes
(the archive stores the bytes themselves) and lists, in plain English, whatever could not be read.
Header values with CR, LF or NUL in them are flagged in ``headers_suspect`` and cleaned, never passed on.

:func:`to_message` hands a parsed message to the checker. Attachment text goes into ``Message.text``
under a heading per attachment: every text detector reads ``text`` (and points at spans in it), while
``Attachment.description`` is a short human description that the logo and copyright detectors read as
such (it gets the MIME Content-Description), and ``path`` is for pictures on disk.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any
from email import policy as email_policy
from email.policy import EmailPolicy, linesep_splitter
from email.feedparser import BytesFeedParser
from email.message import Message as MimePart
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from councilguard.engine import MAX_TEXT_CHARS
from councilguard.model import Attachment, Message
from councilguard.records import mime_blobs
from councilguard.records.attachment_text import (calendar_text, decode_bytes, extract_text, html_to_text,
                                                  human_size, scrub, shorten)

MB = 2**20


@dataclass(frozen=True)
class MailLimits:
    """Caps that keep one hostile or broken message from exhausting time or memory."""

    max_raw_bytes: int = 50 * MB  # larger messages: headers only
    max_attachment_bytes: int = 25 * MB  # larger attachments are hashed but their text is not read
    max_parts: int = 500
    max_depth: int = 10
    max_decompressed_bytes: int = 50 * MB  # zip, docx, odt
    max_compression_ratio: int = 100
    max_pdf_pages: int = 200
    max_header_bytes: int = 1 * MB  # a header block longer than this: headers only, cut at this size
    max_lines: int = 2_000_000  # 50 MB of base64 is 700,000 lines; the parser keeps an object per line
    # False once a checker process has died reading this message: its attachments (read by C code such as
    # PDFium) are the likely cause, so the relay's own parse keeps them without reading their text
    read_attachment_text: bool = True


@dataclass(frozen=True)
class Address:
    """One mailbox: its addr-spec and the display name it came with."""

    addr: str  # lower-case addr-spec
    name: str | None = None

    def __str__(self) -> str:
        if not self.name:
            return self.addr
        name = self.name
        if re.search(r'[()<>@,;:\\".\[\]]', name):  # "Smith, Jane" must be quoted or it reads as two addresses
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{self.addr}>"


@dataclass(frozen=True)
class MailAttachment:
    """One attached (or inline) file: what it is, its hash, and the text read from it if any."""

    filename: str | None  # decoded and made safe: no path, no control characters
    content_type: str
    size: int
    sha256: str
    text: str | None = None
    problems: tuple[str, ...] = ()
    inline: bool = False
    content_id: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class BounceRecipient:
    """One recipient in a delivery status notification, with its action (failed, delayed...) and status."""

    recipient: str
    action: str | None = None
    status: str | None = None
    diagnostic: str | None = None


@dataclass(frozen=True)
class ParsedMail:
    """One message as read. Address lists hold lower-case addr-specs; ``names`` maps them to display names."""

    raw_sha256: str
    raw_size: int
    message_id: str | None = None
    date: datetime | None = None
    from_: Address | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict, hash=False)
    subject: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    text: str = ""
    html_text: str | None = None
    attachments: tuple[MailAttachment, ...] = ()
    inner_messages: tuple[ParsedMail, ...] = ()  # forwarded (or, in a bounce, returned) messages
    is_bounce: bool = False
    bounces: tuple[BounceRecipient, ...] = ()
    headers_suspect: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


# --- header values ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_MAX_REPEATS = 100  # repeated To, Cc or Bcc headers read; more is an attack, not mail
_LONG = 8192  # header values longer than this are read with the fast, simple parsers
_NEWLINES = re.compile(r"\r\n?")
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r(?=[ \t])")
_ESCAPED = re.compile(r"[\udc80-\udcff]")
_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_B64_WORD = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_ONCE = ("from", "sender", "reply-to", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to",
         "references")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _fix_8bit(value: str) -> tuple[str, str | None]:
    """Raw 8-bit bytes the parser kept as surrogates, decoded as utf-8 or else windows-1252."""
    if not _ESCAPED.search(value):
        return value, None
    try:
        data = value.encode("utf-8", "surrogateescape")
        return data.decode("utf-8"), "utf-8"
    except UnicodeEncodeError:  # a surrogate that no byte left behind: nothing to recover
        return scrub(value), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="cg-latin1"), "windows-1252"


def _word_bytes(encoding: str, text: str) -> bytes:
    if encoding in "bB":
        if not _B64_WORD.fullmatch(text):
            raise ValueError("not base64")
        body = text.rstrip("=")
        return base64.b64decode(body + "=" * (-len(body) % 4))
    return binascii.a2b_qp(text.encode("utf-8", "surrogateescape"), header=True)


def decode_words(value: str, what: str) -> tuple[str, list[str]]:
    """RFC 2047 encoded words decoded (adjacent words joined first, so split characters survive).

    Raises ValueError for a malformed word; returns the text and any charset problems.
    """
    out: list[str] = []
    problems: list[str] = []
    run: tuple[str, list[bytes]] | None = None
    pos = 0

    def flush() -> None:
        if run is not None:
            text, problem = decode_bytes(b"".join(run[1]), run[0], what=what)
            out.append(text)
            if problem:
                problems.append(problem)

    for m in _WORD.finditer(value):
        gap = value[pos:m.start()]
        charset = m.group(1).split("*", 1)[0]
        data = _word_bytes(m.group(2), m.group(3))
        if run is not None and not gap.strip() and run[0].lower() == charset.lower():
            run[1].append(data)
        else:
            flush()
            if run is None or gap.strip():
                out.append(gap)
            run = (charset, [data])
        pos = m.end()
    flush()
    out.append(value[pos:])
    return "".join(out), problems


def safe_filename(raw: str | None) -> str | None:
    """A file name to show and store: decoded, last path part only, no control or direction characters."""
    if not raw:
        return None
    name = scrub(_fix_8bit(raw)[0])
    if "=?" in name:
        try:
            name = decode_words(name, "attachment name")[0]
        except (ValueError, binascii.Error):
            pass
    name = _UNSAFE_NAME.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if name in ("", ".", ".."):
        return None
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:255]
    return name


# --- reading one message --------------------------------------------------------------------------

_CACHED = 2048  # header values up to this long are parsed once and the result kept (see _header)


@lru_cache(maxsize=1024)
def _header(name: str, value: str) -> Any:
    """The modern policy's header object for ``name: value``, parsed once per distinct pair.

    The email package parses a header again on every look-up, and reading one part looks up its
    Content-Type half a dozen times (the parser itself, then type, charset, name, disposition...): that
    was a quarter of the time spent on a message. Header objects are immutable, so one parse can serve
    every look-up, and common values (``text/plain; charset="utf-8"``, ``base64``) serve every message.
    """
    return email_policy.default.header_factory(name, value)


class _ReadPolicy(EmailPolicy):
    """The default (modern) policy, exactly, except that header look-ups go through :func:`_header`."""

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        if hasattr(value, "name"):
            return value
        value = "".join(linesep_splitter.split(value))
        return _header(name, value) if len(value) <= _CACHED else self.header_factory(name, value)


_MODERN = _ReadPolicy()

_DEFECTS = {
    "CloseBoundaryNotFoundDefect": "the closing MIME boundary is missing: the message may be truncated",
    "FirstHeaderLineIsContinuationDefect": "the headers begin with a continuation line",
    "MissingHeaderBodySeparatorDefect": "a line among the headers is not a header; the rest was read as body",
    "InvalidMultipartContentTransferEncodingDefect": "a multipart part declares a transfer encoding it may not have",
    "MisplacedEnvelopeHeaderDefect": "a 'From ' envelope line appears among the headers",
}
_KNOWN_CTE = {"", "7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode", "uue", "x-uue"}
_B64_LINE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_B64_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\n\r\x0b\x0c"
_MESSAGE_TYPES = {"message/rfc822", "message/global", "message/news"}
_BOUNCE_SENDER = re.compile(r"^(?:mailer-daemon|postmaster)@", re.I)
_BOUNCE_SUBJECT = re.compile(r"undeliver|delivery (?:status|failure|has failed)|returned mail|"
                             r"mail delivery failed|failure notice", re.I)


class _Budget:
    """MIME parts read so far, shared by a message and every message inside it."""

    def __init__(self) -> None:
        self.parts = 0
        self.over = False


def _looks_base64(payload: str) -> bool:
    lines = payload[:65536].split()
    return (len(payload.strip()) >= 64 and all(_B64_LINE.fullmatch(line) for line in lines)
            and all(len(line) >= 40 for line in lines[:-1]))


def _base64(payload: str) -> tuple[bytes, bool]:
    """Decoded base64 and whether it was damaged: stray characters are skipped, a broken end dropped."""
    data = payload.encode("ascii", "ignore")
    damaged = len(data) != len(payload) or bool(data.translate(None, _B64_BYTES))  # anything left is stray
    try:
        return binascii.a2b_base64(data), damaged  # skips line breaks (and stray characters)
    except binascii.Error:  # the last group of four is incomplete: a truncated or damaged end
        clean = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
        clean = clean[: len(clean) - 1] if len(clean) % 4 == 1 else clean
        return binascii.a2b_base64(clean + b"=" * (-len(clean) % 4)), True


_SPACE = re.compile(r"\s")
_NOT_B64_CHAR = re.compile(r"[^A-Za-z0-9+/=\s]")
_WORD_GAP = re.compile(r"\S[ \t]+\S")
_PLAIN_B64 = re.compile(r"[A-Za-z0-9+/=\r\n]*")


def _not_base64(payload: str) -> bool:
    """Text marked base64 that is not: words with gaps, or over a tenth of its characters outside base64.

    Counted by matching the few odd characters, not by rewriting the sample (64 KB of real base64 has a
    thousand line breaks and no odd character, so this is cheap exactly when the answer is "it is base64").
    """
    sample = payload[:65536]
    if _PLAIN_B64.fullmatch(sample):  # the usual case: base64 in lines, nothing else
        return False
    if len(_WORD_GAP.findall(sample)) >= 2:
        return True
    letters = len(sample) - len(_SPACE.findall(sample))
    return len(_NOT_B64_CHAR.findall(sample)) > 0.1 * max(letters, 1)


def _safe(part: MimePart, read, default=None):
    """Read something from a MIME part; when the modern policy chokes on it, retry with compat32."""
    try:
        return read(part)
    except Exception:
        pass
    try:
        part.policy = email_policy.compat32
        return read(part)
    except Exception:
        return default


def _items(part: MimePart) -> list[tuple[str, str]]:
    """A part's headers exactly as received (unparsed), so a malformed one cannot break reading."""
    items = _safe(part, lambda p: list(p.raw_items()), [])
    return [(str(k), v if isinstance(v, str) else str(v)) for k, v in items]


def _raw(part: MimePart, name: str) -> str:
    return next((v for k, v in _items(part) if k.strip().lower() == name), "")


class _Reader:
    """Reads one message (headers, then its MIME tree) into the pieces of a ParsedMail."""

    def __init__(self, limits: MailLimits, budget: _Budget, depth: int) -> None:
        self.limits, self.budget, self.depth = limits, budget, depth
        self.problems: list[str] = []
        self.suspects: list[str] = []
        self.body: list[str] = []
        self.html: list[str] = []
        self.calendar: list[str] = []
        self.attachments: list[MailAttachment] = []
        self.inner: list[ParsedMail] = []
        self.bounces: list[BounceRecipient] = []
        self.is_bounce = False
        self.too_deep = False

    # headers
    def value(self, name: str, raw: str, *, words: bool = True) -> str:
        """A header value unfolded, decoded and cleaned; injection attempts and oddities are noted."""
        value, used = _fix_8bit(raw)
        if used:
            self.problems.append(f"header {name} has 8-bit characters without encoding; decoded as {used}")
        value = _FOLD.sub("", value).strip()
        if _CONTROL.search(value):
            self.suspects.append(f"header {name} contains CR, LF or NUL characters (possible header "
                                 "injection); they were replaced with spaces")
            value = _CONTROL.sub(" ", value)
        if words and "=?" in value:
            try:
                decoded, problems = decode_words(value, f"header {name}")
                self.problems.extend(problems)
                value = decoded
            except (ValueError, binascii.Error):
                self.problems.append(f"header {name} has an invalid encoded word; shown raw")
            if _CONTROL.search(value):
                self.suspects.append(f"header {name} has an encoded CR, LF or NUL (possible header injection); "
                                     "replaced with spaces")
                value = _CONTROL.sub(" ", value)
        return scrub(value)

    def addresses(self, name: str, raws: list[str], names: dict[str, str]) -> list[Address]:
        found: list[Address] = []
        for raw in raws:
            value = self.value(name, raw, words=False)
            try:
                if len(value) > _LONG:  # the modern parser slows quadratically on long lists
                    raise ValueError("long")
                header = _header(name.lower(), value) if len(value) <= _CACHED else \
                    email_policy.default.header_factory(name.lower(), value)
                pairs = [(a.display_name, a.addr_spec) for a in header.addresses]
            except Exception:
                pairs = [(self.value(name, n), a) for n, a in getaddresses([value])]
            for display, spec in pairs:
                display = scrub(display or "")
                if _CONTROL.search(display):
                    self.suspects.append(f"header {name} has a display name with CR, LF or NUL (possible header "
                                         "injection); replaced with spaces")
                    display = _CONTROL.sub(" ", display)
                spec = scrub(_CONTROL.sub("", spec or "")).strip().strip("<>").lower()
                local, at, domain = spec.rpartition("@")
                if not (at and local and domain):
                    if spec or display:
                        self.problems.append(f"header {name} has {shorten(spec or display)!r}, which is not an "
                                             "e-mail address")
                    continue
                found.append(Address(spec, display.strip() or None))
                if display.strip():
                    names.setdefault(spec, display.strip())
        return found

    def headers(self, msg: MimePart) -> dict[str, Any]:
        """The ParsedMail fields that come from the top-level headers."""
        raw: dict[str, list[str]] = {}
        spelled: dict[str, str] = {}
        for key, value in _items(msg):
            low = key.strip().lower()
            raw.setdefault(low, []).append(value)
            spelled.setdefault(low, key.strip())
        for low in _ONCE:
            if len(raw.get(low, [])) > 1:
                kept = "the first was used" if low not in ("to", "cc", "bcc") else (
                    "all were read" if len(raw[low]) <= _MAX_REPEATS else f"the first {_MAX_REPEATS} were read")
                self.suspects.append(f"{len(raw[low])} {spelled[low]} headers where one is allowed; {kept}")

        def one(low: str) -> str | None:
            return self.value(spelled[low], raw[low][0]) if raw.get(low) else None

        def addrs(low: str) -> tuple[str, ...]:
            got = self.addresses(spelled.get(low, low), raw.get(low, [])[:_MAX_REPEATS], names)
            return tuple(dict.fromkeys(a.addr for a in got))

        names: dict[str, str] = {}
        sender = self.addresses("From", raw.get("from", [])[:1], names)
        ids = one("message-id")
        replying = one("in-reply-to")
        return {
            "from_": sender[0] if sender else None, "to": addrs("to"), "cc": addrs("cc"), "bcc": addrs("bcc"),
            "reply_to": addrs("reply-to"), "names": names, "subject": one("subject"),
            "date": self.date(one("date")),
            "message_id": (re.search(r"<[^<>]*>", ids) or [ids])[0] if ids else None,
            "in_reply_to": (re.search(r"<[^<>]*>", replying) or [replying])[0] if replying else None,
            "references": tuple(re.findall(r"<[^<>\s]+>", one("references") or "")),
        }

    def date(self, value: str | None) -> datetime | None:
        if not value:
            return None
        try:
            when = parsedate_to_datetime(value)
        except Exception:
            when = None
        if when is None:
            self.problems.append(f"header Date {shorten(value)!r} could not be read as a date")
            return None
        if when.tzinfo is None:
            self.problems.append("header Date has no time zone; taken as UTC")
            when = when.replace(tzinfo=timezone.utc)
        return when

    # the MIME tree
    def walk(self, part: MimePart, depth: int, body: bool) -> None:
        self.budget.parts += 1
        if self.budget.parts > self.limits.max_parts:
            if not self.budget.over:
                self.budget.over = True
                self.problems.append(f"the message has more than {self.limits.max_parts} MIME parts; "
                                     "the rest were not read")
            return
        if depth > self.limits.max_depth:
            if not self.too_deep:
                self.too_deep = True
                self.problems.append(f"MIME parts are nested more than {self.limits.max_depth} deep; "
                                     "deeper parts were not read")
            return
        if any(len(v) > _LONG for k, v in _items(part) if k.lower().startswith("content-")):
            part.policy = email_policy.compat32  # the modern header parser slows quadratically on these
        ctype = _safe(part, MimePart.get_content_type, "application/octet-stream")
        try:
            self.part(part, ctype, depth, body)
        except Exception as exc:  # one bad part must not lose the rest of the message
            self.problems.append(f"a {ctype} part could not be read ({type(exc).__name__}); it was skipped")

    def part(self, part: MimePart, ctype: str, depth: int, body: bool) -> None:
        for defect in getattr(part, "defects", []):
            if type(defect).__name__ in _DEFECTS:
                self.problems.append(_DEFECTS[type(defect).__name__])
        name = _safe(part, MimePart.get_filename)
        disposition = _safe(part, MimePart.get_content_disposition)
        if ctype in _MESSAGE_TYPES:
            self.inner_message(part, depth, name, disposition)
        elif ctype == "message/delivery-status":
            self.delivery_status(part)
        elif part.is_multipart():
            children = [p for p in part.get_payload() if isinstance(p, MimePart)]
            if ctype == "multipart/report" and "delivery-status" in str(_safe(
                    part, lambda p: p.get_param("report-type"), "")).lower():
                self.is_bounce = True
            chosen = _preferred(children) if ctype == "multipart/alternative" else None
            for i, child in enumerate(children):
                self.walk(child, depth + 1, body and (chosen is None or i == chosen))
        elif ctype in ("text/rfc822-headers", "message/rfc822-headers"):
            raw = self.payload(part, "returned headers")
            headers = BytesHeaderParser(policy=_MODERN).parsebytes(raw)
            self.inner.append(self.nested(headers, raw, depth + 1, walk=False))
        elif ctype.startswith("multipart/"):
            self.problems.append(f"a {ctype} part has no usable boundary; its body was read as plain text")
            self.text_part(part, "text/plain", body)
        elif disposition == "attachment" or name or not ctype.startswith("text/"):
            self.attachment(part, ctype, name, disposition)
        else:
            self.text_part(part, ctype, body)

    def payload(self, part: MimePart, what: str) -> bytes:
        cte = self.value("Content-Transfer-Encoding", _raw(part, "content-transfer-encoding"), words=False).lower()
        raw = part.get_payload()
        raw = raw if isinstance(raw, str) else ""
        if cte == "base64" and _not_base64(raw):
            self.problems.append(f"{what} is marked base64 but is not; read as written")
            return raw.encode("utf-8", "surrogateescape")
        if cte == "base64" or (cte in ("", "7bit", "8bit", "binary") and _looks_base64(raw)
                               and not _safe(part, MimePart.get_content_type, "").startswith("text/")):
            data, damaged = _base64(raw)
            if damaged:
                self.problems.append(f"{what} has damaged base64; what could be decoded was kept")
            elif cte != "base64":
                self.problems.append(f"{what} is base64 without saying so; decoded")
            return data
        if cte not in _KNOWN_CTE:
            self.problems.append(f"{what} has unknown Content-Transfer-Encoding {shorten(cte, 40)!r}; read as written")
        try:
            data = part.get_payload(decode=True)
        except Exception:
            data = None
        return data if isinstance(data, bytes) else raw.encode("utf-8", "surrogateescape")

    def text_part(self, part: MimePart, ctype: str, body: bool) -> None:
        charset = _safe(part, MimePart.get_content_charset)
        text, problem = decode_bytes(self.payload(part, "the body"), charset, what="body")
        if problem:
            self.problems.append(problem)
        text = _NEWLINES.sub("\n", text)
        if ctype == "text/html":
            text = html_to_text(text)
            self.html.append(text)
        elif ctype == "text/calendar":
            self.calendar.append(calendar_text(text) or "")
            return
        if body:
            self.body.append(text)

    def attachment(self, part: MimePart, ctype: str, raw_name: str | None, disposition: str | None) -> None:
        name = safe_filename(raw_name)
        if raw_name and name != raw_name:
            self.suspects.append(f"attachment name {shorten(scrub(raw_name))!r} was made safe as {name!r}")
        shown = name or "unnamed"
        data = self.payload(part, f"attachment {shown!r}")
        problems: list[str] = []
        if ctype == "application/ms-tnef" or shown.lower() == "winmail.dat":
            problems.append(f"attachment {shown!r} is Outlook's TNEF wrapper: TNEF is not decoded, so the "
                            "files and formatting inside it were not read")
            got_text, got_problems = None, ()
        elif not self.limits.read_attachment_text:
            got_text, got_problems = None, (f"attachment {shown!r} not read: the checker stopped while reading "
                                            "this message",)
        else:
            charset = _safe(part, MimePart.get_content_charset)
            got = extract_text(data, name, f"{ctype}; charset={charset}" if charset else ctype, limits=self.limits)
            got_text, got_problems = got.text, got.problems
        described = _raw(part, "content-description")
        cid = _raw(part, "content-id")
        self.attachments.append(MailAttachment(
            filename=name, content_type=ctype, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            text=scrub(got_text) if got_text is not None else None, problems=(*problems, *got_problems),
            inline=disposition == "inline" or (disposition is None and bool(cid)),
            content_id=self.value("Content-ID", cid, words=False).strip("<>") or None,
            description=self.value("Content-Description", described) or None))

    def inner_message(self, part: MimePart, depth: int, name: str | None, disposition: str | None) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload and isinstance(payload[0], MimePart) else None
        cte = _raw(part, "content-transfer-encoding").strip().lower()
        raw, walk = None, True
        if inner is None or cte in ("base64", "quoted-printable"):  # encoded, so the parser could not see it
            source = inner.get_payload() if inner is not None else payload
            source = source if isinstance(source, str) else ""
            raw = _base64(source)[0] if cte == "base64" else source.encode("utf-8", "surrogateescape")
            raw = binascii.a2b_qp(raw) if cte == "quoted-printable" else raw
            inner, walk = _parse_within_limits(raw, _header_end(raw, self.limits.max_header_bytes)[0],
                                               self.limits, self.problems)
        if inner is None:
            self.problems.append("a forwarded message could not be read")
            return
        if raw is None:  # the parser keeps no bytes of an inner message: hash it as re-serialised
            raw = _safe(inner, lambda m: m.as_bytes(), b"")
        parsed = self.nested(inner, raw, depth + 1, walk=walk)
        self.inner.append(parsed)
        if name or disposition == "attachment":
            self.attachments.append(MailAttachment(safe_filename(name), "message/rfc822", len(raw),
                                                   hashlib.sha256(raw).hexdigest()))

    def nested(self, msg: MimePart, raw: bytes, depth: int, *, walk: bool) -> ParsedMail:
        reader = _Reader(self.limits, self.budget, depth)
        parsed = reader.read(msg, hashlib.sha256(raw).hexdigest(), len(raw), walk=walk)
        label = "returned message: " if self.is_bounce else "forwarded message: "
        self.problems.extend(p if p.startswith(("returned message: ", "forwarded message: ")) else label + p
                             for p in parsed.problems)
        return parsed

    def delivery_status(self, part: MimePart) -> None:
        self.is_bounce = True
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            text, _ = decode_bytes(self.payload(part, "the delivery report"), "utf-8")
            blocks = [BytesHeaderParser(policy=email_policy.compat32).parsebytes(b.encode("utf-8", "replace"))
                      for b in re.split(r"\r?\n[ \t]*\r?\n", text)]
        for block in blocks:
            if not isinstance(block, MimePart):
                continue
            fields = {k.strip().lower(): self.value(k.strip(), v) for k, v in _items(block)}
            who = fields.get("original-recipient") or fields.get("final-recipient")
            if who:
                self.bounces.append(BounceRecipient(
                    who.split(";", 1)[-1].strip().strip("<>").lower(), fields.get("action"), fields.get("status"),
                    fields.get("diagnostic-code", "").split(";", 1)[-1].strip() or None))

    def read(self, msg: MimePart, digest: str, size: int, *, walk: bool) -> ParsedMail:
        fields = self.headers(msg)
        if walk:
            self.walk(msg, self.depth, True)
        text = "\n\n".join(t.strip() for t in self.body if t.strip())
        html = "\n\n".join(t for t in self.html if t.strip())
        if not text and html:
            text = html
        calendar = [c for c in dict.fromkeys(self.calendar) if c and c not in text]
        text = "\n\n".join(filter(None, [text, *calendar]))
        sender = fields["from_"]
        if not self.is_bounce and sender and _BOUNCE_SENDER.match(sender.addr) and \
                _BOUNCE_SUBJECT.search(fields["subject"] or ""):
            self.is_bounce = True
        problems = [*self.problems, *(p for a in self.attachments for p in a.problems)]
        return ParsedMail(raw_sha256=digest, raw_size=size, **fields, text=scrub(text), html_text=html or None,
                          attachments=tuple(self.attachments), inner_messages=tuple(self.inner),
                          is_bounce=self.is_bounce, bounces=tuple(self.bounces),
                          headers_suspect=tuple(dict.fromkeys(self.suspects)),
                          problems=tuple(dict.fromkeys(problems)))


def _preferred(children: list[MimePart]) -> int:
    """The alternative to read as the body: the first plain text, else the last HTML or multipart."""
    types = [_safe(c, MimePart.get_content_type, "") for c in children]
    for i, t in enumerate(types):
        if t == "text/plain":
            return i
    rich = [i for i, t in enumerate(types) if t == "text/html" or t.startswith("multipart/")]
    return rich[-1] if rich else 0


# --- raw bytes ---------------------------------------------------------------------------------------

_HEAD_END = re.compile(rb"\r?\n\r?\n")
# a Content-* header (folded or not) longer than _LONG; literal prefixes keep the scan fast
_LONG_MIME = [re.compile(prefix + rb"-[A-Za-z-]*:(?:[^\r\n]|\r?\n[ \t]){%d}" % _LONG)
              for prefix in (rb"ontent", rb"ONTENT")]
_FEED = 1 << 20


def _head_length(raw: bytes, cap: int) -> int | None:
    """Where the header block ends (its blank line), or None when it is not within ``cap`` bytes."""
    found = _HEAD_END.search(raw, 0, cap)
    return found.start() if found else (len(raw) if len(raw) <= cap else None)


def _delimiter_cut(raw: bytes, allowed: int) -> int | None:
    """Where the line after ``allowed`` MIME-delimiter-like lines starts, or None if there are fewer."""
    at = -1
    for _ in range(allowed + 1):
        at = raw.find(b"\n--", at + 1)
        if at < 0:
            return None
    return at + 1


def _clean_head(raw: bytes, end: int, suspects: list[str]) -> bytes:
    """Bare CR, stray LF and NUL in the header block become spaces, so nothing is injected as a header."""
    head = raw[:end]
    crlf = head.count(b"\r\n")
    lone_lf, lone_cr = head.count(b"\n") - crlf, head.count(b"\r") - crlf
    fixed = head
    if b"\x00" in fixed:
        suspects.append("NUL bytes in the headers; replaced with spaces")
        fixed = fixed.replace(b"\x00", b" ")
    if lone_cr and (crlf or lone_lf):
        suspects.append("a bare CR inside the headers (possible header injection); joined to the header before it")
        fixed = re.sub(rb"\r(?!\n)", b" ", fixed)
    if lone_lf and crlf >= lone_lf:
        suspects.append("a bare LF in headers whose lines end in CRLF (possible header injection); "
                        "joined to the header before it")
        fixed = re.sub(rb"(?<!\r)\n", b" ", fixed)
    return raw if fixed is head else fixed + raw[end:]


def _parse_bytes(raw: bytes, problems: list[str], *, headers_only: bool) -> MimePart | None:
    """The modern policy first; compat32 when it raises; None when both do.

    Long base64 bodies stand aside while the structure is parsed (``mime_blobs``): that is most of the
    parsing time of a message with a PDF.

    Bytes are fed in slices: parsing the whole at once would copy them into a StringIO at four bytes
    a character, which for a 50 MB message is most of the memory used. MIME headers of many kilobytes
    go straight to compat32, as the modern parser takes minutes over them.
    """
    policies = (_MODERN, email_policy.compat32)
    # searched with the base64 runs folded away: a header (a line with ':', or its continuation, which starts
    # with a space or tab) is never inside one, and the search takes a tenth of the time
    folded, runs = (raw, []) if headers_only else mime_blobs.fold(raw)
    if any(p.search(folded) for p in _LONG_MIME):
        problems.append(f"MIME headers over {_LONG // 1024} KB long: read with the compat32 parser")
        policies = policies[1:]
    for policy in policies:
        try:
            if headers_only:
                return BytesHeaderParser(policy=policy).parsebytes(raw)
            if runs:
                msg = _feed(folded, policy)
                if mime_blobs.unfold(msg, runs):
                    return msg
            return _feed(raw, policy)
        except Exception as exc:
            which = "modern" if policy is _MODERN else "compat32"
            problems.append(f"the {which} e-mail parser failed ({type(exc).__name__})")
    return None


def _feed(raw: bytes, policy: EmailPolicy) -> MimePart:
    parser = BytesFeedParser(policy=policy)
    for start in range(0, len(raw), _FEED):
        parser.feed(raw[start:start + _FEED])
    return parser.close()


def parse_mail(raw: bytes, *, limits: MailLimits = MailLimits()) -> ParsedMail:
    """Parse one message. Never raises: what could not be read is listed in ``problems``."""
    try:
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)
    except Exception:
        data = b""
    digest = hashlib.sha256(data).hexdigest()
    try:
        return _parse(data, digest, limits)
    except Exception as exc:  # the last guard: a parser bug must not lose the message
        return ParsedMail(raw_sha256=digest, raw_size=len(data), problems=(
            f"the message could not be parsed ({type(exc).__name__}); only its hash and size were kept",))


def _parse_within_limits(raw: bytes, end: int, limits: MailLimits,
                         problems: list[str]) -> tuple[MimePart | None, bool]:
    """Parse a message whose headers end at ``end``: (the message or None, whether its body was read)."""
    lines = raw.count(b"\n")
    if lines > limits.max_lines:  # the parser keeps an object per line: this bounds its memory
        problems.append(f"the message has {lines:,} lines, over the {limits.max_lines:,} limit: "
                        "only its headers were read")
        return _parse_bytes(raw[:end], problems, headers_only=True), False
    cut = _delimiter_cut(raw, 4 * limits.max_parts)
    if cut is not None:  # more parts than are read anyway: the parser need not build them all
        problems.append(f"the message has over {4 * limits.max_parts:,} MIME boundary lines; the rest of it "
                        "was not parsed")
        raw = raw[:cut]
    msg = _parse_bytes(raw, problems, headers_only=False)
    if msg is None:  # e.g. MIME nested so deep that the parser recursed too far
        problems.append("the message body could not be parsed: only its headers were read")
        return _parse_bytes(raw[:end], problems, headers_only=True), False
    return msg, True


def _header_end(raw: bytes, cap: int) -> tuple[int, bool]:
    """Where the header block ends, and False when it runs past ``cap`` (then: the last line end before it)."""
    end = _head_length(raw, cap)
    return (end, True) if end is not None else (raw.rfind(b"\n", 0, cap) + 1, False)


def _parse(data: bytes, digest: str, limits: MailLimits) -> ParsedMail:
    problems: list[str] = []
    suspects: list[str] = []
    end, fits = _header_end(data, limits.max_header_bytes)
    cleaned = _clean_head(data, end, suspects)
    if not fits or len(data) > limits.max_raw_bytes:
        problems.append(f"the message is {human_size(len(data))}, over the {human_size(limits.max_raw_bytes)} "
                        "limit: only its headers were read" if fits else
                        f"the headers are over {human_size(limits.max_header_bytes)} long: only their first "
                        f"{human_size(limits.max_header_bytes)} was read, and no body")
        msg, walk = _parse_bytes(cleaned[:end], problems, headers_only=True), False
    else:
        msg, walk = _parse_within_limits(cleaned, end, limits, problems)
    if msg is None:
        return ParsedMail(raw_sha256=digest, raw_size=len(data), headers_suspect=tuple(suspects),
                          problems=(*problems, "the message could not be parsed; only its hash and size were kept"))
    reader = _Reader(limits, _Budget(), 0)
    reader.problems, reader.suspects = problems, suspects
    return reader.read(msg, digest, len(data), walk=walk)


# --- for people and for the checker ---------------------------------------------------------------

_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw)\s*:", re.I)
_FORWARD_BODY = re.compile(r"^-{5,}\s*Forwarded message\s*-{5,}|^Begin forwarded message:", re.M | re.I)


def _who(parsed: ParsedMail, addrs: tuple[str, ...]) -> str:
    return ", ".join(str(Address(a, parsed.names.get(a))) for a in addrs)


def as_text(parsed: ParsedMail, *, headers: bool = False) -> str:
    """The message as readable text: body, delivery reports, forwarded messages, attachment text."""
    parts = []
    if headers:
        lines = [("From", str(parsed.from_) if parsed.from_ else ""), ("To", _who(parsed, parsed.to)),
                 ("Cc", _who(parsed, parsed.cc)), ("Date", parsed.date.isoformat() if parsed.date else ""),
                 ("Subject", parsed.subject or "")]
        parts.append("\n".join(f"{k}: {v}" for k, v in lines if v))
    if parsed.text.strip():
        parts.append(parsed.text.strip())
    for b in parsed.bounces:
        parts.append(f"Delivery report: {b.recipient}: {b.action or 'unknown'}, status {b.status or 'unknown'}"
                     + (f" ({b.diagnostic})" if b.diagnostic else ""))
    label = "Returned message" if parsed.is_bounce else "Forwarded message"
    for inner in parsed.inner_messages:
        parts.append(f"---------- {label} ----------\n{as_text(inner, headers=True)}")
    for a in parsed.attachments:
        if a.text and a.text.strip() and a.text.strip() not in parsed.text:
            parts.append(f"---------- Attachment: {a.filename or 'unnamed'} ({a.content_type}) ----------\n"
                         f"{a.text.strip()}")
    return scrub("\n\n".join(p for p in parts if p))


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    marker = f"\n[… {len(text) - limit:,} more characters were not checked: over the checker's limit]"
    return text[: limit - len(marker)] + marker


def to_message(parsed: ParsedMail, *, kind: str = "email") -> Message:
    """The checker's Message for a parsed e-mail; attachment and forwarded text are part of ``text``."""
    forwarded = (bool(parsed.inner_messages) and not parsed.is_bounce) or bool(
        _FORWARD_SUBJECT.match(parsed.subject or "")) or bool(_FORWARD_BODY.search(parsed.text))
    return Message(
        id=parsed.message_id, kind=kind, channel="email", text=_fit(as_text(parsed), MAX_TEXT_CHARS),
        subject=parsed.subject, from_=parsed.from_.addr if parsed.from_ else None,
        to=list(parsed.to), cc=list(parsed.cc), bcc=list(parsed.bcc), forwarded=forwarded,
        attachments=[Attachment(filename=a.filename, content_type=a.content_type, description=a.description)
                     for a in parsed.attachments])
