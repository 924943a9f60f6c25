#!/usr/bin/env python3
"""Choose how the pack uses the conduct model, on training rows the model never saw.

    .venv/bin/python training/tune_judge.py [--model DIR]

Reads the hold-out ids written by ``train_conduct.py build`` (training/build-conduct/holdout-ids.json),
checks those rows with the word-list detectors alone, gets the model's probability per rule (the best
chunk, as ``judge.conduct`` does), and prints macro F1 over the ten conduct rules and the false-alarm
rate on hard negatives for a grid of report floors: a rule is reported when its word lists fire or when
P >= max(card threshold, floor). The floor goes into the pack's ``judge.conduct`` params. Nothing here
reads data/council/test.jsonl: it is scored once, afterwards, with ``councilguard eval``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from councilguard.classify import conduct as conduct_module
from councilguard.detectors import judge
from councilguard.detectors.base import Context
from councilguard.engine import Checker, coerce_message
from councilguard.evaluation import evaluate
from councilguard.policy import Pack

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "training" / "build-conduct"
RULES = ["abuse-councillor", "derogatory-council", "inflammatory-staff", "disrespect-public", "untrue-statement",
         "harassment-discrimination", "undermines-confidence", "confidential-information", "responding-to-negative",
         "counter-to-council"]
LABEL_KEYS = {"expect", "allow", "expect_advice", "verdict_min", "func", "source", "why", "characteristic"}


def without_judge(pack: Pack) -> Pack:
    rules = [r.model_copy(update={"detect": [d for d in r.detect if d.detector != "judge.conduct"]}) for r in pack.rules]
    return dataclasses.replace(pack, policy=pack.policy.model_copy(update={"rules": rules}))


def judge_params(pack: Pack) -> dict[str, dict]:
    """Each head's ``judge.conduct`` params in the pack."""
    return {d.params["label"]: d.params for r in pack.rules for d in r.detect if d.detector == "judge.conduct"}


def probability(ctx: Context, rule: str, params: dict) -> float:
    """The head's probability for the message as the pack's ``judge.conduct`` would judge it (0 where a param keeps
    the head off the message: e-mail within the council, no reply, a hand-over to the Clerk)."""
    if not judge.applies(ctx, judge.JudgeParams(label=rule, **{k: v for k, v in params.items() if k != "label"})):
        return 0.0
    return (judge.best(ctx, rule) or (None, 0.0))[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(WORK / "out"), help="folder holding conduct.onnx and its card")
    ap.add_argument("--rows", default=str(WORK / "holdout-ids.json"))
    args = ap.parse_args()

    model = conduct_module.ConductModel(args.model)
    conduct_module.default_conduct_model = lambda: model  # judge._model() looks it up on each call
    ids = set(json.loads(Path(args.rows).read_text()))
    files = sorted((ROOT / "data" / "council").glob("train*.jsonl")) + sorted((ROOT / "data" / "council").glob("dev*.jsonl"))
    rows = [json.loads(line) for p in files for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["id"] in ids]
    pack = Pack.resolve("croxley-green")
    words = Checker(without_judge(pack))
    params = judge_params(pack)
    base, probs = [], []
    for r in rows:
        msg = coerce_message({k: v for k, v in r.items() if k not in LABEL_KEYS})
        base.append(words.check(msg).to_dict())
        ctx = Context(msg, pack)
        probs.append({rule: probability(ctx, rule, params.get(rule, {})) for rule in RULES})
    card = model.card["thresholds"]
    print(f"{len(rows)} hold-out rows; card thresholds: " + ", ".join(f"{k} {card[k]:.2f}" for k in RULES))
    print(f"{'floor':>6} {'macroP':>7} {'macroR':>7} {'macroF1':>8} {'FA':>6}")
    for floor in [None, 0.0, 0.5, 0.7, 0.9]:
        chosen = {rule: max(card[rule], floor) for rule in RULES} if floor is not None else None
        ev = score(rows, base, probs, chosen)
        mp, mr, mf = ev.macro(RULES)
        label = "words" if floor is None else f"{floor:.1f}"
        print(f"{label:>6} {mp:7.3f} {mr:7.3f} {mf:8.3f} {ev.false_alarm_rate:6.3f}")
    print("\nper-rule thresholds maximising F-beta on the hold-out (beta < 1 weighs precision):")
    for beta in (1.0, 0.7, 0.5):
        chosen = {rule: max(GRID, key=lambda t: (f_beta(rows, base, probs, rule, t, beta), t)) for rule in RULES}
        ev = score(rows, base, probs, chosen)
        mp, mr, mf = ev.macro(RULES)
        print(f"beta {beta}: macro P {mp:.3f} R {mr:.3f} F1 {mf:.3f}, false alarms {ev.false_alarm_rate:.3f}")
        print("   " + json.dumps(chosen))


GRID = [round(0.3 + 0.05 * i, 2) for i in range(14)]  # 0.30 … 0.95


def flagged(row: dict, base: dict, p: dict, thresholds: dict | None) -> set[str]:
    rules = {f["rule"] for f in base["findings"] if f["severity"] in ("warn", "block")}
    if thresholds:
        rules |= {r for r in RULES if p[r] >= thresholds[r] and (r != "responding-to-negative" or row.get("in_reply_to"))}
    return rules


def score(rows, base, probs, thresholds):
    reports = [{"id": r["id"], "verdict": "warn" if (f := flagged(r, b, p, thresholds)) else "ok",
                "findings": [{"rule": x, "severity": "warn"} for x in f]} for r, b, p in zip(rows, base, probs)]
    return evaluate(rows, reports)


def f_beta(rows, base, probs, rule, t, beta):
    tp = fp = fn = 0
    for r, b, p in zip(rows, base, probs):
        hit = rule in flagged(r, b, p, {k: (t if k == rule else 2.0) for k in RULES})
        if rule in r["expect"]:
            tp, fn = tp + hit, fn + (not hit)
        elif rule not in r.get("allow", []):
            fp += hit
    b2 = beta * beta
    return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0

if __name__ == "__main__":
    main()
