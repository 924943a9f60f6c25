"""A lexicon finds whole-word terms in normalised text and reports spans of the original."""

from __future__ import annotations

import pytest

from councilguard.text.lexicon import Lexicon, LexMatch
from councilguard.text.normalise import normalise

TERMS = {
    "idiot*": "insult",
    "stupid": "insult",
    "clown*": "insult",
    "fool": "insult",
    "loser": "insult",
    "scum": "insult",
    "crook": "insult",
    "ass": "rude",
    "good": "praise",
    "crawl back under": "phrase",
    "crawl": "verb",
    "two-faced": "insult",
    "fuck you": "rude",
    "monkey": "slur",
}
LEX = Lexicon(TERMS)

# (text, [(term, original text of the span)])
CASES = [
    ("Cllr H is a 🤡", [("clown*", "🤡")]),
    ("Cllr H is a clown", [("clown*", "clown")]),
    ("ɪdɪot", [("idiot*", "ɪdɪot")]),
    ("what an іdiot", [("idiot*", "іdiot")]),  # Cyrillic і
    ("you i d i o t", [("idiot*", "i d i o t")]),
    ("you i d i o t s", [("idiot*", "i d i o t s")]),
    ("id\u200biot", [("idiot*", "id\u200biot")]),
    ("1d10t", [("idiot*", "1d10t")]),
    ("st00pid", [("stupid", "st00pid")]),
    ("STUUUPID!", [("stupid", "STUUUPID")]),
    ("idiots and idiotic", [("idiot*", "idiots"), ("idiot*", "idiotic")]),
    ("you fooooool", [("fool", "fooooool")]),
    ("1oser", [("loser", "1oser")]),
    ("Ioser", [("loser", "Ioser")]),
    ("a c-r-o-o-k", [("crook", "c-r-o-o-k")]),
    ("go crawl  back\nunder a rock", [("crawl back under", "crawl  back\nunder")]),
    ("just crawl", [("crawl", "crawl")]),
    ("two faced, twofaced, two-faced", [("two-faced", "two faced"), ("two-faced", "twofaced"),
                                        ("two-faced", "two-faced")]),
    ("well 🖕🏻", [("fuck you", "🖕🏻")]),
    ("🐒🐒", [("monkey", "🐒"), ("monkey", "🐒")]),
    ("@ss", [("ass", "@ss")]),
    # must not fire inside words, on near misses, or on ordinary text
    ("Class 3 passed the assessment", []),
    ("a classic idiom", []),
    ("god is good", [("good", "good")]),  # "good" with one o only when the original had a run
    ("fol", []),
    ("iame", []),
    ("I am a councillor", []),
    ("£18,000 in 2027, call 07700 900123 or j.smith@croxley.gov.uk", []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0] for c in CASES])
def test_matches_map_to_original_spans(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(m.term, text[m.start : m.end]) for m in LEX.finditer(normalise(text))]
    assert found == expected


def test_match_carries_value_and_offsets() -> None:
    text = "Cllr H is a 🤡"
    (m,) = LEX.finditer(normalise(text))
    assert m == LexMatch(12, 13, "clown*", "insult")


def test_longest_term_wins_at_the_same_place() -> None:
    lex = Lexicon({"crawl": 1, "crawl back": 2, "crawl back under": 3})
    assert [m.value for m in lex.finditer(normalise("crawl back under it"))] == [3]
    assert [m.value for m in lex.finditer(normalise("crawl back"))] == [2]


def test_refused_tolerant_match_falls_back_to_another_term() -> None:
    lex = Lexicon({"good": "praise", "god": "deity"})
    assert [(m.term, m.start, m.end) for m in lex.finditer(normalise("god"))] == [("god", 0, 3)]
    assert [m.term for m in lex.finditer(normalise("goooood"))] == ["good"]


def test_search_and_plain_strings() -> None:
    assert LEX.search(normalise("what a 🤡"))
    assert LEX.search("what a 1d10t")
    assert not LEX.search("a classic assessment")


def test_empty_lexicon_matches_nothing() -> None:
    lex: Lexicon[int] = Lexicon({})
    assert len(lex) == 0
    assert list(lex.finditer("idiot")) == []
    assert not lex.search("idiot")


@pytest.mark.parametrize("term", ["", "   ", "*", "id*ot", "idiot**"])
def test_bad_terms_are_refused(term: str) -> None:
    with pytest.raises(ValueError, match="bad lexicon term"):
        Lexicon({term: 1})


def test_terms_that_start_or_end_with_punctuation() -> None:
    lex = Lexicon({"(((": "echo", "14/88": "code"})
    found = [(m.value, m.start, m.end) for m in lex.finditer("(((them))) and 14/88")]
    assert found == [("echo", 0, 3), ("code", 15, 20)]
    assert not lex.search("1488 and 214/88")


def test_term_that_normalises_to_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="normalises to nothing"):
        Lexicon({"🙄": 1})


def test_terms_are_normalised_like_the_text() -> None:
    lex = Lexicon({"naïve": 1, "ﬁlthy": 2})
    assert [m.value for m in lex.finditer("how naive, how filthy")] == [1, 2]
