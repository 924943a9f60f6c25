#!/usr/bin/env python3
"""Quality and speed of the shipped offensive-language model (councilguard.classify).

Prints macro F1 and per-class precision/recall on OLID's validation split at the card's threshold
(tuned on held-out *train* data, never on val), then p50/p95 latency of scoring one post at a time
on one core (pinned with sched_setaffinity, one onnxruntime thread), plus load time.

    .venv/bin/python benchmarks/offensive_olid.py [--data ../shared/data] [--runs 500]

Peers on the same split (design/DEPENDENCIES.md): TF-IDF + LinearSVC 0.719, MiniLM embeddings + LR 0.735.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import percentile, pin_to_one_core  # noqa: E402
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"


def read(folder: Path, split: str) -> tuple[list[str], list[int]]:
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (folder / f"{split}_labels.txt").read_text().split()]
    assert len(texts) == len(labels)
    return texts, labels


def per_class(labels: list[int], pred: list[int]) -> dict[int, tuple[float, float, float]]:
    out = {}
    for c in (0, 1):
        tp = sum(p == c and y == c for p, y in zip(pred, labels))
        npred = sum(p == c for p in pred)
        ntrue = sum(y == c for y in labels)
        precision = tp / npred if npred else 0.0
        recall = tp / ntrue if ntrue else 0.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        out[c] = (precision, recall, f1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()

    pin_to_one_core()
    from councilguard.classify import OffensiveModel

    model = OffensiveModel()
    start = time.perf_counter()
    model.score(["warm up"])
    load_s = time.perf_counter() - start

    texts, labels = read(args.data / "olid", "val")
    start = time.perf_counter()
    probs = model.score(texts)
    batch_s = time.perf_counter() - start
    threshold = model.threshold
    pred = [int(p >= threshold) for p in probs]
    scores = per_class(labels, pred)
    macro = statistics.mean(f for _, _, f in scores.values())
    print(f"OLID val ({len(texts)} tweets), threshold {threshold:.2f} (from the model card)")
    print(f"  macro F1 {macro:.4f}")
    for c, name in ((0, "not offensive"), (1, "offensive")):
        p, r, f = scores[c]
        print(f"  class {c} {name:<14} precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    at_half = per_class(labels, [int(p >= 0.5) for p in probs])
    print(f"  macro F1 at 0.5: {statistics.mean(f for _, _, f in at_half.values()):.4f}")

    hate = args.data / "hateval"
    if hate.exists():
        h_texts, h_labels = read(hate, "val")
        h_pred = [int(p >= threshold) for p in model.score(h_texts)]
        h_macro = statistics.mean(f for _, _, f in per_class(h_labels, h_pred).values())
        print(f"HatEval val (information only: hate is not offence): macro F1 {h_macro:.4f}")

    times = []
    for i in range(args.runs):
        text = texts[i % len(texts)]
        t0 = time.perf_counter()
        model.score([text])
        times.append((time.perf_counter() - t0) * 1000)
    card = model.card
    size = (model.model_dir / card["model"]).stat().st_size / 1e6
    print(f"one post, one core, {args.runs} runs: p50 {percentile(times, 0.5):.2f} ms, "
          f"p95 {percentile(times, 0.95):.2f} ms")
    print(f"batched, one core: {len(texts) / batch_s:.0f} posts/s; load {load_s:.2f} s; model {size:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
