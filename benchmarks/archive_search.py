#!/usr/bin/env python3
"""Search latency of the council e-mail archive at 100,000 and 1,000,000 messages, SQLite and PostgreSQL.

An FOI request or a subject access request starts with the Clerk searching years of council e-mail, so
the archive's search must stay quick as the archive grows: target p95 < 100 ms at a million messages.
This loads synthetic council e-mail (see ``archive_corpus.py``: ~3,000-character e-mails, one in five
with a 200 KB PDF whose text is indexed too) through the archive's public bulk API (``Archive.add_many``),
then times ``Archive.search`` (a page of 20, as the Clerk sees it) over a named query mix: a single
word, a quoted phrase, a sender filter, a date range, and a word within a date range. Each query runs
once to warm the caches, then ``--repeat`` times in shuffled order; p50 and p95 are given per kind and
overall, of the wall-clock time and of the CPU time the search took (this process's and the PostgreSQL
backend's): on a shared machine the wall clock mostly measures the wait for a core, so both are kept,
with the load average while measuring.

Disk: with a photograph in each PDF a million messages would need ~55 GB per database, so by default
the PDFs carry a scanned letterhead whose rows repeat (``archive_corpus.py`` says how): still 200 KB
each, hashed and compressed on the way in, but stored in ~10 KB. ``--photos`` loads photographs instead
(for the write path's worst case; ``archive_write.py`` measures that on its own).

The databases are kept for reuse and topped up: one already holding N messages is loaded with messages
N.. only, so the million can be reached in steps (``--sizes 100000`` today, ``--sizes 1000000`` later;
Ctrl-C or ``kill PID`` stops a load after the batch being written). Figures are merged into
``benchmarks/out/archive_search.json`` by backend and size. A load reports two rates: the archive's own
(messages per second spent in ``add_many``) and the wall-clock one, which on two cores is bounded by
generating the messages (~1.5 ms of CPU each, in GENERATORS other processes). ``--copy-from-sqlite``
fills PostgreSQL with the SQLite archive's rows (COPY, COPY_STREAMS connections side by side), so each
message is generated, hashed and compressed once; PostgreSQL still computes every ``tsvector`` and phrase
key itself (~4 ms of its CPU a message). Run loads under ``nice``: the copy gives the server processes
doing its work the same niceness when it may (a local server, as root).

    .venv/bin/python benchmarks/archive_search.py [--sizes 100000,1000000] [--backends sqlite,postgresql]
        [--sqlite /tmp/cg_bench_search.db] [--postgres postgresql://postgres@127.0.0.1:5432/cg_bench_search]
        [--batch 2000] [--queries 20] [--repeat 3] [--explain] [--load-only] [--reset] [--drop] [--photos]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import queue
import sqlite3
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from archive_corpus import COUNCIL, DAYS, PHRASES, START, CouncilMail  # noqa: E402
from timing import percentile  # noqa: E402

import psycopg  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,  # noqa: E402
                           TimeRemainingColumn)
from rich.table import Table  # noqa: E402
from sqlalchemy import event, make_url, text  # noqa: E402

from councilguard.records.archive import Archive  # noqa: E402
from councilguard.records.db import resolve_url, sqlite_path  # noqa: E402
from councilguard.records.search import SearchCriteria  # noqa: E402

KINDS = ("word", "phrase", "sender", "date", "word+date")
TARGET_P95_MS = 100.0
PAGE = 20
SQLITE_DEFAULT = "/tmp/cg_bench_search.db"
POSTGRES_DEFAULT = "postgresql://postgres@127.0.0.1:5432/cg_bench_search"
OUT = HERE / "out" / "archive_search.json"
console = Console() if sys.stdout.isatty() else Console(width=150)


# --- the query mix ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str
    criteria: SearchCriteria

    @property
    def label(self) -> str:
        return self.criteria.describe()


def _windows(rng: random.Random, n: int) -> list[tuple[date, date]]:
    """Date ranges people ask for: a week, a month, a quarter, a year, somewhere in the six years."""
    out = []
    for i in range(n):
        days = (7, 31, 92, 366)[i % 4]
        first = (START + timedelta(days=rng.randrange(DAYS - days))).date()
        out.append((first, first + timedelta(days=days - 1)))
    return out


def query_mix(mail: CouncilMail, per_kind: int, seed: int, loaded: int) -> list[Query]:
    """``per_kind`` queries of each kind, drawn from the corpus so that they find what is really there.

    Words come in equal shares from the council vocabulary and from three bands of the Zipf ranks
    (common, middling, rare); phrases half from council set phrases, half remembered from a message.
    """
    rng = random.Random(f"queries-{seed}")
    bands = [[w for w in COUNCIL if "-" not in w], mail.band(150, 600), mail.band(600, 2000), mail.band(2000, 6000)]
    words = [rng.choice(bands[i % len(bands)]) for i in range(per_kind)]
    read = random.Random(f"read-{seed}")  # the same phrases at every size from 100,000 up
    phrases = [rng.choice(PHRASES) if i % 2 == 0 else mail.remembered_phrase(read.randrange(min(loaded, 100_000)), read)
               for i in range(per_kind)]
    by_rank = mail.senders
    senders = [by_rank[(i * 7) % len(by_rank)].address for i in range(per_kind)]  # the Clerk to the rarest
    windows = _windows(rng, per_kind)
    queries = [Query("word", SearchCriteria(query=w)) for w in words]
    queries += [Query("phrase", SearchCriteria(query=f'"{p}"')) for p in phrases]
    queries += [Query("sender", SearchCriteria(sender=s)) for s in senders]
    queries += [Query("date", SearchCriteria(since=a, until=b)) for a, b in windows]
    queries += [Query("word+date", SearchCriteria(query=w, since=a, until=b))
                for w, (a, b) in zip(words[1:] + words[:1], windows[2:] + windows[:2])]
    return queries


# --- the databases ------------------------------------------------------------------------------------------


def _pg_admin(url: str, sql: str) -> None:
    parsed = make_url(resolve_url(url))
    admin = parsed.set(database="postgres", drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def prepare(backend: str, url: str, reset: bool) -> None:
    """Make sure the database exists (and is empty when ``reset``)."""
    if backend == "sqlite":
        path = sqlite_path(resolve_url(url))
        if reset and path:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = make_url(resolve_url(url)).database
    if reset:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
    try:
        _pg_admin(url, f'CREATE DATABASE "{name}"')
    except psycopg.errors.DuplicateDatabase:
        pass


def drop(backend: str, url: str) -> None:
    if backend == "sqlite":
        prepare(backend, url, reset=True)
    else:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{make_url(resolve_url(url)).database}"')


def size_on_disk(archive: Archive) -> int:
    if archive.engine.dialect.name == "postgresql":
        with archive.engine.connect() as conn:
            return int(conn.scalar(text("SELECT pg_database_size(current_database())")))
    path = sqlite_path(str(archive.engine.url))
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())


def settle(archive: Archive) -> None:
    """After a bulk load PostgreSQL's autovacuum soon analyses the tables; do it now so timings don't drift."""
    if archive.engine.dialect.name == "postgresql":
        with archive.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


# --- loading ------------------------------------------------------------------------------------------------

_MAIL: CouncilMail | None = None


def _start_worker(seed: int, photos: bool) -> None:
    global _MAIL
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle
    _MAIL = CouncilMail(seed, photos=photos)


def _make(start: int, stop: int) -> list:
    assert _MAIL is not None
    return [(_MAIL.item(i), None) for i in range(start, stop)]


GENERATORS = 2  # processes making messages: at ~3 ms each, one cannot keep up with the writer
LOAD_CACHE_KB = 1_000_000  # SQLite page cache while loading: the unique and random-keyed indexes stay in memory


def _loading_cache(archive: Archive):
    """Give SQLite connections a large page cache while loading; return how to go back to the default.

    Inserting a million random keys (content hashes, Message-IDs) into B-trees through SQLite's default
    2 MB cache reads and writes a page per row; with the indexes cached it is CPU only. Searching is
    measured afterwards on fresh connections with the archive's own settings.
    """
    if archive.engine.dialect.name != "sqlite":
        return lambda: None

    def bigger(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KB}")

    archive.engine.dispose()
    event.listen(archive.engine, "connect", bigger)

    def undo() -> None:
        event.remove(archive.engine, "connect", bigger)
        archive.engine.dispose()
    return undo


def check_origin(archive: Archive, mail: CouncilMail, held: int) -> None:
    """Refuse to top up a database that this benchmark (with this seed) did not fill."""
    if held and archive.get(held).message_id != mail.message_id(held - 1):
        raise SystemExit(f"{archive.engine.url} holds {held} messages that are not this benchmark's (seed "
                         f"{mail.seed}); use another database or --reset")


def load_to(archive: Archive, seed: int, held: int, target: int, batch: int, label: str,
            photos: bool = False) -> dict[str, Any]:
    """Add messages ``held``..``target``-1, generated in a second process while this one writes.

    Ctrl-C stops after the batch being written (each batch is one transaction); a later run resumes.
    """
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} msg/s"), TimeElapsedColumn(), TimeRemainingColumn()]
    checkpoints: list[tuple[int, float]] = []
    started = time.perf_counter()
    big_cache = _loading_cache(archive)
    with ProcessPoolExecutor(max_workers=GENERATORS, initializer=_start_worker, initargs=(seed, photos)) as pool, \
            Progress(*columns, console=console) as progress:
        task = progress.add_task(f"load {label}", total=target, completed=held, rate="-")
        ranges = deque((s, min(s + batch, target)) for s in range(held, target, batch))
        pending: deque[Future] = deque()
        done, interrupted, writing = held, False, 0.0
        try:
            while ranges or pending:
                while ranges and len(pending) < GENERATORS + 2:
                    pending.append(pool.submit(_make, *ranges.popleft()))
                items = pending.popleft().result()
                begun = time.perf_counter()
                archive.add_many(items, actor="benchmark")
                writing += time.perf_counter() - begun
                done += len(items)
                elapsed = time.perf_counter() - started
                checkpoints.append((done, round(elapsed, 2)))
                progress.update(task, completed=done, rate=f"{(done - held) / elapsed:,.0f}")
        except KeyboardInterrupt:
            interrupted = True
            for future in pending:
                future.cancel()
        finally:
            big_cache()
    seconds = time.perf_counter() - started
    tail = [c for c in checkpoints if c[0] >= done - max(batch, (done - held) // 10)]
    tail_rate = (tail[-1][0] - tail[0][0]) / (tail[-1][1] - tail[0][1]) if len(tail) > 1 else None
    return {"from": held, "to": done, "target": target, "loaded": done - held, "seconds": round(seconds, 1),
            "msgs_per_s": round((done - held) / seconds, 1) if seconds else None,
            "add_many_msgs_per_s": round((done - held) / writing, 1) if writing else None, "photos": photos,
            "last_10pct_msgs_per_s": round(tail_rate, 1) if tail_rate else None, "batch": batch,
            "interrupted": interrupted}


# --- PostgreSQL from SQLite ---------------------------------------------------------------------------------

COPIED = ("records", "recipients", "findings", "attachments", "record_text", "content", "chain")


COPY_STREAMS = 2  # PostgreSQL computes each row's tsvector and phrase keys as it goes in: one core a stream
COPY_FOLLOW_S = 180  # how long to wait for a SQLite archive that is still loading to commit more


def _sqlite_batch(source: sqlite3.Connection, columns: dict[str, list[str]], done: int, upto: int,
                  last_seq: int, top_seq: int) -> dict[str, list]:
    """The rows of records ``done``+1..``upto`` in every copied table, and chain entries up to ``top_seq``."""
    rows = {}
    for name in COPIED:
        cols = ", ".join(columns[name])
        if name == "content":
            sql = (f"SELECT {cols} FROM content WHERE sha256 IN "
                   "(SELECT content_sha256 FROM records WHERE id > ? AND id <= ?)")
            params: tuple = (done, upto)
        elif name == "chain":
            sql, params = f"SELECT {cols} FROM chain WHERE seq > ? AND seq <= ? ORDER BY seq", (last_seq, top_seq)
        else:
            key = "id" if name == "records" else "record_id"
            sql, params = f"SELECT {cols} FROM {name} WHERE {key} > ? AND {key} <= ?", (done, upto)
        rows[name] = source.execute(sql, params).fetchall()
    return rows


def _same_niceness(backend_pid: int) -> None:
    """Run the PostgreSQL backend doing a copy's work at this process's niceness (if allowed to), so a
    load started with ``nice`` leaves the cores to other work as it should."""
    try:
        os.setpriority(os.PRIO_PROCESS, backend_pid, os.getpriority(os.PRIO_PROCESS, 0))
    except OSError:
        pass  # another user's process (a remote server, or not root): it keeps its own niceness


class _InOrder:
    """Lets transactions prepared side by side commit one after another, in batch order.

    So the copied records are always ids 1..N with their chain entries, however a copy is stopped, and a
    later run resumes from N.
    """

    def __init__(self, first: int):
        self.next, self.failed = first, False
        self.cond = threading.Condition()

    def commit(self, number: int, conn: psycopg.Connection) -> bool:
        with self.cond:
            self.cond.wait_for(lambda: self.next == number or self.failed)
            if self.failed:
                return False
            conn.commit()
            self.next += 1
            self.cond.notify_all()
            return True

    def fail(self) -> None:
        with self.cond:
            self.failed = True
            self.cond.notify_all()


def copy_from_sqlite(sqlite_file: str, url: str, held: int, target: int, batch: int, label: str,
                     streams: int = COPY_STREAMS) -> dict[str, Any]:
    """Copy records ``held``+1..``target`` (and their chain entries) from this benchmark's SQLite archive.

    The same messages as a load through ``add_many`` would write, row for row with the same chain (its
    hashes cover values, not the database), in a fraction of the time: generating, hashing and
    compressing were done once for SQLite, and PostgreSQL still indexes every row itself (``tsv`` and
    the phrase index are computed as the rows go in, which is most of the cost, so ``streams``
    connections COPY batches side by side). Each batch is one transaction, committed in order, so a copy
    stopped part way resumes; the SQLite archive may still be loading: only what it has committed is
    copied, and the copy waits up to COPY_FOLLOW_S for more.
    """
    from councilguard.records.schema import Base

    source = sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True)
    plain = make_url(resolve_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)
    columns = {name: [c.name for c in Base.metadata.tables[name].columns] for name in COPIED}
    jobs: queue.Queue = queue.Queue(maxsize=streams)
    order = _InOrder(0)
    copied = [held]
    errors: list[BaseException] = []

    def stream() -> None:
        with psycopg.connect(plain) as conn:
            # SQLite holds UTC times without a zone; a bigger GIN pending list merges new entries in fewer,
            # larger sorted passes (a session setting: the indexes themselves are as the migrations made them)
            conn.execute("SET TimeZone = 'UTC'; SET gin_pending_list_limit = '32MB'; SET work_mem = '256MB'")
            _same_niceness(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
            conn.commit()
            while (job := jobs.get()) is not None:
                number, upto, rows = job
                try:
                    if order.failed:
                        continue
                    with conn.cursor() as cursor:
                        for name in COPIED:
                            with cursor.copy(f"COPY {name} ({', '.join(columns[name])}) FROM STDIN") as copy:
                                for row in rows[name]:
                                    copy.write_row(row)
                    if order.commit(number, conn):
                        copied[0] = upto
                    else:
                        conn.rollback()
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    errors.append(exc)
                    order.fail()
                    conn.rollback()

    workers = [threading.Thread(target=stream, name=f"copy-{i}", daemon=True) for i in range(streams)]
    for worker in workers:
        worker.start()
    done, started, interrupted, number = held, time.perf_counter(), False, 0
    with psycopg.connect(plain, autocommit=True) as target_db, Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), console=console) as progress:
        task = progress.add_task(f"copy {label}", total=target, completed=held)
        last_seq = target_db.execute("SELECT coalesce(max(seq), 0) FROM chain").fetchone()[0]
        waited = 0.0
        try:
            while done < target and not order.failed:
                source.execute("BEGIN")  # one snapshot of a database that may still be loading
                try:
                    upto = min(target, done + batch, source.execute("SELECT coalesce(max(id), 0) FROM records")
                               .fetchone()[0])
                    if upto > done:
                        top_seq = source.execute("SELECT max(seq) FROM chain WHERE record_id <= ?",
                                                 (upto,)).fetchone()[0]
                        rows = _sqlite_batch(source, columns, done, upto, last_seq, top_seq)
                finally:
                    source.execute("COMMIT")
                if upto <= done:  # SQLite holds no more yet
                    if waited >= COPY_FOLLOW_S:
                        break
                    time.sleep(10)
                    waited += 10
                    continue
                waited = 0.0
                jobs.put((number, upto, rows))
                number, done, last_seq = number + 1, upto, top_seq
                progress.update(task, completed=copied[0])
        except KeyboardInterrupt:
            interrupted = True
        finally:
            for _ in workers:
                jobs.put(None)
            for worker in workers:
                worker.join()
        done = copied[0]
        target_db.execute("SELECT setval(pg_get_serial_sequence('records', 'id'), greatest(1, (SELECT max(id) FROM "
                          "records)))")
        if errors:
            raise errors[0]
    source.close()
    seconds = time.perf_counter() - started
    return {"from": held, "to": done, "target": target, "loaded": done - held, "seconds": round(seconds, 1),
            "msgs_per_s": round((done - held) / seconds, 1) if seconds else None, "copied_from": sqlite_file,
            "batch": batch, "interrupted": interrupted or done < target}


# --- measuring ----------------------------------------------------------------------------------------------


class CpuClock:
    """CPU time spent on a search: this process's, plus (PostgreSQL) the server backends' serving it.

    On a shared machine wall-clock latency mostly measures the queue for a core (load averages of 10 on
    two cores are common while other work runs); CPU time is what the search itself costs, which is what
    its latency is on an idle machine apart from waiting for the disk. Linux's /proc/PID/schedstat
    gives it in nanoseconds. PostgreSQL's parallel workers (short-lived processes) are not counted.
    """

    def __init__(self, archive: Archive):
        self.backends: set[int] = set()
        if archive.engine.dialect.name == "postgresql":
            event.listen(archive.engine, "connect", self._connected)
            archive.engine.dispose()  # so every connection from here on is seen connecting

    def _connected(self, dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backends.add(cursor.fetchone()[0])

    def __call__(self) -> float:
        """Seconds of CPU so far."""
        total = time.process_time()
        for pid in list(self.backends):
            try:
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                self.backends.discard(pid)  # the backend has gone (the pool closed its connection)
        return total


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(values, 0.5), 2), "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2)}


def measure(archive: Archive, queries: list[Query], repeat: int, label: str) -> dict[str, Any]:
    """Each query once to warm up, then ``repeat`` timed rounds in shuffled order (wall clock and CPU)."""
    times: dict[int, list[float]] = {i: [] for i in range(len(queries))}
    cpu: dict[int, list[float]] = {i: [] for i in range(len(queries))}
    hits: dict[int, tuple[int, bool]] = {}
    order = list(range(len(queries)))
    rng = random.Random(f"order-{label}")
    clock = CpuClock(archive)
    load_before = os.getloadavg()[0]
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        task = progress.add_task(f"search {label}", total=len(queries) * (repeat + 1))
        for round_ in range(repeat + 1):
            rng.shuffle(order)
            for i in order:
                start, start_cpu = time.perf_counter(), clock()
                page = archive.search(queries[i].criteria, limit=PAGE)
                ms, cpu_ms = (time.perf_counter() - start) * 1000, (clock() - start_cpu) * 1000
                if round_:
                    times[i].append(ms)
                    cpu[i].append(cpu_ms)
                hits[i] = (len(page.hits), page.has_more)
                progress.advance(task)
    kinds: dict[str, Any] = {}
    for kind in (*KINDS, "overall"):
        picked = [i for i, q in enumerate(queries) if kind in ("overall", q.kind)]
        kinds[kind] = {**_summary([t for i in picked for t in times[i]]),
                       "cpu": _summary([t for i in picked for t in cpu[i]]),
                       "queries": len(picked), "timings": len(picked) * repeat}
    per_query = sorted(({"kind": q.kind, "criteria": q.label, "median_ms": round(percentile(times[i], 0.5), 2),
                         "median_cpu_ms": round(percentile(cpu[i], 0.5), 2), "hits": hits[i][0], "more": hits[i][1]}
                        for i, q in enumerate(queries)), key=lambda r: -r["median_cpu_ms"])
    return {"kinds": kinds, "queries": per_query, "empty": [r["criteria"] for r in per_query if not r["hits"]],
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def explain(archive: Archive, queries: list[Query], timed: list[dict[str, Any]]) -> dict[str, str]:
    """The plan of each kind's slowest query (``timed`` is slowest first), as the database runs it."""
    seen: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(archive.engine, "before_cursor_execute", capture)
    plans: dict[str, str] = {}
    try:
        for kind in KINDS:
            slowest = next(r["criteria"] for r in timed if r["kind"] == kind)
            query = next(q for q in queries if q.kind == kind and q.label == slowest)
            seen.clear()
            archive.search(query.criteria, limit=PAGE)
            statement, parameters = seen[-1]
            is_pg = archive.engine.dialect.name == "postgresql"
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if is_pg else "EXPLAIN QUERY PLAN "
            with archive.engine.connect() as conn:
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            lines = [r[0] for r in rows] if is_pg else [f"{'  ' * _depth(rows, r)}{r[-1]}" for r in rows]
            plans[f"{kind}: {query.label}"] = "\n".join(lines)
    finally:
        event.remove(archive.engine, "before_cursor_execute", capture)
    return plans


def _depth(rows: list, row: Any) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


# --- output -------------------------------------------------------------------------------------------------


def print_table(results: dict[str, Any]) -> None:
    table = Table(title=f"Archive search, page of {PAGE} (target p95 < {TARGET_P95_MS:.0f} ms at 1M): "
                        "CPU time (client + server) and wall clock")
    for name, justify in (("backend", "left"), ("messages", "right"), ("kind", "left"), ("cpu p50", "right"),
                          ("cpu p95", "right"), ("wall p50", "right"), ("wall p95", "right"), ("load", "right"),
                          ("queries", "right")):
        table.add_column(name, justify=justify)
    for key, run in sorted(results.items(), key=lambda kv: (kv[1]["backend"], kv[1]["messages"])):
        load = "-".join(f"{x:g}" for x in run["search"].get("load_average", []))
        for kind, k in run["search"]["kinds"].items():
            style = "bold" if kind == "overall" else ""
            cpu = k.get("cpu", {})

            def red(value: float | None) -> str:
                if value is None:
                    return "-"
                shown = f"{value:,.1f}"
                return f"[red]{shown}[/red]" if value >= TARGET_P95_MS else shown

            table.add_row(run["backend"], f"{run['messages']:,}", kind, f"{cpu.get('p50_ms', 0):,.1f}",
                          red(cpu.get("p95_ms")), f"{k['p50_ms']:,.1f}", red(k["p95_ms"]), load, str(k["queries"]),
                          style=style)
        table.add_section()
    console.print(table)


def save(results: dict[str, Any], loads: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """Merge this run's figures into the JSON file (by backend and size) and return everything in it."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    data.setdefault("runs", {}).update(results)
    data.setdefault("loads", []).extend(loads)
    data["updated_at"] = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    data["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                       "sqlite": sqlite3.sqlite_version}
    data["method"] = {"page": PAGE, "queries_per_kind": args.queries, "repeat": args.repeat, "seed": args.seed,
                      "warm": "each query run once untimed first"}
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    console.print(f"figures written to {OUT}")
    return data


# --- main ---------------------------------------------------------------------------------------------------


def run_backend(backend: str, url: str, args: argparse.Namespace, results: dict, loads: list) -> None:
    prepare(backend, url, args.reset)
    mail = CouncilMail(args.seed)
    archive = Archive.open(url)
    try:
        for size in args.sizes:
            held = archive.count()
            check_origin(archive, mail, held)
            label = f"{backend} {size:,}"
            if held > size:
                console.print(f"[yellow]{label}: the database already holds {held:,} messages; skipped "
                              f"(use --reset, or another database, to measure this size again)")
                continue
            if held < size and backend == "postgresql" and args.copy_from_sqlite:
                load = copy_from_sqlite(args.sqlite, url, held, size, args.batch, label)
                loads.append({"backend": backend, **load})
                console.print(f"{label}: copied {load['loaded']:,} messages from {args.sqlite} in "
                              f"{load['seconds']:,.0f} s ({load['msgs_per_s'] or 0:,.0f} msg/s)")
            elif held < size:
                load = load_to(archive, args.seed, held, size, args.batch, label, args.photos)
                loads.append({"backend": backend, **load})
                console.print(f"{label}: loaded {load['loaded']:,} messages in {load['seconds']:,.0f} s "
                              f"({load['msgs_per_s']:,.0f} msg/s; last 10%: {load['last_10pct_msgs_per_s']} msg/s; "
                              f"in add_many: {load['add_many_msgs_per_s']:,.0f} msg/s)")
            if held < size:
                if load["interrupted"]:
                    console.print(f"[yellow]{label}: stopped at {load['to']:,} messages; run again to resume")
                    return
                settle(archive)
            if args.load_only:
                continue
            queries = query_mix(mail, args.queries, args.seed, size)
            run = {"backend": backend, "messages": size, "database": url, "bytes_on_disk": size_on_disk(archive),
                   "measured_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                   "search": measure(archive, queries, args.repeat, label)}
            if args.explain:
                run["plans"] = explain(archive, queries, run["search"]["queries"])
                for name, plan in run["plans"].items():
                    console.print(f"[bold]{label} {name}[/bold]\n{plan}\n")
            results[f"{backend}@{size}"] = run
            for row in run["search"]["queries"][:3]:
                console.print(f"  slow: {row['kind']:<9} cpu {row['median_cpu_ms']:>7,.1f} ms, wall "
                              f"{row['median_ms']:>7,.1f} ms  {row['criteria']}")
    finally:
        archive.close()
        if args.drop:
            drop(backend, url)
            console.print(f"dropped {url}")


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # `kill PID` stops a load the way Ctrl-C does: after the batch being written


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000",
                        type=lambda s: sorted(int(x.replace("_", "")) for x in s.split(",")))
    parser.add_argument("--backends", default="sqlite,postgresql", type=lambda s: s.split(","))
    parser.add_argument("--sqlite", default=SQLITE_DEFAULT, help="SQLite file (kept for reuse)")
    parser.add_argument("--postgres", default=POSTGRES_DEFAULT, help="PostgreSQL URL (database created if missing)")
    parser.add_argument("--batch", type=int, default=2000, help="messages per add_many transaction")
    parser.add_argument("--queries", type=int, default=20, help="distinct queries per kind")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="print and keep each kind's query plan")
    parser.add_argument("--load-only", action="store_true", help="load up to the sizes, measure nothing")
    parser.add_argument("--reset", action="store_true", help="empty the databases first")
    parser.add_argument("--drop", action="store_true", help="drop the databases at the end")
    parser.add_argument("--copy-from-sqlite", action="store_true",
                        help="fill PostgreSQL by copying the SQLite archive's rows (see copy_from_sqlite)")
    parser.add_argument("--photos", action="store_true",
                        help="PDFs carry incompressible photographs (~55 GB a million; see the docstring)")
    args = parser.parse_args(argv)
    unknown = set(args.backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown backend {', '.join(sorted(unknown))}; use sqlite and/or postgresql")
    results: dict[str, Any] = {}
    loads: list[dict[str, Any]] = []
    try:
        for backend in args.backends:
            run_backend(backend, args.sqlite if backend == "sqlite" else args.postgres, args, results, loads)
    finally:
        if results or loads:
            runs = save(results, loads, args)["runs"]
            if runs:
                print_table(runs)  # this run's figures and those kept from earlier runs
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
