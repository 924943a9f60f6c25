"""What may be kept as evidence: screenshots checked by their first bytes, links that are web addresses.

A screenshot is the evidence that outlives a deleted post, so it must be an image a Monitoring Officer
can open: a PNG, JPEG, GIF or WebP of at most ``MAX_SCREENSHOT`` bytes, recognised by its signature,
never by the file name a browser sent. Its SHA-256 is kept with it, so a copy can be shown to be the
same file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from councilguard.workflow.desk_errors import InvalidValue

MAX_SCREENSHOT = 5 * 1024 * 1024
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
               (b"GIF89a", "image/gif"))
_LINK = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Screenshot:
    data: bytes
    media_type: str
    sha256: str


def screenshot(data: bytes | None, *, where: str = "screenshot") -> Screenshot:
    """``data`` as a checked screenshot; InvalidValue naming ``where`` if it is missing, too big or not an image."""
    if not data:
        raise InvalidValue("a screenshot is needed: posts can be edited or deleted, so the screenshot is the "
                           "evidence of what was published", where=where)
    if len(data) > MAX_SCREENSHOT:
        raise InvalidValue(f"the screenshot is {len(data) // 1024} KB; the most is {MAX_SCREENSHOT // 1024} KB "
                           "(a cropped screenshot will do)", where=where)
    kind = next((k for signature, k in _SIGNATURES if data.startswith(signature)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "image/webp"
    if kind is None:
        raise InvalidValue("the screenshot is not a PNG, JPEG, GIF or WebP image", where=where)
    return Screenshot(bytes(data), kind, hashlib.sha256(data).hexdigest())


def link(value: str | None, *, where: str = "link", label: str = "The link") -> str:
    """A web address starting http:// or https://, trimmed; InvalidValue otherwise."""
    value = (value or "").strip()
    if not value:
        raise InvalidValue(f"{label} is needed: the address of the page where it was published", where=where)
    if len(value) > 2000 or not _LINK.match(value):
        raise InvalidValue(f"{label} should be the web address you copied, starting https://", where=where)
    return value


def words(value: str | None, *, where: str, label: str, limit: int, required: bool = True) -> str:
    """Trimmed text of at most ``limit`` characters; InvalidValue when required and empty, or too long."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidValue(f"{label} is needed", where=where)
    if len(value) > limit:
        raise InvalidValue(f"{label} is {len(value)} characters; the most is {limit}", where=where)
    return value
