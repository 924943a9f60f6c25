"""Realistic benchmark inputs: councillors' posts (~280 characters) and council e-mails (~3,000)."""

from __future__ import annotations

import random
from io import BytesIO

SENTENCES = [
    "Lovely turnout at the Dickinson Square fun day, thanks to everyone who baked.",
    "I voted against the new parking charges on Tuesday and I still think they are wrong for our shops.",
    "The minutes are on the council website if you want to see the debate.",
    "Please contact the Clerk at clerk@croxleygreen-pc.gov.uk about allotment plots.",
    "Cllr Hargreaves and I walked the footpath by Baldwins Lane this morning.",
    "The district council's new bin schedule starts in August.",
    "Mrs Jenkins at 14 Frankland Road has asked about the hedge again.",
    "Road closure on New Road on Monday for resurfacing; buses will divert via Yorke Road.",
    "Our grounds team will visit the play area this week to fix the swings.",
    "The precept consultation closes on Friday, so do have your say.",
    "Everyone knows the clerk fiddles the petty cash.",
    "Thanks to Gary and the volunteers for the flower beds on The Green.",
    "In my opinion the skate park consultation was rushed.",
    "The parish council will be objecting to the planning application.",
    "Call me on 07700 900123 if you want to help with the litter pick.",
]
EMAIL_PARAS = [
    "Dear colleagues,\n\nPlease find below my notes from Thursday's planning committee.",
    "Item 4: the application for the extension at 22 Copthorne Road was discussed at length. Members raised "
    "concerns about overlooking and the loss of the hedge, and the committee agreed to object on those grounds.",
    "Item 5: the Clerk reported that the footpath works on Baldwins Lane are due to start on 3 March and will "
    "take about two weeks. Residents will be written to beforehand.",
    "Item 6: the Deputy Clerk presented the budget monitoring report. Spending is on track except for the "
    "grounds maintenance line, which is over because of the storm damage in January.",
    "Item 7: correspondence from Three Rivers District Council about the bin schedule was noted.",
    "I have attached the draft response to the consultation for comments by Friday. If you disagree with any of "
    "it, please say so before the deadline so that the Clerk can circulate a final version.",
    "Mr Patel of the allotment association has asked whether the rent review could be delayed until the autumn; "
    "he can be reached on 01923 000000 at the association's office.",
    "The Chair would like to thank everyone who helped at the fun day in Dickinson Square; it raised over £900 "
    "for the youth club.",
    "Best wishes,\nJames Lowe\nParish Councillor",
]


def post_280(rng: random.Random) -> dict:
    text = ""
    while len(text) < 260:
        text += rng.choice(SENTENCES) + " "
    return {"kind": "post", "channel": "facebook", "account": "personal",
            "author": {"name": "James Lowe", "role": "councillor", "email": "cllr.lowe@croxleygreen-pc.gov.uk"},
            "text": text[:280]}


def email_3000(rng: random.Random) -> dict:
    paras = [EMAIL_PARAS[0]]
    while sum(len(p) for p in paras) < 2900:
        paras.append(rng.choice(EMAIL_PARAS[1:-1]))
    paras.append(EMAIL_PARAS[-1])
    text = "\n\n".join(paras)[:3000]
    return {"kind": "email", "channel": "email",
            "author": {"name": "James Lowe", "role": "councillor", "email": "cllr.lowe@croxleygreen-pc.gov.uk"},
            "from": "cllr.lowe@croxleygreen-pc.gov.uk", "to": ["planning@croxleygreen-pc.gov.uk", "j.smith@example.org"],
            "subject": "Planning committee notes", "text": text}


def pdf_file(objects: list[bytes], root: int) -> bytes:
    """Serialise PDF 1.4 ``objects`` (numbered from 1 in order) with a cross-reference table; ``root`` is
    the catalogue's number. The synthetic mail of the benchmarks builds its PDFs with this."""
    out = BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()
