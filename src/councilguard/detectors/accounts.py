"""The council's official social media accounts are run under the Proper Officer's guidance.

A councillor posting on them, or operating them, breaches section 6 unless the Proper Officer has
designated them to ("official-account" authorisation, recorded with its date and scope).
"""

from __future__ import annotations

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector

OPERATORS = {"proper-officer", "staff"}


@detector("accounts.official-account")
def official_account(ctx: Context, params):
    """A councillor (not the Proper Officer or staff acting for them) posting on an official account."""
    msg = ctx.message
    if msg.account != "official" or msg.is_email:
        return
    role = ctx.author_role
    if role in OPERATORS or ctx.holds("official-account"):
        return
    who = msg.author.name or "The author"
    handles = [a.handle for a in ctx.council.official_accounts if a.channel == msg.channel]
    where = f"the council's official {msg.channel} account" + (f" ({handles[0]})" if handles else "")
    role_text = {"chair": "the Chair", "councillor": "a councillor"}.get(role or "", "not recorded as designated by the Proper Officer")
    yield Hit(spans=((0, len(msg.text)),) if msg.text else (), score=0.95,
              why=f"{who} is {role_text} and is posting on {where}.",
              data={"detector": "accounts.official-account"})
