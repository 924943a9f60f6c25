"""A councillor's draft as the detector tests build it: a post, or a reply to someone's post, in Croxley Green."""

from __future__ import annotations

from councilguard import Pack
from councilguard.detectors.base import Context
from councilguard.engine import coerce_message

AUTHOR = {"name": "Colin Baxter", "role": "councillor", "email": "cllr.baxter@croxleygreen-pc.gov.uk"}


def draft(text: str, replying_to: str | None = None, *, parent_author: str = "A resident") -> Context:
    """The checking context of a post by Cllr Baxter, or of his reply to ``replying_to`` by ``parent_author``."""
    raw = {"kind": "reply" if replying_to else "post", "text": text, "author": AUTHOR}
    if replying_to:
        raw["in_reply_to"] = {"author": parent_author, "text": replying_to}
    return Context(coerce_message(raw), Pack.bundled())


def fires(detector, ctx: Context) -> bool:
    """Whether ``detector`` reports anything on the draft."""
    return any(True for _ in detector(ctx, {}))
