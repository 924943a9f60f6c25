"""Every case in tests/cases/packs/<pack>/*.yaml, checked against the bundled pack of the same name.

The same case format and checks as tests/cases/rules (councilguard.testing), with a Checker built from
each pack's own folder, so an expected finding comes from that pack's rule and its clause. A new folder
under tests/cases/packs/ is picked up without changing this file; tools/rule_docs.py builds the pack's
pages in docs/rules/<pack>/ from the same cases.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from councilguard import Checker, Pack
from councilguard.testing import check_case, load_case_file

PACKS_DIR = Path(__file__).resolve().parent / "packs"
PACK_IDS = sorted(p.name for p in PACKS_DIR.iterdir() if p.is_dir())
FILES = {pack: sorted((PACKS_DIR / pack).glob("*.yaml")) for pack in PACK_IDS}
CASES = [(pack, f, c) for pack in PACK_IDS for f in FILES[pack] for c in load_case_file(f).cases]
# The council each pack's checker must be built for, so a case never runs against another pack by mistake.
COUNCILS = {"barrington": "Barrington Parish Council",
            "manordeilo-salem": "Manordeilo & Salem Community Council"}


@lru_cache(maxsize=None)
def pack(pack_id: str) -> Pack:
    return Pack.bundled(pack_id)


@lru_cache(maxsize=None)
def checker(pack_id: str) -> Checker:
    return Checker.from_pack(pack(pack_id).root)


def test_packs_with_case_tables():
    assert {"barrington", "manordeilo-salem"} <= set(PACK_IDS)
    assert all(FILES[pack] for pack in PACK_IDS), "an empty folder under tests/cases/packs/"


@pytest.mark.parametrize("pack_id,path,case", CASES, ids=[f"{p}/{c.name}" for p, _, c in CASES])
def test_case(pack_id, path, case):
    problems, report = check_case(checker(pack_id), case, base_dir=path.parent)
    assert not problems, f"{problems}\n{case.text!r}\n{report.to_dict()}"
    if case.breach:
        # the finding is this pack's rule, quoting this pack's clause, not another pack's
        finding = next(f for f in report.findings if f.rule == case.rule)
        rule = pack(pack_id).rule(case.rule)
        assert finding.severity == rule.severity
        assert finding.clause == rule.clause
        assert finding.detector in {use.detector for use in rule.detect}


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_checker_is_the_packs_own(pack_id):
    assert checker(pack_id).pack.id == pack_id
    if pack_id in COUNCILS:
        assert checker(pack_id).pack.council.name == COUNCILS[pack_id]


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_every_rule_has_four_breaching_and_four_complying_cases(pack_id):
    rules = pack(pack_id).rules
    files = {load_case_file(f).rule: load_case_file(f) for f in FILES[pack_id]}
    assert set(files) == {r.id for r in rules}, f"one case file per {pack_id} rule, and no other"
    for rule in rules:
        cases = files[rule.id].cases
        assert all(c.rule == rule.id for c in cases)
        breaching = sum(c.breach for c in cases)
        complying = len(cases) - breaching
        assert breaching >= 4, f"{pack_id}/{rule.id}: only {breaching} breaching cases"
        assert complying >= 4, f"{pack_id}/{rule.id}: only {complying} complying cases"
