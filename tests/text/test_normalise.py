"""Normalisation undoes evasion, leaves ordinary text alone, and every span maps back to the original."""

from __future__ import annotations

import random
import re

import pytest

from councilguard.text.emoji_words import EMOJI_WORDS
from councilguard.text.normalise import Normalised, normalise

# (original, word expected in the normalised text, the original text its span must cover)
EVASIONS = [
    ("Cllr H is a 🤡", "clown", "🤡"),
    ("what a 🤡!", "clown", "🤡"),
    ("you 🖕🏻 lot", "fuck you", "🖕🏻"),
    ("a 🐍 in the grass", "snake", "🐍"),
    ("🐒🐒", "monkey", "🐒"),
    ("ɪdɪot", "idiot", "ɪdɪot"),  # small capitals
    ("what an іdiot", "idiot", "іdiot"),  # Cyrillic і
    ("an idiοt", "idiot", "idiοt"),  # Greek ο
    ("аn іdіоt", "idiot", "іdіоt"),  # Cyrillic а, і, о
    ("ＩＤＩＯＴ", "idiot", "ＩＤＩＯＴ"),  # fullwidth
    ("𝐢𝐝𝐢𝐨𝐭", "idiot", "𝐢𝐝𝐢𝐨𝐭"),  # mathematical bold
    ("ⓘⓓⓘⓞⓣ", "idiot", "ⓘⓓⓘⓞⓣ"),  # circled
    ("what an idiót", "idiot", "idiót"),
    ("what an idio\u0301t", "idiot", "idio\u0301t"),  # decomposed accent
    ("un cafe\u0301", "cafe", "cafe\u0301"),  # the mark belongs to the letter before it
    ("you i d i o t!", "idiot", "i d i o t"),
    ("i.d.i.o.t", "idiot", "i.d.i.o.t"),
    ("a c-r-o-o-k", "crook", "c-r-o-o-k"),
    ("an i-d-i-o-t", "idiot", "i-d-i-o-t"),
    ("s  c  u  m", "scum", "s  c  u  m"),
    ("1 d 1 0 t", "idiot", "1 d 1 0 t"),
    ("id\u200biot", "idiot", "id\u200biot"),  # zero-width space
    ("idi\u00adot", "idiot", "idi\u00adot"),  # soft hyphen
    ("\ufeffid\u2060iot", "idiot", "id\u2060iot"),  # BOM, word joiner
    ("id\u200ci\u200dot", "idiot", "id\u200ci\u200dot"),  # ZWNJ, ZWJ
    ("1d10t", "idiot", "1d10t"),
    ("st00pid", "stupid", "st00pid"),
    ("stoopid", "stupid", "stoopid"),
    ("stuuupid", "stupid", "stuuupid"),
    ("idiooooot", "idiot", "idiooooot"),
    ("$tupid", "stupid", "$tupid"),
    ("sh1t", "shit", "sh1t"),
    ("l0s3r", "loser", "l0s3r"),
    ("st!nk", "stink", "st!nk"),
    ("@ss", "ass", "@ss"),
    ("Straße", "strasse", "Straße"),
    ("ﬁlthy", "filthy", "ﬁlthy"),
]


@pytest.mark.parametrize("text, word, covered", EVASIONS, ids=[e[0] for e in EVASIONS])
def test_evasion_is_undone_and_maps_back(text: str, word: str, covered: str) -> None:
    n = normalise(text)
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", n.text)
    assert m, f"{word!r} not in {n.text!r}"
    start, end = n.to_original(m.start(), m.end())
    assert text[start:end] == covered


# Texts that must come out exactly lower-cased, with the identity map.
UNTOUCHED = [
    "Class 3 costs £18,000 in 2027",
    "Call 07700 900123 or 01923 776611",
    "Email j.smith@croxley.gov.uk or cllr.h1@croxley-pc.gov.uk",
    "See www.croxley.gov.uk and https://example.org/a1b3/x7",
    "Meet at 10am on the 3rd, or 7pm on the 21st",
    "The M25, the A41 and the B4505",
    "Our office is at WD3 3HR",
    "Flat 12a, a 4x4 and a Section 106 agreement",
    "£5m in the 1990s, covid-19 and 5g masts",
    "I am a councillor and a resident",
    "Plan B: a new bus",
    "e.g. i.e. U.K.",
    "Hello!!! Thanks!",
    "Thanks to @CllrSmith and #CroxleyGreen",
    "Part II of the Act",
    "Dear Mr Smith, I will look into it. Kind regards",
]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_ordinary_text_is_only_lower_cased(text: str) -> None:
    n = normalise(text)
    assert n.text == text.lower()
    assert list(n.offsets) == list(range(len(text) + 1))


EXACT = [
    ("Cllr H is a 🤡", "cllr h is a clown"),
    ("what a 🤡!", "what a clown !"),
    ("🤡🤡", "clown clown"),
    ("🙄 fine", " fine"),
    ("don’t “quote” – dash", "don't \"quote\" - dash"),
    ("naïve café", "naive cafe"),
    ("ʀᴀᴛ", "rat"),
    ("you i d i o t s", "you idiots"),
    ("he is a b e n d e r", "he is a bender"),  # the article stays a word
    ("what a t w a t", "what a twat"),
    ("you a s s h o l e", "you asshole"),  # after "you", the "a" is the word's own
    ("a b c d e f", "abcdef"),
    # swear words with letters starred out, restored only where one word fits
    ("the s**t show", "the shit show"),
    ("what a f***ing d*ckhead", "what a fucking dickhead"),
    ("You id*ot, f*** off", "you idiot, fuck off"),
    ("the c*** clerk", "the c*** clerk"),  # more than one word fits
    ("rated 5* by *everyone*", "rated 5* by *everyone*"),
    # a sentence spelt out, two spaces between words: each word joined on its own, short ones too
    ("c l l r  b a x t e r  i s  a  p l o n k e r", "cllr  baxter  is  a  plonker"),
    ("what an i d i o t. c o r r u p t   t o   t h e   c o r e", "what an idiot. corrupt   to   the   core"),
    ("U.S.A. and e.g.", "usa. and e.g."),
    ("Grrrr, sooo annoying", "gr, so annoying"),
    ("jooohn@x.com www.x.com", "jooohn@x.com www.x.com"),
    ("no\u00a0break\u2003here", "no break here"),  # no-break and em spaces
    ("", ""),
]


@pytest.mark.parametrize("text, expected", EXACT)
def test_exact_normalised_text(text: str, expected: str) -> None:
    assert normalise(text).text == expected


def test_emoji_word_maps_to_whole_emoji_with_modifiers() -> None:
    text = "you 🖕🏻\ufe0f"
    n = normalise(text)
    i = n.text.index("fuck")
    assert n.to_original(i, i + 4) == (4, len(text))  # skin tone and variation selector included


def test_empty_span_maps_to_a_point() -> None:
    n = normalise("a i d i o t b")
    assert n.to_original(3, 3) == (n.offsets[3], n.offsets[3])
    assert n.to_original(len(n.text), len(n.text)) == (len("a i d i o t b"),) * 2


def test_emoji_table_is_single_code_points_with_lower_case_words() -> None:
    for emoji, word in EMOJI_WORDS.items():
        assert len(emoji) == 1 and not emoji.isascii()
        assert word == word.lower().strip()


def test_old_style_construction_still_works() -> None:
    n = Normalised("AB", "ab", (0, 1, 2))
    assert n.to_original(0, 2) == (0, 2)


# ------------------------------------------------------------------------------------------
# Properties over random texts built from the characters that exercise every stage.

PIECES = [
    "a", "b", "i", "d", "o", "t", "s", "I", "A", " ", "  ", ".", "-", "\n", "!", "@", "$", "£",
    "0", "1", "3", "4", "5", "7", "2", "9", "ooo", "www.", ".com", "x@y.org", "1d10t", "st00pid",
    "\u200b", "\u00ad", "\ufeff", "\u0301", "\ufe0f", "\U0001f3fb", "а", "ο", "ɪ", "Ａ", "𝐢", "é", "ß",
    "ﬁ", "’", "🤡", "🖕", "🙄", "🐒", "中", "İ", "WD3 3HR", "10am",
]  # fmt: skip


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))


def _check_map(n: Normalised) -> None:
    size = len(n.original)
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == size
    ends = n.ends if n.ends is not None else [o + 1 for o in n.offsets]
    previous_start, previous_end = 0, 0
    for i in range(len(n.text)):
        start, end = n.offsets[i], ends[i]
        assert 0 <= start < end <= size
        assert start >= previous_start and end >= previous_end  # monotonic
        previous_start, previous_end = start, end


def test_random_texts_map_into_the_original() -> None:
    rng = random.Random(20270501)
    for _ in range(1500):
        text = _random_text(rng)
        n = normalise(text)
        assert n.original == text
        _check_map(n)
        for _ in range(5):
            i = rng.randint(0, len(n.text))
            j = rng.randint(i, len(n.text))
            start, end = n.to_original(i, j)
            assert 0 <= start <= end <= len(text)
            if j > i:
                assert end > start


def test_normalisation_is_stable_on_its_own_output() -> None:
    for text, word, _ in EVASIONS:
        once = normalise(text).text
        assert normalise(once).text == once, text


@pytest.mark.parametrize(
    "text",
    ["a" * 200_000, "a." * 100_000, "a1" * 100_000, "i d " * 50_000, "🤡\u200b" * 50_000, "x@y" * 60_000],
    ids=["repeat", "dotted", "leet", "spaced", "emoji", "at-signs"],
)
def test_large_inputs_complete_with_a_valid_map(text: str) -> None:
    n = normalise(text)
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == len(text)
    assert all(a <= b for a, b in zip(n.offsets[:1000], n.offsets[1:1001]))
