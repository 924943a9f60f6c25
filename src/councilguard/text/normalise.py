"""Text normalisation that defeats evasion while keeping every span mappable to the original.

Word lists are dodged by writing "іdiot" with a Cyrillic і, "1d10t", "i d i o t", "id\u200biot",
"idiooooot" or "🤡". Detectors therefore match against ``normalise(text).text``: a lower-case text
where those tricks are undone. Evidence must still point into what the councillor wrote, so every
normalised character remembers the span of the original it came from, and
``Normalised.to_original`` turns any match back into the covering span of the original.

Stages, each linear and each skipped unless a cheap test says it has work to do (this runs on
every check):
1. non-ASCII folding, skipped for ASCII text: NFKC, accents stripped, confusables to ASCII,
   invisible characters removed, emoji used as words replaced by their word;
2. runs of three or more spaced or dotted single letters joined ("i d i o t", "c-r-o-o-k");
3. leetspeak undone inside a token that also has letters and is not a code ("m25", "3rd", "10am");
4. sound-alike spellings ("stoopid") and runs of three or more of one letter collapsed.
E-mail and web addresses, handles, money and postcodes are left alone by stages 2 to 4. Whitespace
is not collapsed: match multi-word phrases with ``\\s+`` (``Lexicon`` does).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from councilguard.text.emoji_words import EMOJI_WORDS


@dataclass(frozen=True)
class Normalised:
    """Normalised text plus, for each of its characters, the span of the original it stands for."""

    original: str
    text: str
    # offsets[i] = index in original where normalised char i's source starts; len == len(text)+1.
    # A tuple, or a range when the map is the identity (most texts: saves building it).
    offsets: Sequence[int] = field(repr=False)
    # ends[i] = index just past that source (a collapsed run or an emoji covers several
    # characters); None means offsets[i] + 1 for every i.
    ends: Sequence[int] | None = field(default=None, repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the smallest covering span of the original."""
        if end <= start:
            pos = self.offsets[min(max(start, 0), len(self.offsets) - 1)]
            return pos, pos
        last = end - 1
        stop = self.ends[last] if self.ends is not None else self.offsets[last] + 1
        return self.offsets[start], stop


def normalise(text: str) -> Normalised:
    """Lower-case ``text`` and undo evasion tricks, keeping a map back to the original."""
    if text.isascii():
        src, starts, ends = text.lower(), None, None
    else:
        src, starts, ends = _fold(text)
    if _maybe_spaced(src):
        src, starts, ends = _join_spaced(src, starts, ends)
    src = _unleet_all(src)  # one letter for one character: the span map is unchanged
    if "*" in src:
        src = _unmask_all(src)  # likewise
    if "stoo" in src or _REPEAT_GATE.search(src):
        src, starts, ends = _collapse(src, starts, ends)
    n = len(text)
    if starts is None or ends is None:  # nothing changed length: the identity map
        return Normalised(text, src, range(n + 1))
    starts.append(n)
    ends.append(n)
    return Normalised(text, src, tuple(starts), tuple(ends))


# --------------------------------------------------------------------------------------------
# Rewriting with a span map


class _Builder:
    """Rewrites ``src`` left to right; each output character keeps its source span in the original.

    ``starts``/``ends`` map ``src`` into the original (None: ``src`` is the original, one to one).
    """

    __slots__ = ("src", "starts", "ends", "lower", "pos", "parts", "out_starts", "out_ends", "edited")

    def __init__(self, src: str, starts: list[int] | None, ends: list[int] | None, lower: bool = False):
        self.src, self.starts, self.ends, self.lower = src, starts, ends, lower
        self.pos = 0
        self.parts: list[str] = []
        self.out_starts: list[int] = []
        self.out_ends: list[int] = []
        self.edited = False

    def _span(self, s: int, e: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return s, e
        return self.starts[s], self.ends[e - 1]

    def _map(self, s: int, e: int, step: int = 1) -> None:
        if self.starts is None or self.ends is None:
            self.out_starts.extend(range(s, e, step))
            self.out_ends.extend(range(s + 1, e + 1, step))
        else:
            self.out_starts.extend(self.starts[s:e:step])
            self.out_ends.extend(self.ends[s:e:step])

    def keep(self, upto: int) -> None:
        """Copy the source up to ``upto`` unchanged."""
        pos = self.pos
        if upto > pos:
            piece = self.src[pos:upto]
            self.parts.append(piece.lower() if self.lower else piece)
            self._map(pos, upto)
            self.pos = upto

    def same(self, s: int, new: str) -> None:
        """Replace ``src[s:s+len(new)]`` character for character."""
        self.keep(s)
        self.parts.append(new)
        self._map(s, s + len(new))
        self.pos, self.edited = s + len(new), True

    def merge(self, s: int, e: int, new: str) -> None:
        """Replace ``src[s:e]`` by ``new``; every character of ``new`` covers all of it."""
        self.keep(s)
        if new:
            a, b = self._span(s, e)
            self.parts.append(new)
            self.out_starts.extend([a] * len(new))
            self.out_ends.extend([b] * len(new))
        self.pos, self.edited = e, True

    def pick(self, s: int, e: int, step: int, chars: str) -> None:
        """Output ``chars``, one for each source position ``s, s+step, …`` below ``e``; drop the rest."""
        self.keep(s)
        self.parts.append(chars)
        self._map(s, e, step)
        self.pos, self.edited = e, True

    def attach(self, s: int, e: int) -> None:
        """Drop ``src[s:e]`` into the span of the previous output character (combining marks)."""
        self.keep(s)
        if self.out_ends:
            self.out_ends[-1] = self._span(s, e)[1]
        self.pos, self.edited = e, True

    def word(self, s: int, e: int, word: str) -> None:
        """Replace ``src[s:e]`` by ``word``, padded with spaces where it would touch other text."""
        self.keep(s)
        if word:
            if self.parts and not self.parts[-1][-1].isspace():
                word = " " + word
            if e < len(self.src) and not self.src[e].isspace():
                word += " "
        self.merge(s, e, word)

    def finish(self) -> tuple[str, list[int] | None, list[int] | None]:
        if not self.edited:
            return self.src, self.starts, self.ends
        self.keep(len(self.src))
        return "".join(self.parts), self.out_starts, self.out_ends


# --------------------------------------------------------------------------------------------
# Stage 1: non-ASCII folding

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_EMOJI_TAIL = frozenset("\ufe0e\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # Hangul fillers, braille blank: look empty
_PUNCT = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2044": "/",
}
# Letters the confusables data leaves out, or maps only by their capital's look.
_LETTERS = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
    "ð": "d", "Ð": "d",
    "т": "t", "к": "k", "м": "m", "н": "h", "в": "b", "п": "n",
    "τ": "t", "κ": "k", "η": "n", "χ": "x", "υ": "u", "ω": "w",
}  # fmt: skip
_LATIN_NAME = re.compile(r"LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?([A-Z])(?: WITH .+)?")

_FOLD: dict[str, str] = {}  # char -> replacement, learnt on first sight
_TABLE: dict[int, str] = {}  # the one-for-one part of _FOLD, for str.translate
_SPECIAL: set[str] = set(EMOJI_WORDS)  # chars needing more than a one-for-one swap
_ATTACH: set[str] = set()  # combining marks and emoji modifiers: belong to the previous char
_CONFUSABLES: dict[str, str] | None = None


def _fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    runs = list(_NON_ASCII.finditer(text))
    special = False
    for m in runs:
        run = m.group()
        for c in set(run).difference(_FOLD):
            _learn(c)
        special = special or not _SPECIAL.isdisjoint(run)
    if not special:  # every character folds to exactly one: no span map needed
        pieces, pos = [], 0
        for m in runs:
            pieces.append(text[pos : m.start()].lower())
            pieces.append(m.group().translate(_TABLE))
            pos = m.end()
        pieces.append(text[pos:].lower())
        return "".join(pieces), None, None
    b = _Builder(text, None, None, lower=True)
    for m in runs:
        run = m.group()
        if _SPECIAL.isdisjoint(run):
            b.same(m.start(), run.translate(_TABLE))
        else:
            _fold_run(b, text, m.start(), m.end())
    return b.finish()


def _fold_run(b: _Builder, text: str, i: int, end: int) -> None:
    while i < end:
        c = text[i]
        word = EMOJI_WORDS.get(c)
        if word is not None:
            j = i + 1
            while j < end and text[j] in _EMOJI_TAIL:
                j += 1
            b.word(i, j, word)
            i = j
            continue
        if c in _ATTACH:
            b.attach(i, i + 1)
        else:
            f = _FOLD[c]
            if len(f) == 1:
                b.same(i, f)
            else:
                b.merge(i, i + 1, f)
        i += 1


def _learn(c: str) -> None:
    # _FOLD is written last: a character found there is fully known (other threads may be reading).
    cat = unicodedata.category(c)
    if cat in ("Mn", "Me") or c in _EMOJI_TAIL:
        _ATTACH.add(c)
        _SPECIAL.add(c)
        _FOLD[c] = ""
        return
    f = _fold_char(c, cat)
    if len(f.lower()) == len(f):
        f = f.lower()
    if len(f) == 1:
        _TABLE[ord(c)] = f
    else:
        _SPECIAL.add(c)
    _FOLD[c] = f


def _fold_char(c: str, cat: str) -> str:
    """What one non-ASCII character reads as, lower-cased; "" if it is invisible."""
    if c.isspace():
        return " "
    if cat in ("Cf", "Cc", "Cs", "Co") or c in _FILLERS:
        return ""  # zero-width, bidi, soft hyphen, tags, controls
    if c in _PUNCT:
        return _PUNCT[c]
    if c in _LETTERS:
        return _LETTERS[c]
    compat = unicodedata.normalize("NFKC", c)  # fullwidth, mathematical letters, ligatures
    if compat == c:
        bare = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
        compat = bare or c  # accents stripped: é -> e
    if compat != c:
        return "".join(x.lower() if x.isascii() else _sub_fold(x) for x in compat)
    if cat[0] in "LN":
        low = c.lower()
        for cand in (low, c):
            hit = _confusable(cand)
            if hit:
                return hit
        named = _LATIN_NAME.fullmatch(unicodedata.name(c, ""))
        if named:
            return named.group(1).lower()
        return low if len(low) == 1 else c
    return c


def _sub_fold(c: str) -> str:
    if c not in _FOLD:
        _learn(c)
    return _FOLD[c]


def _confusable(c: str) -> str | None:
    """The ASCII letter or digit ``c`` is a look-alike of, from the Unicode confusables data."""
    global _CONFUSABLES
    if _CONFUSABLES is None:
        _CONFUSABLES = _load_confusables()
    return _CONFUSABLES.get(c)


def _load_confusables() -> dict[str, str]:
    from confusable_homoglyphs import utils  # loaded once, on the first unknown letter

    table: dict[str, str] = {}
    for char, alikes in utils.load("confusables.json").items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_alikes = [a["c"] for a in alikes if len(a["c"]) == 1 and a["c"].isascii() and a["c"].isalnum()]
        if ascii_alikes:  # prefer a lower-case letter, then a capital, then a digit
            ascii_alikes.sort(key=lambda a: (not a.islower(), not a.isupper()))
            table[char] = ascii_alikes[0].lower()
    return table


# --------------------------------------------------------------------------------------------
# Stages 2 to 4 work on lower-case text. What they must not touch:

_PROTECTED = re.compile(
    r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+"  # e-mail address
    r"|(?:https?://|www\.)[^\s<>\"']+"  # web address
    r"|(?<![a-z0-9.\-])(?:[a-z0-9\-]+\.)+(?:com|org|net|uk|gov|info|io|co|eu)\b(?:/[^\s<>\"']*)?"
    r"|(?<![a-z0-9_])@[a-z0-9_]{4,}"  # handle
    r"|[$£€]\s?\d[\d,.]*(?:bn|[kmp])?"  # money
)
_POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}\b")  # may span a space: checked apart
_DIGIT = re.compile(r"\d")
_HINT = re.compile(r"[@./£$€]")
_NON_SPACE = re.compile(r"\S*")
_WINDOW = 64  # how far around a candidate an address, handle or sum may reach


def _protected(src: str, s: int, e: int) -> bool:
    """Whether ``src[s:e]`` is part of an address, handle, sum of money or postcode."""
    lo = max(0, s - _WINDOW)
    a = max(lo, src.rfind(" ", lo, s) + 1, src.rfind("\n", lo, s) + 1, src.rfind("\t", lo, s) + 1)
    b = _NON_SPACE.match(src, e, min(len(src), e + _WINDOW)).end()  # type: ignore[union-attr]
    if _HINT.search(src, a, b):  # the words around the candidate, up to white space
        for m in _PROTECTED.finditer(src, a, b):
            if m.start() >= e:
                break
            if m.end() > s:
                return True
    if _DIGIT.search(src, s, e):
        for m in _POSTCODE.finditer(src, max(0, s - 8), min(len(src), e + 8)):
            if m.start() < e and m.end() > s:
                return True
    return False


# Stage 2: spaced letters. A byte per character classes it (x: could be spelt out, s: not a
# letter or digit), so three isolated letters in a row are found with ``in`` before any regex runs.
_RUN_CHARS = "abcdefghijklmnopqrstuvwxyz013457@$"
_SPACED_CLASSES = bytes(
    ord("x") if chr(i) in _RUN_CHARS else ord("n") if chr(i).isalnum() else ord("s") for i in range(256)
)
_SPACED_SHAPES = (b"sxsxsxs", b"sxssxssxs", b"sxsssxsssxs")
_SPACED = re.compile(
    r"(?<![a-z0-9])[a-z013457@$](?P<sep>[ \t]{1,3}|\n|[.\-_*~/] ?)[a-z013457@$]"
    r"(?:(?P=sep)[a-z013457@$])+(?![a-z0-9'@])"
)
_LEET_MAP = str.maketrans("013457@$", "oieastas")
_TWO_LETTERS = re.compile(r"[a-z][^a-z]*[a-z]")


def _maybe_spaced(src: str) -> bool:
    shape = b"s" + src.encode("ascii", "replace").translate(_SPACED_CLASSES) + b"s"
    return any(p in shape for p in _SPACED_SHAPES)


# "is a b e n d e r": after a word that takes an article, a spaced run's first "a" is that article
_BEFORE_ARTICLE = re.compile(r"(?:^|[^a-z'])(?:is|was|what|such|like|be|being|called|calls?|'s|proper|right|"
                             r"total|complete|utter|bloody|absolute)\s+$")


# Whole sentences spelt out, one space between letters and two or more between words ("c l l r  b a x t e r  i s
# a  p l o n k e r"): each word is joined on its own, two-letter words too, so that words do not run together.
_L = "[a-z013457@$]"
_WORD_SPACED = re.compile(rf"(?<![a-z0-9])(?<![a-z0-9] ){_L}(?: {_L})*(?:[ \t]{{2,}}{_L}(?: {_L})*){{2,}}(?![a-z0-9])")
_WORD_GAP = re.compile(r"[ \t]{2,}")


def _word_spaced(src: str) -> list[tuple[int, int]]:
    """The spans of each spelt-out word inside runs of such words (at least one of three or more letters)."""
    out: list[tuple[int, int]] = []
    for m in _WORD_SPACED.finditer(src):
        words, pos = [], m.start()
        for gap in _WORD_GAP.finditer(src, m.start(), m.end()):
            words.append((pos, gap.start()))
            pos = gap.end()
        words.append((pos, m.end()))
        if any(e - s >= 5 for s, e in words) and not _protected(src, m.start(), m.end()):
            out.extend((s, e) for s, e in words if e - s >= 3)
    return out


def _join_spaced(src: str, starts: list[int] | None, ends: list[int] | None):
    picks = [(s, e, 2, src[s:e:2]) for s, e in _word_spaced(src)]
    taken = [(s, e) for s, e, _, _ in picks]
    for m in _SPACED.finditer(src):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue  # a word of a spelt-out sentence, joined above
        step = len(m.group("sep")) + 1
        letters = src[s:e:step]
        if letters[0] == "a" and len(letters) >= 4 and m.group("sep").isspace() \
                and _BEFORE_ARTICLE.search(src, max(0, s - 12), s):
            s, letters = s + step, letters[1:]
        if _TWO_LETTERS.search(letters) and not _protected(src, s, e):
            picks.append((s, e, step, letters))
    b = _Builder(src, starts, ends)
    for s, e, step, letters in sorted(picks):
        b.pick(s, e, step, letters.translate(_LEET_MAP))
    return b.finish()


# Stage 3: leetspeak. A trigger is a leet character touching a letter; a digit only where a letter
# follows it somewhere in the token, and not as a number with a unit or ordinal. So codes ("m25",
# "wd3", "b4", "4x4"), "3rd", "10am" and "5g" never trigger; the whole token around a trigger is
# then judged (no other digits, at least two letters, not an address, handle, sum or postcode).
_UNITS = r"st|nd|rd|th|am|pm|bn|mph|kg|km|ml|mm|cm|ft|hrs?|mins?|yrs?|mb|gb|kwh?|sqm|[a-z]"
_LEET_TRIGGER = re.compile(  # one character class first, so the regex engine skips ahead fast
    r"[013457@$!](?:"
    r"(?<=[013457])(?:(?<=[a-z].)(?=[a-z0-9@$]*[a-z])|(?=[a-z])(?!(?:" + _UNITS + r")(?![a-z])))"
    r"|(?<=[@$])(?:(?<=[a-z].)|(?=[a-z]))"
    r"|(?<=[a-z0-9]!)(?=[a-z]))"
)
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!")
_TOKEN_TAIL = re.compile(r"[a-z0-9@$!]*")
_NOT_LEET = re.compile(r"[2689]|\$\d")
_BANG = re.compile(r"(?<=[a-z])!(?=[a-z])")


def _unleet_all(src: str) -> str:
    m = _LEET_TRIGGER.search(src)
    if m is None:
        return src
    pieces, done, floor = [], 0, 0
    while m is not None:
        p = a = m.start()
        while a > floor and src[a - 1] in _TOKEN_CHARS:
            a -= 1
        b = _TOKEN_TAIL.match(src, p).end()  # type: ignore[union-attr]
        new = _unleet(src[a:b])
        if new is not None and not _protected(src, a, b):
            pieces += (src[done:a], new)
            done = b
        floor = b
        m = _LEET_TRIGGER.search(src, max(b, p + 1))
    pieces.append(src[done:])
    return "".join(pieces)


def _unleet(token: str) -> str | None:
    """``token`` with leetspeak undone, or None if it is not leetspeak."""
    core = token.strip("!")
    if _NOT_LEET.search(core) or not _TWO_LETTERS.search(core):
        return None
    new = token.translate(_LEET_MAP)
    if "!" in core:
        new = _BANG.sub("i", new)  # "!" reads as "i" only between letters
    return new if new != token else None


# Stage 3b: swear words with letters starred out ("s**t show", "f***ing", "d*ckhead"): each star stands for one
# letter, and the word is restored only when exactly one word of this list fits.
_MASKABLE = tuple(sorted(set("""
shit shite shitty shitshow bullshit fuck fucking fucked fucker fuckers fuckwit cunt cunts twat twats bastard bastards
bollocks wanker wankers arse arsehole arseholes asshole assholes dick dickhead dickheads piss pissed prick pricks
bitch bitches crap crappy damn bloody tosser tossers knobhead bellend bellends slag slags whore scumbag scumbags
idiot idiots moron morons cretin cretins
""".split())))
_MASKED = re.compile(r"(?<![\w*])[a-z]+\*+[a-z*]*(?![\w*])")


def _unmask_all(src: str) -> str:
    def fill(m: re.Match) -> str:
        token = m.group(0)
        fits = [w for w in _MASKABLE if len(w) == len(token)
                and all(c == "*" or c == w[i] for i, c in enumerate(token))]
        return fits[0] if len(fits) == 1 else token
    return _MASKED.sub(fill, src)


# Stage 4: sound-alikes and repeated letters.
_REPEAT_GATE = re.compile(r"([a-z])\1\1")
_COLLAPSE = re.compile(r"(?<![a-z])st(?P<oo>o{2,})(?=pid)|(?P<r>[a-z])(?P=r){2,}")


def _collapse(src: str, starts: list[int] | None, ends: list[int] | None):
    b = _Builder(src, starts, ends)
    for m in _COLLAPSE.finditer(src):
        if _protected(src, m.start(), m.end()):
            continue
        if m.group("r"):
            b.merge(m.start(), m.end(), m.group("r"))
        else:
            b.merge(m.start("oo"), m.end("oo"), "u")  # stoopid -> stupid
    return b.finish()
