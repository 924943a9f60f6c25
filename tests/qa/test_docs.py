"""Self-checks: every rule has a docs page and a case file, and the pages match the cases."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import councilguard
from councilguard.policy import Pack

ROOT = Path(__file__).resolve().parents[2]
SPEC_RULES = ["claims-council-view", "confidential-information", "personal-data", "undermines-confidence",
              "derogatory-council", "inflammatory-staff", "abuse-councillor", "untrue-statement",
              "harassment-discrimination", "disrespect-public", "copyright", "newsgroup-on-behalf",
              "missing-disclaimer", "responding-to-negative", "counter-to-council", "review-capacity",
              "personal-email-account", "official-account-use", "unauthorised-purchase", "council-email-signup",
              "council-logo"]


def test_croxley_pack_has_exactly_the_spec_rules():
    assert sorted(r.id for r in Pack.bundled().rules) == sorted(SPEC_RULES)


def test_every_rule_has_a_page_and_cases():
    for rule in SPEC_RULES:
        assert (ROOT / "docs" / "rules" / f"{rule}.md").is_file(), rule
        assert (ROOT / "tests" / "cases" / "rules" / f"{rule}.yaml").is_file(), rule


def test_rule_pages_are_generated_from_the_cases():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "rule_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rule_pages_have_the_house_headings():
    for rule in SPEC_RULES:
        page = (ROOT / "docs" / "rules" / f"{rule}.md").read_text()
        headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
        assert headings == ["What it checks", "Why it matters", "Breaches", "Complies", "Remedy", "Settings",
                            "References"], rule


def test_public_api_is_what_all_says():
    for name in councilguard.__all__:
        assert hasattr(councilguard, name), name
