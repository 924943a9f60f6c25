"""Very long unbroken "words" (a pasted link, a line of base64, a row of emoji) cut into short lines
before the records' ``TextPdf`` lays them out.

WHY: ``TextPdf`` wraps at spaces and cuts a word longer than a line by trying ever shorter prefixes,
which takes seconds for a word of a thousand characters and minutes for a few thousand: an evidence
text pasted from a web page could stall the referral pack. Cutting such words here, at a length that
fits any line, gives the same picture (a long word is cut across lines either way) in no time.
"""

from __future__ import annotations

import re
from typing import Iterable

from councilguard.records.pdf_text import Para

CUT = 40  # characters: fits a line of body text even in the widest letters
_LONG = re.compile(r"\S{%d,}" % (2 * CUT + 1))


def breakable(text: str) -> str:
    """``text`` with every run of more than ``2 * CUT`` non-space characters cut into lines of ``CUT``."""
    return _LONG.sub(lambda m: "\n".join(m.group(0)[i:i + CUT] for i in range(0, len(m.group(0)), CUT)), text)


def breakable_paras(paras: Iterable[Para]) -> list[Para]:
    """The paragraphs with their long words cut (see ``breakable``), ready for ``TextPdf.section``."""
    return [Para(breakable(p.text), p.style) for p in paras]
