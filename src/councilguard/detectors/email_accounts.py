"""E-mail accounts: council business on the author's own personal account, and sign-ups with council ones.

Section 6 is about the *author's own* personal account: sending council business from it, or
forwarding, copying or auto-forwarding council mail to it. Writing from a council address to a
resident at the resident's own address is normal correspondence and never a finding here.
"""

from __future__ import annotations

import re

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless
from councilguard.text.council_words import LOCAL_KIND

BUSINESS = caseless(
    r"\b(?:council\w*|cllrs?|parish|clerk|precept|budget|agenda|minutes|meeting|committee|planning|application|"
    r"allotments?|grant|motion|resolution|consultation|tender|contract|invoice|audit|accounts|residents?|"
    r"complaint|councillor|rfo|draft|confidential|fwd|fw|forwarded)\b")
AUTO_FORWARD = caseless(r"\b(?:auto-?forward\w*|forwarding\s+rule|redirect\s+(?:all\s+)?(?:my\s+)?(?:council\s+)?(?:e-?mail|mail))\b")


def _local_part_names(address: str) -> set[str]:
    local = address.split("@", 1)[0].lower()
    return set(re.findall(r"[a-z]{3,}", local))


def _is_authors_personal(ctx: Context, address: str) -> bool:
    """A non-council address that is the author's own: listed in the profile, or bearing their name."""
    address = address.strip().lower()
    if not address or ctx.council.is_council_address(address):
        return False
    member = ctx.author_member
    if member is not None and address in member.personal_emails:
        return True
    name = member.name if member else (ctx.message.author.name or "")
    parts = [p.lower() for p in re.findall(r"[A-Za-z]{3,}", name)]
    if not parts:
        return False
    local = address.split("@", 1)[0].lower()
    surname = parts[-1]
    # "jameslowe1962", "j.lowe", "lowe.james": the surname plus the first name or an initial.
    if surname in local and (len(parts) == 1 or parts[0] in local or re.search(rf"(?:^|[._-]){parts[0][0]}[._-]?{surname}", local)):
        return True
    return False


PERSONAL_EMAIL = "personal-email"  # held alone: consent for any personal account of the author's


def consented_addresses(ctx: Context) -> frozenset[str]:
    """The personal accounts the Proper Officer consented to one by one ("personal-email:jim@example.org", as
    the register records a consent asked for one account); a plain "personal-email" covers any."""
    prefix = f"{PERSONAL_EMAIL}:"
    return frozenset(a[len(prefix):].strip().lower() for a in ctx.authorisations if a.startswith(prefix))


@detector("email.personal-account")
def personal_account(ctx: Context, params):
    """Council business sent from, or forwarded/copied to, the author's own personal account, unless the
    Proper Officer consented to that account."""
    msg = ctx.message
    if not msg.is_email or ctx.holds(PERSONAL_EMAIL):
        return
    is_council_person = ctx.author_member is not None or ctx.council.is_council_address(msg.author.email)
    if not is_council_person:
        return
    allowed = consented_addresses(ctx)

    def consented(address: str) -> bool:
        return address.strip().lower() in allowed

    content = f"{msg.subject or ''}\n{msg.text}"
    business = bool(BUSINESS.search(content)) or msg.forwarded
    sender = (msg.from_ or "").strip().lower()
    if sender and not ctx.council.is_council_address(sender) and business and not consented(sender):
        yield Hit(spans=_subject_span(msg), field="subject" if msg.subject else "text", score=0.9,
                  why=f"Council business is being sent from {sender}, which is not a council address.",
                  data={"detector": "email.personal-account", "address": sender})
        return
    own = [r for r in msg.recipients if _is_authors_personal(ctx, r) and not consented(r)]
    if own and (business or AUTO_FORWARD.search(content)):
        how = "forwarded" if msg.forwarded or re.match(r"\s*(?:fwd?|fw):", msg.subject or "", re.IGNORECASE) else "sent"
        yield Hit(spans=_subject_span(msg), field="subject" if msg.subject else "text", score=0.9,
                  why=f"Council mail is being {how} to {', '.join(own)}, which looks like your own personal account.",
                  data={"detector": "email.personal-account", "address": own[0]})
        return
    m = AUTO_FORWARD.search(content)
    if m and sender and ctx.council.is_council_address(sender):
        others = [r for r in msg.recipients if not ctx.council.is_council_address(r)]
        if others and all(consented(r) for r in others):
            return  # forwarding to the very account the Proper Officer consented to
        if not others and any(a in content.lower() for a in allowed):
            return
        if others or re.search(r"\b(?:gmail|hotmail|outlook|yahoo|icloud|btinternet|personal)\b", content, re.IGNORECASE):
            yield Hit(spans=((m.start(), m.end()),) if m.start() > len(msg.subject or "") else (), score=0.7,
                      why="Setting up auto-forwarding of council mail to a personal account needs the Proper Officer's consent.",
                      data={"detector": "email.personal-account"})


def _subject_span(msg) -> tuple[tuple[int, int], ...]:
    if msg.subject:
        return ((0, len(msg.subject)),)
    return ((0, min(len(msg.text), 80)),) if msg.text else ()


SIGNUP = caseless(
    r"\b(?:welcome\s+to|thanks?\s+(?:you\s+)?for\s+(?:registering|signing\s+up|subscribing|joining|creating\s+an?\s+account)|"
    r"confirm\s+your\s+(?:account|email|e-mail|subscription|registration)|verify\s+your\s+(?:account|email|e-mail)|"
    r"your\s+(?:new\s+)?account\s+(?:has\s+been|is)\s+(?:created|ready|set\s+up)|activate\s+your\s+account|"
    r"you'?(?:ve|\s+have)\s+(?:been\s+)?(?:subscribed|registered|signed\s+up)|subscription\s+(?:is\s+)?confirmed|"
    r"complete\s+your\s+registration|order\s+confirmation|your\s+order\s+(?:has\s+been|is)\s+(?:placed|confirmed|dispatched))\b")
PERSONAL_SITES = caseless(
    r"\b(?:shop\w*|store|amazon|ebay|etsy|asos|argos|deals?|discount|basket|checkout|facebook|instagram|tiktok|twitter|"
    r"snapchat|dating|match\.com|tinder|netflix|spotify|newsgroup|forum|reddit|club|rewards|loyalty|casino|bet\w*|"
    r"newsletter|vouchers?|offers?|fashion|holiday|games?)\b")
# The sector's own bodies and their newsletters are council business, not a personal site
SECTOR = caseless(
    rf"\b(?:NALC|SLCC|One\s+Voice\s+Wales|Scotland'?s\s+Community\s+Councils|(?:county\s+)?association\s+of\s+"
    rf"(?:local|parish|town)\s+councils|\w+\s+ALC|for\s+(?:{LOCAL_KIND}|local)\s+council(?:lor)?s|"
    rf"(?:{LOCAL_KIND}|local)\s+council(?:lor)?s'?\s+(?:newsletter|bulletin|briefing))\b")
SECTOR_ONLY = {"newsletter", "forum", "club", "offers", "offer"}  # words a sector body's mail uses too
SIGN_UP_ACTION = caseless(
    r"\b(?:please\s+)?(?:subscribe|sign)\s+(?:me\s+)?(?:up\s+)?(?:to|for)\b|\bregister(?:ed)?\s+(?:me\s+)?(?:for|with|on)\b|"
    r"\b(?:signed|signing)\s+up\s+(?:to|for|with|on)\b|\bcreated?\s+an?\s+account\b")


@detector("email.council-signup", on_received=True)
def council_signup(ctx: Context, params):
    """A council address registered with a shopping, social or newsgroup site."""
    msg = ctx.message
    content = f"{msg.subject or ''}\n{msg.text}"
    offset = len(msg.subject or "") + 1
    if msg.is_email and msg.is_received:
        sender = msg.from_ or ""
        if ctx.council.is_council_address(sender) or not any(ctx.council.is_council_address(r) for r in msg.recipients):
            return
        m = SIGNUP.search(content)
        if m and (PERSONAL_SITES.search(content) or PERSONAL_SITES.search(sender)):
            yield _hit(msg, m, offset, f"A sign-up message from {sender} shows a council address was used to register.")
        return
    if msg.is_email:
        sender = (msg.from_ or "").strip().lower()
        if not ctx.council.is_council_address(sender):
            return
        m = SIGN_UP_ACTION.search(content)
        if m and PERSONAL_SITES.search(content) and not _sector_business(content):
            yield _hit(msg, m, offset, f"This asks to register the council address {sender} with a personal site.")
        return
    m = re.search(r"\b(?:signed|signing|sign)\s+up\s+(?:to|for|with|on)\b.{0,80}\b(?:council|work)\s+(?:e-?mail|address)\b|"
                  r"\bregistered\s+.{0,60}\bwith\s+my\s+council\s+(?:e-?mail|address)\b", msg.text, re.IGNORECASE)
    if m:
        yield Hit(spans=((m.start(), m.end()),), score=0.8, why="It says a council e-mail address was used to sign up.",
                  data={"detector": "email.council-signup"})


def _sector_business(content: str) -> bool:
    """A sign-up to the sector's own newsletter or forum ("the One Voice Wales newsletter for community councillors")."""
    return bool(SECTOR.search(content)) and all(
        w.group(0).lower() in SECTOR_ONLY for w in PERSONAL_SITES.finditer(content))


def _hit(msg, m: re.Match, offset: int, why: str) -> Hit:
    if m.start() < offset - 1:
        return Hit(spans=((m.start(), m.end()),), field="subject", score=0.85, why=why,
                   data={"detector": "email.council-signup"})
    return Hit(spans=((m.start() - offset, m.end() - offset),), score=0.85, why=why,
               data={"detector": "email.council-signup"})
