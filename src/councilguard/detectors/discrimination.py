"""Offensive remarks about protected characteristics (Equality Act 2010 s4), judged by function.

Flags slurs, dehumanising statements about a protected group, a group declared unfit for office or
company ("pensioners are too slow to sit on…", "… have no business on a council"), hateful questions
("why are travellers always so…"), "go back where you came from", and emoji taunts (animals aimed at a
person; vomit, fire or a bomb beside an emoji that stands for a group). Does not flag counter-speech,
quoting in order to condemn or report, reclaimed self-reference ("as a queer woman…"), neutral mentions
of a group ("the mosque's open day") or surnames spelt like a slur.
"""

from __future__ import annotations

import re

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.text.lexicon import Lexicon
from councilguard.text.caseless import caseless

# Slurs by characteristic. Kept to unambiguous terms; ambiguous ones live in DEHUMANISING patterns.
SLURS: dict[str, str] = {
    **dict.fromkeys(["nigger*", "nigga*", "paki", "pakis", "wog", "wogs", "coon", "coons", "chink*", "gook*",
                     "spic", "spics", "kike*", "yid", "yids", "raghead*", "towelhead*", "sand nigger*", "darkie*",
                     "golliwog*", "gyppo*", "gypo*", "pikey*", "pikies", "tinker*", "wetback*", "jungle bunny",
                     "jungle bunnies", "coconut*", "half-caste*", "half caste*", "muzzie*", "muzzy", "mozzie*",
                     "camel jockey*", "slope", "slopes", "jap", "japs", "kraut*", "polack*", "bog trotter*",
                     "nignog*", "nig nog*", "sambo*", "spade", "spades", "monkey", "monkeys", "ape", "apes",
                     "banana"], "race or religion"),
    **dict.fromkeys(["faggot*", "fag", "fags", "poof*", "poofter*", "puff", "bender*", "dyke*", "lezza*", "lesbo*",
                     "batty boy*", "bum boy*", "shirt lifter*", "homo", "homos", "queer*"], "sexual orientation"),
    **dict.fromkeys(["tranny", "trannies", "shemale*", "he-she", "ladyboy*", "man in a dress",
                     "men in dresses"], "gender reassignment"),
    **dict.fromkeys(["retard*", "spastic*", "spaz*", "spacker*", "mong", "mongs", "mongoloid*", "cripple*",
                     "window licker*", "psycho*", "mental case*", "nutcase*", "schizo*"],
                    "disability"),
    **dict.fromkeys(["slag*", "slut*", "whore*", "bimbo*", "hysterical woman", "hysterical women",
                     "get back in the kitchen", "back to the kitchen", "make me a sandwich"], "sex"),
    **dict.fromkeys(["senile", "old codger*", "old fossil*", "coffin dodger*", "gammon", "boomer*", "wrinklies",
                     "old biddy", "old biddies", "past it"], "age"),
}
# Ambiguous slurs: only when aimed at a person or group, not in ordinary use.
AMBIGUOUS = {"monkey", "monkeys", "ape", "apes", "banana", "slope", "slopes", "spade", "spades",
             "puff", "bender", "benders", "queer", "queers", "homo", "homos", "psycho", "psychos",
             "cripple", "cripples", "past it", "boomer", "boomers", "tinker", "tinkers", "coconut", "coconuts",
             "fag", "fags", "gammon", "senile", "jap", "japs"}

GROUPS = (r"(?:muslims?|islam\w*|jews?|jewish|hindus?|sikhs?|christians?|catholics?|immigrants?|migrants?|asylum seekers?|"
          r"refugees?|foreigners?|travell?ers?|gypsies|roma|blacks?|black people|asians?|africans?|poles|polish|romanians?|"
          r"eastern europeans?|gays?|gay people|lesbians?|homosexuals?|bisexuals?|trans people|trans women|trans men|"
          r"transgender people|women|girls|old people|pensioners|the elderly|disabled people|the disabled|wheelchair users|"
          r"pregnant women|mums|single mothers|unmarried mothers|that lot|these people|those people|their sort|his sort|her sort|"
          r"their kind|his kind|her kind)")
# The same groups as people are spoken of when judged unfit ("women are too emotional to chair"): plural
# nouns only, with the groups that office and service are most often denied to.
PEOPLE = (r"(?:muslims|jews|hindus|sikhs|catholics|immigrants|migrants|asylum seekers|refugees|foreigners|travell?ers|"
          r"gypsies|blacks|black people|asians|africans|romanians|eastern europeans|gays|gay (?:men|people)|lesbians|"
          r"homosexuals|bisexuals|trans (?:people|women|men)|transgender people|women|men|girls|old people|older people|"
          r"pensioners|the elderly|over-?(?:60|65|70|75|80)s|young people|youngsters|teenagers|disabled people|the disabled|"
          r"cripples|wheelchair users|deaf people|blind people|autistic people|people with (?:mental health problems|"
          r"mental illness|disabilities|a disability)|pregnant women|new mums|mothers|single mums|single mothers|"
          r"married women|married couples|same-sex couples|gay couples|divorcees)")
# Words that speak of a protected characteristic, singular or plural, neutral or not: a passage holding one may be
# about who people are, so the conduct model reads it for harassment-discrimination even when the screen (which
# learnt mostly from other rules' breaches) would pass it as civil. Broad on purpose: the model decides.
IDENTITY = caseless(
    r"\b(?:" + GROUPS + r"|" + PEOPLE + r"|trans|transgender|transitioning|they/them|non-binary|gay|lesbian|"
    r"bisexual|queer|same-sex|civil\s+partnerships?|pride|pregnan\w*|expecting|maternity|breastfeed\w*|baby\s+brain|"
    r"disabled|disability|wheelchairs?|deaf\w*|blind|autis\w*|dyslexi\w*|stammer|mental\s+health|dementia|special\s+needs|"
    r"blue\s+badges?|hard\s+of\s+hearing|female|married|divorc\w*|single\s+mums?|pensioners?|elderly|"
    r"old\s+dears|that\s+generation|under-?\d\d|teenagers?|mass|mosque|temple|synagogue|halal|kosher|ramadan|iftar|eid|"
    r"diwali|holi|sharia|headscar(?:f|ves)|hijab|turbans?|prayers|black|asian|chinese|polish|irish|romanian|caribbean|"
    r"english\s+voices|immigra\w*|gypsy|race|racial|accent|religio\w*|christian\s+country|integrate|our\s+sort)\b")
# The author speaking as one of a group ("As a Black woman in local politics…"): about who they are, in their own voice
SPEAKS_AS_ONE = caseless(
    r"\b(?:as\s+an?|i'?m\s+an?|i\s+am\s+an?|we'?re|we\s+are)\s+(?:[\w-]+\s+){0,2}?(?:black|asian|muslim|jewish|hindu|sikh|"
    r"christian|catholic|gay|lesbian|bisexual|trans|disabled|deaf|blind|autistic|woman|women|mum|mother|pensioner|"
    r"immigrant|traveller|refugee)s?\b|\b(?:I'?m|I\s+am|at)\s+\d\d\b(?!\s*(?:%|per|pence|p\b|mph))")
_STEREOTYPE = (r"(?:aggressive|violent|lazy|greedy|dirty|loud|rude|smelly|thick|stupid|dishonest|criminal|angry|"
               r"emotional|hysterical|useless|entitled|sneaky|tight|mean|backward|fat|ugly|weird|creepy)")
_UNFIT = (r"(?:emotional|hormonal|hysterical|old|slow|senile|doddery|weak|soft|thick|stupid|simple|backward|fragile|"
          r"unstable|irrational|dim|feeble)")
DEHUMANISING = [
    # praise that is only for one of a group, and "not what it used to be" said of people
    r"\b(?:decent|good|not\s+bad|well|clever|smart)\b[^.!?]{0,30}\bfor\s+an?\s+(?:girl|woman|lady|pensioner|foreigner|immigrant|"
    r"muslim|gay|disabled|wheelchair\s+user|old\s+(?:man|woman|lady))\b",
    r"\bput\s+(?:him|her|them)\s+out\s+to\s+pasture\b",
    r"\b(?:used\s+to\s+be|was\s+once)\s+proper\s+english\b|\bhalf\s+foreign\b",
    # a group named by the aid or dress that marks it, as a troop: "the wheelchair brigade", "the turban brigade"
    r"\b(?:wheelchair|zimmer(?:\s+frame)?|mobility\s+scooter|walking\s+stick|turban|burka|burqa|hijab|headscarf|blue[- ]rinse|"
    r"pram|buggy|rainbow|pride)\s+(?:brigade|mafia|squad|mob)\b",
    # "if they don't like Christmas there are plenty of other countries"
    r"\bif\s+(?:they|you|them)\s+(?:don'?t|do\s+not)\s+like\s+(?:it|christmas|our\s+\w+|how\s+we\s+do\s+things(?:\s+here)?)"
    r"[^.!?]{0,30}?\b(?:plenty\s+of\s+(?:other\s+)?(?:countries|places|flights)|go\s+back|they\s+can\s+leave|you\s+can\s+leave)",
    rf"\b{GROUPS}\s+(?:are|is|=)\s+(?:all\s+)?(?:just\s+)?(?:an?\s+)?(?:vermin|animals|parasites|rats|cockroaches|a plague|a disease|"
    rf"a cancer|scum|filth|savages|subhuman|sub-human|inferior|dirty|criminals|terrorists|rapists|a burden|a drain|"
    rf"leeches|invaders|an infestation|not (?:real|proper|normal)|disgusting|unnatural|an abomination|sick|perverts?|"
    rf"groomers?|mentally ill|freaks)\b",
    rf"\b(?:get rid of|deport|ban|send back|kick out|keep out|round up|gas|shoot|hang)\s+(?:all\s+)?(?:the\s+)?{GROUPS}",
    rf"\b(?:keep|get|kick|throw|send|drive|run)\s+(?:all\s+)?(?:the\s+|these\s+|those\s+)?{GROUPS}\s+(?:out|away|back|off)\b",
    rf"\b(?:no|not any more|fewer)\s+{GROUPS}\s+(?:allowed|wanted|welcome|here|please)\b",
    r"\b(?:go|send (?:them|him|her|you))\s+back\s+(?:to\s+)?(?:where|whence)\s+(?:they|you|he|she)\s+(?:came|come)\s+from\b",
    r"\bgo\s+back\s+(?:home\s+)?to\s+(?:your|their|his|her)\s+own\s+country\b",
    r"\b(?:go|get)\s+back\s+to\s+(?:africa|pakistan|india|poland|romania|the jungle|your country)\b",
    r"\b(?:prayer room|mosque|synagogue|temple|gurdwara|church)\s+for\s+(?:that lot|them lot|those people|these people)\b",
    r"\b(?:great replacement|white genocide|14/88|1488|zog|jewish question|globalist bankers|rootless cosmopolitans?|"
    r"white pride worldwide|kalergi|(?:\(\(\().*?(?:\)\)\)))",
    r"\b(?:women|a woman|she)\s+(?:should|shouldn'?t|can'?t|cannot)\s+(?:be|stand|chair|run|lead)\b.*\b(?:council|chair|leader|in charge|politics)\b",
    r"\b(?:too old|too disabled|too pregnant|pregnant women shouldn'?t|off on maternity again|another baby)\b",
    r"\b(?:not a real (?:woman|man)|born a man|born a woman|(?:he|she)'?s really a (?:man|woman))\b",
    r"\b(?:gay|gays|homosexuals?|trans)\s+(?:agenda|lobby|propaganda)\b",
    # a group declared unfit for office, service or company, or given one vice as a whole ("men are all
    # useless"); one pattern, so the long list of groups is scanned once
    rf"\b{PEOPLE}\s+(?:(?:should(?:n'?t| not)|must(?:n'?t| not))\s+be\s+(?:allowed|let|trusted|anywhere near|near|on|"
    rf"in charge|chairing|running|councillors|clerks|governors)\b|(?:can'?t|cannot)\s+be\s+trusted\b|"
    rf"(?:have|has)\s+no\s+(?:business|place)\s+(?:on|in|being|running|chairing|near)\b|"
    rf"(?:are|is)\s+(?:all\s+|just\s+|simply\s+)?too\s+{_UNFIT}\s+(?:to|for)\b|breed\s+like\b|"
    rf"(?:are|is)\s+all\s+(?:just\s+)?(?:{_STEREOTYPE}|useless|liars|thieves|scroungers|fakers|moaners|parasites|"
    rf"lazy\s+\w+|useless\s+\w+)\b)",
    rf"\bwhy\s+(?:are|is)\s+(?:all\s+)?(?:the\s+)?{PEOPLE}\s+(?:always\s+|all\s+|so\s+)+{_STEREOTYPE}\b",
    # told to be quiet, or talked down to, by their sex or age ("sit down, sweetheart", "pipe down, grandad")
    r"\b(?:sit|calm|pipe|settle)\s+down,?\s+(?:sweetheart|sweetie|darling|dear|love|luv|missy|little\s+lady|"
    r"young\s+lady|grandad|granddad|grandpa|grandma|granny|gran|sonny|old\s+man|old\s+girl)\b",
    r"\bthat'?s\s+so\s+gay\b|\bno homo\b",
    # put-downs of one person by sex, age, race or disability, in the forms they usually take
    r"\btypical\s+(?:woman|women|female|foreigner|immigrant|muslim|jew|old\s+(?:man|woman|git|fool))\b",
    r"\bonly\s+got\s+(?:elected|the\s+job|picked|chosen|selected|in)\s+because\s+(?:of\s+)?(?:her|his|she'?s|he'?s)\s+"
    r"(?:legs|looks|figure|a\s+woman|a\s+man|female|black|asian|gay|skin|colour|race|gender|sex)\b",
    r"\b(?:her|his|their|your)\s+lot\s+(?:weren'?t|were\s+not|aren'?t|are\s+not)\s+(?:even\s+)?(?:from\s+|born\s+)?here\b",
    r"\bspeak\s+(?:proper\s+)?english\s*!|\bcouldn'?t\s+understand\s+a\s+word\s+of\s+(?:that|his|her|their)\s+accent\b",
    r"\b(?:her|she'?s|the\s+chair'?s)\s+(?:hormones|hormonal|menopausal)\b|\bget\s+her\s+an?\s+hrt\b",
    r"\bok(?:ay)?,?\s+boomer\b",
    r"['‘]disabled['’],?\s+apparently\b|\bso[- ]called\s+disabled\b",
    r"\b(?:stop|less\s+time)\s+breeding\b",
]
# Hostility beside an emoji that stands for a protected group ("🏳️‍🌈➡️🔥", "💣🧕", "🌈🤮")
_IDENTITY_EMOJI = r"🏳️‍🌈|🏳️‍⚧️|🏳‍🌈|🏳‍⚧|🌈|🧕|🕌|☪️?|✡️?|🕍|🕎|👳\S?|🤰\S?|🫃|♿️?|🦽|🦼|👵|👴|🧓"
_HOSTILE_EMOJI = r"🤮|🤢|💩|🔥|💣|💥|🧨|🔪|🗡️?|🔫|☠️?|💀|🪓|🗑️?|🤡|🐷|🐖|🐒|🦍|🐀"
_IDENTITY_GATE = re.compile("[🏳🌈🧕🕌☪✡🕍🕎👳🤰🫃♿🦽🦼👵👴🧓]")  # a cheap scan first: most texts hold none
_HOSTILE_BESIDE_IDENTITY = re.compile(
    rf"(?:{_IDENTITY_EMOJI})[\s➡️→=]{{0,4}}(?:{_HOSTILE_EMOJI})|(?:{_HOSTILE_EMOJI})[\s➡️→=]{{0,4}}(?:{_IDENTITY_EMOJI})")
_NOT_WITH_RAINBOW = ("🔥", "💥")  # a rainbow on fire is as often delight as hate
_DEHUMANISING = [caseless(p) for p in DEHUMANISING]
# Not 🙈: the see-no-evil monkey is how people say "how embarrassing" ("Locked myself out again 🙈")
EMOJI_TAUNTS = re.compile(r"(?:🐒|🐵|🦍|🍌|🐷|🐖|🐽)")
_CONDEMN = caseless(
    r"\b(?:unacceptable|not acceptable|isn'?t acceptable|racist|racism|homophobic|homophobia|transphobic|"
    r"sexist|sexism|ableist|bigot(?:ed|ry)?|hate speech|hateful|disgraceful|appalling|condemn\w*|no place|reported|"
    r"(?:racial\s+)?slurs?|offensive|abusive|hurtful|unkind|jibes?|taunts?|deleted|removed|not (?:ok|okay)|(?:phrase|word|term|expression|language)s?|"
    r"(?:got|was|been|being|get)\s+told|"
    r"stand with|stand against|should be ashamed|vile|shocking|out of order|won'?t tolerate|will not tolerate|called (?:me|us|him|her|them)|"
    r"won'?t be (?:silenced|shut up|driven out|bullied)|will not be (?:silenced|driven out|bullied))\b")
_SELF_REFERENCE = caseless(
    r"\b(?:as an?|i'?m an?|i am an?|we'?re|we are|us|we|proud(?:ly)?(?: to be)?(?: an?)?)\s+(?:\w+\s+){0,2}"
    r"(?:queer|gay|dyke|disabled|cripple|crip|trans|old|bender)")
_NAMED_AS_A_THING = caseless(r"\s*(?:emojis?|comments?|posts?|messages?|graffiti|insults?)\b")
# Someone else's words, reported: "a customer called the barber a 'raghead'" (not "I called him…")
_REPORTED = caseless(r"(?<!\bI )(?<!\bwe )\b(?:called|calling|shouted|yelled|said|wrote|posted|scrawled|sprayed|painted)\b")
# Words quoted from graffiti, a note, a voicemail or a comment, to report them: "'… go home' sprayed on the underpass"
_REPORTED_QUOTE = caseless(
    r"\b(?:saying|says|said|reads?|reading|written|wrote|sprayed|scrawled|painted|daubed|graffiti|stickers?|notes?|"
    r"leaflets?|messages?|voicemails?|transcript|comments?|shouted|yelled|chanted|called|posted|left|"
    r"told\s+(?:me|us|him|her|them))\b")
# Ordinary words that share letters with a slur, and names that reclaim one
_INNOCENT = caseless(r"faggots?\s+(?:and|&|with|in)\s+(?:peas|mash|gravy|onions?)\b|dykes\s+on\s+bikes\b|"
                     r"retardants?\b|retardation\b")
# Slurs that are also tools or a fond name, and the words before them that make them so
_ALSO_THINGS = {"spade", "spades", "monkey", "monkeys"}
_AN_OBJECT = caseless(r"\b(?:with|bring|brought|grab|grabbed|need|borrow|lend|garden|call\s+a|spreadsheet|code|grease|"
                      r"cheeky|brass|powder|little|data|office|desk)\s+(?:a\s+|my\s+|your\s+|the\s+)?$")
# Slurs that are also surnames: "Lorraine Dykes", "Mr Coon" (capitalised, after a capitalised word)
_SURNAMES = frozenset({"dykes", "dyke", "coon", "spade", "tinker", "bender", "slope", "darkie", "gammon"})
_NAME_BEFORE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?|\b[A-Z][a-z]+)\s+$")
# A claim put in order to deny it: "Nobody is 'too old' to be a councillor"
_NOBODY = caseless(r"\b(?:nobody|no one|no-one|none of (?:us|them))\s+(?:is|are|was|were)\s+(?:ever\s+)?['\"‘“]?$")
_AIMED = caseless(r"\b(?:you|your|he|she|they|them|him|her|that lot|these people|those people|is an?|are|'s an?|what an?|such an?|bunch of|like an?|like)\b")


def _lexicon() -> Lexicon:
    lex = getattr(_lexicon, "cached", None)
    if lex is None:
        lex = _lexicon.cached = Lexicon(SLURS)
    return lex


def slurs(ctx: Context) -> list[tuple[int, int, bool]]:
    """Every slur in the text as (start, end, excused): excused when quoted to condemn or report it, reclaimed,
    or innocent (memoised; the conduct model's gate asks whose words a passage's slurs are)."""
    return ctx.memo("discrimination.slurs", lambda: [(m.start, m.end, _excused(ctx, m.start, m.end))
                                                      for m in _lexicon().finditer(ctx.norm)])


@detector("discrimination.protected-characteristic")
def protected_characteristic(ctx: Context, params):
    """Slurs, dehumanising remarks, dog-whistles and emoji taunts about protected characteristics."""
    text = ctx.text
    doc = ctx.doc
    for m in _lexicon().finditer(ctx.norm):
        term = m.term.rstrip("*")
        if _excused(ctx, m.start, m.end):
            continue
        if term in AMBIGUOUS and not _aimed(text, m.start, m.end):
            continue
        if term in _ALSO_THINGS and _AN_OBJECT.search(text, max(0, m.start - 24), m.start):
            continue  # "I'll be there with a spade", "a glorified spreadsheet monkey", "you cheeky monkey"
        yield Hit(spans=((m.start, m.end),), score=0.95 if term not in AMBIGUOUS else 0.75,
                  why=f"\u201c{text[m.start:m.end]}\u201d is offensive on grounds of {m.value}.",
                  data={"detector": "discrimination.protected-characteristic", "characteristic": m.value})
    for rx in _DEHUMANISING:
        for m in rx.finditer(text):
            if _excused(ctx, m.start(), m.end()):
                continue
            yield Hit(spans=((m.start(), m.end()),), score=0.9,
                      why=f"\u201c{m.group(0)}\u201d demeans people for who they are (a protected characteristic).",
                      data={"detector": "discrimination.protected-characteristic"})
    for m in _HOSTILE_BESIDE_IDENTITY.finditer(text) if _IDENTITY_GATE.search(text) else ():
        pair = m.group(0)
        if "🌈" in pair and "🏳" not in pair and any(e in pair for e in _NOT_WITH_RAINBOW):
            continue
        if _excused(ctx, m.start(), m.end()):
            continue
        yield Hit(spans=((m.start(), m.end()),), score=0.9,
                  why="An emoji of hostility (vomit, fire, a bomb, a clown) beside one that stands for a protected "
                      "group is a taunt about who people are.",
                  data={"detector": "discrimination.protected-characteristic"})
    for m in EMOJI_TAUNTS.finditer(text):
        if _excused(ctx, m.start(), m.end()):
            continue
        sent = doc.sentence_at(m.start())
        if _aimed(text, sent.start, sent.end) or re.search(r"\b(?:cllr|councillor|mr|mrs|ms)\b", text[sent.start:sent.end], re.I):
            yield Hit(spans=((m.start(), m.end()),), score=0.7,
                      why="An animal emoji aimed at a person is a common racist taunt.",
                      data={"detector": "discrimination.protected-characteristic"})


def _excused(ctx: Context, start: int, end: int) -> bool:
    """Quoted to condemn or report, counter-speech, or reclaimed self-reference."""
    doc = ctx.doc
    sent = doc.sentence_at(start)
    around = ctx.text[max(0, sent.start - 200):min(len(ctx.text), sent.end + 200)]
    if doc.others_words(start, end) and _CONDEMN.search(around):
        return True
    if doc.in_quote(start, end) and _REPORTED_QUOTE.search(around):
        return True
    if _SELF_REFERENCE.search(ctx.text[sent.start:end + 5]):
        return True
    if _INNOCENT.match(ctx.text, start):
        return True
    word = ctx.text[start:end]
    if re.search(rf"\b(?:called|calls|calling)\s+me\s+(?:an?\s+)?[\"'“‘]?{re.escape(word)}\b", ctx.text[:start], re.IGNORECASE):
        return True  # "Someone called me a 'dyke' on Facebook. Yep. A dyke with a seat on the council": taken back
    if _NAMED_AS_A_THING.match(ctx.text, end) and _CONDEMN.search(ctx.text[sent.start:sent.end]):
        return True  # "the 🐒 emojis posted under her photo have been reported"
    if word[:1].isupper() and word.lower() in _SURNAMES and start > sent.start \
            and _NAME_BEFORE.search(ctx.text, max(sent.start, start - 30), start):
        return True
    if _NOBODY.search(ctx.text, sent.start, start):
        return True
    if doc.others_words(start, end) and _REPORTED.search(ctx.text[sent.start:start]):
        return True
    if _CONDEMN.search(ctx.text[sent.start:sent.end]) and re.search(
            r"\b(?:calling|call|called|use|using|used|words? like|terms? like|shout(?:ed|ing)?)\b",
            ctx.text[sent.start:start], re.IGNORECASE):
        return True
    return False


def _aimed(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 40):min(len(text), end + 20)]
    return bool(_AIMED.search(window))
