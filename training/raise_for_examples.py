#!/usr/bin/env python3
"""Raise per-rule thresholds until no documented complying example is flagged by the conduct model.

    .venv/bin/python training/raise_for_examples.py '{"abuse-councillor": 0.5, ...}'

Takes the thresholds chosen on the development lines (``tune_judge.py``, F0.5) and, per rule, prints the
lowest value on the 0.05 grid at or above it at which the model flags none of the rule pages' examples
(tests/cases/rules: complying cases, and breaching ones for rules they neither breach nor allow) and
none of the public examples wrongly. These examples are the rules' specification, so a threshold that
flags one is not shipped. Heads the pack keeps off e-mail within the council's own systems
(``outside_council_mail``) are not charged for such e-mail. Prints each binding example.
"""

from __future__ import annotations

import json
import math
import sys

from councilguard.detectors.base import Context
from councilguard.engine import coerce_message
from councilguard.policy import Pack
from councilguard.testing import load_cases
from tune_judge import LABEL_KEYS, ROOT, judge_params, probability  # same folder: the threshold choice before this one


def examples() -> list[tuple[str, dict, set[str]]]:
    """(name, message, rules it may be flagged for) for every documented example."""
    out = [(c.name, c.as_message(), ({c.rule} if c.breach else set()) | set(c.allow))
           for c in load_cases(ROOT / "tests" / "cases" / "rules")]
    for line in (ROOT / "tests" / "cases" / "public" / "messages.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append((row["id"], {k: v for k, v in row.items() if k not in LABEL_KEYS},
                        set(row.get("expect", [])) | set(row.get("allow", []))))
    return out


def main() -> None:
    start = json.loads(sys.argv[1])
    pack = Pack.resolve("croxley-green")
    params = judge_params(pack)
    need: dict[str, tuple[float, str, float]] = {}
    for name, message, may in examples():
        ctx = Context(coerce_message(message), pack)
        for rule, floor in start.items():
            if rule in may:
                continue
            p = probability(ctx, rule, params.get(rule, {}))
            if p >= floor:
                above = round(math.floor(p * 20 + 1) / 20, 2)  # the grid value just above p
                if above > need.get(rule, (0.0,))[0]:
                    need[rule] = (above, name, round(p, 2))
    final = {rule: max(floor, need.get(rule, (0.0,))[0]) for rule, floor in start.items()}
    for rule, floor in start.items():
        why = f"  bound by {need[rule][1]} (P {need[rule][2]})" if rule in need else ""
        print(f"{rule:28} {floor:.2f} -> {final[rule]:.2f}{why}")
    print(json.dumps(final))


if __name__ == "__main__":
    main()
