"""The checker's fast paths give exactly what the plain code they replace gives.

``prepare`` skips the emoji tokeniser when a text cannot hold an emoji, and the screen counts hashed
n-grams with caches and sums its terms with numpy. Each is compared, bit for bit, with the obvious
form of the same computation (which is also what the models were trained and tuned with).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import emoji
import numpy as np
import pytest

from councilguard.classify import screen as S
from councilguard.classify.offensive import _MENTIONS, _SPACE, _URLS, prepare

DATA = Path(__file__).resolve().parents[2] / "data" / "council" / "test.jsonl"


def plain_prepare(text: str) -> str:
    text = _URLS.sub("http", text)
    text = _MENTIONS.sub("@user ", text)
    text = emoji.demojize(text, delimiters=(" ", " ")).replace("_", " ")
    return _SPACE.sub(" ", text).strip()


def plain_counts(text: str) -> tuple[dict[int, int], dict[int, int]]:
    lowered = text.lower()
    words: dict[int, int] = {}
    tokens = S._TOKEN.findall(lowered)
    for gram in tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]:
        h = S._bucket(gram)
        words[h] = words.get(h, 0) + 1
    chars: dict[int, int] = {}
    for word in S._SPACES.split(lowered):
        if word:
            padded = f" {word} "
            for n in (3, 4, 5):
                for i in range(max(1, len(padded) - n + 1)):
                    h = S._bucket("c" + padded[i:i + n])
                    chars[h] = chars.get(h, 0) + 1
    return words, chars


def plain_probability(coef: np.ndarray, intercept: float, text: str, parent: str | None) -> float:
    score = intercept
    for offset, block in zip((0, S.N_FEATURES), plain_counts(S.Screen.join(text, parent))):
        if block:
            norm = math.sqrt(sum(v * v for v in block.values()))
            score += sum(float(coef[offset + h]) * v for h, v in block.items()) / norm
    return 1.0 / (1.0 + math.exp(-score))


TEXTS = [
    "",
    "   ",
    "Cllr Hargreaves is a spineless idiot",
    "snake_case and __dunder__ words",
    "See https://example.org/a_b and @user @user @user now",
    "Café, naïve – “curly” quotes, £900 and ’apostrophes’",
    "I ❤️ this 👍🏽 so much",
    "keycaps #️⃣ 1️⃣ and © ® ™",
    "a family 👨‍👩‍👧 and a lone joiner \u200d here",
    "x",
    "a b c d e f",
]


def corpus() -> list[tuple[str, str | None]]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    return [(r["text"], (r.get("in_reply_to") or {}).get("text")) for r in rows] + [(t, None) for t in TEXTS]


@pytest.mark.parametrize("text", TEXTS)
def test_prepare_matches_demojizing_everything(text: str) -> None:
    assert prepare(text) == plain_prepare(text)


def test_prepare_matches_on_the_council_corpus() -> None:
    texts = [t for pair in corpus() for t in pair if t]
    assert [prepare(t) for t in texts] == [plain_prepare(t) for t in texts]


@pytest.mark.parametrize("text", TEXTS + ["The clerk, the clerk and THE CLERK again", "repeat repeat repeat"])
def test_screen_counts_match_in_value_and_order(text: str) -> None:
    fast, plain = S.counts(text), plain_counts(text)
    assert [list(block.items()) for block in fast] == [list(block.items()) for block in plain]


def test_screen_probabilities_are_bit_identical() -> None:
    screen = S.Screen()
    data = np.load(screen.model_dir / "screen.npz")
    coef, intercept = data["coef"], float(data["intercept"])
    pairs = corpus()
    fast = screen.probabilities([t for t, _ in pairs], [p for _, p in pairs])
    assert fast == [plain_probability(coef, intercept, t, p) for t, p in pairs]
