"""The council profile as detectors use it: who is a councillor or staff, what is the council's own.

Built once per pack from ``council.yaml``; every look-up here is a dict or set access so detectors can
ask freely on the hot path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from councilguard.policy.schema import CouncilFile, Person

Kind = str  # "councillor" | "staff" | "proper-officer"

TITLES = ("cllr", "councillor", "mr", "mrs", "ms", "miss", "dr")


@dataclass(frozen=True)
class Member:
    """A person on the roster, with the ways a post may name them."""

    name: str
    kind: Kind
    role: str | None
    email: str | None
    personal_emails: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    def names(self) -> list[str]:
        """Full name, titled surname, aliases; lower case. A bare surname is only a name with a title."""
        out = {self.name.lower(), *(a.lower() for a in self.aliases)}
        prefixes = ("cllr", "councillor") if self.kind == "councillor" else ("mr", "mrs", "ms", "miss", "dr")
        for title in prefixes:
            out.add(f"{title} {self.surname.lower()}")
            out.add(f"{title}. {self.surname.lower()}")
            out.add(f"{title} {self.name.lower()}")
        return sorted(out, key=len, reverse=True)


class Council:
    """Derived, indexed view of a :class:`CouncilFile`."""

    def __init__(self, profile: CouncilFile):
        self.profile = profile
        info = profile.council
        self.name = info.name
        self.short_names = tuple(info.short_names)
        self.domains = tuple(d.lower() for d in info.domains)
        self.secure_domains = tuple(d.lower() for d in (profile.secure_systems or info.domains))
        self.official_accounts = tuple(info.official_accounts)
        self.places = tuple(info.places)
        self.other_authorities = tuple(info.other_authorities)
        members: list[Member] = []
        seen: set[str] = set()
        po = profile.proper_officer
        members.append(_member(po, "proper-officer"))
        seen.add(po.name.lower())
        for p in profile.staff:
            if p.name.lower() not in seen:
                members.append(_member(p, "staff"))
                seen.add(p.name.lower())
        for p in profile.councillors:
            members.append(_member(p, "councillor"))
        self.members = tuple(members)
        self._by_email = {m.email.lower(): m for m in members if m.email}
        self._by_name = {m.name.lower(): m for m in members}

    # --- people ---------------------------------------------------------------------------
    def member_by_email(self, address: str | None) -> Member | None:
        return self._by_email.get((address or "").strip().lower())

    def member_by_name(self, name: str | None) -> Member | None:
        return self._by_name.get((name or "").strip().lower())

    def of_kind(self, *kinds: Kind) -> list[Member]:
        return [m for m in self.members if m.kind in kinds]

    @cached_property
    def role_words(self) -> dict[str, tuple[str, ...]]:
        """Words that identify a member of staff by role alone ("the clerk", "the groundsman")."""
        words: dict[str, list[str]] = {}
        for m in self.of_kind("staff", "proper-officer"):
            for token in re.findall(r"[a-z]+", (m.role or "").lower()):
                if token not in _NOT_ROLE_WORDS:
                    words.setdefault(token, []).append(m.name)
        return {k: tuple(v) for k, v in words.items()}

    @cached_property
    def post_holders(self) -> dict[str, Member]:
        """The one member holding each single-holder post (clerk, deputy clerk, RFO, proper officer, chair,
        vice-chair), from the roles on the roster; a post two members' roles name is left out."""
        holders: dict[str, list[Member]] = {}
        for member in self.members:
            for post, rx in _POSTS.items():
                if (member.role and rx.search(member.role.strip())) or (post == "proper officer"
                                                                        and member.kind == "proper-officer"):
                    holders.setdefault(post, []).append(member)
        return {post: found[0] for post, found in holders.items() if len(found) == 1}

    def post_holder(self, said: str) -> Member | None:
        """Who holds the post named as ``said`` ("Deputy Clerk", "vice-chairman", "RFO"), if one member does."""
        low = " ".join(said.lower().replace("-", " ").split())
        post = "vice-chair" if low.startswith("vice chair") else "chair" if low.startswith("chair") else \
            "rfo" if low.startswith("responsible") else low
        return self.post_holders.get(post)

    # --- addresses ------------------------------------------------------------------------
    def is_council_address(self, address: str | None) -> bool:
        domain = _domain(address)
        return bool(domain) and any(domain == d or domain.endswith("." + d) for d in self.domains)

    def is_secure_address(self, address: str | None) -> bool:
        domain = _domain(address)
        return bool(domain) and any(domain == d or domain.endswith("." + d) for d in self.secure_domains)

    def is_official_handle(self, channel: str, handle: str) -> bool:
        h = handle.lstrip("@").lower()
        return any(a.channel == channel and a.handle.lstrip("@").lower() == h for a in self.official_accounts)

    # --- consents -------------------------------------------------------------------------
    def consents_for(self, name: str | None, on: date | None = None) -> set[str]:
        """Standing consents recorded in the profile for ``name`` that have not expired."""
        if not name:
            return set()
        today = on or date.today()
        return {
            c.grants
            for c in self.profile.consents
            if c.person.lower() == name.lower() and (c.expires is None or c.expires >= today)
        }


# How a single-holder post is written in a roster role ("Clerk and Proper Officer", "Deputy Clerk and RFO", "Chair")
_POSTS = {
    "clerk": re.compile(r"^(?:the\s+)?(?:parish\s+|town\s+|locum\s+)?clerk\b", re.IGNORECASE),
    "deputy clerk": re.compile(r"\bdeputy\s+clerk\b", re.IGNORECASE),
    "rfo": re.compile(r"\b(?:rfo|responsible\s+financial\s+officer)\b", re.IGNORECASE),
    "proper officer": re.compile(r"\bproper\s+officer\b", re.IGNORECASE),
    "chair": re.compile(r"^chair(?:man|woman|person)?(?:\s+of\s+the\s+council)?$", re.IGNORECASE),
    "vice-chair": re.compile(r"^vice[- ]chair(?:man|woman|person)?$", re.IGNORECASE),
}
_NOT_ROLE_WORDS = {"and", "the", "of", "to", "officer", "proper", "deputy", "events", "communications",
                   "maintenance", "grounds", "assistant", "senior", "chair", "vice", "council",
                   "responsible", "financial", "finance", "parish", "town", "manager", "support"}


def _member(p: Person, kind: Kind) -> Member:
    return Member(
        name=p.name,
        kind=kind,
        role=p.role or p.title,
        email=p.email,
        personal_emails=tuple(e.lower() for e in p.personal_emails),
        aliases=tuple(p.aliases),
    )


def _domain(address: str | None) -> str:
    address = (address or "").strip().lower().rstrip(">")
    return address.rsplit("@", 1)[1] if "@" in address else ""
