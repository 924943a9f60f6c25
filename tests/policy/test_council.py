"""The council profile helpers that detectors lean on: whose address, who is who, what consent holds.

The profile here is written inline (not a bundled pack) so each expectation can be read next to the
data it comes from.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from councilguard.policy import Council
from councilguard.policy.schema import CouncilFile

PROFILE = {
    "council": {
        "name": "Ashby Parva Parish Council",
        "short_names": ["APPC"],
        "domains": ["ashbyparva-pc.gov.uk", "AshbyParva.org.uk"],
        "official_accounts": [{"channel": "facebook", "handle": "AshbyParvaPC"},
                              {"channel": "x", "handle": "@AshbyParvaPC"}],
    },
    "proper_officer": {"name": "Jo Pennington", "title": "Clerk to the Council", "email": "clerk@ashbyparva-pc.gov.uk"},
    "staff": [
        {"name": "Jo Pennington", "role": "Clerk and Proper Officer", "email": "clerk@ashbyparva-pc.gov.uk"},
        {"name": "Sam Hedges", "role": "Deputy Clerk and RFO", "email": "deputy@ashbyparva-pc.gov.uk"},
        {"name": "Pat Mower", "role": "Caretaker", "email": "caretaker@ashbyparva-pc.gov.uk",
         "aliases": ["the groundsman"]},
    ],
    "councillors": [
        {"name": "Anne-Marie Dubois", "role": "Chair", "email": "cllr.dubois@ashbyparva-pc.gov.uk",
         "personal_emails": ["AMDubois@Gmail.com"]},
        {"name": "Tom Hart", "email": "Cllr.Hart@AshbyParva-PC.gov.uk", "aliases": ["Tommy Hart"]},
        {"name": "Rhys ap Gwilym", "email": "cllr.apgwilym@ashbyparva-pc.gov.uk", "aliases": ["Cllr ap Gwilym"]},
    ],
    "secure_systems": ["ashbyparva-pc.gov.uk", "ashbyparva.sharepoint.com"],
    "consents": [
        {"person": "Tom Hart", "grants": "personal-email", "source": "Clerk's letter", "expires": "2025-06-30"},
        {"person": "tom hart", "grants": "purchase", "source": "minute 24/12"},
        {"person": "Anne-Marie Dubois", "grants": "speak-for-council", "expires": "2025-03-31"},
        {"person": "Rhys ap Gwilym", "grants": "official-account", "expires": str(date.today() + timedelta(days=1))},
        {"person": "Rhys ap Gwilym", "grants": "purchase", "expires": str(date.today() - timedelta(days=1))},
    ],
}


@pytest.fixture(scope="module")
def council() -> Council:
    return Council(CouncilFile.model_validate(PROFILE))


@pytest.mark.parametrize("address, council_address, secure", [
    ("clerk@ashbyparva-pc.gov.uk", True, True),
    ("  CLERK@AshbyParva-PC.GOV.UK ", True, True),                  # case and spaces do not matter
    ("Jo Pennington <clerk@ashbyparva-pc.gov.uk>", True, True),     # a display name around the address
    ("jo@mail.ashbyparva-pc.gov.uk", True, True),                   # a subdomain of a council domain
    ("jo@a.b.ashbyparva-pc.gov.uk", True, True),                    # however deep
    ("news@ashbyparva.org.uk", True, False),                        # a council domain, not a secure system
    ("jo@ashbyparva.sharepoint.com", False, True),                  # a secure system, not a council domain
    ("jo@evil-ashbyparva-pc.gov.uk", False, False),                 # ends with the domain but is another one
    ("jo@ashbyparva-pc.gov.uk.example.com", False, False),          # starts with it
    ("amdubois@gmail.com", False, False),
    ("ashbyparva-pc.gov.uk", False, False),                         # no @: not an address
    ("", False, False),
    (None, False, False),
])
def test_council_and_secure_addresses(council, address, council_address, secure):
    assert council.is_council_address(address) is council_address
    assert council.is_secure_address(address) is secure


def test_secure_systems_default_to_the_council_domains():
    profile = {**PROFILE, "secure_systems": []}
    council = Council(CouncilFile.model_validate(profile))
    assert council.secure_domains == ("ashbyparva-pc.gov.uk", "ashbyparva.org.uk")
    assert council.is_secure_address("news@ashbyparva.org.uk")


@pytest.mark.parametrize("address, name, kind", [
    ("clerk@ashbyparva-pc.gov.uk", "Jo Pennington", "proper-officer"),
    (" Clerk@AshbyParva-PC.gov.uk ", "Jo Pennington", "proper-officer"),
    ("cllr.hart@ashbyparva-pc.gov.uk", "Tom Hart", "councillor"),   # roster address written in mixed case
    ("deputy@ashbyparva-pc.gov.uk", "Sam Hedges", "staff"),
    ("amdubois@gmail.com", None, None),                               # a personal address is not a roster address
    ("nobody@ashbyparva-pc.gov.uk", None, None),
    ("", None, None),
    (None, None, None),
])
def test_member_by_email(council, address, name, kind):
    member = council.member_by_email(address)
    assert (member.name if member else None, member.kind if member else None) == (name, kind)


def test_proper_officer_listed_once_even_when_also_on_staff(council):
    assert [m.name for m in council.of_kind("proper-officer")] == ["Jo Pennington"]
    assert [m.name for m in council.of_kind("staff")] == ["Sam Hedges", "Pat Mower"]
    assert council.member_by_name("  jo pennington ").kind == "proper-officer"
    assert [m.personal_emails for m in council.of_kind("councillor")][0] == ("amdubois@gmail.com",)


@pytest.mark.parametrize("name, present, absent", [
    ("Tom Hart",
     ["tom hart", "cllr hart", "cllr. hart", "councillor hart", "councillor. hart", "cllr tom hart",
      "councillor tom hart", "tommy hart"],
     ["hart", "mr hart", "tom"]),                                     # a bare surname is not a name
    ("Anne-Marie Dubois",
     ["anne-marie dubois", "cllr dubois", "councillor anne-marie dubois"],
     ["dubois", "anne-marie", "mrs dubois"]),
    ("Rhys ap Gwilym",                                                # a surname with a particle needs an alias
     ["rhys ap gwilym", "cllr ap gwilym", "cllr gwilym"],
     ["ap gwilym", "gwilym"]),
    ("Sam Hedges",                                                    # staff: courtesy titles, never Cllr
     ["sam hedges", "mr hedges", "mrs hedges", "ms hedges", "miss hedges", "dr hedges", "mr. hedges",
      "ms sam hedges"],
     ["cllr hedges", "councillor hedges", "hedges"]),
    ("Pat Mower", ["pat mower", "the groundsman", "mr mower"], ["mower"]),
])
def test_names_variants(council, name, present, absent):
    names = council.member_by_name(name).names()
    for n in present:
        assert n in names, n
    for n in absent:
        assert n not in names, n
    assert all(n == n.lower() for n in names)
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)  # longest first


def test_member_name_parts(council):
    m = council.member_by_name("Anne-Marie Dubois")
    assert (m.first_name, m.surname) == ("Anne-Marie", "Dubois")


@pytest.mark.parametrize("name, on, expected", [
    ("Tom Hart", date(2025, 6, 1), {"personal-email", "purchase"}),
    ("Tom Hart", date(2025, 6, 30), {"personal-email", "purchase"}),   # valid on its expiry day
    ("Tom Hart", date(2025, 7, 1), {"purchase"}),                      # expired; the other has no expiry
    ("TOM HART", date(2025, 6, 1), {"personal-email", "purchase"}),    # names match whatever the case
    ("Anne-Marie Dubois", date(2025, 3, 31), {"speak-for-council"}),
    ("Anne-Marie Dubois", date(2025, 4, 1), set()),
    ("Sam Hedges", date(2025, 1, 1), set()),                           # nothing recorded
    ("Nobody At All", date(2025, 1, 1), set()),
    (None, date(2025, 1, 1), set()),
    ("", date(2025, 1, 1), set()),
])
def test_consents_for_with_expiry(council, name, on, expected):
    assert council.consents_for(name, on=on) == expected


def test_consents_default_to_today(council):
    assert council.consents_for("Rhys ap Gwilym") == {"official-account"}


def test_role_words(council):
    words = council.role_words
    assert words["clerk"] == ("Jo Pennington", "Sam Hedges")   # the proper officer first, then the deputy
    assert words["rfo"] == ("Sam Hedges",)
    assert words["caretaker"] == ("Pat Mower",)
    for filler in ("and", "the", "to", "of", "officer", "proper", "council"):
        assert filler not in words, filler
    assert "chair" not in words                                 # councillors' roles are not staff roles
    assert "groundsman" not in words                            # aliases are names, not role words


@pytest.mark.parametrize("channel, handle, official", [
    ("facebook", "AshbyParvaPC", True),
    ("facebook", "@ashbyparvapc", True),
    ("x", "AshbyParvaPC", True),
    ("instagram", "AshbyParvaPC", False),
    ("facebook", "AshbyParvaPC2", False),
])
def test_official_handles(council, channel, handle, official):
    assert council.is_official_handle(channel, handle) is official
