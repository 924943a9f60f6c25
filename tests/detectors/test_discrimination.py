"""Discrimination and harassment judged by function, table-driven (text -> the detector fires or not)."""

from __future__ import annotations

import pytest

from councilguard import Pack
from councilguard.detectors.base import Context
from councilguard.detectors.conduct import harassment
from councilguard.detectors.discrimination import protected_characteristic
from councilguard.engine import coerce_message

AUTHOR = {"name": "Colin Baxter", "role": "councillor", "email": "cllr.baxter@croxleygreen-pc.gov.uk"}


def fires(detector, text: str) -> bool:
    ctx = Context(coerce_message({"kind": "post", "text": text, "author": AUTHOR}), Pack.bundled())
    return any(True for _ in detector(ctx, {}))


@pytest.mark.parametrize("text,expected", [
    # one person put down by sex, age, race or disability
    ("The Chair gets cross every time she's challenged. Typical woman.", True),
    ("Cllr Ellis only got elected because of her looks.", True),
    ("Why does he get a say on our war memorial? His lot weren't even here.", True),
    ("Couldn't understand a word of that accent 🙄 Speak English!", True),
    ("Her hormones were all over the place tonight. Someone get her an HRT patch.", True),
    ("OK boomer. Your time is up, go and tend your roses.", True),
    ("Cllr Wainwright is 'disabled', apparently. Funny how he manages the stairs at the pub.", True),
    ("Four children already. Maybe spend less time breeding and more time working.", True),
    # an animal emoji aimed at a person; the see-no-evil monkey is embarrassment, not a taunt
    ("Cllr Okafor's contribution to the debate tonight: 🐵🍌", True),
    ("Dev tried to explain VAT reclaim to me for the third time. My fault, not his 🙈", False),
    # reclaimed self-reference, and taunts reported to condemn them
    ("At 74 I'm the oldest on the council and proud of it. Us old codgers still have plenty to give!", False),
    ('Someone called me a "dyke" on Facebook this week. Yep. A dyke with a seat on the council. Next!', False),
    ("The 🐒 emojis posted under Cllr Adeyemi's photo have been reported to the police as a hate incident.", False),
    # a tool and a desk job, not slurs
    ("I voted against it and lost. I'll be there with a spade in November like everyone else.", False),
    ("£38k for a glorified spreadsheet monkey. Nice work if you can get it.", False),
    # a group named by the aid that marks it; "plenty of other countries" for those who dislike Christmas
    ("£14k so the wheelchair brigade can roll in to a jumble sale. Give me strength", True),
    ("If they don't like Christmas there are plenty of other countries.", True),
    ("The wheelchair ramp at Grove Hall opens on Monday.", False),
    ("Shona did a decent job on the Winter Fair, for a girl.", True),
    ("Tom Hargreaves is 81. Time to put him out to pasture.", True),
    ("Shona did a decent job on the Winter Fair, for a first go.", False),
    # neutral mentions, counter-speech and reports
    ("The 'OK boomer' jibes at the bowls club in the youth forum thread were unkind.", False),
    ("English conversation classes start at the library on Tuesday; everyone welcome.", False),
    ("The pharmacy on New Road has HRT patches in stock again.", False),
    ("Cllr Ellis was elected in May with 612 votes.", False),
    ("Typical British summer: the fete was rained off again.", False),
])
def test_protected_characteristic(text, expected):
    assert fires(protected_characteristic, text) is expected


@pytest.mark.parametrize("text,expected", [
    ("Let's make Shona's life hell until she resigns.", True),
    ("I'm going to post about her every single day until she quits.", True),
    ("The roadworks have made everyone's life hell this month.", False),
    ("I'll be at the office every day until the bins are sorted.", False),
])
def test_harassment(text, expected):
    assert fires(harassment, text) is expected
