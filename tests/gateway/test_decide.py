"""The relay's decision for every combination that matters: severity x pack settings x override x failure."""

from __future__ import annotations

import pytest

from councilguard.gateway import replies
from councilguard.gateway.decide import decide, first_sentence, reason_line
from councilguard.model import Finding, Report, Severity
from councilguard.policy import RelaySettings


def finding(rule: str, severity: str) -> Finding:
    return Finding(rule=rule, severity=Severity(severity), clause="6", evidence=(),
                   explanation=f"The {rule} explanation. More detail here.", remedy=f"Fix {rule} this way. Then more.")


def report(*severities: str) -> Report:
    return Report(id=None, findings=tuple(finding(f"rule-{s}", s) for s in severities))


DEFAULT = RelaySettings()
R = replies


@pytest.mark.parametrize(("severities", "settings", "justification", "expected"), [
    ((), DEFAULT, None, ("relay", "relayed", R.R250_RELAYED)),
    (("advice",), DEFAULT, None, ("relay", "relayed", R.R250_RELAYED)),
    (("advice",), RelaySettings(on_advice="hold"), None, ("hold", "held", R.R250_HELD_FOR_CLERK)),
    (("warn",), DEFAULT, None, ("hold", "held", R.R250_HELD_FOR_CLERK)),
    (("warn",), RelaySettings(on_warn="relay"), None, ("relay", "relayed", R.R250_RELAYED)),
    (("warn",), RelaySettings(on_warn="reject"), None, ("reject", "rejected", R.R550_POLICY_BLOCK)),
    (("warn", "advice"), DEFAULT, "agreed with the Clerk", ("relay", "overridden", R.R250_OVERRIDDEN)),
    (("warn",), RelaySettings(on_warn="reject"), "minute 24/113", ("relay", "overridden", R.R250_OVERRIDDEN)),
    (("warn",), RelaySettings(override="none"), "please", ("hold", "held", R.R250_HELD_FOR_CLERK)),
    (("warn",), RelaySettings(on_warn="relay"), "not needed", ("relay", "relayed", R.R250_RELAYED)),
    ((), DEFAULT, "not needed", ("relay", "relayed", R.R250_RELAYED)),
    (("block",), DEFAULT, None, ("reject", "rejected", R.R550_POLICY_BLOCK)),
    (("block", "warn"), DEFAULT, "I insist", ("reject", "rejected", R.R550_OVERRIDE_REFUSED)),
    (("block",), RelaySettings(on_block="hold"), None, ("hold", "held", R.R250_HELD_FOR_CLERK)),
    (("block",), RelaySettings(on_block="hold"), "I insist", ("hold", "held", R.R250_HELD_FOR_CLERK)),
])
def test_decision_by_severity_settings_and_override(severities, settings, justification, expected):
    d = decide(report(*severities), settings, justification=justification)
    assert (d.action, d.disposition, d.reply) == expected
    assert d.verdict == ("ok" if not severities else max(severities, key=lambda s: Severity(s).rank))
    assert d.rules == tuple(f"rule-{s}" for s in severities)
    if expected[1] == "overridden":
        assert d.override_justification == justification and d.override_refused is None


@pytest.mark.parametrize(("severities", "settings", "refusal"), [
    (("block", "warn"), DEFAULT, "an override can excuse a warning, never a block (rule-block)"),
    (("warn",), RelaySettings(override="none"), "this council's policy does not allow overrides"),
])
def test_a_refused_override_says_why_and_keeps_the_justification(severities, settings, refusal):
    d = decide(report(*severities), settings, justification="my reason")
    assert d.override_refused == refusal
    assert d.notes == (f"override refused: {refusal}",) and d.reasons[0] == d.notes[0]
    assert d.override_justification == "my reason"  # archived with the record, as what was asked


@pytest.mark.parametrize(("mode", "expected"), [
    ("fail-open", ("relay", "failed-open", R.R250_FAILED_OPEN)),
    ("fail-closed", ("hold", "failed-closed", R.R250_HELD_CHECKER_FAILED)),
])
def test_checker_failure_follows_the_pack(mode, expected):
    d = decide(None, RelaySettings(on_checker_failure=mode), failure="RuntimeError: boom", justification="x")
    assert (d.action, d.disposition, d.reply) == expected
    assert d.reasons == ("the policy checker failed (RuntimeError: boom), so the message was not checked",)
    assert d.override_justification is None  # nobody can vouch for an unchecked message


def test_suspect_headers_hold_the_message_even_when_clean():
    d = decide(report(), DEFAULT, suspect_headers=("header Subject contains CR, LF or NUL characters",),
               justification="override cannot help")
    assert (d.action, d.disposition) == ("hold", "held")
    assert d.reasons == ("header injection check: header Subject contains CR, LF or NUL characters",)


def test_reason_line_is_rule_severity_clause_what_and_fix():
    assert reason_line(finding("personal-email-account", "warn")) == (
        "personal-email-account (warn, clause 6): The personal-email-account explanation; "
        "fix personal-email-account this way")


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two.", "One"), ("No full stop", "No full stop"), ("Is it? Yes.", "Is it?"),
    ("Wrapped\n  over lines. Next.", "Wrapped over lines"), ("Use e.g. this. Then", "Use e.g. this"),
])
def test_first_sentence(text, expected):
    assert first_sentence(text) == expected
