"""Shared fixtures: one Checker per test session (building it binds every rule once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilguard import Checker

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker.from_pack("croxley-green")
