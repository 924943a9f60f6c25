"""Offensive-language probability from a small fine-tuned transformer, run with onnxruntime.

Why it exists: a lexicon catches the insults it lists; a model trained on labelled posts also catches
abuse phrased without them ("go back to where you came from"). The model is all-MiniLM-L6-v2
fine-tuned on OLID (OffensEval 2019, sub-task A) by ``training/train_offensive.py``, exported to ONNX
and quantised to int8. It ships in ``councilguard/models/`` with its ``tokenizer.json`` and a JSON card
(threshold, label meaning, training data, licences, checksum), so run time needs only ``onnxruntime``
and ``tokenizers``: no torch, no hub, nothing downloaded.

Loading costs about a third of a second, so it happens on first use and is cached per process.
One intra-op thread by default keeps a check on one core. Texts are cut to ``max_tokens`` (128)
word pieces: a caller scoring a long e-mail should score it sentence by sentence or paragraph by
paragraph (mean pooling also dilutes one insult in a long text). Texts are run one per ONNX call by
default: dynamic int8 quantisation takes one activation scale per call, so texts batched together
shift each other's scores by up to ~0.01, and on one core batching measured no faster (137 vs 158
texts/s); ``batch_size`` > 1 is there for bulk scoring where that does not matter.
``prepare`` is the text preparation used both here and at training time (the training
script imports this file by path), so the two cannot drift apart.
"""

from __future__ import annotations

import json
import math
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from councilguard.classify import signed_weights

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
CARD_NAME = "offensive.json"
PREPARE_VERSION = 1

_MENTIONS = re.compile(r"(?:@user\b[\s.,:;]*){2,}", re.IGNORECASE)
_URLS = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\bURL\b")
_SPACE = re.compile(r"\s+")


def prepare(text: str) -> str:
    """Text as the model saw it in training: URLs and runs of @-mentions folded, emoji as words."""
    text = _URLS.sub("http", text)
    text = _MENTIONS.sub("@user ", text)
    if _may_hold_emoji(text):
        import emoji

        text = emoji.demojize(text, delimiters=(" ", " "))
    return _SPACE.sub(" ", text.replace("_", " ")).strip()


@lru_cache(maxsize=1)
def _emoji_characters() -> frozenset[str]:
    """Every non-ASCII character that occurs in some emoji (each emoji has at least one)."""
    import emoji

    return frozenset(c for e in emoji.EMOJI_DATA for c in e if not c.isascii())


def _may_hold_emoji(text: str) -> bool:
    """False when ``demojize`` would return ``text`` unchanged, decided without its slow tokeniser.

    Every emoji sequence has a non-ASCII character, so ASCII text (most posts) holds none and need
    not even import the emoji package; other text holds one only if it shares a character with one.
    """
    return not text.isascii() and not _emoji_characters().isdisjoint(text)


class OffensiveModel:
    """The shipped offensive-language classifier; ``score`` gives P(offensive) per text.

    Thread-safe; the ONNX session and tokenizer are built on the first call, not at construction.
    """

    def __init__(self, model_dir: Path | str | None = None, *, threads: int = 1, batch_size: int = 1):
        self.model_dir = Path(model_dir) if model_dir is not None else MODELS_DIR
        self.threads = threads
        self.batch_size = batch_size
        self._card: dict[str, Any] | None = None
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def card(self) -> dict[str, Any]:
        """The model's JSON card: threshold, labels, training data, licences, checksum, figures."""
        if self._card is None:
            path = self.model_dir / CARD_NAME
            if not path.exists():
                raise FileNotFoundError(f"no offensive-language model card at {path}; "
                                        "build it with training/train_offensive.py")
            self._card = json.loads(path.read_text(encoding="utf-8"))
        return self._card

    @property
    def threshold(self) -> float:
        """Probability at or above which a text counts as offensive (tuned on held-out training data)."""
        return float(self.card["threshold"])

    @property
    def max_tokens(self) -> int:
        return int(self.card["max_tokens"])

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            self._session, self._tokenizer = load_session(self.model_dir, self.card, self.threads)

    def logits(self, texts: Sequence[str]) -> list[float]:
        """Raw logits (log-odds of offensive), in input order."""
        import numpy as np

        if self._session is None:
            self._load()
        texts = [prepare(t) for t in texts]
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = [0.0] * len(texts)
        for lo in range(0, len(order), self.batch_size):
            chunk = order[lo:lo + self.batch_size]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            (result,) = self._session.run(["logit"], {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(chunk):
                out[i] = float(result[row])
        return out

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(offensive) for each text, in input order. Texts longer than ``max_tokens`` are cut."""
        if isinstance(texts, str):
            raise TypeError("score() takes a list of texts; use offensive_probability() for one")
        return [_sigmoid(x) for x in self.logits(texts)]


def load_session(model_dir: Path, card: dict[str, Any], threads: int):
    """An onnxruntime session on ``threads`` intra-op threads and its tokenizer (truncating, unpadded)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / card["tokenizer"]))
    tokenizer.enable_truncation(max_length=int(card["max_tokens"]))
    tokenizer.no_padding()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    model = signed_weights.model_to_load(model_dir / card["model"], (card.get("sha256") or {}).get(card["model"]))
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    return session, tokenizer


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@lru_cache(maxsize=1)
def default_model() -> OffensiveModel:
    """The shipped model, one per process."""
    return OffensiveModel()


def offensive_probability(text: str) -> float:
    """P(offensive) for one text with the shipped model."""
    return default_model().score([text])[0]
