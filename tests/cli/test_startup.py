"""The command line loads a command's module only when that command runs, and still lists them all.

``councilguard check`` has to start quickly, so it must not import the database layer (archive,
request, relay) or rich's console (only the readable report needs it); help, errors and every command
must look exactly as if all of them had been imported up front.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from councilguard.cli import COMMANDS, app

PROBE = """
import sys
sys.argv = ["councilguard", "check", "--format", "json", "Thanks to everyone who came to the fun day"]
from councilguard.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "rich", "uvicorn")
               or m.startswith(("councilguard.records", "councilguard.web", "councilguard.gateway")))
print("HEAVY", heavy, file=sys.stderr)
"""


def test_check_imports_no_database_web_or_console_code() -> None:
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert '"verdict": "ok"' in r.stdout, r.stderr
    assert "HEAVY []" in r.stderr, r.stderr


def test_help_lists_every_command_in_order() -> None:
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    listed = re.findall(r"^│ (\w+) ", out, re.MULTILINE)
    assert listed == list(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_loads_and_shows_its_help(name: str) -> None:
    r = CliRunner().invoke(app, [name, "--help"])
    assert r.exit_code == 0, r.output
    assert f"councilguard {name}" in r.output


def test_an_unknown_command_still_gets_a_suggestion() -> None:
    r = CliRunner().invoke(app, ["chek"])
    assert r.exit_code == 2
    assert "Did you mean 'check'?" in r.output
