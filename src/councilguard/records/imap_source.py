"""An IMAP folder as a source for the archive importer: read-only, by UID, resumable.

Councils often have years of mail only on a hosted server. The folder is opened with EXAMINE and bodies
are fetched with BODY.PEEK[], so importing never marks anything read or changes the mailbox. Messages
are taken in UID order and the cursor is the last UID done under the folder's UIDVALIDITY: if the
server renumbers the folder (a new UIDVALIDITY) the import starts again from the first UID, and the
archive's deduplication by hash skips what it already holds.
"""

from __future__ import annotations

import base64
import imaplib
import re
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from councilguard.records.importer import ImportSourceError, SourceMessage

PASSWORD_ENV = "COUNCILGUARD_IMAP_PASSWORD"
BATCH_MESSAGES = 100
BATCH_BYTES = 32 * 2**20  # fetched bodies held at once, at most (one larger message is fetched alone)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_INTERNALDATE = re.compile(rb'INTERNALDATE "\s*(\d{1,2})-([A-Za-z]{3})-(\d{4}) '
                           rb'(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"')
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


@dataclass(frozen=True)
class ImapSettings:
    host: str
    user: str
    password: str
    folder: str = "INBOX"
    port: int | None = None  # default: 993 with SSL, 143 without
    use_ssl: bool = True
    timeout: float = 60.0

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.use_ssl else 143)


def folder_name(name: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501 5.1.3) and quoted."""
    out, pending = [], ""

    def flush() -> None:
        nonlocal pending
        if pending:
            data = base64.b64encode(pending.encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.append("&" + data.decode("ascii") + "-")
            pending = ""

    for ch in name:
        if " " <= ch <= "~":
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending += ch
    flush()
    encoded = "".join(out)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _internaldate(meta: bytes) -> datetime | None:
    m = _INTERNALDATE.search(meta)
    if not m or m.group(2).lower().decode() not in _MONTHS:
        return None
    day, _, year, hh, mm, ss, sign, oh, om = m.groups()
    offset = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == b"-" else 1)
    try:
        return datetime(int(year), _MONTHS[m.group(2).lower().decode()], int(day), int(hh), int(mm), int(ss),
                        tzinfo=timezone(offset))
    except ValueError:
        return None


def _text(data: list[Any] | None) -> str:
    parts = [d.decode("utf-8", "replace") if isinstance(d, bytes) else str(d) for d in data or [] if d]
    return " ".join(parts).strip() or "no reason given"


class ImapSource:
    """One IMAP folder. ``start`` connects, logs in and lists the UIDs still to import."""

    kind = "imap"

    def __init__(self, settings: ImapSettings):
        self.settings = settings
        s = settings
        self.where = f"{s.host}:{s.effective_port}"
        self.key = f"imap:{s.user}@{self.where}/{s.folder}"
        self.label = f"{'imaps' if s.use_ssl else 'imap'}://{s.user}@{self.where}/{s.folder}"
        self._conn: imaplib.IMAP4 | None = None
        self._todo: list[tuple[int, int]] = []  # (uid, size)
        self.uidvalidity = 0

    # connecting
    def _connect(self) -> imaplib.IMAP4:
        s = self.settings
        try:
            if s.use_ssl:
                return imaplib.IMAP4_SSL(s.host, s.effective_port, ssl_context=ssl.create_default_context(),
                                         timeout=s.timeout)
            return imaplib.IMAP4(s.host, s.effective_port, timeout=s.timeout)
        except ssl.SSLError as exc:
            raise ImportSourceError(f"IMAP {self.where}: the TLS handshake failed ({exc.reason or exc}); if the "
                                    "server takes plain IMAP on this port, use --no-ssl") from None
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImportSourceError(f"IMAP {self.where}: cannot connect ({exc})") from None

    def start(self, cursor: dict[str, Any] | None) -> tuple[int | None, str | None]:
        s = self.settings
        self._conn = conn = self._connect()
        try:
            conn.login(s.user, s.password)
        except imaplib.IMAP4.error as exc:
            raise ImportSourceError(f"IMAP {self.where}: the server refused the login as {s.user!r} "
                                    f"({_text(exc.args)})") from None
        typ, data = conn.select(folder_name(s.folder), readonly=True)
        if typ != "OK":
            raise ImportSourceError(f"IMAP {self.where}: no folder {s.folder!r} ({_text(data)}); folders on the "
                                    f"server: {', '.join(self.folders()) or 'none listed'}")
        exists = int((data or [b"0"])[0] or 0)
        self.uidvalidity = int((conn.response("UIDVALIDITY")[1] or [b"0"])[0] or 0)
        last, note = 0, None
        if cursor:
            if cursor.get("uidvalidity") == self.uidvalidity:
                last = int(cursor.get("last_uid", 0))
                note = f"resuming after UID {last}"
            else:
                note = "the folder was renumbered (new UIDVALIDITY) since the last import: reading it again"
        self._todo = self._list(last) if exists else []
        return len(self._todo), note

    def folders(self) -> list[str]:
        typ, data = self._conn.list() if self._conn else ("NO", [])
        names = []
        for line in data or []:
            if isinstance(line, bytes) and (m := re.search(rb'"([^"]*)"\s*$|(\S+)\s*$', line)):
                names.append((m.group(1) or m.group(2)).decode("utf-8", "replace"))
        return names

    def _list(self, after: int) -> list[tuple[int, int]]:
        """(UID, size) of each message after UID ``after``: one FETCH line each (SEARCH's single line of
        every UID would overflow imaplib's line limit on a large folder)."""
        typ, data = self._conn.uid("FETCH", f"{after + 1}:*", "(UID RFC822.SIZE)")
        if typ != "OK":
            raise ImportSourceError(f"IMAP {self.where}: listing {self.settings.folder!r} failed ({_text(data)})")
        found = {}
        for line in data or []:
            meta = line[0] if isinstance(line, tuple) else line
            if isinstance(meta, bytes) and (uid := _UID.search(meta)):
                size = _SIZE.search(meta)
                found[int(uid.group(1))] = int(size.group(1)) if size else 0
        return sorted((u, n) for u, n in found.items() if u > after)  # "n:*" always names the last message

    # fetching
    def _batches(self) -> Iterator[list[tuple[int, int]]]:
        batch: list[tuple[int, int]] = []
        size = 0
        for uid, n in self._todo:
            if batch and (len(batch) >= BATCH_MESSAGES or size + n > BATCH_BYTES):
                yield batch
                batch, size = [], 0
            batch.append((uid, n))
            size += n
        if batch:
            yield batch

    def _fetch(self, uids: list[int]) -> dict[int, tuple[bytes, datetime | None]]:
        try:
            typ, data = self._conn.uid("FETCH", ",".join(map(str, uids)), "(UID INTERNALDATE BODY.PEEK[])")
        except (OSError, imaplib.IMAP4.abort) as exc:
            raise ImportSourceError(f"IMAP {self.where}: the connection failed while fetching UID {uids[0]} "
                                    f"onwards ({exc}); run the import again to continue") from None
        if typ != "OK":
            raise ImportSourceError(f"IMAP {self.where}: fetching UID {uids[0]} onwards failed ({_text(data)})")
        got: dict[int, tuple[bytes, datetime | None]] = {}
        meta, body = b"", None

        def done() -> None:
            if body is not None and (uid := _UID.search(meta)):
                got[int(uid.group(1))] = (body, _internaldate(meta))

        for part in data or []:
            if isinstance(part, tuple):  # (b'7 (UID 12 INTERNALDATE "..." BODY[] {123}', literal)
                done()
                meta, body = part[0], part[1]
            elif isinstance(part, bytes):  # the rest of that response line, e.g. b' UID 12)'
                meta += b" " + part
        done()
        return got

    def messages(self) -> Iterator[SourceMessage]:
        for batch in self._batches():
            got = self._fetch([uid for uid, _ in batch])
            for uid, _ in batch:
                cursor = {"uidvalidity": self.uidvalidity, "last_uid": uid}
                if uid not in got:
                    yield SourceMessage(f"UID {uid}", b"", cursor=cursor,
                                        problem="it was deleted from the server before it could be fetched")
                    continue
                raw, when = got[uid]
                yield SourceMessage(f"UID {uid}", raw, when, cursor=cursor)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.logout()
        except (OSError, imaplib.IMAP4.error, socket.timeout):
            pass
