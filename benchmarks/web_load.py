#!/usr/bin/env python3
"""Load test of the web app: 50 councillors, each checking a draft every 5 to 10 seconds.

Starts ``councilguard serve`` on a fresh SQLite file, on loopback, in its own process; makes the Proper
Officer's account (``/setup``) and the councillors' accounts (``POST /api/accounts``); then runs locust,
headless and as a library, in a second process: each simulated councillor signs in like a browser
(``/sign-in`` form, then ``GET /api/me`` for the CSRF token) and then posts a real draft to
``POST /api/check`` every 5 to 10 seconds (uniform, seeded). Drafts are the texts of
``data/council/test.jsonl`` and ``tests/cases/public/messages.jsonl``. Prints how many checks were made,
how many failed, p50/p95/p99 latency of the check as the client saw it, and the server's CPU and memory.
Target (issue 10): p95 of the check under 100 ms on the 2-core machine. Traffic never leaves 127.0.0.1,
and the run stops by itself after ``--duration`` seconds.

    .venv/bin/python benchmarks/web_load.py [--duration 120] [--users 50] [--seed 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# No HTTP or SSL module is imported at the top: the generator process lets locust (gevent) patch them first.
ROOT = Path(__file__).resolve().parent.parent
DRAFT_FILES = (ROOT / "data/council/test.jsonl", ROOT / "tests/cases/public/messages.jsonl")
_CONTRACT = ("kind", "channel", "account", "capacity", "text", "subject", "from", "to", "cc", "bcc", "forwarded",
             "in_reply_to", "authorisations")  # no author (the server uses the signed-in one), no attachments
CLERK = {"email": "clerk@croxleygreen-pc.gov.uk", "name": "Helen Marsh", "password": "load test clerk pass"}
PASSWORD = "load test councillor"
CHECK = "POST /api/check"


def drafts() -> list[dict]:
    """Every draft of the two corpora, as the check contract takes it (no ids, authors or files)."""
    found = []
    for path in DRAFT_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                message = json.loads(line)
                found.append({k: message[k] for k in _CONTRACT if k in message})
    return found


# --- the generator: a separate process running locust ---------------------------------------------------

def generate(host: str, users: int, duration: float, seed: int, out: Path) -> None:
    """Run ``users`` councillors against ``host`` for ``duration`` seconds; write every timing to ``out``."""
    import gevent
    from locust import HttpUser, between, events, task
    from locust.env import Environment
    import random
    import re

    random.seed(seed)  # locust's between() draws from the module's generator
    texts = drafts()
    checks: list[tuple[float, float]] = []  # (when it started, epoch s; milliseconds), every check made
    signed_in: list[float] = []  # when each councillor was ready to check (epoch s)
    errors: dict[str, int] = {}
    numbers = iter(range(users))

    @events.request.add_listener
    def record(request_type, name, response_time, exception, start_time=None, **_kwargs):
        label = f"{request_type} {name}"
        if exception is not None:
            key = f"{label}: {type(exception).__name__}: {str(exception)[:120]}"
            errors[key] = errors.get(key, 0) + 1
        elif label == CHECK:
            checks.append((start_time or 0.0, response_time))
        elif label == "GET /api/me":
            signed_in.append((start_time or 0.0) + response_time / 1000)

    class Councillor(HttpUser):
        wait_time = between(5, 10)

        def on_start(self) -> None:
            self.number = next(numbers)
            self.rng = random.Random(seed * 1000 + self.number)
            page = self.client.get("/sign-in", name="/sign-in").text
            token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
            self.client.post("/sign-in", name="/sign-in", allow_redirects=False,
                             data={"email": councillor_email(self.number), "password": PASSWORD, "csrf_token": token})
            self.csrf = self.client.get("/api/me", name="/api/me").json()["csrf_token"]

        @task
        def check(self) -> None:
            draft = self.rng.choice(texts)
            with self.client.post("/api/check", json=draft, headers={"X-CSRF-Token": self.csrf},
                                  name="/api/check", catch_response=True) as answer:
                if answer.status_code != 200 or "verdict" not in answer.json():
                    answer.failure(f"{answer.status_code}: {answer.text[:200]}")

    env = Environment(user_classes=[Councillor], host=host, events=events)
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=max(1, users // 10))  # all signed in within ~10 s
    gevent.get_hub().loop.update_now()  # the loop's clock is stale until it first runs
    gevent.spawn_later(duration, runner.quit)
    runner.greenlet.join()
    total = env.stats.total
    out.write_text(json.dumps({"checks": checks, "signed_in": signed_in, "errors": errors,
                               "requests": total.num_requests, "failures": total.num_failures,
                               "seconds": time.monotonic() - started}))


# --- the conductor: server, accounts, generator, figures --------------------------------------------------

def councillor_email(n: int) -> str:
    return f"cllr.load{n:02d}@croxleygreen-pc.gov.uk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerCpu:
    """CPU seconds and peak memory of one process, from /proc (Linux)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.tick = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime

    def peak_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def start_server(db: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "councilguard"
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "councilguard"]),
           "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(db)]
    env = {**os.environ, "COUNCILGUARD_SECRET_KEY": "load-test-only"}
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_until_up(client, server: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read()}")
        try:
            client.get("/sign-in")
            return
        except httpx.TransportError:
            time.sleep(0.25)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def make_accounts(client, users: int) -> None:
    """The Proper Officer by first-run set-up, then each councillor through the JSON API; then a few
    checks as the Clerk, which are not counted."""
    import re

    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get("/setup").text).group(1)
    made = client.post("/setup", data={**CLERK, "csrf_token": token})
    assert made.status_code == 303, made.text
    csrf = client.get("/api/me").json()["csrf_token"]
    for n in range(users):
        answer = client.post("/api/accounts", headers={"X-CSRF-Token": csrf},
                             json={"email": councillor_email(n), "name": f"Councillor Load {n:02d}",
                                   "role": "councillor", "password": PASSWORD})
        assert answer.status_code == 201, answer.text
    for draft in drafts()[:20]:  # as a server that has been up a while: every detector has run once
        client.post("/api/check", json=draft, headers={"X-CSRF-Token": csrf}).raise_for_status()


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def conduct(args: argparse.Namespace) -> dict:
    import httpx

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="councilguard-load-") as tmp:
        server = start_server(Path(tmp) / "councilguard.db", port)
        try:
            with httpx.Client(base_url=host, timeout=30) as client:
                wait_until_up(client, server)
                make_accounts(client, args.users)
            cpu = ServerCpu(server.pid)
            out = Path(tmp) / "timings.json"
            before, wall = cpu.cpu_seconds(), time.monotonic()
            subprocess.run([sys.executable, __file__, "--generate", "--host", host, "--users", str(args.users),
                            "--duration", str(args.duration), "--seed", str(args.seed), "--out", str(out)],
                           check=True)
            server_cpu, wall = cpu.cpu_seconds() - before, time.monotonic() - wall
            peak = cpu.peak_mb()
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        run = json.loads(out.read_text())
    checks = [ms for _, ms in run["checks"]]
    ready = max(run["signed_in"], default=0.0)  # after this, no sign-in (argon2) competes with the checks
    steady = [ms for started, ms in run["checks"] if started >= ready]
    return {
        "users": args.users, "duration_s": round(run["seconds"], 1), "requests": run["requests"],
        "failures": run["failures"], "errors": run["errors"], "checks": len(checks),
        "checks_per_s": round(len(checks) / run["seconds"], 2),
        "check_ms": {"p50": round(percentile(checks, 0.50), 1), "p95": round(percentile(checks, 0.95), 1),
                     "p99": round(percentile(checks, 0.99), 1), "max": round(max(checks), 1)} if checks else {},
        "steady_checks": len(steady),
        "steady_check_ms": {"p50": round(percentile(steady, 0.50), 1), "p95": round(percentile(steady, 0.95), 1),
                            "p99": round(percentile(steady, 0.99), 1)} if steady else {},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_percent_of_one_core": round(100 * server_cpu / wall, 1),
        "server_peak_mb": round(peak, 0), "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (default 120)")
    parser.add_argument("--users", type=int, default=50, help="simulated councillors (default 50)")
    parser.add_argument("--seed", type=int, default=10, help="seed of the waits and the drafts chosen")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)  # the generator process
    parser.add_argument("--host", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.duration <= 0 or args.users <= 0:
        parser.error("--duration and --users must be more than 0")
    if args.generate:
        if not (args.host or "").startswith("http://127."):
            parser.error("the generator only sends traffic to 127.0.0.0/8")
        generate(args.host, args.users, args.duration, args.seed, args.out)
        return
    figures = conduct(args)
    check = figures["check_ms"]
    print(f"{figures['users']} councillors for {figures['duration_s']} s: {figures['checks']} checks "
          f"({figures['checks_per_s']}/s), {figures['requests']} requests in all, {figures['failures']} failed")
    if check:
        print(f"check latency: p50 {check['p50']} ms, p95 {check['p95']} ms, p99 {check['p99']} ms, "
              f"max {check['max']} ms (target p95 < 100 ms: {'met' if check['p95'] < 100 else 'NOT met'})")
    if figures["steady_check_ms"]:
        steady = figures["steady_check_ms"]
        print(f"  once all were signed in ({figures['steady_checks']} checks): p50 {steady['p50']} ms, "
              f"p95 {steady['p95']} ms, p99 {steady['p99']} ms")
    print(f"server: {figures['server_cpu_s']} CPU s, {figures['server_cpu_percent_of_one_core']}% of one core "
          f"on average, peak memory {figures['server_peak_mb']:.0f} MB ({figures['cores']} cores, load average "
          f"{figures['load_average_1min']} at the end: above about 2, other work was competing for the cores)")
    for error, count in figures["errors"].items():
        print(f"  error x{count}: {error}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
