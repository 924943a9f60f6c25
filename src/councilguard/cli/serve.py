"""`councilguard serve`: run the web app (check-before-you-post and the Clerk's accounts page).

    councilguard serve                              http://127.0.0.1:8000, SQLite file ./councilguard.db
    councilguard serve --host 0.0.0.0 --port 8080 --db postgresql+psycopg://... --policy my-pack/

On a new database the first visit offers the set-up page, where the Clerk makes the Proper Officer's
account. Sessions are signed with ``COUNCILGUARD_SECRET_KEY`` (random per run when unset, so everyone
signs in again after a restart). Also runnable as ``python -m councilguard.cli.serve``.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from councilguard.cli.common import PolicyOption, fail
from councilguard.errors import CouncilguardError
from councilguard.records import db as records_db

HostOption = Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0: every network).")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
DbOption = Annotated[Optional[str], typer.Option(
    "--db", envvar=records_db.ENV_VAR, show_envvar=True,
    help="Database: a SQLite file (default ./councilguard.db) or a postgresql+psycopg:// URL.")]


def serve(host: HostOption = "127.0.0.1", port: PortOption = 8000, db: DbOption = None,
          policy: PolicyOption = None) -> None:
    """Run the web app until Ctrl-C. Creates or upgrades the database first."""
    import uvicorn
    from sqlalchemy.exc import OperationalError

    from councilguard.web.app import create_app
    from councilguard.web.settings import WebSettings

    resolved = records_db.resolve_url(db)
    path = records_db.sqlite_path(resolved)
    if path is not None and not path.parent.is_dir():
        fail(f"cannot make the database {path}: the folder {path.parent} does not exist")
    try:
        app = create_app(WebSettings(db_url=resolved, policy=policy))
    except CouncilguardError as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(f"cannot open the database ({str(exc.orig).strip().splitlines()[0]})")
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    typer.echo(f"councilguard is running at http://{shown}:{port}/ (database: {path or resolved.split('@')[-1]}); "
               f"stop it with Ctrl-C")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


if __name__ == "__main__":
    typer.run(serve)
