"""The abuse word lists: whom a hurtful word is aimed at, and when it is aimed at no one, table-driven."""

from __future__ import annotations

import pytest

from councilguard import Pack
from councilguard.detectors.base import Context
from councilguard.detectors.conduct import abuse_hits
from councilguard.engine import coerce_message

AUTHOR = {"name": "Colin Baxter", "role": "councillor", "email": "cllr.baxter@croxleygreen-pc.gov.uk"}


def aimed(text: str, replying_to: str | None = None) -> list[str]:
    raw = {"kind": "reply" if replying_to else "post", "text": text, "author": AUTHOR}
    if replying_to:
        raw["in_reply_to"] = {"author": "Yvonne (resident)", "text": replying_to}
    return [h.term for h in abuse_hits(Context(coerce_message(raw), Pack.bundled()))]


@pytest.mark.parametrize("text,replying_to,terms", [
    # aimed at someone
    ("Whoever keeps parking across the dropped kerb: you are a selfish moron.", None, ["moron"]),
    ("Cllr Cole is a dog in a manger about the allotments.", None, ["dog"]),
    ("Tell me about it, Yvonne. They couldn't organise a piss-up in a brewery.",
     "The parish council's grass cutting is a disgrace this year", ["couldn't organise"]),
    # aimed at no one: an act condemned, a thing called a disgrace, a compound noun, an insult reported to condemn it
    ("Whoever let their dog foul the play area: absolutely disgusting.", None, []),
    ("Agreed, Yvonne, it's a disgrace. I've reported it again on the county's site.",
     "Herts County Council still haven't fixed the pothole", []),
    ("I think Cllr Brookes is wrong that the dog bins are a waste of money.", None, []),
    ("Some comments called Cllr Whitfield names. She does not deserve to be called an idiot on my page.", None, []),
])
def test_whom_a_hurtful_word_is_aimed_at(text, replying_to, terms):
    assert aimed(text, replying_to) == terms
