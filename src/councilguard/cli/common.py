"""Shared CLI pieces: the --policy option, loading a checker, and failing with a clear message."""

from __future__ import annotations

from typing import Annotated, NoReturn, Optional

import typer

from councilguard.errors import CouncilguardError

PolicyOption = Annotated[
    Optional[str],
    typer.Option("--policy", "-p", help="A policy pack folder, or the name of a bundled pack (default croxley-green)."),
]


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def load_pack(policy: str | None):
    from councilguard.policy import Pack

    try:
        return Pack.resolve(policy)
    except CouncilguardError as exc:
        fail(str(exc))


def load_checker(policy: str | None):
    from councilguard.engine import Checker

    pack = load_pack(policy)
    try:
        return Checker(pack)
    except CouncilguardError as exc:
        fail(str(exc))


DB_ENV = "COUNCILGUARD_DB"  # councilguard.records.db.ENV_VAR, spelt out so `check` need not import SQLAlchemy
DbOption = Annotated[Optional[str], typer.Option(
    "--db", envvar=DB_ENV, show_envvar=True, help="Archive database: a SQLite file or a postgresql+psycopg:// URL.")]


def open_archive(url: str | None):
    """The archive at ``url`` (or $COUNCILGUARD_DB, or ./councilguard.db), failing clearly when it is not there."""
    from sqlalchemy.exc import OperationalError

    from councilguard.records import db
    from councilguard.records.archive import Archive

    resolved = db.resolve_url(url)
    path = db.sqlite_path(resolved)
    if path is not None and not path.exists():
        fail(f"no archive at {path}: give --db or set {DB_ENV}")
    try:
        return Archive.open(resolved)
    except OperationalError as exc:
        fail(f"cannot open the archive database ({str(exc.orig).strip().splitlines()[0]})")
