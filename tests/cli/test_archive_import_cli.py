"""`councilguard archive import` as the Clerk runs it: real files, a real SQLite archive, a real Ctrl-C.

The command is mounted under an `archive` group with the group's own callback (which reads --db), as
`councilguard.cli.archive` registers it, and driven through Typer's runner; the Ctrl-C test runs it in
a child process and sends it SIGINT.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from councilguard.cli import archive as archive_cli
from councilguard.cli.archive_import import import_
from councilguard.records.archive import Archive
from tests.records.test_imap_import import dovecot, dovecot_server, message  # noqa: F401
from tests.records.test_importer import NI_BODY, envelope, mail, write_mbox

archive_app = typer.Typer()
archive_app.callback()(archive_cli.main)
archive_app.command("import")(import_)
archive_app.command("search")(archive_cli.search)
root = typer.Typer()
root.add_typer(archive_app, name="archive")
runner = CliRunner()

SCRIPT = """\
import typer
from councilguard.cli import archive as archive_cli
from councilguard.cli.archive_import import import_

app = typer.Typer()
app.callback()(archive_cli.main)
app.command("import")(import_)
if __name__ == "__main__":
    app()
"""


def cli(db: Path, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(root, ["archive", "--db", str(db), *args], env=env)


def rows(output: str) -> dict[str, str]:
    """The summary table's rows: {'Imported': '3', ...}."""
    found = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 2 and cells[0]:
            found[cells[0]] = cells[1]
    return found


@pytest.fixture
def mbox(tmp_path) -> Path:
    return write_mbox(tmp_path / "Inbox", [
        (envelope(1), mail(1)),
        (envelope(2), b"\x00garbage without headers\n"),
        (envelope(3), mail(1)),
        (envelope(4), mail(4, "Café – Öffnungszeiten", NI_BODY)),
    ])


def test_import_shows_a_summary_problems_and_findings_then_resumes(tmp_path, mbox):
    db = tmp_path / "council.db"
    first = cli(db, "import", str(mbox))
    assert first.exit_code == 0, first.output
    assert f"Created a new archive at {db}" in first.stderr
    assert "Importing" in first.stderr and "4/4" in first.stderr
    summary = rows(first.stdout)
    assert {k: summary[k] for k in ("Messages read", "Imported", "Already in the archive (skipped)",
                                    "Not archived (nothing to keep)")} == {
        "Messages read": "4", "Imported": "3", "Already in the archive (skipped)": "1",
        "Not archived (nothing to keep)": "0"}
    assert summary["personal-data"] == "1"  # the findings-by-rule table
    problem = next(line for line in first.stdout.splitlines() if "message 2 (byte " in line)
    assert "#2" in problem and "the headers begin with a continuation line" in problem
    found = cli(db, "search", "", "--rule", "personal-data")
    assert "Café – Öffnungszeiten" in found.output and "1 record(s)" in found.output
    again = cli(db, "import", str(mbox))
    assert again.exit_code == 0, again.output
    assert "Note: resuming after message 4" in again.stdout
    assert rows(again.stdout)["Messages read"] == "0"
    state = json.loads((tmp_path / "council.db.import-state.json").read_text())
    assert state[f"mbox:{mbox.resolve()}"]["cursor"]["index"] == 4


def test_no_check_limit_and_a_problem_file(tmp_path, mbox):
    db, log = tmp_path / "council.db", tmp_path / "problems.jsonl"
    result = cli(db, "import", str(mbox), "--no-check", "--limit", "2", "--problems", str(log))
    assert result.exit_code == 0, result.output
    assert (rows(result.stdout)["Messages read"], "Findings by rule" in result.stdout) == ("2", False)
    problems = [json.loads(line) for line in log.read_text().splitlines()]
    assert [p["position"].split(" (")[0] for p in problems] == ["message 2"] * len(problems) != []
    archive = Archive.open(str(db))
    try:
        assert [archive.get(i).verdict for i in (1, 2)] == ["ok", "ok"]
    finally:
        archive.close()


@pytest.mark.parametrize("args, env, message", [
    ([], {}, "give either a file or folder to import, or --imap HOST (not both)"),
    (["{mbox}", "--imap", "mail.example.org"], {}, "give either a file or folder to import, or --imap HOST"),
    (["--imap", "mail.example.org"], {}, "--imap needs --user"),
    (["--imap", "mail.example.org", "--user", "clerk"], {"COUNCILGUARD_IMAP_PASSWORD": None},
     "no IMAP password: set COUNCILGUARD_IMAP_PASSWORD or give --password"),
    (["{tmp}/nowhere.mbox"], {}, "nowhere.mbox: no such file or folder"),
    (["{mbox}", "--from-quoting", "mboxcl2"], {}, "From_-line quoting 'mboxcl2': expected mboxrd, mboxo or none"),
    (["{mbox}", "--problems", "{tmp}/no/such/folder/p.jsonl"], {}, "cannot write"),
])
def test_mistakes_are_one_clear_sentence(tmp_path, mbox, args, env, message):
    args = [a.format(mbox=mbox, tmp=tmp_path) for a in args]
    result = cli(tmp_path / "council.db", "import", *args, "--no-check", env=env)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_imap_import_takes_the_password_from_the_environment(tmp_path, dovecot):
    dovecot.append([message(1), message(2, "Allotment rents")])
    db = tmp_path / "council.db"
    args = ["import", "--imap", "127.0.0.1", "--port", str(dovecot.port), "--no-ssl", "--user", dovecot.user,
            "--folder", "INBOX", "--no-check"]
    result = cli(db, *args, env={"COUNCILGUARD_IMAP_PASSWORD": "parish-secret"})
    assert result.exit_code == 0, result.output
    assert f"Import of imap://{dovecot.user}@127.0.0.1:{dovecot.port}/INBOX" in result.stdout
    assert rows(result.stdout)["Imported"] == "2"
    wrong = cli(db, *args, env={"COUNCILGUARD_IMAP_PASSWORD": "guess"})
    assert wrong.exit_code == 2 and f"the server refused the login as '{dovecot.user}'" in wrong.stderr


def test_ctrl_c_stops_cleanly_and_the_same_command_continues(tmp_path):
    total = 400
    mbox = write_mbox(tmp_path / "big.mbox", [(envelope(n % 60), mail(n % 60, f"Hall booking {n}"))
                                              for n in range(total)])
    db, script = tmp_path / "council.db", tmp_path / "run_cli.py"
    script.write_text(SCRIPT)
    state = Path(f"{db}.import-state.json")
    child = subprocess.Popen([sys.executable, str(script), "--db", str(db), "import", str(mbox), "--no-check"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not state.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the cursor file appears once the first batch is written
        assert child.poll() is None, child.communicate()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, err
    assert "Interrupted: run the same command again to continue where it stopped." in out
    assert "Traceback" not in err
    done = int(rows(out)["Imported"].replace(",", ""))
    assert 0 < done < total
    rest = cli(db, "import", str(mbox), "--no-check")
    assert rest.exit_code == 0, rest.output
    assert f"Note: resuming after message {done}" in rest.stdout
    assert rows(rest.stdout)["Imported"] == f"{total - done:,}"
    archive = Archive.open(str(db))
    try:
        assert (archive.count(), archive.verify().ok) == (total, True)
    finally:
        archive.close()
