"""Scoring matches shared/tools/score.py: hits, misses, false alarms, hard negatives, confusion."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from councilguard.evaluation import NONE, evaluate
from tests.conftest import CASES


def f(rule, severity="warn"):
    return {"rule": rule, "severity": severity}


@pytest.mark.parametrize("label,findings,hits,misses,alarms,passed", [
    ({"expect": ["a"]}, [f("a")], {"a": 1}, {}, {}, True),
    ({"expect": ["a"]}, [f("a", "advice")], {}, {"a": 1}, {}, False),
    ({"expect": ["a"]}, [], {}, {"a": 1}, {}, False),
    ({"expect": []}, [f("b")], {}, {}, {"b": 1}, False),
    ({"expect": [], "allow": ["b"]}, [f("b")], {}, {}, {}, True),
    ({"expect": [], "expect_advice": ["c"]}, [f("c", "advice")], {}, {}, {}, True),
    ({"expect": [], "expect_advice": ["c"]}, [], {}, {}, {}, False),
    ({"expect": ["a"], "verdict_min": "block"}, [f("a", "warn")], {"a": 1}, {}, {}, False),
])
def test_counts(label, findings, hits, misses, alarms, passed):
    verdict = max((x["severity"] for x in findings), key=["advice", "warn", "block"].index, default="ok")
    ev = evaluate([{"id": "1", **label}], [{"id": "1", "verdict": verdict, "findings": findings}])
    assert {k: v.hits for k, v in ev.rules.items() if v.hits} == hits
    assert {k: v.misses for k, v in ev.rules.items() if v.misses} == misses
    assert {k: v.false_alarms for k, v in ev.rules.items() if v.false_alarms} == alarms
    assert ev.passed == int(passed)


def test_precision_recall_f1_and_hard_negatives():
    labelled = [{"id": str(i), "expect": e} for i, e in enumerate([["a"], ["a"], [], []])]
    reports = [{"id": "0", "verdict": "warn", "findings": [f("a")]},
               {"id": "1", "verdict": "ok", "findings": []},
               {"id": "2", "verdict": "warn", "findings": [f("a")]},
               {"id": "3", "verdict": "ok", "findings": []}]
    ev = evaluate(labelled, reports)
    a = ev.rules["a"]
    assert (a.precision, a.recall) == (0.5, 0.5) and a.f1 == pytest.approx(0.5)
    assert ev.false_alarm_rate == 0.5
    assert ev.confusion[("a", "a")] == 1 and ev.confusion[("a", NONE)] == 1 and ev.confusion[(NONE, "a")] == 1


def test_eval_command_on_the_public_examples():
    r = subprocess.run([sys.executable, "-m", "councilguard", "eval", "--json", str(CASES / "public" / "messages.jsonl")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    assert figures["messages"] == 33
    assert figures["macro"]["f1"] > 0.9
