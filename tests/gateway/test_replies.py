"""The relay's SMTP replies follow one naming pattern, and a held message is never answered 4xx."""

from __future__ import annotations

import re

import pytest

from councilguard.gateway import replies
from councilguard.gateway.replies import MAX_LINE, Reply, all_replies, ascii_text, render

ALL = all_replies()
FILLED = {"record": 123456, "rules": "personal-email-account, personal-data", "limit": "35 MB",
          "why": "the archive could not be written: OperationalError"}


def test_the_module_has_the_replies_the_relay_uses():
    assert {"R250_RELAYED", "R250_HELD_FOR_CLERK", "R250_OVERRIDDEN", "R250_FAILED_OPEN", "R250_HELD_CHECKER_FAILED",
            "R451_LOCAL_ERROR", "R550_POLICY_BLOCK", "R550_OVERRIDE_REFUSED", "R552_MESSAGE_TOO_BIG",
            "R554_EMPTY_MESSAGE", "R500_LINE_TOO_LONG"} <= set(ALL)
    public = {n for n in dir(replies) if re.fullmatch(r"R\d+_\w+", n)}
    assert public == set(ALL), "a reply-like name that is not a Reply"


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_name_matches_its_code_and_status_class(name):
    reply = ALL[name]
    assert re.fullmatch(r"R(\d{3})_[A-Z][A-Z0-9_]*", name)
    assert int(name[1:4]) == reply.code
    assert re.fullmatch(r"[245]\.\d{1,3}\.\d{1,3}", reply.status)
    assert reply.status[0] == str(reply.code)[0], "the enhanced status class must agree with the code"


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_hold_reply_is_temporary(name):
    reply = ALL[name]
    if "HELD" in name or "HOLD" in name or "held" in reply.text.lower():
        assert reply.is_accepted and not reply.is_temporary, f"{name}: a held message must be accepted (2xx)"
    if reply.is_temporary:  # the only 4xx: nothing was accepted, the sender's server should retry
        assert "nothing was kept" in reply.text


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_reply_filled_in_is_one_ascii_line_within_the_limit(name):
    line = str(ALL[name].format(**FILLED))
    assert line.isascii() and "\r" not in line and "\n" not in line
    assert len(line) + 2 <= MAX_LINE
    assert "{" not in line


@pytest.mark.parametrize(("lines", "expected"), [
    (["Not sent:", "rule-a: fix it"], "550-5.7.1 Not sent:\r\n550 5.7.1 rule-a: fix it"),
    (["only"], "550 5.7.1 only"),
    (["curly \u2018quotes\u2019 \u2013 and \u00a35", ""], "550 5.7.1 curly 'quotes' - and GBP 5"),
    (["line\r\nbreak\tinside"], "550 5.7.1 line break inside"),
    ([], "550 5.7.1 -"),
])
def test_render_makes_a_multiline_reply(lines, expected):
    assert render(550, "5.7.1", lines) == expected


def test_render_cuts_long_lines_and_long_replies():
    out = render(550, "5.7.1", ["x" * 2000] + [f"line {i}" for i in range(30)])
    rows = out.split("\r\n")
    assert all(len(r) + 2 <= MAX_LINE for r in rows)
    assert rows[0].endswith("...") and len(rows) == replies.MAX_LINES
    assert rows[-1] == "550 5.7.1 (and 20 more lines)"


def test_with_lines_appends_explanations():
    reply = Reply(550, "5.7.1", "Not sent (record {record}):").format(record=7)
    assert reply.with_lines("a: b") == "550-5.7.1 Not sent (record 7):\r\n550 5.7.1 a: b"


@pytest.mark.parametrize(("text", "expected"), [("Zoë’s café", "Zoe's cafe"), ("  a \n b ", "a b"), ("日本", "")])
def test_ascii_text(text, expected):
    assert ascii_text(text) == expected
