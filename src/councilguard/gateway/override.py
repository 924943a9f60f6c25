"""The sender's override header: read the justification from the raw message, and strip it before relaying.

A councillor may send a message the checker warns about by giving a reason in a header, e.g.
``X-Councilguard-Override: agreed with the Clerk, minute 24/113``. The reason is archived with the record;
the header itself is internal to the council and is removed from the bytes sent on. Only the top-level
header block counts (a forwarded message's headers are part of its body), and the rest of the message is
passed on byte for byte.
"""

from __future__ import annotations

import re
from email.header import decode_header, make_header

MAX_JUSTIFICATION = 1000  # characters kept; a justification is a sentence, not an essay
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_LINE = re.compile(rb"[^\n]*\n|[^\n]+$")


def _header_lines(raw: bytes) -> tuple[list[bytes], int]:
    """The header block's physical lines (each with its line ending) and where the block ends."""
    found = _HEAD_END.search(raw)
    end = found.start() + (2 if raw[found.start():found.start() + 2] == b"\r\n" else 1) if found else len(raw)
    return _LINE.findall(raw[:end]), end


def _fields(lines: list[bytes]) -> list[list[bytes]]:
    """Physical lines grouped into header fields (a field and its folded continuation lines)."""
    fields: list[list[bytes]] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1].append(line)
        else:
            fields.append([line])
    return fields


def _is(field: list[bytes], name: bytes) -> bool:
    head = field[0]
    colon = head.find(b":")
    return colon > 0 and head[:colon].strip().lower() == name


def _decoded(value: bytes) -> str:
    text = value.decode("utf-8", errors="replace")
    text = re.sub(r"\r?\n[ \t]*", " ", text).strip()
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except (ValueError, LookupError, UnicodeError):
            pass  # an invalid encoded word: keep the text as written
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_JUSTIFICATION]


def find_override(raw: bytes, header: str) -> str | None:
    """The justification in the first non-empty ``header`` field; None when there is none.

    An empty header reads as None: an override without a reason is no override.
    """
    name = header.strip().lower().encode("ascii", "ignore")
    lines, _ = _header_lines(raw)
    for field in _fields(lines):
        if _is(field, name):
            value = b"".join(field)
            value = value[value.find(b":") + 1:]
            text = _decoded(value)
            if text:
                return text
    return None


def strip_override(raw: bytes, header: str) -> bytes:
    """``raw`` without any ``header`` field in its top-level header block; everything else unchanged."""
    name = header.strip().lower().encode("ascii", "ignore")
    lines, end = _header_lines(raw)
    fields = _fields(lines)
    if not any(_is(f, name) for f in fields):
        return raw
    kept = b"".join(b"".join(f) for f in fields if not _is(f, name))
    return kept + raw[end:]
