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
    rf"\b(?:witness\s+statement|evidence)\s+for\s+[^.!?\n]{{0,40}}\b(?:claim|case)\s+against\s+{_COUNCIL}\b")
# Rallying people against it (in a message that names the council)
RALLY = caseless(
    r"\bflood\s+(?:their|his|her|the\s+council'?s?)\s+inbox\w*|\b(?:e-?mail|write\s+to|ring|call)\s+every\s+"
    rf"{LOCAL_COUNCILLOR}\b|\bwe\s+can\s+stop\s+(?:this|them|it)\b")


@detector("stance.counter-to-council")
def counter_to_council(ctx: Context, params):
    """A public campaign or position against the council in a dispute or legal matter."""
    text = ctx.text
    councils = [m for m in T.mentions(ctx) if m.kind == T.COUNCIL]
    if not councils:
        return
    for rx, does in ((AGAINST, "takes a public position against"), (RALLY, "rallies people against")):
        for m in rx.finditer(text):
            if ctx.doc.others_words(m.start(), m.end()) or ctx.doc.denied(m.start()) or ctx.doc.asked(m.start()):
                continue
            yield Hit(spans=((m.start(), m.end()),), score=0.8, why=f"It {does} the council (\u201c{m.group(0)}\u201d).",
                      data={"detector": "stance.counter-to-council"})
            return
    for m in CAMPAIGN.finditer(text):
        if ctx.doc.others_words(m.start(), m.end()):
            continue
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
