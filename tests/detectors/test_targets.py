"""Who a message is about: the target finders, table-driven (text -> mentions of a kind, or none)."""

from __future__ import annotations

import pytest

from councilguard import Pack
from councilguard.detectors import targets as T
from councilguard.detectors.base import Context
from councilguard.detectors.judge import _eligible
from councilguard.detectors.judge import chunks as judge_chunks
from councilguard.engine import coerce_message

AUTHOR = {"name": "Colin Baxter", "role": "councillor", "email": "cllr.baxter@croxleygreen-pc.gov.uk"}


def context(text: str) -> Context:
    return Context(coerce_message({"kind": "post", "text": text, "author": AUTHOR}), Pack.bundled())


def found(text: str, kind: str) -> list[str]:
    ctx = context(text)
    return [text[m.start:m.end] for m in T.mentions(ctx) if m.kind == kind]


@pytest.mark.parametrize("text,kind,words", [
    # members of the public by description
    ("The chap who keeps complaining about the bell-ringers is a killjoy.", T.PUBLIC, "The chap"),
    ("Dear man on the mobility scooter who lectures everyone about dog mess.", T.PUBLIC, "Dear man"),
    ("If that Ferris bloke films me again I'll report him.", T.PUBLIC, "that Ferris bloke"),
    ("Tonight's objector to the Scout hut extension was a retired solicitor.", T.PUBLIC, "Tonight's objector"),
    ("I've had it with the litter-pick lot.", T.PUBLIC, "the litter-pick lot"),
    ("The 'campaigners' against the cycle racks are at it again.", T.PUBLIC, "The 'campaigners'"),
    ("Had to deal with the gentleman who runs the car boot today.", T.PUBLIC, "the gentleman"),
    # staff by description or in disguise
    ("That girl in the office (the events one) is no use.", T.STAFF, "That girl in the office"),
    ("Croxley groundsman spotted holding a spade.", T.STAFF, "groundsman"),
    ("We need a Clerk with a brain.", T.STAFF, "a Clerk"),
    ("The d3puty cl3rk is hopeless.", T.STAFF, "The d3puty cl3rk"),
    # the council in disguise: look-alike letters, digits for letters, letters spaced out
    ("Тhе раrish соunсil is раthеtiс", T.COUNCIL, "Тhе раrish соunсil"),
    ("parish counc1l = u5ele55", T.COUNCIL, "parish counc1l"),
    ("C G P C = clueless", T.COUNCIL, "C G P C"),
    ("c l l r  h a r g r e a v e s  i s  a  p l o n k e r", T.COUNCILLOR, "c l l r  h a r g r e a v e s"),
    # a name on the roster written in lower case, as casual posts do
    ("helen is a jumped up clipboard merchant", T.STAFF, "helen"),
    # a post addressed to people by description: "you" is them
    ("To the people who left a sofa by the bins: you are scum.", T.PUBLIC, "you"),
    # the chair, the person
    ("The chair is a disgrace.", T.COUNCILLOR, "The chair"),
    ("Our chairwoman ran a good meeting.", T.COUNCILLOR, "Our chairwoman"),
    # a first name closing a clause is the person spoken to, in a post that replies to no one
    ("Get a life, Dilys. Nobody cares about your bins.", T.PUBLIC, "Dilys"),
    # a post that opens by addressing a councillor or member of staff: its "you" is them
    ("Cllr Hargreaves, I am done. You're a disgrace.", T.COUNCILLOR, "You"),
    ("Helen, I've had it with your obstruction.", T.STAFF, "your"),
    # the council by its committees, when the sentence is about the committee; a committee's chair is a councillor
    ("planning cttee tonight was a farce.", T.COUNCIL, "planning cttee"),
    ("The finance committee is a bunch of headless chickens.", T.COUNCIL, "The finance committee"),
    ("The planning committee chair is an arrogant little tinpot dictator.", T.COUNCILLOR, "chair"),
    # a journalist by role; a stranger who shares a first name with a councillor is not that councillor
    ("The editor of Croxley Eye made up the quotes.", T.PUBLIC, "The editor"),
    ("Colin Reeves has written to the council again.", T.PUBLIC, "Colin Reeves"),
    # the council's staff by what they do; the person on the council's phone
    ("Only took a year because the council's grounds 'expert' is a halfwit.", T.STAFF, "grounds 'expert'"),
    ("The person who answers the council phone on Mondays is rude.", T.STAFF, "The person who answers the council phone"),
    ("If I hear one more word from the dog-walking mafia on the Moor, I'll scream.", T.PUBLIC, "the dog-walking mafia"),
    ("The allotment old guard treat new plot holders like dirt.", T.PUBLIC, "The allotment old guard"),
    # residents' own groups by name, and residents by description
    ("The Friends of Croxley Moor have called an emergency meeting.", T.PUBLIC, "The Friends of Croxley Moor"),
    ("The Yorke Road Residents' Committee wrote again.", T.PUBLIC, "The Yorke Road Residents' Committee"),
    ("The young couple who bought the old post office think they run the square.", T.PUBLIC, "The young couple"),
    # the council's own post holders, after the council's name has taken "council's"
    ("Herts County's consultation on the bus cuts feels like a done deal.", T.OTHER_AUTHORITY, "Herts County's"),
    ("The council's clerk is useless.", T.STAFF, "clerk"),
    ("The council's staff couldn't run a tap.", T.STAFF, "staff"),
])
def test_described_targets_are_found(text, kind, words):
    assert words in found(text, kind)


@pytest.mark.parametrize("text,kind", [
    ("We ate the whole lot.", T.PUBLIC),
    ("The lot of them turned up late.", T.PUBLIC),
    ("A lot of people came to the fun day.", T.PUBLIC),
    ("The parish office opens at nine.", T.STAFF),
    ("The footpath by the Green is muddy.", T.STAFF),
    # "chair" the verb: about who may hold the office, not a councillor
    ("Women shouldn't be allowed to chair the council, they're too emotional.", T.COUNCILLOR),
    ("She will chair the meeting on Tuesday.", T.COUNCILLOR),
    ("The feeding room has a comfy chair and a changing table.", T.COUNCILLOR),  # furniture
    ("The fete is on Saturday at the Green, Croxley.", T.PUBLIC),
    # a committee in a sentence about someone or something else; another authority's committee; the parish office
    ("Cllr Brookes's behaviour in the finance committee was pathetic.", T.COUNCIL),
    ("Three Rivers' planning committee refused it.", T.COUNCIL),
    ("The allotment committee meets on Tuesday.", T.COUNCIL),
    ("The parish office is closed on Friday.", T.COUNCIL),
    ("The council's expert report on the limes is online.", T.STAFF),
    # a quantity, not a couple
    ("The office is run by a couple of parasites living off the precept.", T.PUBLIC),
    # a role held by someone described with contempt is not a role description ("a glorified secretary")
    ("Helen, with respect, you're a glorified secretary.", T.PUBLIC),
])
def test_ordinary_words_are_not_targets(text, kind):
    assert found(text, kind) == []


@pytest.mark.parametrize("text,label,eligible", [
    # a group of councillors is found as the council (a body), and abuse of the group is abuse of councillors
    ("Honestly the new intake of councillors are a bunch of spoilt toddlers.", "abuse-councillor", True),
    ("Honestly the new intake of councillors are a bunch of spoilt toddlers.", "derogatory-council", True),
    ("Honestly the parish council is a bunch of spoilt toddlers.", "abuse-councillor", False),
    ("The chap who keeps complaining about the bells is a sad old killjoy.", "disrespect-public", True),
    ("The weather this week has been a sad old washout.", "disrespect-public", False),
])
def test_the_target_gate_reads_the_described_targets(text, label, eligible):
    ctx = context(text)
    (chunk,) = judge_chunks(ctx)
    assert _eligible(ctx, label, chunk) is eligible


@pytest.mark.parametrize("text, gate, model_input", [
    # a later finder's span wins for the gate, but the model reads the tags it was trained with
    ("Honestly the woman in the parish office has a face like thunder.", "the woman in the parish office",
     "Honestly the woman [public] in the parish office has a face like thunder."),
    ("The chap who keeps complaining about the bells is a killjoy.", "The chap",
     "The chap who keeps complaining about the bells is a killjoy."),
])
def test_the_model_reads_only_the_mentions_it_was_trained_with(text, gate, model_input):
    from councilguard.detectors.judge_input import model_text

    ctx = context(text)
    assert gate in [text[m.start:m.end] for m in T.mentions(ctx)]
    assert model_text(ctx) == model_input


@pytest.mark.parametrize("name, written", [
    ("The chairman", "the chairman"),   # the draft began its sentence with it
    ("The Clerk", "the Clerk"),
    ("Our deputy clerk", "our deputy clerk"),
    ("Cllr Hargreaves", "Cllr Hargreaves"),  # a name keeps its capitals
    ("Theresa Hargreaves", "Theresa Hargreaves"),
    ("Croxley Green Parish Council", "Croxley Green Parish Council"),
])
def test_a_mention_reads_well_inside_an_explanation(name, written):
    assert T.Mention(0, len(name), T.COUNCILLOR, name).in_sentence == written


@pytest.mark.parametrize("message, vocative", [
    # in a reply, a name opening it is the person replied to
    ({"kind": "reply", "text": "Brian, nobody asked.", "in_reply_to": {"author": "Brian Hughes", "text": "Rubbish."}},
     [(T.PUBLIC, "Brian")]),
    # in a post that answers no one there is no addressee, so no kind to give the name
    ({"kind": "post", "text": "Brian, nobody asked."}, []),
])
def test_an_opening_name_is_the_addressee_only_when_there_is_one(message, vocative):
    ctx = Context(coerce_message({**message, "author": AUTHOR}), Pack.bundled())
    found = [(m.kind, ctx.text[m.start:m.end]) for m in T.mentions(ctx) if m.start == 0]
    assert found == vocative


def reply_context(text: str, parent: str, parent_author: str = "Kofi (resident)") -> Context:
    raw = {"kind": "reply", "text": text, "author": AUTHOR, "in_reply_to": {"author": parent_author, "text": parent}}
    return Context(coerce_message(raw), Pack.bundled())


@pytest.mark.parametrize("text,parent,about_council", [
    # a reply that names no one but the person it answers, under a post about the council: "they" is the council
    ("Tell me about it, Kofi. They couldn't organise a queue at a bus stop.",
     "The parish council's grass cutting is a disgrace this year", True),
    ("That lot couldn't run a bath.", "Has CGPC decided about the play area yet?", True),
    # the post is not about this council, another person is named first, or no "they" stands for it
    ("They couldn't organise a queue at a bus stop.", "Three Rivers' bin collections are a disgrace", False),
    ("Cllr Lowe says they'll sort it next week.", "Is the parish council fixing the bench?", False),
    ("Couldn't agree more, Kofi.", "The parish council's grass cutting is a disgrace this year", False),
])
def test_council_replied_about(text, parent, about_council):
    ctx = reply_context(text, parent)
    found = T.council_replied_about(ctx, len(text))
    assert (found is not None and found.kind == T.COUNCIL) is about_council


@pytest.mark.parametrize("text,words", [
    ("Watford Council's plan to build over the playing fields is wrong.", "Watford Council"),  # a place in the gazetteer
    ("Chorleywood Parish Council meets on Monday.", "Chorleywood Parish Council"),  # any place before a kind of council
])
def test_a_council_named_by_another_place_is_another_authority(text, words):
    assert words in found(text, T.OTHER_AUTHORITY)
    assert found(text, T.COUNCIL) == []


@pytest.mark.parametrize("text", ["Croxley Green Parish Council meets on Monday.", "The Parish Council meets on Monday.",
                                  "Dacorum Council has not replied."])  # this council; an unknown place stays as it was
def test_this_council_is_not_another_authority(text):
    assert found(text, T.OTHER_AUTHORITY) == []


@pytest.mark.parametrize("author, kind", [("Margaret Ellis", T.SELF), ("Colin Baxter", T.COUNCILLOR)])
def test_the_office_the_author_holds_is_the_author(author, kind):
    """The Chair signing her own e-mail ("Margaret Ellis, Chair") is not a councillor she attacks."""
    who = {"name": author, "role": "councillor", "email": f"cllr.{author.split()[1].lower()}@croxleygreen-pc.gov.uk"}
    text = "Mr Pembroke, I shan't be replying further. Margaret Ellis, Chair"
    ctx = Context(coerce_message({"kind": "post", "text": text, "author": who}), Pack.bundled())
    assert [m.kind for m in T.mentions(ctx) if text[m.start:m.end] == "Chair"] == [kind]
