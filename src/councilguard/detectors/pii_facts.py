"""Sensitive facts about a person: health, a criminal record, a child's details, a complaint.

A fact is a finding only when it is tied to an identifiable individual ("Mrs Jenkins has dementia",
"he was arrested" after naming him, "the resident at No. 14 has complained"). The same words about
nobody in particular ("dementia services are underfunded", "a resident has complained") are fine.
The cue patterns are cheap regexes that include the verb linking them to a subject, so a subject
is looked for only just before the cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from councilguard.detectors.pii_people import NAME, PRONOUN, RELATION, Mention, People
from councilguard.text.caseless import caseless

HEALTH, CRIMINAL, CHILD, COMPLAINT = "health", "criminal", "child", "complaint"
CATEGORIES = (HEALTH, CRIMINAL, CHILD, COMPLAINT)

DESCRIBE = {  # what the fact is, with {who} for whom it is about
    HEALTH: "health information about {who}",
    CRIMINAL: "criminal-record information about {who}",
    CHILD: "details that identify a child, {who}",
    COMPLAINT: "the details of a complaint made by {who}",
}

_CONDITION = (
    r"(?:early[- ]onset\s+|terminal\s+|advanced\s+|severe\s+|stage\s+\w+\s+|breast\s+|lung\s+|bowel\s+|"
    r"prostate\s+|skin\s+)*"
    r"(?:dementia|alzheimer['\u2019]?s|cancer|a\s+tumou?r|leukaemia|hiv|(?-i:AIDS)|depression|"
    r"schizophrenia|bipolar(?:\s+disorder)?|ptsd|an?\s+eating\s+disorder|anorexia|bulimia|"
    r"mental\s+health\s+(?:problems|issues|difficulties|condition)|a\s+mental\s+illness|mental\s+illness|"
    r"(?-i:MS)|multiple\s+sclerosis|parkinson['\u2019]?s|motor\s+neurone\s+disease|epilepsy|diabetes|"
    r"autism|adhd|a\s+(?:heart\s+attack|stroke(?!\s+of)|nervous\s+breakdown|mental\s+breakdown|miscarriage)|"
    r"covid|long\s+covid|a\s+drink\s+problem|a\s+drug\s+problem|an?\s+addiction|dialysis|chemo(?:therapy)?)"
)
_HEALTH_RE = caseless(
    r"\b(?:has|had|have|'s|\u2019s|is\s+suffering\s+from|suffers\s+from|suffering\s+from|diagnosed\s+with|"
    r"battling|fighting|living\s+with|struggling\s+with|being\s+treated\s+for|treated\s+for|"
    r"recovering\s+from|died\s+of|dying\s+of|got|having)\s+(?:got\s+)?" + _CONDITION + r"\b"
    r"|\b(?:suffers|suffering|suffered|diagnosed|being\s+treated|struggling|living)\s+(?:from|with|for)\s+"
    r"(?:severe\s+)?anxiety\b"
    r"|\b(?:his|her|their)\s+" + _CONDITION + r"\b"
    r"|\b(?:is|was|'s|\u2019s|has\s+been|been)\s+(?:on|taking)\s+(?:anti-?depressants|anti-?psychotics|"
    r"methadone|lithium|medication\s+for\s+\w+|chemo(?:therapy)?)\b"
    r"|\b(?:is|was|'s|\u2019s|has\s+been|been|got)\s+(?:sectioned|hospitalised|in\s+hospital|"
    r"in\s+a\s+psychiatric\s+\w+|in\s+rehab|pregnant|depressed|suicidal|terminally\s+ill|hiv\s+positive|"
    r"an\s+alcoholic|a\s+drug\s+addict|an\s+addict|autistic|registered\s+blind)\b"
    r"|\b(?:attempted\s+suicide|tried\s+to\s+kill\s+(?:him|her|them)self)\b"
    # off work for health: "the Clerk's off again with stress", "signed off sick", "signed off with his back for 6 wks"
    r"|\b(?:is|was|'s|\u2019s|has\s+been|been|got|being)\s+(?:signed\s+off|off)\s+(?:(?:again|work|sick|ill)\s+)*"
    r"(?:with\s+(?:stress|anxiety|depression|(?:his|her|their)\s+(?:back|nerves|heart|knee|hip|mental\s+health))|"
    r"sick\b|ill\b|for\s+(?:\w+\s+)?(?:weeks?|wks|months?)\b)"
    # a named hospital, or any place "with her heart": "is in Watford General", "in Glangwili with his heart"
    r"|\b(?:is|was|'s|\u2019s|has\s+been|been|still|back|taken|rushed|admitted)\s+(?:back\s+|still\s+)?(?:in|into|to)\s+"
    r"(?:a\s+hospice|the\s+hospice|a\s*&\s*e|intensive\s+care|icu|"
    r"(?:the\s+)?(?:(?-i:[A-Z])[\w'\u2019]+\s+){1,3}(?-i:Hospital|General|Infirmary|Hospice))\b"
    r"(?!\s+(?:purposes|meeting|committee|election|manager|car\s+park))"
    r"|\bin\s+(?:(?-i:[A-Z])[\w'\u2019]+\s+){1,3}with\s+(?:his|her|their)\s+"
    r"(?:heart|chest|lungs?|kidneys?|liver|nerves|breathing|cancer)\b",
)
_CRIMINAL_RE = caseless(
    r"\b(?:has|had|have|'s|\u2019s|got)\s+(?:got\s+)?(?:a\s+)?(?:criminal\s+record|(?:previous\s+)?convictions?|"
    r"police\s+caution|caution\s+for)\b(?:\s+(?:for|of)(?:\s+[^\s.,;!?]+){1,6})?"
    r"|\b(?:was|were|been|got|is\s+being|has\s+been|'s\s+been|\u2019s\s+been|is|'s|\u2019s)\s+"
    r"(?:arrested|convicted|jailed|imprisoned|charged\s+with|cautioned\s+(?:by|for)|sentenced|sent\s+down|"
    r"done\s+for\s+(?:drink|drug|speeding|theft|assault|fraud|burglary|shoplifting)|banned\s+from\s+driving|"
    r"prosecuted|on\s+bail|out\s+on\s+bail|on\s+probation|on\s+licence|"
    r"on\s+parole|a\s+(?:convicted|registered)\s+\w+(?:\s+offender)?)\b"
    r"(?:\s+(?:for|of|with)(?:\s+[^\s.,;!?]+){1,6})?"
    r"|\b(?:just\s+)?(?:out\s+of|released\s+from|back\s+from|served\s+time\s+in|spent\s+\w+\s+(?:years?\s+)?in|"
    r"(?:is|was|'s|\u2019s)\s+in)\s+(?:prison|jail|gaol|hmp\b|a\s+young\s+offenders)",
)
_COMPLAINT_RE = caseless(
    r"\b(?:has|have|had|'s|\u2019s)\s+(?:\w+\s+)?(?:complained|made\s+a\s+complaint|lodged\s+a\s+complaint|"
    r"filed\s+a\s+complaint|put\s+in\s+a\s+complaint|raised\s+a\s+complaint|submitted\s+a\s+complaint)"
    r"(?:\s+(?:about|against|over|regarding)(?:\s+[^\s.,;!?]+){1,8})?"
    r"|\b(?:keeps|kept|is\s+always|constantly|forever)\s+complaining(?:\s+about(?:\s+[^\s.,;!?]+){1,8})?"
    r"|\bcomplained\s+(?:about|against|to)(?:\s+[^\s.,;!?]+){1,8}"
    # the complainant named after the cue: "the complaint about the hedge came from Mrs Price"
    r"|\bcomplaints?(?:\s+(?:about|over|against|regarding)(?:\s+[^\s.,;!?]+){1,6}?)?\s+(?:came|comes|was|were)\s+from\b",
)
_CHILD_RE = re.compile(
    r"\b(?P<owner>(?i:her|his|their|my|our)|[A-Z][a-z]+(?:['\u2019]s|['\u2019]))\s+"
    r"(?:(?:little|young|eldest|youngest|oldest)\s+)?"
    r"(?P<rel>son|daughter|boy|girl|child|kid|grandson|granddaughter|stepson|stepdaughter)\s*,?\s+"
    r"(?P<name>[A-Z][a-z]+)"
)
_CHILD_AGE_RE = re.compile(r",\s*(?:aged\s+)?\d{1,2}\s*(?=[,.;]|$)|\(\s*(?:aged\s+)?\d{1,2}\s*\)|\baged\s+\d{1,2}\b|"
                           r"\b\d{1,2}[- ]years?[- ]old\b|\bis\s+\d{1,2}\b")
_CHILD_SCHOOL_RE = re.compile(r"\b(?:at|attends|goes\s+to|pupil\s+at|in\s+year\s+\d+\s+at)\s+"
                              r"(?:[A-Z][\w'\u2019-]*\s+){0,4}(?:School|Primary|Academy|Nursery|College|Infants|"
                              r"Juniors|High)\b")
# Words between a subject and its cue that show the cue is about someone else, or nobody in particular.
_OTHER_SUBJECT = caseless(
    r"\b(?:people|residents|someone|somebody|nobody|no\s+one|anyone|anybody|everyone|many|families|"
    r"children|patients|those|others?|I|we|you|they|services?|caf[e\u00e9]|centre|charity|"
    r"said|says|told|thinks|believes|dog|cat|horse|pony|pet|car|tree|hedge|garden|shed|business|shop|company)\b",
)
_HEALTH_KEYS = re.compile(
    r"dementia|alzheimer|cancer|tumou?r|leukaemia|hiv|aids|depress|anxiety|schizo|bipolar|ptsd|eating|anorexi|"
    r"bulimi|mental|sclerosis|\bms\b|parkinson|neurone|epilep|diabet|autis|adhd|heart|stroke|breakdown|"
    r"miscarr|covid|problem|addict|dialysis|chemo|psych|methadone|lithium|medication|section|hospital|rehab|"
    r"pregnant|suicid|terminal|alcoholic|blind|kill|hospice|infirmary|general|intensive|icu|a\s*&\s*e|chest|lung|"
    r"kidney|liver|nerves|breathing|off\s+(?:again|work|sick|ill|with|for)|signed\s+off")
_CRIMINAL_KEYS = re.compile(
    r"record|convict|caution|arrest|jail|imprison|charged|sentenced|sent\s+down|done\s+for|banned|"
    r"prosecut|bail|probation|licence|parole|offender|prison|gaol|hmp")
_COMPLAINT_KEYS = re.compile(r"complain")
_CHILD_KEYS = re.compile(r"son|daughter|boy|girl|child|kid")
# (The key patterns run on lower-cased text: case-insensitive alternations are ten times slower.)
_CUES = ((HEALTH, _HEALTH_KEYS, _HEALTH_RE), (CRIMINAL, _CRIMINAL_KEYS, _CRIMINAL_RE),
         (COMPLAINT, _COMPLAINT_KEYS, _COMPLAINT_RE))


@dataclass(frozen=True)
class Fact:
    """A sensitive fact tied to a person: its category, the cue span, who it is about, how sure."""

    category: str
    start: int
    end: int
    subject: Mention
    score: float


@dataclass(frozen=True)
class Cue:
    """Words that state a sensitive fact, before it is known whom they are about."""

    category: str
    start: int
    end: int
    text: str
    child: Mention | None = None  # for a child's details: the child named


def find_cues(text: str) -> list[Cue]:
    """Every sensitive-fact cue in ``text``. Each category's full pattern runs only when one of its
    key words is present: most messages have none, and the full patterns cost about a millisecond
    on a long e-mail."""
    cues: list[Cue] = []
    lowered = text.lower()
    for category, keys, pattern in _CUES:
        if keys.search(lowered):
            cues.extend(Cue(category, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text))
    if _CHILD_KEYS.search(lowered):
        cues.extend(_child_cues(text))
    return cues


def tie_facts(text: str, cues: list[Cue], people: People, *, second_person_is_recipient: bool = False) -> list[Fact]:
    """The cues tied to an identifiable person other than the author (or the addressee)."""
    facts: list[Fact] = []
    for cue in cues:
        if cue.category == CHILD:
            facts.append(Fact(CHILD, cue.start, cue.end, cue.child, 0.9))
            continue
        subject = _subject_of(text, cue.start, cue.text, people)
        if subject is None or (cue.category == COMPLAINT and subject.member is not None):
            continue
        if second_person_is_recipient and people.is_recipient(subject):
            continue
        facts.append(Fact(cue.category, cue.start, cue.end, subject, _score(subject)))
    return _dedupe(facts)


def _subject_of(text: str, cue_start: int, cue: str, people: People) -> Mention | None:
    """Who the cue at ``cue_start`` is about, or None when it is nobody identifiable."""
    own = re.match(r"(his|her|their)\b", cue, re.IGNORECASE)
    if own:  # "her cancer": the pronoun inside the cue
        pronoun = Mention(cue_start, cue_start + len(own.group(1)), own.group(1), PRONOUN)
        subject = people.resolve(pronoun)
    elif re.search(r"\bfrom$", cue, re.IGNORECASE):  # "… came from Mrs Price": the person follows
        subject = people.subject_after(cue_start + len(cue), limit=40)
        if subject is None:
            return None
    else:
        subject = people.subject_before(cue_start, limit=120)
        if subject is None:
            return None
        gap = text[subject.end:cue_start] if subject.end <= cue_start else ""
        if len(gap) > 70 or _OTHER_SUBJECT.search(gap):
            return None
    if subject.kind == PRONOUN:
        return None  # "he or she has a criminal record": nobody named, nobody identifiable
    return None if people.is_author(subject) else subject


def _child_cues(text: str) -> list[Cue]:
    """A named child with an age or a school ("her son Jack, 9, at Little Green School"); not the
    author's own ("my son…")."""
    out = []
    for m in _CHILD_RE.finditer(text):
        if m.group("owner").lower() in ("my", "our"):
            continue
        window = re.split(r"[.!?\n]", text[m.end():m.end() + 70], maxsplit=1)[0]
        ends = [d.end() for d in (_CHILD_AGE_RE.search(window), _CHILD_SCHOOL_RE.search(window)) if d]
        if ends:
            end = m.end() + max(ends)
            child = Mention(m.start("name"), m.end("name"), m.group("name"), NAME)
            out.append(Cue(CHILD, m.start(), end, text[m.start():end], child))
    return out


def _score(subject: Mention) -> float:
    if subject.kind == RELATION and not subject.located:
        return 0.7  # "my neighbour": known to people who know the author
    return 0.9


def _dedupe(facts: list[Fact]) -> list[Fact]:
    kept: list[Fact] = []
    for f in sorted(facts, key=lambda f: (f.start, -(f.end - f.start))):
        if not any(k.start <= f.start and f.end <= k.end for k in kept):
            kept.append(f)
    return kept
