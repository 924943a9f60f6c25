"""`councilguard check`: one draft from the command line, or a batch of JSON lines."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from councilguard.cli.common import PolicyOption, fail, load_checker
from councilguard.errors import MessageError


def check(
    ctx: typer.Context,
    text: Annotated[Optional[str], typer.Argument(help="The draft. Omit it (or give -) to read standard input.")] = None,
    input: Annotated[Optional[str], typer.Option("--input", "-i", help="JSON lines of messages to check ('-' for stdin).")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Where to write JSON lines of reports ('-' for stdout).")] = None,
    policy: PolicyOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text (readable) or json (the report object).")] = "text",
    file: Annotated[Optional[Path], typer.Option("--file", help="Read the draft from this file.")] = None,
    message: Annotated[Optional[str], typer.Option("--message", help="A whole message as JSON (the batch format); options below override its fields.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="post, comment, reply, review, email or message.")] = None,
    channel: Annotated[Optional[str], typer.Option(help="facebook, x, nextdoor, forum, newsgroup, review-site, web-comment, email…")] = None,
    account: Annotated[Optional[str], typer.Option(help="personal, councillor or official.")] = None,
    author: Annotated[Optional[str], typer.Option(help="Your name as on the council's roster.")] = None,
    role: Annotated[Optional[str], typer.Option(help="councillor, staff, proper-officer or chair.")] = None,
    author_email: Annotated[Optional[str], typer.Option("--author-email", help="Your council e-mail address.")] = None,
    capacity: Annotated[Optional[str], typer.Option(help="council, private or unknown.")] = None,
    subject: Annotated[Optional[str], typer.Option(help="E-mail subject.")] = None,
    sender: Annotated[Optional[str], typer.Option("--from", help="E-mail sender address.")] = None,
    to: Annotated[Optional[list[str]], typer.Option("--to", help="E-mail recipient (repeat for more).")] = None,
    cc: Annotated[Optional[list[str]], typer.Option("--cc", help="Copy recipient (repeat for more).")] = None,
    bcc: Annotated[Optional[list[str]], typer.Option("--bcc", help="Blind copy recipient (repeat for more).")] = None,
    forwarded: Annotated[bool, typer.Option("--forwarded", help="The e-mail forwards council mail.")] = False,
    reply_to: Annotated[Optional[str], typer.Option("--reply-to", help="Text of the post you are replying to.")] = None,
    reply_author: Annotated[Optional[str], typer.Option("--reply-author", help="Who wrote the post you are replying to.")] = None,
    attach: Annotated[Optional[list[Path]], typer.Option("--attach", help="Attach a file (repeat for more).")] = None,
    authorised: Annotated[Optional[list[str]], typer.Option("--authorised", help="An authorisation you hold: speak-for-council, personal-email, purchase, official-account.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Also show which detectors ran and what they found.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when the verdict is warn or block.")] = False,
) -> None:
    """Check a draft (or a batch of messages) and show each finding with its clause, evidence and remedy."""
    if format not in ("text", "json"):
        fail(f"--format must be text or json, not {format!r}")
    if input is None:
        _no_cycle_collection_until_done(ctx)
    checker = load_checker(policy)
    if input is not None:
        raise typer.Exit(_batch(checker, input, output or "-"))

    data: dict[str, Any] = {}
    if message:
        try:
            data = json.loads(message)
        except json.JSONDecodeError as exc:
            fail(f"--message is not valid JSON: {exc.msg} at column {exc.colno}")
        if not isinstance(data, dict):
            fail("--message must be a JSON object")
    draft = _read_draft(text, file, has_message_text="text" in data)
    if draft is not None:
        data["text"] = draft
    overrides = {"kind": kind, "channel": channel, "account": account, "capacity": capacity, "subject": subject,
                 "from": sender}
    data.update({k: v for k, v in overrides.items() if v is not None})
    for key, values in (("to", to), ("cc", cc), ("bcc", bcc), ("authorisations", authorised)):
        if values:
            data[key] = list(values)
    if forwarded:
        data["forwarded"] = True
    if any((author, role, author_email)):
        who = dict(data.get("author") or {})
        who.update({k: v for k, v in (("name", author), ("role", role), ("email", author_email)) if v})
        data["author"] = who
    if reply_to is not None:
        data["in_reply_to"] = {"author": reply_author, "text": reply_to}
        data.setdefault("kind", "reply")
    if attach:
        data["attachments"] = [*data.get("attachments", []), *({"filename": p.name, "path": str(p.resolve())} for p in attach)]
    if ("to" in data or "from" in data) and "kind" not in data:
        data["kind"] = "email"
        data.setdefault("channel", "email")
    try:
        report = checker.check(data, explain=explain)
    except MessageError as exc:
        fail(str(exc))
    if format == "json":
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from councilguard.cli.render import render_report  # rich's console: only for the readable form

        render_report(report, data.get("text", ""), checker.pack, explain=explain)
    if strict and report.verdict in ("warn", "block"):
        raise typer.Exit(1)


def _no_cycle_collection_until_done(ctx: typer.Context) -> None:
    """Hold off Python's cycle collector until this one-draft check is done.

    A cold check is mostly imports (Presidio and spaCy alone are a thousand modules): objects that live
    until exit, which the collector would otherwise walk again and again as the heap grows, then once
    more at exit; over a tenth of the run's CPU. One draft leaves little cyclic garbage, so nothing is
    lost by waiting. When the check is done, what it loaded is frozen (left out of later collections)
    and the collector resumes, for whatever else runs in the process. A batch, which runs for as long
    as its input lasts, keeps the collector running throughout.
    """
    if gc.isenabled():
        gc.disable()
        ctx.call_on_close(_resume_cycle_collection)


def _resume_cycle_collection() -> None:
    gc.freeze()
    gc.enable()


def _read_draft(text: str | None, file: Path | None, *, has_message_text: bool) -> str | None:
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {file}: {exc}")
    if text == "-" or (text is None and not has_message_text and not sys.stdin.isatty()):
        return sys.stdin.read()
    if text is None and not has_message_text:
        fail("give the draft as an argument, with --file, with --message, or on standard input")
    return text


def _batch(checker, input: str, output: str) -> int:
    from councilguard.batch import BatchResult, check_lines

    if input == "-":
        source, base_dir = sys.stdin, Path.cwd()
    else:
        path = Path(input)
        try:
            source = path.open(encoding="utf-8")
        except OSError as exc:
            typer.echo(f"error: cannot read {input}: {exc.strerror or exc}", err=True)
            return 2
        base_dir = path.resolve().parent
    result = BatchResult()
    sink = sys.stdout if output == "-" else None
    try:
        if sink is None:
            try:
                sink = open(output, "w", encoding="utf-8")
            except OSError as exc:
                typer.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
                return 2
        try:
            for out in check_lines(checker, source, base_dir=base_dir, result=result):
                sink.write(json.dumps(out, ensure_ascii=False) + "\n")
                if "error" in out:
                    typer.echo(f"error: {out['error']}", err=True)
        except UnicodeDecodeError as exc:
            typer.echo(f"error: {input} is not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
            return 2
    finally:
        if sink is not None and sink is not sys.stdout:
            sink.close()
        if source is not sys.stdin:
            source.close()
    typer.echo(f"checked {result.checked} message(s); {result.invalid} invalid line(s)", err=True)
    return result.exit_code
