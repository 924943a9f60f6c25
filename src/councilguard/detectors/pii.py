"""Personal data: the ``pii`` detector family (``pii.personal-data`` and ``pii.sensitive-facts``).

The policy forbids sending "confidential or sensitive information relating to individuals" over
social media or e-mail outside the council's approved secure system. That means another person's
home address, personal phone or e-mail, date of birth, National Insurance or NHS number, bank
details, and facts about their health, criminal record, children or complaints, when the person is
identifiable. It does not mean a name on its own, the author's own contact details, or a public
official's work contact used for their work (the Clerk's office number, a councillor's council
e-mail). Quoting or forwarding someone's data publishes it again, so quotation does not excuse it.

Order of work, for speed: the UK pattern recognisers run over the whole text (regexes only); people
are then looked for only near what they found, and spaCy's NER only where a name is still needed.
Mail that stays inside the council's secure domains is not checked at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.pii_engine import Found, find_patterns, find_people
from councilguard.detectors.pii_facts import CATEGORIES, DESCRIBE, Fact, find_cues, tie_facts
from councilguard.detectors.pii_people import NAME, PRONOUN, QUOTED, RELATION, TITLE, Mention, People
from councilguard.detectors.pii_entities import (
    ACCOUNT, ADDRESS, DOB, EMAIL, NHS, NINO, PHONE, POSTCODE, SORT_CODE, phone_kind,
)
from councilguard.detectors.registry import detector
from councilguard.model import Fix
from councilguard.text.document import Span
from councilguard.text.caseless import caseless

Kind = Literal["phone", "email", "address", "nino", "nhs", "bank", "dob"]
Category = Literal["health", "criminal", "child", "complaint"]

_KIND = {PHONE: "phone", EMAIL: "email", ADDRESS: "address", POSTCODE: "address", NINO: "nino", NHS: "nhs",
         SORT_CODE: "bank", ACCOUNT: "bank", DOB: "dob"}
# entity -> (what it is, what to call it in a fix label, the redaction)
_WORDS = {
    PHONE: ("a phone number", "phone number", "[phone number removed]"),
    EMAIL: ("an e-mail address", "e-mail address", "[e-mail address removed]"),
    ADDRESS: ("a home address", "address", "[address removed]"),
    POSTCODE: ("a home postcode", "postcode", "[postcode removed]"),
    NINO: ("a National Insurance number", "National Insurance number", "[NI number removed]"),
    NHS: ("an NHS number", "NHS number", "[NHS number removed]"),
    SORT_CODE: ("a bank sort code", "sort code", "[sort code removed]"),
    ACCOUNT: ("a bank account number", "account number", "[account number removed]"),
    DOB: ("a date of birth", "date of birth", "[date of birth removed]"),
}
_CONTACT = (PHONE, EMAIL, ADDRESS, POSTCODE)
_COUNCIL_KINDS = (*_CONTACT, SORT_CODE, ACCOUNT)  # what the council itself publishes for its business
QUOTED_WRITER = "the writer of the quoted or forwarded text"
_FREE_MAIL = caseless(r"@(?:gmail|googlemail|hotmail|outlook|live|msn|yahoo|ymail|icloud|me|mac|aol|btinternet|"
                        r"btopenworld|sky|virginmedia|ntlworld|blueyonder|talktalk|tiscali|protonmail|proton|"
                        r"gmx|mail|zoho|fastmail|plus\.net|hushmail)\.")
_ROLE_MAILBOX = caseless(r"^(?:info|enquiries|enquiry|admin|office|hello|contact|bookings?|secretary|clerk|"
                           r"sales|support|mail|team|no-?reply|help|events|membership|chair|treasurer|"
                           r"webmaster|press|media|reception|accounts|general)@")
_DETAIL = (r"(?:(?:new|home|work|personal|private|own|mobile|e-?mail|phone|postal|full|direct|contact)\s+){0,2}"
           r"(?:number|mobile|phone|landline|tel|e-?mail(?:\s+address)?|address|home|house|flat|details|"
           r"contact|dob|date\s+of\s+birth|birthday|ni\s+number|national\s+insurance(?:\s+number)?|"
           r"nhs\s+number|bank(?:\s+details)?|account(?:\s+number)?|sort\s+code)s?\b")
_TAIL = r"[^.!?\n]{0,40}$"
_FIRST_OWN = caseless(
    rf"(?:\b(?:my|our)\s+{_DETAIL}|\b(?:call|ring|text|phone|contact|e-?mail|message|whats\s?app|reach|"
    rf"write\s+to|visit)\s+(?:me|us)\b|\bI(?:['\u2019]m|\s+am)?\s+(?:live|living|based|at)\b|"
    rf"\bI\s+was\s+born\b|\bwe\s+(?:live|are\s+at)\b|\bme\s+(?:on|at)\b){_TAIL}",
)
_THIRD_OWN = caseless(rf"\b(?P<p>his|her|their)\s+{_DETAIL}{_TAIL}")
_SECOND_OWN = caseless(rf"\b(?:your|you(?:['\u2019]re|\s+are)\s+(?:at|on))\s*(?:{_DETAIL})?{_TAIL}")
_WORK = caseless(r"\b(?:council|clerk|office|offices|officer|surgery|parish|town\s+hall|village\s+hall|"
                   r"community\s+cent(?:re|er)|library|reception|switchboard|enquiries|helpline)\b")
_PERSONAL = caseless(r"\b(?:home|personal|private|lives?|living|house|own)\b")
# Words that join a person to their address: "Mrs Jenkins at", "Bob Jones, who lives at", "Tom's house is at".
_TIE_BEFORE = caseless(
    r"(?:(?:\s|,|\(|-|\u2013|\u2014)+|['\u2019]s\b|\b(?:who|which|now|still|has|have|had|just|recently|moved|"
    r"moving|lives|living|live|resides|is|are|was|house|home|address|flat|at|of|from|in|on|to|no\.?|number|the|"
    r"a|whose|currently|new)\b)*$")
_ADDRESS_OWNER_AFTER = caseless(r"[\s,]*(?:is|was)\s+(?:where|the\s+home\s+of|home\s+to|owned\s+by)\s|"
                                  r"[\s,]*(?:belongs\s+to|is\s+the\s+address\s+of)\s")
_SIGN_OFF = caseless(r"^\s*(?:best\s+wishes|kind\s+regards|warm\s+regards|regards|many\s+thanks|thanks|thank\s+you|"
                       r"cheers|yours\s+(?:sincerely|faithfully|truly)|best|all\s+the\s+best|with\s+thanks)[,.!]?\s*$", re.MULTILINE)
_ABBREVIATION_END = caseless(r"\b(?:No|Nos|Mr|Mrs|Ms|Dr|St|Rd|Cllr|Revd|Rev|Prof|Flat|Apt|approx|nr|tel)\.$")


class PersonalDataParams(BaseModel):
    """Which kinds of personal data to report (all by default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kinds: tuple[Kind, ...] = ("phone", "email", "address", "nino", "nhs", "bank", "dob")


class SensitiveFactsParams(BaseModel):
    """Which kinds of sensitive fact to report (all by default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    categories: tuple[Category, ...] = CATEGORIES


@dataclass(frozen=True)
class _Item:
    found: Found
    subject: Mention | None
    score: float


@dataclass(frozen=True)
class _Analysis:
    items: tuple[_Item, ...]
    facts: tuple[Fact, ...]
    people: People


@detector("pii.personal-data", params=PersonalDataParams)
def personal_data(ctx: Context, params: PersonalDataParams) -> Iterable[Hit]:
    """Another person's contact details, identity numbers, bank details or date of birth."""
    if in_secure_system(ctx):
        return []
    items = [i for i in _analyse(ctx).items if _KIND[i.found.entity] in params.kinds]
    groups: dict[str, list[_Item]] = {}
    for item in items:
        key = item.subject.label if item.subject else ""
        groups.setdefault(key, []).append(item)
    return [_data_hit(ctx.text, label, group) for label, group in groups.items()]


@detector("pii.sensitive-facts", params=SensitiveFactsParams)
def sensitive_facts(ctx: Context, params: SensitiveFactsParams) -> Iterable[Hit]:
    """Health, criminal record, a child's details or a complaint, tied to an identifiable person."""
    if in_secure_system(ctx):
        return []
    return [_fact_hit(ctx.text, f) for f in _analyse(ctx).facts if f.category in params.categories]


def in_secure_system(ctx: Context) -> bool:
    """E-mail whose sender and every recipient are on the council's secure domains."""
    m = ctx.message
    if not m.is_email or not m.recipients:
        return False
    sender = m.from_ or m.author.email
    return all(ctx.council.is_secure_address(a) for a in (sender, *m.recipients))


# --- analysis shared by both detectors ----------------------------------------------------------


def _analyse(ctx: Context) -> _Analysis:
    return ctx.memo("pii.analysis", lambda: _compute(ctx))


def _compute(ctx: Context) -> _Analysis:
    text = ctx.text
    found = find_patterns(text)
    addresses = [(f.start, f.end) for f in found if f.entity == ADDRESS]
    author = ctx.author_member.name if ctx.author_member else ctx.message.author.name
    people = People(text, _sentences(ctx), ctx.council, author, find_names=find_people, addresses=addresses)

    cues = find_cues(text)

    def judge_all() -> tuple[list[_Item], list[Fact]]:
        items = [i for i in (_judge(ctx, people, f) for f in found) if i is not None]
        return items, tie_facts(text, cues, people, second_person_is_recipient=_is_direct(ctx))

    if not found and not cues:
        return _Analysis((), (), people)
    people.collecting = True  # a dry run records which sentences need names from spaCy…
    judge_all()
    people.fetch_names()  # …and one NER call answers them all
    items, facts = judge_all()
    return _Analysis(tuple(items), tuple(facts), people)


def _sentences(ctx: Context) -> list[Span]:
    """The document's sentences, rejoined where one was cut after "No." or "Mrs."."""
    out: list[Span] = []
    for s in ctx.doc.sentences:
        if out and _ABBREVIATION_END.search(ctx.text[out[-1].start:out[-1].end]) \
                and "\n" not in ctx.text[out[-1].end:s.start]:
            out[-1] = Span(out[-1].start, s.end)
        else:
            out.append(s)
    return out


def _judge(ctx: Context, people: People, f: Found) -> _Item | None:
    """Keep a recogniser result when it is an identifiable other person's data; say whose."""
    text, value = ctx.text, ctx.text[f.start:f.end]
    sentence = people.sentences[people.sentence_index(f.start)]
    prefix = text[sentence.start:f.start][-100:]
    if f.entity == EMAIL and _exempt_address(ctx, value):
        return None
    quoted = ctx.doc.in_quote(f.start, f.end)
    first_person = not _THIRD_OWN.search(prefix) and bool(_FIRST_OWN.search(prefix))  # "her number" wins
    if quoted and first_person:  # "my number is…" in a quote or forwarded mail: not the author's
        writer = Mention(f.start, f.start, QUOTED_WRITER, QUOTED)
        return _Item(f, writer, _score(f, writer))
    if first_person or (not quoted and _in_signature(text, f.start, people.author_name)):
        return None
    direct = _is_direct(ctx)
    if direct and _SECOND_OWN.search(prefix):
        return None  # "your address": the recipient's own details, sent to them
    clause = text[sentence.start:sentence.end]
    personal = bool(_PERSONAL.search(clause)) or (f.entity == EMAIL and _personal_mailbox(ctx, value))
    subject = _subject(text, people, f, prefix)
    official = subject is None or subject.member is not None or subject.kind == PRONOUN
    if f.entity in _COUNCIL_KINDS and official and not personal and _WORK.search(clause):
        return None  # the council's own contact or bank details, used for council business
    if subject is None:
        return None if f.entity in _CONTACT else _Item(f, None, f.score)  # contact details tied to nobody
    if people.is_author(subject) or (direct and people.is_recipient(subject)):
        return None
    if f.entity in _CONTACT and subject.member is not None and not personal:
        return None  # a councillor's or officer's work contact
    return _Item(f, subject, _score(f, subject))


def _personal_mailbox(ctx: Context, address: str) -> bool:
    """A free-mail address, or one the council profile lists as someone's personal address."""
    v = address.lower()
    return bool(_FREE_MAIL.search(v)) or any(v in m.personal_emails for m in ctx.council.members)


def _subject(text: str, people: People, f: Found, prefix: str) -> Mention | None:
    own = _THIRD_OWN.search(prefix)
    if own:
        start = f.start - len(prefix) + own.start("p")
        return people.resolve(Mention(start, start + len(own.group("p")), own.group("p"), PRONOUN))
    you = _SECOND_OWN.search(prefix)
    if you:  # in a public post, "your address is…" publishes the addressee's details
        start = f.start - len(prefix) + you.start()
        return Mention(start, start + len(you.group(0).split()[0]), "you", PRONOUN)
    if f.entity in (ADDRESS, POSTCODE):
        return _address_subject(text, people, f)
    return people.subject_before(f.start, limit=120) or people.subject_after(f.end)


def _address_subject(text: str, people: People, f: Found) -> Mention | None:
    """Whose address: a person joined to it by "at", "of", "lives at"…, or a relation ending in it."""
    i = people.sentence_index(f.start)
    for m in people.mentions(i, names=False):
        if m.kind == RELATION and m.start < f.start and m.end >= f.end:
            return m  # "the resident at 14 Frankland Road"
    after = _ADDRESS_OWNER_AFTER.match(text, f.end)
    if after:
        owner = people.subject_after(after.end() - 1, limit=30)
        if owner is not None:
            return owner
    tie = _TIE_BEFORE.search(text, people.sentences[i].start, f.start)
    if not tie.group(0).strip():
        return None  # nothing joins the address to a name before it
    end = tie.start()  # where the owner's name would end
    last = re.search(r"[A-Za-z]+$", text[max(0, end - 30):end])
    return people.mention_ending_at(end, names=bool(last) and people.could_be_name(last.group(0)))


def _exempt_address(ctx: Context, value: str) -> bool:
    """The council's own addresses, the author's own, and organisations' shared mailboxes."""
    v = value.lower()
    mine = {(ctx.message.author.email or "").lower()}
    if ctx.author_member is not None:
        mine |= {(ctx.author_member.email or "").lower(), *ctx.author_member.personal_emails}
    return ctx.council.is_council_address(v) or v in mine or bool(_ROLE_MAILBOX.match(v))


def _in_signature(text: str, pos: int, author: str) -> bool:
    """In the sign-off block at the end of the text (after "Best wishes" or the author's name)."""
    if len(text) - pos > 250:
        return False
    lines = text[:pos].splitlines()[-5:]
    full = author.lower()
    first = full.split()[0] if full else ""

    def signs(line: str) -> bool:
        said = line.strip().lower().rstrip(",")
        return bool(_SIGN_OFF.match(line)) or bool(full) and len(said) < 50 and (full in said or said == first)

    return any(signs(line) for line in lines[:-1] or lines)


def _is_direct(ctx: Context) -> bool:
    """Mail or a direct message: "you" is the person it goes to, not the public."""
    return ctx.message.is_email or ctx.message.kind == "message"


def _score(f: Found, subject: Mention | None) -> float:
    """Contact details tied to a person are as sure as the tie; identifiers keep their own score."""
    if subject is None or f.entity not in _CONTACT:
        return f.score
    tie = {TITLE: 0.9, NAME: 0.9, RELATION: 0.85, QUOTED: 0.8}.get(subject.kind, 0.75)
    return round(max(f.score, tie), 3)


# --- hits ---------------------------------------------------------------------------------------


def _describe(text: str, f: Found) -> str:
    value = text[f.start:f.end]
    what = _WORDS[f.entity][0]
    if f.entity == PHONE:
        what = "a personal mobile number" if phone_kind(value) == "mobile" else "a phone number"
    elif f.entity == EMAIL and _FREE_MAIL.search(value):
        what = "a personal e-mail address"
    return f"{what} ({' '.join(value.split())})"


def _data_hit(text: str, label: str, group: list[_Item]) -> Hit:
    parts = [_describe(text, i.found) for i in group]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    why = f"It gives {listed}" + (f" of {label}." if label else ".")
    fixes = tuple(Fix(label=f"Redact the {_WORDS[i.found.entity][1]}", start=i.found.start, end=i.found.end,
                      replacement=_WORDS[i.found.entity][2]) for i in group)
    return Hit(spans=tuple((i.found.start, i.found.end) for i in group), why=why,
               score=max(i.score for i in group), fixes=fixes,
               data={"detector": "pii.personal-data", "kinds": [i.found.entity for i in group], "subject": label})


def _fact_hit(text: str, fact: Fact) -> Hit:
    cue = " ".join(text[fact.start:fact.end].split())
    who = fact.subject.label
    why = f"It shares {DESCRIBE[fact.category].format(who=who)} (\u201c{cue}\u201d)."
    spans = [(fact.start, fact.end)]
    fixes = []
    s = fact.subject
    if s.kind in (TITLE, NAME, RELATION) and not (fact.start <= s.start and s.end <= fact.end):
        spans.insert(0, (s.start, s.end))
    if s.kind in (TITLE, NAME) and not (fact.start <= s.start and s.end <= fact.end):
        fixes.append(Fix(label="Remove the name", start=s.start, end=s.end, replacement="[name removed]"))
    fixes.append(Fix(label=f"Remove the {fact.category} detail", start=fact.start, end=fact.end,
                     replacement=f"[{fact.category} details removed]"))
    return Hit(spans=tuple(sorted(spans)), why=why, score=fact.score, fixes=tuple(fixes),
               data={"detector": "pii.sensitive-facts", "category": fact.category, "subject": who})
