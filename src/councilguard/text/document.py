"""Structure of a text that the judgement rules need: sentences, quotations, reported speech.

"Whose words" matters: quoting abuse in order to report it is not the author's abuse. This module
finds the spans that are someone else's words so detectors can weigh them.
"""

from __future__ import annotations

import re

from councilguard.text.caseless import caseless
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n\s*\n|\n(?=\s*[-*•>])|\n")
_QUOTE_PAIRS = [("“", "”"), ('"', '"'), ("‘", "’"), ("«", "»")]
# Between single quotes; an apostrophe inside a word ("'you're a …'", "'isn't'") does not end the quote.
_SINGLE_QUOTE = re.compile(r"(?<![A-Za-z0-9])'((?:[^'\n]|(?<=[A-Za-z])'(?=[A-Za-z])){2,200}?)'(?![A-Za-z0-9])")
_FORWARD_MARK = caseless(
    r"^-{2,}\s*(forwarded|original) message\s*-{2,}|^begin forwarded message|^on .{5,80} wrote:\s*$", re.MULTILINE,
)
# "X said/called me/shouted that …": the rest of the sentence reports someone else's words.
REPORTING = caseless(
    r"\b(?:(?:said|says|saying|shouted|shouting|wrote|writes|claimed|claims|alleged|alleges|tweeted|posted|"
    r"commented|screamed|yelled|told\s+(?:me|us|him|her|them|everyone))(?:\s+that)?\s*(?:[:\"“‘']|\b(?:I|me|we|us|you|he|she|they|it|"
    r"I'm|I was|I am)\b)|"
    r"(?:called|calling|labelled|branded|accused|accusing)\s+(?:me|us|him|her|them|you)\b)",
)


DENIAL = caseless(
    r"\b(?:nobody|no one|no-one|never)\s+(?:should|can|could|would|will)\s+(?:say|claim|suggest|think|pretend|believe)|"
    r"\bit(?:'s| is)\s+(?:not\s+true|false|untrue|a lie|nonsense|rubbish|wrong)\s+(?:that|to\s+(?:say|claim|suggest))|"
    r"\b(?:don'?t|do not)\s+believe\s+(?:anyone|those|people|anybody)\s+who\s+(?:says?|claims?)|"
    r"\bthe\s+(?:claim|rumou?r|suggestion|idea)\s+that\b.*\b(?:is|was)\s+(?:false|untrue|nonsense|wrong)|"
    # "Nobody is too old to be a councillor": a charge put only to be rebutted
    r"\b(?:nobody|no one|no-one)\s+(?:is|are)\s+[\"'‘“]?too\s+\w+[\"'’”]?\s+to\b|"
    # "I'd never call Cllr Dubois a clown", "Nobody who's worked with Dev would call him lazy", "I don't accept that…"
    r"\b(?:I'?d|I\s+would|I\s+will|I'?ll)\s+never\s+(?:call|say|suggest|accuse)\b|"
    r"\b(?:nobody|no\s+one|no-one)\s+who\S*\s+[^.!?]{0,60}?\b(?:would|could)\s+(?:call|say|think|suggest|accuse)\b|"
    r"\bI\s+(?:don'?t|do\s+not)\s+accept\s+that\b|"
    # "Being divorced doesn't make anyone less fit to serve"
    r"\b(?:doesn'?t|does\s+not|don'?t|do\s+not|shouldn'?t|should\s+not)\s+make\s+(?:anyone|anybody|someone|you|a\s+person|"
    r"people|them|her|him)\s+(?:any\s+)?(?:less|unfit|worse)\b|"
    # "No, the council did not ban dogs from the Green", "No Keith did not stand down because of a scandal"
    r"^\W*no,?\s+(?!(?:point|use|wonder|chance|way|one|doubt|idea|need|matter|surprise|amount|sign|reason|longer|more|"
    r"less|thanks|problem|worries|excuse)\b)(?:the|our|cllr|councillor|he|she|they|it|[a-z]+)\b[^.!?]{0,60}?\b(?:did\s+not|didn'?t|does\s+not|"
    r"doesn'?t|is\s+not|isn'?t|has\s+not|hasn'?t|was\s+not|wasn'?t|never)\b")

# A charge the author reports in order to answer it: "Some say the parish council does nothing for older residents.
# It funds the lunch club, the minibus and the befriending scheme." The first sentence puts the charge in others'
# mouths; the next answers it with a denial or with facts.
CLAIM_REPORTED = caseless(
    r"\W*(?:I\s+keep\s+(?:reading|hearing|seeing)|(?:some\s+)?people\s+(?:have\s+)?(?:called|call|say|said|claim|are\s+saying|"
    r"keep\s+saying)|some\s+(?:say|claim|have\s+said)|(?:somebody|someone)(?:'s|\s+has|\s+have)?\s+(?:been\s+saying|posted|"
    r"said|claimed|suggested|written)|there'?s\s+a\s+rumou?r|rumou?rs\s+(?:that|about)|you\s+may\s+have\s+(?:read|heard|seen)|"
    r"it'?s\s+been\s+(?:said|claimed|suggested))\b")
CLAIM_ANSWERED = caseless(
    r"\b(?:not\s+true|untrue|false|nonsense|rubbish|a\s+myth|ugly\s+thing|unfair|no\s+basis|simply\s+wrong|isn'?t|is\s+not|"
    r"wasn'?t|did\s+not|didn'?t|doesn'?t|does\s+not|funds|funded|cleared|reopened|runs|ran|paid|costs?|chairs|published|"
    r"in\s+the\s+(?:accounts|minutes|register)|on\s+the\s+website|register\s+of\s+interests|nothing\s+(?:there|in\s+it))\b|£\s?\d")
_REFUSAL = caseless(r"\W*(?:no|nope|of\s+course\s+not|absolutely\s+not|certainly\s+not|hardly)\b(?!\s+(?:one|doubt|wonder)\b)")
AGREED = caseless(r"\b(?:they'?re|he'?s|she'?s|it'?s|that'?s)\s+(?:right|true|spot\s+on)\b|\bI\s+agree\b|\bexactly\b")

# A remedy proposed through the council's own ways of working: "…should run it again with proper notice", "I'll
# propose a review at the next meeting". Criticism that ends in a proposal is how a councillor should disagree.
PROPOSAL = caseless(
    r"\b(?:should|must|needs?\s+to|ought\s+to)\s+(?:now\s+)?(?:run|hold|re-?run|redo|look\s+(?:again|at)|think\s+again|"
    r"reconsider|re-?consult|consult|review|revisit|pause|delay|defer|start\s+again|try\s+again|go\s+back\s+to)\b|"
    # the better way, said of a past decision: "should have consulted the allotment holders first"
    r"\b(?:should|ought\s+to)\s+have\s+(?:consulted|asked|listened\s+to|waited|held|looked\s+at|thought\s+about|"
    r"reviewed|published|explained|checked)\b|"
    r"\bI(?:'ll|\s+will|'m|\s+am)\s+(?:be\s+)?(?:propos|ask|bring|put|rais|tabl)\w*\b|"
    r"\bI(?:'ve|\s+have)\s+(?:asked|proposed|tabled|put\s+(?:down\s+)?a\s+motion)\b")

# The author apologising for their own conduct ("I'm sorry if I came across that way", "I should have told you sooner,
# and I'm sorry", "I apologise"), not sympathy ("I'm sorry you've been fobbed off") nor "sorry, but…"
APOLOGY = caseless(
    r"\b(?:I'?m|I\s+am)\s+(?:so\s+|very\s+|really\s+|truly\s+)?sorry\s+(?:if\s+I\b|for\s+(?:my|the\s+way\s+I|what\s+I)\b|I\b)|"
    r"\b(?:and|so|right,?\s+and)\s+I'?m\s+(?:so\s+|very\s+|really\s+)?sorry\b(?!\s+(?:you|to|that\s+you|but))|"
    r"\bI\s+(?:sincerely\s+|unreservedly\s+)?apologi[sz]e\b|\bmy\s+apologies\s+(?:to|for)\b")

# "People have asked whether …", "can I …": what follows is a question someone put, not the author's claim.
ASKED = caseless(r"\b(?:ask\w*|wonder\w*|query|queries|question)\b.*\b(?:if|whether|how)\b|\bwhether\b|"
                 r"\bcan\s+(?:i|they|we|you|residents|people)\s+$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __contains__(self, pos: int) -> bool:
        return self.start <= pos < self.end


class Document:
    """Lazily analysed view of one text. Offsets index the original text."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def sentences(self) -> list[Span]:
        spans: list[Span] = []
        start = 0
        for m in _SENTENCE_END.finditer(self.text):
            if m.start() > start:
                spans.append(_trim(self.text, start, m.start()))
            start = m.end()
        if start < len(self.text):
            spans.append(_trim(self.text, start, len(self.text)))
        return [s for s in spans if s.end > s.start]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, pos: int) -> Span:
        i = bisect_right(self._sentence_starts, pos) - 1
        if i < 0:
            return Span(0, len(self.text))
        return self.sentences[i]

    @cached_property
    def quotes(self) -> list[Span]:
        """Quoted passages: text between quotation marks, '>' lines, and forwarded sections."""
        out: list[Span] = []
        for open_, close in _QUOTE_PAIRS:
            pattern = re.escape(open_) + r"([^" + re.escape(open_ + close) + r"\n]{2,400}?)" + re.escape(close)
            out.extend(Span(m.start(), m.end()) for m in re.finditer(pattern, self.text))
        out.extend(Span(m.start(), m.end()) for m in _SINGLE_QUOTE.finditer(self.text))
        for m in re.finditer(r"^>.*$", self.text, re.MULTILINE):
            out.append(Span(m.start(), m.end()))
        fwd = _FORWARD_MARK.search(self.text)
        if fwd:
            out.append(Span(fwd.start(), len(self.text)))
        return sorted(set(out), key=lambda s: (s.start, s.end))

    def in_quote(self, start: int, end: int | None = None) -> bool:
        end = start + 1 if end is None else end
        return any(q.start <= start and end <= q.end for q in self.quotes)

    @cached_property
    def forwarded_from(self) -> int | None:
        """Where a forwarded or quoted-reply section begins, if there is one."""
        fwd = _FORWARD_MARK.search(self.text)
        return fwd.start() if fwd else None

    def reported(self, start: int, end: int) -> bool:
        """True when [start, end) sits after a reporting verb in its sentence ("X called me a liar")."""
        sent = self.sentence_at(start)
        head = self.text[sent.start:start]
        return bool(REPORTING.search(head))

    def denied(self, start: int) -> bool:
        """True when the sentence frames what follows as something it denies ("nobody should say…"), or reports it as
        a charge that the next sentence answers ("Some say the council does nothing. It funds the lunch club.")."""
        sent = self.sentence_at(start)
        return bool(DENIAL.search(self.text[sent.start:start])) or self._answered(sent) or self._asked_and_refused(sent)

    def denials(self, start: int, end: int) -> list[Span]:
        """The sentences within [start, end) that deny or rebut a charge ("Nobody should say the council is corrupt"),
        or report one that the next sentence answers. Each sentence is searched on its own (a slice), because DENIAL
        anchors "No, the council did not…" at the sentence's start with ``^``, which never matches at a ``pos``."""
        return [s for s in self.sentences if start <= s.start and s.end <= end
                and (DENIAL.search(self.text[s.start:s.end]) or self._answered(s) or self._asked_and_refused(s))]

    def _answered(self, sent: Span) -> bool:
        """``sent`` reports a charge (CLAIM_REPORTED) and the next sentence answers it without agreeing."""
        if not CLAIM_REPORTED.match(self.text, sent.start) or (following := self._next_sentence(sent)) is None:
            return False
        answer = self.text[following.start:following.end]
        return bool(CLAIM_ANSWERED.search(answer)) and not AGREED.search(answer)

    def _asked_and_refused(self, sent: Span) -> bool:
        """``sent`` is a question the next sentence answers "No": "Is it a joke? No." """
        if not self.text[sent.start:sent.end].rstrip().endswith("?") or (following := self._next_sentence(sent)) is None:
            return False
        return bool(_REFUSAL.match(self.text, following.start))

    def _next_sentence(self, sent: Span) -> Span | None:
        if sent.end >= len(self.text.rstrip()):
            return None
        following = self.sentence_at(sent.end + 1)
        return following if following.start >= sent.end else None

    def proposals(self, start: int, end: int) -> list[Span]:
        """The sentences within [start, end) that propose a remedy through the council ("…should run it again")."""
        return self._matching(PROPOSAL, start, end)

    def apologies(self, start: int, end: int) -> list[Span]:
        """The sentences within [start, end) in which the author apologises for their own conduct."""
        return self._matching(APOLOGY, start, end)

    def _matching(self, rx, start: int, end: int) -> list[Span]:
        return [s for s in self.sentences if start <= s.start and s.end <= end and rx.search(self.text, s.start, s.end)]

    def asked(self, start: int) -> bool:
        """True when the sentence puts what follows as a question someone asked ("… asked whether …")."""
        return bool(ASKED.search(self.text, self.sentence_at(start).start, start))

    def others_words(self, start: int, end: int) -> bool:
        """Quoted or reported: someone else's words, not the author's own."""
        return self.in_quote(start, end) or self.reported(start, end)


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)
