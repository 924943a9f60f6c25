"""Where the archive lives: one database URL gives an engine, sessions and an up-to-date schema.

A small council keeps its records in one SQLite file (``./councilguard.db``, or ``COUNCILGUARD_DB``);
a larger one points the same code at PostgreSQL (``postgresql+psycopg://...``). The schema is created and
upgraded by the Alembic migrations shipped inside the package, run from code so that no ``alembic.ini``
is needed where the Clerk runs it.

SQLite needs two adjustments to be a safe records store: foreign keys and WAL switched on, and writes that
take the write lock when they begin (``BEGIN IMMEDIATE``), so two processes appending to the hash chain
queue up instead of both reading the same chain head.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy import exc as exc_module
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_PATH = "councilguard.db"
ENV_VAR = "COUNCILGUARD_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_WRITE = "councilguard_write"  # execution option: this transaction appends, so lock at BEGIN


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``$COUNCILGUARD_DB``, else ``./councilguard.db``.

    A bare file path means a SQLite file; ``postgresql://`` is given the psycopg (v3) driver.
    """
    url = url or os.environ.get(ENV_VAR) or DEFAULT_PATH
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`resolve_url`), set up for safe appends on SQLite."""
    resolved = resolve_url(url)
    if make_url(resolved).get_backend_name() == "sqlite":
        engine = create_engine(resolved, connect_args={"timeout": 30})
        _sqlite_setup(engine)
        return engine
    engine = create_engine(resolved)
    ping_when_idle(engine)
    return engine


# A pooled connection unused for this long is tested before it is handed out (PostgreSQL only).
IDLE_PING_SECONDS = 1.0


def ping_when_idle(engine: Engine, after: float = IDLE_PING_SECONDS) -> None:
    """Test a pooled connection on checkout only if it sat unused for ``after`` seconds.

    SQLAlchemy's ``pool_pre_ping`` tests every checkout: a round trip (~0.1 ms here, 0.4 ms inside a busy
    relay) on each message the relay keeps. A connection returned moments ago is as good as the last
    statement it ran; one that sat idle may have been dropped (a server restart, a firewall's timeout),
    and is tested with the dialect's own ping. A dead one is replaced, as ``pool_pre_ping`` would do.
    """
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < after:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the dialect's ping raises on a dead connection
            raise exc_module.DisconnectionError(f"pooled connection failed its ping: {exc}") from exc
        if not alive:
            raise exc_module.DisconnectionError("pooled connection failed its ping")


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no branch - runs once per connection
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        writing = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction appends to the chain: committed on success, rolled back on error.

    On SQLite it begins with the write lock held, so the chain head it reads is still the head when it
    writes; on PostgreSQL the chain takes an advisory lock (see ``chain.lock``).
    """
    with factory() as session:
        session.connection(execution_options={_WRITE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | Engine | None = None, revision: str = "head") -> None:
    """Create the archive's tables, or bring them up to ``revision``, with the packaged migrations."""
    from alembic import command

    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), revision)
    finally:
        if engine is not url:
            engine.dispose()


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration shipped with this version of councilguard."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None when it holds no archive."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
