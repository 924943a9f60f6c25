"""A small writer of plain-text PDF documents: pages of wrapped lines in Helvetica, with a proper xref.

WHY: a disclosure bundle must be a PDF the requester can open anywhere, and nothing installed writes one
(pypdf reads and edits PDFs but lays out no text). A response bundle needs only wrapped text on A4 pages,
so this writes PDF 1.4 directly: the standard Helvetica fonts (which every reader has, so nothing is
embedded) in WinAnsiEncoding, one compressed content stream per page, a page footer, and the cross-reference
table and trailer that make the file valid. Characters that WinAnsi cannot show print as "?" (the plain-text
copies in the bundle keep them).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

__all__ = ["Para", "TextPdf", "text_width", "wrap"]

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN = 56.0
FOOTER_Y = 30.0
# Helvetica advance widths (1/1000 em) for codes 32-126, from the font's standard metrics.
_WIDTHS = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
           556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778,
           722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
           278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
           556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
_OTHER = 611  # other WinAnsi characters: about an average capital's width
_BOLD = 1.08  # Helvetica-Bold is at most this much wider, close enough for wrapping
_BREAK = re.compile(r" (?![^\[\]]*\])")  # a space not inside [...]


@dataclass(frozen=True)
class Style:
    font: str  # F1 Helvetica, F2 Helvetica-Bold
    size: float
    before: float  # space above the paragraph, in points


STYLES = {"title": Style("F2", 16, 0), "heading": Style("F2", 12, 10), "body": Style("F1", 10, 4),
          "small": Style("F1", 8, 2)}


@dataclass(frozen=True)
class Para:
    """A paragraph: its text (newlines kept as line breaks) and style: title, heading, body or small."""

    text: str
    style: str = "body"


def _clean(text: str) -> str:
    """Tabs to spaces, other control characters dropped, and characters WinAnsi lacks shown as '?'."""
    text = text.expandtabs(4)
    text = "".join(ch for ch in text if ch >= " " or ch == "\n")
    return text.encode("cp1252", "replace").decode("cp1252")


def _units(ch: str) -> int:
    return _WIDTHS[ord(ch) - 32] if 32 <= ord(ch) <= 126 else _OTHER


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(map(_units, text)) * size / 1000 * (_BOLD if bold else 1.0)


def wrap(line: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """One line broken at spaces to fit ``width`` points, never inside [square brackets] (so a redaction
    marker stays whole); a word longer than a line is cut, in one pass over it (a pasted line of base64
    of 100,000 characters is cut in milliseconds)."""
    out: list[str] = []
    current = ""
    for word in _BREAK.split(line):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        *whole, current = _cut(word, width, size, bold)
        out.extend(whole)
    out.append(current)
    return out


def _cut(word: str, width: float, size: float, bold: bool) -> list[str]:
    """``word`` in pieces, each the longest run that fits ``width`` (at least one character); the last is
    what the next word may join."""
    factor = _BOLD if bold else 1.0
    pieces: list[str] = []
    start, used = 0, 0
    for i, ch in enumerate(word):
        units = _units(ch)
        if i > start and (used + units) * size / 1000 * factor > width:
            pieces.append(word[start:i])
            start, used = i, 0
        used += units
    pieces.append(word[start:])
    if used * size / 1000 * factor > width:  # one character wider than the line: it has a line of its own
        pieces.append("")
    return pieces


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252", "replace")
    out = bytearray(b"(")
    for b in data:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif 32 <= b <= 126:
            out.append(b)
        else:
            out += b"\\%03o" % b
    return bytes(out + b")")


class TextPdf:
    """Build a PDF section by section; each section starts on a new page."""

    def __init__(self, *, title: str, footer: str = ""):
        self.title = title
        self.footer = footer
        self.pages: list[list[tuple[str, float, float, float, str]]] = []  # (font, size, x, y, text)
        self._y = 0.0

    def section(self, paras: Iterable[Para]) -> None:
        self._new_page()
        first = True
        for para in paras:
            style = STYLES[para.style]
            leading = style.size * 1.3
            if not first:
                self._y -= style.before
            first = False
            for raw in _clean(para.text).split("\n"):
                for line in wrap(raw, PAGE_W - 2 * MARGIN, style.size, bold=style.font == "F2"):
                    if self._y - leading < MARGIN:
                        self._new_page()
                    self._y -= leading
                    if line:
                        self.pages[-1].append((style.font, style.size, MARGIN, self._y, line))

    def _new_page(self) -> None:
        self.pages.append([])
        self._y = PAGE_H - MARGIN

    def to_bytes(self, *, created: datetime | None = None) -> bytes:
        """The finished PDF. ``created`` (default now) is its creation date; the same input gives the same bytes."""
        created = (created or datetime.now(timezone.utc)).astimezone(timezone.utc)
        pages = self.pages or [[]]
        objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled below)
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        stamp = created.strftime("D:%Y%m%d%H%M%SZ").encode()
        objects.append(b"<< /Title " + _pdf_string(_clean(self.title)) + b" /Producer (councilguard) /CreationDate ("
                       + stamp + b") >>")
        kids = []
        for n, lines in enumerate(pages, 1):
            content = self._content(lines, n, len(pages))
            stream = zlib.compress(content, 9)
            objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
                           + b"\nendstream")
            contents = len(objects)  # object numbers start at 1
            objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 3 0 R "
                           b"/F2 4 0 R >> >> /Contents %d 0 R >>" % (PAGE_W, PAGE_H, contents))
            kids.append(len(objects))
        objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
        objects[1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                      + b"] /Count %d >>" % len(kids))
        return _assemble(objects)

    def _content(self, lines: list[tuple[str, float, float, float, str]], n: int, total: int) -> bytes:
        ops = []
        for font, size, x, y, text in lines:
            ops.append(b"BT /%s %.1f Tf %.2f %.2f Td %s Tj ET" % (font.encode(), size, x, y, _pdf_string(text)))
        footer = f"{self.footer} - page {n} of {total}" if self.footer else f"page {n} of {total}"
        ops.append(b"BT /F1 8 Tf %.2f %.2f Td %s Tj ET" % (MARGIN, FOOTER_Y, _pdf_string(_clean(footer))))
        return b"\n".join(ops) + b"\n"


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    file_id = hashlib.sha256(bytes(out)).hexdigest()[:32].encode()
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, file_id, file_id, xref))
    return bytes(out)
