"""Reading the text inside e-mail attachments, safely, so an archived message can be searched and checked.

Attachments come from strangers: a PDF may be corrupt, a .docx or .zip may be a bomb that expands a
few kilobytes into gigabytes, a text file may be in any charset. Nothing here may raise, run away with
memory or lose the attachment: :func:`extract_text` returns the text it could read (or ``None`` for
kinds it does not read) with plain-English problems. Archives are checked on their declared sizes before
anything is inflated, then read as a stream that stops at the caps, so a lying header cannot get past.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import re
import threading
import zipfile
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:  # pragma: no cover - mail imports this module; the import back is lazy
    from councilguard.records.mail import MailLimits

MAX_ZIP_ENTRIES = 10_000
_CHUNK = 64 * 1024
_SMALL = 1024 * 1024  # below this an archive's compression ratio is not held against it

# Labels mail clients use that Python does not know, or knows as a stricter subset of what is meant.
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "euc-kr": "cp949",
    "x-sjis": "shift_jis", "windows-31j": "cp932", "unicode-1-1-utf-7": "utf-7",
    "x-mac-roman": "mac_roman", "macintosh": "mac_roman", "iso-8859-8-i": "iso-8859-8",
    "utf8": "utf-8", "x-unknown": "", "unknown-8bit": "", "x-user-defined": "",
}
_LATIN1 = {"iso8859-1", "latin-1", "iso-8859-1", "latin1", "l1", "iso_8859-1"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SURROGATES = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Extracted:
    """The text read from one attachment (``None`` when its kind is not read) and what went wrong."""

    text: str | None
    problems: tuple[str, ...] = ()


class _Refused(Exception):
    """An archive or document that the caps forbid opening; ``str()`` says why."""


def human_size(n: int) -> str:
    """'40 KB', '50 MB': sizes as people read them (1 KB = 1024 bytes)."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value >= 10 or value.is_integer() else f"{value:.1f} {unit}"
    return f"{n} bytes"


def shorten(text: str, limit: int = 80) -> str:
    """Text cut to ``limit`` characters for a problem message: hostile values can be megabytes long."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def scrub(text: str) -> str:
    """Replace lone surrogates (left by undecodable bytes) so the text is valid Unicode everywhere."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def _codec(charset: str) -> str | None:
    """The Python codec for a MIME charset label, or None when it is unknown."""
    label = charset.strip().strip('"').lower()
    label = _CHARSET_ALIASES.get(label, label)
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in _LATIN1 else name  # what 'latin-1' senders mean (as browsers do)


def decode_bytes(data: bytes, charset: str | None = None, *, what: str = "text") -> tuple[str, str | None]:
    """Decode ``data`` in its declared charset, falling back sensibly; returns (text, problem or None)."""
    label = shorten((charset or "").strip().strip('"'), 40)
    if not label:
        text, used = sniff_text(data)
        if used in ("ascii", "utf-8", "utf-8-sig"):
            return text, None
        return text, f"{what} has no charset and is not utf-8; decoded as {used}"
    codec = _codec((charset or "").strip().strip('"'))
    if codec is None:
        text, used = _utf8_or(data, "latin-1")
        return text, f"{what} in unknown charset {label!r}; decoded as {used}"
    try:
        return scrub(data.decode(codec)), None
    except (UnicodeDecodeError, LookupError, ValueError):
        pass
    if codec == "cp1252":
        return data.decode("cp1252", errors="cg-latin1"), None
    if codec in ("utf-8", "ascii"):
        text, used = _utf8_or(data, "windows-1252")
        return text, f"{what} is not valid {label}; decoded as {used}"
    try:
        text = scrub(data.decode(codec, errors="replace"))
    except Exception:  # a codec that fails even when told to replace (seen with utf-7)
        text, _ = _utf8_or(data, "windows-1252")
    return text, f"{what} has bytes that are not valid {label}; they are shown as \ufffd"


def _latin1_for_undefined(err: UnicodeDecodeError) -> tuple[str, int]:
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error("cg-latin1", _latin1_for_undefined)


def _utf8_or(data: bytes, fallback: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        if fallback == "windows-1252":
            return data.decode("cp1252", errors="cg-latin1"), "windows-1252"
        return data.decode("latin-1"), "latin-1"


def sniff_text(data: bytes) -> tuple[str, str]:
    """Text of undeclared charset: a BOM if any, else utf-8 if valid, else windows-1252."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return scrub(data.decode(codec, errors="replace")), codec
    if data.isascii():
        return data.decode("ascii"), "ascii"
    return _utf8_or(data, "windows-1252")


# --- HTML -------------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "hr", "section", "article", "header", "footer", "dl", "dt", "dd", "address", "form"}
_SKIP = {"script", "style", "template", "title"}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0
        self.links: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append("\t")
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len(self.out)))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.out.append(f" [image: {alt}] ")
        if tag in _BLOCKS:
            self.out.append("\n")
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.out[start:]).strip()
            target = (href or "").strip()
            bare = target.removeprefix("mailto:").removeprefix("tel:")
            if target and not target.startswith(("#", "javascript:", "cid:")) and bare not in shown:
                self.out.append(f" ({target})" if shown else target)
        if tag in _BLOCKS:
            self.out.append("\n")
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:  # HTML whitespace: runs collapse, and none at the start of a line
            data = re.sub(r"\s+", " ", data)
            if data.startswith(" ") and (not self.out or self.out[-1][-1:] in ("", " ", "\n", "\t")):
                data = data[1:]
        if data:
            self.out.append(data)


MAX_PARSED_HTML = 2_000_000  # html.parser reads about 2 MB a second; larger HTML is stripped by patterns
_DROP = re.compile(r"<(script|style|template|title)\b.*?</\1\s*>", re.I | re.S)
_BREAK = re.compile(r"<(?:br|/?(?:p|div|tr|li|h[1-6]|table|ul|ol|blockquote|pre|hr))\b[^>]*>", re.I)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body: scripts and styles dropped, links kept as 'text (href)'."""
    if len(html) > MAX_PARSED_HTML:
        text = _BREAK.sub("\n", _DROP.sub(" ", html))
        text = unescape(re.sub(r"<[^>]*>", " ", text))
        lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines())
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    parser = _HTMLText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; anything it still rejects keeps what was read so far
        pass
    lines = (line.rstrip() for line in "".join(parser.out).replace("\xa0", " ").splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- calendar invitations ---------------------------------------------------------------------------

_ICS_FIELDS = {"SUMMARY": "Event", "DTSTART": "When", "LOCATION": "Where", "ORGANIZER": "Organiser",
               "ATTENDEE": "Attendee", "DESCRIPTION": "Description"}


def _ics_line(line: str) -> tuple[str, dict[str, str], str]:
    quoted, cut = False, -1
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            cut = i
            break
    if cut < 0:
        return "", {}, ""
    head, value = line[:cut], line[cut + 1:]
    name, *params = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', head)
    pairs = dict(p.split("=", 1) for p in params if "=" in p)
    return name.strip().upper(), {k.upper(): v.strip('"') for k, v in pairs.items()}, value


def _ics_value(name: str, params: dict[str, str], value: str) -> str:
    if name in ("ORGANIZER", "ATTENDEE"):
        addr = re.sub(r"^mailto:", "", value.strip(), flags=re.I)
        return f"{params['CN']} <{addr}>" if params.get("CN") else addr
    if name == "DTSTART":
        m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)\d\d(Z?))?", value.strip())
        if not m:
            return value.strip()
        y, mo, d, hh, mm, z = m.groups()
        when = f"{y}-{mo}-{d}" + (f" {hh}:{mm}" if hh else "")
        zone = "UTC" if z else params.get("TZID")
        return f"{when} ({zone})" if zone and hh else when
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def calendar_text(ics: str) -> str | None:
    """Plain text of an iCalendar invitation: what, when, where, who organises and who is invited."""
    method, events, current = None, [], None
    for line in re.sub(r"\r?\n[ \t]", "", ics).splitlines():
        name, params, value = _ics_line(line)
        if name == "BEGIN" and value.strip().upper() == "VEVENT":
            current = []
        elif name == "END" and value.strip().upper() == "VEVENT" and current is not None:
            events.append(current)
            current = None
        elif name == "METHOD" and current is None:
            method = value.strip().upper()
        elif current is not None and name in _ICS_FIELDS:
            current.append(f"{_ICS_FIELDS[name]}: {_ics_value(name, params, value)}")
    if not events:
        return None
    title = "Calendar invitation" if method in (None, "REQUEST", "PUBLISH") else f"Calendar {method.lower()}"
    return "\n\n".join(f"{title}\n" + "\n".join(sorted(e, key=lambda f: list(_ICS_FIELDS.values()).index(
        f.split(":", 1)[0]))) for e in events)


# --- archives and office documents ----------------------------------------------------------------


def _open_zip(data: bytes, limits: MailLimits) -> zipfile.ZipFile:
    """A zip whose declared sizes fit the caps; raises _Refused saying which cap it breaks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError, struct errors, ...
        raise _Refused(f"it is not a readable zip archive ({type(exc).__name__})") from None
    declared = sum(m.file_size for m in members)
    if len(members) > MAX_ZIP_ENTRIES:
        raise _Refused(f"it holds {len(members):,} files, over the {MAX_ZIP_ENTRIES:,} limit")
    if declared > limits.max_decompressed_bytes:
        raise _Refused(f"compressed size {human_size(len(data))} expands past the "
                       f"{human_size(limits.max_decompressed_bytes)} limit")
    if declared > _SMALL and declared > limits.max_compression_ratio * max(len(data), 1):
        raise _Refused(f"it expands {declared // max(len(data), 1):,} times, past the "
                       f"{limits.max_compression_ratio}:1 limit (a possible zip bomb)")
    return archive


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: list[int],
                 limits: MailLimits) -> bytes:
    """A member's bytes, streamed and stopped as soon as it outgrows the budget or the ratio."""
    if member.flag_bits & 0x1:
        raise _Refused("it is encrypted")
    cap = min(budget[0], max(_SMALL, limits.max_compression_ratio * max(member.compress_size, 1)))
    if member.file_size > cap:
        raise _Refused(f"it expands to {human_size(member.file_size)}, past the limit")
    chunks, size = [], 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise _Refused(f"it expands past {human_size(cap)} (a possible zip bomb)")
            chunks.append(chunk)
    budget[0] -= size
    return b"".join(chunks)


def _xml(data: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise _Refused("its XML declares entities, which office documents never need")
    return ElementTree.fromstring(data)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _docx_text(root: ElementTree.Element) -> str:
    paragraphs = []
    for p in root.iter(f"{_W}p"):
        bits = []
        for el in p.iter():
            if el.tag == f"{_W}t" and el.text:
                bits.append(el.text)
            elif el.tag == f"{_W}tab":
                bits.append("\t")
            elif el.tag in (f"{_W}br", f"{_W}cr"):
                bits.append("\n")
        paragraphs.append("".join(bits))
    return "\n".join(paragraphs).strip()


def _odt_text(root: ElementTree.Element) -> str:
    out = []
    for el in root.iter():
        if el.tag in (f"{_ODF}p", f"{_ODF}h"):
            out.append("".join(el.itertext()))
    return "\n".join(out).strip()


def _office(data: bytes, member: str, reader, limits: MailLimits) -> str:
    archive = _open_zip(data, limits)
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise _Refused(f"it has no {member}, so it is not a valid document") from None
    return reader(_xml(_read_member(archive, info, [limits.max_decompressed_bytes], limits)))


def _zip(data: bytes, name: str, limits: MailLimits) -> Extracted:
    archive = _open_zip(data, limits)
    budget, lines, texts, problems = [limits.max_decompressed_bytes], [], [], []
    for member in archive.infolist():
        if member.is_dir():
            continue
        lines.append(f"  {shorten(member.filename, 255)} ({human_size(member.file_size)})")
        kind = _kind(b"", member.filename, "")
        if kind is None or kind in ("zip", "eml"):
            continue
        try:
            content = _read_member(archive, member, budget, limits)
        except _Refused as why:
            problems.append(f"{shorten(member.filename)!r} in attachment {name!r} not read: {why}")
            continue
        except Exception as exc:
            problems.append(f"{shorten(member.filename)!r} in attachment {name!r} not read: damaged "
                            f"({type(exc).__name__})")
            continue
        # depth 1: archives inside are listed, never opened; documents share what is left of the budget
        inner = dataclasses.replace(limits, max_depth=0, max_decompressed_bytes=max(budget[0], 0))
        got = _extract(content, member.filename, "", kind, inner)
        problems.extend(got.problems)
        if got.text:
            texts.append(f"--- {member.filename} ---\n{got.text}")
    listing = f"Archive {name} holds {len(lines)} file(s):\n" + "\n".join(lines)
    return Extracted("\n\n".join([listing, *texts]), tuple(problems))


# --- dispatch ---------------------------------------------------------------------------------------

_TYPES = {
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/zip": "zip", "application/x-zip-compressed": "zip", "application/x-zip": "zip",
    "message/rfc822": "eml", "text/html": "html", "application/xhtml+xml": "html",
    "text/calendar": "ics", "application/ics": "ics",
}
_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".zip": "zip", ".eml": "eml", ".html": "html",
               ".htm": "html", ".ics": "ics", ".txt": "text", ".csv": "text", ".md": "text", ".log": "text"}


def _kind(data: bytes, filename: str | None, content_type: str | None) -> str | None:
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    by_name = _EXTENSIONS.get(PurePosixPath((filename or "").replace("\\", "/")).suffix.lower())
    by_type = _TYPES.get(ctype) or ("text" if ctype.startswith("text/") else None)
    return by_name or by_type


# PDFium is not thread-safe, not even across documents: one call into it at a time in a process.
_PDFIUM = threading.Lock()


def _pdf(data: bytes, name: str, limits: MailLimits) -> Extracted:
    """A PDF's text with PDFium (pypdfium2): C speed, about a third of pypdf's time on a council report."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    problems: list[str] = []
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                return Extracted(None, (f"attachment {name!r} is an encrypted PDF; its text cannot be read "
                                        "without the password",))
            return Extracted(None, (f"attachment {name!r} could not be read as a PDF ({type(exc).__name__})",))
        with document:
            try:
                if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
                    problems.append(f"attachment {name!r} is an encrypted PDF that opens without a password; text read")
                pages = []
                for index in range(len(document)):
                    if index >= limits.max_pdf_pages:
                        problems.append(f"attachment {name!r}: only the first {limits.max_pdf_pages} pages were read")
                        break
                    try:
                        pages.append(_page_text(document, index))
                    except Exception as exc:  # one damaged page must not cost the rest
                        problems.append(f"attachment {name!r}: page {index + 1} could not be read ({type(exc).__name__})")
                text = "\n\n".join(pages).replace("\r\n", "\n").replace("\r", "\n").strip()
                return Extracted(scrub(text), tuple(problems))
            except Exception as exc:  # none may escape: the message must be kept whatever its attachment holds
                return Extracted(None, (*problems, f"attachment {name!r} could not be read as a PDF ({type(exc).__name__})"))


def _page_text(document, index: int) -> str:
    """One page's text, its PDFium page and text page closed at once (the caller holds ``_PDFIUM``)."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()


def _eml(data: bytes, limits: MailLimits) -> Extracted:
    from councilguard.records.mail import as_text, parse_mail

    parsed = parse_mail(data, limits=dataclasses.replace(limits, max_depth=limits.max_depth - 1))
    return Extracted(as_text(parsed, headers=True), parsed.problems)


def _extract(data: bytes, name: str, content_type: str, kind: str, limits: MailLimits) -> Extracted:
    try:
        if kind == "pdf":
            return _pdf(data, name, limits)
        if kind == "docx":
            return Extracted(_office(data, "word/document.xml", _docx_text, limits))
        if kind == "odt":
            return Extracted(_office(data, "content.xml", _odt_text, limits))
        if kind == "zip":
            if limits.max_depth <= 0:
                return Extracted(None, (f"attachment {name!r} not opened: archives inside archives are only listed",))
            return _zip(data, name, limits)
        if kind == "eml":
            if limits.max_depth <= 0:
                return Extracted(None, (f"attachment {name!r} not opened: messages nested too deep",))
            return _eml(data, limits)
        charset = re.search(r'charset\s*=\s*"?([^";\s]+)', content_type or "", re.I)
        if charset:
            text, problem = decode_bytes(data, charset.group(1), what=f"attachment {name!r}")
        else:  # an attached file carries no charset: sniffing it is normal, not a problem
            text, problem = sniff_text(data)[0], None
        problems = (problem,) if problem else ()
        text = re.sub(r"\r\n?", "\n", text)
        if kind == "html":
            return Extracted(html_to_text(text), problems)
        if kind == "ics":
            return Extracted(calendar_text(text) or text, problems)
        return Extracted(text, problems)
    except _Refused as why:
        return Extracted(None, (f"attachment {name!r} not opened: {why}",))
    except Exception as exc:  # a damaged document must never lose the message
        return Extracted(None, (f"attachment {name!r} could not be read ({type(exc).__name__}: {shorten(str(exc))})",))


def extract_text(data: bytes, filename: str | None, content_type: str | None, *,
                 limits: MailLimits | None = None) -> Extracted:
    """The text of one attachment, or ``None`` for kinds not read (pictures, executables, ...)."""
    if limits is None:
        from councilguard.records.mail import MailLimits

        limits = MailLimits()
    name = filename or "unnamed"
    kind = _kind(data, filename, content_type)
    if kind is None:
        return Extracted(None)
    if len(data) > limits.max_attachment_bytes:
        return Extracted(None, (f"attachment {name!r} not opened: {human_size(len(data))} is over the "
                                f"{human_size(limits.max_attachment_bytes)} limit for reading text",))
    return _extract(data, name, content_type or "", kind, limits)
