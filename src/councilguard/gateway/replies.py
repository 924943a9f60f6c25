"""Every SMTP reply the relay gives, in one place, so the sender's mail server always gets a clear answer.

Each constant is named after its code and meaning (``R550_POLICY_BLOCK``, after aiosmtpd's own style), so
a reader of the code and a reader of a mail log see the same thing. Three promises are kept here and tested:

- a message held for the Clerk is *accepted* (2xx): a temporary 4xx would make the sender's server retry
  it for days and the sender would never learn why;
- a policy refusal is *permanent* (5xx) and its text names the rule and how to fix it;
- the only 4xx is for the relay's own trouble (it could not store the message safely), where retrying
  later is exactly right and nothing has been accepted.

Replies are ASCII and every line stays inside RFC 5321's 512-octet limit; longer explanations become a
multi-line reply (``550-5.7.1 ...`` lines then a last ``550 5.7.1 ...`` line).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LINE = 512  # octets, including the code and the CRLF (RFC 5321 4.5.3.1.5)
MAX_LINES = 12  # a longer reply is cut with a pointer to the notice or the Clerk
_ASCII = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u00a3": "GBP "})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Reply:
    """One SMTP reply: the three-digit code, the enhanced status code (RFC 3463) and the text."""

    code: int
    status: str
    text: str

    def __str__(self) -> str:
        return render(self.code, self.status, [self.text])

    def format(self, **values: object) -> Reply:
        """This reply with ``{placeholders}`` in its text filled in."""
        return Reply(self.code, self.status, self.text.format(**values))

    def with_lines(self, *lines: str) -> str:
        """The reply followed by more lines of explanation, as one multi-line SMTP reply."""
        return render(self.code, self.status, [self.text, *lines])

    @property
    def is_accepted(self) -> bool:
        return 200 <= self.code < 300

    @property
    def is_temporary(self) -> bool:
        return 400 <= self.code < 500


def ascii_text(text: str) -> str:
    """Text fit for an SMTP reply line: ASCII only, one line, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    text = text.encode("ascii", "ignore").decode("ascii")
    return _SPACES.sub(" ", text).strip()


def render(code: int, status: str, lines: list[str]) -> str:
    """A (multi-line) SMTP reply: each line ASCII and within the 512-octet limit, CRLF between lines."""
    prefix_len = len(f"{code}-{status} ")
    room = MAX_LINE - prefix_len - 2
    cleaned = [ascii_text(line) for line in lines]
    cleaned = [c if len(c) <= room else c[: room - 3].rstrip() + "..." for c in cleaned if c]
    if len(cleaned) > MAX_LINES:
        cleaned = cleaned[: MAX_LINES - 1] + [f"(and {len(cleaned) - MAX_LINES + 1} more lines)"]
    if not cleaned:
        cleaned = ["-"]
    out = [f"{code}-{status} {c}" for c in cleaned[:-1]]
    out.append(f"{code} {status} {cleaned[-1]}")
    return "\r\n".join(out)


# --- accepted ---------------------------------------------------------------------------------------------

R250_RELAYED = Reply(250, "2.0.0", "Accepted: checked, archived as record {record} and queued for delivery")
R250_OVERRIDDEN = Reply(250, "2.0.0", "Accepted with your override: the warning and your reason are recorded "
                                      "with record {record}; queued for delivery")
R250_HELD_FOR_CLERK = Reply(250, "2.0.0", "Accepted but held for the Clerk, not sent: record {record} may "
                                          "breach the council's e-mail policy ({rules}). A notice to you "
                                          "explains why and how to ask for release")
R250_FAILED_OPEN = Reply(250, "2.0.0", "Accepted unchecked: the policy checker failed, and the council's "
                                       "policy says to send such mail on; archived as record {record}")
R250_HELD_CHECKER_FAILED = Reply(250, "2.0.0", "Accepted but held for the Clerk, not sent: the policy checker "
                                               "failed on record {record}, and the council's policy says to "
                                               "hold such mail. A notice to you explains how to ask for release")

# --- the relay's own trouble: nothing was accepted, so the sender's server should try again ---------------

R451_LOCAL_ERROR = Reply(451, "4.3.0", "Not accepted: the relay could not store this message safely ({why}); "
                                       "nothing was kept. Please try again later")

# --- permanent refusals -----------------------------------------------------------------------------------

R500_LINE_TOO_LONG = Reply(500, "5.5.2", "Not accepted: a line of the message is longer than the 998 "
                                         "characters SMTP allows (RFC 5321 4.5.3.1.6); send long text as an "
                                         "attachment or let your mail program wrap it")
R550_POLICY_BLOCK = Reply(550, "5.7.1", "Not sent: this message breaches the council's e-mail policy "
                                        "(archived as record {record}). Fix it and send it again:")
R550_OVERRIDE_REFUSED = Reply(550, "5.7.1", "Not sent: an override can excuse a warning, never a block, so "
                                            "your override was refused (archived as record {record}). Fix "
                                            "it and send it again:")
R552_MESSAGE_TOO_BIG = Reply(552, "5.3.4", "Not accepted: the message is larger than this relay's limit of "
                                           "{limit}; send large files by a link to the council's file store, "
                                           "or ask the Clerk")
R554_EMPTY_MESSAGE = Reply(554, "5.6.0", "Not accepted: the message is empty; there is nothing to send")


def all_replies() -> dict[str, Reply]:
    """Every reply constant of this module by name (for the naming tests and for documentation)."""
    return {name: value for name, value in globals().items()
            if re.fullmatch(r"R\d{3}_[A-Z0-9_]+", name) and isinstance(value, Reply)}
