"""Every case in tests/cases/packs/barrington/*.yaml, checked against the bundled Barrington pack.

The same case format and checks as tests/cases/rules (councilguard.testing), with a Checker built from
Barrington's own pack, so an expected finding comes from Barrington's rule and its clause.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from councilguard import Checker, Pack
from councilguard.testing import check_case, load_case_file

PACK = Pack.bundled("barrington")
CASES_DIR = Path(__file__).resolve().parent / "packs" / "barrington"
FILES = sorted(CASES_DIR.glob("*.yaml"))
CASES = [(f, c) for f in FILES for c in load_case_file(f).cases]


@pytest.fixture(scope="module")
def barrington() -> Checker:
    return Checker.from_pack(PACK.root)


@pytest.mark.parametrize("path,case", CASES, ids=[f"barrington/{c.name}" for _, c in CASES])
def test_case(barrington, path, case):
    problems, report = check_case(barrington, case, base_dir=path.parent)
    assert not problems, f"{problems}\n{case.text!r}\n{report.to_dict()}"
    if case.breach:
        # the finding is the Barrington rule, quoting Barrington's clause, not another pack's
        finding = next(f for f in report.findings if f.rule == case.rule)
        rule = PACK.rule(case.rule)
        assert finding.severity == rule.severity
        assert finding.clause == rule.clause
        assert finding.detector in {use.detector for use in rule.detect}


def test_checker_is_barringtons(barrington):
    assert barrington.pack.id == "barrington"
    assert barrington.pack.council.name == "Barrington Parish Council"


def test_every_rule_has_four_breaching_and_four_complying_cases():
    files = {load_case_file(f).rule: load_case_file(f) for f in FILES}
    assert set(files) == {r.id for r in PACK.rules}, "one case file per Barrington rule, and no other"
    for rule in PACK.rules:
        cases = files[rule.id].cases
        assert all(c.rule == rule.id for c in cases)
        breaching = sum(c.breach for c in cases)
        complying = len(cases) - breaching
        assert breaching >= 4, f"{rule.id}: only {breaching} breaching cases"
        assert complying >= 4, f"{rule.id}: only {complying} complying cases"
