"""Replies to negative remarks about the council: arguing back is flagged, handing it to the Clerk is not (table)."""

from __future__ import annotations

import pytest

from councilguard.detectors.replies import negative_remark
from tests.detectors.drafts import draft, fires

REMARK = "The parish council is useless, nobody ever answers my emails about the bins."


@pytest.mark.parametrize("text,expected", [
    # arguing back
    ("That's not true, we answer every email within a week. Do your research.", True),
    ("Actually, we've done loads on the bins this year, if you bothered to look.", True),
    # handed to the Clerk, as the policy asks
    ("Thanks for raising this, I've passed it to the Clerk.", False),
    ("Noted, Roy. Helen in the office now has your post and the photo.", False),
    ("Hi Martin, I'm not the right person to answer that, but the Clerk is: clerk@croxleygreen-pc.gov.uk.", False),
    ("I'm not able to discuss individual complaints online, but I've made sure the Clerk has seen your message.", False),
])
def test_replies_to_a_negative_remark(text, expected):
    assert fires(negative_remark, draft(text, REMARK, parent_author="Martin")) is expected
