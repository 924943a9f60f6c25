"""`councilguard eval LABELLED.jsonl`: per-rule precision, recall and F1 against labelled messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from councilguard.cli.common import PolicyOption, fail, load_checker

CONDUCT_RULES = ["abuse-councillor", "derogatory-council", "inflammatory-staff", "disrespect-public",
                 "untrue-statement", "harassment-discrimination", "undermines-confidence",
                 "confidential-information", "responding-to-negative", "counter-to-council"]


def eval_(
    labelled: Annotated[Path, typer.Argument(help="JSON lines of messages with labels (expect, allow, expect_advice, verdict_min).")],
    policy: PolicyOption = None,
    rules: Annotated[Optional[list[str]], typer.Option("--rule", help="Average only over these rules (repeat).")] = None,
    conduct: Annotated[bool, typer.Option("--conduct", help="Average over the ten conduct rules.")] = False,
    failures: Annotated[bool, typer.Option("--failures", help="List every message that did not pass.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Score the checker on labelled messages: per-rule P/R/F1, macro average, false alarms, confusion."""
    from councilguard.batch import check_lines
    from councilguard.evaluation import NONE, evaluate

    try:
        lines = labelled.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {labelled}: {exc}")
    messages = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                m = json.loads(line)
            except json.JSONDecodeError as exc:
                fail(f"{labelled}:{n}: not valid JSON: {exc.msg}")
            if isinstance(m, dict) and "id" not in m:
                m["id"] = str(n)
            messages.append(m)
    checker = load_checker(policy)
    reports = list(check_lines(checker, [json.dumps(m) for m in messages], base_dir=labelled.resolve().parent))
    ev = evaluate(messages, reports)
    only = CONDUCT_RULES if conduct else rules
    p, r, f1 = ev.macro(only)
    if as_json:
        typer.echo(json.dumps({
            "rules": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4), "f1": round(v.f1, 4),
                          "hits": v.hits, "misses": v.misses, "false_alarms": v.false_alarms}
                      for k, v in sorted(ev.rules.items())},
            "macro": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "over": only or "all"},
            "false_alarm_rate_hard_negatives": round(ev.false_alarm_rate, 4), "hard_negatives": ev.negatives,
            "messages": ev.messages, "pass_rate": round(ev.pass_rate, 4)}))
        return
    console = Console(width=max(Console().width, 132))
    table = Table(title=f"{labelled.name}: {ev.messages} messages")
    for col in ("rule", "support", "hit", "miss", "false", "precision", "recall", "F1"):
        table.add_column(col, justify="right" if col != "rule" else "left")
    for name, s in sorted(ev.rules.items()):
        table.add_row(name, str(s.support), str(s.hits), str(s.misses), str(s.false_alarms),
                      f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    console.print(table)
    over = "the ten conduct rules" if conduct else (", ".join(rules) if rules else "all rules seen")
    console.print(f"macro over {over}: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    console.print(f"false-alarm rate on hard negatives {ev.false_alarm_rate:.3f} "
                  f"({ev.negative_alarms}/{ev.negatives})   pass rate {ev.pass_rate:.3f}")
    names = sorted({e for e, _ in ev.confusion} | {f for _, f in ev.confusion}, key=lambda x: (x == NONE, x))
    confusion = Table(title="confusion: expected (rows) vs flagged (columns)")
    confusion.add_column("exp\\flag")
    short = {n: n if n == NONE else "".join(w[0] for w in n.split("-")) for n in names}
    for n in names:
        confusion.add_column(short[n], justify="right")
    for e in names:
        if any(ev.confusion[(e, f)] for f in names):
            confusion.add_row(short[e], *[str(ev.confusion[(e, f)] or "") for f in names])
    console.print(confusion)
    console.print("columns: " + ", ".join(f"{short[n]}={n}" for n in names if n != NONE))
    if failures:
        for mid, why in ev.failures:
            console.print(f"FAIL {mid}: {why}")
