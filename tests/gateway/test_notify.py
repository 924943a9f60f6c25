"""The notices the relay writes: what a councillor reads when a message is held or cannot be delivered."""

from __future__ import annotations

import email
from datetime import datetime, timezone
from email.policy import default

import pytest

from councilguard.gateway.notify import HeldMessage, NoticeSender, failure_notice, held_notice
from councilguard.model import Finding, Severity
from councilguard.policy import Pack, RelaySettings

WHEN = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)
WARN = Finding(rule="personal-email-account", severity=Severity.WARN, clause="6", evidence=(),
               explanation="Council business is going to your own personal e-mail account.",
               remedy="Use your council address. If you need a personal account, ask the Proper Officer for consent.")
BLOCK = Finding(rule="personal-data", severity=Severity.BLOCK, clause="P8-2", evidence=(),
                explanation="This shares personal information about an identifiable person.",
                remedy="Remove the personal details.")


@pytest.fixture(scope="module")
def sender() -> NoticeSender:
    return NoticeSender.for_pack(Pack.bundled("croxley-green"))


def held(**kw) -> HeldMessage:
    base = dict(record_id=42, recipient="cllr.lowe@croxleygreen-pc.gov.uk", subject="Fwd: Draft budget",
                recipients=("jameslowe1962@gmail.com",), received_at=WHEN, notes=(), findings=(WARN,),
                overridable=True, message_id="<abc@croxleygreen-pc.gov.uk>")
    return HeldMessage(**{**base, **kw})


def read(raw: bytes):
    msg = email.message_from_bytes(raw, policy=default)
    return msg, msg.get_content()


def test_sender_details_come_from_the_council_profile(sender):
    assert sender.council == "Croxley Green Parish Council"
    assert (sender.address, sender.clerk_name, sender.clerk_address) == (
        "postmaster@croxleygreen-pc.gov.uk", "Helen Marsh", "clerk@croxleygreen-pc.gov.uk")
    assert sender.override_header == "X-Councilguard-Override" and sender.overrides_allowed


def test_held_notice_says_it_was_not_sent_why_and_how_to_get_it_released(sender):
    msg, body = read(held_notice(sender, held()))
    assert msg["To"] == "cllr.lowe@croxleygreen-pc.gov.uk"
    assert msg["Subject"] == "Held for the Clerk, not sent: Fwd: Draft budget"
    assert msg["Reply-To"] == "Helen Marsh <clerk@croxleygreen-pc.gov.uk>"
    assert msg["Auto-Submitted"] == "auto-replied" and msg["In-Reply-To"] == "<abc@croxleygreen-pc.gov.uk>"
    flat = " ".join(body.split())
    for expected in ['Your message "Fwd: Draft budget" to jameslowe1962@gmail.com', "has NOT been sent",
                     "personal-email-account (warn, clause 6): Council business is going to your own personal",
                     "What to do: Use your council address. If you need a personal account, ask the Proper Officer",
                     "Quote this reference: held message 42", "X-Councilguard-Override: <your reason>"]:
        assert expected in flat
    assert all(len(line) <= 78 for line in body.splitlines())


@pytest.mark.parametrize(("findings", "overridable", "settings", "offers_override"), [
    ((WARN,), True, RelaySettings(), True),
    ((BLOCK, WARN), False, RelaySettings(), False),
    ((WARN,), True, RelaySettings(override="none"), False),
])
def test_override_is_offered_only_where_it_could_work(findings, overridable, settings, offers_override):
    frm = NoticeSender.for_pack(Pack.bundled("croxley-green"), settings=settings)
    _, body = read(held_notice(frm, held(findings=findings, overridable=overridable)))
    assert ("X-Councilguard-Override" in body) is offers_override


def test_notes_come_before_findings(sender):
    _, body = read(held_notice(sender, held(notes=("the policy checker failed (RuntimeError: x)",), findings=())))
    assert "- the policy checker failed (RuntimeError: x)" in body


def test_failure_notice_lists_each_refused_recipient(sender):
    raw = failure_notice(sender, recipient="cllr.lowe@croxleygreen-pc.gov.uk", subject="Hall roof",
                         failed={"nobody@example.com": "550 5.1.1 no such user"}, record_id=9, received_at=WHEN)
    msg, body = read(raw)
    assert msg["Subject"] == "Not delivered: Hall roof" and msg["Auto-Submitted"] == "auto-replied"
    assert "- nobody@example.com: 550 5.1.1 no such user" in body and "record 9" in body
