#!/usr/bin/env python3
"""Speed and memory of the checker, with every detector of the Croxley Green pack running.

Prints p50/p95 latency of one check (a 280-character post and a 3,000-character e-mail) pinned to
one core, batch throughput, the CLI's cold start, and peak memory. Targets (issue 7): post p95 < 15 ms,
e-mail p95 < 60 ms, cold start < 2 s, peak memory < 400 MB.

    .venv/bin/python benchmarks/latency.py [--runs 300] [--stages]

``--stages`` adds where the time goes: each detector (a shared analysis is charged to the first
detector that asks for it), the screen and the conduct model inside ``judge.conduct``, and how many
checks reached the model, whose one ONNX run per passage is what the p95 of a post is made of.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import email_3000, post_280  # noqa: E402
from timing import percentile, pin_to_one_core  # noqa: E402


def time_checks(checker, messages: list[dict], runs: int) -> list[float]:
    out = []
    for i in range(runs):
        msg = messages[i % len(messages)]
        start = time.perf_counter()
        checker.check(msg)
        out.append((time.perf_counter() - start) * 1000)
    return out


MODEL = "  of which conduct model (prepare, tokenise, ONNX)"


def stage_times(checker, messages: list[dict], runs: int) -> tuple[dict[str, list[float]], list[float], int]:
    """Per check: ms in each stage, total ms, and how many checks ran the conduct model on some passage.

    Times are taken by wrapping the bound detector functions, the screen and the model's ``logits``
    for the duration of this measurement only (it is separate from the figures above).
    """
    from collections import defaultdict

    from councilguard.classify.conduct import default_conduct_model
    from councilguard.classify.screen import default_screen

    spent: dict[str, float] = defaultdict(float)
    passages = [0]

    def timed(name, fn):
        def run(*args, **kwargs):
            if name == MODEL:
                passages[0] += len(args[0])
            start = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                return list(result) if name.startswith("detector ") else result
            finally:
                spent[name] += (time.perf_counter() - start) * 1000
        return run

    specs = {b.spec.id: b.spec for b in checker._bindings}
    originals = {sid: spec.fn for sid, spec in specs.items()}
    model, screen = default_conduct_model(), default_screen()
    try:
        for sid, spec in specs.items():
            object.__setattr__(spec, "fn", timed(f"detector {sid}", spec.fn))  # frozen dataclass
        model.logits = timed(MODEL, model.logits)
        screen.passes = timed("  of which screen", screen.passes)
        checks: list[dict[str, float]] = []
        totals, with_model = [], 0
        for i in range(runs):
            spent.clear()
            passages[0] = 0
            start = time.perf_counter()
            checker.check(messages[i % len(messages)])
            totals.append((time.perf_counter() - start) * 1000)
            with_model += passages[0] > 0
            checks.append(dict(spent))
    finally:
        for sid, spec in specs.items():
            object.__setattr__(spec, "fn", originals[sid])
        del model.logits, screen.passes
    per_stage = {name: [c.get(name, 0.0) for c in checks] for name in {n for c in checks for n in c}}
    return per_stage, totals, with_model


def print_stages(label: str, per_stage: dict[str, list[float]], totals: list[float], with_model: int) -> None:
    print(f"\n{label}: {len(totals)} checks, {with_model} ran the conduct model; "
          f"total p50 {percentile(totals, 0.5):.2f} ms, p95 {percentile(totals, 0.95):.2f} ms")
    detectors = sorted((kv for kv in per_stage.items() if kv[0].startswith("detector ")), key=lambda kv: -sum(kv[1]))
    parts = sorted((kv for kv in per_stage.items() if not kv[0].startswith("detector ")), key=lambda kv: -sum(kv[1]))
    rows = []
    for row in detectors:  # the model and the screen run inside judge.conduct: show them under it
        rows += [row, *parts] if row[0] == "detector judge.conduct" else [row]
    width = max(len(name) for name, _ in rows)
    print(f"  {'stage':<{width}}  {'mean ms':>8}  {'p95 ms':>8}  {'max ms':>8}")
    for name, values in rows:
        if sum(values) / len(values) >= 0.005:
            print(f"  {name:<{width}}  {sum(values) / len(values):8.3f}  {percentile(values, 0.95):8.3f}  {max(values):8.3f}")


COLD_TEXTS = {
    "cli_cold_start_s": "Cllr Hargreaves is a spineless idiot who should crawl back under his rock.",
    # a draft with personal data also imports Presidio and spaCy (whose NER model loads only if a name is needed)
    "cli_cold_start_with_personal_data_s": "Mrs Jenkins at 14 Frankland Road has complained, her number is 07700 900123.",
}


def cold_start(text: str, runs: int = 5) -> tuple[float, float]:
    exe = Path(sys.executable).parent / "councilguard"
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "councilguard"]),
           "check", "--format", "json", text]
    times, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/env", "time", "-f", "%M", *cmd], capture_output=True, text=True) \
            if Path("/usr/bin/time").exists() else subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        if last.isdigit():
            rss.append(int(last) / 1024)
    return statistics.median(times), max(rss) if rss else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument("--stages", action="store_true", help="also show the time spent in each stage of a check")
    args = ap.parse_args()
    pin_to_one_core()
    rng = random.Random(7)
    posts = [post_280(rng) for _ in range(50)]
    emails = [email_3000(rng) for _ in range(30)]

    from councilguard import Checker

    t0 = time.perf_counter()
    checker = Checker.from_pack("croxley-green")
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    checker.warm_up()
    warm = time.perf_counter() - t0
    time_checks(checker, posts + emails, 40)

    post_ms = time_checks(checker, posts, args.runs)
    email_ms = time_checks(checker, emails, max(args.runs // 3, 60))
    batch = (posts * 10)[:500]
    start = time.perf_counter()
    for m in batch:
        checker.check(m)
    throughput = len(batch) / (time.perf_counter() - start)
    in_process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    colds = {key: cold_start(text) for key, text in COLD_TEXTS.items()}

    figures = {
        "post_280_p50_ms": round(percentile(post_ms, 0.50), 2),
        "post_280_p95_ms": round(percentile(post_ms, 0.95), 2),
        "email_3000_p50_ms": round(percentile(email_ms, 0.50), 2),
        "email_3000_p95_ms": round(percentile(email_ms, 0.95), 2),
        "batch_posts_per_s_one_core": round(throughput, 1),
        "checker_build_s": round(build, 3),
        "first_check_with_model_load_s": round(warm, 3),
        **{key: round(t, 3) for key, (t, _) in colds.items()},
        "cli_peak_rss_mb": round(max(rss for _, rss in colds.values()), 1),
        "benchmark_process_peak_rss_mb": round(in_process_peak, 1),
    }
    targets = {"post_280_p95_ms": 15, "email_3000_p95_ms": 60, "cli_cold_start_s": 2,
               "cli_cold_start_with_personal_data_s": 2, "cli_peak_rss_mb": 400,
               "benchmark_process_peak_rss_mb": 400}
    width = max(map(len, figures))
    for key, value in figures.items():
        target = targets.get(key)
        mark = "" if target is None else (f"  (target < {target}: {'met' if value < target else 'MISSED'})")
        print(f"{key:<{width}}  {value}{mark}")
    if args.json:
        print(json.dumps(figures))
    if args.stages:
        print_stages("posts", *stage_times(checker, posts, args.runs))
        print_stages("e-mails", *stage_times(checker, emails, max(args.runs // 3, 60)))


if __name__ == "__main__":
    main()
