"""Test a policy pack the way councilguard tests its own: table-driven cases, message -> rules.

A case file (YAML) holds cases for one rule::

    rule: abuse-councillor
    about: |            # optional prose for the rule's docs page ("What it checks")
      ...
    defaults:           # message fields every case starts from
      kind: post
      author: {name: Colin Baxter, role: councillor, email: cllr.baxter@croxleygreen-pc.gov.uk}
    cases:
      - text: "Cllr Hargreaves is a spineless idiot."
        breach: true                       # the rule must be reported
        why: abuse aimed at a named councillor
      - text: "I disagree with Cllr Hargreaves on parking."
        breach: false                      # the rule must not be reported
        allow: [missing-disclaimer]        # other rules that may also be reported
        message: {channel: web-comment}    # per-case overrides of the defaults

A case passes when the rule is reported exactly when ``breach`` is true, and no rule outside
``{rule} | allow`` is reported at warn or block. Use :func:`check_case` from your own tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from councilguard.engine import Checker
from councilguard.model import Report


@dataclass
class Case:
    rule: str
    text: str
    breach: bool
    why: str = ""
    allow: list[str] = field(default_factory=list)
    message: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    def as_message(self) -> dict[str, Any]:
        return {**self.message, "text": self.text, "id": self.name}


@dataclass
class CaseFile:
    rule: str
    path: Path
    about: str
    cases: list[Case]


def load_case_file(path: str | Path) -> CaseFile:
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = data["rule"]
    defaults = data.get("defaults") or {}
    cases = []
    for i, raw in enumerate(data["cases"]):
        message = _merge(defaults, raw.get("message") or {})
        cases.append(Case(rule=rule, text=raw["text"], breach=bool(raw["breach"]), why=raw.get("why", ""),
                          allow=list(raw.get("allow") or []), message=message,
                          name=raw.get("name") or f"{rule}#{i + 1}"))
    return CaseFile(rule=rule, path=path, about=(data.get("about") or "").strip(), cases=cases)


def load_cases(folder: str | Path) -> list[Case]:
    out: list[Case] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        out.extend(load_case_file(path).cases)
    return out


def check_case(checker: Checker, case: Case, base_dir: Path | None = None) -> tuple[list[str], Report]:
    """Problems with one case (empty when it passes) and the report it produced."""
    report = checker.check(case.as_message(), base_dir=base_dir)
    problems = []
    found = report.rules
    if case.breach and case.rule not in found:
        problems.append(f"{case.name}: expected {case.rule}, got {sorted(found) or 'nothing'}")
    if not case.breach and case.rule in found:
        problems.append(f"{case.name}: {case.rule} reported but the case complies")
    unexpected = {f.rule for f in report.findings if f.severity.rank >= 2} - {case.rule, *case.allow}
    if unexpected:
        problems.append(f"{case.name}: unexpected {sorted(unexpected)}")
    return problems, report


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
