"""UK personal-data pattern recognisers for Presidio, scored by the words around each match.

Presidio ships recognisers for National Insurance numbers, NHS numbers and postcodes (the first and
last off by default), and none for UK phone numbers, sort codes, account numbers, dates of birth or
street addresses. This module supplies the full UK set as ordinary Presidio ``PatternRecognizer``s.

Context is read from the raw text around each match (``enhance_using_context``, Presidio's own hook
for recogniser-level context) rather than from spaCy lemmas, so the whole pattern pass runs on
Presidio's no-op NLP engine: regexes only, well under a millisecond for a post. A match with no
supporting context keeps a low score (a bare ``12-34-56`` is not a sort code), and the analysis
keeps only what scores at least :data:`KEEP`. Each recogniser also has a ``GATE``, a cheap search
that tells when it cannot find anything worth keeping, so that it is not run at all.
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    NhsRecognizer,
    UkNinoRecognizer,
    UkPostcodeRecognizer,
)

from councilguard.detectors.pii_entities import (  # noqa: F401 - re-exported for the recognisers' users
    ACCOUNT, ADDRESS, DOB, EMAIL, ENTITIES, KEEP, NHS, NINO, PHONE, POSTCODE, SORT_CODE, phone_kind,
)

_CASE_SENSITIVE = re.MULTILINE  # patterns that rely on capital letters (street names)
_ENHANCED = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY


class _NearbyContext:
    """Mixin: raise a result's score when a context pattern occurs near it in the same sentence.

    ``CONTEXT_RE`` is searched in up to ``BEFORE`` characters before the match and ``AFTER``
    characters after it. Results are marked as enhanced so Presidio's lemma enhancer leaves them.
    """

    CONTEXT_RE: ClassVar[re.Pattern]
    CONTEXT_SCORE: ClassVar[float] = 0.85
    GATE: ClassVar[re.Pattern]  # searched in the lower-cased text: no match, no need to run this recogniser
    BEFORE: ClassVar[int] = 45
    AFTER: ClassVar[int] = 25

    def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results,
                              nlp_artifacts, context=None):
        for result in raw_recognizer_results:
            before, after = _around(text, result.start, result.end, self.BEFORE, self.AFTER)
            result.score = self.rescore(result, text, before, after)
            result.recognition_metadata[_ENHANCED] = True
        return raw_recognizer_results

    def rescore(self, result: RecognizerResult, text: str, before: str, after: str) -> float:
        if self.CONTEXT_RE.search(before) or self.CONTEXT_RE.search(after):
            return max(result.score, self.CONTEXT_SCORE)
        return result.score


_CLAUSE_END = re.compile(r"\n|(?<!\b(?:no|nos|tel|mob|mr|mrs|ms|dr|st|nr|approx|a/c))[.!?](?:\s|$)", re.IGNORECASE)


def _around(text: str, start: int, end: int, before: int, after: int) -> tuple[str, str]:
    """Text just before and after a span, cut at line breaks and sentence ends."""
    head = text[max(0, start - before):start]
    last = None
    for last in _CLAUSE_END.finditer(head):
        pass
    if last is not None:
        head = head[last.end():]
    tail = text[end:end + after]
    stop = _CLAUSE_END.search(tail)
    return head, (tail[:stop.start()] if stop else tail)


# --- Presidio's own recognisers, with raw-text context -------------------------------------------


class UkNino(_NearbyContext, UkNinoRecognizer):
    """National Insurance number (Presidio's pattern: valid prefixes, suffix A–D)."""

    GATE = re.compile(r"\d\d ?\d\d ?\d\d ?[a-d]\b")
    CONTEXT_RE = re.compile(r"national\s+insurance|\bN\.?I\.?\b|\bnino\b", re.I)
    CONTEXT_SCORE = 0.95

    def __init__(self):
        super().__init__(name="UkNino")


class UkNhs(_NearbyContext, NhsRecognizer):
    """NHS number: ten digits passing the mod-11 check, kept only with a health word nearby
    (one ten-digit reference number in eleven passes the check by chance)."""

    GATE = re.compile(r"nhs|health|patient")  # below KEEP without them
    PATTERNS = [Pattern("NHS number", r"\b([0-9]{3})[- ]?([0-9]{3})[- ]?([0-9]{4})\b", 0.4)]
    CONTEXT_RE = re.compile(r"\bnhs\b|national\s+health|health\s+(?:service|number)|patient", re.I)
    CONTEXT_SCORE = 0.95

    def __init__(self):
        super().__init__(patterns=self.PATTERNS, name="UkNhs")

    def validate_result(self, pattern_text: str) -> None:
        return None  # a passing checksum alone is 1 in 11 of all ten-digit numbers: keep the base score

    def invalidate_result(self, pattern_text: str) -> bool:
        digits = re.sub(r"\D", "", pattern_text)
        return len(set(digits)) == 1 or not super().validate_result(pattern_text)


class UkPostcode(_NearbyContext, UkPostcodeRecognizer):
    """UK postcode (Presidio's pattern). Alone it names a street, not a person: low unless asked for."""

    GATE = re.compile(r"\d[a-z]{2}\b")
    CONTEXT_RE = re.compile(r"post\s?code|address|lives?\b|living|home|house", re.I)
    CONTEXT_SCORE = 0.6

    def __init__(self):
        super().__init__(name="UkPostcode")

    def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results,
                              nlp_artifacts, context=None):
        results = super().enhance_using_context(text, raw_recognizer_results, other_raw_recognizer_results,
                                                nlp_artifacts, context)
        streets = [r for r in other_raw_recognizer_results if r.entity_type == ADDRESS]
        for r in results:  # the end of a full address ("14 Frankland Road, Croxley Green WD3 3HR")
            if any(0 <= r.start - s.end <= 40 and "\n" not in text[s.end:r.start] for s in streets):
                r.score = max(r.score, self.CONTEXT_SCORE)
        return results


class Email(_NearbyContext, EmailRecognizer):
    """E-mail address (Presidio's pattern and its tldextract check, run offline)."""

    GATE = re.compile(r"@")
    CONTEXT_RE = re.compile(r"e-?mail|contact|address|write\s+to", re.I)

    def __init__(self):
        super().__init__(name="Email")


# --- recognisers Presidio lacks for the UK ------------------------------------------------------


class UkPhone(_NearbyContext, PatternRecognizer):
    """UK phone number: mobiles (07…), geographic landlines (01…, 02…) and +44 forms.

    Validated with ``phonenumbers`` for length and range. Ofcom's drama ranges (07700 900xxx,
    01632 960xxx…) are "possible" but not "valid" numbers, and appear in examples: they are accepted.
    Non-geographic 03/08/09 numbers belong to organisations and are not taken.
    """

    GATE = re.compile(r"\d\d\d")
    PATTERNS = [Pattern("UK phone", r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?\d(?:[ \-]{0,2}\d){8,9}"
                                    r"|\(0\d{2,4}\)\s?\d(?:[ \-]?\d){5,7}|0\d(?:[ \-]{0,2}\d){8,9})(?!\d)", 0.6)]
    CONTEXT_RE = re.compile(r"phone|mobile|\bmob\b|\btel\b|number|\bcall|\bring\b|\btext\b|whats\s?app|contact|"
                            r"landline|\bon\s*:?\s*$", re.I)

    def __init__(self):
        super().__init__(supported_entity=PHONE, patterns=self.PATTERNS, name="UkPhone")

    def invalidate_result(self, pattern_text: str) -> bool:
        return phone_kind(pattern_text) is None


class UkSortCode(_NearbyContext, PatternRecognizer):
    """Bank sort code nn-nn-nn. Dates look the same, so it needs a banking word nearby."""

    GATE = re.compile(r"sort|bank|account|a/c|acc|bacs|pay")  # below KEEP without them
    PATTERNS = [Pattern("sort code", r"(?<![\d/.\-])\d{2}[-\u2013 ]\d{2}[-\u2013 ]\d{2}(?![\d/.\-])", 0.3)]
    CONTEXT_RE = re.compile(r"sort\s*-?code|\bbank|account|\ba/c\b|\bacc(?:t|ount)?\b|\bbacs\b|pay(?:ment)?s?\b", re.I)
    BEFORE, AFTER = 60, 40

    def __init__(self):
        super().__init__(supported_entity=SORT_CODE, patterns=self.PATTERNS, name="UkSortCode")


class UkBankAccount(_NearbyContext, PatternRecognizer):
    """Eight-digit bank account number: only with a banking word nearby."""

    GATE = re.compile(r"account|a/c|acc|bank|sort|bacs")  # below KEEP without them
    PATTERNS = [Pattern("account number", r"(?<![\d\-/.])\d{8}(?![\d\-/])", 0.1)]
    CONTEXT_RE = re.compile(r"account|\ba/c\b|\bacc(?:t)?\b|\bbank|sort\s*-?code|\bbacs\b", re.I)
    BEFORE, AFTER = 60, 30

    def __init__(self):
        super().__init__(supported_entity=ACCOUNT, patterns=self.PATTERNS, name="UkBankAccount")


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"


class DateOfBirth(_NearbyContext, PatternRecognizer):
    """A date that is someone's birth date: "born", "DOB", "date of birth" nearby, or a birthday
    that gives the age or the year ("her 80th birthday on 3 May"). A date alone is not personal."""

    GATE = re.compile(r"born|d\.?o\.?b|birth")  # below KEEP without them
    PATTERNS = [
        Pattern("numeric date", r"\b(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:19|20)?\d{2}\b", 0.2),
        Pattern("day month year", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+(?:19|20)\d{{2}})?\b", 0.2),
        Pattern("month day year", rf"\b{_MONTH}\s+{_DAY},?\s+(?:19|20)\d{{2}}\b", 0.2),
    ]
    # "born on", "DOB:", "date of birth is": the date follows within a few words.
    CONTEXT_RE = re.compile(r"(?:\bborn|\bd\.?o\.?b\.?|date\s+of\s+birth|birth\s*date)\W+(?:[a-z]+\W+){0,3}$", re.I)
    _BIRTHDAY = re.compile(r"birthday", re.I)
    _AGE_OR_YEAR = re.compile(r"\b\d{1,3}(?:st|nd|rd|th)\s+birthday|(?:19|20)\d{2}", re.I)
    BEFORE, AFTER = 60, 30

    def __init__(self):
        super().__init__(supported_entity=DOB, patterns=self.PATTERNS, name="DateOfBirth")

    def rescore(self, result, text, before, after):
        if self.CONTEXT_RE.search(before):
            return 0.85
        span = text[result.start:result.end]
        near = before + " " + after
        if self._BIRTHDAY.search(near) and (self._AGE_OR_YEAR.search(near) or self._AGE_OR_YEAR.search(span)):
            return 0.75
        return result.score


_SUFFIX = (r"Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Cres|Gardens|Gdns|Court|Ct|"
           r"Place|Pl|Grove|Hill|Square|Sq|Terrace|Walk|Rise|Mews|Green|Parade|Row|Vale|View|Park|Mead|"
           r"Chase|Gate|End|Wharf|Yard|Heights|Common")
_WELSH_STREET = r"Heol|Ffordd|Stryd|L[oô]n|Maes|Bro|Rhodfa|Teras|Cilgant|Clos|Parc|Cae|Llys|Ystad|Rhes|Tir|Pant|Bryn"
_WELSH_WORD = r"[A-Z\u00c0-\u017f][\w'\u2019]+"
_AMBIGUOUS_SUFFIX = re.compile(r"(?:Green|Hill|Park|View|Court|Place|Gate|End|Common|Walk|Row|Way|Vale)$")
_NAME_WORD = r"(?:St\.?\s+)?[A-Z][a-z'\u2019]+(?:-[A-Z][a-z'\u2019]+)?"
# Lower-case words that may follow an address ("5 The Green has…"); any other ("Green residents")
# shows that the "street" was a noun phrase.
_ADDRESS_FOLLOWERS = frozenset(
    "is has was were are and or in on for now to where which who with at by from last this yesterday today since "
    "but so had have will would can could should again near next opposite until every".split())
_COUNT_WORD = re.compile(r"(?:over|about|around|some|nearly|almost|than|top|all|every|only|just|least|"
                         r"approximately|roughly|page|item|minute|hour|the|these|those)\s*$", re.I)


class UkStreetAddress(_NearbyContext, PatternRecognizer):
    """A house number and street: "14 Frankland Road", "Flat 2, 3 High Street", "5a The Green".

    Case-sensitive (street names are capitalised). A number that reads as a count ("over 200 Croxley
    Green residents") is not an address.
    """

    GATE = re.compile(r"\d")
    PATTERNS = [Pattern(
        "house number and street",
        rf"(?:\b(?:Flat|Apartment|Apt\.?|Unit)\s+\d{{1,4}}[A-Za-z]?,?\s+)?(?<![\d£$.,:/])\b\d{{1,4}}[A-Za-z]?,?\s+"
        rf"(?:The\s+(?:{_NAME_WORD}\s+){{0,2}}|(?:{_NAME_WORD}\s+){{1,3}})(?:{_SUFFIX})\b",
        0.6,
    ), Pattern(
        # Welsh street names put the kind of street first: "3 Heol y Felin", "12 Maes y Llan", "7 Bro Dinefwr"
        "house number and Welsh street",
        rf"(?<![\d£$.,:/])\b\d{{1,4}}[A-Za-z]?,?\s+(?:{_WELSH_STREET})\s+(?:(?:y|yr)\s+|[\w]+['\u2019]r\s+)?"
        rf"{_WELSH_WORD}(?:\s+{_WELSH_WORD})?",
        0.6,
    )]
    CONTEXT_RE = re.compile(r"\blives?\b|\bliving\b|address|\bhome\b|\bhouse\b|\bat\s*$|\bof\s*$|moved", re.I)
    CONTEXT_SCORE = 0.75

    def __init__(self):
        super().__init__(supported_entity=ADDRESS, patterns=self.PATTERNS, name="UkStreetAddress",
                         global_regex_flags=_CASE_SENSITIVE)

    def rescore(self, result, text, before, after):
        if _COUNT_WORD.search(before) and not re.match(r"(?:Flat|Apartment|Apt|Unit)\b", text[result.start:]):
            return 0.0
        span = text[result.start:result.end].rstrip(".")
        following = re.match(r"\s+([a-z]+)", after)
        if _AMBIGUOUS_SUFFIX.search(span) and following and following.group(1) not in _ADDRESS_FOLLOWERS:
            return 0.0  # "200 Croxley Green residents", "3 Park attendants"
        return super().rescore(result, text, before, after)


_HOUSE_KIND = (r"Farm|Farmhouse|Cottage|Cottages|House|Lodge|Barn|Manor|Grange|Bungalow|Villa|Rectory|Vicarage|"
               r"Mill|Croft|Smallholding")
_WELSH_HOUSE = r"T[yŷ]|Bryn|Plas|Hafod|Llety|Bron|Nant|Cefn|Glan|Fferm|Bwthyn|Pen|Pant|Gelli|Llwyn"
_PUBLIC_HOUSE = re.compile(r"\b(?:Council|Town|Village|Community|Civic|Memorial|Public|Parish|Court|Guild|Meeting|"
                           r"Station|Custom|Leisure|Opera|Hospital|Care|Nursing)\s", re.I)
_LOCALITY = r"[A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+){0,2}"
_POSTCODE_AHEAD = r"(?=,?\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b)"


class UkNamedHouse(_NearbyContext, PatternRecognizer):
    """A house known by its name, with its locality, ending at a postcode: "Holly Farm, Lower Road, WD3 3HJ",
    "Ty Gwyn, Salem, SA19 7NN". Rural addresses have no house number, so the street pattern misses them;
    the postcode that follows (scored as the end of an address by :class:`UkPostcode`) is what makes
    a house name an address. Public buildings ("the Village Hall", "Council House") are not homes."""

    GATE = re.compile(r"\d[a-z]{2}\b")
    PATTERNS = [Pattern(
        "house name, locality, postcode",
        rf"\b(?:(?:The\s+)?(?:[A-Z][\w'\u2019\-]+\s+){{1,2}}(?:{_HOUSE_KIND})|(?:{_WELSH_HOUSE})\s+[A-Z][\w'\u2019\-]+)"
        rf"(?:,\s*{_LOCALITY}){{0,3}}{_POSTCODE_AHEAD}",
        0.6,
    )]
    CONTEXT_RE = UkStreetAddress.CONTEXT_RE
    CONTEXT_SCORE = UkStreetAddress.CONTEXT_SCORE

    def __init__(self):
        super().__init__(supported_entity=ADDRESS, patterns=self.PATTERNS, name="UkNamedHouse",
                         global_regex_flags=_CASE_SENSITIVE)

    def rescore(self, result, text, before, after):
        if _PUBLIC_HOUSE.search(text[result.start:result.end] + " "):
            return 0.0
        return super().rescore(result, text, before, after)


def uk_recognisers() -> list[PatternRecognizer]:
    """Fresh instances of every recogniser the personal-data analysis runs."""
    return [UkPhone(), Email(), UkStreetAddress(), UkNamedHouse(), UkPostcode(), UkNino(), UkNhs(), UkSortCode(),
            UkBankAccount(), DateOfBirth()]
