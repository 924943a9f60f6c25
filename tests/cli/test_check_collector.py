"""`councilguard check` holds off the cycle collector for one draft, and always turns it back on.

A one-draft check pauses the collector (its cold start is mostly imports); run in-process, as here,
the collector must be running again afterwards, even when the check fails.
"""

from __future__ import annotations

import gc

from typer.testing import CliRunner

from councilguard.cli import app


def _run(*args: str):
    assert gc.isenabled()
    try:
        return CliRunner().invoke(app, ["check", *args])
    finally:
        enabled = gc.isenabled()
        gc.enable()
        gc.unfreeze()
        assert enabled, "the cycle collector was left off"


def test_collector_is_back_on_after_a_check() -> None:
    r = _run("--format", "json", "Cllr Hargreaves is a spineless idiot")
    assert r.exit_code == 0, r.output
    assert '"verdict": "warn"' in r.output


def test_collector_is_back_on_after_a_failed_check() -> None:
    r = _run("--policy", "no-such-pack", "hello")
    assert r.exit_code == 2, r.output
