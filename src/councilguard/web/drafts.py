"""From the check form to a message, and from a report to what the page shows.

The author of a draft is the signed-in person: if the Clerk linked their account to a roster member, or
their e-mail or name is on the pack's roster, the roster's name and role are used (so rules about a
councillor's own posts apply); otherwise their own name and e-mail. Evidence is shown in context with
the span in ``<mark>``; everything is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from councilguard.model import Finding, Report
from councilguard.policy import Council, Member, Pack
from councilguard.web.users import User

KINDS = ("post", "comment", "reply", "review", "email")
ACCOUNTS = ("personal", "councillor", "official")
CONTEXT = 40  # characters of the draft shown either side of a piece of evidence
_MESSAGE_ROLES = {"councillor", "staff", "proper-officer", "chair"}


def roster_match(user: User, council: Council) -> tuple[Member | None, str]:
    """The roster member ``user`` speaks as, and how: the one the Clerk linked, else by e-mail, then name."""
    linked = council.member_by_name(user.roster_member) if user.roster_member else None
    if linked is not None:
        return linked, "linked"
    by_email = council.member_by_email(user.email)
    if by_email is not None:
        return by_email, "same e-mail"
    by_name = council.member_by_name(user.name)
    return (by_name, "same name") if by_name is not None else (None, "")


def author_of(user: User, pack: Pack) -> dict[str, str]:
    """The message's ``author`` for ``user``: as their roster member (see :func:`roster_match`), if any."""
    member, _how = roster_match(user, pack.council)
    if member is not None:
        return {k: v for k, v in {"name": member.name, "role": member.kind, "email": member.email or user.email}.items() if v}
    author = {"name": user.name, "email": user.email}
    if user.role.value in _MESSAGE_ROLES:
        author["role"] = user.role.value
    return author


@dataclass(frozen=True)
class DraftForm:
    """What the check form holds, as typed (so the page can show it back unchanged)."""

    text: str = ""
    kind: str = "post"
    channel: str = ""
    account: str = "personal"
    in_reply_to: str = ""
    to: str = ""

    @classmethod
    def from_form(cls, form: Any) -> "DraftForm":
        def field(name: str, default: str = "") -> str:
            return str(form.get(name, default) or default)
        return cls(text=field("text"), kind=field("kind", "post"), channel=field("channel").strip(),
                   account=field("account", "personal"), in_reply_to=field("in_reply_to"), to=field("to"))

    def message(self, author: dict[str, str]) -> dict[str, Any]:
        """The message in the check contract's shape (validated later by the engine)."""
        msg: dict[str, Any] = {"text": self.text, "kind": self.kind, "account": self.account, "author": author,
                               "channel": self.channel or ("email" if self.kind == "email" else "unknown")}
        if self.in_reply_to.strip():
            msg["in_reply_to"] = {"text": self.in_reply_to}
        to = [a.strip() for a in self.to.replace(";", ",").split(",") if a.strip()]
        if to:
            msg["to"] = to
        if self.kind == "email" and author.get("email"):
            msg["from"] = author["email"]
        return msg


def excerpt(text: str, start: int, end: int, context: int = CONTEXT) -> Markup:
    """``text[start:end]`` in ``<mark>`` with up to ``context`` characters either side, all escaped."""
    return excerpt_of(text, [(start, end)], context)


def excerpt_of(text: str, spans: list[tuple[int, int]], context: int = CONTEXT) -> Markup:
    """One excerpt holding every span (sorted, not overlapping) in ``<mark>``, with ``context`` either side."""
    left, right = max(0, spans[0][0] - context), min(len(text), spans[-1][1] + context)
    out, at = [Markup("…") if left > 0 else Markup("")], left
    for start, end in spans:
        out.append(Markup("{}<mark>{}</mark>").format(escape(text[at:start]), escape(text[start:end])))
        at = end
    out.append(escape(text[at:right]) + (Markup("…") if right < len(text) else Markup("")))
    return Markup("").join(out)


def evidence_views(finding: Finding, text: str) -> list[Markup]:
    """The evidence as highlighted excerpts of the draft, in the finding's order. Pieces close enough to share
    their context share one excerpt ("…is a <mark>liar</mark> and a <mark>crook</mark>."), so the same words
    are not shown twice; evidence from other fields (e.g. a recipient) is shown as it is."""
    views: list[tuple[int, Markup]] = []
    spans: list[tuple[int, int, int]] = []  # start, end, the evidence's place in the finding
    for i, ev in enumerate(finding.evidence):
        if ev.field == "text" and text[ev.start:ev.end] == ev.text:
            spans.append((ev.start, ev.end, i))
        else:
            views.append((i, Markup("{}: <mark>{}</mark>").format(ev.field, ev.text)))
    groups: list[tuple[int, list[tuple[int, int]]]] = []  # first place, spans
    for start, end, i in sorted(spans):
        if groups and start < groups[-1][1][-1][1] + 2 * CONTEXT:
            first, members = groups[-1]
            last = members[-1]
            if start < last[1]:  # overlapping pieces: one mark over both
                members[-1] = (last[0], max(last[1], end))
            else:
                members.append((start, end))
            groups[-1] = (min(first, i), members)
        else:
            groups.append((i, [(start, end)]))
    views += [(first, excerpt_of(text, members)) for first, members in groups]
    return [view for _, view in sorted(views, key=lambda v: v[0])]


VERDICT_WORDS = {
    "ok": "Nothing found: this draft looks fine to send.",
    "advice": "Some advice before you send this.",
    "warn": "Think again: this draft may breach the policy.",
    "block": "Do not send this as it is: it would breach the policy.",
}


def verdict_words(report: Report) -> str:
    return VERDICT_WORDS[report.verdict]
