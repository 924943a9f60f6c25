"""A cheap first look: which passages might breach a conduct rule, so the transformer reads only those.

Logistic regression over hashed word (1-2) and character (3-5) n-grams: about 0.4 ms a
passage, against ~0.2 ms a word piece for the conduct model. Its threshold was chosen to pass 97%
of breaching passages in held-out training rows (``training/train_screen.py``, card ``screen.json``);
a passage below it is civil enough not to need the model. Features are CRC-32 hashed, so there is
no vocabulary to ship, only one weight array, and the run time imports neither scikit-learn nor scipy.
"""

from __future__ import annotations

import json
import math
import re
import threading
import zlib
from collections import Counter
from functools import lru_cache
from itertools import chain
from operator import mul
from pathlib import Path
from typing import Sequence

from councilguard.classify.offensive import MODELS_DIR

RULES = ["abuse-councillor", "derogatory-council", "inflammatory-staff", "disrespect-public", "untrue-statement",
         "harassment-discrimination", "undermines-confidence", "confidential-information", "responding-to-negative",
         "counter-to-council"]
N_FEATURES = 2 ** 18


_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s+")


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) % N_FEATURES


# The same words and word pairs come back message after message: remembering their buckets saves
# most of the hashing (bounded, so a long-running server does not grow).
_word_bucket = lru_cache(maxsize=1 << 14)(_bucket)


@lru_cache(maxsize=1 << 13)
def _char_buckets(word: str) -> tuple[int, ...]:
    """The buckets of one word's character 3-5 grams (padded with a space), in counting order."""
    padded = f" {word} "
    return tuple(_bucket("c" + padded[i:i + n]) for n in (3, 4, 5) for i in range(max(1, len(padded) - n + 1)))


def counts(text: str) -> tuple[dict[int, int], dict[int, int]]:
    """Hashed counts of word 1-2 grams and of character 3-5 grams inside words (padded with a space).

    Hashing (CRC-32 into 2^18 buckets) needs no vocabulary, so the shipped weights are one array and
    the run time needs neither scikit-learn nor scipy. Buckets are counted in order of first
    occurrence (the scores sum them in that order, so it is kept exactly).
    """
    lowered = text.lower()
    tokens = _TOKEN.findall(lowered)
    words = Counter(map(_word_bucket, chain(tokens, [f"{a} {b}" for a, b in zip(tokens, tokens[1:])])))
    chars = Counter(chain.from_iterable(map(_char_buckets, filter(None, _SPACES.split(lowered)))))
    return words, chars


def features(texts: Sequence[str]):
    """Sparse rows (word block, then character block, each l2-normalised) for training (needs scipy)."""
    from scipy.sparse import csr_matrix

    data, cols, ptr = [], [], [0]
    for text in texts:
        for offset, block in zip((0, N_FEATURES), counts(text)):
            norm = math.sqrt(sum(v * v for v in block.values())) or 1.0
            for h, v in block.items():
                cols.append(offset + h)
                data.append(v / norm)
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(texts), 2 * N_FEATURES))


class Screen:
    """The shipped screen; ``probabilities`` gives P(the passage breaches some conduct rule)."""

    def __init__(self, model_dir: Path | str | None = None):
        self.model_dir = Path(model_dir) if model_dir is not None else MODELS_DIR
        self._weights = None
        self._lock = threading.Lock()

    @staticmethod
    def join(text: str, parent: str | None) -> str:
        """One string for a passage and the post it replies to, as the screen was trained."""
        return f"{text} [reply] {parent}" if parent else text

    @property
    def available(self) -> bool:
        # once the weights are loaded the screen is there: no file-system look-up on every check
        return self._weights is not None or (self.model_dir / "screen.json").exists()

    @property
    def card(self) -> dict:
        return json.loads((self.model_dir / "screen.json").read_text(encoding="utf-8"))

    def _load(self):
        import numpy as np

        with self._lock:
            if self._weights is None:
                data = np.load(self.model_dir / "screen.npz")
                # doubles (float32 -> double is exact), one block per feature kind
                coef = data["coef"].astype(np.float64)
                self._weights = ((coef[:N_FEATURES], coef[N_FEATURES:]), float(data["intercept"]),
                                 float(self.card["threshold"]))
        return self._weights

    def probabilities(self, texts: Sequence[str], parents: Sequence[str | None]) -> list[float]:
        import numpy as np

        blocks, intercept, _ = self._weights or self._load()
        out = []
        for text, parent in zip(texts, parents):
            score = intercept
            for coef, block in zip(blocks, counts(self.join(text, parent))):
                if block:
                    values = block.values()
                    norm = math.sqrt(sum(map(mul, values, values)))
                    n = len(block)
                    terms = coef[np.fromiter(block.keys(), np.intp, n)] * np.fromiter(values, np.float64, n)
                    # a running total, term by term in order of first occurrence: the same sum, to the
                    # last bit, as adding them up one by one (np.sum would add them pairwise)
                    score += float(np.add.accumulate(terms)[-1]) / norm
            out.append(1.0 / (1.0 + math.exp(-score)))
        return out

    def passes(self, texts: Sequence[str], parents: Sequence[str | None]) -> list[bool]:
        """Which passages the conduct model should read."""
        threshold = (self._weights or self._load())[2]
        return [p >= threshold for p in self.probabilities(texts, parents)]


@lru_cache(maxsize=1)
def default_screen() -> Screen:
    return Screen()
