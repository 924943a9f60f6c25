"""Long base64 bodies folded out of a message before it is parsed, and back in afterwards.

Python's e-mail parser reads a message line by line in Python: a 200 KB PDF is ~3,600 base64 lines and
~13 ms, where the rest of a 3,000-character e-mail takes ~0.3 ms. A run of lines made only of base64's
alphabet cannot hold a header (no ':') or a MIME boundary (no '-'), so it can stand aside while the
structure is parsed, as one placeholder line, and be put back into the part (or preamble or epilogue)
that received the placeholder. If any placeholder is not found again, the caller parses the original.
"""

from __future__ import annotations

import re
from email.message import Message as MimePart

# 64+ lines of 40+ base64 characters: only large bodies are worth folding, and shorter lines (a last
# line, a line of text that happens to be one word) stay where they are
_RUN = re.compile(rb"^(?>[A-Za-z0-9+/]{40,}={0,2}\r?\n){64,}", re.M)
_MARK = "!councilguard-blob-"
_TOKEN = _MARK + "{}!"
_TOKEN_FIND = re.compile(re.escape(_MARK) + r"(\d+)!(\r?\n)?")  # a body's last line ending belongs to the boundary
FOLD_FROM = 32 * 1024  # smaller messages are parsed as they are: nothing to gain


def fold(raw: bytes) -> tuple[bytes, list[str]]:
    """``raw`` with each long base64 run replaced by one placeholder line, and the runs, in order."""
    if len(raw) < FOLD_FROM:
        return raw, []
    runs: list[str] = []

    def stand_aside(m: re.Match[bytes]) -> bytes:
        run = m.group()
        ending = b"\r\n" if run.endswith(b"\r\n") else b"\n"
        runs.append(run.decode("ascii"))
        return _TOKEN.format(len(runs) - 1).encode("ascii") + ending

    folded = _RUN.sub(stand_aside, raw)
    return (folded, runs) if runs else (raw, [])


def unfold(msg: MimePart, runs: list[str]) -> bool:
    """Put each run back where its placeholder was parsed to; False when one is missing (parse the original)."""
    if not runs:
        return True
    placed = [False] * len(runs)

    def put_back(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            k = int(m.group(1))
            if k >= len(runs) or placed[k]:
                raise _Lost
            placed[k] = True
            run = runs[k]
            return run if m.group(2) else run.rstrip("\r\n")
        return _TOKEN_FIND.sub(one, text)

    try:
        for part in msg.walk():
            for attr in ("preamble", "epilogue"):
                value = getattr(part, attr, None)
                if isinstance(value, str) and _MARK in value:
                    setattr(part, attr, put_back(value))
            payload = part._payload  # the raw (still encoded) body text: get_payload() would decode it
            if isinstance(payload, str) and _MARK in payload:
                part._payload = put_back(payload)
    except _Lost:
        return False
    return all(placed)


class _Lost(Exception):
    """A placeholder that was not one of ours, or one seen twice."""
