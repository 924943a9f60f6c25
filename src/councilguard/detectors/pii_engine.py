"""Finding personal-data patterns and people's names, loading Presidio and spaCy only on first need.

The pattern pass runs Presidio's UK recognisers on its no-op NLP engine (regexes only) over the whole
text, but only when the text has a digit or an "@"; spaCy's NER runs on the few sentences that need a
name found. Importing Presidio imports spaCy (about a second), so both live in pii_presidio and are
imported here on first use: a message with nothing to look at never pays for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from councilguard.detectors.pii_entities import ADDRESS, KEEP, POSTCODE

_NEEDS_A_LOOK = re.compile(r"[\d@]")


@dataclass(frozen=True)
class Found:
    """One recogniser result: entity type, span into the analysed text, score after context."""

    entity: str
    start: int
    end: int
    score: float


def find_patterns(text: str) -> list[Found]:
    """Every UK personal-data pattern in ``text`` scoring at least KEEP, overlaps resolved."""
    if not _NEEDS_A_LOOK.search(text):
        return []  # every pattern needs a digit, or the @ of an e-mail address
    from councilguard.detectors.pii_presidio import pattern_analyzer  # Presidio + spaCy: on first need

    analyzer = pattern_analyzer()
    lowered = text.lower()
    entities = [e for r in analyzer.registry.recognizers if r.GATE.search(lowered) for e in r.supported_entities]
    if not entities:
        return []
    results = analyzer.analyze(text=text, language="en", entities=entities, score_threshold=KEEP)
    found = [Found(r.entity_type, r.start, r.end, round(float(r.score), 3)) for r in results]
    return _merge_postcodes(text, _resolve_overlaps(found))


def _resolve_overlaps(found: list[Found]) -> list[Found]:
    """Keep the best of overlapping results: higher score first, then the longer span."""
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (-f.score, -(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def _merge_postcodes(text: str, found: list[Found]) -> list[Found]:
    """Fold a postcode (and the town before it) into the street address it follows."""
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (f.entity == POSTCODE and prev is not None and prev.entity == ADDRESS and f.start - prev.end <= 40
                and re.fullmatch(r"[\s,A-Za-z]*", text[prev.end:f.start])):
            out[-1] = Found(ADDRESS, prev.start, f.end, max(prev.score, f.score))
        else:
            out.append(f)
    return out


def find_people(text: str) -> list[Found]:
    """PERSON entities in a (short) text, by spaCy NER through Presidio."""
    if not text.strip():
        return []
    from councilguard.detectors.pii_presidio import ner_analyzer

    results = ner_analyzer().analyze(text=text, language="en", entities=["PERSON"])
    return sorted((Found(r.entity_type, r.start, r.end, round(float(r.score), 3)) for r in results),
                  key=lambda f: f.start)
