"""Responding to negative remarks about the council instead of informing the Proper Officer.

The policy asks councillors not to respond to negative or disparaging remarks about the council or
its services, but to tell the Proper Officer. A short, polite hand-over ("I've passed this to the
Clerk") is what the policy wants; arguing back is what it asks councillors not to do. Remarks about
*another* authority (the district's bin rota) are not about this council.
"""

from __future__ import annotations

import re

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.detectors import targets as T
from councilguard.detectors.targets import council_mentions_in
from councilguard.text.caseless import caseless

NEGATIVE = caseless(
    r"\b(?:useless|waste|wasting|joke|shambles|shambolic|rubbish|disgrace\w*|incompetent|corrupt|pathetic|never\s+(?:answer|repl|respond|do|does|listen)\w*|"
    r"don'?t\s+(?:care|listen|bother|answer|do\s+anything)|doesn'?t\s+(?:care|listen|do\s+anything)|do\s+nothing|total\s+\w+|clowns?|idiots?|"
    r"scandal\w*|appalling|awful|terrible|hopeless|lazy|a\s+farce|out\s+of\s+touch|can'?t\s+be\s+trusted|liars?|crooks?|"
    r"ignored|ignoring|fob(?:bed)?\s+off|no\s+straight\s+answer|won'?t\s+give\s+a\s+straight\s+answer|should\s+be\s+ashamed|"
    r"fed\s+up|sick\s+of|rip[- ]?off|overpaid|pointless|shocking|poor|worst)\b")
HANDOVER = caseless(
    r"\b(?:passed\s+(?:this|it|your\s+\w+)\s+(?:on\s+)?to|pass(?:ing)?\s+(?:this|it)\s+(?:on\s+)?to|let\s+the\s+clerk\s+know|"
    r"(?:told|informed|alerted|flagged\s+(?:this|it)\s+(?:to|with))\s+the\s+(?:clerk|proper\s+officer|council\s+office)|"
    r"(?:contact|email|e-mail|ring|call|speak\s+to|write\s+to)\s+the\s+(?:clerk|council\s+office|proper\s+officer)|"
    r"the\s+clerk\s+(?:will|can|is\s+best\s+placed)|reported\s+(?:this|it)\s+to\s+the\s+(?:clerk|proper\s+officer)|"
    r"(?:sorry|thank\s+you|thanks)\s+(?:to\s+hear|for\s+(?:raising|letting|flagging|your))|i'?ll\s+ask\s+the\s+clerk|"
    r"(?:asked|ask(?:ing)?)\s+the\s+(?:clerk|proper\s+officer)\s+to|(?:it'?s|this\s+is)\s+with\s+the\s+(?:clerk|proper\s+officer)|"
    # "passed to the office", "shared this with our Clerk", "sent straight on to the Clerk"
    r"(?:passed|sent|forwarded|shared|handed|referred|reported)(?:\s+(?:this|it|that|your\s+\w+))?(?:\s+(?:straight|right|directly))?"
    r"(?:\s+(?:on|over|across))?\s+(?:to|with)\s+(?:the|our)\s+(?:clerk|office|parish\s+office|council\s+office|proper\s+officer)|"
    # "I'm not the right person to answer that, but the Clerk is", "I've made sure the Clerk has seen your message"
    r"not\s+the\s+right\s+person\s+to\s+(?:answer|ask|deal\s+with)|not\s+able\s+to\s+discuss\s+(?:individual\s+)?\w+\s+online|"
    r"made\s+sure\s+the\s+(?:clerk|office|proper\s+officer)\s+(?:has|have)\s+seen)\b")
# "Helen in the office now has your post and the photo": a member of staff named as now having the complaint
_STAFF_HAS_IT = caseless(r"(?:\s+(?:in|at|from)\s+the\s+(?:office|parish\s+office|council\s+office))?\s+(?:now\s+)?has\s+"
                         r"(?:seen\s+)?your\b")
# "I've forwarded your comment to Helen, our Clerk": a hand-over verb, then a member of staff close after it
HANDOVER_VERB = caseless(r"\b(?:forward(?:ed|ing)?|sent|passed|handed|referred|reported|flagged|raised)\b")
ARGUE = caseless(
    r"\b(?:rubbish|nonsense|not\s+true|untrue|wrong|get\s+your\s+facts|you'?d\s+know|if\s+you\s+(?:bothered|actually|ever)|"
    r"you\s+clearly|you\s+obviously|how\s+dare|actually,?\s+we|we'?ve\s+done|we\s+have\s+done|we\s+do\s+loads|that'?s\s+a\s+lie|"
    r"do\s+your\s+research|typical|moan\w*|whing\w*|ungrateful|try\s+doing|do\s+it\s+yourself|stand\s+for\s+election|"
    r"some\s+of\s+us|find\s+a\s+hobby|get\s+a\s+life)\b")


def _handed_to_staff(ctx: Context) -> bool:
    staff = [m for m in T.mentions(ctx) if m.kind == T.STAFF]
    return any(0 <= m.start - v.end() <= 40 for v in HANDOVER_VERB.finditer(ctx.text) for m in staff) \
        or any(_STAFF_HAS_IT.match(ctx.text, m.end) for m in staff)


def handed_over(ctx: Context) -> bool:
    """The reply hands the remark to the Clerk and argues with nothing: what the policy asks for."""
    return bool(HANDOVER.search(ctx.text) or _handed_to_staff(ctx)) and not ARGUE.search(ctx.text)


@detector("replies.negative-remark")
def negative_remark(ctx: Context, params):
    """A reply that argues with a negative remark about this council or its services."""
    parent = ctx.message.in_reply_to
    if parent is None or not parent.text.strip():
        return
    remark = parent.text
    if not council_mentions_in(ctx.council, remark) or not NEGATIVE.search(remark):
        return
    text = ctx.text
    argue = ARGUE.search(text)
    if handed_over(ctx):
        return
    substantive = len(re.findall(r"\w+", text)) >= 6
    if not argue and not substantive:
        return
    span = (argue.start(), argue.end()) if argue else (0, len(text))
    score = 0.85 if argue else 0.6
    yield Hit(spans=(span,), score=score,
              why=f"It replies to a negative remark about the council (\u201c{remark[:80]}\u201d).",
              data={"detector": "replies.negative-remark"})
