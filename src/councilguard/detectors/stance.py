"""Public positions counter to the council's interests: campaigning against it in a dispute it is party to.

A councillor may disagree with a decision (that is protected speech). What the policy asks them not
to do is take up a public position against the council itself in a dispute, legal matter or
campaign: join a claim against it, protest it, rally others against it.
"""

from __future__ import annotations

import re

from councilguard.detectors import targets as T
from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless
from councilguard.text.council_words import LOCAL_COUNCIL, LOCAL_COUNCILLOR

DISPUTE = caseless(
    r"\b(?:court\s+case|legal\s+action|lawsuit|claim|judicial\s+review|tribunal|dispute|appeal|injunction|proceedings|"
    r"litigation|complaint\s+to\s+the\s+ombudsman|sue|suing|sued|to\s+court)\b")
CAMPAIGN = caseless(
    r"\b(?:placards?|protest\w*|picket\w*|demonstrat\w+|march\s+on|boycott\w*|campaign(?:ing)?\s+against|"
    r"join\s+me|join\s+us|sign\s+(?:the|my|our)\s+petition|petition\s+against|shame\s+(?:them|the\s+council)|"
    r"crowdfund\w*|donate\s+to\s+(?:the|their)\s+(?:fighting\s+)?fund|back(?:ing)?\s+the\s+(?:claim|claimants?|residents'?\s+case)|"
    r"give\s+evidence\s+against|witness\s+(?:statement\s+)?against|support(?:ing)?\s+the\s+(?:claim|legal\s+action|case)\s+against|"
    r"take\s+(?:the\s+council|them)\s+to\s+court|until\s+the\s+council\s+(?:drops|backs\s+down|gives\s+in|withdraws))\b")

_COUNCIL = rf"(?:the|our|my\s+own|this)\s+{LOCAL_COUNCIL}"
# Positions against the council that need no named dispute: each names the council and acts against it
AGAINST = caseless(
    rf"\b(?:don'?t|do\s+not|refuse\s+to|never)\s+pay\s+{_COUNCIL}'?s?\s+(?:[\w-]+\s+){{0,3}}?(?:charges?|fees?|rents?|"
    rf"precept|fines?|levy|increases?|rises?|penalt(?:y|ies))\b|"
    rf"\b(?:should|must|ought\s+to|going\s+to|will)\s+sue\s+{_COUNCIL}\b|"
    rf"\bhope\s+{_COUNCIL}\s+(?:loses|is\s+made\s+to\s+pay|gets?\s+taken\s+to\s+the\s+cleaners)\b|"
    rf"\b(?:throws?|throwing|chucks?)\s+out\s+{_COUNCIL}'?s?\s+(?:case|appeal|application|claim)\b|"
    rf"\b(?:sign|signed|share|join)\b[^.!?\n]{{0,40}}\b(?:to\s+)?(?:stop|block|overturn|fight|halt|scrap|defeat)\s+{_COUNCIL}'?s?\b|"
    rf"\b(?:object|objecting)\s+to\s+{_COUNCIL}'?s\s+(?:own\s+)?(?:planning\s+)?application\b|"
    rf"\b(?:witness\s+statement|evidence)\s+for\s+[^.!?\n]{{0,40}}\b(?:claim|case)\s+against\s+{_COUNCIL}\b|"
    rf"\b(?:backing|back|support(?:ing)?|siding\s+with|side\s+with|standing\s+with)\s+(?:the\s+)?[\w'’ -]{{1,40}}?\s+"
    rf"against\s+{_COUNCIL}\b")
# Taking the other side in a matter the council is party to: backing the claimant, testifying or advising
# for them, wishing them the win, urging claims. Each needs a legal matter named in the message or the post
# it replies to (LEGAL_MATTER), so "I hope the fete goes well" and "my money's on the Rovers" stay clear.
LEGAL_MATTER = caseless(
    r"\b(?:court|case|claims?|tribunal|hearing|inquiry|inspector|judge|appeal|judicial\s+review|eviction|possession|"
    r"lease\s+(?:notice|dispute)|dispute|legal\s+(?:fund|costs|fees|action|challenge)|solicitor|barrister|lawyer|defence|"
    r"witness\w*|sue|suing|sued|settle|settlement|insur\w+|footpath\s+order|objection|inspectorate|no[- ]win[- ]no[- ]fee|"
    r"counter-?claim)\b")
SIDES = caseless(
    r"\bha(?:s|ve)\s+my\s+(?:full\s+|total\s+|complete\s+|100%\s+)?(?:support|backing)\b|"
    r"\b(?:a\s+councillor|some\s+of\s+us|I'?m)\s+on\s+(?:their|his|her|the\s+[\w']+)\s+side\b|"
    r"\bhelps?\s+(?:them|him|her)\s+(?:win|beat)\b|\bbeat\s+the\s+council\b|"
    r"\bhope\s+(?:the\s+(?:court|judge|inspector|tribunal)\s+(?:awards?|finds?\s+for|rules?\s+for|sides?\s+with)|"
    r"(?:they|he|she)\s+(?:wins?|takes?\s+(?:them|the\s+council)\s+for))\b|"
    r"\b(?:cheering|rooting)\s+(?:for|on)\s+(?:them|him|her|the\s+(?:family|club|claimants?))\b|"
    r"\bmy\s+money'?s\s+on\s+(?:them|him|her)\b|"
    r"\b(?:give|giving|gave|write|written|make|provide)\s+(?:a\s+)?(?:witness\s+)?(?:statement|evidence)\s+"
    r"(?:supporting|for\s+(?:them|him|her|the\s+\w+)|in\s+support|about\s+how\s+the\s+council)\b|"
    r"\b(?:I'?ll|I\s+will|happy\s+to|willing\s+to|prepared\s+to)\s+(?:say\s+so\s+(?:in\s+court|in\s+writing|at\s+the\s+"
    r"(?:hearing|inquiry|tribunal))|go\s+on\s+record|be\s+cross-examined|testify|give\s+evidence|be\s+a\s+witness)\b|"
    r"\b(?:worth|tell|ask)\s+your\s+(?:solicitor|lawyer|barrister)\b|\bif\s+it\s+helps\s+(?:your|their|his|her)\s+"
    r"(?:defence|case|claim|appeal)\b|\b(?:message|contact|ring|call|e-?mail)\s+(?:his|her|their)\s+(?:solicitor|lawyer|barrister)\b|"
    r"\bchip\s+in\s+for\s+your\s+(?:solicitor|lawyer|legal\s+costs)\b|\bmake\s+them\s+take\s+you\s+to\s+court\b|"
    r"\bput\s+in\s+(?:a\s+)?claims?\b|(?:^|[.!?:,]\s*)claim\s+against\s+(?:them|the\s+council)\b|"
    r"\b(?:fighting|legal)\s+fund\b|"
    r"\b(?:written|wrote|write|writing)\s+to\s+the\s+(?:planning\s+)?inspector(?:ate)?\s+in\s+support\s+of\b|"
    r"\b(?:I'?ll|I\s+will)\s+be\s+there\s+to\s+say\s+so\b|\bshould\s+counter-?claim\b|\bno[- ]win[- ]no[- ]fee\b|"
    r"\bcampaign\s+(?:openly|publicly)\s+for\b")
# Opposing what the council itself is doing (its application, order, claim or case), in the author's own voice
OPPOSES = caseless(
    rf"\b(?:stop|block|overturn|fight|defeat|scrap|halt|beat)\s+{_COUNCIL}'?s\b|"
    rf"\bobjection\s+to\s+{_COUNCIL}'?s\s+(?:own\s+)?|"
    r"\b(?:vote|agree|agrees|decide|decides)\s+to\s+drop\s+the\s+(?:[\w'-]+\s+){0,2}(?:claim|case|appeal|order|eviction)\b|"
    r"\bhope\s+(?:the\s+)?(?:county|inspector|court|judge|tribunal|district)\s+(?:throws?|chucks?|kicks?|turns?)\s+(?:it|them)\s+"
    r"(?:out|down)\b")
# Acting inside the council is how a councillor should raise disagreement, not a public position
_INSIDE = caseless(r"\b(?:at|in)\s+(?:the\s+)?(?:next\s+)?(?:full\s+council|committee|closed\s+session|the\s+chamber|"
                   r"(?:the\s+)?meeting)\b|\bthrough\s+the\s+council\b|\bto\s+the\s+clerk\b|\bnot\s+in\s+public\b")
# Rallying people against it (in a message that names the council)
RALLY = caseless(
    r"\bflood\s+(?:their|his|her|the\s+council'?s?)\s+inbox\w*|\b(?:e-?mail|write\s+to|ring|call)\s+every\s+"
    rf"{LOCAL_COUNCILLOR}\b|\bwe\s+can\s+(?:stop|kill|block|defeat)\s+(?:this|them|it)\b|"
    r"\bflood\s+(?:the\s+\w+|them)\s+with\s+(?:objections|complaints|e-?mails|letters)\b|\brefuse\s+together\b|"
    r"\bthey'?ll\s+have\s+to\s+back\s+down\b|\brefuse\s+to\s+pay\s+(?:it|them)\s+until\b|"
    r"\b(?:don'?t|do\s+not|never)\s+pay\s+the\s+(?:new\s+)?(?:[\w-]+\s+){0,2}?(?:charges?|fees?|rents?|fines?|precept)\b|\bmake\s+them\s+back\s+down\b|\bpack\s+the\s+(?:public\s+gallery|hall|chamber|meeting)\b")


@detector("stance.counter-to-council")
def counter_to_council(ctx: Context, params):
    """A public campaign or position against the council in a dispute or legal matter."""
    text = ctx.text
    yield from _takes_other_side(ctx)
    councils = [m for m in T.mentions(ctx) if m.kind == T.COUNCIL]
    if not councils:
        return
    for rx, does in ((AGAINST, "takes a public position against"), (RALLY, "rallies people against")):
        for m in rx.finditer(text):
            if ctx.doc.others_words(m.start(), m.end()) or ctx.doc.denied(m.start()) or ctx.doc.asked(m.start()) \
                    or _negated(ctx, m.start()):
                continue
            yield Hit(spans=((m.start(), m.end()),), score=0.8, why=f"It {does} the council (\u201c{m.group(0)}\u201d).",
                      data={"detector": "stance.counter-to-council"})
            return
    for m in CAMPAIGN.finditer(text):
        if ctx.doc.others_words(m.start(), m.end()) or _negated(ctx, m.start()):
            continue  # "I won't be campaigning against what the council decided"
        dispute = DISPUTE.search(text)
        against = re.search(rf"\bagainst\s+(?:the|our)\s+{LOCAL_COUNCIL}\b|\bthe\s+council'?s?\s+(?:court\s+case|claim|legal\s+action|case)\b|"
                            r"\bcouncil\s+drops\b", text, re.IGNORECASE)
        if not (dispute or against):
            continue
        spans = [(m.start(), m.end())]
        if dispute:
            spans.append((dispute.start(), dispute.end()))
        yield Hit(spans=tuple(sorted(spans)), score=0.85,
                  why=f"It campaigns publicly (\u201c{m.group(0)}\u201d) against the council in a dispute it is party to.",
                  data={"detector": "stance.counter-to-council"})
        return


def _own_act(ctx: Context, m: re.Match) -> bool:
    """The author's own act: not quoted or reported, denied, asked, negated ("I won't be…"), or said of acting
    inside the council ("I'll say so at the meeting")."""
    if ctx.doc.others_words(m.start(), m.end()) or ctx.doc.denied(m.start()) or ctx.doc.asked(m.start()):
        return False
    sent = ctx.doc.sentence_at(m.start())
    return not _negated(ctx, m.start()) and not _INSIDE.search(ctx.text, sent.start, sent.end)


def _negated(ctx: Context, start: int) -> bool:
    """A negation among the three words before, in the same sentence: "I won't be backing…", not "…and not leave until
    they vote to drop…" nor "I'm not. I've written to the Inspectorate…" (conduct.negated looks across sentences)."""
    sent = ctx.doc.sentence_at(start)
    before = re.findall(r"[a-z'’]+", ctx.text[max(sent.start, start - 30):start].lower())[-3:]
    return any(w in ("not", "never", "no", "wont", "wouldnt", "shouldnt") or w.endswith(("n't", "n’t")) for w in before)


def _takes_other_side(ctx: Context):
    """Backing, advising or testifying for the other side of a legal matter the council is in, or opposing the
    council's own application, order or claim (see SIDES, OPPOSES): at most one hit."""
    parent = ctx.message.in_reply_to.text if ctx.message.in_reply_to else ""
    if not (LEGAL_MATTER.search(ctx.text) or LEGAL_MATTER.search(parent or "")):
        return
    for rx, does in ((SIDES, "takes the other side against the council in a matter it is party to"),
                     (OPPOSES, "opposes the council's own application, order or claim in public")):
        for m in rx.finditer(ctx.text):
            if _own_act(ctx, m):
                yield Hit(spans=((m.start(), m.end()),), score=0.8, why=f"It {does} (\u201c{m.group(0)}\u201d).",
                          data={"detector": "stance.counter-to-council"})
                return
