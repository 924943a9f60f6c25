"""Real databases for the archive tests: a SQLite file per test, and PostgreSQL.

PostgreSQL (127.0.0.1:5432, user postgres) gets one uniquely named database per test session, dropped at
the end. Its schema ``archive`` is migrated once and emptied before each test; tests of the migrations
themselves get a fresh, empty schema. If the server cannot be reached the PostgreSQL half of
each test is skipped, saying why; the SQLite half always runs.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import secrets
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote

import councilguard.records.request_schema  # noqa: F401  (its tables join Base.metadata)
import councilguard.web.accounts_schema  # noqa: F401  (its tables join Base.metadata)
import councilguard.web.desk_schema  # noqa: F401  (its tables join Base.metadata)

import pytest

from councilguard.records import db
from councilguard.records.archive import Archive, ArchivedAttachment, ArchiveItem
from councilguard.records.schema import Base

PG_HOST, PG_PORT, PG_USER, PG_ADMIN_DB = "127.0.0.1", 5432, "postgres", "test"
_schemas = itertools.count(1)


def _admin():
    import psycopg

    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_ADMIN_DB, connect_timeout=3,
                           autocommit=True)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of our own for this test session; its URL without a schema."""
    import psycopg

    try:
        admin = _admin()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} as {PG_USER} ({exc})")
    name = f"cg_records_{os.getpid()}_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_schema(base: str, schema: str) -> str:
    import psycopg

    with psycopg.connect(base.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path) -> str:
    """A database with nothing in it: a new SQLite file, or a new schema in the session's PG database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return _pg_schema(request.getfixturevalue("pg_database"), f"empty{next(_schemas)}")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "archive.db"
    db.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_archive(pg_database) -> str:
    url = _pg_schema(pg_database, "archive")
    db.upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A migrated, empty archive: a copy of a migrated SQLite file, or the session's PG schema emptied.

    Migrating once per session and emptying per test keeps each test's setup to milliseconds.
    """
    if request.param == "sqlite":
        path = tmp_path / "archive.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("_pg_archive")
    engine = db.make_engine(url)
    try:
        with engine.begin() as conn:  # DELETE is far quicker than TRUNCATE on tables this small
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            for table in ("records", "holds"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)")
    finally:
        engine.dispose()
    return url


@pytest.fixture
def archive(db_url) -> Iterator[Archive]:
    opened = Archive.open(db_url, migrate=False)
    try:
        yield opened
    finally:
        opened.close()


BASE_TIME = datetime(2024, 3, 4, 9, 30, tzinfo=timezone.utc)


def attachment(text: str | None, filename: str = "note.txt") -> ArchivedAttachment:
    data = (text or filename).encode()
    return ArchivedAttachment(filename, "text/plain", len(data), hashlib.sha256(data).hexdigest(), text)


def item_factory() -> Callable[..., ArchiveItem]:
    """A builder of ArchiveItems whose raw bytes are unique unless ``raw`` is given."""
    counter = itertools.count(1)

    def make(subject: str = "Village hall booking", body: str = "Could we book the hall for Saturday?",
             *, sender: str = "Jane Clerk <clerk@croxley.gov.uk>", to: tuple[str, ...] = ("cllr.smith@croxley.gov.uk",),
             days: float = 0, raw: bytes | None = None, **fields: Any) -> ArchiveItem:
        n = next(counter)
        when = BASE_TIME + timedelta(days=days)
        raw = raw if raw is not None else (f"Message-ID: <{n}@test>\r\nSubject: {subject}\r\n\r\n{body}\r\n"
                                           f"{secrets.token_hex(4)}").encode()
        values: dict[str, Any] = dict(raw=raw, sender=sender, to=list(to), subject=subject, body_text=body,
                                      received_at=when, sent_at=when - timedelta(minutes=2),
                                      message_id=f"<{n}@test>")
        values.update(fields)
        return ArchiveItem(**values)

    return make


@pytest.fixture
def make_item() -> Callable[..., ArchiveItem]:
    return item_factory()
