#!/usr/bin/env python3
"""The archive's write path: bulk import throughput, and what keeping one relayed message costs.

Two figures the issue asks for, on SQLite and PostgreSQL:

- ``add_many`` (``councilguard archive import``): messages per second for the benchmark mix of
  ``archive_corpus.py`` (~3,000-character e-mails, one in five with a 200 KB PDF whose text is indexed),
  with the messages generated beforehand so only the archive is timed; target >= 2,000 msg/s on SQLite.
- ``keep`` (the relay, once per message, after the check): milliseconds for a 3,000-character e-mail with
  a 200 KB PDF, on an archive already holding ``--preload`` messages; target <= 3 ms on SQLite. It is
  split into its parts: validating the item, hashing and compressing it (outside the write lock), writing
  the rows (the full-text index included), and the commit, which waits for the disk to confirm the write
  (fsync) so that a record the relay has answered 250 for survives a power cut. Extracting the PDF's text
  is not in it: the relay's parser does that before the check.

The PDFs carry photographs (``--letterheads`` for the compressible kind), the worst case for hashing and
compressing. Each backend gets a new database, dropped at the end.

    .venv/bin/python benchmarks/archive_write.py [--backends sqlite,postgresql] [--preload 20000]
        [--keeps 300] [--batch 2000] [--letterheads]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from archive_corpus import CouncilMail  # noqa: E402
from archive_search import drop, prepare  # noqa: E402
from timing import percentile  # noqa: E402

from councilguard.records import archive_write, db, pg_index, pg_keep  # noqa: E402
from councilguard.records.archive import Archive  # noqa: E402

POSTGRES = "postgresql://postgres@127.0.0.1:5432/cg_bench_write"
OUT = HERE / "out" / "archive_write.json"


def bulk(archive: Archive, items: list, batch: int) -> dict[str, Any]:
    started = time.perf_counter()
    for start in range(0, len(items), batch):
        archive.add_many([(item, None) for item in items[start:start + batch]], actor="benchmark")
    seconds = time.perf_counter() - started
    return {"messages": len(items), "seconds": round(seconds, 2), "msgs_per_s": round(len(items) / seconds, 1)}


def keep_parts(archive: Archive, item) -> dict[str, float]:
    """One ``Archive.keep``, step by step as it runs, each step timed (ms). On PostgreSQL the write and the
    commit are one pipelined exchange (``records/pg_keep.py``), so they are timed together."""
    t0 = time.perf_counter()
    valid = item.validated()
    t1 = time.perf_counter()
    prepared = archive_write.Prepared.of(valid)
    t2 = time.perf_counter()
    if archive.engine.dialect.name == "postgresql":
        pg_keep.keep(archive.engine, prepared, actor="relay")
        t3 = t4 = time.perf_counter()
        return {"validate": (t1 - t0) * 1000, "hash+compress": (t2 - t1) * 1000, "write+commit": (t3 - t2) * 1000,
                "total": (t4 - t0) * 1000}
    with db.write_session(archive._sessions) as s:
        archive_write.write(s, [(prepared, None)], actor="relay", duplicate=True)
        t3 = time.perf_counter()
    t4 = time.perf_counter()
    return {"validate": (t1 - t0) * 1000, "hash+compress": (t2 - t1) * 1000, "rows+index": (t3 - t2) * 1000,
            "commit": (t4 - t3) * 1000, "total": (t4 - t0) * 1000}


def keeps(archive: Archive, pdf_items: list, plain_items: list) -> dict[str, Any]:
    """``Archive.keep`` itself for each item, then the same steps timed one by one on fresh items. On
    PostgreSQL also the relay's way, the text left to be indexed just after (``index_later``), and what
    indexing it then costs, per message, in the background."""
    def summary(values: list[float]) -> dict[str, float]:
        return {"p50_ms": round(percentile(values, 0.5), 2), "p95_ms": round(percentile(values, 0.95), 2),
                "mean_ms": round(statistics.fmean(values), 2)}

    out: dict[str, Any] = {}
    later = archive.engine.dialect.name == "postgresql"
    for label, group in (("pdf", pdf_items), ("plain", plain_items)):
        share = len(group) // 3 if later else len(group) // 2
        whole, deferred = [], []
        for item in group[:share]:
            start = time.perf_counter()
            archive.keep(item, actor="relay")
            whole.append((time.perf_counter() - start) * 1000)
        parts = [keep_parts(archive, item) for item in group[share:2 * share if later else None]]
        out[label] = {"keep": summary(whole), "parts": {k: summary([p[k] for p in parts]) for k in parts[0]}}
        if later:
            for item in group[2 * share:]:
                start = time.perf_counter()
                archive.keep(item, actor="relay", index_later=True)
                deferred.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            indexed = pg_index.catch_up(archive.engine)
            out[label]["keep_index_later"] = summary(deferred)
            out[label]["indexing_after_ms"] = round((time.perf_counter() - start) * 1000 / max(indexed, 1), 2)
    return out


def run(backend: str, args: argparse.Namespace, mail: CouncilMail) -> dict[str, Any]:
    url = str(Path(tempfile.gettempdir()) / "cg_bench_write.db") if backend == "sqlite" else POSTGRES
    prepare(backend, url, reset=True)
    print(f"{backend}: generating {args.preload + 5 * args.keeps:,} messages …", flush=True)
    items = [mail.item(i) for i in range(args.preload)]
    extra = [mail.item(i) for i in range(args.preload, args.preload + 5 * args.keeps)]
    pdf_items = [i for i in extra if i.attachments][:args.keeps]
    plain_items = [i for i in extra if not i.attachments][:args.keeps]
    archive = Archive.open(url)
    try:
        loaded = bulk(archive, items, args.batch)
        print(f"{backend}: add_many {loaded['msgs_per_s']:,.0f} msg/s ({loaded['messages']:,} messages in "
              f"{loaded['seconds']:,.1f} s)", flush=True)
        kept = keeps(archive, pdf_items, plain_items)
        for label, figures in kept.items():
            parts = ", ".join(f"{k} {v['p50_ms']:.2f}" for k, v in figures["parts"].items())
            print(f"{backend}: keep ({label}) p50 {figures['keep']['p50_ms']:.2f} ms, p95 "
                  f"{figures['keep']['p95_ms']:.2f} ms; parts p50: {parts}", flush=True)
            if "keep_index_later" in figures:
                print(f"{backend}: keep ({label}, indexed just after, as the relay does) p50 "
                      f"{figures['keep_index_later']['p50_ms']:.2f} ms, p95 {figures['keep_index_later']['p95_ms']:.2f}"
                      f" ms; indexing it after: {figures['indexing_after_ms']:.2f} ms a message", flush=True)
        verified = archive.verify(content=False)
        if not verified.ok:
            raise SystemExit(f"{backend}: the chain does not verify: {verified.first}")
    finally:
        archive.close()
        drop(backend, url)
    return {"backend": backend, "add_many": loaded, "keep": kept}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql", type=lambda s: s.split(","))
    parser.add_argument("--preload", type=int, default=20_000, help="messages loaded with add_many first")
    parser.add_argument("--keeps", type=int, default=300, help="messages kept one by one, of each kind")
    parser.add_argument("--batch", type=int, default=2000, help="messages per add_many call")
    parser.add_argument("--letterheads", action="store_true", help="compressible PDF images, not photographs")
    args = parser.parse_args(argv)
    mail = CouncilMail(1, photos=not args.letterheads)
    results = [run(backend, args, mail) for backend in args.backends]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"measured_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                               "cpus": os.cpu_count(), "photos": not args.letterheads, "preload": args.preload,
                               "results": results}, indent=2) + "\n")
    print(f"figures written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
