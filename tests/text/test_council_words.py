"""The words for a local council's kind, shared by the detectors so that every council's packs work."""

from __future__ import annotations

import re

import pytest

from councilguard import Checker, Pack
from councilguard.text.council_words import LOCAL_COUNCIL, kind_of


@pytest.mark.parametrize("name, kind", [
    ("Croxley Green Parish Council", "parish"),
    ("Manordeilo & Salem Community Council", "community"),
    ("Berkhamsted Town Council", "town"),
    ("Three Rivers District Council", None),  # not a local council's kind
])
def test_kind_of_a_council_name(name, kind):
    assert kind_of(name) == kind


@pytest.mark.parametrize("text, found", [
    ("the parish council", True), ("the community council", True), ("the town council", True),
    ("the council", True), ("the county council", False),
])
def test_local_council(text, found):
    assert bool(re.fullmatch(rf"the\s+{LOCAL_COUNCIL}", text)) is found


def test_the_disclaimer_fix_names_the_council_it_is_for():
    checker = Checker(Pack.bundled("manordeilo-salem"))
    report = checker.check({"text": "The precept should not go up again this year.", "kind": "comment",
                            "channel": "news-comment", "account": "personal",
                            "author": {"name": "Ruth Callaghan", "role": "councillor",
                                       "email": "cllr.callaghan@manordeilo-salem-cc.gov.uk"}})
    (finding,) = [f for f in report.findings if f.rule == "missing-disclaimer"]
    assert "not necessarily those of Manordeilo & Salem Community Council" in finding.fixes[0].replacement
