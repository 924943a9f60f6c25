"""The 33 public examples, checked through the batch contract and scored as score.py scores them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from councilguard.batch import check_lines

PUBLIC = Path(__file__).resolve().parent / "public"
LEVELS = {"ok": 0, "advice": 1, "warn": 2, "block": 3}
MESSAGES = [json.loads(line) for line in (PUBLIC / "messages.jsonl").read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def reports(checker):
    lines = (PUBLIC / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in check_lines(checker, lines, base_dir=PUBLIC)}


@pytest.mark.parametrize("m", MESSAGES, ids=[m["id"] for m in MESSAGES])
def test_example(reports, m):
    r = reports[m["id"]]
    flagged = {f["rule"] for f in r["findings"] if LEVELS[f["severity"]] >= 2}
    reported = {f["rule"] for f in r["findings"]}
    expect, allow, advice = set(m["expect"]), set(m["allow"]), set(m["expect_advice"])
    assert expect <= flagged, f"missed {expect - flagged}: {r}"
    assert not (flagged - expect - allow - advice), f"false alarm {flagged - expect - allow - advice}: {r}"
    assert advice <= reported, f"advice missing {advice - reported}"
    assert LEVELS[r["verdict"]] >= LEVELS[m["verdict_min"]]


def test_labels_do_not_change_the_result(checker):
    """Labelled lines (expect, why…) must check exactly as unlabelled ones."""
    lines = (PUBLIC / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    bare = []
    for line in lines:
        m = json.loads(line)
        for key in ("expect", "allow", "expect_advice", "verdict_min", "source", "why"):
            m.pop(key, None)
        bare.append(json.dumps(m))
    assert list(check_lines(checker, lines, base_dir=PUBLIC)) == list(check_lines(checker, bare, base_dir=PUBLIC))
