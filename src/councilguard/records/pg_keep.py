"""Keeping one message on PostgreSQL in two round trips: the relay's write, after the check.

Through the ORM's session the relay's write took ten or more round trips (a ping, BEGIN, the append
lock, the look-up, an INSERT a table, COMMIT), each ~0.1 ms on the wire plus SQLAlchemy's handling,
when the database's own work, the full-text index apart, is a few hundredths of that. Here, on a
pooled psycopg connection:

1. BEGIN, the append lock and the look-up (see ``archive_write.LOOK_UP_ONE``) go as one pipeline
   (libpq's pipeline mode: sent together, answered in order). They stay separate statements because
   under READ COMMITTED each statement reads from a snapshot taken when it starts: the look-up must start
   after the lock is granted, or it could miss the head another writer just committed.
2. The rows, worked out by ``archive_write.plan`` exactly as on every other path, go as one statement of
   data-modifying WITH clauses, pipelined with COMMIT. The statement's text never changes: a table with
   none or one row takes plain parameters, selected only if the row is present; a table with any number
   takes one array per column, which ``unnest`` turns back into rows. So psycopg prepares it once per
   connection and the server plans it once. Foreign keys are checked at the end of the statement, when
   every row is in; the content's bytes go in binary (``%b``), not as hex text.

Values pass through each column type's own bind processing first (UTC times, for instance), as SQLAlchemy
would do, so the rows stored are those of the per-table path (``test_archive_write`` compares them all).
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable

import psycopg
from sqlalchemy import Engine, Table
from sqlalchemy.dialects import postgresql

from councilguard.records import archive_write, chain, pg_index
from councilguard.records.schema import (
    AttachmentRow,
    ChainEntry,
    Content,
    FindingRow,
    RecipientRow,
    RecordRow,
    RecordText,
)

_DIALECT = postgresql.psycopg.dialect()

SINGLE, MANY = "none or one", "any number"
# each table with how many rows one message gives it, in the order the foreign keys read them
TABLES: tuple[tuple[Table, str], ...] = (
    (RecordRow.__table__, SINGLE), (RecipientRow.__table__, MANY), (FindingRow.__table__, MANY),
    (AttachmentRow.__table__, MANY), (RecordText.__table__, SINGLE), (Content.__table__, SINGLE),
    (ChainEntry.__table__, MANY))
# The append lock, and (when asked) the full-text index left for later (see pg_index). A row left for
# later still puts a NULL entry in the GIN indexes' pending list, and whichever insert takes that list
# past gin_pending_list_limit (4 MB) merges all of it into the index there and then (a relay run into a
# fresh copy of a 100,000-message archive: 11.4 ms a message in the archive, against 4.3 in the next);
# with the limit raised for its own transaction, the relay leaves the merging to the background indexer.
_LOCK = ("SELECT pg_advisory_xact_lock(%(key)s), set_config(%(setting)s, %(later)s, true), "
         "set_config('gin_pending_list_limit', CASE WHEN %(later)s = 'on' THEN '2097151' "  # kB, the most allowed
         "ELSE current_setting('gin_pending_list_limit') END, true)")
_LOOK_UP = archive_write.LOOK_UP_ONE["postgresql"].format(sha="%(sha)s")


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns]  # tsv is not mapped: its trigger fills it


def _placeholder(table: Table, column: str) -> str:
    sql_type = table.columns[column].type.compile(dialect=_DIALECT)
    binary = "b" if sql_type == "BYTEA" else "s"
    return f"%({table.name}__{column}){binary}::{sql_type}"


@functools.lru_cache(maxsize=1)
def statement() -> str:
    """The one INSERT statement for every table (its text is always the same)."""
    clauses = []
    for table, count in TABLES:
        columns = _columns(table)
        if count == SINGLE:
            source = ("SELECT " + ", ".join(_placeholder(table, c) for c in columns)
                      + f" WHERE %({table.name}__present)s")
        else:
            source = "SELECT * FROM unnest(" + ", ".join(_placeholder(table, c) + "[]" for c in columns) + ")"
        clauses.append(f"w_{table.name} AS (INSERT INTO {table.name} ({', '.join(columns)}) {source})")
    return "WITH " + ",\n".join(clauses) + "\nSELECT 1"


@functools.lru_cache(maxsize=None)
def _processors(table: Table) -> dict[str, Callable[[Any], Any] | None]:
    return {c.name: c.type.bind_processor(_DIALECT) for c in table.columns}


def parameters(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The statement's parameters for ``rows`` ({table name: its rows}, as ``archive_write`` builds them)."""
    params: dict[str, Any] = {}
    for table, count in TABLES:
        name, processors = table.name, _processors(table)
        given = rows.get(name, [])

        def value(row: dict[str, Any], column: str) -> Any:
            v, process = row.get(column), processors[column]
            return v if process is None or v is None else process(v)

        if count == SINGLE:
            if len(given) > 1:
                raise ValueError(f"{name}: at most one row expected, {len(given)} given")
            row = given[0] if given else {}
            params.update((f"{name}__{c}", value(row, c)) for c in _columns(table))
            params[f"{name}__present"] = bool(given)
        else:
            params.update((f"{name}__{c}", [value(row, c) for row in given]) for c in _columns(table))
    return params


def _pipeline(connection: Any) -> contextlib.AbstractContextManager[Any]:
    """libpq's pipeline mode where the libpq psycopg uses has it (version 14 on; the binary wheels do), else
    the same statements one after another."""
    return connection.pipeline() if psycopg.Pipeline.is_supported() else contextlib.nullcontext()


def keep(engine: Engine, prepared: archive_write.Prepared, *, actor: str,
         before_commit: Callable[[int], None] | None = None, index_later: bool = False) -> int:
    """Keep ``prepared`` (or, if its bytes are kept already, add a 'duplicate' entry); its record id.

    ``before_commit(record_id)`` is called once the id is known, before the rows are sent; if it raises,
    nothing is kept. ``index_later``: leave the record's text for :func:`pg_index.catch_up` to index.
    """
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        try:
            with _pipeline(connection):
                connection.execute(_LOCK, {"key": chain.LOCK_KEY, "setting": pg_index.SETTING,
                                           "later": "on" if index_later else "off"})
                looked_up = connection.execute(_LOOK_UP, {"sha": prepared.sha})
            found = archive_write.LookedUp.of_one(prepared.sha, looked_up.fetchone())
            planned = archive_write.plan([(prepared, None)], found, actor=actor, duplicate=True)
            [(record_id, _)] = planned.kept
            if before_commit is not None:
                before_commit(record_id)
            with _pipeline(connection):
                connection.execute(statement(), parameters(planned.rows.by_table(planned.links)))
                connection.commit()
            return record_id
        except BaseException:
            try:
                connection.rollback()
            except Exception:  # the connection itself failed: the pool must not hand it out again
                pooled.invalidate()
            raise
    finally:
        pooled.close()
