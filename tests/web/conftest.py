"""The web app on a real SQLite file per test, sharing the session's Checker.

The schema is migrated once per session into a template file and copied for each test. Passwords are
hashed with real argon2, with cheap parameters so the suite stays quick (one test checks the defaults).
The sign-in limiter reads a clock the test can move forward.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from councilguard.records import db
from councilguard.web.app import create_app
from councilguard.web.settings import WebSettings

PASSWORD = "correct horse battery"
CLERK = ("clerk@croxleygreen-pc.gov.uk", "Helen Marsh")
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def _web_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web-template") / "web.db"
    db.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_path(_web_template, tmp_path) -> Path:
    path = tmp_path / "councilguard.db"
    shutil.copyfile(_web_template, path)
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(db_path, checker, clock) -> Iterator[FastAPI]:
    settings = WebSettings(db_url=f"sqlite:///{db_path}", migrate=False, warm_up=False, secret_key="test-key",
                           clock=clock)
    made = create_app(settings, checker=checker, hasher=FAST_HASHER)
    yield made


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def csrf_of(client: TestClient, path: str = "/sign-in") -> str:
    """The CSRF token of ``client``'s session, read from a page's meta tag like check.js does."""
    html = client.get(path).text
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert found, f"no csrf meta tag on {path}"
    return found.group(1)


def add_user(app: FastAPI, role: str, *, email: str | None = None, name: str | None = None,
             seen: bool = True):
    """An account made straight in the store (as the Accounts page would), the notice already read."""
    user = app.state.users.create(email=email or f"{role}@example.org", name=name or f"Test {role.title()}",
                                  role=role, password=PASSWORD, created_by="test")
    if seen:
        app.state.users.mark_privacy_seen(user.id)
    return user


def sign_in(client: TestClient, email: str, password: str = PASSWORD):
    token = csrf_of(client, "/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token},
                       follow_redirects=False)


def signed_in(app: FastAPI, client: TestClient, role: str, **kwargs) -> str:
    """Make an account with ``role``, sign ``client`` in as it; returns the session's CSRF token."""
    if app.state.users.count() == 0 and role != "proper-officer":
        add_user(app, "proper-officer", email=CLERK[0], name=CLERK[1])
    user = add_user(app, role, **kwargs)
    response = sign_in(client, user.email)
    assert response.status_code == 303, response.text
    return csrf_of(client, "/welcome")
