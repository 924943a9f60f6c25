"""`councilguard relay ...`: run the checking SMTP relay, and the Clerk's commands for held mail.

    councilguard relay serve --listen 127.0.0.1:10025 --upstream smtp.provider.example:25 --db URL --spool DIR
    councilguard relay held                      what is held, from whom, to whom and why
    councilguard relay release 42 --by "Helen Marsh"
    councilguard relay discard 42 --by "Helen Marsh" --reason "sent again without the personal data"

Every command answers a mistake with one plain sentence, never a traceback. Also runnable as
``python -m councilguard.cli.relay`` (what the crash tests use).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Annotated, Optional

import typer
from sqlalchemy.exc import OperationalError

from councilguard.cli.common import DbOption, PolicyOption, fail, open_archive
from councilguard.errors import CouncilguardError

app = typer.Typer(name="relay", no_args_is_help=True, add_completion=False,
                  help="The checking SMTP relay: run it, and list, release or discard the mail it holds.")

SPOOL_ENV = "COUNCILGUARD_SPOOL"
SpoolOption = Annotated[str, typer.Option("--spool", envvar=SPOOL_ENV, show_envvar=True,
                                          help="The relay's spool folder (mail waiting to be sent, and held mail).")]
CORES = min(os.cpu_count() or 1, 4)
ByOption = Annotated[str, typer.Option("--by", help="Who is doing this, as the archive should record it.")]


def _archive(url: str | None):
    return open_archive(url)


def _spool(folder: str):
    from councilguard.gateway.spool import Spool

    try:
        return Spool(folder)
    except CouncilguardError as exc:
        fail(str(exc))


@app.command()
def serve(listen: Annotated[str, typer.Option("--listen", help="Where to take mail: HOST:PORT.")] = "127.0.0.1:10025",
          upstream: Annotated[str, typer.Option("--upstream", help="Where to send mail on: HOST:PORT.")] = ...,
          database: DbOption = None,
          spool: SpoolOption = "councilguard-spool",
          policy: PolicyOption = None,
          max_size: Annotated[Optional[float], typer.Option("--max-size", help="Largest message taken, in MB "
                                                            "(default 35).")] = None,
          notice_from: Annotated[Optional[str], typer.Option(
              "--notice-from", help="From address of notices to senders (default postmaster@ the council's "
                                    "domain).")] = None,
          processes: Annotated[int, typer.Option("--processes", help="Checker processes, to use every core "
                                                 "(0: check inside the relay's own process).")] = CORES,
          verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every message.")] = False) -> None:
    """Run the relay: check, archive, then relay, hold or reject each message. Stop with Ctrl-C."""
    from councilguard.gateway.config import LOG_FORMAT, RelayConfig
    from councilguard.gateway.relay import serve as run

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format=LOG_FORMAT)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    try:
        config = RelayConfig.from_strings(listen=listen, upstream=upstream, spool=spool, db=database,
                                          policy=policy, max_message_mb=max_size, notice_from=notice_from,
                                          processes=processes)
        typer.echo(f"councilguard relay: taking mail on {listen}, sending on to {upstream}, spool {spool}",
                   err=True)
        run(config)
    except CouncilguardError as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(f"cannot open the archive database ({str(exc.orig).strip().splitlines()[0]})")
    except OSError as exc:  # the port is taken, the spool folder is not writable...
        fail(f"cannot start the relay ({listen}, spool {spool}): {exc.strerror or exc}")


@app.command()
def held(spool: SpoolOption = "councilguard-spool",
         as_json: Annotated[bool, typer.Option("--json", help="One JSON object per held message.")] = False) -> None:
    """List the messages held for the Clerk: when, from whom, to whom, and why."""
    from councilguard.gateway import quarantine

    entries = quarantine.held(_spool(spool))
    for e in entries:
        if as_json:
            typer.echo(json.dumps({"id": e.record_id, "spool_id": e.id, "received": e.received_at.isoformat(),
                                   "from": e.sender or e.envelope.mail_from, "to": list(e.envelope.rcpt_tos),
                                   "subject": e.subject, "rules": list(e.rules), "reasons": list(e.reasons)},
                                  ensure_ascii=False))
            continue
        when = e.received_at.astimezone()
        typer.echo(f"#{e.record_id}  {when:%Y-%m-%d %H:%M}  from {e.sender or e.envelope.mail_from}"
                   f"  to {', '.join(e.envelope.rcpt_tos)}")
        typer.echo(f"    subject: {e.subject or '(no subject)'}")
        for reason in e.reasons:
            typer.echo(f"    why: {reason}")
    if not as_json:
        typer.echo(f"{len(entries)} message(s) held." + (" Release one with: councilguard relay release ID --by NAME"
                                                          if entries else ""))


@app.command()
def release(ident: Annotated[str, typer.Argument(metavar="ID", help="The held message's number (from `relay held`).")],
            by: ByOption = ..., reason: Annotated[Optional[str], typer.Option("--reason", help="Why it may go "
                                                                              "(kept with the record).")] = None,
            spool: SpoolOption = "councilguard-spool", database: DbOption = None) -> None:
    """Release a held message: it is recorded as released by you and sent by the relay."""
    from councilguard.gateway import quarantine

    store = _spool(spool)
    archive = _archive(database)
    try:
        done = quarantine.release(store, archive, ident, by=by, reason=reason)
    except CouncilguardError as exc:
        fail(str(exc))
    finally:
        archive.close()
    for e in done:
        typer.echo(f"Released #{e.record_id} ({e.subject or 'no subject'}) to {', '.join(e.envelope.rcpt_tos)}: "
                   "queued for the relay to send.")


@app.command()
def discard(ident: Annotated[str, typer.Argument(metavar="ID", help="The held message's number (from `relay held`).")],
            by: ByOption = ..., reason: Annotated[str, typer.Option("--reason", help="Why it is not sent "
                                                                    "(kept with the record).")] = ...,
            spool: SpoolOption = "councilguard-spool", database: DbOption = None) -> None:
    """Discard a held message: it is never sent; the archive keeps it, with who discarded it and why."""
    from councilguard.gateway import quarantine

    store = _spool(spool)
    archive = _archive(database)
    try:
        done = quarantine.discard(store, archive, ident, by=by, reason=reason)
    except CouncilguardError as exc:
        fail(str(exc))
    finally:
        archive.close()
    for e in done:
        typer.echo(f"Discarded #{e.record_id} ({e.subject or 'no subject'}); the archive keeps it.")


if __name__ == "__main__":
    app()
