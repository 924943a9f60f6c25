"""The register of authorisations: recorded with their source, in force on the right days, revoked, audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from councilguard.workflow.authorisations import NewAuthorisation, SenderAuthorisations, held_by_address
from councilguard.workflow.authority_errors import AlreadyDecided, InvalidEntry, NoSuchEntry
from tests.workflow.conftest import audit_log

TODAY = date.today()
SPEAK = NewAuthorisation(kind="speak-for-council", source_kind="resolution", reference="Minute 26/045",
                         decided_on=date(2026, 11, 12), scope="Press statements on the Dickinson Square consultation",
                         expires_on=date(2027, 5, 31))
DESIGNATION = NewAuthorisation(kind="official-account", source_kind="proper-officer-designation",
                               reference="Clerk's designation 2026-11-20", decided_on=date(2026, 11, 20),
                               scope="Events notices", channel="Facebook")


def test_recorded_with_its_source_and_audited(services):
    s = services
    made = s.authorisations.record(s.people["sharma"], SPEAK, by=s.people["clerk"])
    assert (made.holder_name, made.holder_email, made.kind, made.source_kind, made.reference) == (
        "Priya Sharma", "cllr.sharma@croxleygreen-pc.gov.uk", "speak-for-council", "resolution", "Minute 26/045")
    assert (made.decided_on, made.expires_on, made.recorded_by) == (date(2026, 11, 12), date(2027, 5, 31),
                                                                  "clerk@croxleygreen-pc.gov.uk")
    assert s.authorisations.get(made.id) == made and s.authorisations.of_holder(s.people["sharma"].id) == [made]
    assert audit_log(s) == [("clerk@croxleygreen-pc.gov.uk", "authorisation-recorded", str(made.id))]


@pytest.mark.parametrize("day, revoke, expected", [
    (date(2026, 11, 11), False, "not-yet"),
    (date(2026, 11, 12), False, "current"),
    (date(2027, 5, 31), False, "current"),
    (date(2027, 6, 1), False, "expired"),
    (TODAY, True, "revoked"),  # revoked today: not in force today
    (TODAY - timedelta(days=1), True, "in force before the revocation"),
])
def test_in_force_only_between_its_dates_and_until_revoked(services, day, revoke, expected):
    s = services
    new = replace(SPEAK, decided_on=min(SPEAK.decided_on, TODAY - timedelta(days=2)),
                  expires_on=max(SPEAK.expires_on, TODAY + timedelta(days=2))) if revoke else SPEAK
    made = s.authorisations.record(s.people["sharma"], new, by=s.people["clerk"])
    if revoke:
        made = s.authorisations.revoke(made.id, by=s.people["clerk"], reason="The consultation has closed.")
    held = s.authorisations.held_by(s.people["sharma"].id, day)
    in_force = expected in ("current", "in force before the revocation")
    assert held == ({"speak-for-council"} if in_force else set())
    assert [a.id for a in s.authorisations.current(s.people["sharma"].id, day)] == ([made.id] if in_force else [])
    if expected != "in force before the revocation":
        assert made.state(day) == expected
    assert s.authorisations.held_by(s.people["okafor"].id, day) == frozenset()  # someone else's is not yours


@pytest.mark.parametrize("change, field, words", [
    ({"kind": "chair-meetings"}, "kind", "is not a kind of authorisation"),
    ({"source_kind": "hearsay"}, "source_kind", "is not a source"),
    ({"source_kind": "proper-officer-designation"}, "source_kind", "comes from the council resolution or"),
    ({"reference": "  "}, "reference", "The minute or reference is needed"),
    ({"reference": "x" * 201}, "reference", "the most is 200"),
    ({"scope": ""}, "scope", "What it covers is needed"),
    ({"expires_on": date(2026, 11, 1)}, "expires_on", "before it was given"),
    ({"channel": "facebook"}, "channel", "only chosen for an official-account designation"),
    ({"address": "jim@example.org"}, "address", "only given for consent to use a personal e-mail account"),
])
def test_a_bad_entry_names_its_field_and_records_nothing(services, change, field, words):
    s = services
    with pytest.raises(InvalidEntry, match=words) as caught:
        s.authorisations.record(s.people["sharma"], replace(SPEAK, **change), by=s.people["clerk"])
    assert caught.value.where == field
    assert s.authorisations.all() == [] and audit_log(s) == []


def test_a_designation_names_a_real_account_and_covers_only_it(services):
    s = services
    with pytest.raises(InvalidEntry, match="'tiktok' is not one of the council's official accounts") as caught:
        s.authorisations.record(s.people["events"], replace(DESIGNATION, channel="tiktok"), by=s.people["clerk"])
    assert caught.value.where == "channel"
    made = s.authorisations.record(s.people["events"], DESIGNATION, by=s.people["clerk"])
    assert made.channel == "facebook"
    day = date(2026, 12, 1)
    assert s.authorisations.held_by(s.people["events"].id, day, "facebook") == {"official-account"}
    assert s.authorisations.held_by(s.people["events"].id, day, "x") == frozenset()
    assert s.authorisations.designation_for(s.people["events"].id, "Facebook", day) == made
    every = s.authorisations.record(s.people["sharma"], replace(DESIGNATION, channel=None), by=s.people["clerk"])
    assert all(s.authorisations.designation_for(s.people["sharma"].id, c, day) == every for c in ("x", "instagram"))


def test_an_administrator_cannot_hold_one(services):
    s = services
    with pytest.raises(InvalidEntry, match="administrator account") as caught:
        s.authorisations.record(s.people["admin"], SPEAK, by=s.people["clerk"])
    assert caught.value.where == "holder_id"


def test_revoking_twice_or_a_missing_one_is_refused(services):
    s = services
    made = s.authorisations.record(s.people["sharma"], SPEAK, by=s.people["clerk"])
    with pytest.raises(InvalidEntry, match="The reason for revoking is needed"):
        s.authorisations.revoke(made.id, by=s.people["clerk"], reason=" ")
    done = s.authorisations.revoke(made.id, by=s.people["clerk"], reason="Resolution rescinded, minute 26/101")
    assert (done.revoked_by, done.revoked_reason) == ("clerk@croxleygreen-pc.gov.uk", "Resolution rescinded, minute 26/101")
    with pytest.raises(AlreadyDecided, match="already revoked by clerk@croxleygreen-pc.gov.uk"):
        s.authorisations.revoke(made.id, by=s.people["clerk"], reason="again")
    with pytest.raises(NoSuchEntry, match="there is no authorisation 999999"):
        s.authorisations.revoke(999999, by=s.people["clerk"], reason="x")
    assert [a[1] for a in audit_log(s)] == ["authorisation-recorded", "authorisation-revoked"]


def test_the_relay_finds_a_senders_authorities_by_address(services):
    s = services
    purchase = NewAuthorisation(kind="purchase", source_kind="financial-regulations", reference="FR 4.1",
                                decided_on=TODAY - timedelta(days=30), scope="Grounds materials up to £500")
    s.authorisations.record(s.people["grounds"], purchase, by=s.people["clerk"])
    s.authorisations.record(s.people["grounds"], replace(DESIGNATION, decided_on=TODAY), by=s.people["clerk"])
    assert held_by_address(s.factory, " Grounds@CroxleyGreen-PC.gov.uk ", TODAY) == {"purchase"}  # e-mail: no account
    assert held_by_address(s.factory, "grounds@croxleygreen-pc.gov.uk", TODAY, "facebook") == {
        "purchase", "official-account"}
    assert held_by_address(s.factory, "nobody@example.org", TODAY) == frozenset()
    assert held_by_address(s.factory, "", TODAY) == frozenset()
    assert SenderAuthorisations(s.archive.engine)("grounds@croxleygreen-pc.gov.uk") == {"purchase"}


CONSENT = NewAuthorisation(kind="personal-email", source_kind="proper-officer-consent", reference="Clerk's consent",
                           decided_on=TODAY - timedelta(days=1), scope="Council business from or to his own account")


def test_a_consent_for_one_personal_account_covers_that_account_only(services):
    """What the checker receives: "personal-email:<address>" for a consent given for one account (the
    e-mail rule then flags any other personal account), "personal-email" for one given for any."""
    s = services
    s.authorisations.record(s.people["sharma"], replace(CONSENT, address=" Priya.Sharma@Example.org "),
                            by=s.people["clerk"])
    assert s.authorisations.held_by(s.people["sharma"].id, TODAY) == {"personal-email:priya.sharma@example.org"}
    assert held_by_address(s.factory, "cllr.sharma@croxleygreen-pc.gov.uk", TODAY) == {
        "personal-email:priya.sharma@example.org"}
    assert s.authorisations.of_holder(s.people["sharma"].id)[0].address == "priya.sharma@example.org"
    s.authorisations.record(s.people["okafor"], CONSENT, by=s.people["clerk"])
    assert s.authorisations.held_by(s.people["okafor"].id, TODAY) == {"personal-email"}


@pytest.mark.parametrize("address", ["not an address", "a@b", "x" * 320 + "@example.org"])
def test_a_consent_names_a_real_address(services, address):
    s = services
    with pytest.raises(InvalidEntry, match="is not an e-mail address") as caught:
        s.authorisations.record(s.people["sharma"], replace(CONSENT, address=address), by=s.people["clerk"])
    assert caught.value.where == "address" and s.authorisations.all() == []
