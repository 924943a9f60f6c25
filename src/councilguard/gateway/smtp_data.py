"""Reading an SMTP DATA section in large pieces, for the relay's SMTP server.

aiosmtpd reads DATA one line at a time, a trip through the event loop and a few list operations per
line: a 270 KB message with a PDF is 3,600 base64 lines, and reading them cost ~15 ms of the relay's
one busy process. Here the stream is read up to each ``.`` CRLF (the end of a sentence at a line end,
or the end of the data), or in pieces of whatever has arrived, and the line rules are applied to the
pieces with bytes operations. What the client sees is aiosmtpd's behaviour, unchanged:

- the data ends at a line holding only ``.``; a leading dot on any other line is removed (RFC 5321 4.5.2);
- over ``size_limit`` bytes (as sent, CRLFs and stuffed dots included, as aiosmtpd counts them): refused,
  552, once the data has ended; a line longer than ``line_limit`` bytes with its CRLF: refused, 500.
  Whichever limit the data broke first decides, a line counting once it has ended (so when the line
  that breaks the line limit also takes the data over the size limit, it is the size);
- once refused, what follows is read and dropped, so a huge message does not fill memory.
"""

from __future__ import annotations

import asyncio

NOMINAL, TOO_LONG, TOO_MUCH = "nominal", "too long", "too much"
_DOT_END = b".\r\n"  # every end of data ends so; so does every line whose last character is a dot
_END = b"\r\n.\r\n"  # the end of data, counting the DATA command's own CRLF before the first line


def _too_long(lines: bytes, line_limit: int) -> bool:
    """Whether one of ``lines`` (complete lines, CRLF-separated, the last one's CRLF cut off) is over the limit."""
    return max(map(len, lines.split(b"\r\n"))) + 2 > line_limit


async def read_data(reader: asyncio.StreamReader, size_limit: int | None, line_limit: int) -> tuple[bytes, str]:
    """The data as the client meant it (dot-stuffing undone) and NOMINAL; or b"" and TOO_LONG or TOO_MUCH.

    Raises asyncio.IncompleteReadError if the connection ends first.
    """
    pieces: list[bytes] = []
    size = 0
    state = NOMINAL
    line = b""  # the unfinished last line so far (bytes after the last CRLF), for the line limit
    tail = b"\r\n"  # the last bytes read: the DATA command's line end comes before the first data line
    while True:
        try:
            piece = await reader.readuntil(_DOT_END)
            ended = (tail + piece[-5:]).endswith(_END)
        except asyncio.LimitOverrunError as exc:  # no ".\r\n" within the reader's limit: take what is safe
            piece = await reader.readexactly(exc.consumed)  # (the last bytes stay, in case they start one)
            ended = False
        tail = (tail + piece)[-4:]
        data = piece[:-3] if ended else piece  # the line holding only "." is not data
        if state == NOMINAL:
            text = line + data
            if size_limit and size + len(data) > size_limit:  # judged on the lines that ended within the limit
                fits = text[: len(line) + size_limit - size]
                end = fits.rfind(b"\r\n")
                state = TOO_LONG if end >= 0 and _too_long(fits[:end], line_limit) else TOO_MUCH
            else:
                end = text.rfind(b"\r\n")
                if end >= 0 and _too_long(text[:end], line_limit):
                    state = TOO_LONG
                else:
                    line = text if end < 0 else text[end + 2:]
                    if len(line) > line_limit + 1:  # too long already: only its length (and last byte) matter
                        line = line[:line_limit] + line[-1:]
                    pieces.append(data)
            if state != NOMINAL:
                pieces.clear()
                line = b""
        size += len(data)
        if ended:
            break
    if state != NOMINAL:
        return b"", state
    content = b"".join(pieces)
    content = content.replace(b"\r\n.", b"\r\n")
    return (content[1:] if content.startswith(b".") else content), NOMINAL
