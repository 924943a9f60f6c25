"""Who a piece of personal data is about: people mentioned near it, and whether they are the author.

Personal data is a finding only when it belongs to an identifiable person other than the author
("Mrs Jenkins at 14 Frankland Road", "her number is…", "my neighbour at No. 14"). This module finds
those mentions cheaply first (titles, relations, pronouns by regex) and asks spaCy's NER, through
Presidio, only for a sentence that still needs a name found. Place names from the council profile
are not people, and roster members are recognised so that their work contact details pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from councilguard.policy.council import Council, Member
from councilguard.text.document import Span
from councilguard.text.caseless import caseless

TITLE = "title"        # "Mrs Jenkins", "Cllr Hargreaves"
NAME = "name"          # "Dave Smith" (spaCy NER)
RELATION = "relation"  # "my neighbour", "the resident at No. 14"
PRONOUN = "pronoun"    # "she", "his"
QUOTED = "quoted"      # the first person of a quotation or a forwarded message

TITLE_RE = re.compile(
    r"\b(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Revd|Rev|Cllr|Councillor|Sir|Dame)\.?\s+"
    r"(?!(?:The|This|That|It|Out|You|Our|A|An|And|Or|Of|In|On|At|To)\b)"
    r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+){0,2}[A-Z][A-Za-z'\u2019-]*[A-Za-z]"
)
RELATION_RE = caseless(
    r"\b(?P<det>my|our|his|her|their|the|a|that|this)\s+"
    r"(?P<mod>(?:(?:next[- ]door|elderly|old|new|young|disabled|downstairs|upstairs)\s+)*)"
    r"(?P<noun>neighbou?rs?|tenants?|landlord|landlady|lodger|residents?|occupants?|occupiers?|householders?|"
    r"homeowners?|owners?|people|folks?|lady|gentleman|man|woman|bloke|chap|guy|family|couple|lad|girl|boy|widow|widower|pensioner)(?![\w-])",
)
# A full name straight after a verb of getting in touch: "email Carys Lewis", "ring Dave Smith on …"
_CONTACT_NAME = re.compile(r"\b(?:[Ee]-?mail|[Rr]ing|[Cc]all|[Pp]hone|[Tt]ext|[Cc]ontact|[Mm]essage|[Ww]rite\s+to)\s+"
                           r"(?P<name>[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]+){1,2})\b")
_FAMILY_RE = re.compile(r"\b[Tt]he\s+[A-Z][a-z]+s\b")
_LOCATOR_RE = caseless(
    r"\s*,?\s*(?:(?:who\s+)?(?:lives?|living)\s+)?(?:at|in|from|of|on)\s+(?:No\.?|number|flat|#)\s*\d+[a-z]?\b"
    r"|\s+(?:next\s+door|opposite|across\s+the\s+road|over\s+the\s+road|upstairs|downstairs)\b",
)
_ADDRESS_TIE = caseless(r"\s*,?\s*(?:(?:who\s+)?(?:lives?|living)\s+)?(?:at|in|from|of|on)\s+")
_KIN_RE = caseless(r"['\u2019]s?\s+(?:husband|wife|partner|ex|son|daughter|child|children|kids?|mum|mother|dad|"
                     r"father|brother|sister|boyfriend|girlfriend|fianc[e\u00e9]e?|grandson|granddaughter|"
                     r"neighbou?r|tenant|lodger|carer)\b")
_DETERMINERS = {"my", "our", "his", "her", "their", "the", "a", "that", "this"}
# A post held by one person on the roster identifies them as surely as their name: "the Clerk's off with stress"
# (who holds which post: Council.post_holders).
ROLE_RE = caseless(
    r"\b(?:the|our|your|their)\s+(?:parish\s+|town\s+|council'?s\s+)?"
    r"(?P<role>deputy\s+clerk|clerk|rfo|responsible\s+financial\s+officer|proper\s+officer|"
    r"vice[- ]chair(?:man|woman|person)?|chair(?:man|woman|person)?)\b"
    r"(?!\s+(?:of|to)\s+(?!the\s+(?:parish\s+|town\s+)?council\b))")


PRONOUN_RE = caseless(r"\b(?:he|she|him|her|his|hers)\b(?:['\u2019](?:s|d))?")
_GREETING_RE = re.compile(
    r"\A\s*(?:Dear|Hi|Hello|Hiya|Morning|Good\s+(?:morning|afternoon|evening))\s+"
    r"(?:(?:Mrs|Mr|Ms|Miss|Mx|Dr|Cllr|Councillor)\.?\s+)?(?P<name>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)?)"
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:['\u2019]s)?\b")
# Capitalised words that are not names, including common openers of a sentence: a sentence whose only
# capitalised words are these needs no NER.
_NOT_NAME_WORDS = frozenset("""
i a an the this that these those it its we our you your he she his her they their my me us and or but so if
then when where who what which why how please thanks thank dear hi hello best kind regards cheers yours
council councillor councillors cllr parish clerk chair chairman chairwoman deputy officer office offices
committee meeting meetings minutes agenda district county borough town village hall centre center library
police fire nhs gp hospital school church scouts guides road street lane avenue close drive way crescent
gardens court place grove hill square terrace walk rise mews green park common lodge
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december christmas easter bank holiday new year
mr mrs ms miss dr re fwd fw subject from to cc sent date ok uk england britain british english
great lovely well just sorry congratulations happy good don't can could would will is are was were do does
did have has had let let's anyone everyone everybody someone nobody some all any no yes not over after before
on in for with as following further also apparently honestly sadly today yesterday tomorrow tonight last
next there here another every each most many few one two three four five six seven eight nine ten madam
fuming absolutely really shame disgrace well done welcome reminder update note notice important urgent
community centre pavilion allotment allotments playground skate recreation ground field
""".split())
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_TITLES = caseless(r"^(?:mrs|mr|ms|miss|mx|dr|prof|revd|rev|cllr|councillor|sir|dame)\.?\s+")
# Words spaCy sometimes takes into a name ("Ring Jim", "Dear Pat"): stripped from the front of one.
_NOT_NAMES = {"dear", "hi", "hello", "thanks", "cheers", "regards", "best", "kind", "yours", "ring", "call", "phone",
              "text", "ask", "contact", "email", "message", "thank", "tell", "see", "meet", "visit", "welcome",
              "congratulations", "congrats", "well", "done", "poor", "old", "young", "little"}


@dataclass(frozen=True)
class Mention:
    """A reference to a person in the text."""

    start: int
    end: int
    text: str
    kind: str
    member: Member | None = None
    located: bool = False  # a relation with a locator ("at No. 14", "next door")

    @property
    def label(self) -> str:
        if self.kind == PRONOUN:
            return f"the person referred to as \u201c{self.text.lower()}\u201d"
        said = " ".join(self.text.split())
        if self.kind == RELATION and said.split()[0].lower() in _DETERMINERS:
            return said[0].lower() + said[1:]  # "My neighbour" -> "my neighbour"
        return said


class People:
    """Mentions of people in one message, found on demand and cached per sentence.

    Titles, roster names, relations and pronouns come from regexes. Names from spaCy are asked for
    only where no cheaper mention will do; in ``collecting`` mode those requests are only recorded,
    so that :meth:`fetch_names` can answer them all with one NER call (spaCy's fixed cost per call
    is most of its cost on short sentences).
    """

    def __init__(self, text: str, sentences: Sequence[Span], council: Council, author_name: str | None,
                 find_names: Callable[[str], list] | None = None, addresses: Sequence[tuple[int, int]] = ()):
        self.text = text
        self.sentences = list(sentences) or [Span(0, len(text))]
        self.council = council
        self.roster = roster_of(council)
        self.author_name = (author_name or "").strip()
        self._addresses = sorted(addresses)
        self._find_names = find_names
        self._starts = [s.start for s in self.sentences]
        self._cheap: dict[int, list[Mention]] = {}
        self._named: dict[int, list[Mention]] = {}
        self.collecting = False
        self.wanted: set[int] = set()
        self.ner_calls = 0  # spaCy calls made for this message (for tests and timing)

    # --- looking up -------------------------------------------------------------------------
    def sentence_index(self, pos: int) -> int:
        return min(max(bisect_right(self._starts, pos) - 1, 0), len(self.sentences) - 1)

    def mentions(self, i: int, *, names: bool = True) -> list[Mention]:
        """Mentions in sentence ``i``: the regex ones, plus NER names when ``names``."""
        if i not in self._cheap:
            self._cheap[i] = self._regex_mentions(self.sentences[i])
        found = self._cheap[i]
        if not names or self._find_names is None:
            return found
        if i not in self._named:
            if self.collecting:
                self.wanted.add(i)
                return found
            self._fetch([i])
        return sorted(found + self._named[i], key=lambda m: m.start)

    def fetch_names(self) -> None:
        """Answer every recorded NER request with one spaCy call, and stop collecting."""
        self.collecting = False
        todo = sorted(i for i in self.wanted if i not in self._named)
        self.wanted.clear()
        if todo:
            self._fetch(todo)

    def subject_before(self, pos: int, *, limit: int = 200, names: bool = True) -> Mention | None:
        """The nearest mention ending before ``pos`` in its sentence (a pronoun is resolved).
        spaCy is asked only when ``names`` and no regex mention other than a pronoun is there."""
        i = self.sentence_index(pos)
        lo = max(self.sentences[i].start, pos - limit)
        before = [m for m in self.mentions(i, names=False) if lo <= m.start and m.end <= pos]
        if names and not any(m.kind != PRONOUN for m in before) and self._worth_ner(i, lo, pos):
            before = [m for m in self.mentions(i) if lo <= m.start and m.end <= pos]
        if not before:
            return None
        nearest = max(before, key=lambda m: m.end)
        return self.resolve(nearest) if nearest.kind == PRONOUN else self._kin(nearest, pos)

    def mention_ending_at(self, pos: int, *, names: bool = True) -> Mention | None:
        """The mention that ends right at ``pos`` ("Bob Jones" in "Bob Jones, who lives at"), if any;
        a pronoun is resolved."""
        i = self.sentence_index(max(pos - 1, 0))
        found = [m for m in self.mentions(i, names=False) if pos - 1 <= m.end <= pos]
        if not found and names:
            found = [m for m in self.mentions(i) if pos - 1 <= m.end <= pos]
        if not found:
            return None
        m = max(found, key=lambda m: m.end - m.start)
        return self.resolve(m) if m.kind == PRONOUN else m

    def subject_after(self, pos: int, *, limit: int = 40) -> Mention | None:
        """The nearest title or name within ``limit`` characters after ``pos`` in its sentence."""
        i = self.sentence_index(pos)
        hi = min(self.sentences[i].end, pos + limit)
        after = [m for m in self.mentions(i, names=self._worth_ner(i, pos, hi))
                 if pos <= m.start < hi and m.kind in (TITLE, NAME)]
        return min(after, key=lambda m: m.start) if after else None

    def resolve(self, pronoun: Mention) -> Mention:
        """The person a pronoun refers to: the nearest title, name or located relation before it,
        in its sentence or the two before; the pronoun itself when there is none."""
        i = self.sentence_index(pronoun.start)
        for j in range(i, max(-1, i - 3), -1):
            end = min(pronoun.start, self.sentences[j].end)
            cands = [m for m in self.mentions(j, names=False) if m.kind != PRONOUN and m.end <= end]
            if not cands and self._worth_ner(j, self.sentences[j].start, end):
                cands = [m for m in self.mentions(j) if m.kind != PRONOUN and m.end <= end]
            if cands:
                return self._kin(max(cands, key=lambda m: m.end), end)
        return pronoun

    def _kin(self, m: Mention, limit: int) -> Mention:
        """"Cllr Sharma's husband" is the husband, not the councillor: widen the mention to him."""
        if m.kind not in (TITLE, NAME):
            return m
        kin = _KIN_RE.match(self.text, m.end, max(m.end, limit))
        if kin is None:
            return m
        return Mention(m.start, kin.end(), self.text[m.start:kin.end()], RELATION, located=True)

    # --- who is who -------------------------------------------------------------------------
    def is_author(self, m: Mention) -> bool:
        if not self.author_name or m.kind not in (TITLE, NAME):
            return False
        author = self.author_name.lower()
        said = _bare(m.text)
        return said == author or (said == author.split()[-1] and m.kind == TITLE)

    @cached_property
    def recipient(self) -> str | None:
        """The surname or name in an e-mail's greeting ("Dear Ms Green," -> "green")."""
        g = _GREETING_RE.search(self.text)
        return g.group("name").split()[-1].lower() if g and g.group("name").lower() not in _NOT_NAMES else None

    def is_recipient(self, m: Mention) -> bool:
        return bool(self.recipient) and m.kind in (TITLE, NAME) and _bare(m.text).split()[-1] == self.recipient

    # --- finding mentions -------------------------------------------------------------------
    def _regex_mentions(self, s: Span) -> list[Mention]:
        chunk = self.text[s.start:s.end]
        out: list[Mention] = []
        for m in TITLE_RE.finditer(chunk):
            raw = m.group(0)
            said = _POSSESSIVE.sub("", raw) if raw.endswith(("'s", "\u2019s")) else raw
            out.append(Mention(s.start + m.start(), s.start + m.start() + len(said), said, TITLE,
                               self.roster.member(said, titled=True)))
        if self.roster.names_re is not None:
            for m in self.roster.names_re.finditer(chunk):
                a, b = s.start + m.start(), s.start + m.end()
                if not any(x.start <= a < x.end for x in out):
                    out.append(Mention(a, b, m.group(0), NAME, self.roster.member(m.group(0), titled=False)))
        for m in _CONTACT_NAME.finditer(chunk):  # "email Carys Lewis directly at …": spaCy may not see her
            a, b, name = s.start + m.start("name"), s.start + m.end("name"), m.group("name")
            if not any(x.start < b and a < x.end for x in out) and all(map(self.could_be_name, name.split())) \
                    and not self.roster.is_place(name):
                out.append(Mention(a, b, name, NAME, self.roster.member(name, titled=False)))
        for m in ROLE_RE.finditer(chunk):  # "the Clerk": the one person who holds the post
            a, b = s.start + m.start(), s.start + m.end()
            member = self.roster.council.post_holder(m.group("role"))
            if member is not None and not any(x.start < b and a < x.end for x in out):
                out.append(Mention(a, b, m.group(0), NAME, member))
        for m in RELATION_RE.finditer(chunk):
            loc = _LOCATOR_RE.match(chunk, m.end())
            end = loc.end() if loc else self._address_after(s.start + m.end()) - s.start
            det, mod, noun = m.group("det").lower(), m.group("mod").lower(), m.group("noun").lower()
            neighbour = noun.startswith("neighbo") and not noun.endswith("s")
            located = end > m.end() or "next" in mod
            if located or (det in ("my", "our") and neighbour):
                out.append(Mention(s.start + m.start(), s.start + end, chunk[m.start():end], RELATION,
                                   located=located))
        for m in _FAMILY_RE.finditer(chunk):  # "the Hendersons at 9 Yorke Road"
            loc = _LOCATOR_RE.match(chunk, m.end())
            end = loc.end() if loc else self._address_after(s.start + m.end()) - s.start
            if end > m.end():
                out.append(Mention(s.start + m.start(), s.start + end, chunk[m.start():end], RELATION, located=True))
        taken = [(x.start, x.end) for x in out]
        for m in PRONOUN_RE.finditer(chunk):
            a, b = s.start + m.start(), s.start + m.end()
            if not any(x <= a < y for x, y in taken):
                out.append(Mention(a, b, m.group(0), PRONOUN))
        return sorted(out, key=lambda x: x.start)

    def _address_after(self, pos: int) -> int:
        """End of an address that follows ``pos`` after "at", "of", "lives at"…; else ``pos``."""
        tie = _ADDRESS_TIE.match(self.text, pos)
        if tie:
            for a, b in self._addresses:
                if a == tie.end():
                    return b
        return pos

    def _fetch(self, indices: list[int]) -> None:
        """Run NER once over the given sentences (joined by blank lines) and file the names."""
        pieces, offsets, cursor = [], [], 0
        for i in indices:
            s = self.sentences[i]
            pieces.append(self.text[s.start:s.end])
            offsets.append((cursor, s.start, i))
            cursor += s.end - s.start + 2
            self._named[i] = []
        self.ner_calls += 1
        for f in self._find_names("\n\n".join(pieces)):
            k = bisect_right([o[0] for o in offsets], f.start) - 1
            base, origin, i = offsets[k]
            mention = self._name_mention(origin + f.start - base, origin + f.end - base, i)
            if mention is not None:
                self._named[i].append(mention)

    def _name_mention(self, a: int, b: int, i: int) -> Mention | None:
        said = self.text[a:b]
        words = said.split()
        if words and words[0].lower() in _NOT_NAMES:
            a, said = a + said.index(words[1]) if len(words) > 1 else b, " ".join(words[1:])
        if said.endswith(("'s", "\u2019s")):
            said, b = said[:-2], b - 2
        said = said.strip()
        cheap = self._cheap.get(i) or self.mentions(i, names=False)
        if not said or "@" in said or any(c.isdigit() for c in said) or self.roster.is_place(said):
            return None
        if any(c.start < b and a < c.end for c in cheap if c.kind != PRONOUN):
            return None  # already known as a title or roster mention
        return Mention(a, b, said, NAME, self.roster.member(said, titled=False))

    def could_be_name(self, word: str) -> bool:
        """A capitalised word that is not a common word or a place."""
        return word[:1].isupper() and _POSSESSIVE.sub("", word).lower() not in _NOT_NAME_WORDS \
            and not self.roster.is_place(word)

    def _worth_ner(self, i: int, start: int, end: int) -> bool:
        """Whether spaCy could find a name here that the regexes did not: a capitalised word that is
        not part of a known mention, a place, or a common word (a sentence's first word included)."""
        if self._find_names is None or end <= start:
            return False
        known = [(m.start, m.end) for m in self.mentions(i, names=False) if m.kind != PRONOUN]
        for m in _CAPITALISED.finditer(self.text, start, end):
            if not any(x <= m.start() < y for x, y in known) and self.could_be_name(m.group(0)):
                return True
        return False


class Roster:
    """The council's people and places, indexed for matching mentions. One per council profile."""

    def __init__(self, council: Council):
        self.members: dict[str, Member] = {}
        self.surnames: dict[str, list[Member]] = {}
        full: list[str] = []
        for member in council.members:
            for name in member.names():
                self.members.setdefault(name, member)
            full.extend([member.name, *member.aliases])
            self.surnames.setdefault(member.surname.lower(), []).append(member)
        alternatives = sorted({re.escape(n) for n in full if n.strip()}, key=len, reverse=True)
        self.names_re = caseless(r"\b(?:" + "|".join(alternatives) + r")\b") if alternatives else None
        self.places = tuple(p.lower() for p in council.places)
        self.council = council

    def member(self, text: str, titled: bool) -> Member | None:
        """The roster member a mention names: full name, alias, titled name, or a titled surname
        that only one member has."""
        lowered = _POSSESSIVE.sub("", text.lower())
        bare = _bare(text)
        found = self.members.get(lowered) or self.members.get(bare)
        if found is not None:
            return found
        same = self.surnames.get(bare.split()[-1], []) if titled and bare and " " not in bare else []
        return same[0] if len(same) == 1 else None

    def is_place(self, text: str) -> bool:
        t = text.lower()
        return any(t == p or p in t or (t in p.split()) for p in self.places)


_ROSTERS: dict[int, tuple[Council, Roster]] = {}


def roster_of(council: Council) -> Roster:
    """The (cached) roster index of a council profile."""
    hit = _ROSTERS.get(id(council))
    if hit is None or hit[0] is not council:
        hit = (council, Roster(council))
        _ROSTERS[id(council)] = hit
    return hit[1]


def _bare(text: str) -> str:
    """A name without title or possessive, lower case."""
    return _TITLES.sub("", _POSSESSIVE.sub("", text.strip())).lower()
