"""Who or what a message talks about: councillors, staff, the council, members of the public.

Several rules differ only by target (abuse of a councillor, inflammatory remarks about staff,
derogatory remarks about the council, disrespect to the public), so target finding is shared and
computed once per message. Targets come from the pack's roster, not from a generic NER model: the
council knows who its people are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from councilguard.detectors.base import Context
from councilguard.policy import Council
from councilguard.text.caseless import caseless
from councilguard.text.council_words import LOCAL_KIND, kind_of

COUNCILLOR, STAFF, COUNCIL, PUBLIC, OTHER_AUTHORITY, SELF = (
    "councillor", "staff", "council", "public", "other-authority", "self")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # one of the constants above
    name: str  # the roster name, or the words used
    named: bool = True  # identifies a particular person or body (not "councillors" in general)
    later: bool = False  # found by a finder added after the conduct model's training inputs (not tagged for it)

    @property
    def in_sentence(self) -> str:
        """The name as written inside an explanation: "about the chairman", not "about The chairman" when the
        draft began its sentence with it (a roster name, "Cllr Hargreaves", keeps its capitals)."""
        return _LEADING_ARTICLE.sub(lambda m: m.group(0).lower(), self.name)


_LEADING_ARTICLE = re.compile(r"^(?:The|Our|This|That|These|Those|A|An|Another|Their|His|Her|My|Your)\b(?=\s)")


_TITLE_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?\s+([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)")
_GENERIC_COUNCILLOR = caseless(
    # "chair" the person, not the verb ("allowed to chair the council", "she will chair the meeting")
    r"\b(?:the|our|vice[- ])?\s*(?<!\bto )(?<!\bwill )(?<!\bcan )chair(?:man|woman|person)?\b"
    r"(?!\s+(?:the|a|an|this|that|our|its|their|his|her|meetings?|committees?)\b)|\bvice[- ]chair\b|\b(?:a|one|another|fellow|this|that|the)\s+councillors?\b"
    r"|\bcouncillors?\b|\bcllrs?\b|\bthe mayor\b")
_CHAIR_TITLE = caseless(r"\b(?:madam|mr|mister|vice)[\s-]*$")
_COMMITTEE_CHAIR = caseless(r"\b(?:committee|cttee|council|working\s+group)[\s-]*$")  # "the planning committee chair"
_GENERIC_STAFF = caseless(
    r"\b(?:the|our|council'?s?|parish)\s+(?:so[- ]called\s+)?(?:deputy\s+)?(?:clerk|rfo|groundsm[ae]n|grounds\s*(?:keeper|team|staff|officer)s?|"
    r"events\s+officer|officers?|staff|caretaker|handyman|office\s+staff|employees?)\b|\b(?:the\s+)?proper\s+officer\b")
_OTHER_AUTHORITY = caseless(
    r"\b(?:the\s+)?(?:district|county|borough|city|town|unitary|neighbouring|district's|county's)\s+council\b|"
    r"\bthe\s+government\b|\bministers?\b|\bwestminster\b|\b(?:herts|hertfordshire|kent|essex|surrey|bucks|beds|[a-z]+shire)\s+"
    r"county(?:'s)?\b(?!\s+(?:council|court|show|cricket|hall|line|fair))|\bthe\s+district\b|\bthe\s+county\b|\bhighways\b|\bthe\s+nhs\b")
_PUBLIC = caseless(
    r"\b(?:this|that|the|a|one|some|our|my)\s+(?:resident|complainant|volunteer|journalist|reporter|shopkeeper|"
    r"landlord|neighbour|woman|man|lady|bloke|guy|person|objector|busybody|moaner|business\s+owner|"
    r"publican|campaigner|member\s+of\s+the\s+public)s?\b|\bresidents?\b|"
    r"\b(?:whoever|anyone\s+who|anybody\s+who|the\s+(?:person|people|man|woman|bloke|guy)\s+who)\b")
# Members of the public by what they do: "the Scout leader", "the chippy owner on New Road", "that estate agent"
_PUBLIC_ROLE = caseless(
    r"\b(?:the|that|this|our|a|local)\s+(?!glorified\b)(?:[\w'’-]+\s+){0,3}?(?:coordinator|leader|owner|organi[sz]er|secretary|treasurer|"
    r"reporter|journalist|editor|columnist|hack|barber|landlord|landlady|publican|vicar|headteacher|head\s+teacher|teacher|shopkeeper|"
    r"manager|surgeon|builder|developer|estate\s+agent|agent|driver|warden|tenant|neighbour|cyclist|dog\s+walker|"
    r"petitioner|protester|blogger|activist|chair\s+of\s+the\s+[\w'’-]+(?:\s+[\w'’-]+)?)s?\b")
# Members of the public by description: "the chap who complains about the bells", "Dear man on the mobility
# scooter", "that Ferris bloke", "tonight's objector", "the litter-pick lot", "the allotment holder who…"
_PUBLIC_DESCRIBED = caseless(
    r"\b(?:the|that|this|a|one|some|dear|(?:to|yester)day'?s|tonight'?s|last\s+night'?s)\s+(?:[A-Z][a-z]+\s+|['‘\"“])?"
    r"(?:chap|gent(?:leman)?|lad|lass|fella|fellow|girl|boy|bloke|guy|lady|woman|man|person|(?:allotment\s+)?holder|"
    r"(?:young\s+|old\s+|new\s+)?couple(?!\s+of\b)|teenagers|youths|vigilante|"
    r"objector|campaigner|petitioner|complainant|protester|signator(?:y|ies)|troll|keyboard\s+warrior)s?\b['’\"”]?"
    r"|\bthe\s+(?!whole\b)[\w'’-]+(?:\s+[\w'’-]+)?\s+(?:lot\b(?!\s+of\b)|crowd|brigade|mafia|mob|gang|old\s+guard)\b")
# Staff by description: "that girl in the office", "the woman from the parish office"
_STAFF_DESCRIBED = caseless(
    r"\b(?:the|that|this|a)\s+(?:girl|boy|woman|lady|man|bloke|guy|lad|chap|person|one)\s+(?:in|from|at|who\s+runs)\s+"
    r"the\s+(?:council\s+|parish\s+|clerk'?s\s+)?office\b|"
    r"\b(?:the|that|this)\s+(?:girl|boy|woman|lady|man|bloke|guy|lad|chap|person|one)\s+who\s+(?:answers|mans|runs|does)\s+"
    r"(?:the\s+(?:council|parish)(?:'s)?\s+(?:phones?|desk|reception|emails?|inbox|website|facebook(?:\s+page)?)\b|"
    r"the\s+(?:phones?|desk|reception|emails?)\s+(?:at|in|for)\s+the\s+(?:council|parish)\b(?:\s+office\b)?)|\bgroundsm[ae]n\b|\bgrounds\s*keepers?\b"
    r"|\b(?:a|another|new)\s+(?:deputy\s+)?clerk\b"
    r"|\bthe\s+(?:events|grounds|office|admin|finance|parish\s+office)\s+(?:woman|man|lady|girl|bloke|guy|person|lad|lass)\b")
# The council by its committees: "planning cttee tonight was a farce", "The finance committee is a bunch of…". Not
# "the parish office": contempt for it is as often about the staff who work there.
_COUNCIL_BODY = caseless(
    r"\b(?:(?:the|our|this|tonight'?s|last\s+night'?s)\s+)?(?:planning|finance|amenities|open\s+spaces|"
    r"personnel|staffing|grants?|general\s+purposes|policy(?:\s+and\s+resources)?|environment|events|recreation|"
    r"leisure|burial|cemetery)\s+(?:committee|cttee|sub-committee)\b")
_SENTENCE_END = re.compile(r"[.!?\n:]")


def _subject_of_sentence(text: str, start: int, found: list[Mention]) -> bool:
    """The committee is what its sentence is about: it opens the sentence (after at most one word, "Honestly the
    finance committee…") and no person is named in it ("Cllr Brookes's behaviour in the finance committee" is about
    him)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    begin = ends[-1] if ends else 0
    if len(text[begin:start].split()) > 1:
        return False
    stop = _SENTENCE_END.search(text, start)
    end = stop.start() if stop else len(text)
    return not any(begin <= m.start < end and m.kind in (COUNCILLOR, STAFF, PUBLIC, OTHER_AUTHORITY) for m in found)


# "The council's clerk", "the council's staff": the council's name is found first and takes "council's", so the
# post after it is found on its own
_COUNCILS_OWN_STAFF = caseless(
    r"\b(?:council|parish|pc)['’]s\s+((?:deputy\s+)?(?:clerk|rfo|staff|officers?|employees?|groundsm[ae]n|caretaker|"
    r"office\s+staff|events\s+officer|(?:(?:grounds|events|planning|finance|office|tree|parks?)\s+)?['‘]?"
    r"(?:expert|man|woman|lady|bloke|guy|chap|person|team|employee|worker)['’]?))(?![\w'’])"
    r"(?!\s+(?:report|advice|opinion|witness|evidence|view|panel|survey|assessment)\b)")
# National bodies and utilities, answerable elsewhere: "The CAA consultation was a box-ticking exercise"
_PUBLIC_BODY = caseless(r"\b(?:the\s+)?(?:government'?s?|caa|ofwat|ofsted|environment\s+agency|national\s+highways|"
                        r"network\s+rail|thames\s+water|affinity\s+water|planning\s+inspectorate|secretary\s+of\s+state)\b")
# Residents' own groups by name: "the Friends of Croxley Moor", "the Yorke Road Residents' Committee", "the Barton Way
# Preservation Society". Their members are the public the Code asks councillors to respect.
_RESIDENTS_GROUP = re.compile(
    r"\b(?:[Tt]he\s+)?(?:Friends\s+of(?:\s+(?:the\s+)?[A-Z][\w'’-]+){1,3}|(?:[A-Z][\w'’-]+\s+){1,3}"
    r"(?:Residents['’]?\s+(?:Association|Committee|Group|Forum)|Preservation\s+Society|Action\s+Group|Neighbourhood\s+Watch|"
    r"Allotments?\s+(?:Association|Society)))\b")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,30}\b")
# "Honestly Nigel, you're…", "Sorry Sandra, not sorry", "Ignore Terry, he's…"
_VOCATIVE_ANYWHERE = re.compile(r"\b(?:Honestly|Sorry|Ignore|Oh|Well|Look|Cheers|Thanks|Listen|Mate|Dear)\s+([A-Z][a-z]{2,})\b")
# A first name closing a clause after a comma is the person spoken to: "Get a life, Dilys." "Grow up, Brian!"
_VOCATIVE_END = re.compile(r"\w,\s+([A-Z][a-z]{2,})\s*(?=[.!?]|$)", re.M)
# A person's full name not on the roster: "Brian Hughes", "Sandra Cope"
_FULL_NAME = re.compile(r"\b[A-Z][a-z]{1,15}(?:[-'’][A-Z]?[a-z]+)?\s+(?:(?:Mc|Mac|O['’])?[A-Z][a-z]{2,20}(?:-[A-Z][a-z]+)?)\b")
_NOT_NAMES_WORDS = {"the", "this", "that", "our", "my", "your", "their", "his", "her", "parish", "council", "district",
                    "county", "town", "village", "hall", "green", "road", "street", "lane", "close", "avenue", "park",
                    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
                    "christmas", "easter", "happy", "good", "great", "well", "thanks", "thank", "sorry", "please", "dear",
                    "hi", "hello", "cllr", "councillor", "mr", "mrs", "ms", "dr", "miss", "sir", "god", "lord", "fact",
                    "honestly", "ignore", "imagine", "local", "new", "old", "north", "south", "east", "west", "bank",
                    "holiday", "day", "week", "fire", "police", "news", "herts", "watford", "croxley", "rickmansworth"}


# "Community Centre", "Bowls Club", "Copper Kettle": a place or body, not a person
_NOT_A_SURNAME = {"centre", "center", "hall", "club", "society", "association", "group", "trust", "church", "chapel",
                  "school", "academy", "college", "house", "arms", "inn", "bar", "cafe", "café", "kettle", "shop",
                  "stores", "garage", "motors", "surgery", "library", "pavilion", "ground", "grounds", "field", "fields",
                  "common", "moor", "drive", "way", "parade", "plan", "committee", "meeting", "scheme", "festival",
                  "fete", "fair", "market", "show", "day", "night", "trail", "watch", "lights", "appeal", "fund",
                  "council", "partnership", "forum", "network", "project", "team", "office", "station", "estate",
                  "witch", "wizard", "santa", "claus", "water", "rail", "railways", "gas", "energy", "electric",
                  "homes", "ltd", "limited", "plc", "trains", "buses", "airport", "highways", "telecom", "broadband"}


@lru_cache(maxsize=64)
def _known_words(council: Council) -> frozenset[str]:
    """Words that make a capitalised pair something other than a stranger's name: roster, places, bodies."""
    words = set(_NOT_NAMES_WORDS)
    names = [n for member in council.members for n in (member.name, *member.aliases)]
    for text in (*names, *council.short_names, *council.places, council.name, *council.other_authorities):
        words.update(w.lower() for w in re.findall(r"[A-Za-z'’-]+", text))
    return frozenset(words)


_SECOND_PERSON = caseless(r"\b(?:you|your|you're|youre|yourself|u)\b")
# A post addressed to members of the public by description: "To the people who left a sofa by the bins: you are…",
# "Note to the teenagers who…:". The "you" after it is them.
_SALUTATION = caseless(r"(?:^|[.!?]\s+|\n)\s*(?:(?:a\s+)?(?:note|message|word)\s+to|to|dear|shout[- ]?out\s+to)\s+"
                       r"(?:the|all\s+the|those|whoever|whichever|that)\s+[^:.!?\n]{3,120}[:,]\s")
_VOCATIVE = re.compile(r"^\s*([A-Z][a-z]+)\s*[,:—-]")
_SELF = re.compile(r"\b(?:I|me|myself)\b")
# The author in their role: "as your parish councillor", "I'm a councillor", "speaking as Chair"
_SELF_ROLE = caseless(
    r"\b(?:as\s+(?:a|an|your|the)|I'?m\s+(?:a|an|your|the)|I\s+am\s+(?:a|an|your|the)|(?:to\s+be|being)\s+(?:a|an|your|the)|"
    r"speaking\s+as(?:\s+(?:a|an|the))?)\s+"
    rf"(?:(?:{LOCAL_KIND}|local|ward|new|fellow|serving|district|county)\s+)?(?:councillor|cllr|chair(?:man|woman)?|vice[- ]chair)\b")


def mentions(ctx: Context) -> list[Mention]:
    """All target mentions in the message text, sorted by position (memoised per message)."""
    return ctx.memo("targets.mentions", lambda: _find(ctx))[0]


def trained_mentions(ctx: Context) -> list[Mention]:
    """The mentions the conduct model's training inputs were tagged from: the same finders without the
    ``later`` ones, so that a later finder's span (which wins in :func:`mentions`) cannot take an earlier
    mention away from the model's input ("the woman [public] in the parish office")."""
    return ctx.memo("targets.mentions", lambda: _find(ctx))[1]


def _overlaps(m: Mention, taken: list[tuple[int, int]]) -> bool:
    return any(s <= m.start < e or s < m.end <= e for s, e in taken)


def _find(ctx: Context) -> tuple[list[Mention], list[Mention]]:
    """(every mention, the mentions of the finders the model was trained with), each sorted by position."""
    text = ctx.text
    council = ctx.council
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    trained: list[Mention] = []
    trained_taken: list[tuple[int, int]] = []

    def add(m: Mention) -> None:
        if not m.later and not _overlaps(m, trained_taken):
            trained_taken.append((m.start, m.end))
            trained.append(m)
        if _overlaps(m, taken):
            return
        taken.append((m.start, m.end))
        out.append(m)

    names, name_re = _roster_pattern(council)
    bare, bare_re = _bare_name_pattern(council)
    for rx, table, fold in ((name_re, names, True), (bare_re, bare, False)):
        for m in rx.finditer(text):
            member = table[" ".join(m.group(0).lower().split()) if fold else m.group(0)]
            if not fold and m.group(0) == member.first_name and _ANOTHER_SURNAME.match(text, m.end()):
                continue  # "Colin Reeves has written again": another Colin, not Cllr Colin Baxter
            add(Mention(m.start(), m.end(), _member_kind(ctx, member), member.name))
    for rx in (_OTHER_AUTHORITY, _other_authorities_pattern(council)):
        for m in rx.finditer(text):
            add(Mention(m.start(), m.end(), OTHER_AUTHORITY, m.group(0)))
    for a, b in other_named_councils(council, text):
        add(Mention(a, b, OTHER_AUTHORITY, text[a:b], later=True))
    for m in _PUBLIC_BODY.finditer(text):
        add(Mention(m.start(), m.end(), OTHER_AUTHORITY, m.group(0), later=True))
    for m in _council_pattern(council).finditer(text):
        add(Mention(m.start(), m.end(), COUNCIL, council.name))
    for m in _role_pattern(council).finditer(text):
        who = council.role_words.get(_role_key(m.group(0)), ())
        add(Mention(m.start(), m.end(), STAFF, who[0] if len(who) == 1 else m.group(0)))
    for m in _GENERIC_STAFF.finditer(text):
        add(Mention(m.start(), m.end(), STAFF, m.group(0), named=False))
    for m in _STAFF_DESCRIBED.finditer(text):
        add(Mention(m.start(), m.end(), STAFF, m.group(0), named=False, later=True))
    for m in _COUNCILS_OWN_STAFF.finditer(text):
        post = m.group(1).lower()
        add(Mention(m.start(1), m.end(1), STAFF, m.group(1), named=not post.endswith("s") and "staff" not in post,
                    later=True))
    _disguised(ctx, add)
    for m in _TITLE_NAME.finditer(text):
        title = m.group(1).lower()
        kind = COUNCILLOR if title in ("cllr", "councillor") else PUBLIC
        add(Mention(m.start(), m.end(), kind, m.group(0)))
    for m in _SELF_ROLE.finditer(text):
        add(Mention(m.start(), m.end(), SELF, "the author"))
    for m in _GENERIC_COUNCILLOR.finditer(text):
        later = False
        if m.group(0).strip() == "chair" and not _CHAIR_TITLE.search(text, max(0, m.start() - 8), m.start()):
            if not _COMMITTEE_CHAIR.search(text, max(0, m.start() - 14), m.start()):
                continue  # "a comfy chair", "the spare chairs": furniture; the office is "the Chair", "Madam Chair"
            later = True
        plural = m.group(0).lower().rstrip().endswith("s")
        start = m.end() - len(m.group(0).lstrip()) if later else m.start()
        if _authors_office(ctx, m.group(0)):
            add(Mention(start, m.end(), SELF, "the author", later=True))  # "Margaret Ellis, Chair" signing her e-mail
            continue
        add(Mention(start, m.end(), COUNCIL if plural else COUNCILLOR, text[start:m.end()], named=not plural, later=later))
    for m in _PUBLIC.finditer(text):
        add(Mention(m.start(), m.end(), PUBLIC, m.group(0), named=not m.group(0).lower().startswith("resident")))
    for m in _RESIDENTS_GROUP.finditer(text):
        add(Mention(m.start(), m.end(), PUBLIC, m.group(0), later=True))
    for m in _PUBLIC_DESCRIBED.finditer(text):
        add(Mention(m.start(), m.end(), PUBLIC, m.group(0), later=True))
    for m in _PUBLIC_ROLE.finditer(text):
        add(Mention(m.start(), m.end(), PUBLIC, m.group(0), later=True))
    for m in _HANDLE.finditer(text):
        add(Mention(m.start(), m.end(), PUBLIC, m.group(0), later=True))
    for m in _VOCATIVE_ANYWHERE.finditer(text):
        add(Mention(m.start(1), m.end(1), PUBLIC, m.group(1), later=True))
    lower, lower_re = _lower_bare_name_pattern(council)
    for m in lower_re.finditer(text):  # "helen is a jumped up clipboard merchant": casual posts skip capitals
        member = lower[m.group(0)]
        add(Mention(m.start(), m.end(), _member_kind(ctx, member), member.name, later=True))
    known = _known_words(council)
    for m in _VOCATIVE_END.finditer(text):
        if m.group(1).lower() not in known and m.group(1).lower() not in _NOT_NAMES_WORDS:
            add(Mention(m.start(1), m.end(1), PUBLIC, m.group(1), later=True))
    for m in _FULL_NAME.finditer(text):
        words = m.group(0).split()
        first_known = words[0].lower() in known and words[0] not in _roster_first_names(council)  # "Colin Reeves" too
        if not first_known and words[-1].lower() not in known and words[-1].lower() not in _NOT_A_SURNAME:
            add(Mention(m.start(), m.end(), PUBLIC, m.group(0), later=True))
    for m in _COUNCIL_BODY.finditer(text):
        if _subject_of_sentence(text, m.start(), out):
            add(Mention(m.start(), m.end(), COUNCIL, council.name, later=True))
    for m in _SELF.finditer(text):
        add(Mention(m.start(), m.end(), SELF, "the author"))
    addressee = addressee_kind(ctx)
    if addressee:
        for m in _SECOND_PERSON.finditer(text):
            add(Mention(m.start(), m.end(), addressee, "you"))
        v = _VOCATIVE.match(text)
        if v and v.group(1).lower() not in _NOT_NAMES:
            add(Mention(v.start(1), v.end(1), addressee, v.group(1)))
    elif not ctx.message.is_email:
        opening = _opening_vocative(text, out)
        hail = _SALUTATION.search(text)
        if opening is not None:
            for m in _SECOND_PERSON.finditer(text, opening.end):
                add(Mention(m.start(), m.end(), opening.kind, "you", later=True))
        elif hail is not None:
            for m in _SECOND_PERSON.finditer(text, hail.end() - 1):
                add(Mention(m.start(), m.end(), PUBLIC, "you", later=True))
    return sorted(out, key=lambda m: m.start), sorted(trained, key=lambda m: m.start)


_OPENING = re.compile(r"^\s*(?:(?:Dear|Hi|Hello|To)\s+)?$")


def _opening_vocative(text: str, found: list[Mention]) -> Mention | None:
    """A post that opens by addressing a councillor or member of staff ("Cllr Baxter, I am done. You've…", "Helen,
    I've had it with your obstruction"): its "you" is them, as in a reply to them."""
    for m in found:
        if m.kind in (COUNCILLOR, STAFF) and m.named and _OPENING.match(text[:m.start]) \
                and re.match(r"\s*[,:—-]", text[m.end:m.end + 3]):
            return m
    return None


def _authors_office(ctx: Context, words: str) -> bool:
    """The office the author holds, named bare ("the Chair" written by the Chair, as in her signature)."""
    role = (ctx.author_member.role or "").lower() if ctx.author_member is not None else ""
    office = re.sub(r"^(?:the|our|madam|mr|mister)\s+|(?:man|woman|person)$", "", words.strip().lower()).replace(" ", "-")
    return bool(role) and office in ("chair", "vice-chair") and office == role.replace(" ", "-")


def _member_kind(ctx: Context, member) -> str:
    if ctx.author_member is not None and member.name == ctx.author_member.name:
        return SELF
    return COUNCILLOR if member.kind == "councillor" else STAFF


def _disguised(ctx: Context, add) -> None:
    """Staff or the council named in disguise ("the d3puty cl3rk", "the c.l.e.r.k", "parish counc1l", "C G P C", the
    council's name in Cyrillic look-alikes): the staff and council patterns on the normalised text."""
    norm = ctx.norm
    if norm.text.lower() == ctx.text.lower():
        return
    for rx in (_GENERIC_STAFF, _role_pattern(ctx.council)):
        for m in rx.finditer(norm.text):
            start, end = norm.to_original(m.start(), m.end())
            add(Mention(start, end, STAFF, m.group(0), named=False, later=True))
    for m in _council_pattern(ctx.council).finditer(norm.text):
        start, end = norm.to_original(m.start(), m.end())
        add(Mention(start, end, COUNCIL, ctx.council.name, later=True))
    names, name_re = _roster_pattern(ctx.council)
    for m in name_re.finditer(norm.text):
        start, end = norm.to_original(m.start(), m.end())
        member = names[" ".join(m.group(0).lower().split())]
        add(Mention(start, end, _member_kind(ctx, member), member.name, later=True))


_NOT_NAMES = {"well", "yes", "no", "so", "look", "sorry", "thanks", "hi", "hello", "dear", "ok", "okay", "right",
              "honestly", "sadly", "again", "also", "update", "note", "reminder", "folks", "everyone", "all"}


def council_mentions_in(council: Council, text: str) -> list[tuple[int, int]]:
    """Spans naming *this* council in any text (e.g. the post replied to), other authorities excluded."""
    others = [(m.start(), m.end()) for rx in (_OTHER_AUTHORITY, _other_authorities_pattern(council))
              for m in rx.finditer(text)] + other_named_councils(council, text)
    return [(m.start(), m.end()) for m in _council_pattern(council).finditer(text)
            if not any(s <= m.start() < e for s, e in others)]


_THEY = caseless(r"\b(?:they|them|their|that\s+lot|this\s+lot|that\s+council|this\s+council)\b")


def is_addressee(ctx: Context, m: Mention) -> bool:
    """The member of the public a reply answers, named in it ("Tell me about it, Kofi."): whom the reply talks to,
    not whom its "they" is about."""
    reply_to = ctx.message.in_reply_to
    return reply_to is not None and m.kind == PUBLIC and len(m.name) > 1 \
        and ctx.text[m.start:m.end].lower() in (reply_to.author or "").lower()


def council_replied_about(ctx: Context, end: int) -> Mention | None:
    """The council, when a reply names no one itself before ``end`` and the post it answers is about this council:
    "They couldn't organise a queue at a bus stop" under "The parish council's grass cutting is a disgrace" is
    said of the council. Found from the first "they"/"that lot" before ``end``, which stands for it."""
    msg = ctx.message
    if msg.in_reply_to is None or not council_mentions_in(ctx.council, msg.in_reply_to.text or ""):
        return None
    if any(m.start < end and m.kind != SELF and not is_addressee(ctx, m) for m in mentions(ctx)):
        return None  # someone other than the person answered ("Thanks, Kofi") is named first
    they = _THEY.search(ctx.text, 0, end)
    return Mention(they.start(), they.end(), COUNCIL, "the council") if they else None


def addressee_kind(ctx: Context) -> str | None:
    """Who "you" is: in a reply, the author of the post replied to; in an e-mail, its recipients."""
    msg = ctx.message
    council = ctx.council
    if msg.in_reply_to is not None:
        who = (msg.in_reply_to.author or "").strip()
        member = council.member_by_name(who) or _member_in(council, who)
        if member is not None:
            return COUNCILLOR if member.kind == "councillor" else STAFF
        low = who.lower()
        if "council" in low and "councillor" not in low:
            return COUNCIL
        if "cllr" in low or "councillor" in low:
            return COUNCILLOR
        return PUBLIC
    if msg.is_email and msg.to:
        member = council.member_by_email(msg.to[0])
        if member is not None:
            return COUNCILLOR if member.kind == "councillor" else STAFF
        if not council.is_council_address(msg.to[0]):
            return PUBLIC
    if msg.kind in ("reply", "comment") and msg.in_reply_to is None:
        return None
    return None


def _member_in(council: Council, who: str):
    low = who.lower()
    for m in council.members:
        if m.name.lower() in low:
            return m
    return None


def nearest(ms: list[Mention], start: int, end: int, kinds: set[str], window: tuple[int, int]) -> Mention | None:
    """The mention of one of ``kinds`` inside ``window`` closest to [start, end)."""
    best, best_d = None, None
    for m in ms:
        if m.kind not in kinds or m.end <= window[0] or m.start >= window[1]:
            continue
        d = 0 if (m.start < end and start < m.end) else min(abs(m.start - end), abs(start - m.end))
        if best_d is None or d < best_d:
            best, best_d = m, d
    return best


# --- compiled patterns, cached per council -------------------------------------------------------


@lru_cache(maxsize=32)
def _roster_pattern(council: Council):
    names = {}
    for member in council.members:
        for n in member.names():
            names.setdefault(n, member)
    # any run of spaces between the words ("Cllr  Baxter", or a name spelt out letter by letter and joined)
    alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
    return names, caseless(rf"(?<![\w@.])(?:{alternation})(?![\w@])")


_KINDS = r"(?:Parish|Town|Borough|District|County|City|Community|Village)"
_NAMED_COUNCIL = re.compile(rf"\b(?P<place>[A-Z][a-z]+(?:[ -](?!{_KINDS}\b)[A-Z][a-z]+){{0,2}})\s+(?P<kind>{_KINDS}\s+)?Council\b")
# Capitalised words before "Council" that are not a place: "At Full Council", "The Parish Council", "Our Council"
_NOT_A_PLACE = {"at", "in", "on", "to", "from", "for", "with", "by", "of", "about", "and", "but", "so", "if", "when",
                "tonight", "today", "yesterday", "the", "our", "this", "that", "your", "my", "their", "parish", "town",
                "full", "annual", "every", "each", "a", "whole", "local", "new", "next", "last", "dear", "hi", "thanks",
                "well", "done"}


@lru_cache(maxsize=32)
def _own_name_words(council: Council) -> frozenset[str]:
    return frozenset(w.lower() for n in (council.name, *council.short_names) for w in re.findall(r"[A-Za-z]+", n))


def other_named_councils(council: Council, text: str) -> list[tuple[int, int]]:
    """Councils named by a place that is not this council's: a place in the profile's gazetteer ("Watford Council") or
    any place before a kind of council ("Chorleywood Parish Council"). Other authorities, even when the profile does
    not list them."""
    own = _own_name_words(council)
    out = []
    for m in _NAMED_COUNCIL.finditer(text):
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", m.group("place"))]
        while words and words[0] in _NOT_A_PLACE:
            words.pop(0)
        known_place = " ".join(words) in {p.lower() for p in council.places}
        if words and not set(words) <= own and (m.group("kind") or known_place):
            out.append((m.start("place") + m.group("place").lower().index(words[0]), m.end()))
    return out


@lru_cache(maxsize=32)
def _other_authorities_pattern(council: Council):
    """Neighbouring and principal authorities named in the profile ("Three Rivers District Council")."""
    names = sorted(council.other_authorities, key=len, reverse=True)
    if not names:
        return re.compile(r"(?!x)x")
    alternation = "|".join(re.escape(n) for n in names)
    return caseless(rf"(?<![\w-])(?:the\s+)?(?:{alternation})(?![\w-])")


# Surnames and first names that are also everyday words are never taken for a person on their own.
COMMON_WORDS = {"price", "cole", "marsh", "green", "brown", "white", "black", "young", "king", "wood", "hill",
                "mills", "rose", "may", "june", "april", "grace", "hope", "joy", "faith", "bill", "mark", "will",
                "pat", "sue", "rob", "dawn", "summer", "cook", "baker", "fox", "lamb", "bird", "banks", "church",
                "hall", "lane", "page", "rich", "gay", "long", "short", "little", "north", "west", "moore"}


@lru_cache(maxsize=32)
def _roster_first_names(council: Council) -> frozenset[str]:
    return frozenset(member.first_name for member in council.members)


_ANOTHER_SURNAME = re.compile(r"[ \t]+[A-Z][a-z'’-]+(?![\w'’-])")


@lru_cache(maxsize=32)
def _bare_name_pattern(council: Council):
    """Capitalised bare surnames ("Hargreaves said…") and first names unique on the roster ("Gary")."""
    table: dict[str, object] = {}
    firsts: dict[str, list] = {}
    for member in council.members:
        firsts.setdefault(member.first_name, []).append(member)
    for member in council.members:
        if member.surname.lower() not in COMMON_WORDS and len(member.surname) > 2:
            table.setdefault(member.surname, member)
        if len(firsts[member.first_name]) == 1 and member.first_name.lower() not in COMMON_WORDS:
            table.setdefault(member.first_name, member)
    if not table:
        return table, re.compile(r"(?!x)x")
    alternation = "|".join(re.escape(n) for n in sorted(table, key=len, reverse=True))
    return table, re.compile(rf"(?<![\w@.'’-])(?:{alternation})(?![\w@-])")


@lru_cache(maxsize=32)
def _lower_bare_name_pattern(council: Council):
    """The same bare names written all in lower case ("helen", "brookes"), for casual posts."""
    table, _ = _bare_name_pattern(council)
    lower = {name.lower(): member for name, member in table.items()}
    if not lower:
        return lower, re.compile(r"(?!x)x")
    alternation = "|".join(re.escape(n) for n in sorted(lower, key=len, reverse=True))
    return lower, re.compile(rf"(?<![\w@.'’-])(?:{alternation})(?![\w@-])")


@lru_cache(maxsize=32)
def _council_pattern(council: Council):
    kind = kind_of(council.name) or "parish"  # its own kind only: "the town council" may be another one
    words = {council.name, *council.short_names, f"the {kind} council", f"{kind} council", "the council",
             "this council", "our council", f"our {kind} council", "the pc", "council"}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return caseless(rf"(?<![\w-])(?:{alternation})(?:'s|’s)?(?![\w-])")


@lru_cache(maxsize=32)
def _role_pattern(council: Council):
    words = sorted(council.role_words, key=len, reverse=True)
    if not words:
        return re.compile(r"(?!x)x")
    alternation = "|".join(re.escape(w) for w in words)
    return caseless(rf"\b(?:the|our|your|council'?s?)\s+(?:deputy\s+)?(?:{alternation})\b")


def _role_key(phrase: str) -> str:
    return phrase.lower().split()[-1]
