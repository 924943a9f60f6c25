"""Buying or entering transactions in the council's name without authorisation (P8-General-1).

Spending follows the council's financial regulations: the Proper Officer (or someone the
regulations or a resolution authorise, recorded as a "purchase" authorisation) places orders.
"""

from __future__ import annotations

import re

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless
from councilguard.text.council_words import LOCAL_COUNCIL

ORDER = caseless(
    r"\b(?:please\s+(?:deliver|send|supply|ship|install|book|reserve|order|proceed)|i'?d\s+like\s+to\s+(?:order|buy|purchase|book)|"
    r"i\s+(?:want|wish)\s+to\s+(?:order|buy|purchase|book)|(?:we|i)(?:\s+will|'ll|’ll)\s+take|go\s+ahead\s+(?:with|and)|"
    r"(?:place|placing|placed)\s+(?:an?\s+)?order|(?:ordered|bought|purchased|booked|signed\s+up\s+for|subscribed\s+to)\b|"
    r"add\s+to\s+(?:basket|cart)|(?:confirm|accept)\s+(?:the|your)\s+(?:quote|order|booking))")
IN_COUNCILS_NAME = caseless(
    r"\b(?:invoice|bill|charge|debit)\s+(?:it\s+)?(?:to\s+)?(?:the\s+)?{council}|"
    r"\b(?:on|to|against)\s+(?:the\s+)?{council}'?s?\s+(?:account|card|credit\s+card|budget|tab)|"
    r"\b{council}'?s?\s+(?:credit\s+card|debit\s+card|card|account|purchase\s+order)|"
    r"\b(?:for|on\s+behalf\s+of)\s+(?:the\s+)?{council}\b|\bcouncil\s+will\s+pay\b|\bpaid\s+(?:for\s+)?by\s+the\s+council\b")


@detector("purchase.in-council-name")
def in_council_name(ctx: Context, params):
    """An order, booking or purchase charged to the council by someone not authorised to spend."""
    if ctx.author_role == "proper-officer" or ctx.holds("purchase"):
        return
    council = f"(?:{LOCAL_COUNCIL}|" + "|".join(
        re.escape(n) for n in (ctx.council.name, *ctx.council.short_names)) + ")"
    content = ctx.text
    order = ORDER.search(content)
    name = re.search(IN_COUNCILS_NAME.pattern.replace("{council}", council), content, re.IGNORECASE)
    if not (order and name):
        return
    if ctx.doc.others_words(order.start(), order.end()):
        return
    spans = tuple(sorted({(order.start(), order.end()), (name.start(), name.end())}))
    yield Hit(spans=spans, score=0.85,
              why="It orders goods or services and charges them to the council, without a recorded authority to spend.",
              data={"detector": "purchase.in-council-name"})
