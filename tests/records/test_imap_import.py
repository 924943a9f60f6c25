"""Importing from a real IMAP server: Debian's dovecot, started by the test on a free loopback port.

The server runs unprivileged (as ``nobody`` when the tests run as root) with a config generated here:
plain IMAP on 127.0.0.1, one user in a passwd-file, maildir storage in a temporary folder. Messages go in
by IMAP APPEND, exactly as a mail client would put them there. When dovecot is not installed, or cannot
start here, these tests are skipped and say why.
"""

from __future__ import annotations

import grp
import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.header import Header
from pathlib import Path
from typing import Iterator

import pytest

from councilguard.records.archive import Archive
from councilguard.records.imap_source import ImapSettings, ImapSource, folder_name
from councilguard.records.importer import ImportSourceError, ImportState, run_import
from councilguard.records.search import SearchCriteria

PASSWORD = "parish-secret"
ACCOUNTS = 64  # one per test that uses the server
START = datetime(2023, 5, 2, 8, 15, tzinfo=timezone.utc)

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = councilguard-test-{port}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass
class Dovecot:
    """The test server and one mail account of this test's own on it."""

    port: int
    root: Path
    user: str

    def settings(self, folder: str = "INBOX", **changes) -> ImapSettings:
        return ImapSettings(**{"host": "127.0.0.1", "user": self.user, "password": PASSWORD, "folder": folder,
                               "port": self.port, "use_ssl": False, "timeout": 10, **changes})

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(self.user, PASSWORD)
        return conn

    def append(self, messages: list[bytes], folder: str = "INBOX", *, create: bool = False) -> None:
        conn = self.client()
        try:
            if create:
                assert conn.create(folder_name(folder))[0] == "OK"
            for i, raw in enumerate(messages):
                when = imaplib.Time2Internaldate(START + timedelta(hours=i))
                typ, data = conn.append(folder_name(folder), None, when, raw)
                assert typ == "OK", data
        finally:
            conn.logout()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_greeting(port: int, process: subprocess.Popen, deadline: float) -> bool:
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(100).startswith(b"* OK"):
                    return True
        except OSError:
            time.sleep(0.05)
    return False


@dataclass
class _Server:
    port: int
    root: Path
    users: Iterator[int]


@pytest.fixture(scope="module")
def dovecot_server(tmp_path_factory) -> Iterator[_Server]:
    """One dovecot for this module, stopped afterwards. As root it runs as 'nobody', in a folder of its own."""
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
    if binary is None:
        pytest.skip("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    as_root = os.geteuid() == 0
    account = pwd.getpwnam("nobody") if as_root else pwd.getpwuid(os.getuid())
    root = Path(tempfile.mkdtemp(prefix="cg-dovecot-")) if as_root else tmp_path_factory.mktemp("dovecot")
    port = _free_port()
    try:
        for sub in ("run", "state", "mail"):
            (root / sub).mkdir(parents=True)
        (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, user=account.pw_name,
                                                        group=grp.getgrgid(account.pw_gid).gr_name,
                                                        uid=account.pw_uid))
        (root / "users").write_text("".join(f"clerk{n}:{{PLAIN}}{PASSWORD}:{account.pw_uid}:{account.pw_gid}::"
                                            f"{root}/mail/clerk{n}\n" for n in range(1, ACCOUNTS + 1)))
        if as_root:
            os.chmod(root, 0o755)
            for path in [root, *root.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)
        drop = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []} if as_root else {}
        process = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, **drop)
        try:
            if not _wait_for_greeting(port, process, time.monotonic() + 15):
                log = (root / "dovecot.log").read_text(errors="replace") if (root / "dovecot.log").exists() else ""
                process.kill()
                err = process.communicate()[1].decode(errors="replace")
                pytest.skip(f"dovecot could not start here: {(err + log).strip()[-500:] or 'no output'}")
            yield _Server(port, root, itertools.count(1))
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)
            if process.stderr:
                process.stderr.close()
    finally:
        if as_root:
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server) -> Dovecot:
    """An empty mail account of this test's own on the module's server."""
    n = next(dovecot_server.users)
    assert n <= ACCOUNTS, "more tests than accounts: raise ACCOUNTS"
    return Dovecot(dovecot_server.port, dovecot_server.root, f"clerk{n}")


def message(n: int, subject: str | None = None, sender: str = "Resident {n} <resident{n}@example.org>",
            body: str = "The footpath by the allotments is flooded again.") -> bytes:
    subject = subject or f"Footpath report {n}"
    encoded = Header(subject, "utf-8").encode() if not subject.isascii() else subject
    return (f"From: {sender.format(n=n)}\r\nTo: clerk@croxley.gov.uk\r\nSubject: {encoded}\r\n"
            f"Date: Tue, 2 May 2023 08:{n:02d}:00 +0100\r\nMessage-ID: <imap-{n}@example.org>\r\n\r\n{body}\r\n"
            ).encode()


def test_messages_appended_over_imap_are_archived_with_subjects_senders_and_dates(dovecot, archive, checker):
    raws = [message(1), message(2, "Café opening hours – Öffnungszeiten", "Zoë Ŵilliams <zoe@example.org>"),
            message(3, body="Please note Mr Dave Smith's National Insurance number is QQ 12 34 56 C and he lives "
                              "at 12 High Street."),
            message(1)]  # the same bytes again: kept once
    dovecot.append(raws)
    summary = run_import(ImapSource(dovecot.settings()), archive, checker=checker, state=None, actor="clerk")
    assert (summary.seen, summary.imported, summary.duplicates, summary.error) == (4, 3, 1, None)
    records = sorted((archive.get(i) for i in range(1, archive.count() + 1)), key=lambda r: r.subject)
    assert [(r.subject, r.sender, r.source, r.disposition) for r in records] == [
        ("Café opening hours – Öffnungszeiten", "Zoë Ŵilliams <zoe@example.org>", "import:imap", "imported"),
        ("Footpath report 1", "Resident 1 <resident1@example.org>", "import:imap", "imported"),
        ("Footpath report 3", "Resident 3 <resident3@example.org>", "import:imap", "imported"),
    ]
    assert {r.subject: r.received_at for r in records}["Footpath report 3"] == START + timedelta(hours=2)
    assert [archive.raw(r.id) for r in records] == [raws[1], raws[0], raws[2]]
    hits = archive.search(SearchCriteria(rule="personal-data")).hits
    assert [h.subject for h in hits] == ["Footpath report 3"]
    assert archive.verify().ok


def test_import_is_read_only_on_the_server(dovecot, archive):
    dovecot.append([message(1), message(2)])
    run_import(ImapSource(dovecot.settings()), archive, checker=None, state=None, actor="clerk")
    conn = dovecot.client()
    try:
        conn.select("INBOX", readonly=True)
        typ, data = conn.uid("SEARCH", None, "UNSEEN")
    finally:
        conn.logout()
    assert data[0].split() == [b"1", b"2"]  # nothing was marked read


def test_import_part_interrupt_and_rerun_continue_by_uid(dovecot, archive, tmp_path):
    dovecot.append([message(n) for n in range(1, 9)])
    state = ImportState(tmp_path / "state.json")

    def run(**kwargs):
        return run_import(ImapSource(dovecot.settings()), archive, checker=None, state=state, actor="clerk",
                          batch_size=2, **kwargs)

    part = run(limit=3)
    assert (part.seen, part.imported) == (3, 3)
    assert state.get(ImapSource(dovecot.settings()).key)["last_uid"] == 3

    def stop_after_two_more(done: int, total: int | None) -> None:
        if done == 2:
            raise KeyboardInterrupt

    stopped = run(on_progress=stop_after_two_more)
    assert stopped.interrupted and stopped.note == "resuming after UID 3"
    assert (stopped.seen, stopped.imported) == (2, 2)  # the batch in hand is written before stopping
    rest = run()
    assert (rest.note, rest.seen, rest.imported, rest.duplicates) == ("resuming after UID 5", 3, 3, 0)
    assert sorted(archive.get(i).subject for i in range(1, 9)) == sorted(f"Footpath report {n}" for n in range(1, 9))
    assert archive.count() == 8
    again = run()
    assert (again.seen, again.imported) == (0, 0)


def test_a_renumbered_folder_is_read_again_and_nothing_is_archived_twice(dovecot, archive, tmp_path):
    folder = "Planning – Ärger & Lärm"  # non-ASCII and '&': modified UTF-7 on the wire
    dovecot.append([message(1), message(2)], folder, create=True)
    state = ImportState(tmp_path / "state.json")
    first = run_import(ImapSource(dovecot.settings(folder)), archive, checker=None, state=state, actor="clerk")
    assert (first.imported, first.error) == (2, None)
    conn = dovecot.client()
    try:  # delete and recreate the folder: the server gives it a new UIDVALIDITY
        conn.delete(folder_name(folder))
    finally:
        conn.logout()
    dovecot.append([message(2), message(1), message(3)], folder, create=True)
    second = run_import(ImapSource(dovecot.settings(folder)), archive, checker=None, state=state, actor="clerk")
    assert second.note == "the folder was renumbered (new UIDVALIDITY) since the last import: reading it again"
    assert (second.seen, second.imported, second.duplicates) == (3, 1, 2)
    assert archive.count() == 3


@pytest.mark.parametrize("changes, expected", [
    ({"password": "wrong"}, "the server refused the login as 'clerk"),
    ({"folder": "Minutes 2019"}, "no folder 'Minutes 2019'"),
    ({"port": "free"}, "cannot connect"),  # nothing listens there
    ({"use_ssl": True}, "the TLS handshake failed"),  # a plain IMAP port
])
def test_server_problems_are_clear_errors(dovecot, changes, expected):
    if changes.get("port") == "free":
        changes = {"port": _free_port()}
    source = ImapSource(dovecot.settings(**changes))
    try:
        with pytest.raises(ImportSourceError) as err:
            source.start(None)
    finally:
        source.close()
    assert expected in str(err.value)
    if "folder" in changes:
        assert str(err.value).endswith("folders on the server: INBOX")


@pytest.mark.parametrize("name, wire", [
    ("INBOX", '"INBOX"'),
    ("Council business", '"Council business"'),
    ("R&D", '"R&-D"'),
    ("Ärger", '"&AMQ-rger"'),
    ('Say "hi"', '"Say \\"hi\\""'),
])
def test_folder_names_are_quoted_in_modified_utf7(name, wire):
    assert folder_name(name) == wire
