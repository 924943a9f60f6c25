"""A word list compiled into one regex, matched on normalised text, reported in original spans.

Detectors keep their vocabularies (insults, slurs, threats…) as data. ``Lexicon`` turns one into a
single alternation run over ``Normalised.text`` — one scan however long the list — and reports each
match as a span of the original text, so evidence shows exactly what the councillor wrote.

Terms are lower-case words or phrases. A trailing ``*`` allows any word suffix ("idiot*" matches
"idiots", "idiotic"); a space matches any run of whitespace; a hyphen matches a hyphen, a space or
nothing. Matches never start or end inside a word ("ass" does not match "class"). Longer terms win
where two start at the same place.

The normaliser collapses runs of three or more letters to one, so "foooool" reads "fol". A term's
double letter therefore also matches a single letter, but only where the original had such a run
("foooool" matches "fool", "god" does not match "good"). Likewise a term's "l" matches an "i" that
was written as "1", "!" or a capital I ("Ioser", "1oser" match "loser", "iame" does not match "lame").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Iterator, Mapping, TypeVar

from councilguard.text.normalise import Normalised, normalise

T = TypeVar("T")

_TERM = re.compile(r"[^\s*]+(?:[ -][^\s*]+)*\*?")
_L_LOOKALIKES = frozenset("1!I")


@dataclass(frozen=True)
class LexMatch(Generic[T]):
    """One term found: ``start``/``end`` index the original text."""

    start: int
    end: int
    term: str
    value: T


@dataclass(frozen=True)
class _Term:
    term: str  # as given
    stem: str  # normalised, without the trailing *
    suffix: bool
    tolerant: bool  # has a double letter or an "l": matches need checking


class Lexicon(Generic[T]):
    """Terms mapped to values (a category, a severity…), matched as whole words."""

    def __init__(self, terms: Mapping[str, T]):
        self._values: dict[str, T] = dict(terms)
        self._terms = sorted((_parse(t) for t in self._values), key=lambda t: (-len(t.stem), t.term))
        self._pieces = [_pieces(t) for t in self._terms]
        self._regex, self._group_term = _compile(self._pieces)

    def __len__(self) -> int:
        return len(self._terms)

    def finditer(self, norm: Normalised | str) -> Iterator[LexMatch[T]]:
        """Every non-overlapping match, left to right, with original spans."""
        if isinstance(norm, str):
            norm = normalise(norm)
        if self._regex is None:
            return
        text, pos = norm.text, 0
        while True:
            m = self._regex.search(text, pos)
            if m is None:
                return
            k = self._group_term[m.lastindex]  # type: ignore[index]
            found = self._accept(norm, k, m.start(), m.end())
            if found is None:
                found = self._fallback(norm, k, m.start())
            if found is None:
                pos = m.start() + 1
                continue
            k, end = found
            start, stop = norm.to_original(m.start(), end)
            term = self._terms[k].term
            yield LexMatch(start, stop, term, self._values[term])
            pos = max(end, m.start() + 1)

    def search(self, norm: Normalised | str) -> bool:
        """Whether any term occurs."""
        return next(self.finditer(norm), None) is not None

    def _accept(self, norm: Normalised, k: int, start: int, end: int) -> tuple[int, int] | None:
        t = self._terms[k]
        seg = norm.text[start:end]
        if not t.tolerant or seg == t.stem or (t.suffix and seg.startswith(t.stem)) or _explained(
            t, norm, start, end
        ):
            return k, end
        return None

    def _fallback(self, norm: Normalised, refused: int, start: int) -> tuple[int, int] | None:
        """After a tolerant match was refused, the first other term that matches at the same place."""
        ch = norm.text[start]
        for k, t in enumerate(self._terms):
            if k == refused or not (t.stem[0] == ch or (t.stem[0] == "l" and ch == "i")):
                continue
            m = _compiled("".join(self._pieces[k])).match(norm.text, start)
            if m is not None:
                found = self._accept(norm, k, start, m.end())
                if found is not None:
                    return found
        return None


def _parse(term: str) -> _Term:
    raw = " ".join(term.split())
    if not raw or not _TERM.fullmatch(raw):
        raise ValueError(f"bad lexicon term {term!r}: '*' may only end a term, and a term needs a word")
    suffix = raw.endswith("*")
    stem = " ".join(normalise(raw.rstrip("*")).text.split())
    if not stem:
        raise ValueError(f"bad lexicon term {term!r}: it normalises to nothing")
    tolerant = "l" in stem or any(a == b and a.isalpha() for a, b in zip(stem, stem[1:]))
    return _Term(term, stem, suffix, tolerant)


def _pieces(t: _Term) -> list[str]:
    """The term as regex pieces, one per character of its stem (plus the suffix)."""
    pieces, prev = [], ""
    for c in t.stem:
        if c == " ":
            piece = r"\s+"
        elif c == "-":
            piece = r"[\s-]?"
        else:
            piece = "[li]" if c == "l" else re.escape(c)
            if c == prev and c.isalpha():
                piece += "?"
        pieces.append(piece)
        prev = c
    if t.suffix:
        pieces.append(r"\w*")
    return pieces


def _compile(patterns: list[list[str]]) -> tuple[re.Pattern[str] | None, dict[int, int]]:
    """One alternation, grouped by first character so that a word start tries only its group.

    A term that begins (ends) with a word character may not begin (end) inside a word. An empty
    group closes each alternative: ``m.lastindex`` then names the term that matched.
    """
    if not patterns:
        return None, {}
    buckets: dict[str, list[int]] = {}
    for k, pieces in enumerate(patterns):
        buckets.setdefault(pieces[0], []).append(k)
    group_term: dict[int, int] = {}
    words, others = [], []
    for head, ks in buckets.items():
        inner = []
        for k in ks:
            tail = "".join(patterns[k][1:])
            inner.append(tail + (r"(?!\w)" if _WORDY_END.search(head + tail) else "") + "()")
            group_term[len(group_term) + 1] = k
        (words if _WORDY_HEAD.match(head) else others).append(f"{head}(?:{'|'.join(inner)})")
    body = "|".join(([rf"(?<!\w)(?:{'|'.join(words)})"] if words else []) + others)
    return re.compile(body), group_term


_WORDY_HEAD = re.compile(r"\[li\]|\w")
_WORDY_END = re.compile(r"(?:\w|\[li\]|\\w\*|\?)$")


_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    rx = _COMPILED.get(pattern)
    if rx is None:
        before = r"(?<!\w)" if _WORDY_HEAD.match(pattern) else ""
        after = r"(?!\w)" if _WORDY_END.search(pattern) else ""
        rx = _COMPILED[pattern] = re.compile(f"{before}(?:{pattern}){after}")
    return rx


def _explained(t: _Term, norm: Normalised, start: int, end: int) -> bool:
    """Whether each place a tolerant match departs from the term is explained by the original.

    Walks the term over the matched text the way the regex does (greedy, optional doubles).
    """
    text, i, prev = norm.text, start, ""
    for c in t.stem:
        if c == " ":
            while i < end and text[i].isspace():
                i += 1
            prev = c
            continue
        if c == "-":
            if i < end and (text[i].isspace() or text[i] == "-"):
                i += 1
            prev = c
            continue
        doubled = c == prev and c.isalpha()
        prev = c
        got = text[i] if i < end else ""
        if got == c:
            i += 1
        elif c == "l" and got == "i" and _looks_like_l(norm.original[norm.offsets[i]]):
            i += 1
        elif doubled and i > start and _from_run(norm, i - 1):
            continue
        else:
            return False
    return True


def _looks_like_l(ch: str) -> bool:
    """"1", "!" or a capital I of any script (I, І, Ι, Ｉ): all read as "l" in many fonts."""
    return ch in _L_LOOKALIKES or (ch.isupper() and normalise(ch).text == "i")


def _from_run(norm: Normalised, i: int) -> bool:
    """Whether normalised character ``i`` stands for a run of three or more in the original."""
    a, b = norm.to_original(i, i + 1)
    return b - a >= 3
