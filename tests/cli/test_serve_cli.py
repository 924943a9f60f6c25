"""`councilguard serve`: a real server on a real port, its database, and its clear start-up errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from councilguard.cli.serve import serve
from councilguard.records import db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(serve)
    return app


@pytest.mark.parametrize("how", ["default", "env"])
def test_serve_runs_the_app_with_first_run_setup(tmp_path, how):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != db.ENV_VAR}
    expected = tmp_path / "councilguard.db"
    if how == "env":
        expected = tmp_path / "elsewhere.db"
        env[db.ENV_VAR] = str(expected)
    proc = subprocess.Popen([sys.executable, "-m", "councilguard.cli.serve", "--port", str(port)], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, response = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, f"the server did not start: {proc.stderr.read() if proc.poll() is not None else ''}"
        assert response.status_code == 200 and str(response.url).endswith("/setup")
        assert "Create the Proper Officer" in response.text
        rules = httpx.get(f"http://127.0.0.1:{port}/api/rules", timeout=5)
        assert rules.status_code == 401 and rules.json()["error"]["code"] == "not-signed-in"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert f"http://localhost:{port}/" in out
    engine = db.make_engine(f"sqlite:///{expected}")
    try:
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()


@pytest.mark.parametrize("args, message", [
    (["--policy", "no-such-pack"], "no-such-pack"),
    (["--db", "{tmp}/missing/folder/x.db"], "the folder"),
    (["--port", "0"], "Invalid value for '--port'"),
])
def test_serve_start_up_errors_are_one_clear_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    result = CliRunner().invoke(_cli(), [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Path(tmp_path, "councilguard.db").exists()
