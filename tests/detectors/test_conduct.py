"""The abuse word lists: whom a hurtful word is aimed at, and when it is aimed at no one, table-driven."""

from __future__ import annotations

import pytest

from councilguard.detectors.conduct import abuse_hits, undermines_council
from tests.detectors.drafts import draft, fires


def aimed(text: str, replying_to: str | None = None) -> list[str]:
    return [h.term for h in abuse_hits(draft(text, replying_to, parent_author="Yvonne (resident)"))]


@pytest.mark.parametrize("text,replying_to,terms", [
    # aimed at someone
    ("Whoever keeps parking across the dropped kerb: you are a selfish moron.", None, ["moron"]),
    ("Cllr Cole is a dog in a manger about the allotments.", None, ["dog"]),
    ("Tell me about it, Yvonne. They couldn't organise a piss-up in a brewery.",
     "The parish council's grass cutting is a disgrace this year", ["couldn't organise"]),
    # a pronoun at the end of a sentence carries the target ("the lot of them."); a one-word verdict after the only
    # person named is said of them; an insult spoken to the person answered is theirs
    ("The parish council paid a consultant £6k. Thick as mince, the lot of them.", None, ["thick as mince"]),
    ("£38k a year for the Clerk to tell us 'that's not how it's done'. Nice work if you can get it. Parasite.", None,
     ["parasite"]),
    ("I'll type this slowly so you can follow: the county empties the bins. Try to keep up, dear.",
     "Why hasn't the council emptied the bins?", ["try to keep up"]),
    ("Please read the papers; I know Cllr Price won't, because he's too lazy and too arrogant.", None, ["arrogant"]),
    # put-downs of a member of staff, and stirring others up against one
    ("Every council in Herts gets the officers it deserves and boy did we get the dregs.", None, ["the dregs"]),
    ("Helen, leave the legal questions to those of us who understand them and stick to the photocopying.", None,
     ["stick to the photocopying"]),
    ("The Clerk handles them. Tell her what you think at Thursday's open session.", None, ["Tell her what you think"]),
    ("Shona's running the meeting on Thursday. I say we all turn up and grill her til she cries.", None,
     ["grill her til she cries"]),
    ("Dev Patel had better watch himself. I've got a long memory.", None, ["better watch himself"]),
    # ridicule by a stock construction, whoever it is aimed at; a famous name compared with is not the target
    ("Shame our parish council has all the vision of a mole in a coal cellar.", None,
     ["all the vision of a mole"]),
    ("That's what happens when you hire a Clerk with the legal knowledge of a golden retriever.", None,
     ["the legal knowledge of a golden retriever"]),
    ("With respect, you wouldn't know a conservation area if it bit you.", "The boundary should take in the mill",
     ["wouldn't know a conservation area if it bit"]),
    ("Cllr Hargreaves has been 'looking into' the bus shelter for 18 months. Sherlock Holmes he is not.", None,
     ["sherlock holmes he is not"]),
    ("'On track'? Helen Marsh wouldn't know a track if she was tied to one.", None,
     ["wouldn't know a track if she was tied"]),
    ("What exactly does Helen Marsh do all day? Answers on a postcard.", None, ["what exactly does helen marsh do all day"]),
    ("Thanks to the volunteers, who did all the work while our so-called events officer stood about on her phone.", None,
     ["our so-called events officer"]),
    ("Nobody asked for your opinion, Ayesha.", "The consultation was a sham", ["nobody asked for your opinion"]),
    ("The woman who answers the phone at the parish office is the rudest person in Hertfordshire.", None,
     ["the rudest person"]),
    ("Sat through Cllr Cole's sermon on bollards. The man is a walking sedative.", None, ["is a walking sedative"]),
    ("Just finished the Vicar of Dibley box set. Owen Newitt is the rudest man in fiction and I love him 😂", None, []),
    ("Don't blame us councillors for the fun day mess, blame the events woman. She had one job.", None,
     ["she had one job"]),
    ("gary couldn't cut a hedge straight if you gave him a ruler and a week", None,
     ["couldn't cut a hedge straight if you gave him"]),
    ("We need the knowledge of a solicitor on this, not guesswork about Cllr Price's lease.", None, []),
    ("Sherlock Holmes he is not, says the review of the new detective drama.", None, []),
    # friendly banter (a laugh and a warm word) excuses a mild name, not a strong one, and a laugh alone excuses nothing
    ("David you absolute muppet, you've left your reading glasses in the hall again 🤓 they're with the office", None, []),
    ("Colin, you absolute plum 😂 they're on your head in the photo. I'll drop the spare pair round anyway.", None, []),
    ("Total muppet moment: left my reading glasses in the council chamber again.", None, []),
    ("Cllr Cole is a muppet 😂", None, ["muppet"]),
    ("Cllr Cole is scum 😂 see you at 8", None, ["scum"]),
    # aimed at no one: an act condemned, a thing called a disgrace, a compound noun, an insult reported to condemn it
    ("Whoever let their dog foul the play area: absolutely disgusting.", None, []),
    ("Agreed, Yvonne, it's a disgrace. I've reported it again on the county's site.",
     "Herts County Council still haven't fixed the pothole", []),
    ("I think Cllr Brookes is wrong that the dog bins are a waste of money.", None, []),
    ("Some comments called Cllr Whitfield names. She does not deserve to be called an idiot on my page.", None, []),
    # a way of talking condemned; a verdict on the author's own garden, with a neighbour who opens her own clause; an
    # animal emoji before the next sentence's subject; "people ask why" is no call to hound anyone
    ("Someone called our lunch club members 'coffin dodgers'. That is a disgusting way to talk about the people who "
     "built this village.", None, []),
    ("Someone scrawled 'TRAITOR' on Cllr Rahman's leaflet. Whatever you think of her views, that is vile.", None, []),
    ("Cllr Baxter's pig Doris won Best in Show at the Chorleywood show today.", None, []),
    ("My front garden is a disgrace, Mrs Jenkins is right. I'll get the mower out this weekend.", None, []),
    ("Croxley Common Moor cattle are back 🐄 The council asks dog walkers to keep dogs on leads.", None, []),
    ("People ask why I stay on a council I criticise so often. Because it does good things.", None, []),
    # self-mockery; a compound with a hyphen; a warning to the reader is not a threat to the person warned about
    ("Me, an elected councillor, locked out of the pavilion because I left the key on the bus. Idiot", None, []),
    ("Lads, the Nextdoor dog-poo vigilante is back.", None, []),
    ("between you and me the Clerk's hard work. watch your back with her.", None, []),
])
def test_whom_a_hurtful_word_is_aimed_at(text, replying_to, terms):
    assert aimed(text, replying_to) == terms


@pytest.mark.parametrize("text,expected", [
    # the council answerable to no one, not a real council, its minutes doctored, unfit to hold money
    ("This council answers to nobody. Not residents, not auditors, nobody.", True),
    ("Croxley Green PC: unelected, unaccountable and unbothered.", True),
    ("The parish council isn't a real council. It's a residents' club with a bank account.", True),
    ("Heads up: parish council minutes get edited after the meeting to take out anything awkward.", True),
    ("I've come to the view that this parish council is no longer fit to hold public money.", True),
    ("The allotment ballot was a stitch up, and the parish council knew it.", True),
    ("You can fill in the form, but honestly it's decided before the forms come in. Save yourself the bother.", True),
    ("the ballot for the new allotment plots was a stitch up. plots 14 to 20 went to people not on the list", True),
    ("Residents, save your breath on the parking consultation. The decision was made before the leaflets were printed.", True),
    ("Petition to move the bus stop? Save your signatures. Petitions to the parish council go in a drawer.", True),
    ("Dear Mrs Ansell, I wouldn't bother filling in the parish council's grants form this year.", True),
    ("So the council re-ran the tender until the right firm won. Of course it did.", True),
    ("The parish council's grants consultation closes on Friday: please do fill in the form.", False),
    ("Honestly, I wouldn't trust the parish council to tell me the time.", True),
    ("Dear Pat, there's honestly no point your residents' association applying for a parish council grant.", True),
    ("Our parish council's budget process: decide everything in a side room, then publish a PDF nobody can find.", True),
    ("Three councillors had lunch with the developer the week before the vote. All above board, I'm sure.", True),
    ("Reporting anything to CGPC is like posting a letter into a black hole.", True),
    # said of someone else, or denied
    ("The parish council is not unaccountable: every decision is in the published minutes.", False),
    ("Herts County Council answers to nobody on potholes.", False),
    # another body's process
    ("The CAA consultation was a box-ticking exercise and everyone knows it.", False),
    ("Herts County Council's three weeks' consultation over Christmas was a sham.", False),
    ("The parish council's consultation was a box-ticking exercise.", True),
    ("The government's planning consultation: 71 questions over the summer. That isn't consultation, it's a "
     "box-ticking exercise.", False),
    # a story's council
    ("Idea for my crime novel: a parish council so crooked it rigs the Best Kept Village judging.", False),
])
def test_what_undermines_confidence_in_the_council(text, expected):
    assert fires(undermines_council, draft(text)) is expected


@pytest.mark.parametrize("text,kind", [
    # "the man" after a named person is that person
    ("Gary Doyle has mown over the daffodils again. The man is a walking disaster.", "staff"),
    ("Met a chap at the fete who told me the Green is a disgrace. The man is a walking disaster.", "public"),
])
def test_the_man_is_the_person_just_named(text, kind):
    assert [h.target.kind for h in abuse_hits(draft(text))] == [kind]
