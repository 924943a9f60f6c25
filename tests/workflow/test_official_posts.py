"""The official accounts' queue: who may draft, the check at submission and at approval, the archive record."""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import date, timedelta
from email.policy import default as email_default

import pytest

from councilguard.workflow.authorisations import NewAuthorisation
from councilguard.workflow.authority_errors import (
    AlreadyDecided,
    InvalidEntry,
    NoSuchEntry,
    NotPermitted,
    PostBlocked,
)
from tests.workflow.conftest import audit_log

TODAY = date.today()
CLERK = "clerk@croxleygreen-pc.gov.uk"
CLEAN = "The play area on the Green reopens on Saturday at 10am."
WARNS = "Our groundsman Gary Doyle is useless and lazy and should be sacked."  # inflammatory-staff (warn)
BLOCKS = ("Mrs Jones at 14 High Street, Croxley Green has a criminal conviction for fraud; her NI number is "
          "QQ123456C.")  # personal-data (block)


def designate(s, who: str, channel: str | None = "facebook", **change):
    new = NewAuthorisation(kind="official-account", source_kind="proper-officer-designation",
                           reference=f"Clerk's designation {TODAY}", decided_on=TODAY - timedelta(days=1),
                           scope="Notices of events and closures", channel=channel)
    return s.authorisations.record(s.people[who], replace(new, **change), by=s.people["clerk"])


@pytest.mark.parametrize("who, designated_for, channel, allowed", [
    ("clerk", None, "facebook", True),  # the Proper Officer runs the accounts
    ("events", "facebook", "facebook", True),
    ("events", "facebook", "x", False),  # designated for another account only
    ("grounds", "", "facebook", False),  # staff, but not designated
    ("sharma", "every", "instagram", True),  # a councillor the Proper Officer designated for every account
    ("okafor", "", "facebook", False),
    ("admin", "", "facebook", False),
])
def test_who_may_draft(services, who, designated_for, channel, allowed):
    s = services
    if designated_for:
        designate(s, who, None if designated_for == "every" else designated_for)
    if allowed:
        post = s.posts.draft(s.people[who], channel=channel, text=CLEAN, on=TODAY)
        assert (post.status, post.submitted_verdict, post.channel) == ("waiting", "ok", channel)
        assert (post.designation_id is None) == (who == "clerk")
        assert s.posts.waiting() == [post] and s.posts.drafted_by(s.people[who].id) == [post]
    else:
        with pytest.raises(NotPermitted, match=f"not designated you to post on the council's {channel} account") as e:
            s.posts.draft(s.people[who], channel=channel, text=CLEAN, on=TODAY)
        assert e.value.where == "channel" and s.posts.waiting() == []
    assert (channel in s.posts.may_draft(s.people[who], TODAY)) is allowed


def test_an_expired_designation_no_longer_lets_you_draft(services):
    s = services
    designate(s, "events", decided_on=TODAY - timedelta(days=60), expires_on=TODAY - timedelta(days=1))
    with pytest.raises(NotPermitted):
        s.posts.draft(s.people["events"], channel="facebook", text=CLEAN, on=TODAY)


@pytest.mark.parametrize("channel, text, field, words", [
    ("tiktok", CLEAN, "channel", "'tiktok' is not one of the council's official accounts; choose facebook, x"),
    ("", CLEAN, "channel", "an empty value"),
    ("facebook", "   ", "text", "The post's text is needed"),
    ("facebook", "x" * 10_001, "text", "10001 characters; the most is 10000"),
])
def test_bad_drafts_name_the_field(services, channel, text, field, words):
    with pytest.raises(InvalidEntry, match=words) as caught:
        services.posts.draft(services.people["clerk"], channel=channel, text=text, on=TODAY)
    assert caught.value.where == field


def test_a_draft_the_policy_forbids_outright_is_refused_with_the_report(services):
    s = services
    designate(s, "events")
    with pytest.raises(PostBlocked, match=r"breach the policy \(.*personal-data") as caught:
        s.posts.draft(s.people["events"], channel="facebook", text=BLOCKS, on=TODAY)
    assert "personal-data" in caught.value.report.rules and caught.value.where == "text"
    assert s.posts.waiting() == [] and [a[1] for a in audit_log(s)] == ["authorisation-recorded"]


def test_approval_checks_again_archives_the_post_and_audits(services):
    s = services
    designation = designate(s, "events")
    post = s.posts.draft(s.people["events"], channel="Facebook", text=CLEAN, on=TODAY)
    done = s.posts.approve(post.id, by=s.people["clerk"], note="", on=TODAY)
    assert (done.status, done.decided_by, done.approved_verdict, done.decision_note) == ("approved", CLERK, "ok", None)
    assert s.posts.waiting() == [] and s.posts.decided() == [done] and done.designation_id == designation.id
    record = s.archive.get(done.record_id)
    assert record.source == "official-post:facebook" and record.disposition == "relayed" and record.verdict == "ok"
    assert record.sender == '"Croxley Green Parish Council (facebook)" <CroxleyGreenParishCouncil@facebook>'
    assert record.subject == f"Official facebook post {post.id}" and record.body_text.strip() == CLEAN
    raw = email.message_from_bytes(s.archive.raw(done.record_id), policy=email_default)
    assert raw["X-Councilguard-Drafted-By"] == "Shona McAllister <events@croxleygreen-pc.gov.uk>"
    assert raw["X-Councilguard-Approved-By"] == CLERK and raw["X-Councilguard-Account"] == (
        "facebook: CroxleyGreenParishCouncil")
    assert [a[1] for a in audit_log(s)] == ["authorisation-recorded", "official-post-drafted", "official-post-approved"]
    assert s.archive.verify().ok


def test_a_warning_needs_a_note_which_becomes_the_records_justification(services):
    s = services
    post = s.posts.draft(s.people["clerk"], channel="x", text=WARNS, on=TODAY)
    assert post.submitted_verdict == "warn" and [f.rule for f in post.submitted_findings] == ["inflammatory-staff"]
    with pytest.raises(InvalidEntry, match=r"may breach the policy \(inflammatory-staff\); say in the note") as e:
        s.posts.approve(post.id, by=s.people["clerk"], note="  ", on=TODAY)
    assert e.value.where == "note" and s.posts.get(post.id).status == "waiting"
    done = s.posts.approve(post.id, by=s.people["clerk"], note="Agreed with Gary; it quotes his own joke.", on=TODAY)
    record = s.archive.get(done.record_id)
    assert (record.disposition, record.verdict) == ("overridden", "warn")
    assert record.override_justification == "Agreed with Gary; it quotes his own joke."
    assert [f.rule for f in record.findings] == ["inflammatory-staff"]


def test_a_designation_that_lapses_before_approval_is_caught_by_the_second_check(services):
    s = services
    designation = designate(s, "sharma")
    post = s.posts.draft(s.people["sharma"], channel="facebook", text=CLEAN, on=TODAY)
    assert post.submitted_verdict == "ok"  # designated: a councillor may post on the official account
    s.authorisations.revoke(designation.id, by=s.people["clerk"], reason="Working group ended.")
    with pytest.raises(InvalidEntry, match="official-account-use"):
        s.posts.approve(post.id, by=s.people["clerk"], on=TODAY)


def test_return_and_the_decisions_that_cannot_be_made(services):
    s = services
    post = s.posts.draft(s.people["clerk"], channel="facebook", text=CLEAN, on=TODAY)
    with pytest.raises(NotPermitted, match="only the Proper Officer may approve"):
        s.posts.approve(post.id, by=s.people["sharma"], on=TODAY)
    with pytest.raises(NotPermitted, match="only the Proper Officer may return"):
        s.posts.return_to_drafter(post.id, by=s.people["events"], reason="no")
    with pytest.raises(InvalidEntry, match="The reason for returning it is needed") as e:
        s.posts.return_to_drafter(post.id, by=s.people["clerk"], reason="")
    assert e.value.where == "reason"
    done = s.posts.return_to_drafter(post.id, by=s.people["clerk"], reason="Wait until the contractor confirms.")
    assert (done.status, done.decision_note, done.record_id) == ("returned", "Wait until the contractor confirms.", None)
    with pytest.raises(AlreadyDecided, match=f"official post {post.id} was already returned by {CLERK}"):
        s.posts.approve(post.id, by=s.people["clerk"], on=TODAY)
    with pytest.raises(NoSuchEntry, match="there is no official post 999999"):
        s.posts.return_to_drafter(999999, by=s.people["clerk"], reason="x")
    assert [a[1] for a in audit_log(s)] == ["official-post-drafted", "official-post-returned"]
