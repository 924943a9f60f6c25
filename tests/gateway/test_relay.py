"""The relay end to end over real sockets: smtplib -> relay -> a real upstream SMTP server, real archive.

Each test sends council mail the bundled croxley-green pack judges (clean, a warning, a block) and checks
the SMTP answer, what the upstream received, what is held in the spool and what the archive recorded.
"""

from __future__ import annotations

import email
import re
import smtplib
from email.policy import default as email_default

import pytest

from councilguard.engine import Checker
from councilguard.gateway import quarantine
from councilguard.gateway.relay import _address_of
from councilguard.gateway.spool import HELD, QUEUE, Spool
from councilguard.policy import RelaySettings
from councilguard.records.archive import Archive
from tests.gateway.conftest import (CLEAN, CLERK, LOWE, PERSONAL_DATA, PERSONAL_FORWARD, email as mail, send,
                                    wait_until)
from tests.records.conftest import _pg_archive, _sqlite_template, db_url, pg_database  # noqa: F401

GMAIL = "jameslowe1962@gmail.com"
OVERRIDE = "X-Councilguard-Override"


def archived(relay, record_id: int):
    return relay.intake.archive.get(record_id), relay.intake.archive.events(record_id)


def record_of(text: str) -> int:
    return int(re.search(r"record (\d+)", text).group(1))


class BrokenChecker(Checker):
    """A checker whose check raises, as a detector bug or a corrupt model would make it."""

    def check(self, message, **kwargs):
        raise RuntimeError("model file is corrupt")


# --- the four outcomes ---------------------------------------------------------------------------------------


def test_clean_mail_is_relayed_archived_and_answered_250(make_relay, upstream):
    relay = make_relay(upstream.port)
    raw = mail(*CLEAN)
    code, text = send(relay, raw)
    assert code == 250 and text.startswith("2.0.0 Accepted: checked, archived as record")
    got = upstream.handler.wait_for(1)
    assert got[0].mail_from == LOWE and got[0].rcpt_tos == [CLERK]
    assert got[0].data == raw
    record, events = archived(relay, record_of(text))
    assert record.disposition == "relayed" and record.verdict == "ok" and record.subject == "Agenda"
    wait_until(lambda: not relay.spool.ids(QUEUE), what="the queue to empty")


def test_warning_is_held_with_250_and_the_sender_gets_a_notice(make_relay, upstream):
    relay = make_relay(upstream.port)
    code, text = send(relay, mail(*PERSONAL_FORWARD, to=GMAIL), rcpts=[GMAIL])
    assert code == 250, text  # never a 4xx: the sender's server must not retry a held message
    assert "held for the Clerk" in text and "personal-email-account" in text
    record_id = record_of(text)
    notice = upstream.handler.wait_for(1)[0]
    assert notice.mail_from == "<>" and notice.rcpt_tos == [LOWE]  # only the notice went out, from <>
    body = email.message_from_bytes(notice.data, policy=email_default)
    text_body = body.get_content()
    assert body["Auto-Submitted"] == "auto-replied" and CLERK in body["Reply-To"]
    assert "personal-email-account" in text_body and "What to do: Use your council address" in text_body
    assert f"held message {record_id}" in text_body and "X-Councilguard-Override" in text_body
    assert upstream.handler.to(GMAIL) == []
    [entry] = quarantine.held(relay.spool)
    assert entry.record_id == record_id and entry.envelope.rcpt_tos == (GMAIL,)
    record, _ = archived(relay, record_id)
    assert record.disposition == "held" and record.verdict == "warn"
    assert [f.rule for f in record.findings] == ["personal-email-account"]


def test_block_is_rejected_550_naming_the_rule_and_the_fix(make_relay, upstream):
    relay = make_relay(upstream.port)
    code, text = send(relay, mail(*PERSONAL_DATA, frm="cllr.baxter@croxleygreen-pc.gov.uk", to="resident@example.com"),
                      mail_from="cllr.baxter@croxleygreen-pc.gov.uk", rcpts=["resident@example.com"])
    assert code == 550
    lines = text.splitlines()
    assert all(line.startswith("5.7.1 ") and len(line) + 6 <= 512 for line in lines)
    personal = next(line for line in lines if line.startswith("5.7.1 personal-data"))
    assert "personal information" in personal and "remove the personal details" in personal
    assert lines[-1] == "5.7.1 If you think this is wrong, ask Helen Marsh (clerk@croxleygreen-pc.gov.uk)."
    record, _ = archived(relay, record_of(text))
    assert record.disposition == "rejected" and record.verdict == "block"
    assert relay.spool.ids(QUEUE) == [] and relay.spool.ids(HELD) == []


def test_override_of_a_warning_relays_without_the_header_and_archives_the_reason(make_relay, upstream):
    relay = make_relay(upstream.port)
    reason = "agreed with the Clerk, minute 24/113"
    raw = mail(*PERSONAL_FORWARD, to=GMAIL, headers={OVERRIDE: reason})
    code, text = send(relay, raw, rcpts=[GMAIL])
    assert code == 250 and "override" in text
    got = upstream.handler.wait_for(1)[0]
    assert got.rcpt_tos == [GMAIL]
    assert b"councilguard-override" not in got.data.lower() and b"Forwarding so I can read it" in got.data
    record, events = archived(relay, record_of(text))
    assert record.disposition == "overridden" and record.override_justification == reason
    assert relay.intake.archive.raw(record.id) == raw  # the archive keeps the bytes as received, header and all


def test_override_of_a_block_is_refused_clearly(make_relay, upstream):
    relay = make_relay(upstream.port)
    raw = mail(*PERSONAL_DATA, to="resident@example.com", headers={OVERRIDE: "I know what I am doing"})
    code, text = send(relay, raw, rcpts=["resident@example.com"])
    assert code == 550
    assert text.splitlines()[0].startswith("5.7.1 Not sent: an override can excuse a warning, never a block")
    assert "override refused: an override can excuse a warning, never a block (personal-data)" in text
    record, _ = archived(relay, record_of(text))
    assert record.disposition == "rejected" and record.override_justification == "I know what I am doing"
    assert upstream.handler.received == []


def test_override_is_ignored_where_the_pack_allows_none(make_relay, upstream):
    relay = make_relay(upstream.port, settings=RelaySettings(override="none"))
    code, text = send(relay, mail(*PERSONAL_FORWARD, to=GMAIL, headers={OVERRIDE: "please"}), rcpts=[GMAIL])
    assert code == 250 and "held for the Clerk" in text
    [entry] = quarantine.held(relay.spool)
    assert entry.reasons[0] == "override refused: this council's policy does not allow overrides"


@pytest.mark.parametrize(("failure", "code", "disposition", "delivered", "held"), [
    ("fail-open", 250, "failed-open", 1, 0),
    ("fail-closed", 250, "failed-closed", 1, 1),  # the one delivery is the notice to the sender
])
def test_checker_failure_is_neither_lost_nor_passed_silently(make_relay, upstream, checker, failure, code,
                                                             disposition, delivered, held):
    broken = BrokenChecker(checker.pack)
    relay = make_relay(upstream.port, checker_=broken, settings=RelaySettings(on_checker_failure=failure))
    got_code, text = send(relay, mail(*CLEAN))
    assert got_code == code and "checker failed" in text
    got = upstream.handler.wait_for(delivered)
    record, _ = archived(relay, record_of(text))
    assert record.disposition == disposition and record.findings == ()
    assert len(quarantine.held(relay.spool)) == held
    if held:
        assert got[0].rcpt_tos == [LOWE] and b"RuntimeError: model file is corrupt" in got[0].data
    else:
        assert got[0].rcpt_tos == [CLERK] and b"Agenda for Thursday" in got[0].data


def test_release_by_the_clerk_sends_the_held_message_and_records_who(make_relay, upstream):
    relay = make_relay(upstream.port)
    _, text = send(relay, mail(*PERSONAL_FORWARD, to=GMAIL), rcpts=[GMAIL])
    upstream.handler.wait_for(1)  # the notice
    record_id = record_of(text)
    quarantine.release(relay.spool, relay.intake.archive, str(record_id), by="Helen Marsh", reason="consent given")
    relay.worker.wake()
    got = upstream.handler.wait_for(2)
    assert got[1].rcpt_tos == [GMAIL] and b"Forwarding so I can read it" in got[1].data
    record, events = archived(relay, record_id)
    assert record.disposition == "relayed"
    assert (events[-1].kind, events[-1].detail["actor"], events[-1].detail["reason"]) == \
        ("released", "Helen Marsh", "consent given")
    assert quarantine.held(relay.spool) == []


# --- mail as it really arrives --------------------------------------------------------------------------------


def test_message_over_the_size_limit_gets_a_clear_552(make_relay, upstream):
    relay = make_relay(upstream.port, max_bytes=64 * 1024)
    code, text = send(relay, mail("Big", "x" * 70 + "\n" * 0 + ("lorem ipsum dolor " * 4 + "\n") * 1200))
    assert code == 552
    assert text.startswith("5.3.4 Not accepted: the message is larger than this relay's limit of 64 KB")
    code, text = send(relay, mail(*CLEAN), options=["SIZE=100000"])  # declared up front: refused at MAIL
    assert code == 552 and "64 KB" in text
    assert relay.intake.stats.messages == 0


@pytest.mark.parametrize(("name", "raw", "expect_code", "expect_disposition"), [
    ("broken MIME: no closing boundary",
     b"From: cllr.lowe@croxleygreen-pc.gov.uk\r\nTo: clerk@croxleygreen-pc.gov.uk\r\nSubject: Minutes\r\n"
     b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n--XYZ\r\n"
     b"Content-Type: text/plain\r\n\r\nDraft minutes attached.\r\n--XYZ\r\nContent-Type: application/pdf\r\n"
     b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK!!!garbage\r\n", 250, "relayed"),
    ("8-bit header without encoding",
     "From: cllr.lowe@croxleygreen-pc.gov.uk\r\nTo: clerk@croxleygreen-pc.gov.uk\r\nSubject: Café opening on "
     "the Green – £5 tickets\r\n\r\nThe café opens on Saturday at 10am; tickets are on sale at the "
     "hall.\r\n".encode("utf-8"), 250, "relayed"),
    ("header injection by an encoded CR LF",
     b"From: cllr.lowe@croxleygreen-pc.gov.uk\r\nTo: clerk@croxleygreen-pc.gov.uk\r\n"
     b"Subject: =?utf-8?q?Hello=0D=0ABcc:_victim@example.com?=\r\n\r\nHello.\r\n", 250, "held"),
    ("no headers at all", b"just some text with no headers\r\n", 250, "relayed"),
])
def test_real_world_mail_gets_a_clear_answer_and_is_kept(make_relay, upstream, name, raw, expect_code,
                                                         expect_disposition):
    relay = make_relay(upstream.port)
    code, text = send(relay, raw)
    assert code == expect_code, text
    record, _ = archived(relay, record_of(text))
    assert record.disposition == expect_disposition
    assert relay.intake.archive.raw(record.id) == raw
    if expect_disposition == "relayed":
        got = upstream.handler.wait_for(1)[0]
        assert got.data.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")
    else:
        [entry] = quarantine.held(relay.spool)
        assert any("header injection" in r for r in entry.reasons)


def test_empty_message_is_refused_554(make_relay, upstream):
    relay = make_relay(upstream.port)
    assert send(relay, b"\r\n")[0] == 554


def test_smtputf8_addresses_are_relayed_with_smtputf8(make_relay, upstream):
    relay = make_relay(upstream.port)
    rcpt = "zoë.müller@bücher.example"
    raw = (f"From: {LOWE}\r\nTo: Zoë Müller <{rcpt}>\r\nSubject: Hall booking\r\n\r\n"
           "Your booking of the hall is confirmed.\r\n").encode("utf-8")
    code, text = send(relay, raw, rcpts=[rcpt], options=["SMTPUTF8"])
    assert code == 250, text
    got = upstream.handler.wait_for(1)[0]
    assert got.rcpt_tos == [rcpt] and "SMTPUTF8" in got.options


def test_blind_copy_to_a_personal_account_is_checked_and_archived_as_bcc(make_relay, upstream):
    relay = make_relay(upstream.port)
    code, text = send(relay, mail(*CLEAN), rcpts=[CLERK, GMAIL])  # the gmail address is only in the envelope
    assert code == 250 and "personal-email-account" in text
    record, _ = archived(relay, record_of(text))
    assert record.bcc == (GMAIL,) and record.disposition == "held"


def pipelined(conn: smtplib.SMTP, commands: list[str]) -> list[tuple[int, str]]:
    """Send ``commands`` in one write, as a pipelining server does (RFC 2920), then read one reply each."""
    conn.send("".join(f"{c}\r\n" for c in commands))
    return [(code, text.decode()) for code, text in (conn.getreply() for _ in commands)]


def test_ehlo_offers_pipelining_and_a_pipelined_transaction_is_relayed(make_relay, upstream):
    relay = make_relay(upstream.port)
    raw = mail(*CLEAN)
    with smtplib.SMTP(*relay.address, timeout=30) as conn:
        conn.ehlo()
        assert conn.has_extn("pipelining") and conn.has_extn("size") and conn.has_extn("smtputf8")
        replies = pipelined(conn, [f"MAIL FROM:<{LOWE}>", f"RCPT TO:<{CLERK}>", f"RCPT TO:<{GMAIL}>", "DATA"])
        assert [code for code, _ in replies] == [250, 250, 250, 354]
        conn.send(raw + b".\r\n")
        code, text = conn.getreply()
        assert code == 250 and "personal-email-account" in text.decode()  # the Bcc to gmail: held
        # the group after it reuses the connection: nothing of the first is left in the server's buffer
        replies = pipelined(conn, [f"MAIL FROM:<{LOWE}>", f"RCPT TO:<{CLERK}>", "DATA"])
        assert [code for code, _ in replies] == [250, 250, 354]
        conn.send(raw + b".\r\n")
        code, text = conn.getreply()
    assert code == 250 and "Accepted" in text.decode()
    got = upstream.handler.wait_for(2)  # the notice of the held one, and the second message
    assert sorted(g.rcpt_tos[0] for g in got) == sorted([LOWE, CLERK])


@pytest.mark.parametrize(("arg", "limit", "expected"), [
    ("<cllr.lowe@croxleygreen-pc.gov.uk>", 0, ("cllr.lowe@croxleygreen-pc.gov.uk", "")),
    ("<a@b> SIZE=100 BODY=8BITMIME", 0, ("a@b", "SIZE=100 BODY=8BITMIME")),
    ("a@b", 0, ("a@b", "")),
    ("", 0, ("", "")),
    ("<@>", 0, (None, None)),
    ("<abcd@x>", 0, ("abcd@x", "")),
    ("<abcd@x>", 3, (None, None)),  # the local-part limit is part of what is remembered
    ("<a@[1.2>", 0, (None, None)),  # the email package's grammar raises on this one: malformed, not a crash
])
def test_addresses_are_read_as_aiosmtpd_reads_them(arg, limit, expected):
    assert _address_of(arg, limit) == expected
    assert _address_of(arg, limit) == expected  # and again, from the cache


def test_a_pipelined_group_with_a_bad_sender_is_refused_command_by_command(make_relay, upstream):
    relay = make_relay(upstream.port)
    with smtplib.SMTP(*relay.address, timeout=30) as conn:
        conn.ehlo()
        replies = pipelined(conn, ["MAIL FROM:<@>", f"RCPT TO:<{CLERK}>", "DATA"])
        assert [code for code, _ in replies] == [553, 503, 503]
        assert "need MAIL" in replies[1][1] and "need RCPT" in replies[2][1]
        conn.putcmd("MAIL FROM:<a@[1.2>")  # an address the e-mail grammar itself trips over
        assert conn.getreply() == (553, b"5.1.3 Error: malformed address")
        code, _ = conn.mail(LOWE)  # the connection is still in step
        assert code == 250
    assert relay.intake.archive.count() == 0


# --- nothing lost across restarts and databases ---------------------------------------------------------------


def test_restart_resumes_what_the_spool_holds(make_relay, upstream, tmp_path):
    relay = make_relay(upstream.port)
    upstream.stop()  # the upstream goes away; mail is accepted and waits in the spool
    for i in range(3):
        assert send(relay, mail(f"Notes {i}", "Notes from the allotments meeting."))[0] == 250
    relay.stop()
    assert len(Spool(tmp_path / "spool").ids(QUEUE)) == 3
    upstream.start()
    make_relay(upstream.port)
    got = upstream.handler.wait_for(3)
    assert sorted(email.message_from_bytes(g.data)["Subject"] for g in got) == ["Notes 0", "Notes 1", "Notes 2"]


def test_relay_archives_on_either_database(make_relay, upstream, db_url, tmp_path):
    relay = make_relay(upstream.port, db=db_url)
    assert send(relay, mail(*CLEAN))[0] == 250
    code, text = send(relay, mail(*PERSONAL_FORWARD, to=GMAIL), rcpts=[GMAIL])
    assert code == 250
    upstream.handler.wait_for(2)
    archive = Archive.open(db_url, migrate=False)
    try:
        assert archive.get(record_of(text)).disposition == "held"
        assert archive.count() == 2
    finally:
        archive.close()
