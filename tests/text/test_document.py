"""Whose words a span is: quotation marks, reporting verbs and denials, in the order a reader sees them."""

from __future__ import annotations

import pytest

from councilguard.text.document import Document

IN_QUOTE = [  # (text, a phrase inside it, quoted?)
    ("She wrote 'you're a disgrace and you'll be gone in May' on the wall.", "disgrace", True),
    ("Under the post: 'two of them getting married isn't a marriage'. Please remove it.", "marriage", True),
    ("He said \"the Clerk is a liar\" at the meeting.", "liar", True),
    ("The Clerk's report isn't ready and the Chair's view is clear.", "ready", False),
    ("It's the Clerk's job, isn't it? We'll see.", "job", False),
    ("I'm fed up: 'cos the bins weren't emptied.", "bins", False),
]


@pytest.mark.parametrize("text, phrase, quoted", IN_QUOTE, ids=[t[0][:40] for t in IN_QUOTE])
def test_single_quotes_hold_words_with_apostrophes(text: str, phrase: str, quoted: bool) -> None:
    start = text.index(phrase)
    assert Document(text).in_quote(start, start + len(phrase)) is quoted


def test_reported_words_follow_a_reporting_verb_in_their_sentence() -> None:
    text = "Nothing to add. A resident told me I was a crook. I disagree."
    start = text.index("crook")
    assert Document(text).others_words(start, start + 5)
    assert not Document("You are a crook.").others_words(10, 15)


DENIALS = [  # (text, does a sentence deny or rebut a charge?)
    ("Nobody should say the parish council is corrupt: every payment is published.", True),
    ("Nobody is 'too old' to be a councillor.", True),
    ("No one is too young to help with the litter pick.", True),
    ("It's not true that the Clerk took a backhander.", True),
    ("Nobody is listening to residents on this council.", False),
    ("The parish council is corrupt.", False),
    # a charge put in others' mouths and answered in the next sentence, with a denial or with facts
    ("Some say the parish council does nothing for older residents. It funds the lunch club and the minibus.", True),
    ("Somebody posted that Cllr Rahman is only there to tick a box. That is an ugly thing to say.", True),
    ("I keep reading that the council wastes money on the lights. The lights cost £4,200.", True),
    ("Thanks for the questions. Some say the council does nothing for older residents. It funds the lunch club.", True),
    # a name the author refuses to use, a charge not accepted, a question answered "No", a rebuttal that opens "No,"
    ("I'd never call Cllr Dubois a clown.", True),
    ("Nobody who's worked with Dev would call him lazy.", True),
    ("I don't accept that CGPC is 'useless'.", True),
    ("Does this council make mistakes? Yes. Is it a joke? No.", True),
    ("No, the council did not ban dogs from the Green.", True),
    ("Thanks Pat. No, the council did not ban dogs from the Green.", True),
    ("Being divorced doesn't make anyone less fit to serve on the youth committee.", True),
    ("Somebody's been saying Cllr Adeyemi took money from the developer. I've seen the register of interests and "
     "there's nothing there.", True),
    ("No point reporting dog mess to the parish council, there isn't a single bin on the Green.", False),
    ("Is the parish council a joke? Yes.", False),
    # reported and agreed with, or not answered
    ("People say the council is corrupt. They're right, and it costs us £30k.", False),
    ("Some say the parish council is useless.", False),
    ("Some say the parish council is useless. I couldn't possibly comment.", False),
]


@pytest.mark.parametrize("text, denies", DENIALS, ids=[t[0][:40] for t in DENIALS])
def test_denials_are_the_sentences_that_rebut_a_charge(text: str, denies: bool) -> None:
    assert bool(Document(text).denials(0, len(text))) is denies


PROPOSALS = [  # (text, does a sentence propose a remedy through the council?)
    ("The council got it wrong and should run the consultation again with proper notice.", True),
    ("The parish council should have consulted the allotment holders first.", True),
    ("I'll propose a review of the grass-cutting contract at the next meeting.", True),
    ("I've tabled a motion on the car park charges.", True),
    ("The council should be ashamed of itself.", False),
    ("The parish council got the skate park wrong, as usual.", False),
]


@pytest.mark.parametrize("text, proposes", PROPOSALS, ids=[t[0][:40] for t in PROPOSALS])
def test_proposals_are_the_sentences_that_propose_a_remedy(text: str, proposes: bool) -> None:
    assert bool(Document(text).proposals(0, len(text))) is proposes


APOLOGIES = [  # (text, does the author apologise for their own conduct?)
    ("Pauline, I'm sorry if I came across that way; it wasn't my intention.", True),
    ("I should have told you sooner, and I'm sorry.", True),
    ("I had the facts wrong and I apologise to those concerned.", True),
    ("I'm sorry you've been fobbed off. Our Clerk is out of her depth.", False),  # sympathy, then an attack
    ("Sorry, but this council's website is a digital crime scene.", False),
    ("I'm sorry to say the Chair has lost the plot.", False),
]


@pytest.mark.parametrize("text, apologises", APOLOGIES, ids=[t[0][:40] for t in APOLOGIES])
def test_apologies_are_the_author_making_amends(text: str, apologises: bool) -> None:
    assert bool(Document(text).apologies(0, len(text))) is apologises
