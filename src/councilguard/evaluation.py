"""Scoring the checker against labelled messages, the way shared/tools/score.py matches them.

A finding at warn or block counts as flagged. For each rule: a hit when expected and flagged, a miss
when expected and not flagged, a false alarm when flagged but neither expected, allowed nor expected
as advice. Hard negatives are messages with nothing expected; their false-alarm rate is reported
apart, because a checker that cries wolf on civil posts is switched off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

LEVELS = {"ok": 0, "advice": 1, "warn": 2, "block": 3}
NONE = "(none)"


@dataclass
class RuleScore:
    hits: int = 0
    misses: int = 0
    false_alarms: int = 0

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.false_alarms) if self.hits + self.false_alarms else 0.0

    @property
    def recall(self) -> float:
        return self.hits / (self.hits + self.misses) if self.hits + self.misses else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.hits + self.misses


@dataclass
class Evaluation:
    rules: dict[str, RuleScore] = field(default_factory=dict)
    confusion: Counter = field(default_factory=Counter)  # (expected or NONE, flagged or NONE) -> count
    messages: int = 0
    passed: int = 0
    negatives: int = 0
    negative_alarms: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def macro(self, only: Iterable[str] | None = None) -> tuple[float, float, float]:
        names = [r for r in (only or self.rules) if r in self.rules]
        if not names:
            return 0.0, 0.0, 0.0
        scores = [self.rules[r] for r in names]
        return (sum(s.precision for s in scores) / len(scores), sum(s.recall for s in scores) / len(scores),
                sum(s.f1 for s in scores) / len(scores))

    @property
    def false_alarm_rate(self) -> float:
        return self.negative_alarms / self.negatives if self.negatives else 0.0

    @property
    def pass_rate(self) -> float:
        return self.passed / self.messages if self.messages else 0.0


def evaluate(labelled: list[dict[str, Any]], reports: list[dict[str, Any]]) -> Evaluation:
    """Match reports to labelled messages by id and score them."""
    by_id = {r.get("id"): r for r in reports}
    ev = Evaluation()
    for m in labelled:
        ev.messages += 1
        r = by_id.get(m.get("id"))
        expect, allow = set(m.get("expect", [])), set(m.get("allow", []))
        advice = set(m.get("expect_advice", []))
        if r is None or "error" in r:
            ev.failures.append((str(m.get("id")), "no report" if r is None else r["error"]))
            for rule in expect:
                ev.rules.setdefault(rule, RuleScore()).misses += 1
            continue
        findings = r.get("findings", [])
        flagged = {f["rule"] for f in findings if LEVELS.get(f.get("severity"), 0) >= 2}
        reported = {f["rule"] for f in findings}
        ok = True
        for rule in expect:
            score = ev.rules.setdefault(rule, RuleScore())
            if rule in flagged:
                score.hits += 1
            else:
                score.misses += 1
                ok = False
        alarms = flagged - expect - allow - advice
        for rule in alarms:
            ev.rules.setdefault(rule, RuleScore()).false_alarms += 1
            ok = False
        if advice - reported:
            ok = False
        if LEVELS.get(r.get("verdict"), 0) < LEVELS[m.get("verdict_min", "ok")]:
            ok = False
        if not expect and not advice:
            ev.negatives += 1
            if flagged - allow:
                ev.negative_alarms += 1
        for e in sorted(expect) or [NONE]:
            got = sorted((flagged & {e}) | alarms) or [NONE]
            for f in got:
                ev.confusion[(e, f)] += 1
        ev.passed += ok
        if not ok:
            ev.failures.append((str(m.get("id")), f"expected {sorted(expect | advice) or 'nothing'}, "
                                                  f"flagged {sorted(flagged) or 'nothing'}"))
    return ev
