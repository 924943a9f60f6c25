"""Text normalisation that defeats evasion while keeping every span mappable to the original.

(First cut: lower-casing only. Replaced by the full normaliser: confusables, zero-width, leetspeak,
spaced letters, repeated letters, emoji as words.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str
    offsets: tuple[int, ...]  # offsets[i] = index in original of normalised char i; len == len(text)+1

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the smallest covering span of the original."""
        if end <= start:
            pos = self.offsets[min(start, len(self.offsets) - 1)]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(text: str) -> Normalised:
    return Normalised(text, text.lower(), tuple(range(len(text) + 1)))
