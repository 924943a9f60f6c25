"""Confidential council information: a confidential topic plus what it disclosed, table-driven (text -> found or not)."""

from __future__ import annotations

import pytest

from councilguard.detectors.confidential import disclosure
from tests.detectors.drafts import draft, fires


@pytest.mark.parametrize("text,replying_to,expected", [
    ("Draft budget (not public till Tuesday) has the market pitch fee going up to £38.", None, True),
    ("Shona's off because of a grievance she's raised against one of the councillors.", None, True),
    ("The staffing committee recommends a 2% pay award for council staff, in line with the national agreement.", None,
     False),
    # tender prices before the award, and a closed meeting's scores
    ("Not yet, it's between Redmond Roofing at £38k and a Watford firm at £41k. Council picks next week.", None, True),
    ("Not officially decided yet, but Bean & Gone came in cheapest at £14,200 a year.", None, True),
    ("Heads up, the grants panel scored you 14/30 in the closed meeting, so it's not looking good.", None, True),
    # a refusal to release, or what the council has published: nothing disclosed
    ("The council won't publish the legal advice on the lease. Legal advice is privileged.", None, False),
    ("The caretaker's tribunal claim was settled last year and the council published a short statement.", None, False),
    ("There's a claim against the fair operator, listed in the published minutes. I can't say more while it's ongoing.",
     None, False),
    # legal advice disclosed: counsel's view, what the council has been advised, its own lawyers' admissions
    ("Counsel's view is that the older fees can't be recovered, so expect a settlement.", None, True),
    ("The council has been advised that its objection is unlikely to succeed.", None, True),
    ("The council's own lawyers have admitted in a letter that we missed two inspections.", None, True),
    # papers not yet public, and what they say
    ("The draft audit (not published yet) says the reserves are below the recommended level.", None, True),
    ("The finance papers (confidential until Thursday) recommend a 12% rent rise.", None, True),
    # a closed decision, passed on
    ("The council decided last night, in private, to offer the traders a 50% discount.", None, True),
    # business passed on while the author marks it secret, the business named in the post replied to
    ("GreenEdge, but it hasn't been announced yet so mum's the word 🤫", "Who's getting the grass cutting contract?", True),
    ("A little bird tells me someone's about to get an offer on the lease they can't refuse.", None, True),
    # what follows a colon is what the advice, closed item or shortlist said
    ("Counsel's view on the market case: strong on the last two years' fees, weak on anything older.", None, True),
    ("Shortlist for the Events Officer job: three candidates, one of them a former councillor's daughter.", None, True),
    # a negotiation's figures, a finding against a councillor, staff matters that are themselves the news
    ("The council has offered the Tilbury family £185k and they want £220k.", None, True),
    ("The Monitoring Officer has found a case to answer against a parish councillor.", None, True),
    ("Just out of staffing committee. The grounds apprentice has failed his probation.", None, True),
    ("The Clerk's been off with stress since January.", None, True),
    ("Our Deputy Clerk is on a final written warning. Not saying what for.", None, True),
    ("Screenshot of the Clerk's confidential email to councillors about the insurance claim below 👇", None, True),
    ("Rec changing rooms bids are in: three of them between £310k and £365k.", None, True),
    ("Lease talks on the pavilion kiosk: the tenant wants ten years at £350 a month, we're offering five.", None, True),
    # nothing disclosed: procedure, refusals, what is already public, secrets that are not council business
    ("If a councillor ever leaked Part 2 papers here, I'd expect them to be reported to the Monitoring Officer.", None,
     False),
    # what is, or will be, public record; a refusal
    ("Three Rivers' monitoring officer found no breach in the complaint against Cllr Sharma. The decision notice is "
     "published on their site.", None, False),
    ("Minutes of the 3 March closed session will be published once the market dispute is over.", None, False),
    ("The decision on the lease was made in closed session, but the outcome was reported in open session: £9,000 a year.",
     None, False),
    ("Asked how I voted in Part 2: I won't say. That's the point of Part 2.", None, False),
    ("My confidential confession: I've never won a single raffle at the allotment show.", None, False),
    ("Complaints about the council go to the Clerk: clerk@croxleygreen-pc.gov.uk, or the office on Tuesdays.", None, False),
    ("For the record, Gary was off sick with a broken wrist and has still come in.", None, False),
    ("The draft local plan has not been published yet, so I can't comment on it.", None, False),
    ("Counsel's opinion will be considered at the meeting on the 12th; the item will be taken in closed session.", None, False),
    ("I'd rather talk about this in private, Jean. Ring me tomorrow.", None, False),
    ("Surprise party for Margaret on Friday, mum's the word 🤫", "Anything happening for the Chair's 70th?", False),
    ("The audit report has been published on the council's website.", None, False),
])
def test_disclosure(text, replying_to, expected):
    assert fires(disclosure, draft(text, replying_to)) is expected
