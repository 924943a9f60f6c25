"""Outcomes are data from the pack: only a listed outcome, decided by its body, on a real date, is recorded."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from councilguard.policy import Pack
from councilguard.workflow.desk_errors import InvalidValue
from councilguard.workflow.sanctions import NOT_OURS, Sanctions

TODAY = date(2027, 1, 20)
CROXLEY = Pack.bundled("croxley-green")


def test_the_croxley_green_pack_lists_outcomes_decided_by_the_principal_authority():
    s = Sanctions(CROXLEY)
    assert s.principal_authority == "Three Rivers District Council" and s.configured
    assert [o.id for o in s.options][:3] == ["not-investigated", "informal-resolution", "no-breach"]
    for option in s.options:
        assert "Three Rivers District Council" in option.decided_by
        assert option.legal_basis.startswith("Localism Act 2011 s28")
    assert "does not decide sanctions" in NOT_OURS and "s28" in NOT_OURS


# (case, outcome, decided on, reference, referred on, field, words)
REFUSED = [
    ("not listed", "expelled", TODAY, "DN 1", None, "outcome",
     "'expelled' is not an outcome this council's policy pack lists, so it cannot be recorded; the outcomes are: "
     "not-investigated, informal-resolution, no-breach"),
    ("a parish's own sanction", "ban-from-meetings", TODAY, "DN 1", None, "outcome", "cannot be recorded"),
    ("no date", "no-breach", None, "DN 1", None, "decided_on", "give the date Three Rivers District Council"),
    ("in the future", "no-breach", TODAY + timedelta(days=1), "DN 1", None, "decided_on", "is in the future"),
    ("before the referral", "no-breach", TODAY - timedelta(days=5), "DN 1", TODAY - timedelta(days=1), "decided_on",
     "is before the referral"),
    ("no reference", "no-breach", TODAY, " ", None, "decision_ref", "The decision's reference"),
]


@pytest.mark.parametrize("case, outcome, decided_on, reference, referred_on, where, words", REFUSED,
                         ids=[c[0] for c in REFUSED])
def test_an_outcome_that_cannot_be_recorded_says_why(case, outcome, decided_on, reference, referred_on, where, words):
    with pytest.raises(InvalidValue) as raised:
        Sanctions(CROXLEY).outcome(outcome, decided_on=decided_on, reference=reference, today=TODAY,
                                   referred_on=referred_on)
    assert raised.value.where == where and words in raised.value.message


def test_a_listed_outcome_is_taken_with_its_body_and_law():
    made = Sanctions(CROXLEY).outcome(" breach-censure ", decided_on=TODAY, reference="Standards Cttee 20/01/27",
                                      today=TODAY, referred_on=TODAY - timedelta(days=40))
    assert (made.option.id, made.decided_on, made.reference) == ("breach-censure", TODAY, "Standards Cttee 20/01/27")
    assert made.option.decided_by == "Three Rivers District Council's Standards Committee"


def test_a_pack_without_outcomes_records_none_and_says_where_to_add_them(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(CROXLEY.root, root)
    policy = root / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text[:text.index("\n# Outcomes of a standards complaint")] + "\n", encoding="utf-8")
    s = Sanctions(Pack.load(root))
    assert not s.configured and s.principal_authority is None
    with pytest.raises(InvalidValue, match="lists no outcomes of standards complaints.*sanctions: section"):
        s.option("no-breach")
