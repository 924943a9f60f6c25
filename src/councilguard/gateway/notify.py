"""The e-mails the relay writes itself: to the sender of a held message, and when delivery finally failed.

A held message was accepted (250), so the sender's mail program shows it as sent. The notice is how the
sender learns that it was not: which rules it may breach, in plain English with the fix, and how to ask
the Clerk to release it. If the upstream server permanently refuses a message the relay had accepted,
the sender is told that too (the relay took on that duty when it said 250).

Notices go out with an empty envelope sender (``MAIL FROM:<>``) and ``Auto-Submitted: auto-replied``, as
RFC 3834 asks, so they are never answered by auto-responders and can never start a mail loop; a message
that itself came from ``<>`` gets no notice.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid

from councilguard.model import Finding
from councilguard.policy import Pack, RelaySettings


@dataclass(frozen=True)
class NoticeSender:
    """Who notices come from and whom the sender should ask: the council's name, address and Clerk."""

    council: str
    address: str  # From: of notices
    clerk_name: str
    clerk_address: str | None
    domain: str
    override_header: str = "X-Councilguard-Override"
    overrides_allowed: bool = True
    policy_notice: str = ""

    @classmethod
    def for_pack(cls, pack: Pack, address: str | None = None,
                 settings: RelaySettings | None = None) -> NoticeSender:
        """Notice details from the pack's council profile (From defaults to postmaster at its domain)."""
        council = pack.council
        domain = council.domains[0] if council.domains else "localhost"
        clerk = next(iter(council.of_kind("proper-officer")), None)
        settings = settings or pack.relay
        return cls(council=council.name, address=address or f"postmaster@{domain}",
                   clerk_name=clerk.name if clerk else "the Clerk", clerk_address=clerk.email if clerk else None,
                   domain=domain, override_header=settings.override_header,
                   overrides_allowed=settings.override != "none", policy_notice=settings.notice)


@dataclass(frozen=True)
class HeldMessage:
    """What the notice says about the held message."""

    record_id: int
    recipient: str  # the sender of the held message
    subject: str
    recipients: tuple[str, ...]
    received_at: datetime
    notes: tuple[str, ...]  # reasons that are not findings (the checker failed, the headers look tampered with)
    findings: tuple[Finding, ...]
    overridable: bool  # every finding is a warning or advice, so the sender could override
    message_id: str | None = None
    override_refused: str | None = None


def _wrap(text: str, indent: str = "", hang: str = "") -> str:
    return textwrap.fill(text, width=76, initial_indent=indent, subsequent_indent=indent + hang,
                         break_on_hyphens=False)


def _finding(f: Finding) -> str:
    what = _wrap(f"- {f.rule} ({f.severity.value}, clause {f.clause}): {' '.join(f.explanation.split())}",
                 "  ", "  ")
    fix = _wrap(f"What to do: {' '.join(f.remedy.split())}", "    ", "") if f.remedy.strip() else ""
    return "\n".join(p for p in (what, fix) if p)


def _message(frm: NoticeSender, to: str, subject: str, body: str, in_reply_to: str | None) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = formataddr((f"{frm.council} (councilguard)", frm.address))
    msg["To"] = to
    if frm.clerk_address:
        msg["Reply-To"] = formataddr((frm.clerk_name, frm.clerk_address))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now().astimezone())
    msg["Message-ID"] = make_msgid("councilguard", domain=frm.domain)
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to.strip('<>')}>"
        msg["References"] = f"<{in_reply_to.strip('<>')}>"
    msg["Auto-Submitted"] = "auto-replied"
    msg.set_content(body)
    return msg.as_bytes()


def held_notice(frm: NoticeSender, held: HeldMessage) -> bytes:
    """The notice to the sender of a held message: that it was held, why, and how to ask for release."""
    subject = held.subject or "(no subject)"
    when = held.received_at.astimezone().strftime("%d %B %Y at %H:%M")
    to_whom = ", ".join(held.recipients[:5]) + (f" and {len(held.recipients) - 5} more"
                                               if len(held.recipients) > 5 else "")
    ask = f"{frm.clerk_name} ({frm.clerk_address})" if frm.clerk_address else frm.clerk_name
    parts = [
        _wrap(f'Your message "{subject}" to {to_whom}, sent on {when}, has NOT been sent yet. It is being '
              f"held for {ask}, because it may breach {frm.council}'s social media and e-mail policy."),
        "Why it was held:\n" + "\n\n".join([*(_wrap(f"- {n}", "  ", "  ") for n in held.notes),
                                              *(_finding(f) for f in held.findings)]),
    ]
    who = f"{frm.clerk_name}, {frm.clerk_address}" if frm.clerk_address else frm.clerk_name
    parts += [
        "How to ask for it to be released:\n" + _wrap(
            f"Reply to this e-mail (the reply goes to {who}) and say why the message should be sent. Quote "
            f"this reference: held message {held.record_id}. The Clerk can then release it, and it will be "
            "sent as it is."),
        _wrap("Or change the message as the reasons above suggest and send it again; then ask the Clerk to "
              f"discard held message {held.record_id}."),
    ]
    if held.overridable and frm.overrides_allowed:
        parts.append(_wrap(f"If you have the agreement you need, you can also send it again with the header "
                           f'"{frm.override_header}: <your reason>" (for example "agreed with the Clerk, '
                           'minute 24/113"); the reason is kept with the council\'s records.'))
    if frm.policy_notice:
        parts.append("-- \n" + _wrap(frm.policy_notice))
    return _message(frm, held.recipient, f"Held for the Clerk, not sent: {subject}", "\n\n".join(parts) + "\n",
                    held.message_id)


def failure_notice(frm: NoticeSender, *, recipient: str, subject: str, failed: dict[str, str], record_id: int | None,
                   received_at: datetime, message_id: str | None = None) -> bytes:
    """The notice that a message the relay accepted could not be delivered to some recipients."""
    subject = subject or "(no subject)"
    when = received_at.astimezone().strftime("%d %B %Y at %H:%M")
    lines = [_wrap(f"- {rcpt}: {why}", "  ") for rcpt, why in failed.items()]
    record = f" It is kept in the council's records as record {record_id}." if record_id is not None else ""
    body = "\n\n".join([
        _wrap(f'Your message "{subject}", sent on {when}, could not be delivered to these recipients; the '
              "receiving mail server refused it:"),
        "\n".join(lines),
        _wrap(f"Check the addresses and send it again if it is still needed.{record} If you need help, reply "
              "to this e-mail."),
    ]) + "\n"
    return _message(frm, recipient, f"Not delivered: {subject}", body, message_id)
