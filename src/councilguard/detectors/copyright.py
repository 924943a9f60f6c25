"""Copying or redistributing someone else's work (articles, photos, maps, software, music, video).

Fair dealing for criticism, review, quotation or news reporting needs only a short extract with
acknowledgement (CDPA 1988 s30), and a link to the original is never a copy. Reposting a whole
paywalled article, or someone's photo without permission, is.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless

WHOLE_WORK = caseless(
    r"\b(?:(?:here'?s|here\s+is|pasted|copied|posted|posting|reposted|reposting|shared|sharing|uploaded|attached|attaching|"
    r"put\s+up)\s+(?:below\s+)?(?:is\s+)?(?:the\s+|an?\s+)?(?:full|whole|entire|complete)"
    r"(?:\s+(?!(?:of|and|for|to|our|my|council|parish|minutes|agenda|meeting|annual)\b)[\w'’-]+){0,3}?\s+"  # a few words may name it: "the whole Ordnance Survey map"
    r"(?:text|article|piece|story|report|book|chapter|map|album|song|track|film|video|episode|match|programme|photo\s+set)|"
    r"(?:full|whole|entire|complete)\s+(?:text|article|piece|story)\s+(?:of\s+the\s+article\s+)?(?:pasted|copied|below|attached|reproduced)|"
    r"(?:since|as|because)\s+it'?s\s+behind\s+a\s+paywall|(?:get|got|getting)\s+(?:round|around)\s+the\s+paywall|paywall(?:ed)?\s+(?:article|piece)|"
    r"(?:pasted|copied)\s+(?:it\s+)?(?:in\s+full|word\s+for\s+word)|pirated|cracked\s+(?:copy|version)|free\s+download\s+of|"
    r"(?:scanned|photocopied)\s+(?:the\s+)?(?:whole|entire|full)|(?:screenshot|scan)\s+of\s+the\s+(?:whole|entire|full)|"
    r"(?:their|his|her|a\s+professional'?s?)\s+photos?\s+without\s+(?:asking|permission)|"
    r"(?:took|nicked|pinched|borrowed|grabbed|lifted)\s+(?:this|these|the)\s+(?:photos?|pictures?|images?|maps?)\s+(?:from|off)\b|"
    r"ordnance\s+survey\s+map\s+(?:scan|copy)|\bos\s+map\s+(?:scan|screenshot))\b")
ATTACHMENT_WORK = caseless(
    r"\b(?:whole|full|entire|complete|paywalled)\b.*\b(?:article|newspaper|magazine|book|chapter|report|map|album|song|film|video|episode|photos?)\b|"
    r"\b(?:article|newspaper|magazine|photo|photograph|map|song|music|video|film)\b.*\b(?:©|copyright|getty|shutterstock|alamy|ordnance\s+survey|paywall)")
PERMITTED = caseless(
    r"\b(?:with\s+(?:the\s+)?(?:kind\s+)?permission|(?:used|shared|reproduced)\s+with\s+permission|licen[cs]ed\s+under|creative\s+commons|"
    r"cc[- ]by|public\s+domain|my\s+own\s+(?:photo|picture|map|video|words)|i\s+took\s+(?:this|these)\b(?![^.]*\b(?:from|off)\b)|(?:photo|picture)s?\s+(?:by|taken\s+by)\s+me|"
    r"open\s+government\s+licence|crown\s+copyright\s+.*licence|press\s+release)\b")


class CopiedWorkParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # a pack whose clause covers only what is published in the council's name (Barrington's 2, para 2)
    only_in_council_name: bool = False


def in_council_name(ctx: Context) -> bool:
    """Whether a message is published in the council's name: its official account, council capacity, or
    staff (who act for the council) unless they say they write privately. A councillor's own page is not.
    (Not logo's ``_personal_page``, which asks where a message appears rather than in whose name.)"""
    message = ctx.message
    if message.account == "official" or message.capacity == "council":
        return True
    return ctx.author_role in ("staff", "proper-officer") and message.capacity != "private"


@detector("copyright.copied-work", params=CopiedWorkParams)
def copied_work(ctx: Context, params: CopiedWorkParams):
    """Whole articles, photos, maps or media reposted or attached without permission."""
    text = ctx.text
    if PERMITTED.search(text) or (params.only_in_council_name and not in_council_name(ctx)):
        return
    m = WHOLE_WORK.search(text)
    if m:
        yield Hit(spans=((m.start(), m.end()),), score=0.85,
                  why=f"\u201c{m.group(0)}\u201d reposts a whole work that belongs to someone else.",
                  data={"detector": "copyright.copied-work"})
        return
    for a in ctx.message.attachments:
        about = " ".join(filter(None, [a.description, a.filename]))
        if about and ATTACHMENT_WORK.search(about) and not PERMITTED.search(about):
            yield Hit(spans=(), score=0.8,
                      why=f"The attachment {a.filename or ''} ({a.description or 'no description'}) is someone else's whole work.",
                      data={"detector": "copyright.copied-work", "attachment": a.filename})
            return
