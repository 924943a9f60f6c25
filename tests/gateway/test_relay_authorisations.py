"""The relay honours the register of authorisations: a sender's current consent or authority, looked up by
the envelope sender's address in the archive's own database, is passed to the checker."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from councilguard.gateway.checking import message_for
from councilguard.gateway.spool import Envelope
from councilguard.records import db
from councilguard.records.mail import parse_mail
from councilguard.web import desk_audit
from councilguard.web.users import UserStore
from councilguard.workflow.authorisations import Authorisations, NewAuthorisation, Person
from tests.gateway.conftest import CLERK, LOWE, PERSONAL_FORWARD, email as mail, send

GMAIL = "jameslowe1962@gmail.com"
TODAY = date.today()


def _consent(path: Path, *, expires_on: date, address: str | None = None) -> None:
    """Make the relay's database with James Lowe's personal e-mail consent in its register."""
    url = f"sqlite:///{path}"
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        factory = db.sessions(engine)
        users = UserStore(factory, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        lowe = users.create(email=LOWE, name="James Lowe", role="councillor", password="correct horse battery",
                            created_by="test")
        clerk = users.create(email=CLERK, name="Helen Marsh", role="proper-officer", password="correct horse battery",
                             created_by="test")
        Authorisations(factory, channels={}, audit=desk_audit.write).record(
            Person(lowe.id, lowe.name, lowe.email, "councillor"),
            NewAuthorisation(kind="personal-email", source_kind="proper-officer-consent", reference="Clerk's decision",
                             decided_on=TODAY - timedelta(days=40), scope=f"Council business from or to {GMAIL}",
                             expires_on=expires_on, address=address),
            by=Person(clerk.id, clerk.name, clerk.email, "proper-officer"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("expires_on, address, disposition", [
    (TODAY + timedelta(days=10), None, "relayed"),
    (TODAY + timedelta(days=10), GMAIL, "relayed"),  # a consent for this very account
    (TODAY + timedelta(days=10), "j.lowe@hotmail.co.uk", "held"),  # for another of his accounts: not this one
    (TODAY - timedelta(days=1), None, "held"),  # the consent has ended: the forward is held for the Clerk again
])
def test_a_current_consent_lets_the_forward_through(make_relay, upstream, tmp_path, expires_on, address, disposition):
    path = tmp_path / "archive.db"
    _consent(path, expires_on=expires_on, address=address)
    relay = make_relay(upstream.port, db=str(path))
    code, text = send(relay, mail(*PERSONAL_FORWARD, to=GMAIL), rcpts=[GMAIL])
    assert code == 250, text
    record = relay.intake.archive.get(int(re.search(r"record (\d+)", text).group(1)))
    assert record.disposition == disposition
    assert ("personal-email-account" in [f.rule for f in record.findings]) is (disposition == "held")


def test_authorisations_go_only_to_mail_from_the_envelope_sender(checker):
    council = checker.pack.council
    raw = mail(*PERSONAL_FORWARD, to=GMAIL)
    own = message_for(parse_mail(raw), Envelope(LOWE, (GMAIL,)), council, frozenset({"personal-email"}))
    assert own.authorisations == ["personal-email"] and checker.check(own).verdict == "ok"
    other = message_for(parse_mail(raw), Envelope(CLERK, (GMAIL,)), council, frozenset({"personal-email"}))
    assert other.authorisations == [] and "personal-email-account" in checker.check(other).rules
