"""The conduct model: one small transformer pass gives P(label) for eleven labels.

Labels: ``offensive`` and the ten conduct rules (abuse-councillor … counter-to-council). It is
all-MiniLM-L6-v2 fine-tuned by ``training/train_conduct.py`` on OLID and the council corpus's
training files, exported to ONNX and quantised to 8 bits; its JSON card lists the labels, each
label's threshold (tuned on held-out training rows), the data, licences and checksums.

The post being replied to is part of the evidence ("you" in a reply, a reply to a negative remark),
so it goes in as the second segment of a text pair. Run time needs onnxruntime and tokenizers only;
the session loads on first use and is cached per process, on one intra-op thread by default.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from councilguard.classify.offensive import MODELS_DIR, _sigmoid, load_session, prepare

CARD_NAME = "conduct.json"


class ConductModel:
    """The shipped conduct model; ``probabilities`` gives {label: P} per text."""

    def __init__(self, model_dir: Path | str | None = None, *, threads: int = 1):
        self.model_dir = Path(model_dir) if model_dir is not None else MODELS_DIR
        self.threads = threads
        self._card: dict[str, Any] | None = None
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def card(self) -> dict[str, Any]:
        if self._card is None:
            path = self.model_dir / CARD_NAME
            if not path.exists():
                raise FileNotFoundError(f"no conduct model card at {path}; build it with training/train_conduct.py")
            self._card = json.loads(path.read_text(encoding="utf-8"))
        return self._card

    @property
    def labels(self) -> list[str]:
        return list(self.card["labels"])

    def threshold(self, label: str) -> float:
        return float(self.card.get("thresholds", {}).get(label, 0.5))

    @property
    def available(self) -> bool:
        # once the card is read the model is there: no file-system look-up on every check
        return self._card is not None or (self.model_dir / CARD_NAME).exists()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            self._session, self._tokenizer = load_session(self.model_dir, self.card, self.threads)

    def logits(self, texts: Sequence[str], parents: Sequence[str | None] | None = None) -> list[list[float]]:
        """Raw logits per text (one list per text, in label order), one ONNX call per text."""
        import numpy as np

        if self._session is None:
            self._load()
        parents = list(parents) if parents is not None else [None] * len(texts)
        out = []
        for text, parent in zip(texts, parents):
            if parent:
                enc = self._tokenizer.encode(prepare(text), prepare(parent))
            else:
                enc = self._tokenizer.encode(prepare(text))
            ids = np.array([enc.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.array([enc.type_ids], dtype=np.int64)}
            (result,) = self._session.run(["logits"], feed)
            out.append([float(x) for x in result[0]])
        return out

    def probabilities(self, texts: Sequence[str], parents: Sequence[str | None] | None = None) -> list[dict[str, float]]:
        labels = self.labels
        return [dict(zip(labels, (_sigmoid(x) for x in row))) for row in self.logits(texts, parents)]


@lru_cache(maxsize=1)
def default_conduct_model() -> ConductModel:
    """The shipped conduct model, one per process."""
    return ConductModel()
