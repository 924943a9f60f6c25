"""Positions counter to the council: taking the other side in a legal matter, table-driven (text -> hit or not)."""

from __future__ import annotations

import pytest

from councilguard.detectors.stance import counter_to_council
from tests.detectors.drafts import draft


def hits(text: str, replying_to: str | None = None) -> list[str]:
    return [text[s:e] for h in counter_to_council(draft(text, replying_to), {}) for s, e in h.spans]


@pytest.mark.parametrize("text,words", [
    # rallying people to defy the council
    ("Market traders: the parish council's new pitch fees start on 1 April. Don't pay them. Refuse together and they'll "
     "have to back down.", "Refuse together"),
    # backing, testifying for or advising the other side of a legal matter
    ("The cricket club has my full support in its claim against the parish council.", "has my full support"),
    ("Every pound helps them beat the council at the tribunal.", "helps them beat"),
    ("The bowls club were treated unfairly and I hope the court awards them costs.", "hope the court awards"),
    ("Their barrister asked me, and I'm willing to give evidence at the hearing.", "willing to give evidence"),
    ("Dear Mr Hale, if it helps your defence I'm happy to say so in writing.", "if it helps your defence"),
    ("Off the record, the minutes back you up. Worth your solicitor asking for them.", "Worth your solicitor"),
    ("If the council's mower damaged your car, put in a claim. They're insured.", "put in a claim"),
    ("My money's on them winning the boundary hearing.", "My money's on them"),
    # opposing the council's own application, order or claim
    ("Come to mine on Thursday to plan how we stop the council's footpath order.", "stop the council's"),
    ("Here's a draft objection to the parish council's own application. Copy it and send it in.",
     "objection to the parish council's own "),
    ("Fill the gallery and don't leave until they vote to drop the pitch fees claim.", "vote to drop the pitch fees claim"),
    ("Let's fill the public gallery and not leave until they vote to drop the PlayQuest claim.",
     "vote to drop the PlayQuest claim"),
    ("The parish council's footpath order is a vanity project and I hope the county throws it out.",
     "hope the county throws it out"),
    ("I've written to the Planning Inspectorate in support of the developer.",
     "written to the Planning Inspectorate in support of"),
    ("I stepped down from the working group on the nursery case so that I can campaign openly for the nursery.",
     "campaign openly for"),
    # siding against the council, and rallying others against its scheme
    ("Why I'm backing the market traders against my own council: a thread", "backing the market traders against my own council"),
    ("The parish council's parking scheme goes to the county next week. Flood the county with objections and we can kill it.",
     "Flood the county with objections"),
])
def test_takes_the_other_side(text, words):
    assert words in hits(text)


@pytest.mark.parametrize("text,replying_to", [
    # no legal matter: support for a team, a fete, a cause
    ("The Rovers have my full support on Saturday. Up the Rovers!", None),
    ("My money's on them winning the tug of war at the fete.", None),
    # inside the council, negated, reported or asked
    ("I disagree with continuing the Fenwick claim, and I'll say so at the meeting, not in public.", None),
    ("I voted against taking Trevor Quinn to court over his plot. I lost, and I won't be campaigning against what the "
     "council decided.", None),
    ("I won't be speaking against the council's objection at the inquiry.", None),
    ("I'm not backing the traders against the parish council; I'll make my case in committee.", None),
    ("I won't be writing to the Planning Inspectorate in support of the appellant.", None),
    ("Residents asked whether they should put in a claim for the flooded drives.", None),
    ('He told the paper the claimants "have my full support", which is his business, not the council\'s.', None),
    # signposting the process
    ("If you have a claim against the council, the Clerk can explain the process; it goes to the insurers.", None),
    ("The council's dispute with the cricket club goes to mediation next month; the report is on the website.", None),
    ("Thanks, Gerald. The Clerk has the objection letters and will report them to the council.",
     "Thanks to everyone who has objected to the footpath application."),
])
def test_clear(text, replying_to):
    assert hits(text, replying_to) == []
