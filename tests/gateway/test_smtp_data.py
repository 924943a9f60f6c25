"""Reading DATA in pieces (gateway.smtp_data) gives what aiosmtpd's line-by-line loop gives.

The reader is fed through a real asyncio StreamReader, in random pieces (so lines, CRLFs and the final
``.`` CRLF are split every way), and compared with the rules of aiosmtpd 1.4.6's loop written out line by
line. Then the relay itself: dot-stuffed lines arrive and are archived byte for byte, a line over the
limit gets the relay's 500, and the end of DATA straight after the command is an empty message (554).
"""

from __future__ import annotations

import asyncio
import random
import smtplib

import pytest

from councilguard.gateway import replies
from councilguard.gateway.smtp_data import NOMINAL, TOO_LONG, TOO_MUCH, read_data
from tests.gateway.conftest import CLERK, LOWE, email as mail, send


def by_lines(stream: bytes, size_limit: int | None, line_limit: int) -> tuple[bytes, str, bytes]:
    """aiosmtpd's rules, one CRLF line at a time: (content, state, what is left after the end)."""
    kept: list[bytes] = []
    size, state, pos = 0, NOMINAL, 0
    while True:
        end = stream.index(b"\r\n", pos) + 2
        line, pos = stream[pos:end], end
        if line == b".\r\n":
            break
        size += len(line)
        if state == NOMINAL and size_limit and size > size_limit:
            state, kept = TOO_MUCH, []
        if state == NOMINAL:
            if len(line) > line_limit:
                state, kept = TOO_LONG, []
            else:
                kept.append(line[1:] if line.startswith(b".") else line)
    return (b"" if state != NOMINAL else b"".join(kept)), state, stream[pos:]


async def pieces(stream: bytes, cuts: list[int], size_limit: int | None, line_limit: int) -> tuple[bytes, str, bytes]:
    reader = asyncio.StreamReader(limit=line_limit)  # as aiosmtpd makes it

    async def feed() -> None:
        last = 0
        for cut in [*sorted(cuts), len(stream)]:
            reader.feed_data(stream[last:cut])
            last = cut
            await asyncio.sleep(0)
        reader.feed_eof()

    feeding = asyncio.ensure_future(feed())
    content, state = await read_data(reader, size_limit, line_limit)
    await feeding
    return content, state, await reader.read()


PARTS = [b"a", b".", b"\r", b"\n", b"\r\n", b"x" * 50, b"..", b"\r\n.", b"\r\n.\r", b"y" * 400, b"\r\n..\r\n"]


def random_stream(rng: random.Random) -> bytes:
    body = b"".join(rng.choice(PARTS) for _ in range(rng.randint(0, 60)))
    while b"\r\n.\r\n" in b"\r\n" + body:  # a client never sends the end mark inside the data
        body = (b"\r\n" + body).replace(b"\r\n.\r\n", b"\r\n..\r\n")[2:]
    body = body if body.endswith(b"\r\n") or not body else body + b"\r\n"
    return body + b".\r\n" + rng.choice([b"", b"QUIT\r\n", b"MAIL FROM:<a@b.example>\r\n"])


def test_pieces_read_as_lines_would_be():
    rng = random.Random(20261126)
    for _ in range(1500):
        stream = random_stream(rng)
        line_limit = rng.choice([1001, 60, 20])
        size_limit = rng.choice([None, 0, 100, 1000, rng.randint(1, 2000)])
        cuts = [rng.randint(0, len(stream)) for _ in range(rng.randint(0, 6))]
        assert asyncio.run(pieces(stream, cuts, size_limit, line_limit)) == \
            by_lines(stream, size_limit, line_limit), (stream, size_limit, line_limit, cuts)


@pytest.mark.parametrize("stream, content, state", [
    (b".\r\n", b"", NOMINAL),  # the end straight after DATA
    (b"..\r\n.\r\n", b".\r\n", NOMINAL),  # a stuffed dot
    (b"a.\r\nb\r\n.\r\n", b"a.\r\nb\r\n", NOMINAL),  # a sentence ending a line is not the end
    (b"a\r\n.\r\r\n.\r\n", b"a\r\n\r\r\n", NOMINAL),  # ".\r" then CRLF: a stuffed line holding a CR
    (b"x" * 1100 + b"\r\n.\r\n", b"", TOO_LONG),
    (b"x" * 998 + b"\r\n" + b"y\r\n" * 10 + b".\r\n", b"", TOO_MUCH),  # 500-byte limit, lines of 1000
])
def test_edges(stream, content, state):
    assert asyncio.run(pieces(stream, [], 500 if state == TOO_MUCH else None, 1001))[:2] == (content, state)


def test_a_big_base64_message_in_network_sized_pieces():
    rng = random.Random(7)
    body = b"".join(rng.randbytes(57).hex().encode()[:76] + b"\r\n" for _ in range(5000)) + b".stuffed\r\n"
    stream = body.replace(b"\r\n.", b"\r\n..") + b".\r\n"
    cuts = list(range(0, len(stream), 65536))
    content, state, rest = asyncio.run(pieces(stream, cuts, 50 * 2**20, 1001))
    assert (content, state, rest) == (body, NOMINAL, b"")


# --- through the relay ----------------------------------------------------------------------------------------


def test_dot_stuffed_lines_arrive_and_are_archived_exactly(make_relay, upstream):
    relay = make_relay(upstream.port)
    raw = mail("Agenda", "Agenda attached.\n.\n..\n.hidden line\nKind regards, James")
    code, text = send(relay, raw)
    assert code == 250, text
    [got] = upstream.handler.wait_for(1)
    assert got.data.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")
    record_id = int(text.split("record ")[1].split()[0].rstrip(".,;)"))
    assert relay.intake.archive.raw(record_id) == raw


def test_a_line_over_the_limit_gets_the_relays_500_and_the_session_goes_on(make_relay, upstream):
    relay = make_relay(upstream.port)
    host, port = relay.address
    with smtplib.SMTP(host, port, timeout=30) as conn:
        conn.ehlo()
        conn.mail(LOWE)
        conn.rcpt(CLERK)
        code, resp = conn.data(b"Subject: x\r\n\r\n" + b"z" * 2000 + b"\r\n")
        assert (code, resp.decode()) == (500, str(replies.R500_LINE_TOO_LONG).split(" ", 1)[1])
        conn.mail(LOWE)  # the same connection takes the next message
        conn.rcpt(CLERK)
        assert conn.data(mail("Agenda", "Agenda attached. Kind regards, James"))[0] == 250
    assert relay.intake.stats.messages == 1


def test_data_ended_at_once_is_an_empty_message(make_relay, upstream):
    relay = make_relay(upstream.port)
    assert send(relay, b"")[0] == 554
