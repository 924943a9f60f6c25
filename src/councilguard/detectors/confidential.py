"""Confidential council information: closed sessions, legal advice, staff matters, tenders, complaints.

A confidential *topic* alone is not a disclosure ("item 9 will be taken in closed session" is on the
public agenda). A finding needs the topic plus disclosed content: what was agreed, said, advised or
paid. Passing on confidential material someone else wrote still discloses it, so quotes count.
"""

from __future__ import annotations


from councilguard.detectors import targets as T
from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless

TOPICS = [
    (r"\b(?:closed|private|confidential)\s+(?:session|part|meeting|item|briefing)\b|\bin\s+camera\b|\bpart\s+(?:2|ii|two)\b|"
     r"\bexempt\s+(?:item|business|information|session)\b|\bpublic\s+(?:and\s+press\s+)?(?:were\s+)?excluded\b|"
     r"\b(?:decided|agreed|resolved|voted)\b[^.!?\n]{0,25}\bin\s+private\b", "a closed session"),
    (r"\blegal\s+advice\b|\b(?:our|the\s+council'?s)\s+(?:own\s+)?(?:solicitor|barrister|lawyer|counsel)s?\b|"
     r"\bcounsel'?s\s+(?:opinion|view|advice)\b|\bcounsel\s+(?:has|have|had)\s+(?:told|advised)\b|\b(?:has|have|had)\s+been\s+(?:legally\s+)?advised\s+that\b", "legal advice"),
    (r"\b(?:tribunal|grievance|disciplinary|dismissal|redundanc(?:y|ies)|sick(?:ness)?\s+(?:leave|absence|record)|"
     r"performance\s+(?:review|issues?)|settlement\s+agreement|pay\s+(?:rise|award|grade)\s+for|salary\s+of|suspended\s+on\s+full\s+pay)\b",
     "a staff employment matter"),
    (r"\b(?:tenders?|bids?|quotes?|quotations?)\s+(?:from|by|for\s+the\s+contract)\b|\bcontract\s+negotiations?\b|"
     r"\b(?:lowest|highest|winning)\s+(?:bid|tender|quote)\b|\bcame\s+in\s+(?:cheapest|lowest|dearest|highest)\b|"
     r"\bbetween\s+[A-Z][\w&'’ -]{2,40}?\s+at\s+£\s?\d[\d,.]*k?\s+and\b|\bpreferred\s+(?:bidder|contractor)\b|\btender\s+priced\b|"
     r"\b(?:bids|tenders|quotes)\s+(?:are|were)\s+in\b|\b(?:lease|rent|price)\s+(?:talks|negotiations?)\b|"
     r"\b(?:the\s+council|we)\s+(?:has\s+|have\s+|had\s+)?offered\b[^.!?\n]{0,50}£\s?\d|£\s?\d[\d,.]*k?\s+agreed\s+in\s+principle\b",
     "a tender or contract negotiation"),
    (r"\b(?:complaint|investigation|standards\s+complaint|code\s+of\s+conduct\s+complaint)s?\s+(?:against|about|into|is\s+being\s+investigated)\b|"
     r"\bunder\s+investigation\b|\bbeing\s+investigated\b|\bcase\s+to\s+answer\b", "a complaint under investigation"),
    (r"\bshortlist(?:ed)?\s+for\b|\binterview\s+panel\b|\binterviews?\s+for\s+the\b", "a recruitment"),
    (r"\b(?:marked\s+)?(?:strictly\s+)?(?:confidential|private\s+and\s+confidential|not\s+for\s+(?:publication|circulation|sharing))\b|"
     r"\bembargoed\b", "material marked confidential"),
    # papers the council has not yet made public: what they say is not the author's to release
    (r"\bnot\s+(?:yet\s+)?(?:published|made\s+public|announced)(?:\s+yet)?\b|\bnot\s+(?:yet\s+)?public\s+(?:till|until)\b|\b(?:hasn'?t|has\s+not|haven'?t|have\s+not)\s+"
     r"(?:yet\s+)?been\s+(?:announced|published|made\s+public)\b|\bconfidential\s+(?:until|papers)\b", "papers not yet public"),
]
_TOPICS = [(caseless(p), what) for p, what in TOPICS]
# A topic followed by a colon and what it says: "Counsel's view on the market case: strong on the last two years' fees"
_COLON_CONTENT = caseless(r"[^.!?\n:]{0,40}:\s*[\w£'‘\"]\S*(?:\s+\S+){2,}")
_SAID_AFTER_A_COLON = {"a closed session", "legal advice", "a recruitment"}  # not "Confidential to Santa: …"
# Facts about a member of staff that are themselves the disclosure: no "agreed" or "said" is needed
STAFF_FACTS = caseless(
    r"\boff\s+with\s+stress\b|\b(?:final\s+written|formal|written)\s+warning\b|\bformal\s+(?:complaint|grievance)\s+(?:in\s+)?"
    r"(?:about|against)\b|\bhanded\s+in\s+(?:her|his|their)\s+notice\b|\b(?:failed|extended)\s+(?:her|his|their)\s+"
    r"probation\b|\b(?:HR|disciplinary|capability)\s+(?:meeting|hearing)\b|\b(?:her|his|their)\s+contract\s+renewal\b")
_STAFF_WORDS = caseless(r"\b(?:clerk|rfo|officer|groundsm[ae]n|apprentice|caretaker|staff|employee|assistant)\b")

DISCLOSURE = caseless(
    r"\b(?:agreed|decided|resolved|voted|scored|raised|lodged|turned\s+down|candidates?|sneak\s+peek|settle[ds]?|settling|paid|pay|paying|offered|awarded|accepted|rejected|"
    r"told\s+us|said|says|advised|screenshots?|attached|pics?\s+of|leaked|advice\s+(?:is|was)|view\s+(?:is|was)|found|recommend(?:s|ed)?|admitted|revealed|showed|shows|came\s+in\s+at|"
    r"was\s+sacked|was\s+dismissed|is\s+being|has\s+been|going\s+to\s+(?:sack|dismiss|settle|pay)|will\s+(?:sack|dismiss|settle|pay|get)|"
    r"can'?t\s+say\s+much\s+but|between\s+(?:you\s+and\s+me|ourselves)|off\s+the\s+record|not\s+supposed\s+to\s+(?:say|tell)|"
    r"shouldn'?t\s+(?:really\s+)?(?:say|tell|be\s+telling))\b|£\s?\d")
PROCEDURAL = caseless(
    r"\b(?:will\s+be\s+(?:taken|held|discussed|considered)|is\s+to\s+be\s+(?:taken|considered)|to\s+consider\s+whether\s+to\s+exclude|"
    r"resolved\s+to\s+exclude\s+the\s+public|agenda|under\s+the\s+public\s+bodies\s+\(admission\s+to\s+meetings\)|"
    r"i\s+can'?t\s+(?:comment|discuss|say\s+anything)|we\s+can'?t\s+(?:comment|discuss)|(?:it|this)\s+is\s+confidential\s+so\s+i\s+can'?t|"
    # a refusal, or what is already public record: nothing confidential is disclosed
    r"can'?t\s+(?:share|disclose|talk\s+about)|in\s+line\s+with\s+the\s+national\s+(?:agreement|award)|\bnjc\b|won'?t\s+(?:comment|share|be\s+adding|publish|release)|is\s+(?:legally\s+)?privileged|"
    r"(?:the\s+council|we|it)\s+published\b|published\s+(?:minutes|papers|accounts)|(?:is|are|was|were|has\s+been|have\s+been)\s+(?:now\s+)?"
    r"(?:public|published|listed)|now\s+published|been\s+reported\s+in|on\s+the\s+(?:council'?s\s+)?website|(?:voted|decided|held)\s+in\s+public|"
    r"will\s+be\s+in\s+the\s+(?:published\s+)?minutes|if\s+(?:a|any|anyone|someone|a\s+councillor)\b[^.!?]{0,30}\bever\b|"
    # what is, or will be, on the public record: a decision notice, a finding of no breach, an outcome reported in open session
    r"will\s+be\s+published|decision\s+notice|found\s+no\s+breach|(?:reported|announced)\s+in\s+open\s+session|"
    r"(?:won'?t|will\s+not)\s+say\b|privileged\s+so|(?:won'?t|will\s+not|wouldn'?t|refuse[sd]?\s+to)\s+"
    r"(?:say|tell\s+us|disclose)\s+what|(?:because|as)\s+(?:it|the\s+advice)\s+is\s+(?:legally\s+)?privileged)\b")

# The author marks what they pass on as secret ("keep it to yourselves", "mum's the word", "🤫") ...
SECRECY = caseless(
    r"\b(?:keep\s+(?:it|this|that)\s+to\s+(?:yourself|yourselves)|(?:don'?t|do\s+not)\s+(?:tell\s+anyone|repeat\s+this|"
    r"share\s+this|pass\s+this\s+on|spread\s+this)|mum'?s\s+the\s+word|you\s+didn'?t\s+(?:read|hear)\s+(?:this|it)|"
    r"between\s+you,?\s+me\s+and\s+the\s+(?:gatepost|lamp-?post)|not\s+supposed\s+to\s+(?:share|say|tell)|"
    r"(?:probably|really|i)\s+shouldn'?t\s+(?:say|tell|share)|read\s+and\s+delete|not\s+from\s+me|can'?t\s+say\s+more(?!\s+(?:while|until|at\s+this|yet|than))|"
    r"all\s+i'?m\s+allowed\s+to\s+say|all\s+i'?ll\s+say\s+is|a\s+little\s+bird\s+(?:tells?|told)\s+me|"
    r"strictly\s+between\s+(?:us|ourselves))\b|🤫")
# ... about the kind of council business that is kept private: money offered, claims, staff, complaints
SENSITIVE = caseless(
    r"£\s?\d|\b\d+(?:\.\d+)?k\b|\b(?:offer(?:ed|s)?|settle\w*|claim|complaints?|monitoring\s+officer|mo|hr|dismiss\w*|"
    r"disciplinary|capability|probation|warning|insurers?|lawyers?|counsel|barrister|solicitors?|tenders?|contract|lease|"
    r"negotiat\w+|investigation|standards|closed\s+session|part\s+2|shortlist\w*|interview\w*|"
    r"sick(?:ness)?|stress|(?:draft|internal|expert|consultant'?s?)\s+(?:audit|report)|papers|fees|complain\w*|purchase)\b")


@detector("confidential.disclosure")
def disclosure(ctx: Context, params):
    """Disclosed content from a closed session, legal advice, staff matter, tender or investigation."""
    if ctx.within_council_mail:
        return  # inside the council's own secure e-mail: not a disclosure "online"
    text = ctx.text
    for rx, what in _TOPICS:
        for m in rx.finditer(text):
            sent = ctx.doc.sentence_at(m.start())
            body = text[sent.start:sent.end]
            if PROCEDURAL.search(body):
                continue
            d = DISCLOSURE.search(body)
            if d:
                d_start, d_end = sent.start + d.start(), sent.start + d.end()
            elif what in _SAID_AFTER_A_COLON and (colon := _COLON_CONTENT.match(text, m.end())):
                d_start, d_end = colon.start(), colon.end()
            else:
                continue
            span_start, span_end = min(m.start(), d_start), max(m.end(), d_end)
            end = sent.end if sent.end - span_start < 220 else span_end
            yield Hit(spans=((span_start, end),), score=0.85,
                      why=f"It discloses what happened in {what} (\u201c{m.group(0)}\u201d).",
                      data={"detector": "confidential.disclosure", "topic": what})
            break
    yield from _staff_facts(ctx)
    for m in SECRECY.finditer(text):  # rare, so looked for first; the message-wide test only then
        if ctx.doc.others_words(m.start(), m.end()):
            continue
        parent = ctx.message.in_reply_to.text if ctx.message.in_reply_to else ""
        if not (SENSITIVE.search(text) or SENSITIVE.search(parent or "")):
            break
        yield Hit(spans=((m.start(), m.end()),), score=0.8,
                  why=f"It passes on council business while saying it is secret (\u201c{m.group(0)}\u201d).",
                  data={"detector": "confidential.disclosure", "topic": "business the author marks as secret"})
        break


def _staff_facts(ctx: Context):
    """A staff member's sickness, notice, probation or HR meeting, told about someone the message shows is staff."""
    for m in STAFF_FACTS.finditer(ctx.text):
        if ctx.doc.others_words(m.start(), m.end()) or ctx.doc.denied(m.start()):
            continue
        sent = ctx.doc.sentence_at(m.start())
        staff = any(t.kind == T.STAFF for t in T.mentions(ctx)) or _STAFF_WORDS.search(ctx.text, sent.start, sent.end)
        if staff:
            yield Hit(spans=((sent.start, sent.end),), score=0.8,
                      why=f"It discloses a staff employment matter (\u201c{m.group(0)}\u201d).",
                      data={"detector": "confidential.disclosure", "topic": "a staff employment matter"})
            return
