"""Personal data in a text, as spans: what the records side proposes to redact.

Part of the checker's public API, so records and the web app never reach into detector internals.
It runs the same recognisers as the ``personal-data`` rule (UK patterns: phone, e-mail, postcode,
street address, NI and NHS numbers, bank details, dates of birth) plus people's names (spaCy NER,
and the council's roster), but reports every item rather than judging whether sharing it breaches the
policy: an FOI or subject access response must weigh each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from councilguard.detectors.pii_engine import find_patterns, find_people
from councilguard.policy import Pack

PERSON = "PERSON"


@dataclass(frozen=True)
class PersonalItem:
    """One piece of personal data: its kind (PERSON, PHONE_NUMBER, EMAIL_ADDRESS, UK_POSTCODE…) and span."""

    kind: str
    start: int
    end: int
    text: str
    score: float


def find_personal_data(text: str, pack: Pack | None = None, *, names: bool = True) -> list[PersonalItem]:
    """Every personal-data item in ``text``, sorted by position, overlaps resolved (longer, surer first).

    With a pack, roster names (councillors, staff and their aliases) are found too, even where NER
    misses them. ``names=False`` skips NER (fast: patterns only).
    """
    found = [PersonalItem(f.entity, f.start, f.end, text[f.start:f.end], f.score) for f in find_patterns(text)]
    if names:
        found += [PersonalItem(PERSON, f.start, f.end, text[f.start:f.end], f.score) for f in find_people(text)]
        if pack is not None:
            found += _roster_names(text, pack)
    kept: list[PersonalItem] = []
    for item in sorted(found, key=lambda i: (-(i.end - i.start), -i.score, i.start)):
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda i: i.start)


def _roster_names(text: str, pack: Pack) -> list[PersonalItem]:
    import re

    out = []
    council = pack.council_file
    for person in [council.proper_officer, *council.staff, *council.councillors]:
        for name in {person.name, *person.aliases}:
            for m in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
                out.append(PersonalItem(PERSON, m.start(), m.end(), m.group(0), 1.0))
    return out
