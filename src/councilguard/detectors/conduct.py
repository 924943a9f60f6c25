"""Conduct: abuse aimed at a target, harassment, and material undermining confidence in the council.

First, explainable detectors: a lexicon of insults and contempt, bound to the nearest target found
from the roster (detectors/targets.py). One ``conduct.abuse`` detector serves four rules; the pack
chooses the target kinds (councillor, staff, council, public). Whose words: a quoted or reported
insult is someone else's, so it is not the author's abuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from councilguard.detectors import targets as T
from councilguard.detectors.base import Context, Hit
from councilguard.detectors.frames import mentioned_not_used
from councilguard.detectors.conduct_words import (
    ANGER, CONTEMPT, HARASSMENT, INCITEMENT, INSULTS, NEGATORS, RIDICULE, THREATS, WEAK,
)
from councilguard.detectors.registry import detector
from councilguard.text.lexicon import Lexicon, LexMatch
from councilguard.text.caseless import caseless
from councilguard.text.council_words import LOCAL_COUNCIL
from councilguard.text.document import Span

TargetKind = Literal["councillor", "staff", "council", "public"]


class AbuseParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    targets: list[TargetKind] = Field(min_length=1)


@dataclass(frozen=True)
class AbuseHit:
    start: int
    end: int
    term: str
    score: float
    target: T.Mention
    kind: str  # "insult" | "contempt" | "threat" | "incitement"


@lru_cache(maxsize=1)
def _lexicons() -> tuple[Lexicon, Lexicon, Lexicon]:
    return Lexicon(INSULTS), Lexicon(CONTEMPT), Lexicon(dict.fromkeys(ANGER, 1.0))


def hurtful_words(ctx: Context) -> list[tuple[int, int]]:
    """Spans of every insult or contempt word in the text, whoever's words they are (memoised)."""
    def find():
        insults, contempt, _ = _lexicons()
        words = [(m.start, m.end) for lex in (insults, contempt) for m in lex.finditer(ctx.norm)]
        return sorted(words + [m.span() for m in _RIDICULE.finditer(ctx.text)])
    return ctx.memo("conduct.hurtful-words", find)


_THREATS = [caseless(p) for p in THREATS]
_INCITE = [caseless(p) for p in INCITEMENT]
_RIDICULE = caseless("|".join(f"(?:{p})" for p in RIDICULE))
_HARASS = [caseless(p) for p in HARASSMENT]
_COPULA = caseless(
    r"^(?:\s*=|\s*(?:,|is|are|was|were|'s|’s|'re|’re|has been|have been|being|remains?|looks? like|acting like|"
    r"such|just|really|truly|an?|the|total|absolute|utter|complete|proper|real|bloody|nothing but|"
    r"bunch of|lot of|pack of|of|you|who|which|like|what|as|so|very|one|little|sad|old)\b)*\s*$")
_OWN_CLAUSE = caseless(r"\s+(?:is|was|are|were|says|said|agrees|agreed|thinks|reckons|pointed\s+out|told\s+me)\b")
_NEXT_TO = caseless(r"^[\s,'’\"-]*(?:the\s+|that\s+|this\s+|a\s+)?$")


# Friendly banter: a laugh and a warm word in the same message ("David you absolute muppet, you've left your glasses in
# the hall again 🤓 they're with the office", "Stephen mate you know I love you but your taste in ties is criminal 😂
# great speech tho"). Mockery laughs too ("Cllr Kerr is a joke 😂"), so a laugh alone is not banter.
_LAUGH = caseless(r"😂|🤣|😆|😄|😁|😉|😜|🤓|\blol\b|\bhaha\w*|\bha\b|\bonly\s+joking\b|\b(?:just\s+)?kidding\b")
_WARMTH = caseless(
    r"😘|❤️|❤|😍|🥰|🤗|\bxx+\b|\blove\s+(?:you|ya|him|her)\b|\bgenius\b|\bbrilliant\b|\bgreat\s+(?:speech|work|job|effort)\b|"
    r"\bwell\s+done\b|\bbravo\b|\blegend\b|\bsee\s+you\b|\bfancy\s+a\b|\b(?:i|we)'?ll\s+(?:bring|get|buy|show|drop|"
    r"save|pop)\b|\bdrive\s+safe(?:ly)?\b|\bsafe\s+travels\b|\btake\s+care\b|\bget\s+well\b|\bno\s+worries\b|"
    r"\bloser\s+buys\b|\bmy\s+round\b|\byour\s+round\b|"
    r"\b(?:they'?re|it'?s)\s+with\s+the\s+office\b|\bthe\s+best\b|\bbrilliant\s+work\b|"
    r"\byou\s+old\s+(?:rogue|devil|charmer|romantic|softie|so-and-so|rascal|scoundrel)\b|\byou\s+(?:cheeky|lucky)\s+\w+")
# Mild names a friend is called in fun; anything stronger is not excused by a laugh
PLAYFUL = {"numpty", "numpties", "muppet", "muppets", "dinosaur", "plonker", "pillock", "prat", "git", "clown", "idiot",
           "nutter", "loser", "fool", "silly old", "daft old", "old goat", "old git", "old fool"}


def banter(ctx: Context) -> bool:
    """A laugh and a warm word in the author's own words, and no threat: the context shows friendly banter."""
    def find():
        own = [m for rx in (_LAUGH, _WARMTH) for m in rx.finditer(ctx.text)
               if not ctx.doc.others_words(m.start(), m.end())]
        laughs = any(_LAUGH.fullmatch(m.group(0)) for m in own)
        warm = any(_WARMTH.fullmatch(m.group(0)) for m in own)
        return laughs and warm and not any(rx.search(ctx.text) for rx in _THREATS)
    return ctx.memo("conduct.banter", find)


# Fiction: a novel, a TV drama, a sitcom's character ("Watching 'Parish Pump' on iPlayer: the fictional clerk is a
# tyrant"). What happens in a story is not said of the council or its people, unless one of them is named in it.
_FICTION = caseless(r"\b(?:(?:crime|my|a|the)\s+novel|sitcom|(?:a|the|tv)\s+drama(?!\s+queen)|box\s+set|fictional|in\s+fiction|iplayer|"
                    r"netflix|(?:a|the)\s+film\s+(?:where|about|in\s+which)|whodunn?it|screenplay|short\s+story)\b")


def fiction(ctx: Context) -> bool:
    """The message is about a story, and names none of the council's own people (see _FICTION)."""
    def find():
        if not _FICTION.search(ctx.text):
            return False
        return not any(m.kind in (T.COUNCILLOR, T.STAFF) and m.named for m in T.mentions(ctx))
    return ctx.memo("conduct.fiction", find)


def abuse_hits(ctx: Context) -> list[AbuseHit]:
    """Every insult, contempt or threat in the author's own words, with the target it is aimed at."""
    return ctx.memo("conduct.abuse", lambda: _abuse_hits(ctx))


def _abuse_hits(ctx: Context) -> list[AbuseHit]:
    text = ctx.text
    doc = ctx.doc
    ms = T.mentions(ctx)
    insults, contempt, _ = _lexicons()
    out: list[AbuseHit] = []
    person_kinds = {T.COUNCILLOR, T.STAFF, T.PUBLIC, T.SELF, T.OTHER_AUTHORITY, T.COUNCIL}
    ridiculed = list(_RIDICULE.finditer(text))
    ridicule = [LexMatch(m.start(), m.end(), m.group(0).lower(), 0.85) for m in ridiculed]
    compared = [m.span() for m in ridiculed if m.group("tail")]  # "Sherlock Holmes he is not": not him
    for found, kind in (([*insults.finditer(ctx.norm), *ridicule], "insult"), (contempt.finditer(ctx.norm), "contempt")):
        for m in found:
            if doc.others_words(m.start, m.end) or negated(text, m.start) or doc.denied(m.start):
                continue
            sent = doc.sentence_at(m.start)
            if mentioned_not_used(text[sent.start:sent.end], m.start - sent.start):
                continue
            is_ridicule = m in ridicule
            if not is_ridicule and any(t.start <= m.start and m.end <= t.end for t in ms if t.kind != T.SELF):
                continue  # part of the name of whom it is about ("the dog walkers", "Thanks Karen")
            if reported_to_condemn(ctx, sent, m.start):
                continue
            candidates = [t for t in ms if not any(a <= t.start and t.end <= b for a, b in compared)] if compared else ms
            if is_ridicule:
                candidates = _besides_the_description(candidates, m, sent)
            target = T.nearest(candidates, m.start, m.end, person_kinds, (sent.start, sent.end))
            if target is None:
                target = _carried_target(ctx, ms, sent.start) or _spoken_to(ctx, sent, m.term)
            if target is None or target.kind in (T.SELF, T.OTHER_AUTHORITY):
                continue
            term = m.term.rstrip("*")
            if _A_MOMENT.match(text, m.end):
                continue  # "Total muppet moment: left my glasses in the chamber again": the author's own slip
            if term in PLAYFUL and banter(ctx):
                continue  # "you absolute muppet 😂 … see you at 8": a friend teased, not abused
            if term in CONDUCT_JUDGEMENTS and _SAID_OF_AN_ACT.search(text, max(sent.start, m.start - 24), m.start):
                continue  # "Someone scrawled 'TRAITOR' on her leaflet. That is vile and it has been reported."
            if target.kind == T.PUBLIC and fiction(ctx) and not _TO_YOU.search(text, sent.start, sent.end):
                continue  # "Owen Newitt is the rudest man in fiction": a character in a box set
            if term in _ANIMALS and re.match(r"['’]s\s+$", text[target.end:m.start]):
                continue  # "Cllr Baxter's pig Doris won Best in Show": his pig, not him
            if term in CONDUCT_JUDGEMENTS and _OF_A_WAY.match(text, m.end):
                continue  # "That is a disgusting way to talk about the people who built this village": said of the act
            if term in CONDUCT_JUDGEMENTS and _unknown_wrongdoer(target):
                continue  # "Whoever let their dog foul the play area: disgusting." condemns the act, names no one
            if kind == "contempt" and target.kind != T.COUNCIL:
                if target.kind == T.STAFF and not target.named:
                    pass  # "the staff are a shambles" is contempt for the council's staff
                else:
                    continue
            if not any(c.isalpha() for c in text[m.start:m.end]) and target.start >= m.end:
                continue  # an emoji said of whoever comes before it ("Cllr Cole 🐍"), not the next sentence's subject
            if term in _ANIMALS and _COMPOUND_AFTER.match(text, m.end):
                continue  # "the dog bins", "cow parsley": part of a compound, not a name for anyone
            if term in WEAK and not (target.end <= sent.start and _exclaimed_about(ctx, target, sent.start)) \
                    and not _predicated(text, m.start, m.end, target, sent.start):
                continue
            out.append(AbuseHit(m.start, m.end, term, m.value, _antecedent(ms, target), kind))
    for pattern, kind, score in ((_THREATS, "threat", 0.95), (_INCITE, "incitement", 0.8)):
        for rx in pattern:
            for m in rx.finditer(text):
                if doc.others_words(m.start(), m.end()):
                    continue
                sent = doc.sentence_at(m.start())
                # "Tell him what you think": the "you" told is not the target; "him" is, said before
                around = [t for t in ms if not (m.start() <= t.start and t.end <= m.end() and t.name == "you")]
                target = T.nearest(around, m.start(), m.end(), {T.COUNCILLOR, T.STAFF, T.PUBLIC, T.COUNCIL},
                                   (sent.start, sent.end)) or _carried_target(ctx, ms, sent.start)
                if target is not None:
                    out.append(AbuseHit(m.start(), m.end(), m.group(0), score, target, kind))
    return out


# Someone else's insult reported without quotation marks, and condemned: "Someone commented that Cllr Davies is an
# idiot. That is not acceptable." Both are needed: "People say Cllr Davies is an idiot" alone repeats the insult.
_REPORTED_SPEECH = caseless(r"(?<!\bI )(?<!\bwe )\b(?:said|says|saying|commented|posted|wrote|claimed|shouted|"
                            r"yelled|called|calling|labelled|branded)\b")
_CONDEMNED = caseless(
    r"\b(?:unacceptable|not acceptable|isn'?t acceptable|out of order|not on|disgraceful|shameful|should be ashamed|"
    r"won'?t tolerate|will not tolerate|no place (?:for|in)|not (?:ok|okay)|criticise (?:his|her|their) views|"
    r"(?:does|do|did)(?:\s+not|n'?t)\s+deserve|"
    r"play the ball,? not the (?:man|woman|person))\b")


def _besides_the_description(ms: list[T.Mention], m: LexMatch, sent: Span) -> list[T.Mention]:
    """Without the person a ridicule construction itself describes ("the rudest person in Herts"), when the sentence
    names someone else for it to be said of ("The woman who answers the phone … is the rudest person")."""
    inside = [t for t in ms if t.kind == T.PUBLIC and m.start <= t.start and t.end <= m.end]
    others = [t for t in ms if t not in inside and t.kind != T.SELF and sent.start <= t.start < sent.end]
    return [t for t in ms if t not in inside] if inside and others else ms


def reported_to_condemn(ctx: Context, sent: Span, start: int) -> bool:
    """The words at ``start`` follow a reporting verb in ``sent`` and the author condemns them there or in
    the next sentence: someone else's insult, passed on to disown it (used by the model's gate too)."""
    if not _REPORTED_SPEECH.search(ctx.text[sent.start:start]):
        return False
    following = ctx.doc.sentence_at(sent.end + 1) if sent.end + 1 < len(ctx.text) else sent
    return bool(_CONDEMNED.search(ctx.text[sent.start:max(sent.end, following.end)]))


_ANIMALS = {"dog", "cow", "rat", "rats", "pig", "pigs", "snake", "snakes", "worm", "toad", "sheep", "weasel"}
_COMPOUND_AFTER = caseless(r"[\s-]+(?:bins?|fouling|mess|poo|walkers?|wardens?|shows?|leads?|owners?|parks?|fields?|food|"
                           r"kennels?|sanctuary|licen[cs]es?|hair|racing|rescue|grooming|training|friendly|parsley|pens?|"
                           r"dip|shearing|fair|catcher|bait|poison|traps?|infestation|problem|sightings?|dirt)\b")

# Words that judge what someone did rather than call them names: said of an unknown wrongdoer ("whoever nicked the
# bulbs"), they condemn the act. Name-calling ("whoever parks there is a moron") is still an insult.
CONDUCT_JUDGEMENTS = {"disgusting", "pathetic", "a disgrace", "despicable", "vile", "contemptible", "odious",
                      "repulsive", "should be ashamed", "ashamed of themselves"}
_A_MOMENT = caseless(r"\s+moments?\b")
_SAID_OF_AN_ACT = caseless(r"\b(?:that|this|it)(?:['’]s|\s+is|\s+was)\s+(?:just\s+|absolutely\s+|utterly\s+|truly\s+)?$")
_OF_A_WAY = caseless(r"\s+(?:way|thing)\s+to\b")
_UNKNOWN = caseless(r"^(?:to\s+)?(?:whoever|anyone\s+who|anybody\s+who)\b")


def _unknown_wrongdoer(target: T.Mention) -> bool:
    return target.kind == T.PUBLIC and bool(_UNKNOWN.match(target.name))


_THE_PERSON = caseless(r"^(?:the|that|this)\s+(?:man|woman|bloke|guy|lady|chap|fella)$")


def _antecedent(ms: list[T.Mention], target: T.Mention) -> T.Mention:
    """"Gary Doyle has mown over the daffodils again. The man is a walking disaster.": "the man" is the person just
    named (within 200 characters before), whoever they are."""
    if target.kind != T.PUBLIC or not _THE_PERSON.match(target.name.strip()):
        return target
    before = [m for m in ms if m.end <= target.start and target.start - m.end < 200 and m.named
              and m.kind in (T.COUNCILLOR, T.STAFF, T.PUBLIC)]
    return before[-1] if before else target


def _carried_target(ctx: Context, ms: list[T.Mention], sentence_start: int) -> T.Mention | None:
    """A person or body named in the previous sentence and referred to by a pronoun in this one, or the
    person whom a short exclamation after it is about."""
    prev = [m for m in ms if m.end <= sentence_start and m.kind not in (T.SELF,) and not T.is_addressee(ctx, m)]
    if not prev:
        return T.council_replied_about(ctx, ctx.doc.sentence_at(sentence_start).end)
    last = prev[-1]
    head = ctx.text[sentence_start:sentence_start + 200]
    pronouns = {T.COUNCIL: _THEY_IT, T.OTHER_AUTHORITY: _THEY}.get(last.kind, _HE_SHE_THEY)
    if sentence_start - last.end >= 300:
        return None
    if pronouns.search(head) or _exclaimed_about(ctx, last, sentence_start):
        return last
    return None


# Pronouns that carry the last-named target into the next sentence ("… the lot of them.", "They're clowns")
_THEY = caseless(r"\bthey\b")
_THEY_IT = caseless(r"\b(?:they|them|their|it)\b")
_HE_SHE_THEY = caseless(r"\b(?:he|she|him|her|his|they)\b")


_FIRST_PERSON = caseless(r"\b(?:I|me|my|myself)\b")
# A sentence spoken to someone: "Try to keep up, dear.", "Some of us have lives, love.", "Get a life."
_TO_YOU = caseless(r"\b(?:you|your|yourself|you'?re|u)\b|,\s*(?:dear|love|darling|sweetheart|hun|pet|mate|pal|sunshine|"
                   r"sweetie)\s*\W*$")
_IMPERATIVE = caseless(r"^(?:get|shut|find|try|keep|educate|piss|sod|crawl|go|drop|kill|fuck|screw)\b")


def _spoken_to(ctx: Context, sent: Span, term: str) -> T.Mention | None:
    """In a reply or an e-mail, the person answered, when the sentence with the insult speaks to them and names
    no one else: the insult is theirs."""
    kind = T.addressee_kind(ctx)
    if kind is None or kind == T.COUNCIL:
        return None
    words = ctx.text[sent.start:sent.end]
    if not (_TO_YOU.search(words) or _IMPERATIVE.match(term)):
        return None
    return T.Mention(sent.start, sent.start, kind, "the person you are answering" if ctx.message.in_reply_to
                     else "the recipient")


def _exclaimed_about(ctx: Context, last: T.Mention, sentence_start: int) -> bool:
    """A verbless exclamation about the person just named: "Cllr Prosser droned on for an hour. What a pompous
    old fool.", "… asleep at the back again. Useless old goat 😴" (what it calls them is said *of* them)."""
    if last.kind not in (T.COUNCILLOR, T.STAFF, T.PUBLIC) or not last.named:
        return False
    # the person is what the previous sentence was about: its subject, at its start or after a colon ("73 today
    # and still beating the Vice-Chair. Old git, happy git 🎂" is about the author)
    sentence = ctx.doc.sentence_at(sentence_start)
    words = re.findall(r"[A-Za-z'’-]+", ctx.text[sentence.start:sentence.end])
    before = ctx.text[ctx.doc.sentence_at(last.start).start:last.start].split(":")[-1]
    if len(before.split()) > 2:
        # "£38k a year for the Clerk to tell us…. Parasite.": a one-word verdict after the only person named
        others = [m for m in T.mentions(ctx) if m.kind in (T.COUNCILLOR, T.STAFF, T.PUBLIC)
                  and sentence_start - 300 < m.end <= sentence_start and m.name != last.name]
        author = _FIRST_PERSON.search(ctx.text, max(0, sentence_start - 300), sentence_start)
        return len(words) == 1 and not others and not author  # "Me, … an elected councillor, … Idiot" is self-mockery
    return bool(_EXCLAIM.match(ctx.text[sentence.start:sentence.end])) or 0 < len(words) <= 4


def negated(text: str, start: int) -> bool:
    before = re.findall(r"[a-z']+", text[max(0, start - 24):start].lower())[-3:]
    return any(w in NEGATORS or w.endswith("n't") for w in before)


_COPULA_LOOSE = caseless(
    r"^\s*,?\s*(?:(?:is|are|was|were|'s|’s|'re|’re|has\s+been|have\s+been|remains?|looks?\s+like|acting\s+like|"
    r"seems?(?:\s+like)?|is\s+just|is\s+such)\s+)(?:(?!(?:on|in|at|with|for|from|to|about|by|into|over|under|"
    r"and|but|or)\b)[\w'-]+,?\s+){0,4}$")
_PRONOUN_PREDICATE = caseless(r"\b(?:he|she|they|it)(?:'s|’s|\s+is|\s+are|'re|’re|\s+was)\s+(?:(?:a|an|so|such|just|really|totally|completely|utterly|too|[\w-]+\s+and\s+too)\s+)*$")
_EXCLAIM = caseless(r"^\W*(?:what|such)\s+an?\b")


def _predicated(text: str, start: int, end: int, target: T.Mention, sentence_start: int = 0) -> bool:
    """The word is said *of* the target: "X is useless", "useless X", "you idiot", "X, a disgrace"."""
    if target.end <= start:
        between = text[target.end:start]
        if len(between) > 60:
            return False
        pronoun = _PRONOUN_PREDICATE.search(between)
        if pronoun and pronoun.group(0).lower().startswith("it") and target.kind != T.COUNCIL:
            pronoun = None  # "Agreed, Yvonne, it's a disgrace": "it" is the pothole, not the person
        return bool(_COPULA.match(between) or _COPULA_LOOSE.match(between) or pronoun)
    if end <= target.start:
        between = text[end:target.start]
        if _EXCLAIM.match(text[sentence_start:start]) and len(between) <= 60:
            return True  # "What a smug, arrogant little man Cllr Lowe is"
        if _OWN_CLAUSE.match(text, target.end) and re.search(r"\b(?:is|are|was|were)\s+(?:\w+\s+){0,2}$", text[sentence_start:start]):
            return False  # "My front garden is a disgrace, Mrs Jenkins is right": said of the garden; she opens a clause
        return len(between) <= 25 and bool(_NEXT_TO.match(between) or re.match(r"^\s*,?\s*(?:the\s+)?(?:whole\s+|entire\s+|lot\s+(?:of|at)\s+)", between, re.I))
    return True


@detector("conduct.abuse", params=AbuseParams)
def abuse(ctx: Context, params: AbuseParams):
    """Insults, contempt, threats or incitement aimed at the target kinds the pack names."""
    wanted = set(params.targets)
    groups: dict[tuple[str, str], list[AbuseHit]] = {}
    for h in abuse_hits(ctx):
        if h.target.kind in wanted:
            groups.setdefault((h.target.in_sentence if h.target.named else "them", h.kind), []).append(h)
    angry = 0.05 if groups and _angry(ctx) else 0.0
    for (who, how), hits in groups.items():
        words = " and ".join(f"\u201c{ctx.text[h.start:h.end]}\u201d" for h in hits[:3])
        what = {"insult": f"calls {who} {words}",
                "contempt": f"speaks of {who} with contempt ({words})",
                "threat": f"reads as a threat towards {who} ({words})",
                "incitement": f"stirs others up against {who} ({words})"}[how]
        yield Hit(spans=tuple((h.start, h.end) for h in hits), why=f"The draft {what}.",
                  fixes=tuple(dict.fromkeys(ctx.drop_sentence(h.start) for h in hits)),
                  score=min(max(h.score for h in hits) + angry, 1.0),
                  data={"detector": "conduct.abuse", "target": who, "target_kind": hits[0].target.kind, "how": how})


def _angry(ctx: Context) -> bool:
    _, _, anger = _lexicons()
    return anger.search(ctx.norm)


@detector("conduct.harassment")
def harassment(ctx: Context, params):
    """Persistent targeting, intimidation or unwanted sexual remarks aimed at an individual."""
    for rx in _HARASS:
        for m in rx.finditer(ctx.text):
            if ctx.doc.others_words(m.start(), m.end()):
                continue
            yield Hit(spans=((m.start(), m.end()),), score=0.9,
                      why=f"\u201c{m.group(0)}\u201d reads as harassment or intimidation of a person.",
                      data={"detector": "conduct.harassment"})
    for h in abuse_hits(ctx):
        if h.kind == "threat":
            yield Hit(spans=((h.start, h.end),), score=0.9, why="A threat is harassment whoever it is aimed at.",
                      data={"detector": "conduct.harassment"})


# --- undermining confidence in the council ---------------------------------------------------------

_UNDERMINE = [
    (r"\b(?:corrupt(?:ion|ed)?|crooked|bent|on the take|backhanders?|kickbacks?|brown envelopes?|bribe[sd]?|bribery)\b", 0.9,
     "calls the council corrupt"),
    (r"\b(?:illegitimate|unlawful(?:ly)?|illegal(?:ly)?|acting outside the law|broke the law|breaking the law|rigged|fixed the vote|stitch[- ]?up|cover-?up|covered (?:it )?up|whitewash)\b",
     0.85, "says the council acts unlawfully or dishonestly"),
    (r"\b(?:secretly|behind (?:our|residents'?|everyone'?s) backs?|in secret)\s+(?:sold|agreed|decided|voted|spent|signed|gave|handed)\b|"
     r"\b(?:decided?|agreed?)\s+(?:everything\s+)?(?:in\s+a\s+side\s+room|behind\s+closed\s+doors)\b",
     0.85, "claims the council acted in secret"),
    (r"\b(?:pocket(?:ed|ing|s)?|lin(?:e|ed|ing) (?:their|his|her) (?:own )?pockets?|fiddl(?:e|ed|ing|es) the (?:books|accounts|figures)|cook(?:ed|ing) the books|embezzl\w+|misappropriat\w+|stole|stolen|steal(?:ing|s)?|syphon(?:ed|ing)|siphon(?:ed|ing))\b",
     0.9, "accuses the council of taking money"),
    (r"\b(?:never|doesn'?t|does not|don'?t|do not|hasn'?t|have not|haven'?t)\s+(?:do(?:ne)?|achieve[sd]?|deliver(?:ed)?)\s+(?:anything|a thing|nothing)\b|\bdo(?:es)? nothing\b|\bdone nothing\b",
     0.7, "says the council does nothing"),
    (r"\b(?:can'?t|cannot|shouldn'?t|should not|wouldn'?t|never) (?:be )?trust(?:ed)?\b|\bdon'?t trust (?:the|this|our) " + LOCAL_COUNCIL + r"\b",
     0.8, "tells people not to trust the council"),
    (r"\b(?:should be|needs to be|ought to be) (?:abolished|scrapped|shut down|disbanded)\b", 0.75,
     "calls for the council to be abolished"),
    # answerable to no one, its records doctored, its money vanished
    (r"\b(?:answers|accountable|answerable) to (?:nobody|no one|no-one)\b|\bunaccountable\b|"
     r"\b(?:isn'?t|is not) (?:a )?real council\b", 0.75, "says the council answers to no one"),
    (r"\bminutes (?:get|got|are|were|have been|has been) (?:\w+ )?(?:edited|doctored|altered|rewritten|changed) (?:after|to)\b|"
     r"\bmysteriously (?:vanished|disappeared|gone missing|gone)\b", 0.8, "insinuates the council hides what it does"),
    (r"\bwast(?:e|ed|es|ing) (?:of )?(?:our |your |taxpayers'? )?(?:money|council tax|precept|cash)\b|"
     r"\b(?:blew|blown|squandered|frittered)\s+£\s?\d|\bon\s+a\s+(?:jolly|junket)\b", 0.6,
     "says the council wastes public money"),
    # favours its friends: grants, contracts and decisions for those with connections
    (r"\b(?:a closed shop|jobs for the (?:boys|lads|girls)|old boys'? (?:network|club)|it'?s (?:all )?who you know|"
     r"(?:golf|drinking|dinner[- ]party|masonic) (?:pals|mates|friends|chums|set|circle)|plays? golf with|"
     r"whoever shouts (?:the )?loudest|(?:friends|mates|pals|chums) of (?:the )?(?:councillors?|cllrs?|chair(?:man)?)|"
     r"because (?:the council|they) likes? them|because someone'?s (?:neighbour|friend|mate|cousin|brother|sister|wife|husband) wanted)\b",
     0.75, "says the council favours its friends"),
    # insinuated wrongdoing: hidden spending, figures not to be believed, "ask yourselves why"
    (r"\b(?:ask yourselves? why|draw your own conclusions?|makes? you wonder|(?:won'?t|will not|refuses? to|wouldn'?t) "
     r"(?:say|tell us|tell anyone) (?:on what|where (?:the|our|your) (?:money|cash)|why)\b|independent,? my foot|(?:impartial|independent|transparent|open),? (?:my arse|my backside|yeah right)|"
     r"creative (?:writing|accounting|bookkeeping)|whether it'?s the real (?:number|figure|total)|"
     r"that'?s how (?:things|it) works? (?:round|around) here|(?:i'?m\s+sure\s+)?it'?s\s+all\s+above\s+board\s*(?:😉|🙄|😏|🤔)|"
     r"i'?m\s+sure\s+it'?s\s+all\s+above\s+board|(?:figures|numbers|accounts|books)\s+(?:i'?ve\s+seen\s+)?(?:don'?t|do\s+not)\s+add\s+up|"
     r"(?:someone|somebody)[^.!?]{0,20}?\bha(?:s|ve)\s+done\s+(?:very\s+)?nicely\s+out\s+of|"
     r"until\s+the\s+right\s+(?:firm|company|person|bidder|result)\s+won|"
     r"same\s+(?:firm|company|contractor|builder|people|groups?|three\s+groups)\s+every\s+(?:single\s+)?(?:year|time)|"
     r"same\s+(?:\w+\s+)?(?:people|faces|councillors)\s+decide\s+everything|slush\s+fund|all\s+above\s+board,?\s+i'?m\s+sure|"
     r"i'?m\s+sure\s+(?:that'?s|it'?s)\s+(?:a\s+|just\s+a\s+|all\s+a\s+)?coincidence|coincidence\?\s*i\s+think\s+not)",
     0.7, "insinuates wrongdoing by the council"),
    # telling residents not to take part, because the council will misuse what they say
    (r"\bdon'?t (?:give|send|tell) (?:the|this|our) " + LOCAL_COUNCIL + r" (?:your|any)\b|"
     r"\b(?:doesn'?t|does not|don'?t|do not) do (?:much of )?anything(?:,? really)?\b",
     0.7, "tells people the council is not worth dealing with"),
]
_UNDERMINE_RX = [(caseless(p), s, w) for p, s, w in _UNDERMINE]
# Its processes a sham: decided in advance, for show, or pointless to take part in. Said of a process
# ("the consultation is theatre") as often as of the council, so a process named in the sentence, or
# the council named anywhere in the message, is target enough.
_SHAM = caseless(
    r"\b(?:box[- ]ticking|tick[- ]box)(?:\s+exercise)?\b|\brubber[- ]stamp(?:s|ed|ing)?\b|\b(?:a|is|just|pure|all)\s+"
    r"(?:sham|charade|theatre|window[- ]dressing|pr exercise|(?:total\s+|complete\s+)?stitch[- ]?up)\b|\bdone deal\b|"
    r"\b(?:already|all)\s+(?:been\s+)?(?:decided|agreed|sewn up|stitched up)\b|"
    r"\b(?:decided|agreed|settled)\s+(?:weeks|months|long)\s+(?:ago|before)\b|\bdecided\s+before\s+(?:the|anyone|we|you)\b|"
    r"\bsave\s+yoursel(?:f|ves)\s+the\s+(?:bother|trouble|effort|stamp)\b|\bsave\s+your\s+(?:breath|time|signatures?|energy|"
    r"stamps?|ink)\b|\b(?:don'?t|do\s+not)\s+(?:waste\s+your\s+(?:time|breath)|get\s+your\s+hopes\s+up)\b|"
    r"\bwouldn'?t\s+bother\s+(?:filling|responding|applying|replying|objecting|writing|asking|going|signing)\b|"
    r"\bnothing\s+(?:anyone|you|we|residents)\s+(?:says?|does?|writes?)\s+[^.!?]{0,30}?\bchange[sd]?\s+(?:a\s+thing|anything)\b|"
    r"\bgo(?:es)?\s+(?:straight\s+)?in(?:to)?\s+a\s+drawer\b|\b(?:is|was|are)\s+(?:a\s+)?fake\b|"
    r"\b(?:sorted|signed\s+off|stitched\s+up|done\s+and\s+dusted)\s+(?:[\w'’]+\s+){0,3}?(?:weeks|months|long)\s+ago\b|"
    r"\b(?:decision|it)\s+was\s+(?:made|taken)\s+before\b|\bno\s+point\s+(?:in\s+)?(?:you\s+|your\s+(?:[\w'’-]+\s+){0,2})?"
    r"(?:applying|responding|objecting|writing|complaining|bothering|asking|filling|reporting)\b|\b(?:was|is)\s+a\s+fix\b|\beveryone\s+knew\s+who'?d\s+win\b|\b(?:decided|agreed)\s+(?:over drinks|"
    r"in the pub|on the golf course)\b|\b(?:if|unless) you know the right people\b|\blike\s+(?:shouting|talking|writing|posting\s+a\s+letter)\s+(?:in)?to\s+a\s+(?:well|void|brick\s+wall|wall|black\s+hole|bin|shredder)\b|\bno\s+longer\s+fit\s+to\s+(?:hold|run|manage)\b|"
    r"\b(?:straight|goes|go|went)\s+(?:in|into)\s+"
    r"the\s+(?:bin|shredder)\b|\bdon'?t\s+(?:hold your breath|bother\s+(?:responding|replying|objecting|complaining|"
    r"reporting|asking|applying|writing))\b|\bnot fit to (?:hold|run|manage|look after)\b")
_PROCESS = caseless(r"\b(?:consultations?|reviews?|meetings?|neighbourhood plan|planning|committee|precept|complaints?|"
                    r"waiting list|grants?|applications?|petitions?|parish|agenda|minutes|vote|decision|tenders?|contracts?|"
                    r"ballot|forms?|survey|questionnaire|objecting|objections?)\b")


@detector("conduct.undermines-council")
def undermines_council(ctx: Context, params):
    """Claims that could undermine public confidence in the council or misrepresent it."""
    if fiction(ctx):
        return  # "Idea for my crime novel: a parish council so crooked it rigs the judging"
    ms = [m for m in T.mentions(ctx) if m.kind in (T.COUNCIL, T.COUNCILLOR, T.STAFF)]
    yield from _shams(ctx, ms)
    if not ms and ctx.message.in_reply_to is None:
        return
    for rx, score, what in _UNDERMINE_RX:
        for m in rx.finditer(ctx.text):
            if ctx.doc.others_words(m.start(), m.end()) or negated(ctx.text, m.start()) or ctx.doc.denied(m.start()):
                continue
            sent = ctx.doc.sentence_at(m.start())
            if _COURT_FINDING.search(ctx.text, sent.start, sent.end):
                continue  # "the man who stole the mower was convicted … and ordered to pay the council": a court's finding
            target = T.nearest(ms, m.start(), m.end(), {T.COUNCIL}, (sent.start, sent.end)) \
                or _council_just_before(ctx, sent.start)
            if target is None:
                continue
            yield Hit(spans=((m.start(), m.end()),), score=score,
                      why=f"It {what} (\u201c{m.group(0)}\u201d).", data={"detector": "conduct.undermines-council"})


_COURT_FINDING = caseless(r"\b(?:was|were|been)\s+(?:convicted|jailed|sentenced|found\s+guilty)\b|\bpleaded\s+guilty\b")


def _council_just_before(ctx: Context, sentence_start: int) -> T.Mention | None:
    """The council, named in the 300 characters before this sentence with no other authority named after it: "The
    parish council gave the job to the same builder again. Funny old world. Jobs for the boys." A claim about how
    things are done there is about the body the post is about."""
    body = _last_body_before(ctx, sentence_start)
    if body is None:
        return T.council_replied_about(ctx, ctx.doc.sentence_at(sentence_start).end)
    return body if body.kind == T.COUNCIL else None


def _last_body_before(ctx: Context, start: int) -> T.Mention | None:
    """The council or other authority named last in the 300 characters before ``start``."""
    bodies = [m for m in T.mentions(ctx) if start - 300 < m.end <= start and m.kind in (T.COUNCIL, T.OTHER_AUTHORITY)]
    return bodies[-1] if bodies else None


def _another_body_just_before(ctx: Context, sent: Span) -> bool:
    """The sentence names no body and the last one named before it is another authority: "The government's planning
    consultation: 71 questions, six weeks. That isn't consultation, it's a box-ticking exercise." """
    if any(sent.start <= m.start < sent.end and m.kind == T.COUNCIL for m in T.mentions(ctx)):
        return False
    body = _last_body_before(ctx, sent.start)
    return body is not None and body.kind == T.OTHER_AUTHORITY


def about_another_body(ctx: Context, span: Span) -> bool:
    """The passage is about another authority or public body and does not name this council (nor is it a reply to a
    post about this council)."""
    inside = [m for m in T.mentions(ctx) if span.start <= m.start < span.end]
    if any(m.kind == T.COUNCIL for m in inside) or T.council_replied_about(ctx, span.end):
        return False
    return any(m.kind == T.OTHER_AUTHORITY for m in inside)


def _shams(ctx: Context, ms: list[T.Mention]):
    """The council's processes called a sham or pointless (see _SHAM)."""
    council = any(t.kind == T.COUNCIL for t in ms)
    for m in _SHAM.finditer(ctx.text):
        if ctx.doc.others_words(m.start(), m.end()) or negated(ctx.text, m.start()) or ctx.doc.denied(m.start()) \
                or ctx.doc.asked(m.start()):
            continue
        sent = ctx.doc.sentence_at(m.start())
        if not (council or _PROCESS.search(ctx.text, sent.start, sent.end)):
            continue
        if about_another_body(ctx, sent) or _another_body_just_before(ctx, sent):
            continue  # "The CAA consultation was a box-ticking exercise": another body's process, fair comment on it
        yield Hit(spans=((m.start(), m.end()),), score=0.7,
                  why=f"It says the council's processes are a sham or pointless (\u201c{m.group(0)}\u201d).",
                  data={"detector": "conduct.undermines-council"})
