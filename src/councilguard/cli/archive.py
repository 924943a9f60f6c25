"""`councilguard archive ...`: the Clerk's commands for the e-mail records archive.

verify (with a receipt), receipt, search, retention show/run and legal holds. Every command takes the
archive from ``--db`` (or ``COUNCILGUARD_DB``, or ``./councilguard.db``) and answers a mistake with one
plain sentence, never a traceback.
"""

from __future__ import annotations

import getpass
import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from councilguard.cli.common import DbOption, PolicyOption, fail, load_pack, open_archive
from councilguard.errors import CouncilguardError
from councilguard.records import retention
from councilguard.records.archive import Archive
from councilguard.records.chain import Receipt
from councilguard.records import db, schedule_store
from councilguard.records.retention_schedule import Schedule, load_schedule, schedule_summary
from councilguard.records.search import SearchCriteria

app = typer.Typer(name="archive", no_args_is_help=True, add_completion=False,
                  help="The e-mail records archive: verify it, take receipts, search, retention and legal holds.")
retention_app = typer.Typer(no_args_is_help=True, help="The retention schedule and deletion runs.")
hold_app = typer.Typer(no_args_is_help=True, help="Legal holds: records that must not be deleted.")
app.add_typer(retention_app, name="retention")
app.add_typer(hold_app, name="hold")

from councilguard.cli.archive_import import import_  # noqa: E402  (registered after the sub-apps)

app.command("import")(import_)

DateOpt = Optional[datetime]
_DATE = ["%Y-%m-%d"]
ScheduleOption = Annotated[Optional[Path], typer.Option("--schedule", help="A retention schedule YAML "
                                                         "(default: the one in force in the archive, as changed "
                                                         "on the web app's Retention page; else the packaged one).")]
ByOption = Annotated[Optional[str], typer.Option("--by", help="Who is doing this (default: your login name).")]


@app.callback()
def main(ctx: typer.Context,
         database: DbOption = None) -> None:
    """The e-mail records archive."""
    ctx.obj = {"db": database}


def _open(ctx: typer.Context) -> Archive:
    return open_archive(ctx.obj.get("db") if ctx.obj else None)


def _who(by: str | None) -> str:
    return by or getpass.getuser()


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


# --- verify and receipts ----------------------------------------------------------------------------------


@app.command()
def verify(ctx: typer.Context,
           receipt: Annotated[Optional[Path], typer.Option("--receipt", help="A receipt from `archive receipt`: "
                                                          "also prove the chain still holds it.")] = None,
           content: Annotated[bool, typer.Option("--content/--no-content", help="Also re-hash every message "
                                                 "(slower on a large archive).")] = True) -> None:
    """Recompute every link of the chain; name the first bad record. Exit 1 if anything is wrong."""
    try:
        loaded = Receipt.load(receipt) if receipt else None
        archive = _open(ctx)
        result = archive.verify(receipt=loaded, content=content)
    except CouncilguardError as exc:
        fail(str(exc))
    archive.close()
    if result.ok:
        extra = f"; receipt of {loaded.issued_at[:10]} (entry {loaded.seq}) matches" if loaded else ""
        typer.echo(f"OK: {result.entries} chain entries, {result.records} records, head {result.head_hash[:16]}…"
                   f"{extra}")
        return
    typer.echo(f"FAILED: {len(result.problems)} problem(s). First bad record: {result.first}")
    for problem in result.problems[1:20]:
        typer.echo(f"  also: {problem}")
    raise typer.Exit(1)


@app.command()
def receipt(ctx: typer.Context,
            out: Annotated[Path, typer.Option("--out", help="Where to write the receipt (JSON).")],
            council: Annotated[Optional[str], typer.Option("--council", help="The council's name (default: "
                                                           "from the policy pack).")] = None,
            policy: PolicyOption = None) -> None:
    """Write a dated receipt of the chain's head, to minute or send to the internal auditor."""
    name = council or load_pack(policy).council.name
    archive = _open(ctx)
    issued = archive.receipt(name)
    archive.close()
    try:
        out.write_text(issued.to_json(), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}")
    typer.echo(issued.to_text() + f"Written to {out}")


# --- search -----------------------------------------------------------------------------------------------


def _criteria(query: str, sender: str | None, to: str | None, person: str | None, since: datetime | None,
              until: datetime | None, rule: str | None) -> SearchCriteria:
    return SearchCriteria(query=query, sender=sender, recipient=to, person=person, since=_day(since),
                          until=_day(until), rule=rule)


@app.command()
def search(ctx: typer.Context,
           query: Annotated[str, typer.Argument(help='Words, "a phrase", OR, -excluded. "" lists by filters.')],
           sender: Annotated[Optional[str], typer.Option("--from", help="Sent by this address.")] = None,
           to: Annotated[Optional[str], typer.Option("--to", help="Sent to (to/cc/bcc) this address.")] = None,
           person: Annotated[Optional[str], typer.Option("--person", help="Sent by or to this address.")] = None,
           since: Annotated[DateOpt, typer.Option("--since", formats=_DATE, help="On or after (YYYY-MM-DD).")] = None,
           until: Annotated[DateOpt, typer.Option("--until", formats=_DATE, help="On or before (YYYY-MM-DD).")] = None,
           rule: Annotated[Optional[str], typer.Option("--rule", help="With a finding of this rule id.")] = None,
           limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
           offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
           as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit.")] = False) -> None:
    """Search the archive: sender, recipients, subject, body and attachment text."""
    archive = _open(ctx)
    try:
        page = archive.search(_criteria(query, sender, to, person, since, until, rule), limit=limit, offset=offset)
    except CouncilguardError as exc:
        fail(str(exc))
    finally:
        archive.close()
    for hit in page.hits:
        if as_json:
            typer.echo(json.dumps({"record": hit.record_id, "date": hit.dated_at.isoformat(), "from": hit.sender,
                                   "subject": hit.subject, "score": round(hit.score, 6), "snippet": hit.snippet},
                                  ensure_ascii=False))
        else:
            typer.echo(f"#{hit.record_id}  {hit.dated_at:%Y-%m-%d}  {hit.sender}  {hit.subject}")
            if hit.snippet:
                typer.echo(f"    {' '.join(hit.snippet.split())}")
    if not as_json:
        more = f" (more: --offset {offset + limit})" if page.has_more else ""
        typer.echo(f"{len(page.hits)} record(s){more}" if page.hits else "No records match.")


# --- retention --------------------------------------------------------------------------------------------


def _in_force(path: Path | None, archive: Archive | None) -> tuple[Schedule, str]:
    """The schedule ``--schedule`` names, else the one in force in ``archive`` (the packaged one when there
    is no archive yet); and where it came from."""
    if path is not None or archive is None:
        loaded = load_schedule(path)
        return loaded.schedule, loaded.path.name
    with archive.session() as s:
        saved = schedule_store.current(s)
    return saved.schedule, (f"version {saved.version} in the archive, saved by {saved.saved_by}" if saved.version
                            else "the packaged defaults")


@retention_app.command("show")
def retention_show(ctx: typer.Context, schedule: ScheduleOption = None) -> None:
    """Show the retention schedule: classes, how long each is kept, and the source of each period."""
    where = db.sqlite_path(db.resolve_url(ctx.obj.get("db") if ctx.obj else None))
    archive = _open(ctx) if schedule is None and (where is None or where.exists()) else None
    try:
        in_force, origin = _in_force(schedule, archive)
    except CouncilguardError as exc:
        fail(str(exc))
    finally:
        if archive is not None:
            archive.close()
    table = Table(title=f"Retention schedule ({origin})", show_lines=True)
    for col in ("class", "title", "kept", "source"):
        table.add_column(col)
    for row in schedule_summary(in_force):
        table.add_row(row["class"], row["title"], row["keep"], row["source"])
    console = Console(width=160)
    console.print(table)
    console.print(f"Default class: {in_force.default_class}. Rules, first match wins:")
    for i, rule in enumerate(in_force.rules, 1):
        parts = [f"{k} {', '.join(v)}" for k, v in (("sender", rule.sender), ("recipient", rule.recipient),
                                                     ("subject", rule.subject)) if v]
        console.print(f"  {i}. {rule.class_}: " + "; ".join(parts), markup=False)


@retention_app.command("run")
def retention_run(ctx: typer.Context,
                  dry_run: Annotated[bool, typer.Option("--dry-run/--apply", help="List what would be deleted "
                                                        "(default), or delete it.")] = True,
                  today: Annotated[DateOpt, typer.Option("--today", formats=_DATE, help="Run as of this date.")] = None,
                  schedule: ScheduleOption = None, by: ByOption = None) -> None:
    """Delete records past their retention period, never anything under legal hold."""
    try:
        named = load_schedule(schedule).schedule if schedule is not None else None  # a bad file fails first
    except CouncilguardError as exc:
        fail(str(exc))
    day = _day(today) or date.today()
    archive = _open(ctx)
    try:
        in_force = named or _in_force(None, archive)[0]
        if dry_run:
            plan = retention.plan(archive, day, in_force)
            for item in plan.items:
                typer.echo(f"#{item.record_id}  {item.dated}  {item.retention_class}  kept until {item.keep_until}"
                           f"  -> {item.action}  ({item.why})")
            typer.echo(f"Dry run on {day}: {len(plan.to_delete)} would be deleted, {len(plan.held)} kept by "
                       "legal hold. Run with --apply to delete.")
            return
        run = retention.apply(archive, day, _who(by), in_force)
    except CouncilguardError as exc:
        fail(str(exc))
    finally:
        archive.close()
    for item, tomb in run.deleted:
        typer.echo(f"#{item.record_id}  deleted ({item.retention_class}, kept until {item.keep_until}); "
                   f"tombstone at seq {tomb.seq}")
    for item in run.plan.held:
        typer.echo(f"#{item.record_id}  {item.action}")
    for item, why in run.skipped:
        typer.echo(f"#{item.record_id}  {why}")
    typer.echo(f"Deleted {len(run.deleted)}; kept by legal hold {len(run.plan.held) + len(run.skipped)}.")


# --- legal holds ------------------------------------------------------------------------------------------


@hold_app.command("add")
def hold_add(ctx: typer.Context,
             name: Annotated[str, typer.Argument(help="A short name, e.g. 'FOI 2025-014'.")],
             reason: Annotated[str, typer.Option("--reason", help="Why the records must be kept.")],
             record: Annotated[Optional[list[int]], typer.Option("--record", help="A record id (repeatable).")] = None,
             query: Annotated[Optional[str], typer.Option("--query", help="Hold records matching these words.")] = None,
             sender: Annotated[Optional[str], typer.Option("--from")] = None,
             to: Annotated[Optional[str], typer.Option("--to")] = None,
             person: Annotated[Optional[str], typer.Option("--person")] = None,
             since: Annotated[DateOpt, typer.Option("--since", formats=_DATE)] = None,
             until: Annotated[DateOpt, typer.Option("--until", formats=_DATE)] = None,
             rule: Annotated[Optional[str], typer.Option("--rule")] = None,
             by: ByOption = None) -> None:
    """Place a legal hold on records by id, or on everything matching (now and later) while it is active."""
    criteria = _criteria(query or "", sender, to, person, since, until, rule)
    archive = _open(ctx)
    try:
        hold = archive.place_hold(name, reason=reason, actor=_who(by), records=record or [],
                                  criteria=None if criteria.is_empty else criteria)
    except CouncilguardError as exc:
        fail(str(exc))
    finally:
        archive.close()
    typer.echo(f"Hold {hold.name!r} placed: {hold.describe()}")


@hold_app.command("release")
def hold_release(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The hold's name.")],
                 reason: Annotated[str, typer.Option("--reason", help="Why it can be released.")],
                 by: ByOption = None) -> None:
    """Release a legal hold; its records follow the retention schedule again."""
    archive = _open(ctx)
    try:
        hold = archive.release_hold(name, actor=_who(by), reason=reason)
    except CouncilguardError as exc:
        fail(str(exc))
    finally:
        archive.close()
    typer.echo(f"Hold {hold.name!r} released.")


@hold_app.command("list")
def hold_list(ctx: typer.Context,
              include_released: Annotated[bool, typer.Option("--all", help="Include released holds.")] = False
              ) -> None:
    """List legal holds: name, since when, by whom, why and what they cover."""
    archive = _open(ctx)
    try:
        found = archive.holds(include_released=include_released)
    finally:
        archive.close()
    if not found:
        typer.echo("No legal holds." if include_released else "No active legal holds.")
    for h in found:
        state = f"released {h.released_at:%Y-%m-%d} by {h.released_by}" if h.released_at else "active"
        typer.echo(f"{h.name}  [{state}]  placed {h.created_at:%Y-%m-%d} by {h.created_by}: {h.reason}\n"
                   f"    covers {h.describe()}")
