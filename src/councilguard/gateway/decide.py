"""What the relay does with one checked message: relay, hold for the Clerk, or reject; and why.

A pure function of the checker's report (or its failure), the pack's relay settings, the sender's override
justification and any header-injection signs, so every branch is tested without a socket. The decision
carries the archive disposition, the SMTP reply and the plain-English reasons the sender is told.

The order of precedence:
1. the checker failed: fail-open relays, fail-closed holds (an override cannot vouch for an unchecked message);
2. the headers look tampered with (CR, LF or NUL where none may be): held, since what was checked may not
   be what the upstream server would read;
3. by the worst finding's severity, per the pack (``on_block``, ``on_warn``, ``on_advice``), except that a
   sender's justification lets a warning through (``override: warn``) and is refused for a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from councilguard.gateway import replies
from councilguard.gateway.replies import Reply
from councilguard.model import Finding, Report, Severity, verdict_of
from councilguard.policy import RelaySettings

RELAY, HOLD, REJECT = "relay", "hold", "reject"
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s+[A-Z\"'(]|$)", re.S)


@dataclass(frozen=True)
class Decision:
    """The action, the archive disposition, the reply and the reasons (one plain-English line each)."""

    action: str  # relay | hold | reject
    disposition: str  # as archived: relayed | held | rejected | overridden | failed-open | failed-closed
    reply: Reply
    verdict: str = "ok"
    rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # every reason: the notes first, then one line per finding
    notes: tuple[str, ...] = ()  # the reasons that are not findings (checker failure, override refused...)
    override_justification: str | None = None
    override_refused: str | None = None  # why a justification given was not accepted

    @property
    def accepted(self) -> bool:
        return self.action in (RELAY, HOLD)


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    found = _FIRST_SENTENCE.match(text)
    return (found.group(1) if found else text).rstrip(".")


def reason_line(f: Finding) -> str:
    """One finding for a reply line or a notice: rule, what is wrong, how to fix it."""
    what = first_sentence(f.explanation)
    fix = first_sentence(f.remedy)
    fix = fix[:1].lower() + fix[1:] if fix else fix
    return f"{f.rule} ({f.severity.value}, clause {f.clause}): {what}; {fix}" if fix else \
        f"{f.rule} ({f.severity.value}, clause {f.clause}): {what}"


def _by_severity(verdict: str, settings: RelaySettings) -> str:
    return {"block": settings.on_block, "warn": settings.on_warn, "advice": settings.on_advice}.get(verdict, RELAY)


def decide(report: Report | None, settings: RelaySettings, *, failure: str | None = None,
           justification: str | None = None, suspect_headers: tuple[str, ...] = ()) -> Decision:
    """Decide for one message. ``failure`` says how the checker failed (then ``report`` is None)."""
    if failure is not None or report is None:
        why = f"the policy checker failed ({failure or 'no report'}), so the message was not checked"
        if settings.on_checker_failure == "fail-open":
            return Decision(RELAY, "failed-open", replies.R250_FAILED_OPEN, reasons=(why,), notes=(why,))
        return Decision(HOLD, "failed-closed", replies.R250_HELD_CHECKER_FAILED, reasons=(why,), notes=(why,))

    findings = [f for f in report.findings]
    verdict = verdict_of([f.severity for f in findings])
    rules = tuple(dict.fromkeys(f.rule for f in findings))
    reasons = tuple(reason_line(f) for f in findings)
    common = dict(verdict=verdict, rules=rules)

    if suspect_headers:
        why = tuple(f"header injection check: {s}" for s in suspect_headers)
        return Decision(HOLD, "held", replies.R250_HELD_FOR_CLERK, **common, reasons=why + reasons, notes=why)

    action = _by_severity(verdict, settings)
    refused = None
    if justification:
        if verdict == Severity.BLOCK.value:
            blocks = ", ".join(f.rule for f in findings if f.severity is Severity.BLOCK)
            refused = f"an override can excuse a warning, never a block ({blocks})"
        elif settings.override == "none":
            refused = "this council's policy does not allow overrides"
        elif verdict == Severity.WARN.value and action != RELAY:
            return Decision(RELAY, "overridden", replies.R250_OVERRIDDEN, **common, reasons=reasons,
                            override_justification=justification)
    notes: tuple[str, ...] = ()
    if refused:
        notes = (f"override refused: {refused}",)
        reasons = (*notes, *reasons)
    if action == REJECT:
        reply = replies.R550_OVERRIDE_REFUSED if refused and verdict == "block" else replies.R550_POLICY_BLOCK
        return Decision(REJECT, "rejected", reply, **common, reasons=reasons, notes=notes, override_refused=refused,
                        override_justification=justification if refused else None)
    if action == HOLD:
        return Decision(HOLD, "held", replies.R250_HELD_FOR_CLERK, **common, reasons=reasons, notes=notes,
                        override_refused=refused, override_justification=justification if refused else None)
    return Decision(RELAY, "relayed", replies.R250_RELAYED, **common, reasons=reasons)
