"""Allegations of specific wrongdoing about an identifiable person, table-driven (text -> found or not)."""

from __future__ import annotations

import pytest

from councilguard.detectors.defamation import allegation
from tests.detectors.drafts import draft, fires


@pytest.mark.parametrize("text,expected", [
    # money, council property, figures changed after the fact
    ("Cllr Price fiddled his expenses last year.", True),
    ("For those who don't know, Shona McAllister never banked the dog show takings.", True),
    ("Our events officer is flogging the council's strimmers on Facebook Marketplace.", True),
    ("Cllr Price changed the tennis court quote after it came in so that his preferred firm came out cheapest.", True),
    # money taken, quotes invented, an invoice backdated, money lost: the person named beside the phrase, not in it
    ("Lee Garvey at Croxley Eye takes money from developers to write nice stories.", True),
    ("The editor of Croxley Eye made up the quotes in last week's article.", True),
    ("the rfo backdated the insurance invoice so the old policy would cover his mistake.", True),
    ("The Clerk missed the deadline for the play area grant and lost us £25,000.", True),
    ("Someone's spreading that I \"took money from the developer\" on Baldwins Lane. I didn't.", False),
    ("The council took money from the developer as a section 106 contribution for the play area.", False),
    # a private interest of someone in office beside an insinuation; the interest alone, or a joke, is no allegation
    ("Our Chair owns two houses on the road where the new car park is planned. I'm just putting it out there.", True),
    ("The contract went out the week a certain councillor's son started at the firm. Draw your own conclusions.", True),
    ("Our Chair owns two houses on the road where the new car park is planned, and declared it at the meeting.", False),
    ("Has anyone told Cllr Wainwright the pavilion chairs are rated for 20 stone? Asking for a friend.", False),
    # part of a name; a friend teased
    ("If you know of wrongdoing by anyone in public office, Action Fraud and the Monitoring Officer are there.", False),
    ("Keith you old rogue, that's the third raffle you've won this year 😂 are you sure you're not rigging it", False),
    ("Graham Wells still hasn't explained what happened to the £1,300 from the fun run.", True),
    ("Helen Marsh rewrote the minutes of the March meeting to remove my objection.", True),
    ("between us, shona's been claiming overtime for events she didn't even turn up to.", True),
    ("Tina, the short answer is Cllr Cole plays golf with the owner every Sunday. That's how it works round here.", True),
    ("Posts claiming our events officer rewrote the minutes are untrue and unfair.", False),
    ("There's a rumour that the Fridge volunteers take donations home. It isn't true.", False),
    ("Why did Cllr Forsyth leave the room every time it came up, yet never once declare an interest?", True),
    ("The RFO 'lost' £3,000 of market takings last year. Funny how these things happen.", True),
    ("Helen's too cosy with certain developers if you ask me.", True),
    # hedged, it is still published
    ("Apparently Cllr Price fiddled his expenses.", True),
    # about the author, rebutted, or found by a body whose finding is public record
    ("Someone said I fiddled my expenses. There's no truth in it.", False),
    ("Cllr Price fiddled his expenses? There's no truth in that at all.", False),
    ("The standards panel found that Cllr Price had failed to declare an interest.", False),
    ("The café sells the council's leaflets at the till.", False),
    # a court's finding reported; a word said of an act
    ("The Herts Advertiser reports that the former treasurer of a charity was jailed today for theft.", False),
    ('Someone told Cllr Rahman to "go back to Bangladesh" at the station. It\'s racist, and it\'s been reported.', False),
])
def test_allegation(text, expected):
    assert fires(allegation, draft(text)) is expected
