"""Every case in tests/cases/rules/*.yaml: the same examples the rule docs show."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilguard.testing import check_case, load_case_file

RULES = Path(__file__).resolve().parent / "rules"
FILES = sorted(RULES.glob("*.yaml"))
CASES = [(f, c) for f in FILES for c in load_case_file(f).cases]


@pytest.mark.parametrize("path,case", CASES, ids=[c.name for _, c in CASES])
def test_case(checker, path, case):
    problems, report = check_case(checker, case, base_dir=path.parent)
    assert not problems, f"{problems}\n{case.text!r}\n{report.to_dict()}"


def test_every_rule_has_ten_cases_half_complying(checker):
    for rule in checker.pack.rules:
        path = RULES / f"{rule.id}.yaml"
        assert path.exists(), f"no case file for {rule.id}"
        cases = load_case_file(path).cases
        assert len(cases) >= 10, f"{rule.id} has {len(cases)} cases"
        complying = sum(not c.breach for c in cases)
        assert complying * 2 >= len(cases), f"{rule.id}: only {complying} of {len(cases)} cases comply"
        assert any(c.breach for c in cases), f"{rule.id}: no breaching case"
