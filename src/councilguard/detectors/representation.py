"""Speaking as or for the council: claims of its view, posts on its behalf, reviews, disclaimers.

These rules turn on capacity. A councillor may say what they think; they may report a decision the
council has published; they may not present their view as the council's unless authorised, and when
commenting on external pages or writing reviews they must make their private capacity clear.
"""

from __future__ import annotations

import re

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.model import Fix
from councilguard.text.caseless import caseless
from councilguard.text.council_words import LOCAL_COUNCIL, LOCAL_COUNCILLOR, LOCAL_KIND

SPEAKING_ROLES = {"proper-officer"}

_COUNCIL_SUBJECT = rf"(?:the\s+{LOCAL_COUNCIL}|{LOCAL_KIND}\s+council|this\s+council|our\s+council|{{names}})"
_CLAIMS = [
    r"\bon\s+behalf\s+of\s+{council}",
    r"\b(?:speaking|writing|posting|acting)\s+(?:for|as)\s+{council}",
    r"\b{council}'?s?\s+(?:official\s+)?(?:position|view|stance|line|policy|response)\s+(?:is|will\s+be)\b",
    # what it will do, but not what it will consider: "the council will decide at its next meeting" is procedure
    r"\b{council}\s+(?:(?:will|shall)(?!\s+(?:decide|consider|discuss|debate|meet|vote|look\s+at|review|hear|receive|"
    r"be\s+(?:asked|deciding|considering|discussing|debating|meeting|voting)))|is\s+going\s+to|are\s+going\s+to|intends\s+to|plans\s+to|is\s+planning\s+to|"
    r"is\s+(?:objecting|opposing|supporting|backing|refusing|demanding|calling)|will\s+be\s+(?:objecting|opposing|supporting|backing)|"
    r"(?:strongly\s+)?(?:objects|opposes|supports|backs|welcomes|condemns|refuses|rejects|demands|insists|promises|guarantees|"
    r"believes|thinks|wants|agrees\s+with|disagrees\s+with|is\s+against|is\s+in\s+favour))\b",
    r"\bwe\s+at\s+{council}",
    r"\bi\s+can\s+(?:confirm|promise|guarantee|assure\s+you)\s+(?:that\s+)?{council}",
    r"\b{council}\s+(?:has|have)\s+(?:decided|agreed|confirmed)\s+(?:to|that)\b",
]
PUBLISHED = caseless(
    r"\b(?:resolved|minuted|minutes|at\s+(?:the|last|tuesday'?s|monday'?s|wednesday'?s|thursday'?s|friday'?s|this\s+week'?s|"
    r"last\s+week'?s|yesterday'?s|the\s+full)\s+(?:council\s+)?meeting|voted\s+(?:to|on)|published|on\s+the\s+(?:council'?s\s+)?website|"
    r"agenda|press\s+release|council'?s\s+(?:statement|response)\s+(?:is|was)\s+(?:published|on))\b")


# "The council has decided to close the library; I think that is wrong": the author distances themself
DISTANCED = caseless(
    r"\bI\s+(?:think|believe|feel)\s+(?:that\s+|this\s+|it\s+)?(?:is|was|'s)?\s*(?:wrong|a\s+mistake)|"
    r"\bI\s+(?:disagree|voted\s+against|opposed|oppose|am\s+against|'m\s+against|argued\s+against|don'?t\s+agree)\b")


def _council_alternation(ctx: Context) -> str:
    # the council's own names (from its profile, never one council's written in), any spacing between words
    names = [r"\s+".join(map(re.escape, n.split())) for n in (ctx.council.name, *ctx.council.short_names)]
    return _COUNCIL_SUBJECT.replace("{names}", "|".join(names))


def _claims(ctx: Context) -> list[re.Match]:
    def compute():
        council = _council_alternation(ctx)
        out = []
        for p in _CLAIMS:
            out.extend(re.finditer(p.replace("{council}", council), ctx.text, re.IGNORECASE))
        return sorted(out, key=lambda m: m.start())
    return ctx.memo("representation.claims", compute)


def _authorised_speaker(ctx: Context) -> bool:
    return ctx.holds("speak-for-council") or ctx.author_role in SPEAKING_ROLES


@detector("representation.speaks-for-council")
def speaks_for_council(ctx: Context, params):
    """Presents the council's view, decision or position when the author is not authorised to."""
    if _authorised_speaker(ctx) or ctx.message.account == "official":
        return
    for m in _claims(ctx):
        if ctx.doc.others_words(m.start(), m.end()):
            continue
        sent = ctx.doc.sentence_at(m.start())
        body = ctx.text[sent.start:sent.end]
        if PUBLISHED.search(body) and not re.search(r"\bon\s+behalf\s+of\b", m.group(0), re.IGNORECASE):
            continue  # an accurate report of a published decision is not a claim to speak for the council
        if DISTANCED.search(ctx.text[sent.start:min(len(ctx.text), sent.end + 120)]):
            continue  # reporting a decision one disagrees with is not speaking for the council
        yield Hit(spans=((m.start(), m.end()),), score=0.85,
                  why=f"\u201c{m.group(0)}\u201d presents this as the council's own position.",
                  data={"detector": "representation.speaks-for-council"})


GROUP_CHANNELS = {"newsgroup", "forum", "mailing-list", "mailing list", "group", "community-group", "facebook-group",
                  "whatsapp-group", "usenet", "listserv", "google-group"}


@detector("representation.group-on-behalf")
def group_on_behalf(ctx: Context, params):
    """Posts to a newsgroup, forum or mailing list on behalf of the council without authorisation."""
    channel = ctx.message.channel.lower()
    if channel not in GROUP_CHANNELS or _authorised_speaker(ctx):
        return
    for m in _claims(ctx):
        if ctx.doc.others_words(m.start(), m.end()):
            continue
        yield Hit(spans=((m.start(), m.end()),), score=0.85,
                  why=f"Posting to a {channel} as the council (\u201c{m.group(0)}\u201d).",
                  data={"detector": "representation.group-on-behalf"})
        return


EXTERNAL_CHANNELS = {"web-comment", "forum", "blog", "blog-comment", "news-comment", "newsgroup", "comment",
                     "news-site", "newspaper", "website", "mailing-list"}
DISCLAIMER = caseless(
    r"\b(?:(?:my|these\s+are\s+my)\s+own\s+views?|views?\s+(?:are\s+|expressed\s+(?:here\s+)?are\s+)?(?:my\s+own|mine)|"
    r"views\s+my\s+own|personal\s+(?:view|opinion|capacity)|in\s+a\s+personal\s+capacity|speaking\s+(?:personally|for\s+myself)|"
    # "… not necessarily those of the parish council", "… of Manordeilo & Salem Community Council"
    r"not\s+(?:necessarily\s+)?(?:the\s+view|the\s+views|those)\s+of\s+(?:the\s+)?(?:[\w&'’-]+\s+){0,5}?council|"
    r"not\s+(?:speaking|writing|commenting)\s+(?:for|on\s+behalf\s+of|in\s+an?\s+official)|not\s+(?:in\s+)?an?\s+official\s+capacity|"
    r"as\s+a\s+(?:private\s+)?(?:resident|individual)(?:,|\s+and\s+not))")
COUNCIL_MATTERS = caseless(
    rf"\b(?:council\w*|cllrs?|{LOCAL_KIND}|consultation|planning|application|precept|budget|allotments?|committee|minutes|"
    r"agenda|motion|resolution|grant|bye-?laws?|clerk|skate\s*park|play\s*area|pavilion|village\s+hall|the\s+green|"
    r"car\s+park|parking|footpaths?|neighbourhood\s+plan|recreation\s+ground|cemetery|speed\s+(?:watch|limit)|s106)\b")


def disclaimer_text(council_name: str) -> str:
    """The words the fix adds, naming the council (not "the parish council" for a community council)."""
    return f" (These are my own views, not necessarily those of {council_name}.)"


@detector("representation.missing-disclaimer")
def missing_disclaimer(ctx: Context, params):
    """A councillor's private comment on an external page about council matters with no "views my own"."""
    msg = ctx.message
    if msg.channel.lower() not in EXTERNAL_CHANNELS or msg.account == "official" or msg.capacity == "council":
        return
    if ctx.author_role not in ("councillor", "chair") and (ctx.author_member is None or ctx.author_member.kind != "councillor"):
        return
    if DISCLAIMER.search(msg.text) or _authorised_speaker(ctx):
        return
    topic = COUNCIL_MATTERS.search(msg.text)
    if not topic:
        return
    end = len(msg.text.rstrip())
    yield Hit(spans=((topic.start(), topic.end()),), score=0.8,
              why="The comment is about council matters and does not say the views are your own.",
              fixes=(Fix("Add \u201cthese are my own views\u201d", end, end, disclaimer_text(ctx.council.name)),),
              data={"detector": "representation.missing-disclaimer"})


REVIEW_CHANNELS = {"review-site", "google-reviews", "tripadvisor", "trustpilot", "yelp", "checkatrade", "linkedin"}
SIGNED_AS_COUNCILLOR = caseless(
    r"\b(?:cllr\.?\s+[A-Z](?:[\w'-]+|\.)(?:\s+[A-Z][\w'-]+)?|councillor\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?|"
    rf"as\s+(?:your|a|the)\s+(?:local\s+|{LOCAL_KIND}\s+|ward\s+)?councillor|{LOCAL_COUNCILLOR}\s+for\s+[A-Z]\w+|"
    rf"on\s+behalf\s+of\s+the\s+{LOCAL_COUNCIL}|the\s+{LOCAL_COUNCIL}\s+(?:recommends|endorses|is\s+happy\s+to\s+recommend)|"
    rf"(?:officially\s+)?endorsed\s+by\s+the\s+{LOCAL_COUNCIL})")
RECOMMENDS = caseless(r"\b(?:recommend\w*|review|stars?|\d\s*/\s*\d|refer(?:ral)?|endorse\w*|highly|superb|excellent|"
                        r"five|5\*|great\s+(?:service|food|job|work)|would\s+use\s+again|top\s+notch)\b")


@detector("representation.review-capacity")
def review_capacity(ctx: Context, params):
    """A review, recommendation or referral signed or framed as a councillor or as the council."""
    msg = ctx.message
    is_review = msg.kind == "review" or msg.channel.lower() in REVIEW_CHANNELS
    if not is_review and not RECOMMENDS.search(msg.text):
        return
    if not is_review and not re.search(r"\brecommend\w*|\brefer\w*|\bendorse\w*", msg.text, re.IGNORECASE):
        return
    text = msg.text
    names = [re.escape(n) for n in (ctx.council.name, *ctx.council.short_names) if len(n) > 4]
    council_sig = caseless(r",?\s*(?:" + "|".join(names) + r")") if names else None
    for m in SIGNED_AS_COUNCILLOR.finditer(text):
        start, end = m.start(), m.end()
        if re.search(r"\bnot\s+$", text[max(0, start - 6):start], re.IGNORECASE):
            continue  # "writing as a resident, not as a councillor"
        if council_sig is not None:
            tail = council_sig.match(text, end)
            if tail:
                end = tail.end()
        fix_start = start
        while fix_start > 0 and text[fix_start - 1] in " ,-\u2013\u2014":
            fix_start -= 1
        replacement = ""
        name = ctx.author_member.name if ctx.author_member else msg.author.name
        if re.match(r"(?:cllr|councillor)\b", m.group(0), re.IGNORECASE) and name:
            replacement = (" " if fix_start < start else "") + name
        yield Hit(spans=((start, end),), score=0.85,
                  why=f"\u201c{text[start:end]}\u201d makes the review read as a councillor's or the council's endorsement.",
                  fixes=(Fix("Sign it as an individual", fix_start, end, replacement),),
                  data={"detector": "representation.review-capacity"})
