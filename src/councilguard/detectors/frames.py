"""Frames that change what words do: fiction, talk about other people's abuse, "I'd never call her that".

An insult or allegation inside such a frame is mentioned, not used: the panto villain who steals
the mince pies harms nobody's reputation, "the comments about Cllr Sharma are disgusting" condemns
abuse rather than committing it, and "nobody is calling Cllr Sharma stupid" is the opposite of
calling her stupid. Shared by the abuse and defamation detectors, which look at one sentence.
"""

from __future__ import annotations


from councilguard.text.caseless import caseless

FICTION = caseless(
    r"\b(?:panto(?:mime)?|novel|film|movie|drama|soap|sitcom|episode|tv series|telly|book I'?m reading)\b")
META_TALK = caseless(
    r"\b(?:comments?|remarks?|posts?|messages?|name-calling|trolling|abuse|things\s+(?:said|written|posted))\s+"
    r"(?:about|on|aimed\s+at|directed\s+at|towards|calling)\b")
DISOWNED = caseless(
    r"\b(?:never|nobody(?:'s|\s+is|\s+was)?|no\s+one(?:'s|\s+is|\s+was)?|not|wouldn'?t|won'?t|don'?t|didn'?t|isn'?t)\s+"
    r"(?:\w+\s+){0,2}(?:call(?:ing|ed|s)?|say(?:ing|s)?|said|think(?:ing|s)?)\b")


def mentioned_not_used(sentence: str, offset: int) -> bool:
    """Whether a word at ``offset`` in ``sentence`` sits in fiction, meta-talk or a disowned calling."""
    head = sentence[:offset]
    return bool(FICTION.search(sentence) or META_TALK.search(head) or DISOWNED.search(head))
