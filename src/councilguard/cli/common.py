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
