"""How a record's extracted texts are stored and vouched for.

The body and the attachments' texts live in one ``record_text`` row (so one index row covers them and one
deletion removes them). Attachment texts are joined by blank lines; each attachment's ``text_chars`` says how
long its part is, so the parts can be cut back out exactly. Their hash is kept with the record (and so in
the chain), so changing the text that search shows is as detectable as changing the raw message.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable, Sequence

SEPARATOR = "\n\n"


def join_attachment_texts(texts: Iterable[str | None]) -> str:
    return SEPARATOR.join(t for t in texts if t is not None)


def split_attachment_texts(lengths: Sequence[int | None], joined: str) -> list[str | None]:
    """The inverse of :func:`join_attachment_texts`, given each attachment's text length (None: no text)."""
    out: list[str | None] = []
    pos = 0
    for n in lengths:
        if n is None:
            out.append(None)
            continue
        out.append(joined[pos:pos + n])
        pos += n + len(SEPARATOR)
    return out


def text_hash(body: str, attachment_texts: Iterable[str | None]) -> str:
    encoded = json.dumps([body, list(attachment_texts)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
