#!/usr/bin/env python3
"""Build the screen that spares the conduct model most civil text: hashed n-grams + logistic regression.

    .venv/bin/python training/train_screen.py        # after conduct_inputs.py and train_conduct.py build

The transformer costs about 0.2 ms a word piece on one core, so a 3,000-character e-mail costs
~150 ms to judge, too slow for a relay that must keep up with a council's mail. Most council text is
plainly civil; a linear model over word and character n-grams (~0.4 ms) passes on to the transformer
only the passages that might breach a conduct rule. Its threshold is chosen on the conduct model's
hold-out (the same rows, never trained on) so that it passes 97% of the passages that breach a rule
(passing 99% let through short friendly lines the model misreads); civil passages below it are judged
civil without the transformer.

Trained on data/council/train*.jsonl minus the hold-out, from the tagged inputs that
``conduct_inputs.py`` writes (the same text the transformer reads). Writes
``src/councilguard/models/screen.npz`` and its card ``screen.json``. Deterministic (liblinear-free lbfgs
on fixed data).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from councilguard.classify.screen import RULES, Screen, features

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "training" / "build-conduct"
MODELS = ROOT / "src" / "councilguard" / "models"
RECALL = 0.97
C = 4.0


def main() -> None:
    lines = (WORK / "inputs.jsonl").read_text(encoding="utf-8").splitlines()
    inputs = {d["id"]: d for d in map(json.loads, lines[1:])}
    hold = set(json.loads((WORK / "holdout-ids.json").read_text()))
    rows = [json.loads(line) for p in sorted((ROOT / "data" / "council").glob("train*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [Screen.join(inputs[r["id"]]["text"], inputs[r["id"]]["parent"]) for r in rows]
    y = np.array([1 if set(r["expect"]) & set(RULES) else 0 for r in rows])
    fit = np.array([r["id"] not in hold for r in rows])
    X = features(texts)
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X[fit], y[fit])
    p = model.predict_proba(X[~fit])[:, 1]
    pos, neg = p[y[~fit] == 1], p[y[~fit] == 0]
    threshold = float(np.floor(np.quantile(pos, 1 - RECALL) * 1000) / 1000)
    figures = {"holdout_rows": int((~fit).sum()), "breaches_passed": round(float((pos >= threshold).mean()), 4),
               "civil_passed": round(float((neg >= threshold).mean()), 4)}
    coef = model.coef_[0].astype(np.float32)
    MODELS.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(MODELS / "screen.npz", coef=coef, intercept=np.float32(model.intercept_[0]))
    card = {"name": "councilguard conduct screen", "model": "screen.npz", "threshold": threshold,
            "features": "word 1-2 grams and char_wb 3-5 grams, each hashed to 2^18, l2-normalised (classify/screen.py)",
            "trained_on": "data/council/train*.jsonl minus the conduct model's hold-out; tagged inputs",
            "target": "the message breaches any of the ten conduct rules", "C": C, "recall_target": RECALL,
            "evaluation": figures, "sha256": hashlib.sha256((MODELS / "screen.npz").read_bytes()).hexdigest(),
            "command": "training/train_screen.py"}
    (MODELS / "screen.json").write_text(json.dumps(card, indent=1) + "\n")
    print(json.dumps(card, indent=1))


if __name__ == "__main__":
    main()
