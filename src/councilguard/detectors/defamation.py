"""Defamation risk: an allegation of specific wrongdoing about an identifiable person, stated as fact.

This is a cue, never a claim that the statement is false. A bare value judgement ("incompetent")
belongs to the abuse rules. Hedging ("allegedly", "I think") and insinuation ("draw your own
conclusions") lower the score but do not remove the finding: repeating an allegation publishes it,
and honest opinion must show the facts it rests on. An allegation about the author, reported to
rebut it, is not a finding.
"""

from __future__ import annotations

import re

from councilguard.detectors import targets as T
from councilguard.detectors.base import Context, Hit
from councilguard.detectors.conduct import banter
from councilguard.detectors.frames import mentioned_not_used
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless

# Specific wrongdoing: money, lies, crime, abuse of office, specific failures.
ALLEGATIONS = [
    r"fiddl(?:e|es|ed|ing)\b(?:\s+(?:the|his|her|their)\s+\w+)?", r"embezzl\w+", r"misappropriat\w+",
    r"stole\b|steal(?:s|ing)?\b|stolen\b|nick(?:ed|ing|s)\s+(?:the|our)\b|theft\b|thie(?:f|ves)\b",
    r"pocket(?:ed|ing|s)\s+(?:the\s+)?(?:cash|money|funds|grant|difference|proceeds)", r"lin(?:e|es|ed|ing)\s+(?:his|her|their)\s+(?:own\s+)?pockets?",
    r"(?:took|takes|taking|accepted|accepts)\s+(?:a\s+)?(?:bribes?|bungs?|backhanders?|kickbacks?|brown envelopes?)",
    r"(?:took|takes|taking|accepted|accepts|trouser(?:s|ed|ing)?)\s+(?:money|cash|payments?|£[\d,.]+k?)\s+(?:from|off)\s+(?:the\s+)?"
    r"(?:developers?|builders?|contractors?|suppliers?|landowners?|[A-Z]\w+)",
    r"made\s+up\s+(?:the\s+|those\s+|these\s+|his\s+|her\s+|their\s+)?(?:quotes?|figures|numbers|evidence|complaints?|"
    r"results?|signatures?|statistics|stats|minutes)\b", r"backdat(?:e|ed|es|ing)\b",
    r"lost\s+(?:us|the\s+council|the\s+parish)\s+£",
    r"(?:had|has|have|with)\s+(?:his|her|their)\s+(?:hands?|fingers?)\s+in\s+the\s+(?:till|cash\s*box|kitty|biscuit\s+tin)",
    r"(?:rewrote|rewritten|rewrite|doctored|altered|edited)\s+the\s+(?:draft\s+)?minutes\b",
    r"(?:is|are)\s+(?:a\s+)?(?:work\s+of\s+fiction|pure\s+fiction)", r"too\s+cosy\s+with|in\s+bed\s+with\s+(?:the\s+)?(?:developers?|builders?|contractors?)",
    r"(?:hasn'?t|has\s+not|never|won'?t|didn'?t)\s+(?:explained|said|told\s+(?:us|anyone))\s+(?:what\s+happened\s+to|where)\s+(?:the\s+)?£",
    r"where\s+(?:the|our)\s+(?:other\s+|missing\s+)?(?:£[\d,.]+k?|[\w-]+\s+grand|grand)\s+went\b",
    r"claim(?:s|ed|ing)?\s+(?:for\s+)?(?:overtime|expenses|mileage|hours)\s+(?:for|on)\s+[^.!?]{0,50}?\b(?:didn'?t|never|wasn'?t|weren'?t)\b",
    r"(?:takes?|took|taking|keeps?|kept|keeping)\s+(?:the\s+)?(?:best\s+)?(?:donations|prizes|stock|takings|money|cash)\s+home\b",
    r"help(?:s|ed|ing)?\s+(?:himself|herself|themselves)\s+to\s+(?:the\s+)?(?:money|cash|takings|funds|donations|float|petty\s+cash)", r"bribe[sd]?\b|bribing\b|bribery\b",
    r"on the take\b", r"corrupt\b", r"fraud(?:ulent(?:ly)?|ster)?\b", r"cook(?:ed|s|ing)\s+the\s+books", r"falsif(?:y|ied|ies|ying)\b",
    r"forg(?:ed|es|ing)\b", r"rigg(?:ed|ing)\b", r"fix(?:ed|es|ing)\s+the\s+(?:vote|tender|contract|result)",
    r"(?:is|was|'s|are|were)\s+(?:a\s+)?(?:liar|liars|crook|crooks|criminal|thief|fraud|fraudster|paedophile|pedophile|drunk|racist|abuser)\b",
    r"lied\b|lying\s+(?:to|about)\b|lies\s+(?:to|about)\b", r"covered\s+up\b|cover(?:s|ing)?\s+up\b",
    r"shredd(?:ed|ing)\s+(?:the\s+)?(?:documents|evidence|files|emails)", r"destroyed\s+(?:the\s+)?(?:evidence|records|emails)",
    r"(?:sold|gave|handed|awarded)\s+(?:\w+\s+){0,5}to\s+(?:a\s+|his\s+|her\s+|their\s+)?(?:\w+\s+)?(?:mate|mates|pal|pals|crony|cronies|friend|friends|brother|sister|wife|husband|son|daughter|relative|family)\b",
    r"(?:cronyism|nepotism)\b", r"(?:harass|bull(?:y|ied|ies|ying)|assault(?:ed|s)?|groped?|abused)\s+(?:staff|her|him|a\b|the\b|\w+)",
    r"lost\s+(?:the|our)\s+(?:grant|money|funding|cash|accounts|records|contract)", r"(?:wasted|squandered|blew)\s+£?\d[\d,]*(?:k|m)?\b",
    r"(?:was|got|been)\s+(?:arrested|convicted|cautioned|sacked|struck off|banned)\b", r"drunk\s+(?:at|in|during|on)\b",
    r"(?:fiddling|fiddles?)\s+(?:his|her|their)?\s*expenses", r"(?:claims?|claimed|claiming)\s+(?:false|fake|bogus)\s+expenses",
    r"(?:in|into)\s+the\s+pocket\s+of\b", r"paid\s+off\b", r"(?:has|had)\s+(?:a|an)\s+(?:affair|criminal record)",
    r"(?:broke|breaks|breaking|broken)\s+the\s+law\b", r"(?:secretly|illegally|unlawfully)\s+\w+",
    r"where\s+(?:our|the)\s+money\s+went\b", r"(?:hid|hidden|hiding|concealed?)\s+(?:the\s+)?(?:money|accounts|evidence|figures|interest)",
    r"fail(?:ed|s)?\s+to\s+declare\s+(?:an?\s+|his\s+|her\s+)?interest",
    r"(?:never|didn'?t|did\s+not|without)\s+(?:once\s+)?declar(?:e|ed|ing)\s+(?:an?\s+|his\s+|her\s+)?interest",
    r"leak(?:ed|ing|s)\s+(?:the\s+)?(?:tender|bid|confidential|exempt|draft)\b",
    r"(?<=['‘\"“])(?:lost|mislaid|forgot|forgotten|borrowed|misplaced)(?=['’\"”])",  # the RFO 'lost' £3,000
    r"(?:flog|flogs|flogged|flogging|sell|sells|selling|sold)\s+(?:off\s+)?(?:the\s+)?council'?s\s+\w+",
    r"(?:never|didn'?t|did\s+not)\s+bank(?:ed)?\s+(?:the\s+)?(?:[\w']+\s+){0,4}?(?:takings|money|cash|proceeds)",
    r"(?:changed|altered|doctored|rewrote)\s+the\s+(?:[\w-]+\s+){0,2}(?:quotes?|tenders?|bids?|figures|scores?)\s+after\b",
]
_ALLEGATION = caseless(r"\b(?:" + "|".join(ALLEGATIONS) + r")")

HEDGES = caseless(
    r"\b(?:allegedly|reportedly|apparently|rumou?r(?:ed|s)?|i (?:think|believe|reckon|suspect|hear|heard|gather)|"
    r"it seems|seems? to|word is|people are saying|i'?m (?:just|only) saying|just saying|"
    r"draw your own conclusions|make of that what you will|i'?ll let you decide|you do the maths|"
    r"no smoke without fire|questions? (?:need|needs) (?:to be )?answer(?:ing|ed)|i wonder|makes you wonder|"
    r"could it be|is it possible|might|may have|perhaps|possibly|if true)\b")
FACTUAL_BASIS = caseless(
    r"\b(?:according to (?:the )?(?:minutes|accounts|audit|auditor|report|court|police|ombudsman)|"
    r"the (?:internal|external) audit(?:or)? (?:found|report)|(?:was|has been) (?:convicted|found guilty)|"
    r"the court (?:found|ruled)|the standards (?:committee|panel) found|admitted|"
    r"(?:sub-?committee|panel|tribunal|court|ombudsman|auditor|inquest|jury|magistrates)\s+(?:has\s+|have\s+)?(?:found|ruled|concluded)|"
    r"decision notice|(?:was|were|been)\s+(?:jailed|sentenced)|pleaded\s+guilty|(?:is|are)\s+(?:a\s+matter\s+of\s+)?public\s+record|(?:it'?s|it\s+is|that'?s|all)\s+in\s+the\s+"
    r"(?:published\s+)?(?:minutes|register(?:\s+of\s+interests)?|accounts))\b")
# Insinuation: an allegation left for the reader to complete ("Cllr Kerr's garden backs onto the footpath. You do the
# maths."). The conduct model's untrue-statement head is less sure of these than the cue warrants (judge.conduct's
# ``insinuation_threshold``).
INSINUATION = caseless(
    r"\b(?:you\s+do\s+the\s+math?s|(?:i'?m|i\s+am)\s+(?:just|only)\s+saying|just\s+saying|funny\s+old\s+world|"
    r"funny,?\s+(?:isn'?t\s+it|that|how)|interesting\s+(?:that|how)|draw\s+your\s+own\s+conclusions?|"
    r"make\s+of\s+(?:that|it|this|him|her|them)\s+what\s+you\s+will|(?:i'?m\s+)?not\s+suggesting\s+anything|"
    r"(?:just\s+)?putting\s+it\s+out\s+there|can\s+anyone\s+confirm|asking\s+for\s+a\s+(?:friend|village|neighbour)|"
    r"coincidence\??|no\s+smoke\s+without\s+fire|would\s+explain\s+a\s+lot|not\s+saying\s+it'?s\s+true|"
    r"(?:word|talk)\s+in\s+the\s+pub|everyone\s+knows|ask\s+yourselves?\s+why|makes?\s+you\s+(?:wonder|think)|"
    r"that'?s\s+how\s+(?:it|things)\s+works?\s+(?:round|around)\s+here)\b|🤔")


def rests_on_record(ctx: Context, span) -> bool:
    """Whether the passage names the public record its statement rests on ("It's in the minutes")."""
    return bool(FACTUAL_BASIS.search(ctx.text, span.start, span.end))


def insinuates(ctx: Context, span) -> bool:
    """Whether the passage holds an insinuation cue in the author's own words."""
    return any(not ctx.doc.others_words(m.start(), m.end())
               for m in INSINUATION.finditer(ctx.text, span.start, span.end))


_OF_AN_ACT = caseless(r"\b(?:it|that|this)\s*$")  # "It's racist": said of an act
# "I've seen the comment saying… There's no truth in it": repeated in order to deny it
REBUTTAL = caseless(r"\b(?:there'?s|there\s+is)\s+no\s+truth|(?:it|that|this)\s+isn'?t\s+true|"
                      r"(?:is|are)\s+(?:simply\s+|completely\s+|totally\s+)?(?:untrue|false|not\s+true)\b|(?:it|that|this)(?:'s|\s+is)\s+(?:simply\s+)?(?:not\s+true|untrue|false|"
                      r"a\s+lie|nonsense|rubbish)|please\s+stop\s+sharing|no\s+basis|completely\s+false")
REFUSED = caseless(r"\b(?:won'?t|will\s+not|don'?t|do\s+not)\s+(?:have|let|tolerate|allow|accept)\b[^.!?]{0,40}$")
UNKNOWN = caseless(r"^(?:whoever|anyone|anybody|someone|somebody|the\s+(?:person|people|man|woman|bloke|guy)\s+who)")
ACCOUNTING = caseless(r"\b(?:see|know|show|shows|showing|explain|explains|find\s+out)\s+$")


@detector("defamation.allegation")
def allegation(ctx: Context, params):
    """An allegation of specific wrongdoing about an identifiable person other than the author."""
    if banter(ctx):
        return  # "Keith you old rogue, that's the third raffle you've won 😂 are you sure you're not rigging it"
    ms = T.mentions(ctx)
    yield from _insinuated_interest(ctx, ms)
    people = {T.COUNCILLOR, T.STAFF, T.PUBLIC, T.COUNCIL}
    hedged = bool(HEDGES.search(ctx.text))
    for m in _ALLEGATION.finditer(ctx.text):
        if any(t.start <= m.start() and m.end() <= t.end for t in ms):
            continue  # part of a name: "Action Fraud", "the Fraud Squad"
        sent = ctx.doc.sentence_at(m.start())
        window = (sent.start, sent.end)
        # whoever the allegation phrase itself names ("took money from the developer") is not whom it is about
        around = [t for t in ms if not (m.start() <= t.start and t.end <= m.end())]
        target = T.nearest(around, m.start(), m.end(), people | {T.SELF}, window)
        if target is None:
            target = _pronoun_target(ctx, ms, sent.start)
        if target is None or target.kind == T.SELF or UNKNOWN.match(target.name):
            continue
        body = ctx.text[sent.start:sent.end]
        if mentioned_not_used(body, m.start() - sent.start) or REBUTTAL.search(ctx.text[m.start():sent.end + 160]):
            continue
        if m.group(0).lower().startswith("where") and ACCOUNTING.search(ctx.text[max(0, m.start() - 20):m.start()]):
            continue
        if _OF_AN_ACT.search(ctx.text, max(sent.start, m.start() - 12), m.start()):
            continue  # "It's racist, it's been reported": said of what was done, not an allegation about a person
        if target.kind == T.COUNCIL:
            # An allegation against "the council" also points at its members and officers when one is named.
            person = T.nearest(ms, m.start(), m.end(), {T.COUNCILLOR, T.STAFF}, window)
            if person is None:
                continue
            target = person
        if _about_author(ctx, m.start(), sent.start) or ctx.doc.denied(m.start()):
            continue
        if REFUSED.search(ctx.text, sent.start, m.start()):
            continue  # "I won't have residents abused on my page": a refusal to allow it, not an allegation
        if FACTUAL_BASIS.search(ctx.text[sent.start:sent.end]):
            continue
        score = 0.65 if hedged else 0.85
        hedge = " Hedging or insinuation does not make an allegation safe to publish." if hedged else ""
        repeated = ctx.doc.others_words(m.start(), m.end())
        rep = " Repeating someone else's allegation publishes it again." if repeated else ""
        yield Hit(spans=((m.start(), m.end()),), score=score, fixes=(ctx.drop_sentence(m.start()),),
                  why=f"It alleges \u201c{m.group(0)}\u201d about {target.in_sentence}.{hedge}{rep}",
                  data={"detector": "defamation.allegation", "target": target.name})


# A private interest of someone in office, beside an insinuation: "Our Chair owns two houses on the road where the car
# park is planned. I'm just putting it out there." The fact may be true; the hint that it explains a decision is the
# allegation, left for the reader to make.
_INTEREST = caseless(
    r"\b(?:owns?|owned|(?:his|her|their|['’]s)\s+(?:own\s+)?(?:brother|sister|brother-in-law|sister-in-law|husband|wife|"
    r"partner|son|daughter|cousin|nephew|niece|best\s+mate|mate|company|firm|business)|drinks?\s+with|plays?\s+golf\s+with|"
    r"(?:has|holds)\s+shares\s+in|(?:is|was)\s+a\s+director\s+of|related\s+to|married\s+to)\b")


def _insinuated_interest(ctx: Context, ms: list[T.Mention]):
    for cue in INSINUATION.finditer(ctx.text):
        if ctx.doc.others_words(cue.start(), cue.end()):
            continue
        sent = ctx.doc.sentence_at(cue.start())
        before = ctx.doc.sentence_at(sent.start - 1) if sent.start > 0 else sent
        for i in _INTEREST.finditer(ctx.text, before.start, sent.end):
            around = ctx.doc.sentence_at(i.start())
            target = T.nearest(ms, i.start(), i.end(), {T.COUNCILLOR, T.STAFF}, (around.start, around.end))
            if target is None or ctx.doc.denied(i.start()):
                continue
            yield Hit(spans=((i.start(), i.end()), (cue.start(), cue.end())), score=0.65,
                      fixes=(ctx.drop_sentence(i.start()),),
                      why=f"It points at a private interest of {target.in_sentence} (\u201c{i.group(0)}\u201d) and leaves "
                          f"the reader to draw the conclusion (\u201c{cue.group(0)}\u201d). Insinuation does not make an "
                          f"allegation safe to publish.",
                      data={"detector": "defamation.allegation", "target": target.name})
            return


def _about_author(ctx: Context, pos: int, sentence_start: int) -> bool:
    """"X called me a liar": the allegation is about the author, reported to rebut it."""
    head = ctx.text[sentence_start:pos]
    return bool(re.search(r"\b(?:that i|me|i was|i am|i'm|i've been|accused me|called me|said i)\b", head, re.IGNORECASE)) \
        and ctx.doc.reported(pos, pos + 1)


def _pronoun_target(ctx: Context, ms: list[T.Mention], sentence_start: int) -> T.Mention | None:
    prev = [m for m in ms if m.end <= sentence_start and m.kind in (T.COUNCILLOR, T.STAFF, T.PUBLIC)]
    if not prev or sentence_start - prev[-1].end > 300:
        return None
    head = " " + ctx.text[sentence_start:sentence_start + 160].lower()
    return prev[-1] if re.search(r"\b(?:he|she|they|him|her|his)\b", head) else None
