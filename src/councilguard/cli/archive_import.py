"""`councilguard archive import`: load existing council mail (mbox, .eml files, IMAP) into the archive.

The Clerk runs it once over years of mail, perhaps over several evenings: it shows a progress bar, can
be stopped with Ctrl-C and run again to continue, and ends with a table of what was imported, what was
already there and every message that had problems (which are archived all the same).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from councilguard.cli.common import PolicyOption, fail, load_checker
from councilguard.errors import CouncilguardError
from councilguard.records import db
from councilguard.records.archive import Archive
from councilguard.records.imap_source import PASSWORD_ENV, ImapSettings, ImapSource
from councilguard.records.importer import ImportState, ImportSummary, Source, open_path, run_import

SHOWN_PROBLEMS = 200
STATE_FILE = "councilguard-import-state.json"  # in the current folder, for a database that is not a file


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.1f} msg/s" if task.speed else "… msg/s", style="progress.data.speed")


def import_(
    ctx: typer.Context,
    source: Annotated[Optional[Path], typer.Argument(help="An mbox file, an .eml file or a folder of .eml files "
                                                     "(searched recursively).", show_default=False)] = None,
    imap: Annotated[Optional[str], typer.Option("--imap", help="Import from this IMAP server (host name) "
                                                "instead of files.")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="IMAP user name.")] = None,
    password: Annotated[Optional[str], typer.Option("--password", envvar=PASSWORD_ENV, show_envvar=True,
                                                    help="IMAP password (better in the environment; asked "
                                                         "for if missing).")] = None,
    folder: Annotated[str, typer.Option("--folder", help="IMAP folder.")] = "INBOX",
    port: Annotated[Optional[int], typer.Option("--port", min=1, max=65535,
                                                help="IMAP port (default 993, or 143 with --no-ssl).")] = None,
    use_ssl: Annotated[bool, typer.Option("--ssl/--no-ssl", help="IMAP over TLS (default), or plain.")] = True,
    check: Annotated[bool, typer.Option("--check/--no-check", help="Check each message against the policy "
                                        "and keep its findings (default), or only archive it.")] = True,
    policy: PolicyOption = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Stop after this many messages "
                                                 "(run again to continue).")] = None,
    quoting: Annotated[str, typer.Option("--from-quoting", help="How the mbox escapes body lines starting "
                                         "'From ': mboxrd, mboxo or none.")] = "mboxrd",
    state: Annotated[Optional[Path], typer.Option("--state", help="Where to keep the resume cursor (default: "
                                                  "beside the database file).")] = None,
    problems: Annotated[Optional[Path], typer.Option("--problems", help="Also write every problem to this "
                                                     "file, one JSON object per line.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Who is importing (default: your login name).")] = None,
) -> None:
    """Import existing mail into the archive: checked, kept as records, resumable after Ctrl-C."""
    url = db.resolve_url(ctx.obj.get("db") if ctx.obj else None)
    chosen = _source(source, imap, user, password, folder, port, use_ssl, quoting)
    checker = load_checker(policy) if check else None
    path = db.sqlite_path(url)
    archive = _open(url, path)
    cursors = ImportState(state) if state else ImportState.beside(path) if path else ImportState(Path(STATE_FILE))
    log = None
    try:
        log = problems.open("a", encoding="utf-8") if problems else None
    except OSError as exc:
        fail(f"cannot write {problems}: {exc.strerror}")
    console = Console(stderr=True)
    try:
        with Progress(TextColumn("Importing"), BarColumn(), MofNCompleteColumn(), _Rate(), TimeElapsedColumn(),
                      TextColumn("elapsed,"), TimeRemainingColumn(), TextColumn("left"), console=console) as bar:
            task = bar.add_task("import", total=None)
            summary = run_import(chosen, archive, checker=checker, state=cursors, actor=by or getpass.getuser(),
                                 limit=limit, problem_log=log,
                                 on_progress=lambda done, total: bar.update(task, completed=done, total=total))
    except CouncilguardError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"the archive database failed ({str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}); what was "
             "imported before is kept: run the same command again to continue")
    finally:
        archive.close()
        if log:
            log.close()
    _report(summary, problems)


def _source(path: Path | None, imap: str | None, user: str | None, password: str | None, folder: str,
            port: int | None, use_ssl: bool, quoting: str) -> Source:
    if (path is None) == (imap is None):
        fail("give either a file or folder to import, or --imap HOST (not both)")
    if imap is None:
        try:
            return open_path(path, quoting=quoting)
        except CouncilguardError as exc:
            fail(str(exc))
    if not user:
        fail("--imap needs --user")
    if password is None:
        if not sys.stdin.isatty():
            fail(f"no IMAP password: set {PASSWORD_ENV} or give --password")
        password = typer.prompt(f"IMAP password for {user}", hide_input=True)
    return ImapSource(ImapSettings(imap, user, password, folder, port, use_ssl))


def _open(url: str, path: Path | None) -> Archive:
    created = path is not None and not path.exists()
    try:
        archive = Archive.open(url)
    except OperationalError as exc:
        fail(f"cannot open the archive database ({str(exc.orig).strip().splitlines()[0]})")
    except CouncilguardError as exc:
        fail(str(exc))
    if created:
        typer.echo(f"Created a new archive at {path}", err=True)
    return archive


def _report(s: ImportSummary, problems_file: Path | None) -> None:
    out = Console(width=120, highlight=False)
    if s.note:
        out.print(f"Note: {s.note}.", markup=False)
    table = Table(title=f"Import of {s.source}", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, count in (("Messages read", s.seen), ("Imported", s.imported),
                        ("Already in the archive (skipped)", s.duplicates),
                        ("Not archived (nothing to keep)", s.not_archived), ("Problems", s.problem_count)):
        table.add_row(what, f"{count:,}")
    table.add_row("Time", f"{s.seconds:,.1f} s ({s.rate:,.1f} messages/s)")
    out.print(table)
    if s.findings:
        rules = Table(title="Findings by rule", title_justify="left", caption="Search them with: councilguard "
                      "archive search \"\" --rule RULE", caption_justify="left")
        rules.add_column("rule")
        rules.add_column("messages", justify="right")
        for rule, count in sorted(s.findings.items(), key=lambda kv: (-kv[1], kv[0])):
            rules.add_row(rule, f"{count:,}")
        out.print(rules)
    if s.problems:
        listed = Table(title="Problems (each message was archived as it is, unless its record is '-')",
                       title_justify="left")
        for col in ("message", "record", "problem"):
            listed.add_column(col, overflow="fold")
        for p in s.problems[:SHOWN_PROBLEMS]:
            listed.add_row(p.position, "-" if p.record_id is None else f"#{p.record_id}", p.problem)
        out.print(listed)
        more = s.problem_count - min(len(s.problems), SHOWN_PROBLEMS)
        if more:
            where = f"all are in {problems_file}" if problems_file else "give --problems FILE to keep them all"
            out.print(f"… and {more:,} more problem(s): {where}.", markup=False)
    if s.error:
        out.print(f"Stopped: {s.error}", markup=False)
        raise typer.Exit(1)
    if s.interrupted:
        out.print("Interrupted: run the same command again to continue where it stopped.")
        raise typer.Exit(130)
