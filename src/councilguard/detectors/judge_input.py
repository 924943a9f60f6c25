"""What the conduct model reads: the author's words with each target's role written beside it.

Whether an insult breaches abuse-councillor, inflammatory-staff or disrespect-public depends on who
"Sarah Jones" is, and only the council's roster knows that. So the model does not have to learn one
council's names: every named target found by :mod:`targets` gets its kind in brackets after it
("Sarah Jones [staff] has lost the minutes again"), and "you" in a reply gets the kind of the person
replied to. The same function builds the training inputs (``training/conduct_inputs.py``), so what
the model learnt from and what it reads at check time cannot drift apart.
"""

from __future__ import annotations

from councilguard.detectors import targets as T
from councilguard.detectors.base import Context

INPUT_VERSION = 1  # bump when the tagging changes; the model card records the version it was trained on
# Mentions marked ``later`` (finders added after this version's training) are not tagged, nor can they
# displace an earlier mention (targets.trained_mentions), so the model keeps reading what it learnt
# from; the next retraining can take them in with version 2.

TAGGED = {T.COUNCILLOR, T.STAFF, T.COUNCIL, T.PUBLIC, T.OTHER_AUTHORITY}


def tag(kind: str) -> str:
    return f" [{kind}]"


def model_text(ctx: Context, start: int = 0, end: int | None = None) -> str:
    """``ctx.text[start:end]`` with a role tag after every named target mention inside it."""
    end = len(ctx.text) if end is None else end
    text = ctx.text
    out: list[str] = []
    at = start
    for m in T.trained_mentions(ctx):
        if m.kind not in TAGGED or not m.named or m.start < start or m.end > end:
            continue
        out.append(text[at:m.end])
        out.append(tag(m.kind))
        at = m.end
    out.append(text[at:end])
    return "".join(out)
