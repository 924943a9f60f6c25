"""The trained conduct model as a detector: chunking, evidence, thresholds, the Article 10 note."""

from __future__ import annotations

import hashlib

import pytest

from councilguard import Checker
from councilguard.classify.conduct import ConductModel, default_conduct_model
from councilguard.detectors.base import Context
from councilguard.detectors.judge import CHUNK_CHARS, chunks
from councilguard.engine import coerce_message

COUNCILLOR = {"name": "Colin Baxter", "role": "councillor", "email": "cllr.baxter@croxleygreen-pc.gov.uk"}
def judged_pack(tmp_path, extra: str = ""):
    """The Croxley pack with the conduct model bound to every conduct rule (as a council may choose)."""
    import re
    import shutil

    from councilguard import Pack
    root = tmp_path / "pack"
    shutil.copytree(Pack.bundled().root, root)
    policy = root / "policy.yaml"
    text = policy.read_text()
    for rule in RULES:
        reply = ", needs_reply: true" if rule == "responding-to-negative" else ""
        text = re.sub(rf"(  - id: {rule}\n(?:.*\n)*?    detect:\n)",
                      rf"\g<1>      - detector: judge.conduct\n        params: {{label: {rule}{reply}{extra}}}\n", text, count=1)
    policy.write_text(text)
    return Checker(Pack.load(root))


def judged_for(tmp_path, text: str, rule: str, params: str = ", threshold: 0.0") -> bool:
    """Whether the model reports ``rule`` on a councillor's Facebook post (every threshold 0 unless ``params`` say)."""
    report = judged_pack(tmp_path, params).check({"text": text, "author": COUNCILLOR, "channel": "facebook"})
    return any(f.rule == rule and "judge.conduct" in f.detector.split(",") for f in report.findings)


RULES = ["abuse-councillor", "derogatory-council", "inflammatory-staff", "disrespect-public", "untrue-statement",
         "harassment-discrimination", "undermines-confidence", "confidential-information",
         "responding-to-negative", "counter-to-council"]


def test_the_model_card_covers_every_conduct_rule_and_its_checksum_holds():
    model = default_conduct_model()
    assert model.labels == ["offensive", *RULES]
    for rule in RULES:
        assert 0.0 < model.threshold(rule) < 1.0
    path = model.model_dir / model.card["model"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == model.card["sha256"]["conduct.onnx"]


def test_model_files_stay_small():
    model = default_conduct_model()
    total = sum((model.model_dir / name).stat().st_size for name in ("conduct.onnx", "offensive.onnx"))
    assert total < 50 * 1024 * 1024


def test_chunks_are_whole_sentences_within_the_limit():
    text = " ".join(f"Sentence number {i} is about the allotments and the parking." for i in range(60))
    ctx = Context(coerce_message(text), Checker.from_pack().pack)
    spans = chunks(ctx)
    assert spans[0].start == 0 and spans[-1].end == len(text)
    for s in spans:
        assert s.end - s.start <= CHUNK_CHARS
        assert text[s.start:s.end].endswith(".")


def test_probabilities_are_one_dict_per_text_with_every_label():
    probs = ConductModel().probabilities(["Cllr Hargreaves is a clown.", "Lovely fun day!"], [None, None])
    assert len(probs) == 2 and set(probs[0]) == {"offensive", *RULES}
    assert probs[0]["abuse-councillor"] > probs[1]["abuse-councillor"]


@pytest.mark.parametrize("text,civil,rule", [
    # the model's input: targets tagged with their role, as judge_input.model_text writes them
    ("Cllr Kerr [councillor] could not organise a raffle at a tombola. Bless her.",
     "Cllr Kerr [councillor] organised the raffle at the fete.", "abuse-councillor"),
    ("Our Clerk [staff] Helen [staff] is a lazy waste of space who should be sacked",
     "Our Clerk [staff] Helen [staff] has sent out the agenda for Tuesday", "inflammatory-staff"),
    # known weakness, measured rather than hidden: a neutral sentence about a councillor and a contract
    # scores ~0.6 for untrue-statement, so insinuation is separated by less than 0.2 (README, model card)
])
def test_the_model_separates_what_word_lists_miss(text, civil, rule):
    model = default_conduct_model()
    breach, fine = model.probabilities([text, civil], [None, None])
    assert breach[rule] > fine[rule] + 0.2


def test_a_lower_threshold_in_the_pack_reports_more(tmp_path):
    text = {"text": "Cllr Kerr has discovered spreadsheets, everyone. Next week she will be inventing the wheel for us.",
            "author": COUNCILLOR,
            "channel": "facebook"}
    assert "abuse-councillor" not in judged_pack(tmp_path / "a", ", threshold: 1.0").check(text).rules
    report = judged_pack(tmp_path / "b", ", threshold: 0.0").check(text)
    finding = next(f for f in report.findings if f.rule == "abuse-councillor")
    assert "conduct model" in finding.explanation and "Fiona Kerr (councillor)" in finding.explanation


def test_a_reply_is_judged_with_the_post_it_answers(tmp_path):
    checker = judged_pack(tmp_path, ", threshold: 0.5")
    msg = {"text": "Utter nonsense. We've delivered more this year than the last council did in ten.",
           "kind": "reply", "author": COUNCILLOR, "channel": "facebook",
           "in_reply_to": {"author": "Jo (resident)", "text": "The parish council is useless and does nothing."}}
    assert "responding-to-negative" in checker.check(msg).rules
    msg["in_reply_to"] = {"author": "Jo (resident)", "text": "Is the fete still on this Saturday?"}
    assert "responding-to-negative" not in checker.check(msg).rules


@pytest.mark.parametrize("text", [
    "The Chancellor's budget is a disgrace for working families and I will vote against it.",
    "I voted against the parking charges: they are the wrong answer for our high street.",
    "The district council's new bin rota is a mistake, and I've told them so.",
])
def test_sharp_civil_criticism_is_not_flagged(tmp_path, text):
    checker = judged_pack(tmp_path)
    report = checker.check({"text": text, "author": COUNCILLOR, "channel": "x"})
    assert not [f for f in report.findings if f.severity.rank >= 2], report.to_dict()


PAPERS = "Please find the confidential Part 2 papers attached: the settlement figure we agreed is £18,000."


@pytest.mark.parametrize("to, reported", [
    (["cllr.lowe@croxleygreen-pc.gov.uk", "clerk@croxleygreen-pc.gov.uk"], False),  # kept within the council
    (["cllr.lowe@croxleygreen-pc.gov.uk", "jim.lowe@gmail.com"], True),  # one copy leaves it
])
def test_confidential_papers_within_council_mail_are_not_judged(tmp_path, to, reported):
    checker = judged_pack(tmp_path, ", threshold: 0.0, outside_council_mail: true")
    msg = {"kind": "email", "channel": "email", "text": PAPERS, "author": COUNCILLOR,
           "from": COUNCILLOR["email"], "to": to}
    assert ("confidential-information" in checker.check(msg).rules) is reported


@pytest.mark.parametrize("text, reported", [
    # a passage stating someone's health is not reported below the rule's threshold (1.0 here) ...
    ("Mrs Patterson from Yorke Road has dementia and can't manage the stairs at the hall any more.", False),
    # ... one stating nothing sensitive is, from the plain threshold (0.0 here)
    ("Mrs Patterson from Yorke Road moans about the stairs at the hall every single week.", True),
])
def test_below_its_threshold_a_passage_about_someones_health_is_left_to_the_personal_data_rule(tmp_path, text, reported):
    checker = judged_pack(tmp_path, ", threshold: 1.0, plain_threshold: 0.0")
    report = checker.check({"text": text, "author": COUNCILLOR, "channel": "facebook"})
    assert ("disrespect-public" in report.rules) is reported


@pytest.mark.parametrize("text, reported", [
    # an insinuation is reported from the insinuation threshold (0.0 here) ...
    ("Cllr Kerr voted to close the footpath. Her garden backs onto it. You do the maths.", True),
    # ... the same facts stated plainly only from the rule's threshold (1.0 here); an insinuation quoted is not the author's
    ("Cllr Kerr voted to close the footpath. Her garden backs onto it.", False),
    ('Cllr Kerr voted to close the footpath. Her garden backs onto it. "You do the maths," someone wrote.', False),
])
def test_an_insinuation_is_judged_from_a_lower_threshold(tmp_path, text, reported):
    assert judged_for(tmp_path, text, "untrue-statement", ", threshold: 1.0, insinuation_threshold: 0.0") is reported


@pytest.mark.parametrize("text, reported", [
    # a passage about who people are is reported from the identity threshold (0.0 here) ...
    ("Put married women on the events team and you're paying for their school runs. Hire single.", True),
    # ... one about no protected characteristic, the author speaking as one of a group, or a health fact stated
    # plainly, only from the rule's threshold (1.0 here)
    ("Put the Scouts on the events team and you're paying for their minibus. Hire the WI.", False),
    ("As a Black woman in local politics I've learnt to ignore the trolls.", False),
    ("Mrs Patterson from Yorke Road has dementia and can't manage the stairs at the hall any more.", False),
])
def test_a_passage_about_who_people_are_is_judged_from_a_lower_threshold(tmp_path, text, reported):
    assert judged_for(tmp_path, text, "harassment-discrimination", ", threshold: 1.0, identity_threshold: 0.0") is reported


# Contexts the model misreads, each a gate in judge._eligible: (text, rule, reported when every threshold is 0).
# Each gate has a row it holds back and a row just like it that it lets through, so a gate that stops working fails.
CONTEXT_GATES = [
    # praise of a person, not abuse; the same jumper mocked is judged
    ("Owen's Christmas jumper at the lights switch-on has to be seen to be believed. Flashing reindeer. Bravo, sir 🦌",
     "abuse-councillor", False),
    ("Owen's Christmas jumper at the lights switch-on has to be seen to be believed. Flashing reindeer. Sad man, Owen.",
     "abuse-councillor", True),
    # a plan called wrong with its reason is disagreement; the same person accused is judged
    ("Cllr Hargreaves's plan for the car park is wrong: it will cost more than it raises.", "untrue-statement", False),
    ("Cllr Hargreaves's plan for the car park is wrong. Cllr Hargreaves takes money from the car park firm.",
     "untrue-statement", True),
    # a statement that names the public record it rests on is not an untrue allegation
    ("Cllr Brookes declared his allotment tenancy at the start of the committee and didn't vote. It's in the minutes.",
     "untrue-statement", False),
    ("Cllr Brookes kept quiet about his allotment tenancy at the start of the committee and voted anyway.",
     "untrue-statement", True),
    # praise with no mark of sarcasm
    ("Great work by the parish council on the Christmas lights this year, and thank you to the volunteers.",
     "derogatory-council", False),
    ("Great work by the parish council on the Christmas lights this year. Only took them three years 🙄",
     "derogatory-council", True),
    # the author calling themselves names
    ("me trying to understand the RFO's VAT spreadsheet: he explained it twice and I'm the muppet here",
     "inflammatory-staff", False),
    ("me trying to understand the RFO's VAT spreadsheet: he explained it twice and he's the muppet here",
     "inflammatory-staff", True),
    # a one-clause announcement of what the council will do
    ("The parish council will close the car park on Sunday for resurfacing.", "undermines-confidence", False),
    ("The parish council will close the car park on Sunday, again, because nobody there can plan anything.",
     "undermines-confidence", True),
    # another authority's plan
    ("Watford Council's plan to build over the playing fields at Cassiobury Park is a disgrace. Nobody trusts them.",
     "undermines-confidence", False),
    ("The parish council's plan to build over the playing fields at the Green is a disgrace. Nobody trusts them.",
     "undermines-confidence", True),
    # a laugh and a warm word are banter; a laugh alone is mockery; a joke is judged for prejudice whatever its tone
    ("Anne-Marie, you're a menace with a glue gun, I've never seen so much glitter on one float 😂 brilliant work all",
     "abuse-councillor", False),
    ("Anne-Marie, you're a menace with a glue gun, I've never seen so much glitter on one float 😂", "abuse-councillor",
     True),
    ("Only woman on the highways sub-committee, and the only one who'd read the survey. Joking, lads 😂 love you all",
     "harassment-discrimination", True),
    # a story's council, unless one of this council's people is named in it
    ("Watching a drama where the council leaks everything to the local paper every single week.", "derogatory-council",
     False),
    ("Watching a drama where the council leaks everything to the local paper, just like Cllr Price does.",
     "derogatory-council", True),
]


@pytest.mark.parametrize("text, rule, reported", CONTEXT_GATES, ids=[f"{r}:{t[:40]}" for t, r, _ in CONTEXT_GATES])
def test_contexts_the_model_misreads_are_not_judged(tmp_path, text, rule, reported):
    assert judged_for(tmp_path, text, rule) is reported


@pytest.mark.parametrize("text, reported", [
    ("Someone shouted 'spastic' at a lad in a wheelchair outside the Co-op. That is not acceptable; say something if you hear it.",
     False),  # the slur is someone else's, reported to condemn it
    ("The lad in the wheelchair outside the Co-op is a spastic and everyone knows it.", True),  # the author's own
])
def test_a_passage_whose_only_slur_is_reported_is_not_judged(tmp_path, text, reported):
    assert judged_for(tmp_path, text, "disrespect-public") is reported


@pytest.mark.parametrize("text, reported", [
    ("Met Cllr Lowe at the fete. What a lovely man.", False),  # short, and nothing hurtful: not for the model
    ("Cllr Kerr has discovered spreadsheets, everyone. Next week she will be inventing the wheel for us.", True),
])
def test_a_short_passage_needs_a_hurtful_word_before_the_model_judges_it(tmp_path, text, reported):
    assert judged_for(tmp_path, text, "abuse-councillor") is reported


@pytest.mark.parametrize("text, rule, reported", [
    ("Nobody should say the parish council is corrupt: every payment is in the published accounts.",
     "undermines-confidence", False),  # the charge is named to rebut it
    ("Nobody is 'too old' to be a councillor. Cllr Brookes is 79 and walks his ward every week.",
     "abuse-councillor", False),
    ("Nobody should say the parish council is corrupt. Cllr Brookes, though, is a lying crook.",
     "abuse-councillor", True),  # a denial that also insults in the author's own voice is judged as usual
    ("The parish council is corrupt and wastes every penny it takes from us.", "undermines-confidence", True),
])
def test_a_passage_that_rebuts_a_charge_is_not_judged_for_it(tmp_path, text, rule, reported):
    assert judged_for(tmp_path, text, rule) is reported


@pytest.mark.parametrize("text, rule, reported", [
    # criticism of a decision that proposes the remedy, through the council: disagreement, not disparagement
    ("The council got the skate park consultation wrong and should run it again with proper notice.",
     "undermines-confidence", False),
    ("The parish council should have consulted the allotment holders before it put the rents up by forty per cent.",
     "derogatory-council", False),
    ("I think the precept rise is too high and I'll propose a smaller one at the January meeting.",
     "undermines-confidence", False),
    # the council's stance, stated: claims-council-view's question, not a misstatement
    ("The parish council's official position is that the footpath must stay open.", "undermines-confidence", False),
    ("The parish council supports the bypass and will say so at the inquiry.", "undermines-confidence", False),
    ("The parish council will be objecting to the application.", "undermines-confidence", False),
    # with an insult in the author's voice, or with no proposal, the model judges as usual
    ("This useless parish council got the consultation wrong and should run it again.", "derogatory-council", True),
    ("The parish council got the skate park consultation wrong, as it gets everything wrong.",
     "undermines-confidence", True),
])
def test_criticism_with_a_proposal_and_a_stated_stance_are_not_judged_for_the_council_rules(tmp_path, text, rule,
                                                                                             reported):
    assert judged_for(tmp_path, text, rule) is reported


@pytest.mark.parametrize("text, rule, reported", [
    ("Mrs Jenkins, I'm sorry if I came across that way at the meeting; it wasn't my intention. Can I buy you a coffee?",
     "disrespect-public", False),
    ("Cllr Kerr, your item was deferred because the report wasn't ready. I should have told you sooner, and I'm sorry.",
     "abuse-councillor", False),
    ("I'm sorry, Cllr Kerr, but you are a useless idiot and everyone knows it.", "abuse-councillor", True),
])
def test_an_apology_for_ones_own_conduct_is_not_judged_as_abuse(tmp_path, text, rule, reported):
    assert judged_for(tmp_path, text, rule) is reported
